import * as assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
import { expectedReadme, expectedRuleDocs, ROOT } from '../../scripts/gen-docs';
import { CHECKS } from '../../src/core/checks';
import { CATEGORIES } from '../../src/core/model';

describe('documentation generated from meta', () => {
  it('README table of checks is current (run `npm run docs`)', () => {
    const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    assert.equal(readme, expectedReadme(readme));
  });
  it('docs/rules pages are current (run `npm run docs`)', () => {
    const want = expectedRuleDocs();
    const have = readdirSync(path.join(ROOT, 'docs', 'rules')).sort();
    assert.deepEqual(have, [...want.keys()].sort());
    for (const [f, text] of want) assert.equal(readFileSync(path.join(ROOT, 'docs', 'rules', f), 'utf8'), text, f);
  });
  it('every check has complete meta', () => {
    const ids = new Set<string>();
    for (const { meta } of CHECKS) {
      assert.match(meta.id, /^[a-z0-9]+(?:-[a-z0-9]+)*$/, meta.id);
      assert.ok(!ids.has(meta.id), `duplicate id ${meta.id}`);
      ids.add(meta.id);
      assert.ok(CATEGORIES.includes(meta.category), meta.id);
      for (const k of ['summary', 'whyItMatters', 'howToFix', 'fixSafety'] as const) assert.ok(meta.docs[k].length > 20, `${meta.id}.docs.${k}`);
    }
    assert.deepEqual(CHECKS.map((c) => c.meta.id), [...ids].sort(), 'registry is sorted by id');
  });
});
