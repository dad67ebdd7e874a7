import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { CHECKS } from '../../src/core/checks';
import { Engine, type RepoScan } from '../../src/core/engine';
import { DiskSnapshot } from '../../src/core/repo/disk';

// Offline the online action audits only count the sites they would look at (none: pass, "nothing to
// look at"; some: unknown, "online features are off"); each counts per file, kept per file content
// under its own key (countSites in action-sites.ts). Re-checks that take each count from none to some
// and back, file by file, are compared with fresh scans: a count kept past an edit, or one audit's count
// taken for another's, fails them.

const AUDITS = ['stale-action-refs', 'ref-version-mismatch', 'impostor-commit', 'known-vulnerable-actions', 'archived-uses'];
const SHA = 'a'.repeat(40);
const WF = '.github/workflows/ci.yml';
const OTHER = '.github/workflows/other.yml';
const ACTION = '.github/actions/setup/action.yml';

function workflow(steps: string[]): string {
  return `on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n${steps.map((s) => `      - uses: ${s}\n`).join('')}`;
}

const pick = (s: RepoScan) => s.results.filter((r) => AUDITS.includes(r.checkId)).map((r) => ({ id: r.checkId, status: r.status, reason: r.reason, findings: r.findings }));

describe('re-check: the offline action audits count sites per file, kept per file content', () => {
  let dir: string;
  const write = (p: string, t: string) => {
    mkdirSync(path.dirname(path.join(dir, p)), { recursive: true });
    writeFileSync(path.join(dir, p), t);
  };
  const UNPINNED = 'actions/setup-node@v4';
  const LABELLED = `actions/checkout@${SHA} # v4.2.2`;
  const BARE = `actions/cache@${SHA}`;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'steward-recheck-sites-'));
    write(WF, workflow([UNPINNED]));
    write(OTHER, workflow([UNPINNED]));
    write(ACTION, action([UNPINNED]));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  const action = (uses: string[]) => `name: setup\nruns:\n  using: composite\n  steps:\n${uses.map((u) => `    - uses: ${u}\n`).join('')}`;
  const status = (r: ReturnType<typeof pick>, id: string) => r.find((x) => x.id === id)!.status;

  it('every edit that takes a count from none to some or back is seen, by each audit', async () => {
    const snap = new DiskSnapshot(dir);
    const engine = new Engine(CHECKS);
    const fresh = async () => pick(await new Engine(CHECKS).scan(new DiskSnapshot(dir)));
    assert.deepEqual(pick(await engine.scan(snap)), await fresh());
    const edits: [string, string, Record<string, string>?][] = [
      [WF, workflow([UNPINNED, LABELLED]), { 'ref-version-mismatch': 'unknown', 'stale-action-refs': 'pass', 'impostor-commit': 'unknown' }],
      [WF, workflow([UNPINNED]), { 'ref-version-mismatch': 'pass', 'impostor-commit': 'pass', 'known-vulnerable-actions': 'unknown' }],
      [OTHER, workflow([BARE]), { 'ref-version-mismatch': 'pass', 'stale-action-refs': 'unknown', 'impostor-commit': 'unknown' }],
      [ACTION, action([LABELLED]), { 'ref-version-mismatch': 'unknown', 'stale-action-refs': 'unknown' }],
      [OTHER, workflow([UNPINNED]), { 'ref-version-mismatch': 'unknown', 'stale-action-refs': 'pass' }],
      [ACTION, action(['actions/create-release@v1'])],
      [WF, 'on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo hi\n'],
      [OTHER, 'on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo hi\n'],
      [ACTION, action([]).replace('  steps:\n', '  steps: []\n'), { 'known-vulnerable-actions': 'pass', 'archived-uses': 'pass' }],
    ];
    for (const [p, text, want] of edits) {
      write(p, text);
      const got = pick(await engine.scan(snap, { changed: [p] }));
      assert.deepEqual(got, await fresh(), `after the edit of ${p}`);
      for (const [id, st] of Object.entries(want ?? {})) assert.equal(status(got, id), st, `${id} after the edit of ${p}`);
    }
  });
});
