import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createGitHubServices, type GitPort } from '../../src/github';
import { nextCursor } from '../../src/github/api';
import { actionAdvisory, GitHubTestServer } from '../support/github-server';
import { type FixtureRepo, startServedWorld, type ServedWorld } from '../support/git-fixtures';

// GitHubActionLookup against the local GitHub: the REST fallback when git cannot list refs, advisory
// pages, releases, compare, and what a network failure does to the lookups after it.

const noGit: GitPort = {
  async lsRemote() {
    throw Object.assign(new Error('spawn git ENOENT'), { code: 'ENOENT' });
  },
} as unknown as GitPort;

describe('GitHubActionLookup (local GitHub server)', function () {
  this.timeout(60_000);
  let world: ServedWorld;
  let server: GitHubTestServer;
  let repos: Record<string, FixtureRepo>;
  let root: string;

  before(async () => {
    world = await startServedWorld();
    ({ root, server, repos } = world);
    server.addRepo('actions/checkout');
    server.addRepo('octo/gone', { archived: true });
    for (let i = 0; i < 120; i++) server.advisories.push(actionAdvisory({ ghsa: `GHSA-f${i}`, summary: 'x', severity: 'low', name: `o/a${i}`, range: '< 1', patched: '1.0.0' }));
    server.advisories.push({ ...actionAdvisory({ ghsa: 'GHSA-mod', summary: 'moderate one', severity: 'medium', name: 'actions/checkout', range: '< 4.2.2', patched: '4.2.2' }), severity: 'moderate' as never });
    server.advisories.push(actionAdvisory({ ghsa: 'GHSA-gone', summary: 'withdrawn', severity: 'high', name: 'actions/checkout', range: '< 9', patched: '9.0.0', withdrawn: true }));
    server.releases.set('actions/checkout', { 'v4.2.2': { immutable: true } });
  });
  after(async () => {
    await world.close();
  });

  function services(git?: GitPort) {
    return createGitHubServices({ url: server.url, cacheDir: fs.mkdtempSync(path.join(root, 'cache-')), retryBaseMs: 1, ...(git ? { git } : {}) });
  }

  it('lists tags (peeled) and branches with the REST API when git cannot', async () => {
    server.resetCounts();
    const s = services(noGit);
    const r = await s.actions.refs('actions', 'checkout');
    assert.ok(r.known, !r.known ? r.reason : '');
    const { c1, c2, c3 } = repos.checkout.commits;
    assert.deepEqual(r.value.tags, { v4: c2, 'v4.1.0': c1, 'v4.2': c2, 'v4.2.2': c2 });
    assert.deepEqual(r.value.heads, { main: c3, v4: c3 });
    assert.deepEqual([server.count('/api/v3/repos/actions/checkout/tags'), server.count('/api/v3/repos/actions/checkout/branches')], [1, 1]);
  });

  it('reads every advisory page once, keeps the ones naming the action, drops withdrawn ones, maps moderate', async () => {
    server.resetCounts();
    const s = services();
    const a = await s.actions.advisories('actions', 'checkout');
    const b = await s.actions.advisories('actions', 'setup-node');
    assert.ok(a.known && b.known);
    assert.deepEqual(a.value.map((x) => [x.id, x.severity, x.vulnerabilities[0].range, x.vulnerabilities[0].firstPatched]), [['GHSA-mod', 'medium', '< 4.2.2', '4.2.2']]);
    assert.deepEqual(b.value, []);
    assert.equal(server.count('/api/v3/advisories'), 2, 'two pages of 100, shared by both actions');
    assert.equal(nextCursor('<https://api.github.com/advisories?after=Y3Vyc29y&per_page=100>; rel="next", <https://api.github.com/advisories?before=x>; rel="prev"'), 'Y3Vyc29y');
    assert.equal(nextCursor(undefined), undefined);
  });

  it('answers releases (immutable or not, null without one), archived flags and containment', async () => {
    const s = services();
    assert.deepEqual(await s.actions.release('actions', 'checkout', 'v4.2.2'), { known: true, value: { immutable: true } });
    assert.deepEqual(await s.actions.release('actions', 'checkout', 'v4.1.0'), { known: true, value: null });
    assert.deepEqual(await s.actions.repository('octo', 'gone'), { known: true, value: { archived: true, defaultBranch: 'main' } });
    const { c1, c3 } = repos.checkout.commits;
    const c = await s.actions.contains('actions', 'checkout', c1, ['v4.1.0', 'main']);
    assert.deepEqual(c, { known: true, value: { containedIn: 'v4.1.0', checked: ['v4.1.0'] } });
    const not = await s.actions.contains('actions', 'checkout', c3, ['v4.1.0']);
    assert.deepEqual(not, { known: true, value: { checked: ['v4.1.0'] } });
    const missing = await s.actions.repository('octo', 'nothing-here');
    assert.equal(missing.known, false);
  });

  it('after GitHub cannot be reached, later lookups answer unknown at once', async () => {
    const closed = await GitHubTestServer.start({ gitRoot: root });
    const url = closed.url;
    await closed.close();
    const s = createGitHubServices({ url, cacheDir: fs.mkdtempSync(path.join(root, 'cache-')), retryBaseMs: 1 });
    const first = await s.actions.repository('actions', 'checkout');
    assert.equal(first.known, false);
    const second = await s.actions.advisories('actions', 'checkout');
    assert.equal(second.known, false);
    assert.ok(!second.known && second.reason === (!first.known ? first.reason : ''), 'same reason');
    assert.equal(s.actions.stats.advisories, 0, 'not even asked');
  });
});
