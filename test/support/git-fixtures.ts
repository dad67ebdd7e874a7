import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { GitHubTestServer, type Req } from './github-server';

// Real git repositories for tests: built with the git CLI in a temp folder, with fixed dates so SHAs are
// stable across runs, then cloned bare under <root>/<owner>/<repo>.git for the test server to serve.

export function git(cwd: string, args: string[], env: Record<string, string> = {}): string {
  return execFileSync('git', ['-c', 'core.hooksPath=/dev/null', '-c', 'init.defaultBranch=main', '-c', 'tag.gpgSign=false', '-c', 'commit.gpgSign=false', ...args], {
    cwd,
    encoding: 'utf8',
    env: {
      PATH: process.env.PATH ?? '',
      HOME: cwd,
      GIT_CONFIG_NOSYSTEM: '1',
      GIT_AUTHOR_NAME: 'Fixture Author',
      GIT_AUTHOR_EMAIL: 'author@example.com',
      GIT_COMMITTER_NAME: 'Fixture Committer',
      GIT_COMMITTER_EMAIL: 'committer@example.com',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  }).trim();
}

export function tempDir(prefix = 'steward-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** A step of building a repository: commit (with a date), tag (lightweight or annotated), branch. */
export type RepoStep =
  | { commit: string; date: string; files?: Record<string, string> }
  | { tag: string; at: string; annotated?: boolean; date?: string }
  | { branch: string; at: string };

export interface FixtureRepo {
  owner: string;
  repo: string;
  bare: string;
  /** Commit SHAs by the label given in `commit`. */
  commits: Record<string, string>;
}

/** Builds `<root>/<owner>/<repo>.git` (bare) from steps; commits are labelled for later lookup. */
export function buildBareRepo(root: string, owner: string, repo: string, steps: RepoStep[]): FixtureRepo {
  const work = tempDir('steward-work-');
  git(work, ['init', '-q']);
  const commits: Record<string, string> = {};
  for (const s of steps) {
    if ('commit' in s) {
      for (const [f, text] of Object.entries(s.files ?? { 'action.yml': `name: ${repo}\n# ${s.commit}\nruns:\n  using: node20\n  main: index.js\n` })) {
        fs.mkdirSync(path.dirname(path.join(work, f)), { recursive: true });
        fs.writeFileSync(path.join(work, f), text);
      }
      git(work, ['add', '-A']);
      git(work, ['commit', '-q', '--allow-empty', '-m', s.commit], { GIT_AUTHOR_DATE: s.date, GIT_COMMITTER_DATE: s.date });
      commits[s.commit] = git(work, ['rev-parse', 'HEAD']);
    } else if ('tag' in s) {
      const at = commits[s.at] ?? s.at;
      if (s.annotated) git(work, ['tag', '-a', '-m', `Release ${s.tag}`, s.tag, at], { GIT_COMMITTER_DATE: s.date ?? '2024-01-01T00:00:00Z' });
      else git(work, ['tag', s.tag, at]);
    } else {
      // `git branch -f` refuses to move the branch that is checked out (main, once a commit exists):
      // that one is moved with the work tree, so later commits build on it.
      const current = git(work, ['symbolic-ref', '--short', 'HEAD']);
      if (s.branch === current) git(work, ['reset', '-q', '--hard', commits[s.at] ?? s.at]);
      else git(work, ['branch', '-f', s.branch, commits[s.at] ?? s.at]);
    }
  }
  const bare = path.join(root, owner, `${repo}.git`);
  fs.mkdirSync(path.dirname(bare), { recursive: true });
  git(root, ['clone', '-q', '--bare', work, bare]);
  fs.rmSync(work, { recursive: true, force: true });
  return { owner, repo, bare, commits };
}

/**
 * The standard action repositories of the GitHub tests:
 * - actions/checkout: v4.1.0 (annotated) on c1; v4 (lightweight), v4.2 and v4.2.2 (annotated, 2024-10-23)
 *   on c2; main at c3; and a *branch* named v4 at c3 (Actions must pick the tag).
 * - actions/setup-node: v4 annotated, v4.0.4 lightweight, both on one commit (peeling annotated tags).
 * - octo/monorepo: actions in sub-folders, tag v1.0.0.
 */
export function standardActionRepos(root: string): Record<string, FixtureRepo> {
  const checkout = buildBareRepo(root, 'actions', 'checkout', [
    { commit: 'c1', date: '2024-01-10T10:00:00Z' },
    { tag: 'v4.1.0', at: 'c1', annotated: true, date: '2024-01-10T11:00:00Z' },
    { commit: 'c2', date: '2024-10-23T09:00:00Z' },
    { tag: 'v4', at: 'c2' },
    { tag: 'v4.2', at: 'c2' },
    { tag: 'v4.2.2', at: 'c2', annotated: true, date: '2024-10-23T10:30:00Z' },
    { commit: 'c3', date: '2025-02-01T09:00:00Z' },
    { branch: 'v4', at: 'c3' },
  ]);
  const setupNode = buildBareRepo(root, 'actions', 'setup-node', [
    { commit: 'n1', date: '2024-08-01T09:00:00Z' },
    { tag: 'v4', at: 'n1', annotated: true, date: '2024-08-01T10:00:00Z' },
    { tag: 'v4.0.4', at: 'n1' },
  ]);
  const mono = buildBareRepo(root, 'octo', 'monorepo', [
    { commit: 'm1', date: '2024-05-05T09:00:00Z', files: { 'lint/action.yml': 'name: lint\nruns:\n  using: composite\n  steps: []\n' } },
    { tag: 'v1.0.0', at: 'm1', annotated: true, date: '2024-05-05T10:00:00Z' },
    { tag: 'v1', at: 'm1' },
  ]);
  return { checkout, setupNode, mono };
}

export const CI = `name: CI
on: [push, pull_request]
jobs:
  test:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-node@v4
      - run: npm test
`;

const RELEASE = `name: Release
on:
  push:
    tags: ["v*"]
jobs:
  publish:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - run: npm publish
`;

const CONTRIBUTING = `# Contributing

All commits must be signed off (Developer Certificate of Origin): use \`git commit -s\`.
`;

const TEMPLATE = `## Description

- [ ] I have read CONTRIBUTING.md
- [x] Tests pass
`;

export interface FlowWorld {
  root: string;
  server: GitHubTestServer;
  clone: string;
  upstreamBare: string;
  forkBare: string;
  prBodies: Record<string, unknown>[];
  patches: Record<string, unknown>[];
}

/**
 * The contribution flow's world: a bare upstream (and fork) served over smart HTTP by the local GitHub
 * stand-in with fork and pull-request routes, and a contributor's clone on branch my-work with a
 * commit of their own (notes.txt). Callers close the server and remove `root`.
 */
export async function makeFlowWorld(opts: { fork?: boolean } = {}): Promise<FlowWorld> {
  const root = tempDir('steward-flow-');
  const gitRoot = path.join(root, 'served');
  fs.mkdirSync(gitRoot);
  const server = await GitHubTestServer.start({ gitRoot });
  standardActionRepos(gitRoot);
  // The upstream project.
  const work = path.join(root, 'work');
  fs.mkdirSync(path.join(work, '.github', 'workflows'), { recursive: true });
  fs.writeFileSync(path.join(work, '.github/workflows/ci.yml'), CI);
  fs.writeFileSync(path.join(work, '.github/workflows/release.yml'), RELEASE);
  fs.writeFileSync(path.join(work, 'CONTRIBUTING.md'), CONTRIBUTING);
  fs.writeFileSync(path.join(work, '.github/pull_request_template.md'), TEMPLATE);
  fs.writeFileSync(path.join(work, 'README.md'), '# widget\n');
  fs.writeFileSync(path.join(work, 'package.json'), JSON.stringify({ name: 'widget', version: '1.2.0', repository: { type: 'git', url: 'https://github.com/upstream-org/widget.git' } }, null, 2) + '\n');
  git(work, ['init', '-q']);
  git(work, ['add', '-A']);
  git(work, ['commit', '-q', '-m', 'Initial'], { GIT_AUTHOR_DATE: '2025-01-01T00:00:00Z', GIT_COMMITTER_DATE: '2025-01-01T00:00:00Z' });
  const upstreamBare = path.join(gitRoot, 'upstream-org', 'widget.git');
  fs.mkdirSync(path.dirname(upstreamBare), { recursive: true });
  git(root, ['clone', '-q', '--bare', work, upstreamBare]);
  const forkBare = path.join(gitRoot, 'contributor', 'widget.git');
  if (opts.fork !== false) {
    fs.mkdirSync(path.dirname(forkBare), { recursive: true });
    git(root, ['clone', '-q', '--bare', upstreamBare, forkBare]);
    git(forkBare, ['config', 'http.receivepack', 'true']);
  }
  // The contributor's workspace: a clone of upstream with their fork as a second remote.
  const clone = path.join(root, 'clone');
  // Cloned from disk (a synchronous git talking to our own in-process server would deadlock), then
  // pointed at the server so every later fetch and push goes over HTTP like a real remote.
  git(root, ['clone', '-q', upstreamBare, clone]);
  git(clone, ['remote', 'set-url', 'origin', `${server.url}/upstream-org/widget.git`]);
  git(clone, ['remote', 'add', 'fork', `${server.url}/contributor/widget.git`]);
  git(clone, ['config', 'user.name', 'Casey Contributor']);
  git(clone, ['config', 'user.email', 'casey@example.org']);
  git(clone, ['checkout', '-q', '-b', 'my-work']);
  fs.writeFileSync(path.join(clone, 'notes.txt'), 'my own notes\n');
  git(clone, ['add', 'notes.txt']);
  git(clone, ['commit', '-q', '-m', 'My own work']);

  server.addRepo('upstream-org/widget', { permissions: { admin: false, maintain: false, push: false, triage: false, pull: true } });
  const prBodies: Record<string, unknown>[] = [];
  const patches: Record<string, unknown>[] = [];
  const pulls: { number: number; head: string; title: string }[] = [];
  server.route('GET', '/api/v3/user', () => ({ json: { login: 'contributor', id: 7, type: 'User' } }));
  server.route('GET', '/api/v3/repos/:owner/:repo/forks', () => ({
    json: server.repos.has('contributor/widget') ? [{ name: 'widget', full_name: 'contributor/widget', owner: { login: 'contributor' }, fork: true, default_branch: 'main', html_url: `${server.url}/contributor/widget` }] : [],
  }));
  server.route('POST', '/api/v3/repos/:owner/:repo/forks', () => {
    // Like GitHub, creating a fork that exists returns the existing one.
    const bare = path.join(gitRoot, 'contributor', 'widget.git');
    if (!fs.existsSync(bare)) {
      fs.mkdirSync(path.dirname(bare), { recursive: true });
      git(root, ['clone', '-q', '--bare', upstreamBare, bare]);
      git(bare, ['config', 'http.receivepack', 'true']);
    }
    server.addRepo('contributor/widget', { fork: true });
    return { status: 202, json: { name: 'widget', full_name: 'contributor/widget', owner: { login: 'contributor' }, fork: true, parent: { full_name: 'upstream-org/widget' }, default_branch: 'main', html_url: `${server.url}/contributor/widget` } };
  });
  server.route('GET', '/api/v3/repos/:owner/:repo/pulls', (req: Req) => {
    const head = req.query.get('head');
    const list = pulls.filter((p) => !head || p.head === head);
    return { json: list.map((p) => ({ number: p.number, title: p.title, html_url: `${server.url}/upstream-org/widget/pull/${p.number}`, head: { label: p.head } })) };
  });
  server.route('GET', '/api/v3/repos/:owner/:repo/pulls/:n/files', () => ({ json: [] }));
  server.route('POST', '/api/v3/repos/:owner/:repo/pulls', (req: Req) => {
    const body = req.body as Record<string, unknown>;
    prBodies.push(body);
    const number = 40 + pulls.length + 1;
    pulls.push({ number, head: String(body.head), title: String(body.title) });
    return { status: 201, json: { number, html_url: `${server.url}/upstream-org/widget/pull/${number}`, title: body.title, draft: body.draft } };
  });
  server.route('PATCH', '/api/v3/repos/:owner/:repo/pulls/:n', (req: Req) => {
    patches.push({ number: Number(req.params.n), ...(req.body as Record<string, unknown>) });
    return { json: { number: Number(req.params.n), html_url: `${server.url}/upstream-org/widget/pull/${req.params.n}` } };
  });
  return { root, server, clone, upstreamBare, forkBare, prBodies, patches };
}


export interface ServedWorld {
  /** The temporary folder holding everything (`gitRoot` is its `git/`). */
  root: string;
  /** Where the served bare repositories live (`<owner>/<repo>.git`). */
  gitRoot: string;
  server: GitHubTestServer;
  /** The standard action repositories, when asked for (else empty). */
  repos: Record<string, FixtureRepo>;
  /** Stops the server and removes `root`. */
  close(): Promise<void>;
}

/**
 * The local GitHub stand-in most online tests start from: a fresh temporary folder, the standard
 * action repositories built under its `git/` (unless `actionRepos: false`), and the server on them.
 * More bare repositories can be built under `gitRoot` afterwards: the server looks them up per request.
 */
export async function startServedWorld(opts: { actionRepos?: boolean } = {}): Promise<ServedWorld> {
  const root = tempDir();
  const gitRoot = path.join(root, 'git');
  fs.mkdirSync(gitRoot);
  const repos = opts.actionRepos === false ? {} : standardActionRepos(gitRoot);
  const server = await GitHubTestServer.start({ gitRoot });
  return {
    root,
    gitRoot,
    server,
    repos,
    async close() {
      await server.close();
      fs.rmSync(root, { recursive: true, force: true });
    },
  };
}
