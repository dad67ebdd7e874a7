import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { main } from '../../src/cli/main';
import { captureOutput as capture } from '../support/capture-output';
import { resetGitHubServices } from '../../src/cli/online';
import type { JsonReport } from '../../src/core/report/json';
import { actionAdvisory, GitHubTestServer } from '../support/github-server';
import { buildBareRepo, git, tempDir, type FixtureRepo, startServedWorld, type ServedWorld } from '../support/git-fixtures';

// The online action audits end to end: `steward scan --github-url <local GitHub>` over a project whose
// workflows use the standard fixture actions. Asserts the findings, that a second process is served
// from the disk cache, and how many requests each run costs.


describe('online action audits through the GitHub port (local server)', function () {
  this.timeout(120_000);
  let world: ServedWorld;
  let server: GitHubTestServer;
  let repos: Record<string, FixtureRepo>;
  let root: string;
  let tool: FixtureRepo;
  let forkOnly: string;

  before(async () => {
    world = await startServedWorld();
    ({ root, server, repos } = world);
    // octo/tool: t0 and t1 on main (v1.0.0 on t1), and a commit that only a fork had: its branch is
    // deleted after the bare clone, so git ls-remote never lists it, but GitHub-style lookups by SHA
    // (compare) still find the object, as GitHub finds fork commits under the parent's name.
    tool = buildBareRepo(path.join(root, 'git'), 'octo', 'tool', [
      { commit: 't0', date: '2024-02-01T09:00:00Z' },
      { commit: 't1', date: '2024-03-01T09:00:00Z' },
      { tag: 'v1.0.0', at: 't1', annotated: true, date: '2024-03-01T10:00:00Z' },
      { branch: 'evil', at: 't1' },
    ]);
    const work = tempDir('steward-fork-');
    git(work, ['clone', '-q', tool.bare, '.']);
    git(work, ['checkout', '-q', 'evil']);
    fs.writeFileSync(path.join(work, 'index.js'), 'exfiltrate()\n');
    git(work, ['add', '-A']);
    git(work, ['commit', '-q', '-m', 'fork only'], { GIT_AUTHOR_DATE: '2024-04-01T09:00:00Z', GIT_COMMITTER_DATE: '2024-04-01T09:00:00Z' });
    forkOnly = git(work, ['rev-parse', 'HEAD']);
    git(work, ['push', '-q', 'origin', 'evil']);
    git(tool.bare, ['update-ref', '-d', 'refs/heads/evil']);
    fs.rmSync(work, { recursive: true, force: true });
    buildBareRepo(path.join(root, 'git'), 'octo', 'old-action', [{ commit: 'o1', date: '2021-01-01T09:00:00Z' }, { tag: 'v1', at: 'o1' }]);
    for (const r of ['actions/checkout', 'actions/setup-node', 'octo/tool']) server.addRepo(r);
    server.addRepo('octo/old-action', { archived: true });
    // The advisory database: one advisory for actions/checkout among 150 for other actions (two pages).
    for (let i = 0; i < 150; i++) server.advisories.push(actionAdvisory({ ghsa: `GHSA-fill-${String(i).padStart(4, '0')}-xxxx`, summary: 'other', severity: 'low', name: `other/action-${i}`, range: '< 1.0.0', patched: '1.0.0' }));
    server.advisories.push(actionAdvisory({ ghsa: 'GHSA-test-chk1-xxxx', cve: 'CVE-2024-0001', summary: 'checkout leaks the token into logs', severity: 'high', name: 'actions/checkout', range: '>= 4.0.0, < 4.2.2', patched: '4.2.2' }));
    server.advisories.push(actionAdvisory({ ghsa: 'GHSA-test-wdrn-xxxx', summary: 'withdrawn', severity: 'critical', name: 'actions/setup-node', range: '< 99.0.0', patched: null, withdrawn: true }));
    server.releases.set('actions/checkout', { 'v4.2.2': { immutable: true }, 'v4.1.0': { immutable: false } });
  });
  after(async () => {
    await world.close();
  });

  function project(name: string, workflow: string): string {
    const dir = path.join(root, name);
    fs.mkdirSync(path.join(dir, '.github', 'workflows'), { recursive: true });
    fs.writeFileSync(path.join(dir, '.github', 'workflows', 'ci.yml'), workflow);
    return dir;
  }

  async function scan(dir: string, rules: string[], cache: string, extra: string[] = []): Promise<{ report: JsonReport; o: ReturnType<typeof capture> }> {
    const o = capture({ PATH: process.env.PATH, HOME: root, STEWARD_CACHE_DIR: cache, STEWARD_HTTP_RETRY_BASE_MS: '1' }, root);
    await main(['scan', '--format', 'json', '--fail-on', 'never', '--github-url', server.url, ...extra, ...rules.flatMap((r) => ['--rule', r]), dir], o);
    return { report: JSON.parse(o.stdout) as JsonReport, o };
  }

  it('stale-action-refs and ref-version-mismatch from one ls-remote, no API call; the second process asks nothing', async () => {
    const { c1, c2, c3 } = repos.checkout.commits;
    const dir = project(
      'refs',
      `on: push\njobs:\n  b:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@${c3}\n      - uses: actions/checkout@${c1} # v4.2.2\n      - uses: actions/checkout@${c2} # v4.2.2\n`,
    );
    const cache = path.join(root, 'cache-refs');
    resetGitHubServices();
    server.resetCounts();
    const { report, o } = await scan(dir, ['stale-action-refs', 'ref-version-mismatch'], cache);
    assert.deepEqual(
      report.findings.map((f) => `${f.ruleId}:${f.line}`),
      ['ref-version-mismatch:7', 'stale-action-refs:6'],
      o.stdout + o.stderr,
    );
    assert.match(report.findings[1].message, /today the tip of branch (main|v4)/);
    assert.equal(server.lsRemoteCount('actions', 'checkout'), 1);
    assert.equal(server.count('/api/v3/*'), 0);

    resetGitHubServices();
    server.resetCounts();
    const warm = await scan(dir, ['stale-action-refs', 'ref-version-mismatch'], cache);
    assert.deepEqual(warm.report.findings.map((f) => f.ruleId), ['ref-version-mismatch', 'stale-action-refs']);
    assert.equal(server.requests.length, 0, 'served from the disk cache');
  });

  it('every audit over one project: findings, fixes, and the requests a cold and a warm run cost', async () => {
    const { c1 } = repos.checkout.commits;
    const wf = [
      'on: push',
      'jobs:',
      '  b:',
      '    runs-on: ubuntu-latest',
      '    steps:',
      '      - uses: actions/checkout@v4.1.0',
      `      - uses: actions/checkout@${c1} # v4.1.0`,
      '      - uses: actions/checkout@v4.2.2',
      '      - uses: actions/setup-node@v4',
      `      - uses: octo/tool@${tool.commits.t0}`,
      `      - uses: octo/tool@${forkOnly} # v1.0.0`,
      '      - uses: octo/old-action@v1',
      '',
    ].join('\n');
    const dir = project('all', wf);
    const cache = path.join(root, 'cache-all');
    const rules = ['known-vulnerable-actions', 'impostor-commit', 'archived-uses', 'unpinned-actions'];
    resetGitHubServices();
    server.resetCounts();
    const { report, o } = await scan(dir, rules, cache);
    const got = report.findings.map((f) => `${f.ruleId}:${f.line}:${f.severity}`);
    assert.deepEqual(
      got,
      [
        'archived-uses:12:medium',
        'impostor-commit:11:high',
        'known-vulnerable-actions:6:high',
        'known-vulnerable-actions:7:high',
        'unpinned-actions:6:low',
        'unpinned-actions:8:info',
        'unpinned-actions:9:low',
        'unpinned-actions:12:medium',
      ],
      o.stdout + o.stderr,
    );
    const kv = report.findings.find((f) => f.ruleId === 'known-vulnerable-actions')!;
    assert.match(kv.message, /actions\/checkout@v4\.1\.0 is affected by GHSA-test-chk1-xxxx \(CVE-2024-0001\): checkout leaks the token into logs — vulnerable >= 4\.0\.0, < 4\.2\.2, fixed in 4\.2\.2/);
    assert.deepEqual(kv.fixes, [{ title: 'Move actions/checkout from v4.1.0 to v4.2.2 (GHSA-test-chk1-xxxx)', safe: true, needsNetwork: false }]);
    assert.match(report.findings.find((f) => f.ruleId === 'impostor-commit')!.message, /in the history of no branch or tag of octo\/tool: it can only come from a fork/);
    assert.match(report.findings.find((f) => f.line === 8)!.message, /immutable release/);
    // Cold: one ls-remote per action repository asked about refs, two advisory pages, one repository
    // request per action repository, three compares (t0: main's history has it; the fork commit: its
    // comment's tag v1.0.0 and main, all the refs octo/tool has), one release lookup per full version tag.
    const counts = {
      lsRemote: server.count(/\.git\/info\/refs$/),
      advisories: server.count('/api/v3/advisories'),
      repos: server.count(/^\/api\/v3\/repos\/[^/]+\/[^/]+$/),
      compare: server.count('/api/v3/repos/*', 'GET') - server.count(/^\/api\/v3\/repos\/[^/]+\/[^/]+$/) - server.count(/\/releases\/tags\//),
      releases: server.count(/\/releases\/tags\//),
    };
    assert.deepEqual(counts, { lsRemote: 2, advisories: 2, repos: 4, compare: 3, releases: 2 });
    resetGitHubServices();
    server.resetCounts();
    const warm = await scan(dir, rules, cache);
    assert.deepEqual(warm.report.findings.map((f) => `${f.ruleId}:${f.line}:${f.severity}`), got);
    assert.equal(server.requests.length, 0, `warm run asked: ${server.requests.map((r) => r.path).join(', ')}`);
  });

  it('--offline: the audits are unknown and nothing is asked', async () => {
    const dir = project('off', `on: push\njobs:\n  b:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@${repos.checkout.commits.c3}\n`);
    resetGitHubServices();
    server.resetCounts();
    const { report } = await scan(dir, ['stale-action-refs'], path.join(root, 'cache-off'), ['--offline']);
    assert.deepEqual(report.checks.filter((c) => c.id === 'stale-action-refs').map((c) => [c.status, c.reason]), [['unknown', 'Unknown: online features are off (--offline)']]);
    assert.equal(server.requests.length, 0);
  });
});
