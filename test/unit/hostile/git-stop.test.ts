import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { resumeGitChildren, runLockedDownGit, stopGitChildren, updateRefLocks, type GitRun } from '../../../src/github/git';
import { git, tempDir } from '../../support/git-fixtures';

// A git that Steward stops (Ctrl-C of `steward pr`, or git's idle timeout) in the middle of a ref
// update must not leave its lock file behind: refs/heads/x.lock makes every later update of that ref
// refuse ("remove the file manually to continue"). The git here is held for certain at the point where
// it holds the lock: git writes the ref's reflog between taking refs/…/x.lock and renaming it over the
// ref, and the reflog is a FIFO nobody reads. No hook runs (Steward's git runs none).

const REF = 'refs/heads/steward/held';

describe('stopping git children never leaves a lock file behind', function () {
  this.timeout(60_000);
  let root: string;
  let repo: string;
  let sha: string;
  let lock: string;
  beforeEach(() => {
    root = tempDir();
    repo = path.join(root, 'repo');
    fs.mkdirSync(repo);
    git(repo, ['init', '-q']);
    git(repo, ['commit', '-q', '--allow-empty', '-m', 'base']);
    sha = git(repo, ['rev-parse', 'HEAD']);
    const log = path.join(repo, '.git', 'logs', REF);
    fs.mkdirSync(path.dirname(log), { recursive: true });
    execFileSync('mkfifo', [log]);
    lock = path.join(repo, '.git', `${REF}.lock`);
  });
  afterEach(() => {
    resumeGitChildren();
    fs.rmSync(root, { recursive: true, force: true });
  });

  async function held(opts: Parameters<typeof runLockedDownGit>[2] = {}): Promise<{ run: Promise<GitRun>; settled: () => boolean }> {
    let settled = false;
    const run = runLockedDownGit(repo, ['update-ref', '-m', 'held', REF, sha], { env: { PATH: process.env.PATH, HOME: root }, ...opts });
    void run.then(() => (settled = true));
    for (const end = Date.now() + 30_000; !fs.existsSync(lock); await new Promise((r) => setTimeout(r, 5))) {
      if (Date.now() > end) throw new Error('git never took the lock');
    }
    // git creates the lock a moment before it registers it for its signal clean-up and goes on to the
    // reflog (the FIFO, where it waits): a signal in that moment leaves the lock (see `signalled` in
    // src/github/git.ts). Give it that moment, so the tests stop a git that is held for certain.
    await new Promise((r) => setTimeout(r, 250));
    return { run, settled: () => settled };
  }

  const stop = (graceMs?: number) => new Promise<void>((r) => stopGitChildren(r, graceMs));

  it('on stop, git gets SIGTERM and removes its own lock; the ref is not updated and the result is never delivered', async () => {
    const h = await held({ locks: [] });
    await stop();
    assert.equal(fs.existsSync(lock), false, 'lock removed by git itself');
    assert.equal(git(repo, ['for-each-ref', REF]), '');
    await new Promise((r) => setImmediate(r));
    assert.equal(h.settled(), false, 'a stopped git reports nothing (the process is exiting)');
    // Stopped: nothing new starts either.
    const other = path.join(repo, '.git', 'refs', 'heads', 'other');
    void runLockedDownGit(repo, ['update-ref', 'refs/heads/other', sha], { env: { PATH: process.env.PATH, HOME: root } });
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(fs.existsSync(other), false);
  });

  it('with nothing running, stop calls back at once', () => {
    let called = false;
    stopGitChildren(() => (called = true));
    assert.equal(called, true);
  });

  it('the idle timeout stops git the same way: lock removed, non-zero result', async () => {
    const h = await held({ timeoutMs: 200 });
    const r = await h.run;
    assert.notEqual(r.code, 0);
    assert.equal(fs.existsSync(lock), false);
    assert.equal(git(repo, ['for-each-ref', REF]), '');
  });

  it('a git that ignores SIGTERM is SIGKILLed after the grace, then only the locks it created are removed', async () => {
    // A wrapper named git that blocks SIGTERM/SIGINT/SIGHUP (a blocked signal stays blocked across
    // exec), so git's own clean-up cannot run and Steward's has to.
    const realGit = execFileSync('sh', ['-c', 'command -v git'], { encoding: 'utf8' }).trim();
    const bin = path.join(root, 'bin');
    fs.mkdirSync(bin);
    fs.writeFileSync(path.join(bin, 'git'), `#!/bin/sh\nexec perl -MPOSIX -e 'sigprocmask(SIG_BLOCK, POSIX::SigSet->new(SIGTERM, SIGINT, SIGHUP)) or die; exec { $ARGV[0] } @ARGV or die' '${realGit}' "$@"\n`, { mode: 0o755 });
    // A lock another git holds (there before ours started): never removed, even though it is declared.
    const foreign = path.join(repo, '.git', 'packed-refs.lock');
    fs.writeFileSync(foreign, '');
    const h = await held({ env: { PATH: `${bin}:${process.env.PATH}`, HOME: root }, locks: [lock, foreign] });
    // The first stop waits the full grace; a second one (another Ctrl-C) does not wait any longer.
    let firstDone = false;
    stopGitChildren(() => (firstDone = true));
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(fs.existsSync(lock), true, 'SIGTERM is blocked: git still holds its lock');
    await stop(0);
    assert.equal(fs.existsSync(lock), false, 'the lock the killed git created is removed for it');
    assert.equal(fs.existsSync(foreign), true, 'a lock that was there before is left alone');
    assert.equal(git(repo, ['for-each-ref', REF]), '');
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(firstDone, true);
    assert.equal(h.settled(), false);
  });

  it('a git stopped with SIGTERM between creating a lock and registering it for clean-up: the lock it created is removed for it', async () => {
    // git creates refs/…/x.lock and only then registers it for its signal clean-up; a SIGTERM in that
    // window (seen on a loaded machine) ends git with the lock left. A stand-in named git that takes the
    // lock and exits on SIGTERM without removing it holds that window open.
    fs.rmSync(path.join(repo, '.git', 'logs', REF));
    const bin = path.join(root, 'bin');
    fs.mkdirSync(bin);
    const realGit = execFileSync('sh', ['-c', 'command -v git'], { encoding: 'utf8' }).trim();
    const standIn = `trap 'exit 143' TERM; mkdir -p '${path.dirname(lock)}'; : > '${lock}'; while :; do sleep 0.05; done`;
    // Only the update-ref is the stand-in; any other git Steward runs (its configuration reads) is git.
    fs.writeFileSync(path.join(bin, 'git'), `#!/bin/sh\ncase " $* " in *" update-ref "*) ${standIn} ;; esac\nexec '${realGit}' "$@"\n`, { mode: 0o755 });
    const foreign = path.join(repo, '.git', 'packed-refs.lock');
    fs.writeFileSync(foreign, '');
    const h = await held({ env: { PATH: `${bin}:${process.env.PATH}`, HOME: root }, locks: [lock, foreign] });
    await stop();
    assert.equal(fs.existsSync(lock), false, 'the lock the stopped git created is removed for it');
    assert.equal(fs.existsSync(foreign), true, 'a lock that was there before is left alone');
    assert.equal(h.settled(), false);
  });

  it('a SIGKILLed git that was given no locks leaves the repository\'s locks alone', async () => {
    const realGit = execFileSync('sh', ['-c', 'command -v git'], { encoding: 'utf8' }).trim();
    const bin = path.join(root, 'bin');
    fs.mkdirSync(bin);
    fs.writeFileSync(path.join(bin, 'git'), `#!/bin/sh\nexec perl -MPOSIX -e 'sigprocmask(SIG_BLOCK, POSIX::SigSet->new(SIGTERM)) or die; exec { $ARGV[0] } @ARGV or die' '${realGit}' "$@"\n`, { mode: 0o755 });
    await held({ env: { PATH: `${bin}:${process.env.PATH}`, HOME: root } });
    await stop(0);
    // Nothing declared, nothing removed (here the lock is the killed git's, left as before the fix).
    assert.equal(fs.existsSync(lock), true);
    fs.rmSync(lock);
  });

  it('updateRefLocks names the locks update-ref takes, per worktree or shared', () => {
    const g = '/r/.git/worktrees/w';
    const c = '/r/.git';
    assert.deepEqual(updateRefLocks(['update-ref', '-m', 'steward: fetch', 'refs/remotes/origin/main', 'abc'], undefined, g, c), ['/r/.git/refs/remotes/origin/main.lock']);
    assert.deepEqual(updateRefLocks(['update-ref', '-m', 'x', 'refs/heads/steward/a', 'abc', '000'], undefined, g, c), ['/r/.git/refs/heads/steward/a.lock']);
    assert.deepEqual(updateRefLocks(['update-ref', '-d', 'refs/heads/steward/a'], undefined, g, c), ['/r/.git/refs/heads/steward/a.lock', '/r/.git/packed-refs.lock']);
    assert.deepEqual(updateRefLocks(['update-ref', 'HEAD', 'abc'], undefined, g, c), ['/r/.git/worktrees/w/HEAD.lock']);
    assert.deepEqual(updateRefLocks(['update-ref', 'refs/bisect/bad', 'abc'], undefined, g, c), ['/r/.git/worktrees/w/refs/bisect/bad.lock']);
    assert.deepEqual(updateRefLocks(['update-ref', '--stdin'], 'start\nupdate refs/have/0 abc\ndelete refs/x\ncommit\n', g, c), ['/r/.git/refs/have/0.lock', '/r/.git/refs/x.lock', '/r/.git/packed-refs.lock']);
    assert.deepEqual(updateRefLocks(['update-ref', 'refs/../../etc/x', 'abc'], undefined, g, c), []);
    assert.deepEqual(updateRefLocks(['rev-parse', 'HEAD'], undefined, g, c), []);
  });
});
