import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { GitHubTestServer, notFound } from '../../support/github-server';
import { RegistryTestServer } from '../../support/registry-server';
import { main } from '../../../src/cli/main';
import type { Output } from '../../../src/cli/io';

// A survey's world on 127.0.0.1: the registries (test/support/registry-server.ts) and GitHub (the
// shared test server, extended here with the endpoints the survey reads: repository, commit, tree,
// blob, latest release), answered from in-memory repositories whose commit SHA follows their files.

export interface WorldRepo {
  owner: string;
  name: string;
  ownerType: 'User' | 'Organization';
  archived?: boolean;
  files: Record<string, string>;
  release?: { tag: string; publishedAt: string } | null;
}

function gitSha(kind: string, body: string | Buffer): string {
  const b = Buffer.isBuffer(body) ? body : Buffer.from(body);
  return createHash('sha1').update(`${kind} ${b.length}\0`).update(b).digest('hex');
}

export class SurveyWorld {
  readonly repos = new Map<string, WorldRepo>();
  /** Delay of every GitHub answer in ms (the interrupt test needs a survey that takes a while). */
  latencyMs = 0;
  dir = '';
  project = '';
  cacheDir = '';

  private constructor(
    readonly github: GitHubTestServer,
    readonly registry: RegistryTestServer,
  ) {}

  static async start(): Promise<SurveyWorld> {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'steward-survey-world-'));
    const github = await GitHubTestServer.start({ gitRoot: path.join(dir, 'git') });
    const registry = await RegistryTestServer.start();
    const w = new SurveyWorld(github, registry);
    w.dir = dir;
    w.project = path.join(dir, 'project');
    w.cacheDir = path.join(dir, 'cache');
    await fs.mkdir(w.project);
    w.install();
    return w;
  }

  async close(): Promise<void> {
    await this.github.close();
    await this.registry.close();
    await fs.rm(this.dir, { recursive: true, force: true });
  }

  addRepo(r: WorldRepo): void {
    this.repos.set(`${r.owner}/${r.name}`.toLowerCase(), r);
  }

  commitOf(r: WorldRepo): string {
    return gitSha('commit', JSON.stringify(Object.entries(r.files).sort()));
  }

  async put(rel: string, text: string): Promise<void> {
    const abs = path.join(this.project, rel);
    await fs.mkdir(path.dirname(abs), { recursive: true });
    await fs.writeFile(abs, text);
  }

  env(extra: Record<string, string> = {}): Record<string, string> {
    return {
      PATH: process.env.PATH ?? '',
      HOME: this.dir,
      STEWARD_CACHE_DIR: this.cacheDir,
      STEWARD_NPM_REGISTRY: this.registry.npmUrl,
      STEWARD_PYPI_URL: this.registry.pypiUrl,
      STEWARD_CRATES_URL: this.registry.cratesUrl,
      STEWARD_GO_IMPORT_URL: `${this.registry.url}/go/{module}?go-get=1`,
      STEWARD_HTTP_RETRY_BASE_MS: '1',
      ...extra,
    };
  }

  /** Runs the CLI in this process (like `steward ARGS` in the world's folder). */
  async cli(args: string[], env: Record<string, string> = {}): Promise<{ code: number; out: string; err: string }> {
    let out = '';
    let err = '';
    const o: Output = { out: (s) => (out += s), err: (s) => (err += s), isTTY: false, env: this.env(env), cwd: this.dir };
    const code = await main(args, o);
    return { code, out, err };
  }

  /** Requests for a repository's files (tree listings): how many repositories were fetched. */
  treeRequests(fullName?: string): number {
    return this.github.count(fullName ? new RegExp(`^/api/v3/repos/${fullName}/git/trees/`, 'i') : /^\/api\/v3\/repos\/[^/]+\/[^/]+\/git\/trees\//);
  }

  private install(): void {
    const api = '/api/v3/repos/:owner/:repo';
    const find = (p: Record<string, string>) => this.repos.get(`${p.owner}/${p.repo}`.toLowerCase());
    const slow = async <T>(v: T): Promise<T> => {
      if (this.latencyMs) await new Promise((r) => setTimeout(r, this.latencyMs));
      return v;
    };
    this.github.route('GET', api, (req) => {
      const r = find(req.params);
      if (!r) return slow({ status: 404, json: notFound() });
      const base = this.github.url;
      return slow({
        json: {
          id: 1,
          node_id: 'R_1',
          name: r.name,
          full_name: `${r.owner}/${r.name}`,
          private: false,
          owner: { login: r.owner, id: 2, node_id: 'U_2', type: r.ownerType, html_url: `${base}/${r.owner}`, site_admin: false },
          html_url: `https://github.com/${r.owner}/${r.name}`,
          fork: false,
          archived: !!r.archived,
          disabled: false,
          default_branch: 'main',
          pushed_at: '2025-06-01T00:00:00Z',
          visibility: 'public',
          license: null,
        },
      });
    });
    this.github.route('GET', `${api}/commits/*ref`, (req) => {
      const r = find(req.params);
      if (!r) return slow({ status: 404, json: notFound() });
      const sha = this.commitOf(r);
      return slow({ json: { sha, node_id: 'C_1', commit: { tree: { sha: `${sha.slice(0, 39)}t`, url: '' }, message: 'latest', author: { date: '2025-06-01T00:00:00Z' }, committer: { date: '2025-06-01T00:00:00Z' } }, parents: [] } });
    });
    this.github.route('GET', `${api}/git/trees/:sha`, (req) => {
      const r = find(req.params);
      if (!r) return slow({ status: 404, json: notFound() });
      const tree = Object.entries(r.files).map(([p, c]) => ({ path: p, mode: '100644', type: 'blob', sha: gitSha('blob', c), size: Buffer.byteLength(c), url: '' }));
      const dirs = new Set<string>();
      for (const p of Object.keys(r.files)) for (let i = p.indexOf('/'); i >= 0; i = p.indexOf('/', i + 1)) dirs.add(p.slice(0, i));
      for (const d of dirs) tree.push({ path: d, mode: '040000', type: 'tree', sha: gitSha('tree', d), size: 0, url: '' });
      return slow({ json: { sha: req.params.sha, url: '', tree: tree.sort((a, b) => (a.path < b.path ? -1 : 1)), truncated: false } });
    });
    this.github.route('GET', `${api}/git/blobs/:sha`, (req) => {
      const r = find(req.params);
      const content = r && Object.values(r.files).find((c) => gitSha('blob', c) === req.params.sha);
      if (content === undefined) return slow({ status: 404, json: notFound() });
      const b64 = Buffer.from(content).toString('base64').replace(/(.{60})/g, '$1\n');
      return slow({ json: { sha: req.params.sha, node_id: 'B_1', size: Buffer.byteLength(content), url: '', content: b64, encoding: 'base64' } });
    });
    this.github.route('GET', `${api}/releases/latest`, (req) => {
      const r = find(req.params);
      if (!r?.release) return slow({ status: 404, json: notFound() });
      return slow({ json: { id: 1, tag_name: r.release.tag, name: r.release.tag, draft: false, prerelease: false, created_at: r.release.publishedAt, published_at: r.release.publishedAt, assets: [] } });
    });
  }
}

/** A workflow that fails several Essentials (unpinned action, no permissions) and can be fixed. */
export const WEAK_WORKFLOW = `name: CI
on: [push]
jobs:
  test:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - run: npm test
`;

export const STRONG_WORKFLOW = `name: CI
on: [push]
permissions:
  contents: read
jobs:
  test:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683 # v4.2.2
        with:
          persist-credentials: false
      - run: npm test
`;

export const SECURITY_MD = `# Security policy

## Supported versions

Only the latest release receives security fixes.

## Reporting a vulnerability

Please report vulnerabilities privately through GitHub's "Report a vulnerability" button on the
Security tab, or by e-mail to security@example.org. We answer within 7 days and publish an advisory
once a fix is released.
`;

export const DEPENDABOT = `version: 2
updates:
  - package-ecosystem: github-actions
    directory: /
    schedule:
      interval: weekly
    cooldown:
      default-days: 7
  - package-ecosystem: npm
    directory: /
    schedule:
      interval: weekly
    cooldown:
      default-days: 7
`;
