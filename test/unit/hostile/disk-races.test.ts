import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, renameSync, rmSync, symlinkSync, writeFileSync, type Stats } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DiskSnapshot } from '../../../src/core/repo/disk';

// DiskSnapshot reads with synchronous system calls (issue 19). What it looked at may change before it
// opens the file: a folder or the file itself swapped for a link out of the repository, a FIFO put in
// a file's place, a file that grows. Each race is made deterministic here by swapping after the check
// (or by making the check see the earlier state), and the read must still refuse, never block and
// never return part of a file.

const ROOT = path.resolve(__dirname, '../../..');
const WF = '.github/workflows/ci.yml';
const SECRET = 'on: push\n# secret-marker outside the repository\n';

/** The real node:fs module object (disk.ts calls through it, so a patch here is what it sees). */
const realFs = require('node:fs') as Record<string, (...a: unknown[]) => unknown>;

function patched<T>(name: string, impl: (orig: (...a: unknown[]) => unknown) => (...a: unknown[]) => unknown, fn: () => T): T {
  const orig = realFs[name];
  realFs[name] = impl(orig);
  try {
    return fn();
  } finally {
    realFs[name] = orig;
  }
}

describe('hostile: DiskSnapshot when the repository changes while it is read', function () {
  this.timeout(60_000);
  let tmp: string;
  let root: string;
  let outside: string;
  beforeEach(() => {
    tmp = mkdtempSync(path.join(os.tmpdir(), 'steward-races-'));
    root = path.join(tmp, 'repo');
    outside = path.join(tmp, 'outside');
    mkdirSync(path.join(root, '.github/workflows'), { recursive: true });
    mkdirSync(path.join(outside, 'workflows'), { recursive: true });
    writeFileSync(path.join(root, WF), 'on: push\njobs: {}\n');
    writeFileSync(path.join(outside, 'workflows/ci.yml'), SECRET);
    writeFileSync(path.join(outside, 'secret.yml'), SECRET);
  });
  afterEach(() => rmSync(tmp, { recursive: true, force: true }));

  it('a folder swapped for a link out of the repository after it was checked is not read through', async function () {
    if (process.platform !== 'linux') this.skip(); // the check after opening needs /proc/self/fd
    const snap = new DiskSnapshot(root);
    assert.equal(Buffer.from((await snap.readFile(WF))!).toString(), 'on: push\njobs: {}\n');
    // The folder check of .github/workflows is cached now; swap .github for a link to outside.
    renameSync(path.join(root, '.github'), path.join(tmp, 'old-github'));
    symlinkSync(outside, path.join(root, '.github'));
    assert.equal(await snap.readFile(WF), undefined);
    assert.equal(snap.readError(WF), 'is inside a folder that is a symbolic link pointing outside the repository (not followed)');
    assert.equal(await snap.readHead(WF, 10), undefined);
  });

  it('without the check after opening (no /proc), the swapped folder would be read: the check is what refuses it', async function () {
    if (process.platform !== 'linux') this.skip();
    const snap = new DiskSnapshot(root);
    await snap.readFile(WF);
    renameSync(path.join(root, '.github'), path.join(tmp, 'old-github'));
    symlinkSync(outside, path.join(root, '.github'));
    snap.fdLinks = undefined;
    // This documents the race the check closes; the folder check alone (cached) lets it through.
    assert.equal(Buffer.from((await snap.readFile(WF))!).toString(), SECRET);
  });

  it('a file swapped for a link out of the repository after its lstat is not followed (O_NOFOLLOW)', async () => {
    const file = path.join(root, WF);
    const regular = realFs.lstatSync(file) as Stats;
    rmSync(file);
    symlinkSync(path.join(outside, 'secret.yml'), file);
    const snap = new DiskSnapshot(root);
    // The lstat still sees the regular file that was there: the open is what meets the link.
    const bytes = await patched('lstatSync', (orig) => (p, ...rest) => (p === file ? regular : orig(p, ...rest)), () => snap.readFile(WF));
    assert.equal(bytes, undefined);
    assert.equal(snap.readError(WF), 'was replaced by a symbolic link while being read (not followed)');
  });

  it('a FIFO put in a file\'s place after its lstat is opened without blocking and not read', function () {
    if (process.platform === 'win32') this.skip();
    const fifo = path.join(root, '.github/workflows/pipe.yml');
    if (spawnSync('mkfifo', [fifo]).status !== 0) this.skip();
    // In a child process: a regression (a blocking open) hangs it, and the time limit turns that into
    // a failure instead of a hung test run.
    const script = `
      const fs = require('node:fs');
      const { DiskSnapshot } = require(${JSON.stringify(path.join(ROOT, 'src/core/repo/disk.ts'))});
      const regular = fs.lstatSync(${JSON.stringify(path.join(root, WF))});
      const orig = fs.lstatSync;
      fs.lstatSync = (p, ...rest) => (p === ${JSON.stringify(fifo)} ? regular : orig(p, ...rest));
      const snap = new DiskSnapshot(${JSON.stringify(root)});
      Promise.all([snap.readFile('.github/workflows/pipe.yml'), snap.readHead('.github/workflows/pipe.yml', 100)]).then((r) => {
        process.stdout.write(JSON.stringify(r.map((x) => x === undefined ? 'undefined' : 'bytes')));
      });`;
    const r = spawnSync(process.execPath, ['--require', 'tsx/cjs', '-e', script], { cwd: ROOT, encoding: 'utf8', timeout: 20_000 });
    assert.equal(r.signal, null, 'the read blocked on the FIFO');
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, '["undefined","undefined"]');
  });

  it('a file that grew after its fstat is read to its end, not cut at the old size', async () => {
    const big = 'x'.repeat(300_000) + '\nend\n';
    writeFileSync(path.join(root, 'notes.txt'), big);
    const snap = new DiskSnapshot(root);
    // fstat reports the size before the file grew.
    const bytes = await patched('fstatSync', (orig) => (...a) => Object.assign(Object.create(Object.getPrototypeOf(orig(...a))), orig(...a), { size: 10 }), () => snap.readFile('notes.txt'));
    assert.equal(Buffer.from(bytes!).toString(), big);
    const head = await snap.readHead('notes.txt', 65536);
    assert.equal(head!.length, 65536);
    assert.equal(Buffer.from(head!).toString(), big.slice(0, 65536));
  });

  it('a file that shrank after its fstat is read to where it ends now', async () => {
    writeFileSync(path.join(root, 'notes.txt'), 'short\n');
    const snap = new DiskSnapshot(root);
    const bytes = await patched('fstatSync', (orig) => (...a) => Object.assign(Object.create(Object.getPrototypeOf(orig(...a))), orig(...a), { size: 100_000 }), () => snap.readFile('notes.txt'));
    assert.equal(Buffer.from(bytes!).toString(), 'short\n');
    assert.equal((await snap.readFile('empty.txt')), undefined);
    writeFileSync(path.join(root, 'empty.txt'), '');
    assert.equal((await snap.readFile('empty.txt'))!.length, 0);
  });

  it('the size limit is checked on the open file', async () => {
    writeFileSync(path.join(root, 'notes.txt'), 'small\n');
    const snap = new DiskSnapshot(root);
    const bytes = await patched('fstatSync', (orig) => (...a) => Object.assign(Object.create(Object.getPrototypeOf(orig(...a))), orig(...a), { size: 65 * 1048576 }), () => snap.readFile('notes.txt'));
    assert.equal(bytes, undefined);
    assert.equal(snap.readError('notes.txt'), 'is too large to read (65 MB)');
  });
});
