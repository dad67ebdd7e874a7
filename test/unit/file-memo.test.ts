import * as assert from 'node:assert/strict';
import { fileMemo, loadSourceFile } from '../../src/core/repo/load';

// fileMemo: one computation per file object and key, whatever it returns (undefined, null, 0 included).
describe('fileMemo', () => {
  it('computes once per file and key, keeping falsy answers too', () => {
    const a = loadSourceFile('.github/workflows/a.yml', Buffer.from('on: push\n'));
    const b = loadSourceFile('.github/workflows/a.yml', Buffer.from('on: push\n'));
    for (const answer of [undefined, null, 0, '', false, 'x']) {
      let calls = 0;
      const key = `test:${String(answer)}`;
      const compute = () => {
        calls++;
        return answer;
      };
      assert.equal(fileMemo(a, key, compute), answer);
      assert.equal(fileMemo(a, key, compute), answer);
      assert.equal(calls, 1, `kept: ${String(answer)}`);
      // another file object (the same content): its own computation
      assert.equal(fileMemo(b, key, compute), answer);
      assert.equal(calls, 2);
    }
    assert.equal(fileMemo(a, 'test:other', () => 'y'), 'y');
    assert.equal(fileMemo(a, 'test:x', () => 'z'), 'x');
  });
});
