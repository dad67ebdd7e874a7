import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DiskSnapshot, sortedUnion, treeLines } from './disk';

describe('DiskSnapshot: sortedUnion (a corpus TREE.txt merged with the walk)', () => {
  const reference = (a: string[], b: string[]) => [...new Set([...a, ...b])].sort();

  it('is the sorted, duplicate-free union, for sorted and unsorted lists, duplicates and code-unit order', () => {
    const cases: [string[], string[]][] = [
      [[], []],
      [['a'], []],
      [[], ['b', 'a']],
      [['.github/workflows/ci.yml', 'README.md', 'src/a.ts'], ['.github/workflows/ci.yml', 'LICENSE', 'src/b.ts']],
      [['a', 'a', 'b'], ['b', 'c', 'c']],
      [['b', 'a'], ['a']], // not sorted: falls back to sorting
      [['Z', 'a', 'é', '\u{1F600}'], ['_', 'b', 'Ω']], // upper case, non-ASCII, astral: code-unit order, as sort() has it
    ];
    // And random ones: paths over a small alphabet, so collisions and shared prefixes are common.
    let seed = 7;
    const rnd = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) % n);
    const path = () => Array.from({ length: 1 + rnd(4) }, () => 'ab/.Z'[rnd(5)]).join('');
    for (let k = 0; k < 300; k++) {
      const a = Array.from({ length: rnd(30) }, path);
      const b = Array.from({ length: rnd(30) }, path);
      cases.push(k % 3 === 0 ? [a, b] : [a.sort(), b.sort()]);
      // Sorted without duplicates (the merge by binary search), the long list on either side.
      const ua = [...new Set(a)].sort();
      const ub = [...new Set(Array.from({ length: rnd(200) }, path))].sort();
      cases.push([ua, ub], [ub, ua]);
    }
    for (const [a, b] of cases) assert.deepEqual(sortedUnion(a, b), reference(a, b), JSON.stringify([a, b]));
  });
});

describe('DiskSnapshot: treeLines (a corpus TREE.txt read as paths)', () => {
  it('is the trimmed non-blank lines, as split, trim and filter give them', () => {
    const reference = (t: string) => t.split('\n').map((l) => l.trim()).filter(Boolean);
    const cases = ['', '\n', 'a', 'a\n', 'a\nb', 'a\r\nb\r\n', ' a \n\tb\n\n\nc', '\u00a0x\u00a0\ny\u2028', '\ufeffa\nb ', 'a\n \n\r\n', 'é\n€ \n', '\n\na/b/c.txt\n.github/workflows/ci.yml\n'];
    for (const t of cases) assert.deepEqual(treeLines(t), reference(t), JSON.stringify(t));
  });
});

describe('DiskSnapshot: reads of files that are not there', () => {
  it('answer undefined with no read error (a missing file, a path through a file), and read what is there', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'steward-disk-'));
    try {
      fs.writeFileSync(path.join(dir, 'package.json'), '{}');
      fs.mkdirSync(path.join(dir, 'docs'));
      const snap = new DiskSnapshot(dir);
      for (const p of ['SECURITY.md', 'docs/SECURITY.md', 'nope/x.yml', 'package.json/x', '.git/config']) {
        assert.equal(await snap.readFile(p), undefined, p);
        assert.equal(snap.readError(p), undefined, p);
      }
      assert.equal(new TextDecoder().decode(await snap.readFile('package.json')), '{}');
      assert.equal(new TextDecoder().decode(await snap.readHead('package.json', 1)), '{');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
