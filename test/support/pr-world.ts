import * as fs from 'node:fs';
import * as path from 'node:path';
import { createGitHubServices } from '../../src/github';
import { DeferredFixRegistry } from '../../src/core/fix/deferred';
import { GitHubTestServer } from './github-server';
import { git, standardActionRepos, tempDir, type FixtureRepo } from './git-fixtures';

// A contribution world for the PR-text, private-report and verify tests: the local GitHub stand-in
// serving the standard action repositories, an upstream project built from the files given (bare,
// served over smart HTTP), a writable fork, and the contributor's clone with `origin` pointing at the
// server. Everything lives in one temporary folder that close() removes.

export interface PrWorld {
  root: string;
  server: GitHubTestServer;
  clone: string;
  upstreamBare: string;
  forkBare: string;
  actions: Record<string, FixtureRepo>;
  services(): ReturnType<typeof createGitHubServices>;
  providers(): DeferredFixRegistry;
  close(): Promise<void>;
}

export async function makePrWorld(files: Record<string, string | Uint8Array>, opts: { owner?: string; repo?: string } = {}): Promise<PrWorld> {
  const owner = opts.owner ?? 'upstream-org';
  const repo = opts.repo ?? 'widget';
  const root = tempDir('steward-prw-');
  const gitRoot = path.join(root, 'served');
  fs.mkdirSync(gitRoot);
  const server = await GitHubTestServer.start({ gitRoot });
  try {
    const actions = standardActionRepos(gitRoot);
    const work = path.join(root, 'work');
    for (const [f, text] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(work, f)), { recursive: true });
      fs.writeFileSync(path.join(work, f), text);
    }
    git(work, ['init', '-q']);
    git(work, ['add', '-A']);
    git(work, ['commit', '-q', '-m', 'Initial'], { GIT_AUTHOR_DATE: '2025-01-01T00:00:00Z', GIT_COMMITTER_DATE: '2025-01-01T00:00:00Z' });
    const upstreamBare = path.join(gitRoot, owner, `${repo}.git`);
    fs.mkdirSync(path.dirname(upstreamBare), { recursive: true });
    git(root, ['clone', '-q', '--bare', work, upstreamBare]);
    const forkBare = path.join(gitRoot, 'contributor', `${repo}.git`);
    fs.mkdirSync(path.dirname(forkBare), { recursive: true });
    git(root, ['clone', '-q', '--bare', upstreamBare, forkBare]);
    git(forkBare, ['config', 'http.receivepack', 'true']);
    const clone = path.join(root, 'clone');
    git(root, ['clone', '-q', upstreamBare, clone]);
    git(clone, ['remote', 'set-url', 'origin', `${server.url}/${owner}/${repo}.git`]);
    git(clone, ['remote', 'add', 'fork', `${server.url}/contributor/${repo}.git`]);
    git(clone, ['config', 'user.name', 'Casey Contributor']);
    git(clone, ['config', 'user.email', 'casey@example.org']);
    server.addRepo(`${owner}/${repo}`);
    const services = () => createGitHubServices({ url: server.url, token: 'test-token', cacheDir: path.join(root, 'cache'), retryBaseMs: 1 });
    return {
      root,
      server,
      clone,
      upstreamBare,
      forkBare,
      actions,
      services,
      providers() {
        const r = new DeferredFixRegistry();
        r.register(services().pinProvider);
        return r;
      },
      async close() {
        await server.close();
        fs.rmSync(root, { recursive: true, force: true });
      },
    };
  } catch (e) {
    await server.close();
    fs.rmSync(root, { recursive: true, force: true });
    throw e;
  }
}
