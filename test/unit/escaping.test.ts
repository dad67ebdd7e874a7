import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { CHECKS } from '../../src/core/checks';
import type { RepoScan } from '../../src/core/engine';
import { escapeHtml, escapeMarkdown, escapeTerminal, markdownCode, markdownLink } from '../../src/core/report/escape';
import { jsonReport } from '../../src/core/report/json';
import { sarifReport } from '../../src/core/report/sarif';
import { NO_COLORS, textReport } from '../../src/core/report/text';
import { explainHtml } from '../../src/vscode/posture/explainHtml';
import { scanFiles } from '../support/check-tester';

// Repository-controlled strings reach every output: finding messages quote job and step names, and
// file names are the repository's. In HTML and markdown they must stay text; in the terminal they must
// not carry control sequences; in JSON and SARIF they are data and must arrive unchanged.

// A CommonMark renderer with raw HTML on, as permissive as GitHub's (which then sanitises; we must not
// rely on that). markdown-it ships no types; this is the part we use.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const MarkdownIt = require('markdown-it') as new (o?: { html?: boolean; linkify?: boolean }) => { render(s: string): string; renderInline(s: string): string };
const md = new MarkdownIt({ html: true });

const IMG = '<img src=x onerror=alert(1)>';
const LINK = '[x](javascript:alert(1))';
const HOSTILE = [
  IMG,
  LINK,
  '<script>alert(1)</script>',
  '![pic](https://evil.example/t.png)',
  '**bold** _em_ `code` ~~gone~~ $x^2$',
  '# heading',
  '- list item',
  '1. ordered',
  '> quote',
  '| a | b |',
  '&lt;img&gt; &amp; &#60;',
  '@octocat and #123',
  '<https://evil.example>',
  '[ref]: https://evil.example',
  'a\\b\\\\c\\`',
  'line one\nline two\r\n# three',
  '\u001b]8;;https://evil.example\u0007click\u001b]8;;\u0007 \u001b[31mred\u001b[0m',
];

/** What a reader sees: the rendered HTML's text, with entities decoded. Throws on any element. */
function visibleText(html: string): string {
  assert.doesNotMatch(html, /<(?!\/?(?:p|code)>)[a-z/!]/i, `markup leaked: ${html}`);
  return html
    .replace(/<\/?(?:p|code)>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#(\d+);/g, (_, n) => String.fromCodePoint(Number(n)))
    .replace(/&amp;/g, '&')
    .trim();
}

const shown = (s: string) => s.replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, '').replace(/\r\n?|\n|\t/g, ' ');

describe('escaping helpers (src/core/report/escape.ts)', () => {
  it('escapeHtml turns markup into text, attributes included', () => {
    assert.equal(escapeHtml(IMG), '&lt;img src=x onerror=alert(1)&gt;');
    assert.equal(escapeHtml(`"' onmouseover='x' & <b>`), '&quot;&#39; onmouseover=&#39;x&#39; &amp; &lt;b&gt;');
  });

  it('escapeMarkdown: hostile names render as exactly their own text, never as markup', () => {
    for (const s of HOSTILE) {
      const html = md.renderInline(escapeMarkdown(s));
      assert.equal(visibleText(html), shown(s).trim(), JSON.stringify(s));
    }
    assert.equal(escapeMarkdown(LINK), '\\[x\\]\\(javascript:alert\\(1\\)\\)');
  });

  it('escapeMarkdown: the same holds at the start of a block, in a list item and in a table cell', () => {
    for (const s of HOSTILE) {
      const e = escapeMarkdown(s);
      // As a whole paragraph (a line start: headings, lists, quotes, setext, reference definitions).
      const para = md.render(e);
      assert.equal(visibleText(para.replace(/\n/g, '')), shown(s).trim(), `paragraph: ${JSON.stringify(s)}`);
      const item = md.render(`- ${e}\n`);
      assert.equal((item.match(/<li>/g) ?? []).length, 1, `list item: ${item}`);
      assert.doesNotMatch(item, /<(?:img|a|script|ol|h\d|blockquote|table|em|strong)\b/);
      const table = md.render(`| name | x |\n| --- | --- |\n| ${e} | 1 |\n`);
      assert.equal((table.match(/<td>/g) ?? []).length, 2, `table cell: ${table}`);
    }
  });

  it('escapeMarkdown: any string at all renders as its own text (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 60 }), (s) => {
        const got = visibleText(md.renderInline(escapeMarkdown(s)));
        // markdown-it replaces NUL with U+FFFD and we drop control characters; compare what remains.
        assert.equal(got, shown(s).replace(/\u0000/g, '').trim());
      }),
      { seed: 9, numRuns: 500 },
    );
  });

  it('markdownCode shows any text literally in a code span', () => {
    for (const s of ['a`b', '``x``', '`', ' x ', IMG, LINK]) {
      const html = md.renderInline(markdownCode(s));
      assert.match(html, /^<code>.*<\/code>$/s);
      assert.equal(html.replace(/<\/?code>/g, '').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&amp;/g, '&'), s, JSON.stringify(s));
    }
  });

  it('markdownLink links http(s) only and keeps the destination in one piece', () => {
    assert.equal(md.renderInline(markdownLink('x', 'javascript:alert(1)')), 'x');
    assert.equal(md.renderInline(markdownLink('x', 'data:text/html,<b>')), 'x');
    assert.equal(md.renderInline(markdownLink(IMG, 'https://example.com/a b)(<c>')), '<a href="https://example.com/a%20b%29%28%3Cc%3E">&lt;img src=x onerror=alert(1)&gt;</a>');
  });

  it('escapeTerminal makes control sequences visible', () => {
    assert.equal(escapeTerminal('a\u001b[31mred\u0007\rb\u009bc\nd\te'), 'a\\x1b[31mred\\x07\\x0db\\x9bc\nd\te');
  });
});

describe('repository-controlled strings in every output', () => {
  const FILE = `.github/workflows/${IMG}.yml`;
  let scan: RepoScan;

  before(async () => {
    const workflow = [
      `name: ${JSON.stringify(`${IMG} ${LINK}`)}`,
      'on: pull_request_target',
      'jobs:',
      '  build:',
      `    name: ${JSON.stringify(`${IMG} \u001b]0;pwned\u0007 ${LINK}`)}`,
      '    runs-on: ubuntu-latest',
      '    steps:',
      `      - name: ${JSON.stringify(`${IMG} ${LINK}`)}`,
      '        uses: actions/checkout@v4',
      '      - run: echo "${{ github.event.pull_request.title }}"',
      '',
    ].join('\n');
    scan = await scanFiles(CHECKS, { [FILE]: workflow });
  });

  const ofFile = () => scan.findings.filter((f) => f.location?.file === FILE);

  it('the scan quotes the hostile names (the outputs below have something to escape)', () => {
    assert.ok(ofFile().length >= 2);
    assert.ok(
      scan.findings.some((f) => f.message.includes(IMG) || f.message.includes(LINK)),
      `no finding quotes a name: ${scan.findings.map((f) => f.message).join(' | ')}`,
    );
  });

  it('text report: plain text, with terminal control characters made visible', () => {
    const out = textReport([scan], CHECKS.map((c) => c.meta), { colors: NO_COLORS });
    assert.ok(out.includes(FILE));
    assert.doesNotMatch(out, /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/, 'a control character reached the terminal');
  });

  it('JSON report: messages and file names arrive unchanged, as data', () => {
    const json = JSON.parse(JSON.stringify(jsonReport([scan], CHECKS.map((c) => c.meta), '0.0.0'))) as { findings: { file: string | null; message: string }[] };
    const ours = json.findings.filter((f) => f.file === FILE);
    assert.deepEqual(ours.map((f) => f.message).sort(), ofFile().map((f) => f.message).sort());
  });

  it('SARIF: messages are data; artifact URIs are valid URI references for any file name', () => {
    const sarif = sarifReport([scan], CHECKS.map((c) => c.meta), '0.0.0') as unknown as {
      runs: { results: { message: { text: string }; locations?: { physicalLocation: { artifactLocation: { uri: string } } }[] }[] }[];
    };
    const results = sarif.runs[0].results.filter((r) => r.locations?.[0]?.physicalLocation.artifactLocation.uri.includes('img'));
    assert.ok(results.length >= 1);
    for (const r of results) {
      const uri = r.locations![0].physicalLocation.artifactLocation.uri;
      assert.doesNotMatch(uri, /[<> "`{}|\\^]/, `not a valid URI: ${uri}`);
      assert.equal(decodeURIComponent(uri), FILE);
    }
    assert.ok(results.some((r) => ofFile().some((f) => f.message === r.message.text)));
  });

  it('markdown: every finding message rendered with escapeMarkdown shows as text', () => {
    for (const f of scan.findings) {
      const html = md.render(`- **${escapeMarkdown(f.ruleId)}** ${escapeMarkdown(f.message)} (${markdownCode(f.location?.file ?? '')})\n`);
      assert.doesNotMatch(html, /<(?:img|script|a)\b|href=/, html);
    }
  });

  it('the Explain webview escapes names, messages and file names', () => {
    for (const result of scan.results.filter((r) => r.findings.length)) {
      const meta = CHECKS.find((c) => c.meta.id === result.checkId)!.meta;
      const row = { meta, result, findings: result.findings, state: result.status };
      for (const finding of [undefined, ...result.findings]) {
        const html = explainHtml({ row, finding, scan, canFix: true, canPrepare: true }, { nonce: 'n', cspSource: 'vscode-resource:', styleUri: 's.css', scriptUri: 's.js' });
        assert.doesNotMatch(html, /<img|javascript:alert[^<]*<\/a>|<a [^>]*href="javascript/i, `${result.checkId}: markup leaked`);
        assert.equal((html.match(/<script/g) ?? []).length, 1, 'only our own script tag');
      }
    }
  });
});
