import * as assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseYaml } from '../../src/core/yaml/parse';
import { expressionScalars, expressionScalarsNear } from '../../src/core/workflow/scalars';
import { corpusDir } from './corpus-dir';

// expressionScalarsNear walks only the parts of a file whose source can hold the word: on every real
// workflow it must give what the whole walk gives (it was a unit test that passed having read nothing
// wherever the corpus was missing; here a missing corpus fails).
const WORD = /secrets/i;
const values = (text: string, near: boolean) => {
  const f = parseYaml('w.yml', text);
  const list = near ? expressionScalarsNear(f, /secrets/gi) : expressionScalars(f);
  return list.filter((s) => WORD.test(s.value as string)).map((s) => `${s.range?.[0]}:${s.value}`);
};

describe('corpus: expressionScalarsNear agrees with the whole walk', () => {
  it('on every workflow of real and real-b', () => {
    let files = 0;
    for (const root of [corpusDir('real'), corpusDir('real-b')]) {
      for (const repo of readdirSync(root)) {
        const dir = path.join(root, repo, '.github/workflows');
        if (!existsSync(dir)) continue;
        for (const name of readdirSync(dir).filter((n) => /\.ya?ml$/.test(n))) {
          const text = readFileSync(path.join(dir, name), 'utf8');
          files++;
          assert.deepEqual(values(text, true), values(text, false), `${repo}/${name}`);
        }
      }
    }
    assert.ok(files > 100, `${files} workflows read`);
  });
});
