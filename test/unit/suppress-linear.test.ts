import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { ignoreList } from '../../src/core/config/suppress';
import { withoutDirectives } from '../../src/core/checks/missing-version-comment/missing-version-comment';
import { assertLinear } from '../support/linear';

// Ignore comments read in time linear in the line. A pattern `ignore\[([^\]]*)\]` scanned to the end
// of the line from every `steward: ignore[` when no `]` followed: a run line of 2,000 took 46 ms,
// 4,000 four times that, in every check's suppression lookup. The former patterns are the oracle.

const OLD_STEWARD = /steward:\s*ignore\[([^\]]*)\]/i;
const OLD_DIRECTIVES = /(?:zizmor|steward):\s*ignore\[[^\]]*\]|noqa\S*|nosec|ratchet:exclude/gi;
const WORDS = ['steward:', 'Steward:', 'zizmor:', ' ', '  ', 'ignore[', 'IGNORE[', ']', '[', 'all', ',', 'unpinned-actions', 'noqa', 'nosec', 'ratchet:exclude', '#', 'v4.2.0', '\t'];

describe('ignore comments: linear in the line, the same lists as before', () => {
  it('ignoreList and withoutDirectives agree with the former patterns on 5,000 generated comments', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...WORDS), { maxLength: 30 }), (words) => {
        const line = words.join('');
        assert.equal(ignoreList(line, /steward:\s*ignore\[/i), OLD_STEWARD.exec(line)?.[1], JSON.stringify(line));
        // Only whether anything but directives is left matters to the check.
        const clean = (t: string) => t.replace(/^[#\s]+$/, '') !== '';
        assert.equal(clean(withoutDirectives(line)), clean(line.replace(OLD_DIRECTIVES, '')), JSON.stringify(line));
      }),
      { numRuns: 5_000, seed: 19 },
    );
  });

  it('a line of many unclosed ignore comments costs time in proportion to its length', () => {
    assertLinear('ignoreList', (n) => {
      const line = 'steward: ignore['.repeat(n);
      return () => ignoreList(line, /steward:\s*ignore\[/i);
    }, 20_000);
    assertLinear('withoutDirectives', (n) => {
      const line = '# zizmor: ignore['.repeat(n);
      return () => withoutDirectives(line);
    }, 20_000);
  });
});
