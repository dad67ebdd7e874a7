import { execFile, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { promisify } from 'node:util';

// A local stand-in for GitHub on 127.0.0.1 (random port), for tests only:
// - the REST endpoints Steward uses under /api/v3 (as on GitHub Enterprise Server), with response
//   shapes modelled on GitHub's REST documentation, answered from per-repository state you set;
// - real bare git repositories under `gitRoot` served over git's smart HTTP protocol by spawning
//   `git http-backend` as a CGI program, so `git ls-remote http://127.0.0.1:PORT/o/r.git` works;
// - commits, tags and matching-refs answered from those same bare repositories, so API and git agree;
// - fault injection (404/403/rate limit/5xx) and per-path request counters.
// Routes are a list: `route()` adds one (later routes win), so other test suites (forks, pull requests)
// can extend the server without touching this file.

export interface Req {
  method: string;
  /** Path without the query string, e.g. /api/v3/repos/o/r. */
  path: string;
  query: URLSearchParams;
  params: Record<string, string>;
  headers: http.IncomingHttpHeaders;
  /** Parsed JSON body (undefined when empty or not JSON). */
  body: unknown;
  authenticated: boolean;
}

export interface Reply {
  status?: number;
  json?: unknown;
  body?: string;
  headers?: Record<string, string>;
}

export type Handler = (req: Req, server: GitHubTestServer) => Reply | Promise<Reply>;

/** Settings of one repository as the API reports them. */
export interface RepoState {
  owner: string;
  name: string;
  defaultBranch: string;
  private: boolean;
  visibility: 'public' | 'private' | 'internal';
  archived: boolean;
  fork: boolean;
  license: { key: string; name: string; spdx_id: string } | null;
  /** What the signed-in caller may do; sent only on authenticated requests, like GitHub. */
  permissions: { admin: boolean; maintain: boolean; push: boolean; triage: boolean; pull: boolean };
  /** true/false, or the status GitHub answers to callers who may not see it. */
  privateVulnerabilityReporting: boolean | 404 | 403;
  branchRules: { type: string; parameters?: Record<string, unknown> }[] | 404 | 403;
  /** Classic protection flag per branch (default: false). */
  protectedBranches: string[];
  latestRelease: { tag: string; publishedAt: string } | null;
}

interface Route {
  method: string;
  pattern: RegExp;
  keys: string[];
  handler: Handler;
}

export interface LoggedRequest {
  method: string;
  path: string;
  authenticated: boolean;
  status: number;
}

const run = promisify(execFile);

function compile(pattern: string): { re: RegExp; keys: string[] } {
  const keys: string[] = [];
  // `:name` matches one segment, `*name` the rest of the path (branch names with slashes).
  const src = pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/([:*])(\w+)/g, (_, kind: string, k: string) => {
    keys.push(k);
    return kind === ':' ? '([^/]+)' : '(.+)';
  });
  return { re: new RegExp(`^${src}$`), keys };
}

export class GitHubTestServer {
  readonly requests: LoggedRequest[] = [];
  /** Bodies of private vulnerability reports and issues created, in order. */
  readonly advisoryReports: { repo: string; body: Record<string, unknown> }[] = [];
  readonly issues: { repo: string; body: Record<string, unknown> }[] = [];
  readonly repos = new Map<string, RepoState>();
  /** GitHub's advisory database as GET /advisories lists it (global advisory shape). */
  readonly advisories: AdvisoryJson[] = [];
  /** Releases by `owner/repo` (lower case) and tag, for GET /repos/{o}/{r}/releases/tags/{tag}. */
  readonly releases = new Map<string, Record<string, { immutable: boolean; prerelease?: boolean; publishedAt?: string }>>();
  private readonly routes: Route[] = [];
  private server!: http.Server;
  url = '';

  private constructor(readonly gitRoot: string) {}

  static async start(opts: { gitRoot: string }): Promise<GitHubTestServer> {
    const s = new GitHubTestServer(opts.gitRoot);
    s.installDefaultRoutes();
    s.server = http.createServer((req, res) => {
      s.handle(req, res).catch((e) => {
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
        res.end(String(e));
      });
    });
    await new Promise<void>((resolve) => s.server.listen(0, '127.0.0.1', resolve));
    s.url = `http://127.0.0.1:${(s.server.address() as AddressInfo).port}`;
    return s;
  }

  get apiUrl(): string {
    return `${this.url}/api/v3`;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections?.();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** Adds a route; `pattern` like '/api/v3/repos/:owner/:repo/forks'. Later routes take precedence. */
  route(method: string, pattern: string, handler: Handler): () => void {
    const { re, keys } = compile(pattern);
    const r: Route = { method: method.toUpperCase(), pattern: re, keys, handler };
    this.routes.unshift(r);
    return () => {
      const i = this.routes.indexOf(r);
      if (i >= 0) this.routes.splice(i, 1);
    };
  }

  /** Answers `reply` to the next `times` requests matching method and pattern, then normal service resumes. */
  fail(method: string, pattern: string, reply: Reply, times = Infinity): void {
    let left = times;
    const remove = this.route(method, pattern, () => {
      if (--left <= 0) remove();
      return reply;
    });
  }

  /** Declares a repository for the API (settings default to a public, unprotected repository). */
  addRepo(fullName: string, state: Partial<Omit<RepoState, 'owner' | 'name'>> = {}): RepoState {
    const [owner, name] = fullName.split('/');
    const r: RepoState = {
      owner,
      name,
      defaultBranch: 'main',
      private: false,
      visibility: 'public',
      archived: false,
      fork: false,
      license: { key: 'mit', name: 'MIT License', spdx_id: 'MIT' },
      permissions: { admin: false, maintain: false, push: false, triage: false, pull: true },
      privateVulnerabilityReporting: 404,
      branchRules: [],
      protectedBranches: [],
      latestRelease: null,
      ...state,
    };
    this.repos.set(fullName.toLowerCase(), r);
    return r;
  }

  /** Requests whose path matches (string: exact path or prefix ending in '*'; RegExp) and method. */
  count(match: string | RegExp, method?: string): number {
    return this.requests.filter((r) => (!method || r.method === method) && (typeof match === 'string' ? (match.endsWith('*') ? r.path.startsWith(match.slice(0, -1)) : r.path === match) : match.test(r.path))).length;
  }

  /** Number of `git ls-remote` (and fetch) conversations with a repository: one info/refs GET each. */
  lsRemoteCount(owner: string, repo: string): number {
    return this.count(`/${owner}/${repo}.git/info/refs`, 'GET');
  }

  resetCounts(): void {
    this.requests.length = 0;
  }

  private bare(owner: string, repo: string): string | undefined {
    const p = path.join(this.gitRoot, owner, `${repo}.git`);
    return fs.existsSync(p) ? p : undefined;
  }

  private async gitOut(dir: string, args: string[]): Promise<string> {
    const { stdout } = await run('git', ['-C', dir, ...args], { env: { PATH: process.env.PATH ?? '', GIT_CONFIG_NOSYSTEM: '1', HOME: dir } });
    return stdout;
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const u = new URL(req.url ?? '/', 'http://127.0.0.1');
    const method = (req.method ?? 'GET').toUpperCase();
    const authenticated = typeof req.headers.authorization === 'string' && req.headers.authorization.length > 0;
    // Logged decoded: Octokit sends `tags%2Fv4` for a {ref} parameter, GitHub (and we) read tags/v4.
    const log: LoggedRequest = { method, path: safeDecode(u.pathname), authenticated, status: 0 };
    this.requests.push(log);
    // Smart HTTP git: hand the whole exchange to git http-backend.
    if (/^\/[^/]+\/[^/]+\.git\//.test(u.pathname)) {
      log.status = await this.gitBackend(req, res, u);
      return;
    }
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    let body: unknown;
    try {
      body = raw ? JSON.parse(raw) : undefined;
    } catch {
      body = undefined;
    }
    for (const r of this.routes) {
      if (r.method !== method && r.method !== '*') continue;
      const m = r.pattern.exec(u.pathname);
      if (!m) continue;
      const params: Record<string, string> = {};
      r.keys.forEach((k, i) => (params[k] = decodeURIComponent(m[i + 1])));
      const reply = await r.handler({ method, path: u.pathname, query: u.searchParams, params, headers: req.headers, body, authenticated }, this);
      log.status = reply.status ?? 200;
      const headers: Record<string, string> = {
        'x-github-api-version-selected': '2022-11-28',
        'x-ratelimit-limit': authenticated ? '5000' : '60',
        'x-ratelimit-remaining': authenticated ? '4999' : '59',
        'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) + 3600),
        ...(reply.json !== undefined ? { 'content-type': 'application/json; charset=utf-8' } : {}),
        ...reply.headers,
      };
      res.writeHead(log.status, headers);
      res.end(reply.json !== undefined ? JSON.stringify(reply.json) : (reply.body ?? ''));
      return;
    }
    log.status = 404;
    res.writeHead(404, { 'content-type': 'application/json; charset=utf-8' });
    res.end(JSON.stringify(notFound()));
  }

  private gitBackend(req: http.IncomingMessage, res: http.ServerResponse, u: URL): Promise<number> {
    return new Promise((resolve) => {
      const env: NodeJS.ProcessEnv = {
        PATH: process.env.PATH,
        HOME: this.gitRoot,
        GIT_CONFIG_NOSYSTEM: '1',
        GIT_PROJECT_ROOT: this.gitRoot,
        GIT_HTTP_EXPORT_ALL: '1',
        GATEWAY_INTERFACE: 'CGI/1.1',
        SERVER_PROTOCOL: 'HTTP/1.1',
        REQUEST_METHOD: req.method ?? 'GET',
        PATH_INFO: decodeURIComponent(u.pathname),
        QUERY_STRING: u.search.replace(/^\?/, ''),
        CONTENT_TYPE: req.headers['content-type'] ?? '',
        REMOTE_ADDR: '127.0.0.1',
        ...(req.headers['content-length'] ? { CONTENT_LENGTH: req.headers['content-length'] } : {}),
        ...(req.headers['git-protocol'] ? { HTTP_GIT_PROTOCOL: String(req.headers['git-protocol']) } : {}),
        ...(req.headers['content-encoding'] ? { HTTP_CONTENT_ENCODING: String(req.headers['content-encoding']) } : {}),
      };
      const child = spawn('git', ['http-backend'], { env, stdio: ['pipe', 'pipe', 'ignore'] });
      req.pipe(child.stdin);
      let head = Buffer.alloc(0);
      let started = false;
      let status = 200;
      child.stdout.on('data', (chunk: Buffer) => {
        if (started) {
          res.write(chunk);
          return;
        }
        head = Buffer.concat([head, chunk]);
        const sep = head.indexOf('\r\n\r\n') >= 0 ? head.indexOf('\r\n\r\n') : head.indexOf('\n\n');
        if (sep < 0) return;
        const sepLen = head[sep] === 13 ? 4 : 2;
        const headers: Record<string, string> = {};
        for (const line of head.subarray(0, sep).toString('latin1').split(/\r?\n/)) {
          const i = line.indexOf(':');
          if (i <= 0) continue;
          const k = line.slice(0, i).trim();
          const v = line.slice(i + 1).trim();
          if (k.toLowerCase() === 'status') status = parseInt(v, 10) || 200;
          else headers[k] = v;
        }
        res.writeHead(status, headers);
        started = true;
        res.write(head.subarray(sep + sepLen));
      });
      child.on('close', () => {
        if (!started) res.writeHead(500);
        res.end();
        resolve(status);
      });
    });
  }

  private installDefaultRoutes(): void {
    const api = '/api/v3/repos/:owner/:repo';
    const repoOr404 = (req: Req): RepoState | Reply => this.repos.get(`${req.params.owner}/${req.params.repo}`.toLowerCase()) ?? { status: 404, json: notFound() };
    const isReply = (x: RepoState | Reply): x is Reply => !('defaultBranch' in x);

    this.route('GET', api, (req) => {
      const r = repoOr404(req);
      if (isReply(r)) return r;
      return { json: repoJson(this.url, r, req.authenticated) };
    });
    this.route('GET', `${api}/private-vulnerability-reporting`, (req) => {
      const r = repoOr404(req);
      if (isReply(r)) return r;
      const v = r.privateVulnerabilityReporting;
      if (v === 404) return { status: 404, json: notFound() };
      if (v === 403) return { status: 403, json: { message: 'Must have admin rights to Repository.', documentation_url: 'https://docs.github.com/rest', status: '403' } };
      return { json: { enabled: v } };
    });
    // Privately report a security vulnerability: 201 with the draft advisory when reporting is on;
    // GitHub answers 422 when the repository has it off, 404 when the caller cannot see it.
    this.route('POST', `${api}/security-advisories/reports`, (req) => {
      const r = repoOr404(req);
      if (isReply(r)) return r;
      const v = r.privateVulnerabilityReporting;
      if (v === 404) return { status: 404, json: notFound() };
      if (v !== true) return { status: 422, json: { message: 'Private vulnerability reporting is disabled for this repository.', documentation_url: 'https://docs.github.com/rest/security-advisories/repository-advisories#privately-report-a-security-vulnerability', status: '422' } };
      const body = (req.body ?? {}) as Record<string, unknown>;
      this.advisoryReports.push({ repo: `${r.owner}/${r.name}`, body });
      const ghsa = `GHSA-test-${String(this.advisoryReports.length).padStart(4, '0')}-xxxx`;
      return { status: 201, json: { ghsa_id: ghsa, html_url: `${this.url}/${r.owner}/${r.name}/security/advisories/${ghsa}`, summary: body.summary, description: body.description, severity: body.severity ?? null, state: 'triage', cwe_ids: body.cwe_ids ?? [] } };
    });
    this.route('POST', `${api}/issues`, (req) => {
      const r = repoOr404(req);
      if (isReply(r)) return r;
      const body = (req.body ?? {}) as Record<string, unknown>;
      this.issues.push({ repo: `${r.owner}/${r.name}`, body });
      const number = this.issues.length;
      return { status: 201, json: { number, html_url: `${this.url}/${r.owner}/${r.name}/issues/${number}`, title: body.title, body: body.body, state: 'open' } };
    });
    this.route('GET', `${api}/rules/branches/*branch`, (req) => {
      const r = repoOr404(req);
      if (isReply(r)) return r;
      const v = r.branchRules;
      if (v === 404) return { status: 404, json: notFound() };
      if (v === 403) return { status: 403, json: { message: 'Resource not accessible by integration', status: '403' } };
      return {
        json: v.map((rule, i) => ({ type: rule.type, ...(rule.parameters ? { parameters: rule.parameters } : {}), ruleset_source_type: 'Repository', ruleset_source: `${r.owner}/${r.name}`, ruleset_id: 1000 + i })),
      };
    });
    this.route('GET', `${api}/branches/*branch`, async (req) => {
      const r = repoOr404(req);
      if (isReply(r)) return r;
      const bare = this.bare(r.owner, r.name);
      const sha = bare ? (await this.gitOut(bare, ['rev-parse', '--verify', '-q', `refs/heads/${req.params.branch}`]).catch(() => '')).trim() : '0'.repeat(40);
      if (!sha) return { status: 404, json: { message: 'Branch not found', documentation_url: 'https://docs.github.com/rest/branches/branches#get-a-branch', status: '404' } };
      const prot = r.protectedBranches.includes(req.params.branch);
      return {
        json: {
          name: req.params.branch,
          commit: { sha, url: `${this.apiUrl}/repos/${r.owner}/${r.name}/commits/${sha}` },
          _links: { self: `${this.apiUrl}/repos/${r.owner}/${r.name}/branches/${req.params.branch}`, html: `${this.url}/${r.owner}/${r.name}/tree/${req.params.branch}` },
          protected: prot,
          protection: { enabled: prot, required_status_checks: { enforcement_level: 'off', contexts: [], checks: [] } },
          protection_url: `${this.apiUrl}/repos/${r.owner}/${r.name}/branches/${req.params.branch}/protection`,
        },
      };
    });
    this.route('GET', `${api}/releases/latest`, (req) => {
      const r = repoOr404(req);
      if (isReply(r)) return r;
      if (!r.latestRelease) return { status: 404, json: notFound() };
      const t = r.latestRelease;
      return {
        json: {
          id: 1,
          tag_name: t.tag,
          name: t.tag,
          draft: false,
          prerelease: false,
          created_at: t.publishedAt,
          published_at: t.publishedAt,
          html_url: `${this.url}/${r.owner}/${r.name}/releases/tag/${t.tag}`,
          target_commitish: r.defaultBranch,
          author: { login: 'octocat', id: 1, type: 'User' },
          assets: [],
        },
      };
    });
    // Git data from the bare repositories: any repository with a bare repo answers, declared or not.
    this.route('GET', `${api}/git/matching-refs/*ref`, async (req) => {
      const bare = this.bare(req.params.owner, req.params.repo);
      if (!bare) return { status: 404, json: notFound() };
      const prefix = `refs/${req.params.ref}`;
      const out = await this.gitOut(bare, ['for-each-ref', '--format=%(refname) %(objectname) %(objecttype)', 'refs/']);
      const all = out
        .split('\n')
        .filter(Boolean)
        .map((l) => l.split(' '))
        .filter(([ref]) => ref.startsWith(prefix));
      const perPage = Number(req.query.get('per_page') ?? 30);
      const page = Number(req.query.get('page') ?? 1);
      return {
        json: all.slice((page - 1) * perPage, page * perPage).map(([ref, sha, type]) => ({
          ref,
          node_id: Buffer.from(ref).toString('base64'),
          url: `${this.apiUrl}/repos/${req.params.owner}/${req.params.repo}/git/${ref}`,
          object: { sha, type, url: `${this.apiUrl}/repos/${req.params.owner}/${req.params.repo}/git/${type === 'tag' ? 'tags' : 'commits'}/${sha}` },
        })),
      };
    });
    this.route('GET', `${api}/commits/*ref`, async (req) => {
      const bare = this.bare(req.params.owner, req.params.repo);
      if (!bare) return { status: 404, json: notFound() };
      // rev-parse resolves an ambiguous name tag-first, like GitHub does.
      const sha = (await this.gitOut(bare, ['rev-parse', '--verify', '-q', `${req.params.ref}^{commit}`]).catch(() => '')).trim();
      if (!sha) return { status: 422, json: { message: `No commit found for SHA: ${req.params.ref}`, documentation_url: 'https://docs.github.com/rest/commits/commits#get-a-commit', status: '422' } };
      const f = (await this.gitOut(bare, ['show', '-s', '--format=%an%n%ae%n%aI%n%cn%n%ce%n%cI%n%T%n%P%n%B', sha])).split('\n');
      const o = req.params.owner;
      const r = req.params.repo;
      return {
        json: {
          sha,
          node_id: `C_${sha.slice(0, 10)}`,
          commit: {
            author: { name: f[0], email: f[1], date: new Date(f[2]).toISOString().replace('.000', '') },
            committer: { name: f[3], email: f[4], date: new Date(f[5]).toISOString().replace('.000', '') },
            message: f.slice(8).join('\n').trim(),
            tree: { sha: f[6], url: `${this.apiUrl}/repos/${o}/${r}/git/trees/${f[6]}` },
            url: `${this.apiUrl}/repos/${o}/${r}/git/commits/${sha}`,
            comment_count: 0,
            verification: { verified: false, reason: 'unsigned', signature: null, payload: null },
          },
          url: `${this.apiUrl}/repos/${o}/${r}/commits/${sha}`,
          html_url: `${this.url}/${o}/${r}/commit/${sha}`,
          parents: f[7] ? f[7].split(' ').map((p) => ({ sha: p, url: `${this.apiUrl}/repos/${o}/${r}/commits/${p}` })) : [],
          files: [],
        },
      };
    });
    this.route('GET', `${api}/git/tags/:sha`, async (req) => {
      const bare = this.bare(req.params.owner, req.params.repo);
      if (!bare) return { status: 404, json: notFound() };
      const type = (await this.gitOut(bare, ['cat-file', '-t', req.params.sha]).catch(() => '')).trim();
      if (type !== 'tag') return { status: 404, json: notFound() };
      const text = await this.gitOut(bare, ['cat-file', '-p', req.params.sha]);
      const [headerText, ...msg] = text.split('\n\n');
      const h: Record<string, string> = {};
      for (const line of headerText.split('\n')) {
        const i = line.indexOf(' ');
        h[line.slice(0, i)] = line.slice(i + 1);
      }
      const tagger = /^(.*) <(.*)> (\d+) ([+-]\d{4})$/.exec(h.tagger ?? '');
      const o = req.params.owner;
      const r = req.params.repo;
      return {
        json: {
          node_id: `TAG_${req.params.sha.slice(0, 10)}`,
          tag: h.tag,
          sha: req.params.sha,
          url: `${this.apiUrl}/repos/${o}/${r}/git/tags/${req.params.sha}`,
          message: msg.join('\n\n'),
          tagger: tagger ? { name: tagger[1], email: tagger[2], date: new Date(Number(tagger[3]) * 1000).toISOString().replace('.000', '') } : undefined,
          object: { sha: h.object, type: h.type, url: `${this.apiUrl}/repos/${o}/${r}/git/${h.type === 'tag' ? 'tags' : 'commits'}/${h.object}` },
          verification: { verified: false, reason: 'unsigned', signature: null, payload: null },
        },
      };
    });
    this.installActionAuditRoutes();
  }

  /** The endpoints of the online action audits: advisories, compare, releases by tag, tag and branch lists. */
  private installActionAuditRoutes(): void {
    const api = '/api/v3/repos/:owner/:repo';
    // Cursor pagination as GitHub does it for advisories: `after` from the Link header's next URL.
    this.route('GET', '/api/v3/advisories', (req) => {
      const eco = req.query.get('ecosystem');
      const affects = (req.query.get('affects') ?? '').split(',').map((x) => x.trim().replace(/@.*$/, '').toLowerCase()).filter(Boolean);
      const type = req.query.get('type') ?? 'reviewed';
      const all = this.advisories.filter(
        (a) =>
          (a.type ?? 'reviewed') === type &&
          (!eco || a.vulnerabilities.some((v) => v.package.ecosystem === eco)) &&
          (!affects.length || a.vulnerabilities.some((v) => affects.includes(v.package.name.toLowerCase()))),
      );
      const perPage = Math.min(Number(req.query.get('per_page') ?? 30), 100);
      const after = req.query.get('after');
      const start = after ? Number(Buffer.from(after, 'base64url').toString('utf8')) : 0;
      const page = all.slice(start, start + perPage);
      const headers: Record<string, string> = {};
      if (start + perPage < all.length) {
        const next = new URL(`${this.apiUrl}/advisories`);
        for (const [k, v] of req.query) if (k !== 'after') next.searchParams.set(k, v);
        next.searchParams.set('after', Buffer.from(String(start + perPage)).toString('base64url'));
        headers.link = `<${next.toString()}>; rel="next"`;
      }
      return { json: page, headers };
    });
    this.route('GET', `${api}/compare/*basehead`, async (req) => {
      const bare = this.bare(req.params.owner, req.params.repo);
      if (!bare) return { status: 404, json: notFound() };
      const [base, head] = req.params.basehead.split('...');
      const rev = async (r: string) => (await this.gitOut(bare, ['rev-parse', '--verify', '-q', `${r}^{commit}`]).catch(() => '')).trim();
      const b = await rev(base ?? '');
      const h = await rev(head ?? '');
      if (!b || !h) return { status: 404, json: notFound() };
      const mb = (await this.gitOut(bare, ['merge-base', b, h]).catch(() => '')).trim();
      // No common history: GitHub answers 404 here too.
      if (!mb) return { status: 404, json: { message: `No common ancestor between ${base} and ${head}.`, documentation_url: 'https://docs.github.com/rest/commits/commits#compare-two-commits', status: '404' } };
      const count = async (range: string) => Number((await this.gitOut(bare, ['rev-list', '--count', range])).trim());
      const ahead = await count(`${b}..${h}`);
      const behind = await count(`${h}..${b}`);
      const status = !ahead && !behind ? 'identical' : ahead && behind ? 'diverged' : ahead ? 'ahead' : 'behind';
      const o = req.params.owner;
      const r = req.params.repo;
      return {
        json: {
          url: `${this.apiUrl}/repos/${o}/${r}/compare/${req.params.basehead}`,
          html_url: `${this.url}/${o}/${r}/compare/${req.params.basehead}`,
          permalink_url: `${this.url}/${o}/${r}/compare/${o}:${b.slice(0, 7)}...${o}:${h.slice(0, 7)}`,
          base_commit: { sha: b, url: `${this.apiUrl}/repos/${o}/${r}/commits/${b}` },
          merge_base_commit: { sha: mb, url: `${this.apiUrl}/repos/${o}/${r}/commits/${mb}` },
          status,
          ahead_by: ahead,
          behind_by: behind,
          total_commits: ahead,
          commits: [],
          files: [],
        },
      };
    });
    this.route('GET', `${api}/releases/tags/*tag`, (req) => {
      const rel = this.releases.get(`${req.params.owner}/${req.params.repo}`.toLowerCase())?.[req.params.tag];
      if (!rel) return { status: 404, json: notFound() };
      const o = req.params.owner;
      const r = req.params.repo;
      return {
        json: {
          url: `${this.apiUrl}/repos/${o}/${r}/releases/1`,
          html_url: `${this.url}/${o}/${r}/releases/tag/${req.params.tag}`,
          id: 1,
          tag_name: req.params.tag,
          target_commitish: 'main',
          name: req.params.tag,
          draft: false,
          prerelease: !!rel.prerelease,
          immutable: rel.immutable,
          created_at: rel.publishedAt ?? '2025-01-01T00:00:00Z',
          published_at: rel.publishedAt ?? '2025-01-01T00:00:00Z',
          author: { login: 'octocat', id: 1, type: 'User' },
          assets: [],
        },
      };
    });
    // Lists from the bare repositories, paged like GitHub (per_page, page); tags name their commit peeled.
    const listed = async (req: Req, kind: 'tags' | 'heads') => {
      const bare = this.bare(req.params.owner, req.params.repo);
      if (!bare) return { status: 404, json: notFound() };
      const out = await this.gitOut(bare, ['for-each-ref', '--format=%(refname:lstrip=2) %(*objectname) %(objectname)', `refs/${kind}/`]);
      const rows = out.split('\n').filter(Boolean).map((l) => l.split(' ')).map(([name, peeled, sha]) => ({ name, sha: peeled || sha }));
      const perPage = Math.min(Number(req.query.get('per_page') ?? 30), 100);
      const page = Number(req.query.get('page') ?? 1);
      const o = req.params.owner;
      const r = req.params.repo;
      return {
        json: rows.slice((page - 1) * perPage, page * perPage).map((t) =>
          kind === 'tags'
            ? { name: t.name, zipball_url: `${this.apiUrl}/repos/${o}/${r}/zipball/refs/tags/${t.name}`, tarball_url: `${this.apiUrl}/repos/${o}/${r}/tarball/refs/tags/${t.name}`, commit: { sha: t.sha, url: `${this.apiUrl}/repos/${o}/${r}/commits/${t.sha}` }, node_id: `REF_${t.name}` }
            : { name: t.name, commit: { sha: t.sha, url: `${this.apiUrl}/repos/${o}/${r}/commits/${t.sha}` }, protected: false },
        ),
      };
    };
    this.route('GET', `${api}/tags`, (req) => listed(req, 'tags'));
    this.route('GET', `${api}/branches`, (req) => listed(req, 'heads'));
  }
}

/** One advisory as GET /advisories returns it (fields Steward reads, plus the usual neighbours). */
export interface AdvisoryJson {
  ghsa_id: string;
  cve_id: string | null;
  url?: string;
  html_url?: string;
  summary: string;
  description?: string;
  type?: 'reviewed' | 'unreviewed' | 'malware';
  severity: 'low' | 'medium' | 'high' | 'critical' | 'unknown';
  published_at?: string;
  withdrawn_at: string | null;
  vulnerabilities: { package: { ecosystem: string; name: string }; vulnerable_version_range: string; first_patched_version: string | null; vulnerable_functions?: string[] }[];
}

/** An advisory for an action in GitHub's global shape, for tests. */
export function actionAdvisory(a: { ghsa: string; cve?: string; summary: string; severity: AdvisoryJson['severity']; name: string; range: string; patched: string | null; withdrawn?: boolean }): AdvisoryJson {
  return {
    ghsa_id: a.ghsa,
    cve_id: a.cve ?? null,
    url: `https://api.github.com/advisories/${a.ghsa}`,
    html_url: `https://github.com/advisories/${a.ghsa}`,
    summary: a.summary,
    description: a.summary,
    type: 'reviewed',
    severity: a.severity,
    published_at: '2025-03-15T00:00:00Z',
    withdrawn_at: a.withdrawn ? '2025-04-01T00:00:00Z' : null,
    vulnerabilities: [{ package: { ecosystem: 'actions', name: a.name }, vulnerable_version_range: a.range, first_patched_version: a.patched, vulnerable_functions: [] }],
  };
}

function safeDecode(p: string): string {
  try {
    return decodeURIComponent(p);
  } catch {
    return p;
  }
}

export function notFound(): { message: string; documentation_url: string; status: string } {
  return { message: 'Not Found', documentation_url: 'https://docs.github.com/rest', status: '404' };
}

/** A 403 primary rate-limit answer as GitHub sends it. */
export function rateLimited(resetEpochSeconds: number): Reply {
  return {
    status: 403,
    json: { message: 'API rate limit exceeded for 127.0.0.1. (But here\'s the good news: Authenticated requests get a higher rate limit.)', documentation_url: 'https://docs.github.com/rest/overview/resources-in-the-rest-api#rate-limiting' },
    headers: { 'x-ratelimit-limit': '60', 'x-ratelimit-remaining': '0', 'x-ratelimit-used': '60', 'x-ratelimit-reset': String(resetEpochSeconds), 'x-ratelimit-resource': 'core' },
  };
}

function repoJson(base: string, r: RepoState, authenticated: boolean): Record<string, unknown> {
  const api = `${base}/api/v3`;
  const full = `${r.owner}/${r.name}`;
  return {
    id: 123456,
    node_id: 'R_kgDOAAAAAA',
    name: r.name,
    full_name: full,
    private: r.private,
    owner: { login: r.owner, id: 1, node_id: 'O_1', type: 'Organization', html_url: `${base}/${r.owner}`, site_admin: false },
    html_url: `${base}/${full}`,
    description: `${r.name} test repository`,
    fork: r.fork,
    url: `${api}/repos/${full}`,
    clone_url: `${base}/${full}.git`,
    created_at: '2020-01-01T00:00:00Z',
    updated_at: '2025-01-01T00:00:00Z',
    pushed_at: '2025-01-01T00:00:00Z',
    homepage: null,
    size: 100,
    stargazers_count: 10,
    watchers_count: 10,
    language: 'TypeScript',
    has_issues: true,
    has_projects: true,
    has_wiki: false,
    has_pages: false,
    forks_count: 2,
    archived: r.archived,
    disabled: false,
    open_issues_count: 1,
    license: r.license ? { ...r.license, url: `${api}/licenses/${r.license.key}`, node_id: 'MDc6TGljZW5zZTEz' } : null,
    allow_forking: true,
    is_template: false,
    topics: [],
    visibility: r.visibility,
    forks: 2,
    open_issues: 1,
    watchers: 10,
    default_branch: r.defaultBranch,
    ...(authenticated ? { permissions: r.permissions } : {}),
  };
}
