import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { findExpressions, tokenize, contextRefs } from '../../src/core/yaml/expressions';
import { posixStateAt, pwshStateAt, jsStateAt } from '../../src/core/workflow/shell-context';

// The workflow checks must never throw, whatever text they are given: random expressions and scripts
// for the scanners (real workflows cut off or spliced: test/corpus/workflow-checks-robustness-corpus.test.ts).

const exprChars = fc.constantFrom(...'${}()[]\'"`.,*!=&|<> \n\tabgithubeventsecrets_-0123456789#'.split(''));
const exprText = fc.array(exprChars, { maxLength: 120 }).map((a) => a.join(''));

describe('workflow checks never throw', () => {
  it('the expression scanner and shell scanners accept any text', () => {
    fc.assert(
      fc.property(exprText, fc.nat(), (text, n) => {
        for (const s of findExpressions(text)) {
          assert.ok(s.start < s.end && s.end <= text.length);
          assert.ok(text.startsWith('${{', s.start) && text.startsWith('}}', s.end - 2));
          contextRefs(s.inner);
        }
        tokenize(text);
        contextRefs(text);
        const at = n % (text.length + 1);
        posixStateAt(text, at);
        pwshStateAt(text, at);
        jsStateAt(text, at);
      }),
      { numRuns: 500, seed: 42 },
    );
  });
});
