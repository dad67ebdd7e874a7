import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CHECKS } from '../../src/core/checks';
import { Engine } from '../../src/core/engine';
import { MemorySnapshot } from '../../src/core/repo/snapshot';
import { gatherFacts, resetGitHubServices } from '../../src/cli/online';
import type { Output } from '../../src/cli/io';
import { gatherRepoFacts, githubEndpoints, MAINTAINER_ONLY, MemoryCache, OctokitGitHubPort, SimpleGitPort, clockTime } from '../../src/github';
import { GitHubTestServer, rateLimited } from '../support/github-server';
import { git, tempDir, startServedWorld, type ServedWorld } from '../support/git-fixtures';

const SETTINGS = ['archived-repository', 'private-vulnerability-reporting-disabled', 'unprotected-default-branch'];

async function statuses(facts: Awaited<ReturnType<typeof gatherFacts>>): Promise<Record<string, string>> {
  const scan = await new Engine(CHECKS).scan(new MemorySnapshot('x', { 'README.md': 'x' }), { only: SETTINGS, ...facts });
  return Object.fromEntries(scan.results.filter((r) => SETTINGS.includes(r.checkId)).map((r) => [r.checkId, `${r.status}: ${r.reason}`]));
}

describe('github repository facts', function () {
  this.timeout(60_000);
  let world: ServedWorld;
  let server: GitHubTestServer;
  let root: string;
  let checkout: string;

  before(async () => {
    world = await startServedWorld({ actionRepos: false });
    ({ root, server } = world);
    // A contributor's clone: origin is their fork, upstream the project whose settings matter.
    checkout = path.join(root, 'work');
    fs.mkdirSync(checkout);
    git(checkout, ['init', '-q']);
    git(checkout, ['remote', 'add', 'origin', `${server.url}/me/project.git`]);
    git(checkout, ['remote', 'add', 'upstream', `${server.url}/octo/project.git`]);
  });
  after(async () => {
    await world.close();
  });
  beforeEach(() => {
    server.resetCounts();
    resetGitHubServices();
  });

  const ports = (token?: string) => ({ git: new SimpleGitPort(), github: new OctokitGitHubPort({ endpoints: githubEndpoints(server.url), token, retryBaseMs: 1 }), dir: checkout });

  it('reads the upstream repository; admin-only data becomes "only a maintainer can see this"', async () => {
    server.addRepo('me/project', { fork: true, archived: true });
    server.addRepo('octo/project', { defaultBranch: 'trunk', privateVulnerabilityReporting: 404, branchRules: 403, latestRelease: { tag: 'v2.0.0', publishedAt: '2025-01-02T03:04:05Z' } });
    const r = await gatherRepoFacts(ports());
    assert.deepEqual(r.target, { host: new URL(server.url).host, owner: 'octo', repo: 'project', remote: 'upstream' });
    const f = r.facts!;
    assert.equal(f.owner, 'octo');
    assert.equal(f.defaultBranch, 'trunk');
    assert.equal(f.visibility, 'public');
    assert.deepEqual(f.archived, { known: true, value: false }, 'facts of upstream, not the archived fork');
    assert.deepEqual(f.licenseSpdx, { known: true, value: 'MIT' });
    assert.deepEqual(f.viewerPermission, { known: false, reason: 'sign in to see your permission' });
    assert.deepEqual(f.privateVulnerabilityReporting, { known: false, reason: MAINTAINER_ONLY, maintainerOnly: true });
    assert.deepEqual(f.defaultBranchRules, { known: false, reason: MAINTAINER_ONLY, maintainerOnly: true });
    assert.deepEqual(f.defaultBranchProtected, { known: true, value: false });
    assert.deepEqual(f.latestRelease, { known: true, value: { tag: 'v2.0.0', publishedAt: '2025-01-02T03:04:05Z' } });
    assert.equal(server.count('/api/v3/repos/octo/project/rules/branches/trunk'), 1);
    assert.deepEqual(await statuses({ facts: f }), {
      'archived-repository': 'pass: octo/project is not archived',
      'private-vulnerability-reporting-disabled': 'unknown: Unknown — only a maintainer can see this',
      'unprotected-default-branch': 'unknown: Unknown — only a maintainer can see this',
    });
  });

  it('with a token: the viewer permission, and settings that fail', async () => {
    server.addRepo('octo/project', { archived: true, privateVulnerabilityReporting: false, branchRules: [], permissions: { admin: false, maintain: false, push: true, triage: true, pull: true } });
    const f = (await gatherRepoFacts(ports('ghp_test'))).facts!;
    assert.deepEqual(f.viewerPermission, { known: true, value: 'write' });
    assert.deepEqual(f.latestRelease, { known: true, value: null }, '404 on releases/latest means no release');
    assert.deepEqual(await statuses({ facts: f }), {
      'archived-repository': 'fail: octo/project is archived',
      'private-vulnerability-reporting-disabled': 'fail: Private vulnerability reporting is off for octo/project',
      'unprotected-default-branch': 'fail: main is not protected',
    });
  });

  it('passes with rulesets and reporting enabled', async () => {
    server.addRepo('octo/project', { privateVulnerabilityReporting: true, branchRules: [{ type: 'deletion' }, { type: 'non_fast_forward' }] });
    const f = (await gatherRepoFacts(ports())).facts!;
    assert.deepEqual(f.defaultBranchRules, { known: true, value: [{ type: 'deletion', source: 'octo/project' }, { type: 'non_fast_forward', source: 'octo/project' }] });
    const s = await statuses({ facts: f });
    assert.equal(s['unprotected-default-branch'], 'pass: main is protected by rules (non_fast_forward)');
    assert.equal(s['private-vulnerability-reporting-disabled'], 'pass: Private vulnerability reporting is on for octo/project');
  });

  it('says why facts are missing: rate limit, private repository, no GitHub remote, offline', async () => {
    server.addRepo('octo/project');
    const reset = Math.floor(Date.now() / 1000) + 600;
    server.fail('GET', '/api/v3/repos/:owner/:repo', rateLimited(reset), 1);
    const limited = await gatherRepoFacts(ports());
    assert.equal(limited.factsUnavailable, `GitHub API rate limit reached; resets at ${clockTime(new Date(reset * 1000))} (set GITHUB_TOKEN or sign in for a higher limit)`);
    const s = await statuses(limited);
    assert.ok(Object.values(s).every((v) => v.startsWith('unknown: Unknown: GitHub API rate limit reached')), JSON.stringify(s));

    server.repos.delete('octo/project');
    assert.equal((await gatherRepoFacts(ports())).factsUnavailable, 'octo/project is not visible without signing in (private repository?)');

    const other = path.join(root, 'other');
    fs.mkdirSync(other);
    git(other, ['init', '-q']);
    git(other, ['remote', 'add', 'origin', 'git@gitlab.com:a/b.git']);
    assert.equal((await gatherRepoFacts({ ...ports(), dir: other })).factsUnavailable, `no remote (upstream or origin) points to ${server.url}`);

    const o: Output = { out: () => {}, err: () => {}, isTTY: false, cwd: root, env: { STEWARD_OFFLINE: '1' } };
    const off = await gatherFacts(checkout, o, server.url);
    assert.deepEqual(off, { factsUnavailable: 'online features are off (STEWARD_OFFLINE=1)' });
    assert.equal(server.requests.filter((r) => r.path.startsWith('/api/v3/repos/octo/project')).length, 2, 'offline made no request');
  });

  it('caches facts for a few minutes, per token kind', async () => {
    server.addRepo('octo/project', { privateVulnerabilityReporting: true });
    const cache = new MemoryCache();
    let now = 1_000_000;
    const opts = { ...ports(), cache, now: () => now };
    await gatherRepoFacts(opts);
    const calls = server.count('/api/v3/*');
    assert.equal(calls, 6, "repository, reporting, rules, branch, latest release, the owner's .github repository (absent: one request)");
    assert.equal((await gatherRepoFacts(opts)).facts?.privateVulnerabilityReporting.known, true);
    assert.equal(server.count('/api/v3/*'), calls, 'second scan served from the cache');
    await gatherRepoFacts({ ...opts, github: ports('ghp_x').github });
    assert.equal(server.count('/api/v3/*'), calls * 2, 'a token sees more: not shared with anonymous answers');
    now += 6 * 60_000;
    await gatherRepoFacts(opts);
    assert.equal(server.count('/api/v3/*'), calls * 3, 'expired after five minutes');
  });

  it('gatherFacts (CLI) uses --github-url and the environment token', async () => {
    server.addRepo('octo/project', { privateVulnerabilityReporting: true });
    const cache = tempDir('steward-cache-');
    const o: Output = { out: () => {}, err: () => {}, isTTY: false, cwd: root, env: { PATH: process.env.PATH, GITHUB_TOKEN: 'ghp_env', STEWARD_CACHE_DIR: cache } };
    const r = await gatherFacts(checkout, o, server.url);
    assert.equal(r.facts?.privateVulnerabilityReporting.known, true);
    assert.ok(server.requests.filter((x) => x.path.startsWith('/api/v3/')).every((x) => x.authenticated));
    fs.rmSync(cache, { recursive: true, force: true });
  });
});
