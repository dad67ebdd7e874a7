import { chmodSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

// Mocha root hook (registered in .mocharc.json's `require`): the unit run gets a temporary folder of
// its own, set as TMPDIR/TMP/TEMP before any test file loads, so os.tmpdir() — in this process and
// in every child it starts — points into it. After the run, anything a test left there fails the run,
// by name; the folder is removed either way. A private folder keeps the check exact on a machine where
// other runs create and remove their own temporary folders at the same time.

const outer = tmpdir();
const runDir = mkdtempSync(path.join(outer, 'steward-test-run-'));
// Traversable like the system temp folder: some tests run the CLI as an unprivileged user.
chmodSync(runDir, 0o755);
for (const k of ['TMPDIR', 'TMP', 'TEMP']) process.env[k] = runDir;

/** Entries tools keep in the temp folder for themselves (not a test's leftovers). */
const TOOL_CACHES = /^(tsx-|v8-compile-cache|node-compile-cache)/;

export const mochaHooks = {
  afterAll(this: unknown): void {
    let left: string[] = [];
    try {
      left = readdirSync(runDir).filter((n) => !TOOL_CACHES.test(n));
    } finally {
      rmSync(runDir, { recursive: true, force: true });
      for (const k of ['TMPDIR', 'TMP', 'TEMP']) process.env[k] = outer;
    }
    if (left.length) {
      throw new Error(`tests left ${left.length} temporary folder${left.length === 1 ? '' : 's'} behind: ${left.sort().join(', ')} (remove them in an after/afterEach hook)`);
    }
  },
};
