import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { compilePattern, type PathMatcher } from '../../src/core/checks/codeowners-gaps/codeowners';
import { assertLinear } from '../support/linear';

// CODEOWNERS patterns are matched segment by segment. Compiled to regular expressions they nested
// quantifiers: a line of 16 `**/` took 89 s to fail on one path of 20 folders, and each more doubled
// it. The former compilation is the oracle, on patterns and paths small enough for it, with one
// mend: it left an escaped `\*` or `\?` unescaped, so `\*.md` did not compile and the check failed.

function escapeRe(s: string): string {
  return s.replace(/[.*?+^${}()|[\]\\]/g, '\\$&');
}
function former(raw: string): RegExp | string {
  let p = raw;
  if (p.startsWith('!')) return 'negation';
  if (/\[[^\]]*\]/.test(p)) return 'ranges';
  let anchored = false;
  let dirOnly = false;
  if (p.startsWith('/')) {
    anchored = true;
    p = p.slice(1);
  }
  if (p.endsWith('/')) {
    dirOnly = true;
    p = p.replace(/\/+$/, '');
  }
  if (p === '') return anchored ? /^.*$/ : 'empty';
  if (p.includes('/')) anchored = true;
  const segs = p.split('/');
  let re = '';
  for (let i = 0; i < segs.length; i++) {
    const s = segs[i];
    const last = i === segs.length - 1;
    if (s === '**') {
      re += last ? '.*' : '(?:[^/]+/)*';
      continue;
    }
    re += s.replace(/\\(.)|(\*)|(\?)|([^*?\\]+)/g, (_m, esc: string, star: string, q: string, lit: string) => (esc !== undefined ? escapeRe(esc) : star ? '[^/]*' : q ? '[^/]' : escapeRe(lit)));
    if (!last) re += '/';
  }
  const lastSeg = segs[segs.length - 1];
  const prefix = anchored ? '^' : '^(?:.*/)?';
  const suffix = dirOnly ? '/.*$' : lastSeg === '**' || lastSeg.includes('*') ? '$' : '(?:/.*)?$';
  return new RegExp(prefix + re + suffix);
}

const SEG = fc.constantFrom('a', 'b', 'ab', 'ba', 'aa', '*', '?', '**', 'a*', '*b', 'a?', '?*', '\\*', 'a\\?b', '.', 'x.y', '*.*');
const PATH_SEG = fc.constantFrom('a', 'b', 'ab', 'ba', 'aa', 'abb', '*', '?', 'x.y', 'a.b', '.');

describe('CODEOWNERS patterns: segment matching, as the former regular expressions matched', () => {
  it('agrees with the former compilation on 20,000 patterns and paths', () => {
    fc.assert(
      fc.property(fc.boolean(), fc.array(SEG, { minLength: 1, maxLength: 4 }), fc.boolean(), fc.array(PATH_SEG, { minLength: 1, maxLength: 5 }), (lead, segs, trail, path) => {
        const pattern = (lead ? '/' : '') + segs.join('/') + (trail ? '/' : '');
        const p = path.join('/');
        const old = former(pattern);
        const now = compilePattern(pattern);
        assert.equal(typeof now === 'string', typeof old === 'string', pattern);
        if (typeof old !== 'string') assert.equal((now as PathMatcher).test(p), old.test(p), `${pattern} on ${p}`);
      }),
      { numRuns: 20_000, seed: 19 },
    );
  });

  it('an escaped wildcard is a literal character', () => {
    const m = compilePattern('docs/\\*.md') as PathMatcher;
    assert.equal(m.test('docs/*.md'), true);
    assert.equal(m.test('docs/a.md'), false);
  });

  for (const [what, pattern, path] of [
    ['many `**/`', (n: number) => '**/'.repeat(n) + 'zz', (n: number) => 'a/'.repeat(n) + 'b'],
    ['many `a/**/`', (n: number) => '/' + 'a/**/'.repeat(n) + 'c', (n: number) => 'a/'.repeat(n) + 'b'],
    ['many `*a`', (n: number) => '*a'.repeat(n) + 'b', (n: number) => 'a'.repeat(n)],
  ] as const) {
    it(`a pattern of ${what} fails on a long path in time growing with pattern x path, not exponentially`, () => {
      // Pattern and path of about sqrt(n) each: work in their product grows with n.
      const cost = (n: number) => {
        const m = compilePattern(pattern(n)) as PathMatcher;
        const p = path(n);
        return () => assert.equal(m.test(p), false);
      };
      assertLinear(what, (n) => cost(Math.round(Math.sqrt(n))), 40_000);
    });
  }
});
