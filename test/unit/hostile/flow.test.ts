import * as assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { main } from '../../../src/cli/main';
import type { Output } from '../../../src/cli/io';
import { ContributionFlow, FlowError } from '../../../src/contribution/flow';
import { git, makeFlowWorld, type FlowWorld } from '../../support/git-fixtures';

// The contribution flow is transactional and never touches the user's work: interrupted at any
// moment, failing to sign, run in a linked worktree, run twice at once, or next to an ignored file
// the base commit tracks, the user's branch, HEAD, index, working tree (ignored files included) and
// stash are exactly as before, and errors are one line with exit code 2.

const ROOT = path.resolve(__dirname, '../../..');

/** Everything of the user's that the flow must not change. */
function userState(dir: string): Record<string, string> {
  const files: string[] = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      if (e.name === '.git') continue;
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else files.push(`${path.relative(dir, p)}\0${createHash('sha256').update(fs.readFileSync(p)).digest('hex')}`);
    }
  };
  walk(dir);
  return {
    branch: git(dir, ['symbolic-ref', '--quiet', 'HEAD']),
    head: git(dir, ['rev-parse', 'HEAD']),
    index: createHash('sha256').update(git(dir, ['ls-files', '-s'])).digest('hex'),
    tree: createHash('sha256').update(files.sort().join('\n')).digest('hex'),
    stash: git(dir, ['stash', 'list']),
    status: git(dir, ['status', '--porcelain', '--ignored']),
    myWork: git(dir, ['rev-parse', 'refs/heads/my-work']),
  };
}

function cli(w: FlowWorld, env: Record<string, string> = {}, cwd = w.clone): { o: Output; out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { o: { out: (s) => out.push(s), err: (s) => err.push(s), isTTY: false, env: { PATH: process.env.PATH, ...env }, cwd }, out, err };
}

function errorLines(err: string[]): string[] {
  return err.join('').split('\n').filter((l) => l.startsWith('steward:'));
}

function leftovers(w: FlowWorld): string[] {
  return fs.readdirSync(path.join(w.clone, '.git')).filter((f) => /^steward/.test(f));
}

/**
 * Git's lock files anywhere under the clone's .git (index.lock, HEAD.lock, packed-refs.lock,
 * refs/heads/x.lock, …): one left behind makes the next git command that needs it refuse ("remove the
 * file manually to continue"). Steward's own lock (.git/steward.lock) is checked on its own.
 */
function gitLocks(w: FlowWorld): string[] {
  const found: string[] = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.lock')) found.push(path.relative(path.join(w.clone, '.git'), p));
    }
  };
  walk(path.join(w.clone, '.git'));
  return found.filter((f) => f !== 'steward.lock').sort();
}

const TSX = require.resolve('tsx/cjs');

/** `steward pr` as a real process (its own signal handlers), in the clone. */
function spawnPr(w: FlowWorld, args: string[]) {
  return spawn(process.execPath, ['--require', TSX, path.join(ROOT, 'src/cli.ts'), 'pr', ...args], {
    cwd: w.clone,
    env: { PATH: process.env.PATH ?? '', HOME: w.root, NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

function closed(child: ReturnType<typeof spawn>): Promise<[number | null, NodeJS.Signals | null]> {
  return new Promise((r) => child.on('close', (c, s) => r([c, s])));
}

async function until(what: string, test: () => boolean, ms = 60_000): Promise<void> {
  for (const end = Date.now() + ms; !test(); ) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe('hostile conditions: the contribution flow never touches the user\'s work', function () {
  this.timeout(120_000);
  let w: FlowWorld | undefined;
  afterEach(async () => {
    if (w) {
      await w.server.close();
      fs.rmSync(w.root, { recursive: true, force: true });
    }
    w = undefined;
  });

  it('interrupted by SIGINT/SIGTERM at several moments: exit 130/143 (or done), one line, state unchanged, lock released', async () => {
    w = await makeFlowWorld();
    // Uncommitted and ignored work in the tree, which the flow must never see or move.
    fs.writeFileSync(path.join(w.clone, 'notes.txt'), 'edited, not committed\n');
    fs.writeFileSync(path.join(w.clone, '.git', 'info', 'exclude'), 'secret.env\n');
    fs.writeFileSync(path.join(w.clone, 'secret.env'), 'TOKEN=mine\n');
    git(w.clone, ['stash', 'push', '-q', '-m', 'older stash', '--', 'notes.txt']);
    fs.writeFileSync(path.join(w.clone, 'notes.txt'), 'edited, not committed\n');
    const before = userState(w.clone);
    const outcomes: string[] = [];
    // Delays count from the moment the flow announces its first network step (signal handlers are
    // installed by then), so every run is interrupted somewhere inside the flow however slow the
    // machine is to start the CLI; -1 kills right after spawning (before the handlers).
    const delays = [-1, 0, 40, 120, 250, 400, 700, 1100];
    for (const [i, delay] of delays.entries()) {
      const signal: NodeJS.Signals = i % 2 ? 'SIGTERM' : 'SIGINT';
      const child = spawnPr(w, ['--concern', 'checkout-credentials', '--github-url', w.server.url]);
      let stderr = '';
      let timer: NodeJS.Timeout | undefined;
      if (delay < 0) timer = setTimeout(() => child.kill(signal), 50);
      child.stderr.on('data', (b: Buffer) => {
        stderr += b.toString();
        if (delay >= 0 && !timer && /Fetching /.test(stderr)) timer = setTimeout(() => child.kill(signal), delay);
      });
      const [code, sig] = await closed(child);
      if (timer) clearTimeout(timer);
      const lines = stderr.split('\n').filter((l) => l.startsWith('steward:'));
      if (code === 0) outcomes.push('done');
      else if (sig === signal) outcomes.push('killed before handlers');
      else {
        assert.equal(code, signal === 'SIGINT' ? 130 : 143, stderr);
        assert.deepEqual(lines, [`steward: interrupted (${signal}): your branch and files are unchanged`]);
        outcomes.push(`${code}`);
      }
      assert.deepEqual(userState(w.clone), before, `after ${signal} at ${delay} ms (${outcomes.at(-1)})`);
      const lock = path.join(w.clone, '.git', 'steward.lock');
      if (outcomes.at(-1) !== 'killed before handlers') assert.equal(fs.existsSync(lock), false, 'lock released');
      assert.deepEqual(leftovers(w).filter((f) => f !== 'steward.lock'), [], 'no temporary index left');
      // No git lock file left (a git killed while updating a ref leaves refs/…/x.lock, and the next run
      // then fails with exit 2: "cannot lock ref … remove the file manually to continue").
      assert.deepEqual(gitLocks(w), [], `git lock files left after ${signal} at ${delay} ms (${outcomes.at(-1)})`);
      // The branch, when it exists, is complete (two commits on the base): never half made.
      const tip = git(w.clone, ['for-each-ref', '--format=%(objectname)', 'refs/heads/steward/checkout-credentials']);
      if (tip) assert.equal(git(w.clone, ['rev-list', '--count', 'origin/main..steward/checkout-credentials']), '2');
    }
    assert.ok(outcomes.filter((o) => o === '130' || o === '143').length >= 3, `runs interrupted inside the flow: ${outcomes.join(', ')}`);
    // A lock left by a killed run is taken over; the next run completes.
    const c = cli(w);
    assert.equal(await main(['pr', '--concern', 'checkout-credentials', '--offline'], c.o), 0, c.err.join(''));
    assert.deepEqual(userState(w.clone), before);
  });

  it('interrupted while git holds a ref lock (held there for certain): git cleans up, no lock is left, the next run works', async () => {
    w = await makeFlowWorld();
    // Upstream moves on, so the fetch really updates refs/remotes/origin/main.
    const up = path.join(w.root, 'up-work');
    git(w.root, ['clone', '-q', w.upstreamBare, up]);
    fs.writeFileSync(path.join(up, 'NEWS.md'), 'upstream moved on\n');
    git(up, ['add', '-A']);
    git(up, ['commit', '-q', '-m', 'Upstream moves on']);
    git(up, ['push', '-q', 'origin', 'HEAD:main']);
    fs.writeFileSync(path.join(w.clone, 'notes.txt'), 'edited, not committed\n');
    const before = userState(w.clone);
    const originMain = git(w.clone, ['rev-parse', 'refs/remotes/origin/main']);
    const gitDir = path.join(w.clone, '.git');
    // git writes a ref's reflog while it holds the ref's lock (between taking refs/…/x.lock and renaming
    // it over the ref): with the reflog a FIFO nobody reads, that update-ref waits there, lock held, for
    // as long as the test wants. No hook involved (Steward runs none).
    const cases: { ref: string; args: string[]; signal: NodeJS.Signals; code: number }[] = [
      { ref: 'refs/remotes/origin/main', args: ['--github-url', w.server.url], signal: 'SIGINT', code: 130 },
      { ref: 'refs/heads/steward/checkout-credentials', args: ['--offline'], signal: 'SIGTERM', code: 143 },
    ];
    for (const k of cases) {
      const log = path.join(gitDir, 'logs', k.ref);
      const saved = fs.existsSync(log) ? fs.readFileSync(log) : undefined;
      fs.mkdirSync(path.dirname(log), { recursive: true });
      fs.rmSync(log, { force: true });
      execFileSync('mkfifo', [log]);
      const child = spawnPr(w, ['--concern', 'checkout-credentials', ...k.args]);
      let stderr = '';
      child.stderr!.on('data', (b: Buffer) => (stderr += b.toString()));
      const done = closed(child);
      const lock = path.join(gitDir, `${k.ref}.lock`);
      await until(`${lock} (${stderr})`, () => fs.existsSync(lock));
      // git registers the lock for its signal clean-up a moment after creating it: stop a git that is
      // held for certain (a signal in that moment is covered by Steward removing the declared lock).
      await new Promise((r) => setTimeout(r, 250));
      child.kill(k.signal);
      const [code] = await done;
      assert.equal(code, k.code, stderr);
      assert.deepEqual(stderr.split('\n').filter((l) => l.startsWith('steward:')), [`steward: interrupted (${k.signal}): your branch and files are unchanged`]);
      assert.deepEqual(gitLocks(w), [], `lock files left after ${k.signal} during the update of ${k.ref}:\n${stderr}`);
      assert.equal(fs.existsSync(path.join(gitDir, 'steward.lock')), false, 'Steward\'s lock released');
      assert.deepEqual(leftovers(w), [], 'no temporary index left');
      // The update was not made (git was stopped before renaming the lock over the ref).
      assert.equal(git(w.clone, ['rev-parse', 'refs/remotes/origin/main']), originMain);
      assert.equal(git(w.clone, ['for-each-ref', 'refs/heads/steward/']), '');
      assert.deepEqual(userState(w.clone), before);
      fs.rmSync(log);
      if (saved) fs.writeFileSync(log, saved);
    }
    // The next run completes (nothing to remove by hand).
    const c = cli(w);
    assert.equal(await main(['pr', '--concern', 'checkout-credentials', '--github-url', w.server.url], c.o), 0, c.err.join(''));
    assert.equal(git(w.clone, ['rev-list', '--count', 'origin/main..steward/checkout-credentials']), '2');
    assert.notEqual(git(w.clone, ['rev-parse', 'refs/remotes/origin/main']), originMain);
    assert.deepEqual(gitLocks(w), []);
    assert.deepEqual(userState(w.clone), before);
  });

  it('a failing signer (the user\'s global gpg.program) stops cleanly with git\'s message; the repository\'s gpg.program never runs', async () => {
    w = await makeFlowWorld();
    const marker = path.join(w.root, 'REPO-GPG-RAN');
    const repoGpg = path.join(w.root, 'repo-gpg.sh');
    fs.writeFileSync(repoGpg, `#!/bin/sh\ntouch '${marker}'\nexit 1\n`, { mode: 0o755 });
    git(w.clone, ['config', 'gpg.program', repoGpg]);
    const failing = path.join(w.root, 'failing-gpg.sh');
    fs.writeFileSync(failing, '#!/bin/sh\necho "gpg: signing failed: No secret key" >&2\nexit 1\n', { mode: 0o755 });
    const globalCfg = path.join(w.root, 'global.gitconfig');
    fs.writeFileSync(globalCfg, `[commit]\n\tgpgSign = true\n[gpg]\n\tprogram = ${failing}\n`);
    const before = userState(w.clone);
    const c = cli(w, { GIT_CONFIG_GLOBAL: globalCfg, HOME: w.root });
    assert.equal(await main(['pr', '--concern', 'checkout-credentials', '--offline'], c.o), 2);
    assert.deepEqual(errorLines(c.err), ['steward: signing the commit failed: gpg failed to sign the data (nothing was changed; fix your signing setup or set commit.gpgSign=false)']);
    assert.deepEqual(userState(w.clone), before);
    assert.equal(git(w.clone, ['branch', '--list', 'steward/*']), '');
    assert.equal(fs.existsSync(marker), false);

    // A signer that works (here a stand-in that emits a signature) signs every commit.
    const working = path.join(w.root, 'working-gpg.sh');
    fs.writeFileSync(working, '#!/bin/sh\ncat >/dev/null\necho "[GNUPG:] SIG_CREATED D 1 8 00 1700000000 ABCD" >&2\nprintf -- "-----BEGIN PGP SIGNATURE-----\\n\\nZmFrZQ==\\n-----END PGP SIGNATURE-----\\n"\n', { mode: 0o755 });
    fs.writeFileSync(globalCfg, `[commit]\n\tgpgSign = true\n[gpg]\n\tprogram = ${working}\n`);
    const ok = cli(w, { GIT_CONFIG_GLOBAL: globalCfg, HOME: w.root });
    assert.equal(await main(['pr', '--concern', 'checkout-credentials', '--offline'], ok.o), 0, ok.err.join(''));
    for (const rev of ['steward/checkout-credentials', 'steward/checkout-credentials~1']) assert.match(git(w.clone, ['cat-file', 'commit', rev]), /^gpgsig -----BEGIN PGP SIGNATURE-----/m);
    assert.deepEqual(userState(w.clone), before);
    assert.equal(fs.existsSync(marker), false);
  });

  it('runs in a linked worktree (.git is a file): lock and branch shared with the main worktree, both untouched', async () => {
    w = await makeFlowWorld();
    const linked = path.join(w.root, 'linked');
    git(w.clone, ['worktree', 'add', '-q', '-b', 'side-work', linked, 'my-work']);
    assert.ok(fs.statSync(path.join(linked, '.git')).isFile());
    const before = userState(w.clone);
    const beforeLinked = { ...userState(linked) };
    const c = cli(w, {}, linked);
    assert.equal(await main(['pr', '--concern', 'checkout-credentials', '--offline', '--body-out', path.join(w.root, 'body.md')], c.o), 0, c.err.join(''));
    assert.equal(git(w.clone, ['rev-list', '--count', 'origin/main..steward/checkout-credentials']), '2');
    assert.deepEqual(userState(w.clone), before);
    assert.deepEqual(userState(linked), beforeLinked);
    assert.deepEqual(leftovers(w), []);
    // The steward branch checked out in the linked worktree: refused, naming it, nothing changed.
    git(linked, ['checkout', '-q', 'steward/checkout-credentials']);
    const tip = git(w.clone, ['rev-parse', 'steward/checkout-credentials']);
    const r = cli(w);
    assert.equal(await main(['pr', '--concern', 'checkout-credentials', '--offline'], r.o), 2);
    assert.deepEqual(errorLines(r.err), [`steward: steward/checkout-credentials is checked out in ${fs.realpathSync(linked)}: switch to another branch first (nothing was changed)`]);
    assert.equal(git(w.clone, ['rev-parse', 'steward/checkout-credentials']), tip);
  });

  it('two concurrent runs in one clone: the second refuses on the lock; no Steward commit lands on the user\'s branch', async () => {
    w = await makeFlowWorld();
    const before = userState(w.clone);
    const opts = { dir: w.clone, concern: 'checkout-credentials', offline: true };
    const results = await Promise.allSettled([new ContributionFlow(opts).run(), new ContributionFlow(opts).run()]);
    const ok = results.filter((r) => r.status === 'fulfilled');
    const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    assert.equal(ok.length, 1);
    assert.equal(refused.length, 1);
    assert.ok(refused[0].reason instanceof FlowError);
    assert.match((refused[0].reason as Error).message, /^another Steward run \(pid \d+\) is preparing a contribution in this clone: wait for it to finish/);
    assert.deepEqual(userState(w.clone), before);
    assert.equal(git(w.clone, ['log', '--format=%s', 'origin/main..my-work']), 'My own work');
    assert.deepEqual(leftovers(w), []);
  });

  it('an ignored, never-committed file at a path the base commit tracks is left alone', async () => {
    w = await makeFlowWorld();
    // Upstream starts tracking config/local.json after the user cloned; the user ignores their own.
    const up = path.join(w.root, 'up-work');
    git(w.root, ['clone', '-q', w.upstreamBare, up]);
    fs.mkdirSync(path.join(up, 'config'));
    fs.writeFileSync(path.join(up, 'config', 'local.json'), '{"upstream": true}\n');
    git(up, ['add', '-A']);
    git(up, ['commit', '-q', '-m', 'Track config/local.json']);
    git(up, ['push', '-q', 'origin', 'HEAD:main']);
    fs.writeFileSync(path.join(w.clone, '.git', 'info', 'exclude'), 'config/\n');
    fs.mkdirSync(path.join(w.clone, 'config'));
    fs.writeFileSync(path.join(w.clone, 'config', 'local.json'), '{"mine": "never committed"}\n');
    const before = userState(w.clone);
    const c = cli(w);
    assert.equal(await main(['pr', '--concern', 'checkout-credentials', '--github-url', w.server.url], c.o), 0, c.err.join(''));
    assert.equal(git(w.clone, ['show', 'steward/checkout-credentials:config/local.json']), '{"upstream": true}');
    assert.equal(fs.readFileSync(path.join(w.clone, 'config', 'local.json'), 'utf8'), '{"mine": "never committed"}\n');
    assert.deepEqual(userState(w.clone), before);
  });

  it('refuses to write through a symlink in the base commit (SECURITY.md -> ../x, .github -> elsewhere)', async () => {
    w = await makeFlowWorld();
    const up = path.join(w.root, 'up-work');
    git(w.root, ['clone', '-q', w.upstreamBare, up]);
    fs.symlinkSync('../outside.md', path.join(up, 'SECURITY.md'));
    git(up, ['add', '-A']);
    git(up, ['commit', '-q', '-m', 'Link the policy']);
    git(up, ['push', '-q', 'origin', 'HEAD:main']);
    const outside = path.join(w.root, 'outside.md');
    fs.writeFileSync(outside, 'not the repository\n');
    const before = userState(w.clone);
    const c = cli(w);
    assert.equal(await main(['pr', '--concern', 'security-policy', '--unsafe', '--github-url', w.server.url], c.o), 2);
    assert.deepEqual(errorLines(c.err), ['steward: refusing to write SECURITY.md: SECURITY.md is a symbolic link in the base commit (nothing was changed)']);
    assert.equal(fs.readFileSync(outside, 'utf8'), 'not the repository\n');
    assert.equal(git(w.clone, ['branch', '--list', 'steward/*']), '');
    assert.deepEqual(userState(w.clone), before);

    // .github itself a link: Steward sees no workflows through it and writes nothing under it.
    git(up, ['rm', '-q', '-r', '.github']);
    fs.symlinkSync('elsewhere', path.join(up, '.github'));
    fs.mkdirSync(path.join(up, 'elsewhere'));
    fs.writeFileSync(path.join(up, 'elsewhere', 'keep'), '');
    git(up, ['add', '-A']);
    git(up, ['commit', '-q', '-m', 'Link .github']);
    git(up, ['push', '-q', 'origin', 'HEAD:main']);
    const d = cli(w);
    assert.equal(await main(['pr', '--concern', 'dependabot', '--github-url', w.server.url], d.o), 2);
    assert.deepEqual(errorLines(d.err), ['steward: refusing to write .github/dependabot.yml: .github is a symbolic link in the base commit (nothing was changed)']);
    assert.deepEqual(userState(w.clone), before);
  });

  it('offline (--offline, or the remote unreachable): plans on origin/HEAD, says the base may be stale, makes branch, commits and PR text with no network call', async () => {
    w = await makeFlowWorld();
    const before = userState(w.clone);
    w.server.resetCounts();
    const body = path.join(w.root, 'body.md');
    const patches = path.join(w.root, 'patches');
    const c = cli(w, { GITHUB_TOKEN: 'ghp_secrettoken123' });
    assert.equal(await main(['pr', '--concern', 'checkout-credentials', '--offline', '--body-out', body, '--patches', patches, '--github-url', w.server.url], c.o), 0, c.err.join(''));
    assert.equal(w.server.requests.length, 0, 'no request reached the server');
    assert.match(c.out.join(''), /! Planned against origin\/main as last fetched \(offline\): the base may be stale/);
    assert.equal(git(w.clone, ['rev-list', '--count', 'origin/main..steward/checkout-credentials']), '2');
    assert.match(fs.readFileSync(body, 'utf8'), /persist-credentials: false/);
    assert.equal(fs.readdirSync(patches).length, 3);
    assert.deepEqual(userState(w.clone), before);

    // Pushing is what needs the network: one line naming the flag.
    const p = cli(w);
    assert.equal(await main(['pr', '--concern', 'checkout-credentials', '--offline', '--push', '--remote', 'fork'], p.o), 2);
    assert.deepEqual(errorLines(p.err), ['steward: pushing needs the network: run without --offline / STEWARD_OFFLINE (or leave out --push and publish the branch later)']);

    // The remote unreachable (a closed port) without --offline: the same plan, with the reason.
    git(w.clone, ['remote', 'set-url', 'origin', 'http://127.0.0.1:9/upstream-org/widget.git']);
    git(w.clone, ['branch', '-D', '-q', 'steward/checkout-credentials']);
    const u = cli(w);
    assert.equal(await main(['pr', '--concern', 'checkout-credentials', '--dry-run'], u.o), 0, u.err.join(''));
    assert.match(u.out.join(''), /! Planned against origin\/main as last fetched \(remote "origin" cannot be reached|Planned against origin\/main as last fetched \(origin cannot be reached\)/);
  });

  it('pr refusals from the GitHub API are one line with exit 2', async () => {
    w = await makeFlowWorld();
    w.server.fail('POST', '/api/v3/repos/:owner/:repo/pulls', { status: 422, json: { message: 'Validation Failed', errors: [{ message: 'A pull request already exists' }] } });
    const c = cli(w, { GITHUB_TOKEN: 'ghp_secrettoken123' });
    assert.equal(await main(['pr', '--concern', 'checkout-credentials', '--push', '--remote', 'fork', '--github-url', w.server.url], c.o), 2, c.err.join(''));
    const lines = errorLines(c.err);
    assert.equal(lines.length, 1, c.err.join(''));
    assert.match(lines[0], /\(the commits are kept on local branch steward\/checkout-credentials\)$/);
    assert.doesNotMatch(c.err.join(''), /internal error|ghp_secrettoken123/);
  });
});
