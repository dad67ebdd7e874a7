import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { parseYaml } from '../../src/core/yaml/parse';
import { reparseYaml } from '../../src/core/yaml/incremental';
import { LineIndex } from '../../src/core/yaml/text';
import { yamlDocDiff } from '../support/yaml-compare';
import { CORPUS_ROOT } from './corpus-dir';

// The incremental re-parse on real workflows (every corpus's .github/workflows and action files):
// random edits of each, the result compared node by node with a full parse of the edited text.

function workflowFiles(): string[] {
  const out: string[] = [];
  const walk = (dir: string, depth: number) => {
    for (const name of readdirSync(dir)) {
      const p = path.join(dir, name);
      const st = statSync(p, { throwIfNoEntry: false });
      if (!st) continue;
      if (st.isDirectory() && depth < 6 && name !== 'node_modules') walk(p, depth + 1);
      else if (st.isFile() && /\.ya?ml$/.test(name) && /[/\\]\.github[/\\](?:workflows|actions)[/\\]/.test(p) && st.size < 300_000) out.push(p);
    }
  };
  walk(CORPUS_ROOT, 0);
  return out.sort();
}

const WORDS = ['x', ' ', '\n', '#', ': ', '- ', '|', '"', "'", '[', '{', '}', ',', '  ', 'echo hi', '\n  new:\n    runs-on: x\n'];

describe('incremental YAML re-parse on the corpus workflows', () => {
  it('equals a full parse after random edits, or declines', () => {
    const files = workflowFiles();
    assert.ok(files.length > 50, `corpus workflows missing under ${CORPUS_ROOT}`);
    let used = 0;
    let clean = 0;
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      const prev = parseYaml('w.yml', text);
      if (prev.errors.length) continue;
      const edits = fc.sample(fc.tuple(fc.nat(text.length), fc.nat(8), fc.array(fc.constantFrom(...WORDS), { maxLength: 2 })), { numRuns: 8, seed: text.length });
      for (const [at, del, ins] of edits) {
        const next = text.slice(0, at) + ins.join('') + text.slice(Math.min(text.length, at + del));
        const full = parseYaml('w.yml', next, new LineIndex(next));
        const inc = reparseYaml(prev, 'w.yml', next, new LineIndex(next));
        if (!full.errors.length) clean++;
        if (!inc) continue;
        used++;
        assert.deepEqual(inc.errors, full.errors, file);
        const d = yamlDocDiff(full.docs[0], inc.docs[0]);
        assert.equal(d, undefined, `${file} at ${at}: ${d}`);
      }
    }
    assert.ok(used > clean / 2, `only ${used} of ${clean} clean edits re-parsed incrementally`);
  });
});
