import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { stringify } from 'yaml';
import { nestingBound } from '../../src/core/yaml/depth';
import { treeDepth } from '../support/yaml-depth';
import { MAX_NESTING, parseYaml, structureProblem } from '../../src/core/yaml/parse';

// A bound on YAML nesting read before parsing (yaml/depth.ts): with 1,000 nested `[` the second
// parse in a process ended it (V8: "RegExpCompiler Allocation failed - process out of memory"), so a
// hostile repository's YAML file crashed the command line and the extension host.

/** The parsed tree's depth: collections nested in collections. */
function depthOf(text: string): number {
  const f = parseYaml('x.yml', text);
  assert.deepEqual(f.errors, [], text);
  let d = 0;
  for (const doc of f.docs) d = Math.max(d, treeDepth(doc.contents));
  return d;
}

const value: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  v: fc.oneof({ depthSize: 'small' }, fc.constantFrom('a', 'b c', "it's", 'x: y', '[z]', '# no', '|', '- d', 1, true, null), tie('seq'), tie('map')),
  seq: fc.array(tie('v'), { minLength: 1, maxLength: 3 }),
  map: fc.dictionary(fc.constantFrom('k', 'run', 'with', 'a b', '[k]'), tie('v'), { minKeys: 1, maxKeys: 3 }),
})).v;

describe('YAML nesting bound', () => {
  it('is never below the real depth, in block and flow styles, on 5,000 generated documents', () => {
    fc.assert(
      fc.property(value, fc.boolean(), (v, flow) => {
        const text = stringify(v, flow ? { collectionStyle: 'flow' } : {});
        const real = depthOf(text);
        assert.ok(nestingBound(text, 10_000) >= real, `${nestingBound(text, 10_000)} < ${real} for ${JSON.stringify(text)}`);
      }),
      { numRuns: 5_000, seed: 19 },
    );
  });

  it('does not count brackets in quoted scalars, comments or block scalars', () => {
    const text = "a: '[[[[[[[['\nb: \"{{{{{{{{\"\n# [[[[[[[[[[\nrun: |\n  [[[[[[[[[[[[\n  {{{{{{{{{{{{\nc: [1, [2]]\n";
    assert.equal(nestingBound(text, 1_000), 3);
  });

  it('a file nested deeper than the limit is refused before parsing, however often it is read', () => {
    for (const text of ['['.repeat(3_000), '{a: '.repeat(3_000), '- '.repeat(3_000) + 'x', Array.from({ length: 600 }, (_, i) => ' '.repeat(i) + 'k:').join('\n') + ' v']) {
      for (let i = 0; i < 3; i++) {
        const f = parseYaml('.github/workflows/deep.yml', text);
        assert.deepEqual(f.docs, []);
        assert.equal(f.errors[0]?.message, `structures are nested more than ${MAX_NESTING} levels deep; Steward does not follow them`);
      }
    }
  });

  it('a file nested just within the limit is parsed', () => {
    const text = '['.repeat(MAX_NESTING - 10) + ']'.repeat(MAX_NESTING - 10);
    const f = parseYaml('x.yml', text);
    assert.deepEqual(f.errors, []);
    assert.equal(structureProblem(f.docs[0].contents), undefined);
  });
});
