import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync, type Dirent } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CHECKS } from '../../../src/core/checks';
import { Engine } from '../../../src/core/engine';
import { runFixes } from '../../../src/core/fix/engine';
import { DiskSnapshot, MAX_FILES } from '../../../src/core/repo/disk';
import { MemorySnapshot } from '../../../src/core/repo/snapshot';
import { jsonReport } from '../../../src/core/report/json';
import { sarifReport } from '../../../src/core/report/sarif';
import { NO_COLORS, textReport } from '../../../src/core/report/text';

// The file walk on hostile trees, and files or folders that exist but cannot be read (issue 13).
// Tests run as root, and root reads a chmod-0000 file or folder anyway. Unreadability is therefore
// simulated at the boundary the operating system answers through (DiskSnapshot.readDir, a snapshot
// whose readFile throws EACCES, the way the editor's workspace.fs surfaces it), and, where the
// machine allows it, checked for real by running the CLI as `nobody` on a chmod-0000 path.

const ROOT = path.resolve(__dirname, '../../..');
const WF = '.github/workflows/ci.yml';
const WORKFLOW = 'on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n';
const metas = CHECKS.map((c) => c.meta);

function ensureCli(): string {
  const cli = path.join(ROOT, 'dist/cli.js');
  if (!existsSync(cli)) {
    const b = spawnSync(process.execPath, ['esbuild.mjs'], { cwd: ROOT, encoding: 'utf8' });
    assert.equal(b.status, 0, b.stderr);
  }
  return cli;
}

describe('hostile: the file walk', function () {
  this.timeout(300_000);
  let tmp: string;
  before(() => {
    tmp = mkdtempSync(path.join(os.tmpdir(), 'steward-walk-'));
  });
  after(() => rmSync(tmp, { recursive: true, force: true }));

  it('a 201,000-file tree: .github, root files and manifests are still checked, and every format says the walk was capped', async () => {
    const root = path.join(tmp, 'huge');
    mkdirSync(path.join(root, '.github/workflows'), { recursive: true });
    writeFileSync(path.join(root, WF), WORKFLOW);
    writeFileSync(path.join(root, 'SECURITY.md'), '# Security\n\nReport privately: https://github.com/o/r/security/advisories/new\n');
    // 201 folders of 1,000 empty files, made by `touch` (a child process per folder, not 201,000 calls).
    const made = spawnSync('bash', ['-c', 'set -e; for d in $(seq -w 0 200); do mkdir -p "vendor/$d"; (cd "vendor/$d" && seq -f "f%g.txt" 0 999 | xargs touch); done; mkdir -p deep/pkg && echo "{}" > deep/pkg/package.json'], { cwd: root, encoding: 'utf8' });
    assert.equal(made.status, 0, made.stderr);

    const snap = new DiskSnapshot(root);
    const scan = await new Engine(CHECKS).scan(snap);
    const paths = await snap.listFiles();
    assert.ok(paths.includes(WF) && paths.includes('SECURITY.md') && paths.includes('deep/pkg/package.json'));
    assert.ok(paths.length <= MAX_FILES + 10, `${paths.length} paths`);
    assert.ok(scan.findings.some((f) => f.ruleId === 'unpinned-actions' && f.location?.file === WF), 'the workflow was checked');
    assert.equal(scan.results.find((r) => r.checkId === 'missing-security-policy')?.status, 'pass');

    assert.deepEqual(scan.notes.map((n) => n.code), ['walk-capped']);
    const note = scan.notes[0].message;
    assert.match(note, /more files than the walk's limit of 200,000/);
    assert.ok(textReport([scan], metas, { colors: NO_COLORS }).includes(`! ${note}`), 'text report');
    assert.deepEqual(jsonReport([scan], metas, 'test').repositories[0].notes, [{ code: 'walk-capped', path: null, message: note }]);
    const sarif = sarifReport([scan], metas, 'test');
    assert.equal(sarif.runs[0].invocations?.[0].toolExecutionNotifications?.[0].message.text, note);
  });

  it('visits .github first whatever order the file system lists the root in', async () => {
    const root = path.join(tmp, 'order');
    mkdirSync(path.join(root, '.github/workflows'), { recursive: true });
    writeFileSync(path.join(root, WF), WORKFLOW);
    const snap = new DiskSnapshot(root);
    // Readdir order is the file system's: put .github last and make everything else fill the cap.
    const real = snap.readDir;
    snap.maxFiles = 50;
    const fake = (name: string, dir: boolean) => ({ name, isDirectory: () => dir, isFile: () => !dir, isSymbolicLink: () => false }) as unknown as Dirent;
    snap.readDir = (abs) => {
      const rel = path.relative(root, abs);
      if (rel === '') return [...Array.from({ length: 10 }, (_, i) => fake(`d${i}`, true)), fake('.github', true)];
      if (rel === 'd9') return [...Array.from({ length: 20 }, (_, i) => fake(`f${i}.txt`, false)), fake('package.json', false)];
      if (/^d\d$/.test(rel)) return Array.from({ length: 20 }, (_, i) => fake(`f${i}.txt`, false));
      return real(abs);
    };
    const paths = await snap.listFiles();
    assert.ok(paths.includes(WF), 'the workflow is listed');
    // 50 up to the cap (the workflow among them), plus a manifest past it: the checks read it by name.
    assert.ok(paths.includes('d9/package.json'), 'the manifest past the cap is listed');
    assert.equal(paths.length, 51);
    assert.deepEqual(snap.listProblems()?.capped, { limit: 50, listed: 51 });
  });
});

describe('hostile: unreadable is not missing', function () {
  this.timeout(120_000);
  let tmp: string;
  before(() => {
    tmp = mkdtempSync(path.join(os.tmpdir(), 'steward-unreadable-'));
  });
  after(() => rmSync(tmp, { recursive: true, force: true }));

  const eacces = (p: string) => Object.assign(new Error(`EACCES: permission denied, scandir '${p}'`), { code: 'EACCES' });

  it('an unreadable workflows folder is "cannot be read", not "Nothing to check"', async () => {
    const root = path.join(tmp, 'wf');
    mkdirSync(path.join(root, '.github/workflows'), { recursive: true });
    writeFileSync(path.join(root, WF), WORKFLOW);
    const snap = new DiskSnapshot(root);
    const real = snap.readDir;
    snap.readDir = (abs) => {
      if (abs === path.join(root, '.github/workflows')) throw eacces(abs);
      return real(abs);
    };
    const scan = await new Engine(CHECKS).scan(snap);
    const r = scan.results.find((x) => x.checkId === 'unpinned-actions')!;
    assert.equal(r.status, 'unknown');
    assert.equal(r.reason, 'Could not check everything: .github/workflows cannot be read (permission denied)');
    assert.ok(!scan.results.some((x) => x.reason === 'Nothing to check in this repository' && x.checkId === 'unpinned-actions'));
    assert.deepEqual(scan.notes, [{ code: 'unreadable-folder', path: '.github/workflows', message: 'The folder .github/workflows cannot be read (permission denied): nothing in it was checked' }]);
    assert.ok(textReport([scan], metas, { colors: NO_COLORS }).includes('! The folder .github/workflows cannot be read (permission denied)'));
  });

  it('an unreadable SECURITY.md is reported as unreadable, never as missing, and gets no fix', async () => {
    class Locked extends MemorySnapshot {
      override async readFile(p: string): Promise<Uint8Array | undefined> {
        if (p === 'SECURITY.md') throw Object.assign(new Error("EACCES: permission denied, open 'SECURITY.md'"), { code: 'EACCES' });
        return super.readFile(p);
      }
    }
    const snap = new Locked('locked', { [WF]: WORKFLOW, 'SECURITY.md': '# Security\n', 'package.json': '{"name":"x","repository":"github:o/r"}' });
    const scan = await new Engine(CHECKS).scan(snap);
    const r = scan.results.find((x) => x.checkId === 'missing-security-policy')!;
    assert.equal(r.status, 'unknown');
    assert.equal(r.reason, 'Could not check everything: SECURITY.md cannot be read (permission denied)');
    assert.deepEqual(r.findings, []);
    const run = await runFixes(new Engine(CHECKS), snap, { rules: ['missing-security-policy'] });
    assert.deepEqual(run.changes, [], 'nothing written over the unreadable file');
    assert.deepEqual(run.left.filter((l) => l.reason === 'failed'), []);
  });

  it('the CLI as an unprivileged user: a chmod-0000 .github/workflows and SECURITY.md are named, not skipped', function () {
    if (typeof process.getuid !== 'function' || process.getuid() !== 0) this.skip();
    const cli = ensureCli();
    chmodSync(tmp, 0o755);
    const root = path.join(tmp, 'real');
    mkdirSync(path.join(root, '.github/workflows'), { recursive: true });
    writeFileSync(path.join(root, WF), WORKFLOW);
    writeFileSync(path.join(root, 'SECURITY.md'), '# Security\n');
    chmodSync(path.join(root, '.github/workflows'), 0o000);
    chmodSync(path.join(root, 'SECURITY.md'), 0o000);
    try {
      const r = spawnSync(process.execPath, [cli, 'scan', root, '--format', 'json', '--offline'], { encoding: 'utf8', uid: 65534, gid: 65534, timeout: 60_000 });
      if (r.error && /EPERM/.test(String(r.error))) this.skip(); // a container that forbids setuid
      if (/Cannot find module|EACCES.*cli\.js/.test(r.stderr)) this.skip(); // the checkout is not readable by nobody
      const report = JSON.parse(r.stdout) as { checks: { id: string; status: string; reason: string }[]; repositories: { notes: { code: string; path: string | null }[] }[] };
      const by = (id: string) => report.checks.find((c) => c.id === id)!;
      assert.equal(by('missing-security-policy').status, 'unknown', by('missing-security-policy').reason);
      assert.match(by('missing-security-policy').reason, /SECURITY\.md cannot be read \(permission denied\)/);
      assert.equal(by('unpinned-actions').status, 'unknown');
      assert.deepEqual(report.repositories[0].notes.map((n) => [n.code, n.path]), [['unreadable-folder', '.github/workflows']]);
    } finally {
      chmodSync(path.join(root, '.github/workflows'), 0o755);
    }
  });
});
