import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { main } from '../../src/cli/main';
import { captureOutput as capture } from '../support/capture-output';
import { resetGitHubServices } from '../../src/cli/online';
import { GitHubTestServer } from '../support/github-server';
import { type FixtureRepo, startServedWorld, type ServedWorld } from '../support/git-fixtures';

// The acceptance test of the GitHub issue: `steward fix --rule unpinned-actions --github-url <local>`
// pins actions/checkout@v4 to its SHA with `# v4.2.2`, with one ls-remote per action repository, and a
// second run is served from the on-disk cache.

const WORKFLOW = `name: ci
on: [push]
jobs:
  test:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-node@v4   # runtime
        with:
          node-version: 20
      - uses: actions/checkout@v4
        with: { path: other }
      - run: npm test
`;


describe('steward fix with the GitHub resolver (acceptance)', function () {
  this.timeout(120_000);
  let world: ServedWorld;
  let server: GitHubTestServer;
  let repos: Record<string, FixtureRepo>;
  let root: string;

  before(async () => {
    world = await startServedWorld();
    ({ root, server, repos } = world);
  });
  after(async () => {
    await world.close();
  });

  function project(name: string): string {
    const dir = path.join(root, name);
    fs.mkdirSync(path.join(dir, '.github', 'workflows'), { recursive: true });
    fs.writeFileSync(path.join(dir, '.github', 'workflows', 'ci.yml'), WORKFLOW);
    return dir;
  }

  it('pins actions/checkout@v4 to <sha> # v4.2.2; one ls-remote per repository; the second run uses the cache', async () => {
    const cacheDir = path.join(root, 'cache');
    const env = { PATH: process.env.PATH, HOME: root, STEWARD_CACHE_DIR: cacheDir, STEWARD_HTTP_RETRY_BASE_MS: '1' };
    const c2 = repos.checkout.commits.c2;
    const n1 = repos.setupNode.commits.n1;
    const expected = WORKFLOW.replace(/actions\/checkout@v4/g, `actions/checkout@${c2} # v4.2.2`).replace('actions/setup-node@v4   # runtime', `actions/setup-node@${n1}   # v4.0.4 # runtime`);

    resetGitHubServices();
    const first = project('first');
    const o1 = capture(env, root);
    const code1 = await main(['fix', '--rule', 'unpinned-actions', '--github-url', server.url, first], o1);
    assert.equal(fs.readFileSync(path.join(first, '.github/workflows/ci.yml'), 'utf8'), expected, o1.stdout + o1.stderr);
    assert.equal(code1, 0, o1.stdout + o1.stderr);
    assert.equal(server.lsRemoteCount('actions', 'checkout'), 1);
    assert.equal(server.lsRemoteCount('actions', 'setup-node'), 1);
    assert.ok(fs.existsSync(path.join(cacheDir, 'refs')), 'refs cached on disk');
    const apiCalls = server.count('/api/v3/*');

    // A new process: memory is empty, the disk cache answers.
    resetGitHubServices();
    server.resetCounts();
    const second = project('second');
    const o2 = capture(env, root);
    const code2 = await main(['fix', '--rule', 'unpinned-actions', '--github-url', server.url, second], o2);
    assert.equal(code2, 0, o2.stdout + o2.stderr);
    assert.equal(fs.readFileSync(path.join(second, '.github/workflows/ci.yml'), 'utf8'), expected);
    assert.equal(server.lsRemoteCount('actions', 'checkout'), 0, 'served from the cache');
    assert.equal(server.lsRemoteCount('actions', 'setup-node'), 0);
    assert.equal(server.count('/api/v3/repos/actions/*'), 0, `no API call either (first run made ${apiCalls})`);
  });

  it('offline leaves the pins undone and says why, without touching the network', async () => {
    resetGitHubServices();
    server.resetCounts();
    const dir = project('offline');
    const o = capture({ PATH: process.env.PATH, HOME: root, STEWARD_CACHE_DIR: path.join(root, 'cache-off') }, root);
    const code = await main(['fix', '--rule', 'unpinned-actions', '--offline', '--github-url', server.url, dir], o);
    assert.equal(code, 1);
    assert.equal(fs.readFileSync(path.join(dir, '.github/workflows/ci.yml'), 'utf8'), WORKFLOW);
    assert.equal(server.requests.length, 0);
    assert.match(o.stdout, /needs network \(3\):\n    \.github\/workflows\/ci\.yml:7  Pin actions\/checkout@v4 to its commit SHA  \[unpinned-actions\]\n      run without --offline/);
  });

  it('an unreachable GitHub leaves the file untouched with a clear reason', async () => {
    resetGitHubServices();
    const dir = project('unreachable');
    const o = capture({ PATH: process.env.PATH, HOME: root, STEWARD_CACHE_DIR: path.join(root, 'cache-unreach'), STEWARD_HTTP_RETRY_BASE_MS: '1' }, root);
    const closed = await GitHubTestServer.start({ gitRoot: root });
    const url = closed.url;
    await closed.close();
    const code = await main(['fix', '--rule', 'unpinned-actions', '--github-url', url, dir], o);
    assert.equal(code, 1);
    assert.equal(fs.readFileSync(path.join(dir, '.github/workflows/ci.yml'), 'utf8'), WORKFLOW);
    assert.match(o.stdout, new RegExp(`:7  Pin actions/checkout@v4 to its commit SHA  \\[unpinned-actions\\]\n +cannot reach GitHub at ${url} \\(offline\\?\\)\n`));
  });

  it('a GitHub that accepts connections and never answers: the scan still ends, online checks say why', async () => {
    resetGitHubServices();
    const dir = project('silent');
    const held: http.ServerResponse[] = [];
    const silent = http.createServer((_req, res) => void held.push(res));
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(silent.address() as AddressInfo).port}`;
    try {
      const env = { PATH: process.env.PATH, HOME: root, STEWARD_CACHE_DIR: path.join(root, 'cache-silent'), STEWARD_HTTP_RETRY_BASE_MS: '1', STEWARD_HTTP_TIMEOUT_MS: '200' };
      const o = capture(env, root);
      const code = await main(['scan', '--github-url', url, '--format', 'json', '--fail-on', 'never', dir], o);
      assert.equal(code, 0, o.stderr);
      assert.ok(held.length > 0, 'the scan asked the server');
      const report = JSON.parse(o.stdout) as { checks: { id: string; status: string; reason: string }[] };
      const timedOut = report.checks.filter((c) => /did not answer in time/.test(c.reason));
      assert.ok(timedOut.length > 0, JSON.stringify(report.checks.map((c) => [c.id, c.status, c.reason])));
      for (const c of timedOut) assert.equal(c.status, 'unknown', c.id);
    } finally {
      for (const r of held) r.destroy();
      await new Promise<void>((r) => (silent.close(() => r()), silent.closeAllConnections()));
    }
  });
});
