import * as assert from 'node:assert/strict';

/** Best of three CPU times of `fn`, in microseconds. */
export function cpuMicros(fn: () => unknown): number {
  let best = Infinity;
  for (let k = 0; k < 3; k++) {
    const t = process.cpuUsage();
    fn();
    const d = process.cpuUsage(t);
    best = Math.min(best, d.user + d.system);
  }
  return best;
}

/**
 * Asserts that `work(2n)` costs less than 3x `work(n)` in CPU time (quadratic work costs ~4x).
 * Times under `floorMicros` count as that floor, so noise on tiny times cannot fail it. A garbage
 * collection or another process landing on the larger run can push one measurement over the bound;
 * quadratic work exceeds it every time, so up to three measurements are taken.
 */
export function assertLinear(what: string, work: (n: number) => () => unknown, n: number, floorMicros = 500): void {
  work(Math.max(1, Math.floor(n / 4)))(); // warm the code
  const seen: string[] = [];
  for (let attempt = 0; attempt < 3; attempt++) {
    const small = cpuMicros(work(n));
    const large = cpuMicros(work(2 * n));
    if (large < 3 * Math.max(small, floorMicros)) return;
    seen.push(`${(small / 1000).toFixed(1)} ms -> ${(large / 1000).toFixed(1)} ms`);
  }
  assert.fail(`${what}: twice the input cost more than 3x on every measurement (${seen.join('; ')})`);
}
