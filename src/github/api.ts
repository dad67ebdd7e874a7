import { Octokit } from '@octokit/rest';
import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';
import type { BranchRuleSummary } from '../core/model/facts';
import { toGitHubError, GitHubNotFoundError } from './errors';
import type { TokenProvider } from './token';
import type { GitHubEndpoints } from './urls';

// The GitHub REST API behind a narrow port. Every call goes through one error wrapper, so callers see
// GitHubError kinds (auth, forbidden, not-found, rate-limit, network, server) with readable messages.

export interface RepoInfo {
  owner: string;
  repo: string;
  htmlUrl: string;
  defaultBranch: string;
  visibility?: 'public' | 'private' | 'internal';
  private: boolean;
  archived: boolean;
  fork: boolean;
  licenseSpdx: string | null;
  /** Present only when the request was authenticated. */
  permissions?: { admin?: boolean; maintain?: boolean; push?: boolean; triage?: boolean; pull?: boolean };
}

export interface TagRef {
  /** Short name, e.g. v4.2.2. */
  name: string;
  /** What the ref points to: a commit, or a tag object for annotated tags. */
  sha: string;
  type: 'commit' | 'tag';
}

export interface CommitInfo {
  sha: string;
  /** Committer date, ISO 8601. */
  date?: string;
}

export interface TagObjectInfo {
  sha: string;
  tag: string;
  /** What the tag object points to (usually a commit; tags of tags are peeled by the caller). */
  target: { sha: string; type: string };
  date?: string;
}

/** One advisory of GitHub's advisory database (GET /advisories), the fields the action audits read. */
export interface AdvisoryRecord {
  ghsaId: string;
  cveId?: string;
  summary: string;
  severity: string;
  htmlUrl: string;
  withdrawn: boolean;
  vulnerabilities: { ecosystem: string; name: string; range: string; firstPatched?: string }[];
}

export interface GitHubPort {
  readonly endpoints: GitHubEndpoints;
  readonly authenticated: boolean;
  getRepo(owner: string, repo: string): Promise<RepoInfo>;
  /** GET /repos/{o}/{r}/private-vulnerability-reporting → enabled. */
  privateVulnerabilityReporting(owner: string, repo: string): Promise<boolean>;
  /** Rules (rulesets) that apply to a branch; readable with read access. */
  branchRules(owner: string, repo: string, branch: string): Promise<BranchRuleSummary[]>;
  /** Classic branch protection flag from GET /repos/{o}/{r}/branches/{branch}. */
  branchProtected(owner: string, repo: string, branch: string): Promise<boolean>;
  latestRelease(owner: string, repo: string): Promise<{ tag: string; publishedAt: string } | null>;
  /** Tags whose name starts with `prefix` (all tags for ''). */
  matchingTags(owner: string, repo: string, prefix: string): Promise<TagRef[]>;
  /** Resolves a ref (branch, tag or SHA) the way GitHub does, with its date. */
  getCommit(owner: string, repo: string, ref: string): Promise<CommitInfo>;
  getTagObject(owner: string, repo: string, sha: string): Promise<TagObjectInfo>;
  /**
   * One page of GET /advisories (cursor pagination: `after` from the Link header's next URL). `next` is
   * the cursor of the following page, undefined on the last.
   */
  advisoriesPage?(query: { ecosystem: string; affects?: string; after?: string }): Promise<{ advisories: AdvisoryRecord[]; next?: string }>;
  /** GET /repos/{o}/{r}/compare/{base}...{head}: how `head` relates to `base`; 'unrelated' for GitHub's 404 on no common history. */
  compareStatus?(owner: string, repo: string, base: string, head: string): Promise<'ahead' | 'behind' | 'identical' | 'diverged' | 'unrelated'>;
  /** GET /repos/{o}/{r}/releases/tags/{tag}: null when the tag has no release. */
  releaseByTag?(owner: string, repo: string, tag: string): Promise<{ tag: string; immutable: boolean; draft: boolean; prerelease: boolean } | null>;
  /** Any other endpoint (the contribution flow's forks and pull requests) through the same error wrapper. */
  request<T = unknown>(route: string, params?: Record<string, unknown>): Promise<{ status: number; data: T; headers: Record<string, string | number | undefined> }>;
}

export interface OctokitPortOptions {
  endpoints: GitHubEndpoints;
  token?: string;
  /** Asked before each request when no fixed `token` is given (the extension's signed-in session). */
  tokenProvider?: TokenProvider;
  userAgent?: string;
  /** Retries of 5xx and network failures (default 2). */
  retries?: number;
  /** Base delay unit of the retry and throttling plugins in ms (default 1000; tests use ~1). */
  retryBaseMs?: number;
  /** Wait for a rate-limit reset at most this many seconds before giving up (default 0: never wait). */
  maxRateLimitWaitSeconds?: number;
  /** Injected fetch (tests). */
  fetch?: typeof fetch;
  /**
   * Each attempt of a request (headers and body) is given up after this many ms (default 15 000): a
   * server or proxy that accepts the connection and never answers must not hold a scan or the editor.
   */
  requestTimeoutMs?: number;
}

/**
 * A fetch that gives up after `ms`, whatever signal the caller passes as well. The body is read within
 * the same limit: Octokit reads it later and, when that read fails, returns the empty text as if it were
 * the answer, so a server stalling mid-body would otherwise look like an empty reply.
 */
export function fetchWithTimeout(ms: number, inner: typeof fetch = globalThis.fetch): typeof fetch {
  return async (input, init) => {
    const timeout = AbortSignal.timeout(ms);
    const signal = init?.signal ? AbortSignal.any([init.signal, timeout]) : timeout;
    const res = await inner(input, { ...init, signal });
    const nullBody = [101, 204, 205, 304].includes(res.status);
    const body = nullBody ? null : await res.arrayBuffer();
    const copy = new Response(body, { status: res.status, statusText: res.statusText, headers: res.headers });
    Object.defineProperty(copy, 'url', { value: res.url });
    return copy;
  };
}

const ThrottledOctokit = Octokit.plugin(retry, throttling);
type Client = InstanceType<typeof ThrottledOctokit>;

export class OctokitGitHubPort implements GitHubPort {
  readonly endpoints: GitHubEndpoints;
  private readonly client: Client;
  private token?: string;
  private readonly tokenProvider?: TokenProvider;

  constructor(opts: OctokitPortOptions) {
    this.endpoints = opts.endpoints;
    this.token = opts.token;
    this.tokenProvider = opts.token ? undefined : opts.tokenProvider;
    const maxWait = opts.maxRateLimitWaitSeconds ?? 0;
    const base = opts.retryBaseMs ?? 1000;
    this.client = new ThrottledOctokit({
      baseUrl: opts.endpoints.api,
      auth: opts.token,
      userAgent: opts.userAgent ?? 'steward',
      // Octokit logs request failures with console.warn by default; we report them ourselves.
      log: { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} },
      // Retries go in the plugin's options: a `request.retries` default would make the plugin retry
      // every failure, 403 and 404 included.
      request: { fetch: fetchWithTimeout(opts.requestTimeoutMs ?? 15_000, opts.fetch) },
      retry: { retryAfterBaseValue: base, retries: opts.retries ?? 2 },
      throttle: {
        retryAfterBaseValue: base,
        // A person is waiting: only wait for a reset that is close, once. Otherwise fail with the reset
        // time in the message (the error wrapper builds it from the response headers).
        onRateLimit: (retryAfter: number, _o: unknown, _k: unknown, retryCount: number) => retryCount < 1 && retryAfter <= maxWait,
        onSecondaryRateLimit: (retryAfter: number, _o: unknown, _k: unknown, retryCount: number) => retryCount < 1 && retryAfter <= Math.max(maxWait, 5),
      },
    });
  }

  /** Whether requests carry a token (as of the last request, for a token provider). */
  get authenticated(): boolean {
    return !!this.token;
  }

  async request<T = unknown>(route: string, params: Record<string, unknown> = {}) {
    if (this.tokenProvider) this.token = await this.tokenProvider.getToken({ interactive: false });
    try {
      const r = await this.client.request(route, this.tokenProvider && this.token ? { ...params, headers: { ...(params.headers as object), authorization: `token ${this.token}` } } : params);
      return { status: r.status, data: r.data as T, headers: r.headers as Record<string, string | number | undefined> };
    } catch (e) {
      throw toGitHubError(e, { baseUrl: this.endpoints.api, what: route.replace(/\{(\w+)\}/g, (_, k: string) => String(params[k] ?? `{${k}}`)), token: this.token });
    }
  }

  async getRepo(owner: string, repo: string): Promise<RepoInfo> {
    const { data } = await this.request<RepoResponse>('GET /repos/{owner}/{repo}', { owner, repo });
    const spdx = data.license?.spdx_id;
    return {
      owner: data.owner?.login ?? owner,
      repo: data.name ?? repo,
      htmlUrl: data.html_url,
      defaultBranch: data.default_branch,
      visibility: data.visibility as RepoInfo['visibility'],
      private: !!data.private,
      archived: !!data.archived,
      fork: !!data.fork,
      // NOASSERTION = GitHub found a licence file it cannot name.
      licenseSpdx: spdx && spdx !== 'NOASSERTION' ? spdx : null,
      permissions: data.permissions,
    };
  }

  async privateVulnerabilityReporting(owner: string, repo: string): Promise<boolean> {
    const { data } = await this.request<{ enabled: boolean }>('GET /repos/{owner}/{repo}/private-vulnerability-reporting', { owner, repo });
    return !!data.enabled;
  }

  async branchRules(owner: string, repo: string, branch: string): Promise<BranchRuleSummary[]> {
    const rules: BranchRuleSummary[] = [];
    for (let page = 1; page <= 10; page++) {
      const { data } = await this.request<{ type: string; ruleset_source?: string; ruleset_source_type?: string }[]>('GET /repos/{owner}/{repo}/rules/branches/{branch}', { owner, repo, branch, per_page: 100, page });
      for (const r of data) rules.push({ type: r.type, ...(r.ruleset_source ? { source: r.ruleset_source } : {}) });
      if (data.length < 100) break;
    }
    return rules;
  }

  async branchProtected(owner: string, repo: string, branch: string): Promise<boolean> {
    const { data } = await this.request<{ protected?: boolean }>('GET /repos/{owner}/{repo}/branches/{branch}', { owner, repo, branch });
    return !!data.protected;
  }

  async latestRelease(owner: string, repo: string): Promise<{ tag: string; publishedAt: string } | null> {
    try {
      const { data } = await this.request<{ tag_name: string; published_at: string | null; created_at: string }>('GET /repos/{owner}/{repo}/releases/latest', { owner, repo });
      return { tag: data.tag_name, publishedAt: data.published_at ?? data.created_at };
    } catch (e) {
      // 404 here means "no published release", which is a fact, not a failure.
      if (e instanceof GitHubNotFoundError) return null;
      throw e;
    }
  }

  async matchingTags(owner: string, repo: string, prefix: string): Promise<TagRef[]> {
    const out: TagRef[] = [];
    for (let page = 1; page <= 20; page++) {
      const { data } = await this.request<{ ref: string; object: { sha: string; type: string } }[]>('GET /repos/{owner}/{repo}/git/matching-refs/{ref}', { owner, repo, ref: `tags/${prefix}`, per_page: 100, page });
      for (const r of data) out.push({ name: r.ref.replace(/^refs\/tags\//, ''), sha: r.object.sha, type: r.object.type === 'tag' ? 'tag' : 'commit' });
      if (data.length < 100) break;
    }
    return out;
  }

  async getCommit(owner: string, repo: string, ref: string): Promise<CommitInfo> {
    const { data } = await this.request<{ sha: string; commit?: { committer?: { date?: string }; author?: { date?: string } } }>('GET /repos/{owner}/{repo}/commits/{ref}', { owner, repo, ref });
    return { sha: data.sha, date: data.commit?.committer?.date ?? data.commit?.author?.date };
  }

  async getTagObject(owner: string, repo: string, sha: string): Promise<TagObjectInfo> {
    const { data } = await this.request<{ sha: string; tag: string; object: { sha: string; type: string }; tagger?: { date?: string } }>('GET /repos/{owner}/{repo}/git/tags/{tag_sha}', { owner, repo, tag_sha: sha });
    return { sha: data.sha, tag: data.tag, target: data.object, date: data.tagger?.date };
  }

  async advisoriesPage(query: { ecosystem: string; affects?: string; after?: string }): Promise<{ advisories: AdvisoryRecord[]; next?: string }> {
    const { data, headers } = await this.request<AdvisoryResponse[]>('GET /advisories', {
      ecosystem: query.ecosystem,
      per_page: 100,
      ...(query.affects ? { affects: query.affects } : {}),
      ...(query.after ? { after: query.after } : {}),
    });
    const advisories = (Array.isArray(data) ? data : []).map(toAdvisory);
    return { advisories, next: nextCursor(headers.link) };
  }

  async compareStatus(owner: string, repo: string, base: string, head: string): Promise<'ahead' | 'behind' | 'identical' | 'diverged' | 'unrelated'> {
    try {
      // per_page=1: only the status is read, not the commit list (the response is otherwise up to 250 commits).
      const { data } = await this.request<{ status?: string }>('GET /repos/{owner}/{repo}/compare/{basehead}', { owner, repo, basehead: `${base}...${head}`, per_page: 1 });
      const st = data.status;
      if (st === 'ahead' || st === 'behind' || st === 'identical' || st === 'diverged') return st;
      throw new Error(`unexpected compare status '${String(st)}'`);
    } catch (e) {
      // GitHub answers 404 when the two commits share no history (or one of them is unknown).
      if (e instanceof GitHubNotFoundError) return 'unrelated';
      throw e;
    }
  }

  async releaseByTag(owner: string, repo: string, tag: string): Promise<{ tag: string; immutable: boolean; draft: boolean; prerelease: boolean } | null> {
    try {
      const { data } = await this.request<{ tag_name: string; immutable?: boolean; draft?: boolean; prerelease?: boolean }>('GET /repos/{owner}/{repo}/releases/tags/{tag}', { owner, repo, tag });
      return { tag: data.tag_name, immutable: data.immutable === true, draft: !!data.draft, prerelease: !!data.prerelease };
    } catch (e) {
      if (e instanceof GitHubNotFoundError) return null;
      throw e;
    }
  }
}

interface AdvisoryResponse {
  ghsa_id: string;
  cve_id?: string | null;
  summary?: string;
  severity?: string;
  html_url?: string;
  withdrawn_at?: string | null;
  vulnerabilities?: { package?: { ecosystem?: string; name?: string } | null; vulnerable_version_range?: string | null; first_patched_version?: string | { identifier?: string } | null }[] | null;
}

function toAdvisory(a: AdvisoryResponse): AdvisoryRecord {
  return {
    ghsaId: a.ghsa_id,
    ...(a.cve_id ? { cveId: a.cve_id } : {}),
    summary: a.summary ?? '',
    severity: a.severity ?? 'unknown',
    htmlUrl: a.html_url ?? `https://github.com/advisories/${a.ghsa_id}`,
    withdrawn: !!a.withdrawn_at,
    vulnerabilities: (a.vulnerabilities ?? []).flatMap((v) => {
      if (!v.package?.name || !v.vulnerable_version_range) return [];
      // The global advisories endpoint sends the version as a string; Dependabot's shapes wrap it in
      // { identifier }: accept both.
      const fp = typeof v.first_patched_version === 'string' ? v.first_patched_version : v.first_patched_version?.identifier;
      return [{ ecosystem: v.package.ecosystem ?? '', name: v.package.name, range: v.vulnerable_version_range, ...(fp ? { firstPatched: fp } : {}) }];
    }),
  };
}

/** The `after` cursor of a Link header's rel="next" URL. */
export function nextCursor(link: string | number | undefined): string | undefined {
  if (typeof link !== 'string') return undefined;
  for (const part of link.split(',')) {
    const m = /<([^>]+)>\s*;\s*rel="next"/.exec(part);
    if (!m) continue;
    try {
      return new URL(m[1]).searchParams.get('after') ?? undefined;
    } catch {
      return undefined;
    }
  }
  return undefined;
}

interface RepoResponse {
  name: string;
  owner?: { login: string };
  html_url: string;
  default_branch: string;
  visibility?: string;
  private?: boolean;
  archived?: boolean;
  fork?: boolean;
  license?: { spdx_id?: string | null } | null;
  permissions?: RepoInfo['permissions'];
}
