import * as assert from 'node:assert/strict';
import { parseAllDocuments } from 'yaml';
import { CHECKS } from '../index';
import { Engine } from '../../engine';
import { MemorySnapshot } from '../../repo/snapshot';

// Doubling tests for template-injection and persisted-checkout-credentials on many jobs (the shapes
// of test/unit/hostile/linear.test.ts): twice the jobs may cost at most ~3x the CPU time of these two
// checks, plus a parse of the larger input as a floor against noise on a shared machine.

const WF = '.github/workflows/big.yml';
const checks = CHECKS.filter((c) => c.meta.id === 'template-injection' || c.meta.id === 'persisted-checkout-credentials');
const scan = (files: Record<string, string>) => new Engine(checks).scan(new MemorySnapshot('big', files));

async function cpuMs(fn: () => Promise<unknown>): Promise<number> {
  const t = process.cpuUsage();
  await fn();
  const d = process.cpuUsage(t);
  return (d.user + d.system) / 1000;
}

async function scanMs(files: Record<string, string>): Promise<number> {
  return Math.min(await cpuMs(() => scan(files)), await cpuMs(() => scan(files)));
}

const shapes: [string, number, (n: number) => Record<string, string>][] = [
  [
    'n jobs, each checking out, echoing a branch name and pushing',
    500,
    (n) => ({ [WF]: 'on: [push, pull_request_target]\njobs:\n' + Array.from({ length: n }, (_, i) => `  j${i}:\n    runs-on: x\n    steps:\n      - uses: actions/checkout@v4\n      - run: echo "\${{ github.head_ref }}" ${i}\n      - run: git push\n`).join('') }),
  ],
  [
    'a workflow env of n variables, each used by one of n jobs',
    2_000,
    (n) => ({
      [WF]:
        'on: [push]\nenv:\n' +
        Array.from({ length: n }, (_, i) => `  E${i}: \${{ github.head_ref }}\n`).join('') +
        'jobs:\n' +
        Array.from({ length: n }, (_, i) => `  j${i}:\n    runs-on: x\n    env:\n      J: \${{ github.head_ref }}\n    steps:\n      - uses: actions/checkout@v4\n      - run: echo "\${{ env.E${i} }}" "\${{ github.head_ref }}"\n`).join(''),
    }),
  ],
];

describe('template-injection and persisted-checkout-credentials: linear in the number of jobs', function () {
  this.timeout(300_000);
  for (const [what, n, files] of shapes) {
    it(`${what}: twice the jobs cost at most ~3x`, async () => {
      await scan(files(n / 10));
      const smallFiles = files(n);
      const big = files(2 * n);
      // One garbage collection or another process can push a single measurement over the bound;
      // quadratic work exceeds it every time, so up to three measurements are taken.
      const seen: string[] = [];
      for (let attempt = 0; attempt < 3; attempt++) {
        const small = await scanMs(smallFiles);
        const large = await scanMs(big);
        const t = process.cpuUsage();
        parseAllDocuments(Object.values(big).join('\n'), { uniqueKeys: false });
        const d = process.cpuUsage(t);
        const floor = (d.user + d.system) / 1000;
        if (large <= 3 * small + floor) return;
        seen.push(`${n}: ${small.toFixed(0)} ms, ${2 * n}: ${large.toFixed(0)} ms (parse ${floor.toFixed(0)} ms)`);
      }
      assert.fail(`more than 3x on every measurement: ${seen.join('; ')}`);
    });
  }
});
