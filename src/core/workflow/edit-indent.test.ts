import * as assert from 'node:assert/strict';
import { scanIndentUnit, yamlScalar } from './edit';

// The scan as it was before it split lines lazily (issue 19): every line split off first.
function reference(text: string): string | undefined {
  const lines = text.split(/\r\n|\r|\n/);
  let any: string | undefined;
  for (let i = 0; i + 1 < lines.length; i++) {
    const m = /^( *)(?:- +)?([A-Za-z0-9_-]+):\s*(?:#.*)?$/.exec(lines[i]);
    if (!m) continue;
    const keyCol = lines[i].indexOf(m[2]);
    let j = i + 1;
    while (j < lines.length && /^\s*(?:#.*)?$/.test(lines[j])) j++;
    const n = j < lines.length ? /^( *)([^\s-]|-(?!\s))/.exec(lines[j]) : null;
    if (!n || n[1].length <= keyCol) continue;
    const unit = ' '.repeat(n[1].length - keyCol);
    if (m[2] === 'with' || m[2] === 'env') return unit;
    any ??= unit;
  }
  return any;
}

describe('scanIndentUnit (lines split lazily)', () => {
  it('answers as the whole-text split did, with every line break and at the text end', () => {
    const fixed = [
      '', 'a:', 'a:\n', 'a:\n  b: 1', 'a:\n\n\n', 'a:\n    b: 1\n', 'jobs:\n  x:\n    steps:\n      - uses: a\n        with:\n          k: v\n',
      'a:\r\n   b: 1\r\n', 'a:\r   b: 1\r', 'a:\r\n\r\n  # c\r\n      b: 1', 'a:\n  - b\n', 'a: # c\n\n\n    b: 1', 'x:\n  y: 1\nwith:\n    k: v', 'with:',
    ];
    for (const t of fixed) assert.equal(scanIndentUnit(t), reference(t), JSON.stringify(t));
    // Random texts of the pieces that matter: keys, dashes, comments, blank lines, every break.
    let seed = 7;
    const rnd = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2147483648) % n);
    const pieces = ['a:', 'with:', 'env:', '- b:', '  ', '    ', ' ', '# c', 'v', '- x', '\n', '\r\n', '\r', '\n', '\n'];
    for (let k = 0; k < 3000; k++) {
      let t = '';
      for (let p = rnd(30); p > 0; p--) t += pieces[rnd(pieces.length)];
      assert.equal(scanIndentUnit(t), reference(t), JSON.stringify(t));
    }
  });
});

describe('yamlScalar (answers kept per value and style)', () => {
  it('gives each style its own answer for the same value, asked in any order and again', () => {

    for (let round = 0; round < 2; round++) {
      assert.equal(yamlScalar('${{ a }}'), '${{ a }}');
      assert.equal(yamlScalar('${{ a }}', true), "'${{ a }}'");
      assert.equal(yamlScalar('a, b', true), "'a, b'");
      assert.equal(yamlScalar('a, b'), 'a, b');
      assert.equal(yamlScalar("it's: x"), "'it''s: x'");
      assert.equal(yamlScalar('x\ny'), '"x\\ny"');
    }
  });
});
