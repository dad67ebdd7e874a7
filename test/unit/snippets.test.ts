import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { CHECKS } from '../../src/core/checks';
import { scanFiles } from '../support/check-tester';
import { parseYaml } from '../../src/core/yaml/parse';

// Every snippet Steward contributes, expanded with its defaults the way VS Code would, must pass all
// Steward checks. The only findings allowed are the ones a placeholder cannot avoid: the action refs
// are placeholders for commit SHAs that the user (or Steward's pin fix) fills in.

const ROOT = path.resolve(__dirname, '../..');
const NEED_REAL_SHA = new Set(['unpinned-actions', 'missing-version-comment']);

interface Snippet {
  prefix: string | string[];
  body: string | string[];
  description?: string;
}

const VARIABLES: Record<string, string> = {
  WORKSPACE_NAME: 'widget',
  TM_FILENAME: 'SECURITY.md',
  TM_FILENAME_BASE: 'SECURITY',
  CURRENT_YEAR: '2026',
  CURRENT_MONTH: '01',
  CURRENT_DATE: '31',
};

/** Expands VS Code snippet syntax with defaults: placeholders, choices (first), mirrors, variables, escapes. */
export function expandSnippet(body: string): string {
  const defaults = new Map<number, string>();
  let pos = 0;
  const parse = (s: string, stopAtBrace: boolean, record: boolean): string => {
    let out = '';
    while (pos < s.length) {
      const c = s[pos];
      if (c === '\\' && pos + 1 < s.length && '$}\\,|'.includes(s[pos + 1])) {
        out += s[pos + 1];
        pos += 2;
        continue;
      }
      if (stopAtBrace && c === '}') return out;
      if (c !== '$') {
        out += c;
        pos++;
        continue;
      }
      const rest = s.slice(pos + 1);
      let m: RegExpExecArray | null;
      if ((m = /^(\d+)/.exec(rest))) {
        pos += 1 + m[1].length;
        out += `\u0000${m[1]}\u0000`;
        continue;
      }
      if ((m = /^([A-Z_][A-Z_0-9]*)/.exec(rest))) {
        pos += 1 + m[1].length;
        out += VARIABLES[m[1]] ?? '';
        continue;
      }
      if (rest.startsWith('{')) {
        pos += 2;
        const head = /^(\d+|[A-Z_][A-Z_0-9]*)/.exec(s.slice(pos));
        assert.ok(head, `bad snippet syntax at ${pos}: ${s.slice(pos - 2, pos + 20)}`);
        pos += head[1].length;
        const isTab = /^\d/.test(head[1]);
        let value = '';
        if (s[pos] === ':') {
          pos++;
          value = parse(s, true, record);
        } else if (s[pos] === '|') {
          const end = s.indexOf('|}', pos + 1);
          assert.ok(end > 0, 'unterminated choice');
          value = s.slice(pos + 1, end).split(/(?<!\\),/)[0].replace(/\\(.)/g, '$1');
          pos = end + 1;
        } else if (!isTab) {
          value = VARIABLES[head[1]] ?? '';
        }
        assert.equal(s[pos], '}', `unterminated \${ at ${pos}`);
        pos++;
        if (isTab) {
          const n = Number(head[1]);
          if (value !== '' && !defaults.has(n)) defaults.set(n, value);
          out += `\u0000${n}\u0000`;
        } else out += value || (VARIABLES[head[1]] ?? '');
        continue;
      }
      out += c;
      pos++;
    }
    return out;
  };
  const marked = parse(body, false, true);
  // Mirrors take the value of the tabstop's placeholder; resolve nested marks too.
  const resolve = (t: string, depth = 0): string => (depth > 10 ? t : t.replace(/\u0000(\d+)\u0000/g, (_, n) => resolve(defaults.get(Number(n)) ?? '', depth + 1)));
  return resolve(marked);
}

function load(file: string): Record<string, Snippet> {
  return JSON.parse(readFileSync(path.join(ROOT, 'media/snippets', file), 'utf8')) as Record<string, Snippet>;
}

const bodyOf = (s: Snippet) => (Array.isArray(s.body) ? s.body.join('\n') : s.body);

/** Where a YAML snippet's expansion goes, by what it is. */
function yamlTarget(text: string): string {
  if (/^version:\s*2/m.test(text) && /^updates:/m.test(text)) return '.github/dependabot.yml';
  return '.github/workflows/snippet.yml';
}

async function findingsIn(files: Record<string, string>, target: string) {
  const scan = await scanFiles(CHECKS, files);
  return scan.findings.filter((f) => !f.suppressed && f.location?.file === target);
}

describe('snippets', () => {
  it('are registered in package.json for markdown and yaml', () => {
    const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { contributes: { snippets: { language?: string; path: string }[] } };
    const langs = pkg.contributes.snippets.map((s) => `${s.language ?? '(scoped)'}:${s.path}`);
    // The YAML snippets are a .code-snippets file whose snippets are scoped to yaml and, when the GitHub
    // Actions extension is installed, its github-actions-workflow language.
    assert.deepEqual(langs.sort(), ['(scoped):./media/snippets/yaml.code-snippets', 'markdown:./media/snippets/markdown.json']);
  });

  it('expands VS Code snippet syntax the way the editor does', () => {
    assert.equal(expandSnippet('a ${1:x ${2:y}} $2 ${3|p,q|} ${1} \\$ \\${{ z }} ${WORKSPACE_NAME} $0'), 'a x y y p x y $ ${{ z }} widget ');
  });

  const yamlSnippets = Object.entries(load('yaml.code-snippets'));
  for (const [name, snip] of yamlSnippets) {
    it(`YAML snippet "${name}" parses and passes every check (except real-SHA ones)`, async () => {
      const text = expandSnippet(bodyOf(snip));
      const target = yamlTarget(text);
      assert.deepEqual(parseYaml(target, text).errors, [], text);
      const findings = await findingsIn({ [target]: text, 'README.md': '# widget\n' }, target);
      const unexpected = findings.filter((f) => !NEED_REAL_SHA.has(f.ruleId));
      assert.deepEqual(unexpected.map((f) => `${f.ruleId} ${f.location?.start.line}: ${f.message}`), [], text);
      if (target.includes('workflows')) {
        assert.match(text, /^permissions: \{\}$/m);
        assert.ok(findings.length > 0 && findings.every((f) => f.ruleId === 'unpinned-actions' ? /COMMIT-SHA/.test(text.split('\n')[f.location!.start.line - 1]) : true), 'only the SHA placeholders are reported');
      }
    });
  }

  it('covers the snippets the feature promises', () => {
    const text = yamlSnippets.map(([, s]) => bodyOf(s)).join('\n');
    assert.match(text, /persist-credentials: false/);
    assert.match(text, /concurrency:/);
    assert.match(text, /cooldown:/);
    assert.match(text, /groups:/);
    assert.match(text, /pypa\/gh-action-pypi-publish@/);
    assert.match(text, /npm publish --provenance/);
    assert.match(text, /id-token: write/);
    assert.match(text, /environment:/);
    assert.match(text, /github\/codeql-action\/analyze@/);
  });

  const md = Object.entries(load('markdown.json'));
  const skeleton = md.find(([n]) => n === 'SECURITY.md skeleton');
  // What a person types over the snippet's placeholders (the repository and the security address).
  const filled = (t: string): string => t.replace(/owner\/repo/g, 'octo/widget').replace(/security@example\.org/g, 'security@widget.dev');
  it('the SECURITY.md skeleton passes both policy checks once its placeholders are filled in, and is incomplete before', async () => {
    assert.ok(skeleton);
    const raw = expandSnippet(bodyOf(skeleton[1]));
    assert.match(raw, /https:\/\/github\.com\/owner\/repo\/security\/advisories\/new/);
    // Unedited placeholders (issue 14.5): a reporter would write to nobody.
    const unedited = await scanFiles(CHECKS, { 'SECURITY.md': raw });
    assert.equal(unedited.results.find((r) => r.checkId === 'security-policy-incomplete')!.status, 'fail');
    const text = filled(raw);
    const scan = await scanFiles(CHECKS, { 'SECURITY.md': text });
    for (const id of ['missing-security-policy', 'security-policy-incomplete']) assert.equal(scan.results.find((r) => r.checkId === id)!.status, 'pass', `${id}\n${text}`);
    assert.match(text, /Thank you for helping keep widget/);
  });

  for (const [name, snip] of md.filter(([n]) => n !== 'SECURITY.md skeleton')) {
    it(`Markdown snippet "${name}" added to the skeleton leaves no findings`, async () => {
      const text = filled(`${expandSnippet(bodyOf(skeleton![1]))}\n${expandSnippet(bodyOf(snip))}\n`);
      assert.deepEqual((await findingsIn({ 'SECURITY.md': text }, 'SECURITY.md')).map((f) => f.message), []);
    });
  }
});
