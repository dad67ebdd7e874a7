import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
import { main } from '../../src/cli/main';
import { resetGitHubServices } from '../../src/cli/online';
import type { GitHubTestServer } from '../support/github-server';
import { git, startServedWorld, type ServedWorld } from '../support/git-fixtures';

// `steward insights` online (issue 13 review): what GitHub's API knows about the repository (default
// branch, private vulnerability reporting, the licence it detected, the latest release) fills the
// fields it answers, through the same lookup the scan uses; offline, or where GitHub gives no answer,
// the "FILL IN" placeholders stay: nothing is guessed.

interface Doc {
  header: { url: string; 'last-reviewed': string };
  project: { 'vulnerability-reporting': { 'reports-accepted': boolean | string; 'bug-bounty-available': boolean | string } };
  repository: { status: string; license: { url: string; expression: string }; release?: { 'distribution-points': { uri: string; comment?: string }[] } };
}

describe('steward insights with the GitHub API (local server)', function () {
  this.timeout(60_000);
  let world: ServedWorld;
  let server: GitHubTestServer;
  let dir: string;
  // A fresh cache per run: each test sees what the server answers now, as a first run would.
  let runs = 0;

  before(async () => {
    world = await startServedWorld({ actionRepos: false });
    server = world.server;
    server.addRepo('octo/project', { defaultBranch: 'trunk', privateVulnerabilityReporting: true, latestRelease: { tag: 'v2.0.0', publishedAt: '2025-01-02T03:04:05Z' } });
    dir = path.join(world.root, 'work');
    fs.mkdirSync(dir);
    git(dir, ['init', '-q']);
    git(dir, ['remote', 'add', 'origin', `${server.url}/octo/project.git`]);
    fs.writeFileSync(path.join(dir, 'README.md'), '# project\n');
    fs.writeFileSync(path.join(dir, 'SECURITY.md'), '# Security\n');
  });
  after(async () => {
    await world.close();
    resetGitHubServices();
  });
  beforeEach(() => {
    resetGitHubServices();
    server.requests.length = 0;
  });

  async function insights(...flags: string[]): Promise<{ doc: Doc; stdout: string; stderr: string }> {
    const o = {
      stdout: '',
      stderr: '',
      isTTY: false,
      env: { NO_COLOR: '1', GITHUB_TOKEN: 'ghp_insightstoken42', STEWARD_CACHE_DIR: path.join(world.root, `cache-${++runs}`), STEWARD_HTTP_RETRY_BASE_MS: '1' } as NodeJS.ProcessEnv,
      cwd: dir,
      out: (s: string) => void (o.stdout += s),
      err: (s: string) => void (o.stderr += s),
    };
    assert.equal(await main(['insights', '--out', '-', '--github-url', server.url, ...flags], o), 0, o.stderr);
    return { doc: parse(o.stdout) as Doc, stdout: o.stdout, stderr: o.stderr };
  }

  it('fills what the API answers: default branch in the URLs, private reporting, the licence GitHub detected, the latest release', async () => {
    const { doc, stdout, stderr } = await insights();
    // The project URL is the remote's, written as https (as offline).
    const web = `https://${new URL(server.url).host}/octo/project`;
    assert.equal(doc.header.url, `${web}/blob/trunk/security-insights.yml`);
    assert.equal(doc.project['vulnerability-reporting']['reports-accepted'], true);
    assert.equal(doc.repository.license.expression, 'MIT');
    assert.deepEqual(doc.repository.release?.['distribution-points'], [{ uri: `${web}/releases`, comment: 'GitHub releases (latest: v2.0.0).' }]);
    // What the API cannot say stays for the maintainers.
    assert.match(doc.project['vulnerability-reporting']['bug-bounty-available'] as string, /^FILL IN: /);
    assert.match(doc.repository.status, /^FILL IN: /);
    assert.match(doc.header['last-reviewed'], /^FILL IN: /);
    // The token was used, and is in no output.
    assert.ok(server.requests.some((r) => r.authenticated && r.path.startsWith('/api/v3/repos/octo/project')));
    assert.ok(!stdout.includes('ghp_insightstoken42') && !stderr.includes('ghp_insightstoken42'));
  });

  it('offline (--offline): no request, and those fields stay FILL IN as before', async () => {
    const { doc } = await insights('--offline');
    assert.deepEqual(server.requests, []);
    assert.match(doc.header.url, /\/blob\/HEAD\/security-insights\.yml$/);
    assert.match(doc.project['vulnerability-reporting']['reports-accepted'] as string, /^FILL IN: /);
    assert.match(doc.repository.license.expression, /^FILL IN: /);
    assert.equal(doc.repository.release, undefined);
  });

  it('a fact GitHub does not answer (private reporting hidden from this caller) stays FILL IN', async () => {
    server.addRepo('octo/project', { defaultBranch: 'trunk', privateVulnerabilityReporting: 404, latestRelease: null, license: null });
    try {
      const { doc } = await insights();
      assert.match(doc.project['vulnerability-reporting']['reports-accepted'] as string, /^FILL IN: /);
      assert.match(doc.repository.license.expression, /^FILL IN: /);
      assert.equal(doc.repository.release, undefined);
      assert.match(doc.header.url, /\/blob\/trunk\//);
    } finally {
      server.addRepo('octo/project', { defaultBranch: 'trunk', privateVulnerabilityReporting: true, latestRelease: { tag: 'v2.0.0', publishedAt: '2025-01-02T03:04:05Z' } });
    }
  });
});
