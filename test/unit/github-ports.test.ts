import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  clockTime,
  githubEndpoints,
  GitHubAuthError,
  GitHubNetworkError,
  GitHubNotFoundError,
  GitHubRateLimitError,
  GitHubServerError,
  OctokitGitHubPort,
  parseRemoteUrl,
  pickRemote,
  redact,
  safeGitEnv,
  SAFE_GIT_CONFIG,
  SimpleGitPort,
  tokenHeader,
} from '../../src/github';
import { GitHubTestServer, rateLimited } from '../support/github-server';
import { git, tempDir, startServedWorld, type ServedWorld } from '../support/git-fixtures';

async function closedPort(): Promise<number> {
  const s = http.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

describe('github ports', function () {
  this.timeout(60_000);
  let world: ServedWorld;
  let server: GitHubTestServer;
  before(async () => {
    world = await startServedWorld();
    ({ server } = world);
    server.addRepo('octo/project');
  });
  after(async () => {
    await world.close();
  });
  beforeEach(() => server.resetCounts());

  const port = (token?: string) => new OctokitGitHubPort({ endpoints: githubEndpoints(server.url), token, retryBaseMs: 1 });

  describe('endpoints and remotes', () => {
    it('maps github.com to api.github.com and GHES to <url>/api/v3', () => {
      assert.deepEqual(githubEndpoints('https://github.com/'), { web: 'https://github.com', api: 'https://api.github.com', host: 'github.com', isDotCom: true });
      assert.deepEqual(githubEndpoints('https://ghe.example.com/'), { web: 'https://ghe.example.com', api: 'https://ghe.example.com/api/v3', host: 'ghe.example.com', isDotCom: false });
      assert.throws(() => githubEndpoints('ftp://x'), /must be http\(s\)/);
      assert.throws(() => githubEndpoints('https://user:pw@ghe.example.com'), /must not contain credentials/);
    });

    it('parses https, ssh and scp-like remotes, preferring upstream over origin', () => {
      assert.deepEqual(parseRemoteUrl('https://github.com/octo/project.git'), { host: 'github.com', owner: 'octo', repo: 'project' });
      assert.deepEqual(parseRemoteUrl('git@github.com:octo/project.git'), { host: 'github.com', owner: 'octo', repo: 'project' });
      assert.deepEqual(parseRemoteUrl('ssh://git@ghe.example.com:2222/team/tool'), { host: 'ghe.example.com', owner: 'team', repo: 'tool' });
      assert.deepEqual(parseRemoteUrl('https://ghe.example.com:8443/team/tool/'), { host: 'ghe.example.com:8443', owner: 'team', repo: 'tool' });
      assert.equal(parseRemoteUrl('/srv/git/project.git'), undefined);
      const ep = githubEndpoints('https://github.com');
      const picked = pickRemote(
        [
          { name: 'origin', url: 'git@github.com:me/project.git' },
          { name: 'upstream', url: 'https://github.com/octo/project' },
          { name: 'gitlab', url: 'git@gitlab.com:octo/project.git' },
        ],
        ep,
      );
      assert.deepEqual(picked, { host: 'github.com', owner: 'octo', repo: 'project', remote: 'upstream' });
      assert.equal(pickRemote([{ name: 'origin', url: 'git@gitlab.com:a/b.git' }], ep), undefined);
    });

    it('reads remotes of a local checkout', async () => {
      const dir = tempDir();
      git(dir, ['init', '-q']);
      git(dir, ['remote', 'add', 'origin', 'git@github.com:me/project.git']);
      git(dir, ['remote', 'add', 'upstream', 'https://github.com/octo/project.git']);
      const remotes = await new SimpleGitPort().remotes(dir);
      assert.deepEqual(remotes.sort((a, b) => a.name.localeCompare(b.name)), [
        { name: 'origin', url: 'git@github.com:me/project.git' },
        { name: 'upstream', url: 'https://github.com/octo/project.git' },
      ]);
      fs.rmSync(dir, { recursive: true, force: true });
    });
  });

  describe('the error wrapper', () => {
    it('turns a 403 with x-ratelimit-remaining: 0 into a rate-limit error with the reset time', async () => {
      const reset = Math.floor(Date.now() / 1000) + 1800;
      server.fail('GET', '/api/v3/repos/:owner/:repo', rateLimited(reset), 1);
      const e = await port().getRepo('octo', 'project').then(() => undefined, (x: unknown) => x);
      assert.ok(e instanceof GitHubRateLimitError, String(e));
      assert.equal(e.message, `GitHub API rate limit reached; resets at ${clockTime(new Date(reset * 1000))} (set GITHUB_TOKEN or sign in for a higher limit)`);
      assert.equal(e.resetAt?.getTime(), reset * 1000);
      assert.equal(server.count('/api/v3/repos/octo/project'), 1, 'no retry loop while rate limited');
    });

    it('treats 429 with retry-after as a rate limit', async () => {
      const remove = server.route('GET', '/api/v3/repos/:owner/:repo', () => ({ status: 429, json: { message: 'too many' }, headers: { 'retry-after': '120' } }));
      const e = await new OctokitGitHubPort({ endpoints: githubEndpoints(server.url), token: 't', retryBaseMs: 1, retries: 0 }).getRepo('octo', 'project').then(() => undefined, (x: unknown) => x);
      assert.ok(e instanceof GitHubRateLimitError, String(e));
      assert.match(e.message, /^GitHub API rate limit reached; resets at \d\d:\d\d$/);
      remove();
    });

    it('retries 5xx, then reports a server error', async () => {
      server.fail('GET', '/api/v3/repos/:owner/:repo', { status: 502, json: { message: 'Bad Gateway' } }, 1);
      const ok = await port().getRepo('octo', 'project');
      assert.equal(ok.defaultBranch, 'main');
      assert.equal(server.count('/api/v3/repos/octo/project'), 2, 'one failure, one retry');
      server.resetCounts();
      const remove = server.route('GET', '/api/v3/repos/:owner/:repo', () => ({ status: 503, json: { message: 'Service Unavailable' } }));
      const e = await port().getRepo('octo', 'project').then(() => undefined, (x: unknown) => x);
      remove();
      assert.ok(e instanceof GitHubServerError);
      assert.equal(e.message, 'GET /repos/octo/project: GitHub answered 503: the server had a problem, try again later');
      assert.equal(server.count('/api/v3/repos/octo/project'), 3, 'two retries');
    });

    it('names 401, 403 and 404', async () => {
      const remove = server.route('GET', '/api/v3/repos/:owner/:repo', () => ({ status: 401, json: { message: 'Bad credentials' } }));
      await assert.rejects(port('bad').getRepo('octo', 'project'), (e: unknown) => e instanceof GitHubAuthError && /GitHub rejected the token \(401\)/.test(e.message));
      remove();
      await assert.rejects(port().getRepo('nobody', 'nothing'), (e: unknown) => e instanceof GitHubNotFoundError && e.message === 'GET /repos/nobody/nothing: not found (or not visible to anonymous requests)');
      server.addRepo('octo/admin-only', { privateVulnerabilityReporting: 403 });
      await assert.rejects(port('t').privateVulnerabilityReporting('octo', 'admin-only'), /forbidden: the token cannot see this/);
    });

    it('reports an unreachable server as offline, for the API and for git', async () => {
      const p = await closedPort();
      const api = new OctokitGitHubPort({ endpoints: githubEndpoints(`http://127.0.0.1:${p}`), retryBaseMs: 1, retries: 0 });
      await assert.rejects(api.getRepo('a', 'b'), (e: unknown) => e instanceof GitHubNetworkError && e.message === `cannot reach GitHub at http://127.0.0.1:${p}/api/v3 (offline?) [ECONNREFUSED]`);
      await assert.rejects(new SimpleGitPort().lsRemote(`http://127.0.0.1:${p}/a/b.git`), (e: unknown) => e instanceof GitHubNetworkError && e.message === `cannot reach http://127.0.0.1:${p} (offline?)`);
    });

    it('gives up on a server that accepts the connection and never answers (headers or body), and says so', async () => {
      // One server holds every request open; another sends headers and then stalls in the body.
      const held: http.ServerResponse[] = [];
      const silent = http.createServer((_req, res) => void held.push(res));
      const stalling = http.createServer((_req, res) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.write('{"id": 1, ');
        held.push(res);
      });
      const listen = async (s: http.Server) => (await new Promise<void>((r) => s.listen(0, '127.0.0.1', r)), (s.address() as AddressInfo).port);
      try {
        for (const p of [await listen(silent), await listen(stalling)]) {
          const api = new OctokitGitHubPort({ endpoints: githubEndpoints(`http://127.0.0.1:${p}`), retryBaseMs: 1, retries: 1, requestTimeoutMs: 150 });
          await assert.rejects(
            api.getRepo('a', 'b'),
            (e: unknown) => e instanceof GitHubNetworkError && e.message === `GitHub at http://127.0.0.1:${p}/api/v3 did not answer in time (a slow network or a proxy holding the connection?)`,
          );
        }
        assert.equal(held.length, 4, 'each server saw the request and its one retry');
      } finally {
        for (const r of held) r.destroy();
        await Promise.all([silent, stalling].map((s) => new Promise<void>((r) => (s.close(() => r()), s.closeAllConnections()))));
      }
    });

    it('asks a token provider before each request (silent sign-in in the editor)', async () => {
      let token: string | undefined;
      const asked: (boolean | undefined)[] = [];
      const p = new OctokitGitHubPort({ endpoints: githubEndpoints(server.url), retryBaseMs: 1, tokenProvider: { getToken: async (o) => (asked.push(o?.interactive), token) } });
      assert.equal((await p.getRepo('octo', 'project')).permissions, undefined);
      assert.equal(p.authenticated, false);
      token = 'ghp_session';
      assert.deepEqual((await p.getRepo('octo', 'project')).permissions, { admin: false, maintain: false, push: false, triage: false, pull: true });
      assert.equal(p.authenticated, true);
      assert.deepEqual(server.requests.map((r) => r.authenticated), [false, true]);
      assert.deepEqual(asked, [false, false], 'never prompts on its own');
    });

    it('never shows tokens', () => {
      assert.equal(redact('fatal: https://x:ghp_abcdefghijklmnopqrstuvwxyz0123@github.com/a'), 'fatal: https://github.com/a');
      assert.equal(redact('Authorization: Basic eC1hY2Nlc3M= failed'), 'Authorization: Basic *** failed');
      assert.equal(redact('token s3cret leaked', 's3cret'), 'token *** leaked');
    });
  });

  describe('locked-down git', () => {
    it('runs without hooks, fsmonitor, prompts, credential helpers or inherited GIT_* settings', () => {
      for (const c of ['core.hooksPath=/dev/null', 'core.fsmonitor=false', 'credential.helper=', 'core.askPass=', 'core.alternateRefsCommand=', 'core.attributesFile=/dev/null']) assert.ok(SAFE_GIT_CONFIG.includes(c), c);
      const env = safeGitEnv({ PATH: '/bin', HOME: '/h', GIT_SSH_COMMAND: 'evil', GIT_CONFIG_PARAMETERS: "'core.hooksPath=/tmp/x'", GITHUB_TOKEN: 'ghp_x', EDITOR: 'vim' });
      assert.deepEqual(env, {
        PATH: '/bin', HOME: '/h', GIT_TERMINAL_PROMPT: '0', GCM_INTERACTIVE: 'never', GIT_SSH_COMMAND: 'ssh -o BatchMode=yes', GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_COUNT: '0',
        GIT_CONFIG_GLOBAL: '/dev/null', GIT_ATTR_NOSYSTEM: '1', GIT_OPTIONAL_LOCKS: '0', GIT_NO_REPLACE_OBJECTS: '1', GIT_ALLOW_PROTOCOL: 'https:http:ssh',
      });
      const withToken = safeGitEnv({ PATH: '/bin' }, { url: 'https://github.com', value: tokenHeader('tok') });
      assert.equal(withToken.GIT_CONFIG_KEY_0, 'http.https://github.com/.extraHeader');
      assert.equal(withToken.GIT_CONFIG_VALUE_0, `Authorization: Basic ${Buffer.from('x-access-token:tok').toString('base64')}`);
    });

    it('ignores git settings smuggled in through the environment', async () => {
      // Were GIT_CONFIG_PARAMETERS passed on, the URL would be rewritten to a dead port and fail.
      const env = { ...process.env, GIT_CONFIG_PARAMETERS: `'url.http://127.0.0.1:1/.insteadOf=${server.url}/'` };
      const refs = await new SimpleGitPort({ env }).lsRemote(`${server.url}/actions/checkout.git`);
      assert.ok(refs.some((r) => r.name === 'refs/tags/v4'));
    });

    it('sends a token as an HTTP header scoped to the GitHub URL, never in the URL', async () => {
      const g = new SimpleGitPort({ tokenUrl: server.url });
      const refs = await g.lsRemote(`${server.url}/actions/checkout.git`, { token: 'ghp_testtoken' });
      assert.ok(refs.some((r) => r.name === 'refs/tags/v4.2.2'));
      const gitReqs = server.requests.filter((r) => r.path.startsWith('/actions/checkout.git/'));
      assert.ok(gitReqs.length >= 1);
      assert.ok(gitReqs.every((r) => r.authenticated), 'Authorization header on every git request');
      server.resetCounts();
      // A token for another host is not sent.
      await new SimpleGitPort({ tokenUrl: 'https://github.com' }).lsRemote(`${server.url}/actions/checkout.git`, { token: 'ghp_testtoken' });
      assert.ok(server.requests.every((r) => !r.authenticated));
    });
  });
});
