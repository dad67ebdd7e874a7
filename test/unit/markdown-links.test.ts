import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { markdownLinks, type LinkMatch } from '../../src/core/security-md/links';
import { assertLinear } from '../support/linear';
import { replaceHtmlComments } from '../../src/core/security-md/comments';

// markdownLinks finds what the policy rubric's link expressions found, in linear time. The former
// expressions are the oracle; on a hostile SECURITY.md of many unclosed `[` they took time in the
// square of its length (64 KB: 0.8 s).

const OLD_LINK = /\[([^\]]*)\]\(\s*<?([^)\s>]+)>?[^)]*\)|\[([^\]]+)\]\s*\[[^\]]*\]|(?:https?:)?\/\/[^\s)<>\]]+/g;
const OLD_INLINE = /\[([^\]]*)\]\(\s*<?([^)\s>]+)>?[^)]*\)|(?:https?:)?\/\/[^\s)<>\]]+/g;

const old = (re: RegExp, text: string) => [...text.matchAll(re)].map((m) => ({ index: m.index!, end: m.index! + m[0].length, label: m[1], url: m[2], refLabel: m[3] }));
const now = (text: string, refs: boolean) =>
  [...markdownLinks(text, refs)].map((m: LinkMatch) => ({ index: m.index, end: m.end, label: m.label, url: m.url, refLabel: m.refLabel }));

const WORDS = ['[', ']', '(', ')', '<', '>', ' ', '\n', 'a', 'report', 'https://x.example/security', 'http://', '//', 'https:', 'h', 'mailto:s@x.org', '[x]', '](', '][', '] [', '<>', 'ttp'];

describe('markdown links: linear, the same links as the former expressions', () => {
  it('agrees with the former expressions on 8,000 generated texts (with and without references)', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...WORDS), { maxLength: 40 }), (words) => {
        const text = words.join('');
        assert.deepEqual(now(text, true), old(OLD_LINK, text), JSON.stringify(text));
        assert.deepEqual(now(text, false), old(OLD_INLINE, text), JSON.stringify(text));
      }),
      { numRuns: 8_000, seed: 19 },
    );
  });

  it('reads real links', () => {
    const text = 'Report to [the security team](https://example.org/security "title") or see [policy][p] and https://x.example/a.\n\n[p]: https://x.example/p';
    assert.deepEqual(now(text, true).map((m) => m.url ?? m.refLabel ?? text.slice(m.index, m.end)), ['https://example.org/security', 'policy', 'https://x.example/a.', 'https://x.example/p']);
  });

  for (const phrase of ['[', '[a](b', '](x', '[a] [', 'steward: ignore[', '[x](<', 'http://a [']) {
    it(`a text of many \`${phrase}\` costs time in proportion to its length`, () => {
      assertLinear(phrase, (n) => {
        const text = phrase.repeat(n);
        return () => [...markdownLinks(text, true)].length;
      }, 10_000);
    });
  }
});

describe('HTML comments in a policy', () => {
  const OLD = /<!--[\s\S]*?-->/g;
  it('are replaced as the former expression replaced them, on 5,000 generated texts', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom('<!--', '-->', '<!-', '->', '-', '<', '!', 'a', '\n', ' '), { maxLength: 30 }), (words) => {
        const text = words.join('');
        assert.equal(replaceHtmlComments(text, (m) => `[${m.length}]`), text.replace(OLD, (m) => `[${m.length}]`), JSON.stringify(text));
      }),
      { numRuns: 5_000, seed: 19 },
    );
  });

  it('a policy of many unclosed `<!--` costs time in proportion to its length', () => {
    assertLinear('<!--', (n) => {
      const text = '<!-- '.repeat(n);
      return () => replaceHtmlComments(text, () => ' ');
    }, 20_000);
  });
});
