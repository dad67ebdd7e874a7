import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { nestingBound } from '../../src/core/yaml/depth';
import { treeDepth } from '../support/yaml-depth';
import { MAX_NESTING } from '../../src/core/yaml/parse';
import { corpusDir } from './corpus-dir';

// The nesting bound read before parsing (yaml/depth.ts) on every YAML file of the corpora: never
// below the parsed depth, and never over the limit (no real file refused).

function* yamlFiles(dir: string): Generator<string> {
  for (const name of readdirSync(dir)) {
    const p = path.join(dir, name);
    const st = statSync(p, { throwIfNoEntry: false });
    if (st?.isDirectory()) yield* yamlFiles(p);
    else if (st?.isFile() && /\.ya?ml$/i.test(name)) yield p;
  }
}

describe('corpus: YAML nesting bound', () => {
  it('is at least the parsed depth and within the limit on every YAML file of real and real-b', () => {
    let files = 0;
    let deepest = 0;
    for (const root of [corpusDir('real'), corpusDir('real-b')]) {
      for (const file of yamlFiles(root)) {
        const text = readFileSync(file, 'utf8');
        const bound = nestingBound(text, 10_000);
        const docs = parseAllDocuments(text, { uniqueKeys: false });
        const real = Math.max(0, ...(Array.isArray(docs) ? docs : []).map((d) => treeDepth(d.contents)));
        assert.ok(bound >= real, `${file}: bound ${bound} < depth ${real}`);
        assert.ok(bound <= MAX_NESTING, `${file}: bound ${bound} would refuse it`);
        deepest = Math.max(deepest, bound);
        files++;
      }
    }
    assert.ok(files > 500, `read ${files} YAML files`);
    assert.ok(deepest < 40, `deepest bound ${deepest}`);
  });
});
