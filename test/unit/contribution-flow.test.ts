import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ContributionFlow, FlowError, type FlowOptions } from '../../src/contribution/flow';
import { PortFlowGitHub } from '../../src/contribution/github';
import { createGitHubServices } from '../../src/github';
import { DeferredFixRegistry } from '../../src/core/fix/deferred';
import { main } from '../../src/cli/main';
import type { Output } from '../../src/cli/io';
import { git, makeFlowWorld, type FlowWorld as World } from '../support/git-fixtures';

// The security contribution flow end to end: real repositories on disk (a bare upstream and a bare
// fork served over git's smart HTTP by the local GitHub stand-in, a clone as the workspace), the
// REST endpoints for forks and pull requests, and every failure path ending with the user's branch
// checked out and their files unchanged.

function run(cwd: string, args: string[]): string {
  return git(cwd, args);
}

function services(w: World, token = 'test-token') {
  return createGitHubServices({ url: w.server.url, token, cacheDir: path.join(w.root, 'cache'), retryBaseMs: 1 });
}

function flowOptions(w: World, extra: Partial<FlowOptions> = {}): FlowOptions {
  const s = services(w);
  const providers = new DeferredFixRegistry();
  providers.register(s.pinProvider);
  return { dir: w.clone, providers, ...extra };
}

function snapshotOfClone(w: World): { branch: string; status: string; files: Record<string, string> } {
  const files: Record<string, string> = {};
  for (const f of ['notes.txt', '.github/workflows/ci.yml', '.github/workflows/release.yml']) files[f] = fs.readFileSync(path.join(w.clone, f), 'utf8');
  return { branch: run(w.clone, ['rev-parse', '--abbrev-ref', 'HEAD']), status: run(w.clone, ['status', '--porcelain']), files };
}

describe('contribution flow', function () {
  this.timeout(60_000);
  let w: World;
  afterEach(async () => {
    await w?.server.close();
    if (w) fs.rmSync(w.root, { recursive: true, force: true });
  });

  it('dry run: plans against the default branch, prints diff and PR text, changes nothing', async () => {
    w = await makeFlowWorld();
    const before = snapshotOfClone(w);
    const bodyOut = path.join(w.root, 'body.md');
    const r = await new ContributionFlow(flowOptions(w, { concern: 'pin-actions', dryRun: true, bodyOut })).run();
    assert.equal(r.plan.branch, 'steward/pin-actions');
    assert.equal(r.plan.baseBranch, 'main');
    assert.deepEqual(r.plan.changes.map((c) => c.title), ['Pin actions in ci.yml to commit SHAs', 'Pin actions in release.yml to commit SHAs']);
    assert.match(r.plan.diff, /-      - uses: actions\/checkout@v4\n\+      - uses: actions\/checkout@[0-9a-f]{40} # v4\.2\.2/);
    assert.deepEqual(r.committed, []);
    assert.deepEqual(snapshotOfClone(w), before);
    assert.equal(run(w.clone, ['branch', '--list', 'steward/*']), '');
    const body = fs.readFileSync(bodyOut, 'utf8');
    for (const section of ['## Description', '### What changed', '### Why this matters', '## What could break', '## How to test', '## How to undo', '## Evidence', '## Check this PR yourself', '## Background', '## Checklist', '- [ ] I have read CONTRIBUTING.md', '- [ ] Tests pass', 'Signed-off-by']) {
      assert.ok(body.includes(section), `PR text lacks ${section}`);
    }
    assert.match(body, /\| actions\/checkout \| `v4` \| `[0-9a-f]{12}` \| v4\.2\.2 \|/);
  });

  it('commits one change per file with sign-off on steward/<concern>, pushes to the fork, returns to the original branch; a second run updates', async () => {
    w = await makeFlowWorld();
    const before = snapshotOfClone(w);
    const bodyOut = path.join(w.root, 'body.md');
    const r = await new ContributionFlow(flowOptions(w, { concern: 'checkout-credentials', push: true, remote: 'fork', bodyOut })).run();
    assert.equal(r.committed.length, 2);
    assert.deepEqual(snapshotOfClone(w), before, 'workspace back on my-work with my files unchanged');
    const forkHead = run(w.forkBare, ['rev-parse', 'refs/heads/steward/checkout-credentials']);
    assert.equal(forkHead, r.committed[1]);
    const log = run(w.forkBare, ['log', '--format=%an <%ae>|%s|%b%x00', 'main..steward/checkout-credentials']).split('\0').map((s) => s.trim()).filter(Boolean);
    assert.equal(log.length, 2);
    for (const entry of log) {
      assert.match(entry, /^Casey Contributor <casey@example\.org>\|/);
      assert.match(entry, /Signed-off-by: Casey Contributor <casey@example\.org>/);
      assert.match(entry, /Steward-Concern: checkout-credentials/);
    }
    const files = run(w.forkBare, ['diff', '--name-only', 'main', 'steward/checkout-credentials']).split('\n');
    assert.deepEqual(files, ['.github/workflows/ci.yml', '.github/workflows/release.yml']);
    assert.match(fs.readFileSync(bodyOut, 'utf8'), /## Description[\s\S]*changes 2 files \(\+\d+ −\d+ lines\) in 2 commits/);

    // Second run: same branch, replaced with --force-with-lease (or up to date), no second branch.
    const again = await new ContributionFlow(flowOptions(w, { concern: 'checkout-credentials', push: true, remote: 'fork' })).run();
    assert.ok(again.upToDate || again.pushedTo);
    assert.equal(run(w.forkBare, ['for-each-ref', '--format=%(refname)', 'refs/heads/steward/']), 'refs/heads/steward/checkout-credentials');
    assert.deepEqual(snapshotOfClone(w), before);
  });

  it('finds or creates the fork through the API and opens a draft PR; re-running updates the same PR', async () => {
    w = await makeFlowWorld({ fork: false });
    const gh = new PortFlowGitHub(services(w).github, { forkWaitMs: 1 });
    const r = await new ContributionFlow(flowOptions(w, { concern: 'checkout-credentials', push: true, github: gh })).run();
    assert.equal(w.server.count('/api/v3/repos/upstream-org/widget/forks', 'POST'), 1);
    assert.ok(r.pr && !r.pr.updated);
    assert.equal(w.prBodies.length, 1);
    const pr = w.prBodies[0];
    assert.equal(pr.draft, true);
    assert.equal(pr.head, 'contributor:steward/checkout-credentials');
    assert.equal(pr.base, 'main');
    assert.equal(pr.title, "Don't persist the checkout token in workflows");
    assert.match(String(pr.body), /## How to undo/);
    assert.ok(fs.existsSync(w.forkBare));

    const second = await new ContributionFlow(flowOptions(w, { concern: 'checkout-credentials', push: true, github: gh })).run();
    assert.ok(second.pr?.updated);
    assert.equal(w.prBodies.length, 1, 'no second PR');
    assert.equal(w.patches.length, 1);
    assert.equal(w.server.count('/api/v3/repos/upstream-org/widget/forks', 'POST'), 1, 'fork is reused');
  });

  it('works beside uncommitted changes and a merge in progress without touching them (--stash is accepted and not needed)', async () => {
    w = await makeFlowWorld();
    fs.writeFileSync(path.join(w.clone, 'notes.txt'), 'edited but not committed\n');
    fs.writeFileSync(path.join(w.clone, '.git', 'MERGE_HEAD'), run(w.clone, ['rev-parse', 'HEAD']) + '\n');
    const before = snapshotOfClone(w);
    const index = run(w.clone, ['ls-files', '-s']);
    const r = await new ContributionFlow(flowOptions(w, { concern: 'checkout-credentials' })).run();
    assert.equal(r.committed.length, 2);
    assert.deepEqual(snapshotOfClone(w), before, 'edit and branch untouched');
    assert.equal(run(w.clone, ['ls-files', '-s']), index);
    assert.equal(run(w.clone, ['stash', 'list']), '');
    assert.equal(run(w.clone, ['rev-parse', 'steward/checkout-credentials~2']), run(w.clone, ['rev-parse', 'origin/main']));
    const again = await new ContributionFlow(flowOptions(w, { concern: 'checkout-credentials', stash: true })).run();
    assert.equal(again.committed.length, 2);
    assert.deepEqual(snapshotOfClone(w), before);
    assert.equal(run(w.clone, ['stash', 'list']), '');
  });

  it('a rejected push and a failing API leave the user on their branch with files unchanged', async () => {
    w = await makeFlowWorld();
    // Someone else's commit already sits on the fork's steward branch: never force-push over it.
    const other = path.join(w.root, 'other');
    run(w.root, ['clone', '-q', w.forkBare, other]);
    run(other, ['checkout', '-q', '-b', 'steward/checkout-credentials']);
    fs.writeFileSync(path.join(other, 'x.txt'), 'not ours\n');
    run(other, ['add', 'x.txt']);
    run(other, ['commit', '-q', '-m', 'Somebody else']);
    run(other, ['push', '-q', 'origin', 'steward/checkout-credentials']);
    const before = snapshotOfClone(w);
    await assert.rejects(new ContributionFlow(flowOptions(w, { concern: 'checkout-credentials', push: true, remote: 'fork' })).run(), (e: Error) => e instanceof FlowError && /commit\(s\) Steward did not make/.test(e.message));
    assert.deepEqual(snapshotOfClone(w), before);
    assert.equal(run(w.forkBare, ['log', '-1', '--format=%s', 'steward/checkout-credentials']), 'Somebody else');

    // API failure while opening the PR: the user's branch and files are untouched; commits are kept.
    const w2 = await makeFlowWorld();
    try {
      w2.server.fail('POST', '/api/v3/repos/:owner/:repo/pulls', { status: 500, json: { message: 'Server Error' } });
      const gh = new PortFlowGitHub(services(w2).github, { forkWaitMs: 1 });
      const before2 = snapshotOfClone(w2);
      await assert.rejects(new ContributionFlow(flowOptions(w2, { concern: 'checkout-credentials', push: true, remote: 'fork', github: gh })).run(), /kept on local branch steward\/checkout-credentials/);
      assert.deepEqual(snapshotOfClone(w2), before2);
    } finally {
      await w2.server.close();
      fs.rmSync(w2.root, { recursive: true, force: true });
    }
  });

  it('steward pr CLI: lists concerns, exports a patch series, and gives one-line errors', async () => {
    w = await makeFlowWorld();
    const out: string[] = [];
    const err: string[] = [];
    const o: Output = { out: (s) => out.push(s), err: (s) => err.push(s), isTTY: false, env: { STEWARD_OFFLINE: '1', PATH: process.env.PATH }, cwd: w.clone };
    assert.equal(await main(['pr'], o), 0);
    const listing = out.join('');
    assert.match(listing, /Sign-off \(DCO\): CONTRIBUTING\.md says/);
    assert.match(listing, /checkout-credentials\s+Stop persisting checkout credentials — 2 fixes in 2 files/);
    out.length = 0;
    const patches = path.join(w.root, 'patches');
    assert.equal(await main(['pr', '--concern', 'checkout-credentials', '--patches', patches], o), 0);
    const files = fs.readdirSync(patches).sort();
    assert.equal(files.length, 3);
    assert.match(files[0], /^0000-cover-letter\.patch$/);
    assert.match(fs.readFileSync(path.join(patches, files[0]), 'utf8'), /Subject: \[PATCH 0\/2\] Don't persist the checkout token in workflows/);
    err.length = 0;
    assert.equal(await main(['pr', '--concern', 'no-such-concern'], o), 2);
    const lines = err.join('').trimEnd().split('\n');
    assert.match(lines[lines.length - 1], /^steward: nothing to do for concern 'no-such-concern' on origin\/main \(available: .*checkout-credentials.*\)$/);
  });

  it('issue acceptance: steward pr --concern security-policy --push --remote fork --body-out body.md, twice', async () => {
    w = await makeFlowWorld();
    const before = snapshotOfClone(w);
    const out: string[] = [];
    // Online (pushing needs it) but without a token: no API, git over HTTP to the local server.
    const o: Output = { out: (t) => out.push(t), err: (t) => out.push(t), isTTY: false, env: { PATH: process.env.PATH }, cwd: w.clone };
    // The generated policy speaks for the maintainers: a review fix, included only with --unsafe (issue 14.5).
    const args = ['pr', '--concern', 'security-policy', '--unsafe', '--push', '--remote', 'fork', '--body-out', 'body.md', '--github-url', w.server.url];
    assert.equal(await main(args, o), 0, out.join(''));
    assert.deepEqual(snapshotOfClone(w), { ...before, status: '?? body.md' });
    const subjects = run(w.forkBare, ['log', '--format=%s', 'main..steward/security-policy']).split('\n');
    assert.deepEqual(subjects, ['Add SECURITY.md with a private reporting channel']);
    const policy = run(w.forkBare, ['show', 'steward/security-policy:SECURITY.md']);
    assert.match(policy, /security\/advisories\/new/);
    const body = fs.readFileSync(path.join(w.clone, 'body.md'), 'utf8');
    for (const section of ['## Description', '### What changed', '### Why this matters', '## How to test', '## How to undo', '## Check this PR yourself', '## Background', '## Checklist']) assert.ok(body.includes(section), section);
    const first = run(w.forkBare, ['rev-parse', 'steward/security-policy']);
    out.length = 0;
    assert.equal(await main(args, o), 0, out.join(''));
    assert.equal(run(w.forkBare, ['for-each-ref', '--format=%(refname)', 'refs/heads/steward/']), 'refs/heads/steward/security-policy');
    assert.match(out.join(''), /Already up to date on fork|Pushed to fork/);
    const second = run(w.forkBare, ['rev-parse', 'steward/security-policy']);
    assert.equal(run(w.forkBare, ['rev-list', '--count', 'main..steward/security-policy']), '1', `one commit after the update (was ${first}, now ${second})`);
  });
});
