import * as assert from 'node:assert/strict';
import { localeOrder } from './order';

describe('localeOrder', () => {
  it('orders exactly as localeCompare does, on plain and other strings', () => {
    const alphabet = ['a', 'b', 'z', '0', '9', '-', '.', '/', '_', 'A', 'Z', ' ', 'é'];
    const words: string[] = ['', ...alphabet];
    // Every string of up to three characters over the alphabet, and some longer paths.
    for (const x of alphabet) for (const y of alphabet) words.push(x + y, x + y + 'a', 'a' + x + y);
    words.push('/docs', '/docs/api', '.github/workflows/ci.yml', 'src/a-b.ts', 'src/a.b.ts', 'src/a/b.ts', 'v4.2.1', 'v4.10.0', 'Dockerfile', 'docs/README.md');
    const sign = (n: number) => Math.sign(n);
    for (const a of words) for (const b of words) assert.equal(sign(localeOrder(a, b)), sign(a.localeCompare(b)), `${JSON.stringify(a)} vs ${JSON.stringify(b)}`);
  });
});
