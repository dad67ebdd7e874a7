import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { inExpression, TOKEN_EXPR } from '../../src/core/permissions/knowledge';
import { parseExpression } from '../../src/core/yaml/expressions';
import { assertLinear } from '../support/linear';

// Expressions in hostile shapes: a reference of thousands of segments (each segment copied the
// segments so far: 150 KB of `github.rest.issues.` in an `if:` took 3.4 s), and a line of many
// unclosed `${{` (a `\$\{\{[^}]*…` expression scanned to the end from each). The former regular
// expressions are the oracle for inExpression.

const OLD_TOKEN = /\$\{\{[^}]*\b(?:secrets\.github_token|github\.token)\b[^}]*\}\}/i;
const oldCarrying = (k: string) => new RegExp(`\\$\\{\\{[^}]*\\binputs(?:\\.${k}\\b|\\[['"]${k}['"]\\])`, 'i');


const WORDS = ['${{', '${', '{{', '}}', '}', '{', ' ', 'secrets.GITHUB_TOKEN', 'secrets.github_token_x', 'github.token', 'xgithub.token', 'inputs.token', "inputs['token']", 'inputs.tokens', 'a', '.', '\n', "'"];

describe('expressions: linear in hostile shapes, the same answers as before', () => {
  it('inExpression answers as the former expressions did, on 5,000 generated texts', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...WORDS), { maxLength: 30 }), (words) => {
        const text = words.join('');
        assert.equal(TOKEN_EXPR.test(text), OLD_TOKEN.test(text), JSON.stringify(text));
        assert.equal(inExpression(text, /\binputs(?:\.token\b|\[['"]token['"]\])/i, false), oldCarrying('token').test(text), JSON.stringify(text));
      }),
      { numRuns: 5_000, seed: 19 },
    );
  });

  it('a line of many unclosed `${{` costs time in proportion to its length', () => {
    assertLinear('unclosed ${{', (n) => {
      const line = '${{ github.event.'.repeat(n);
      return () => TOKEN_EXPR.test(line);
    }, 20_000);
  });

  it('a reference of many segments parses in time proportional to its length, with every segment', () => {
    const ref = (n: number) => 'github' + '.rest'.repeat(n);
    const parsed = parseExpression(ref(1_000));
    assert.equal(parsed?.kind, 'ref');
    assert.equal(parsed?.kind === 'ref' && parsed.segments.length, 1_001);
    assert.equal(parsed?.kind === 'ref' && parsed.path, ref(1_000));
    assertLinear('a.b.c…', (n) => {
      const text = ref(n);
      return () => parseExpression(text);
    }, 20_000);
  });

  it('a parenthesised reference extended after the parenthesis keeps all its segments', () => {
    const p = parseExpression("(github.event).pull_request['head'].ref");
    assert.equal(p?.kind === 'ref' && p.path, 'github.event.pull_request.head.ref');
  });
});
