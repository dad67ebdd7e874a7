import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { fastVsYaml } from '../support/fast-yaml-compare';
import { CORPUS_ROOT } from './corpus-dir';

// The fast YAML front end (src/core/yaml/fast.ts) against parseAllDocuments on every YAML file of
// the corpora, and on random edits of them: whenever it does not decline, the trees are identical
// (comments aside), and it never takes a text yaml reports errors for. The random edits use a fixed
// seed so that a run is repeatable; FAST_YAML_SEED=random (or another number) explores further.

function yamlFiles(): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const p = path.join(dir, name);
      const st = statSync(p, { throwIfNoEntry: false });
      if (!st) continue;
      if (st.isDirectory()) walk(p);
      else if (st.isFile() && /\.ya?ml$/.test(name)) out.push(p);
    }
  };
  walk(CORPUS_ROOT);
  return out.sort();
}

// Edits that touch what fast.ts reproduces by hand: comment lines at every indent (yaml stretches
// ranges over them by rules of indentation), blank lines and lines of spaces, empty values, block
// scalars, anchors and aliases, a document marker.
const WORDS = [
  'x', ' ', '\n', '#', ' # c', '\n# c\n', '\n    # c\n', ': ', '- ', '|', '>-', '"', "'", '[', '{', '}', ']', ',', '&a ', '*a', '  ', '\t', '? ', '---\n', '\n  new:\n    runs-on: x\n',
  '\n  # c\n', '\n      # c\n', '\n        # c', '\n # c\n', '  # c\n', '\n\n', '\n   \n', '      \n', '\n          \n', ':', ':\n', ': # c\n', '\nk:\n', '\n  k:', ' |\n', ' |-\n  ', ' >\n', '\n- ', '\n  - ', '*a:', '&a', '--- ', '...\n', '\n#\n',
];

describe('fast YAML front end on the corpus', () => {
  const files = yamlFiles();

  it('gives the same trees as parseAllDocuments on every corpus YAML file it takes', () => {
    assert.ok(files.length > 500, `corpus YAML missing under ${CORPUS_ROOT}`);
    let taken = 0;
    for (const f of files) {
      const r = fastVsYaml(readFileSync(f, 'utf8'));
      if (r === 'declined') continue;
      assert.equal(r, undefined, f);
      taken++;
    }
    console.log(`      fast front end: ${taken} of ${files.length} files taken, ${files.length - taken} declined (${(((files.length - taken) / files.length) * 100).toFixed(1)} %)`);
    assert.ok(taken > files.length * 0.95, `only ${taken} of ${files.length} taken`);
  });

  it('agrees with parseAllDocuments after random edits of corpus workflows', () => {
    const texts = files.filter((f) => /[/\\]\.github[/\\]workflows[/\\]/.test(f)).map((f) => readFileSync(f, 'utf8')).filter((t) => t.length < 20_000);
    assert.ok(texts.length > 50);
    fc.assert(
      fc.property(fc.nat(), fc.array(fc.tuple(fc.nat(), fc.constantFrom(...WORDS), fc.nat(3)), { minLength: 1, maxLength: 3 }), (pick, edits) => {
        let t = texts[pick % texts.length];
        for (const [at, w, del] of edits) {
          const p = at % (t.length + 1);
          t = t.slice(0, p) + w + t.slice(p + del);
        }
        const r = fastVsYaml(t);
        return r === undefined || r === 'declined' || (console.error(JSON.stringify(t.slice(0, 400)), r), false);
      }),
      { numRuns: Number(process.env.FAST_YAML_RUNS ?? 1500), ...(process.env.FAST_YAML_SEED === 'random' ? {} : { seed: Number(process.env.FAST_YAML_SEED ?? 20261203) }) },
    );
  });
});
