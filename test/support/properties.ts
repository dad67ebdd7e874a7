import * as assert from 'node:assert/strict';
import { CHECKS } from '../../src/core/checks';
import type { RepoScan } from '../../src/core/engine';
import { scanFiles } from './check-tester';
import { assertFixRoundTrip } from './fix-tester';

// Shared by the property tests (test/unit/property.test.ts on generated workflows, and
// test/corpus/property-corpus.test.ts on mutated corpus workflows).
// The seed is fixed so a failure reproduces for everyone; FC_SEED=<n> FC_RUNS=<n> explore further.
const SEED = process.env.FC_SEED ? Number(process.env.FC_SEED) : 20261122;
const RUNS = process.env.FC_RUNS ? Number(process.env.FC_RUNS) : undefined;
export const runs = (n: number) => ({ seed: SEED, numRuns: RUNS ?? n, endOnFailure: true });
const HANG_BOUND_MS = 5000;
const FIXABLE = CHECKS.filter((c) => c.meta.fixable);

export async function scanChecked(files: Record<string, string | Uint8Array>): Promise<RepoScan> {
  const t = performance.now();
  const scan = await scanFiles(CHECKS, files);
  const ms = performance.now() - t;
  assert.ok(ms < HANG_BOUND_MS, `scan took ${ms.toFixed(0)} ms`);
  const errors = scan.results.filter((r) => r.status === 'error');
  assert.deepEqual(errors.map((r) => `${r.checkId}: ${r.error ?? r.reason}`), [], 'a check threw');
  return scan;
}

/** Fixes applied by the round-trip properties, so a test can show it exercised some. */
export const applied = new Map<string, number>();

export async function assertAllFixesRoundTrip(files: Record<string, string | Uint8Array>): Promise<void> {
  for (const check of FIXABLE) {
    try {
      const r = await assertFixRoundTrip(check, files, { unsafe: true });
      if (r.applied) applied.set(check.meta.id, (applied.get(check.meta.id) ?? 0) + r.applied);
    } catch (e) {
      (e as Error).message = `${check.meta.id}: ${(e as Error).message}`;
      throw e;
    }
  }
}
