import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createGitHubServices, JsonFileCache, MemoryCache, mostSpecificVersion, parseLsRemote, RefResolver, SimpleGitPort, githubEndpoints, OctokitGitHubPort, type GitPort } from '../../src/github';
import { GitHubTestServer } from '../support/github-server';
import { tempDir, type FixtureRepo, startServedWorld, type ServedWorld } from '../support/git-fixtures';

describe('github ref resolver', function () {
  this.timeout(60_000);
  let world: ServedWorld;
  let server: GitHubTestServer;
  let repos: Record<string, FixtureRepo>;

  before(async () => {
    world = await startServedWorld();
    ({ server, repos } = world);
  });
  after(async () => {
    await world.close();
  });
  beforeEach(() => server.resetCounts());

  function services(extra: Parameters<typeof createGitHubServices>[0] = {}) {
    return createGitHubServices({ url: server.url, cache: new MemoryCache(), retryBaseMs: 1, ...extra });
  }

  it('picks the most specific version tag', () => {
    assert.equal(mostSpecificVersion(['v4', 'v4.2', 'v4.2.2']), 'v4.2.2');
    assert.equal(mostSpecificVersion(['v4', 'v4.3.0-rc.1', 'v4.2.9']), 'v4.2.9');
    assert.equal(mostSpecificVersion(['latest', 'main']), undefined);
    assert.equal(mostSpecificVersion(['1.2', '1.10']), '1.10');
  });

  it('parses ls-remote output and peels annotated tags', () => {
    const a = 'a'.repeat(40);
    const b = 'b'.repeat(40);
    const refs = parseLsRemote(`${a}\trefs/heads/main\n${b}\trefs/tags/v1\n${a}\trefs/tags/v1^{}\n`);
    assert.deepEqual(refs, [{ name: 'refs/heads/main', sha: a }, { name: 'refs/tags/v1', sha: b, peeled: a }]);
  });

  it('lists a real repository over smart HTTP with git ls-remote', async () => {
    const git = new SimpleGitPort();
    const refs = await git.lsRemote(`${server.url}/actions/setup-node.git`);
    const v4 = refs.find((r) => r.name === 'refs/tags/v4')!;
    assert.equal(v4.peeled, repos.setupNode.commits.n1, 'annotated tag peeled to its commit');
    assert.notEqual(v4.sha, v4.peeled);
    assert.equal(refs.find((r) => r.name === 'refs/tags/v4.0.4')!.sha, repos.setupNode.commits.n1);
    assert.equal(server.lsRemoteCount('actions', 'setup-node'), 1);
  });

  it('resolves v4 to the commit and names the most specific tag; the tag wins over a branch named v4', async () => {
    const s = services();
    const r = await s.resolver.resolve('actions', 'checkout', 'v4');
    assert.equal(r.sha, repos.checkout.commits.c2);
    assert.notEqual(r.sha, repos.checkout.commits.c3, 'the branch v4 is not used');
    assert.equal(r.kind, 'tag');
    assert.equal(r.version, 'v4.2.2');
    assert.equal(r.tag, 'v4.2.2');
    assert.equal(r.tagAnnotated, true);
    assert.equal(r.source, 'git');
    assert.equal(r.date, '2024-10-23T10:30:00Z', 'annotated tag date from the API');
    assert.equal(r.dateKind, 'tag');
    assert.match(r.reachable!, /tag v4 of http:\/\/127\.0\.0\.1:\d+\/actions\/checkout points to this commit/);
    assert.ok(r.notes.some((n) => /both a tag and a branch/.test(n)));
  });

  it('resolves branches, lightweight tags and full SHAs', async () => {
    const s = services();
    const main = await s.resolver.resolve('actions', 'checkout', 'main');
    assert.equal(main.kind, 'branch');
    assert.equal(main.sha, repos.checkout.commits.c3);
    assert.equal(main.version, 'main');
    assert.equal(main.date, '2025-02-01T09:00:00Z');
    assert.equal(main.dateKind, 'commit');
    const old = await s.resolver.resolve('actions', 'checkout', repos.checkout.commits.c1);
    assert.equal(old.kind, 'commit');
    assert.equal(old.version, 'v4.1.0');
    const node = await s.resolver.resolve('actions', 'setup-node', 'v4');
    assert.equal(node.sha, repos.setupNode.commits.n1);
    assert.equal(node.version, 'v4.0.4');
    assert.equal(node.tagAnnotated, false);
    await assert.rejects(s.resolver.resolve('actions', 'checkout', 'v9'), /actions\/checkout has no tag or branch 'v9'/);
  });

  it('runs one ls-remote per repository for concurrent requests, at most `concurrency` at once', async () => {
    let active = 0;
    let peak = 0;
    const real = new SimpleGitPort();
    const slow: GitPort = {
      remotes: (d) => real.remotes(d),
      async lsRemote(url, o) {
        active++;
        peak = Math.max(peak, active);
        await new Promise((r) => setTimeout(r, 50));
        try {
          return await real.lsRemote(url, o);
        } finally {
          active--;
        }
      },
    };
    const s = services({ git: slow, concurrency: 2 });
    await Promise.all([
      s.resolver.resolve('actions', 'checkout', 'v4'),
      s.resolver.resolve('actions', 'checkout', 'v4.2.2'),
      s.resolver.resolve('actions', 'checkout', 'main'),
      s.resolver.resolve('actions', 'setup-node', 'v4'),
      s.resolver.resolve('octo', 'monorepo', 'v1'),
    ]);
    assert.equal(server.lsRemoteCount('actions', 'checkout'), 1);
    assert.equal(server.lsRemoteCount('actions', 'setup-node'), 1);
    assert.equal(server.lsRemoteCount('octo', 'monorepo'), 1);
    assert.equal(s.resolver.stats.lsRemote, 3);
    assert.equal(peak, 2);
  });

  it('shares one date request among concurrent and repeated resolutions of the same release', async () => {
    const s = services();
    // Six uses of actions/checkout@v4 and one of @v4.2.2 in a repository: all name release v4.2.2.
    const refs = ['v4', 'v4', 'v4', 'v4', 'v4', 'v4', 'v4.2.2'];
    const rs = await Promise.all(refs.map((ref) => s.resolver.resolve('actions', 'checkout', ref)));
    for (const r of rs) assert.equal(r.date, '2024-10-23T10:30:00Z');
    assert.equal(server.lsRemoteCount('actions', 'checkout'), 1);
    assert.equal(server.count('/api/v3/*'), 1, `one date request, not one per use: ${server.requests.map((r) => r.path).join(', ')}`);
    const again = await s.resolver.resolve('actions', 'checkout', 'v4');
    assert.equal(again.date, '2024-10-23T10:30:00Z');
    assert.equal(server.count('/api/v3/*'), 1, 'a later resolution of the same release asks nothing');
    rs[0].notes.push('only mine');
    assert.ok(!rs[1].notes.includes('only mine'), 'callers sharing a resolution get their own copies');
  });

  it('keeps results in an on-disk cache with a TTL', async () => {
    const dir = tempDir('steward-cache-');
    let now = Date.parse('2025-03-01T00:00:00Z');
    const make = () =>
      new RefResolver({
        git: new SimpleGitPort(),
        github: new OctokitGitHubPort({ endpoints: githubEndpoints(server.url), retryBaseMs: 1 }),
        endpoints: githubEndpoints(server.url),
        cache: new JsonFileCache(dir),
        ttlMs: 3600_000,
        now: () => now,
      });
    await make().resolve('actions', 'checkout', 'v4');
    assert.equal(server.lsRemoteCount('actions', 'checkout'), 1);
    const apiAfterFirst = server.count('/api/v3/*');
    const second = await make().resolve('actions', 'checkout', 'v4');
    assert.equal(second.fromCache, true);
    assert.equal(second.date, '2024-10-23T10:30:00Z', 'dates are cached too');
    assert.equal(server.lsRemoteCount('actions', 'checkout'), 1, 'served from the disk cache');
    assert.equal(server.count('/api/v3/*'), apiAfterFirst, 'no API call on the second run');
    const file = path.join(dir, 'refs', `127.0.0.1_${new URL(server.url).port}`, 'actions', 'checkout.json');
    assert.ok(fs.existsSync(file), `cache file ${file}`);
    assert.equal(JSON.parse(fs.readFileSync(file, 'utf8')).value.tags['v4.2.2'].commit, repos.checkout.commits.c2);
    now += 2 * 3600_000;
    await make().resolve('actions', 'checkout', 'v4');
    assert.equal(server.lsRemoteCount('actions', 'checkout'), 2, 'expired entries are fetched again');
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('falls back to the REST API when git cannot list the refs', async () => {
    const broken: GitPort = {
      remotes: async () => [],
      lsRemote: async () => {
        throw new Error('fatal: unable to access: proxy refused');
      },
    };
    const s = services({ git: broken });
    const r = await s.resolver.resolve('actions', 'checkout', 'v4');
    assert.equal(r.source, 'api');
    assert.equal(r.sha, repos.checkout.commits.c2);
    assert.equal(r.version, 'v4.2.2');
    assert.equal(r.kind, 'tag');
    assert.ok(server.count('/api/v3/repos/actions/checkout/git/matching-refs/tags/v4') >= 1);
    assert.deepEqual(r.notes, ['resolved with the GitHub API because git could not list the refs (fatal: unable to access: proxy refused)']);
    const node = await s.resolver.resolve('actions', 'setup-node', 'v4');
    assert.equal(node.sha, repos.setupNode.commits.n1, 'annotated tag peeled through git/tags');
    assert.equal(node.version, 'v4.0.4');
    const main = await s.resolver.resolve('actions', 'checkout', 'main');
    assert.equal(main.kind, 'branch');
    assert.equal(main.sha, repos.checkout.commits.c3);
    // API answers are cached whole: asking again costs no request.
    const before = server.count('/api/v3/*');
    const again = await s.resolver.resolve('actions', 'checkout', 'v4');
    assert.equal(again.fromCache, true);
    assert.equal(again.sha, repos.checkout.commits.c2);
    assert.equal(server.count('/api/v3/*'), before);
  });

  it('refuses names GitHub would not accept before making any request', async () => {
    const s = services();
    await assert.rejects(s.resolver.resolve('..', 'x', 'v1'), /not a GitHub action reference: \.\.\/x@v1/);
    await assert.rejects(s.resolver.resolve('a', 'b?c=1', 'v1'), /not a GitHub action reference/);
    await assert.rejects(s.resolver.resolve('a', 'b', 'v1 --upload-pack=x'), /not a GitHub action reference/);
    assert.equal(server.requests.length, 0);
  });

  it('applies a minimum release age to moving tags', async () => {
    // c2 (v4.2.2) is from 2024-10-23, c1 (v4.1.0) from 2024-01-10. On 2024-10-25 with a 7-day cooldown
    // v4 is too new, so v4.1.0 is chosen; an exact version is left as written.
    const s = services({ minReleaseAgeDays: 7 });
    const r2 = new RefResolver({ ...s.resolver.opts, now: () => Date.parse('2024-10-25T00:00:00Z') });
    const r = await r2.resolve('actions', 'checkout', 'v4');
    assert.equal(r.version, 'v4.1.0');
    assert.equal(r.sha, repos.checkout.commits.c1);
    assert.equal(r.cooldownFrom?.version, 'v4.2.2');
    assert.ok(r.notes.some((n) => /pinned v4.1.0 instead because of the 7-day minimum release age/.test(n)));
    const exact = await r2.resolve('actions', 'checkout', 'v4.2.2');
    assert.equal(exact.sha, repos.checkout.commits.c2);
    assert.ok(exact.notes.some((n) => /younger than the minimum release age/.test(n)));
    // Without dates (no API) the cooldown is skipped, and says so.
    const noApi = new RefResolver({ ...s.resolver.opts, github: undefined, now: () => Date.parse('2024-10-25T00:00:00Z') });
    const n = await noApi.resolve('actions', 'checkout', 'v4');
    assert.equal(n.sha, repos.checkout.commits.c2);
    assert.ok(n.notes.some((x) => /minimum release age \(7 days\) not applied: release date unknown/.test(x)));
  });
});
