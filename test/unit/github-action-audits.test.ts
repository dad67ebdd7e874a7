import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { main } from '../../src/cli/main';
import type { Output } from '../../src/cli/io';
import { resetGitHubServices } from '../../src/cli/online';
import type { JsonReport } from '../../src/core/report/json';
import { GitHubTestServer } from '../support/github-server';
import { standardActionRepos, tempDir, type FixtureRepo } from '../support/git-fixtures';

// The online action audits end to end: `steward scan --github-url <local GitHub>` over a project whose
// workflows use the standard fixture actions. Asserts the findings, that a second process is served
// from the disk cache, and how many requests each run costs.

function capture(env: NodeJS.ProcessEnv, cwd: string): Output & { stdout: string; stderr: string } {
  const o = {
    stdout: '',
    stderr: '',
    out(s: string) {
      o.stdout += s;
    },
    err(s: string) {
      o.stderr += s;
    },
    isTTY: false,
    env,
    cwd,
  };
  return o;
}

describe('online action audits through the GitHub port (local server)', function () {
  this.timeout(120_000);
  let server: GitHubTestServer;
  let repos: Record<string, FixtureRepo>;
  let root: string;

  before(async () => {
    root = tempDir();
    repos = standardActionRepos(path.join(root, 'git'));
    server = await GitHubTestServer.start({ gitRoot: path.join(root, 'git') });
  });
  after(async () => {
    await server.close();
    fs.rmSync(root, { recursive: true, force: true });
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

  it('--offline: the audits are unknown and nothing is asked', async () => {
    const dir = project('off', `on: push\njobs:\n  b:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@${repos.checkout.commits.c3}\n`);
    resetGitHubServices();
    server.resetCounts();
    const { report } = await scan(dir, ['stale-action-refs'], path.join(root, 'cache-off'), ['--offline']);
    assert.deepEqual(report.checks.filter((c) => c.id === 'stale-action-refs').map((c) => [c.status, c.reason]), [['unknown', 'Unknown: online features are off (--offline)']]);
    assert.equal(server.requests.length, 0);
  });
});
