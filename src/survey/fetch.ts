import type { CacheStore } from '../github/cache';
import type { GitHubPort } from '../github/api';
import { GitHubError, GitHubNotFoundError, GitHubRateLimitError } from '../github/errors';
import { ownerSecurityPolicy } from '../github/facts';
import type { Fact, OwnerPolicy, RepoFacts } from '../core/model/facts';
import { classifyPath } from '../core/repo/classify';
import { MemorySnapshot } from '../core/repo/snapshot';
import type { GitFileFetcher } from './git-fetch';
import type { RepoRef } from './model';

/** Files through git (a shallow, blob-less fetch plus the selected blobs) instead of the contents API. */
export interface GitFilesSource {
  fetcher: GitFileFetcher;
  /** The clone URL of a repository (https://github.com/o/r.git, or the GitHub Enterprise host's). */
  urlFor: (meta: RepoMeta) => string;
}

// A repository's security-relevant files without a clone, through the GitHub port: the repository
// (archived? a person's or an organisation's?), its default branch's commit, the commit's tree (every
// path, one request) and the blobs of the files the checks read — .github/, root files, files the
// engine classifies (workflows, Dependabot, SECURITY.md, Dockerfiles...) and dependency manifests.
// Nothing from the repository is executed; blobs are content-addressed, so a re-survey after a new
// commit fetches only the files that changed.

export interface RepoMeta {
  owner: string;
  repo: string;
  htmlUrl: string;
  defaultBranch: string;
  archived: boolean;
  ownerKind?: 'User' | 'Organization';
  pushedAt?: string;
}

export interface FetchedRepo {
  meta: RepoMeta;
  commit: string;
  snapshot: MemorySnapshot;
  /** Paths in the tree (listed) and files whose content was fetched. */
  listed: number;
  fetched: number;
  /** The tree listing was cut short (GitHub truncates trees over 100,000 entries / 7 MB). */
  truncated: boolean;
  lastRelease: { tag: string; publishedAt: string } | null;
}

/** Limits per repository: the survey reads what the checks need, never a whole repository. */
export const FETCH_LIMITS = { files: 400, bytesPerFile: 512 * 1024, totalBytes: 16 * 1024 * 1024, listed: 50_000 } as const;

const MANIFEST = /(^|\/)(package\.json|package-lock\.json|pnpm-lock\.yaml|yarn\.lock|requirements[^/]*\.txt|pyproject\.toml|setup\.cfg|setup\.py|pipfile|poetry\.lock|uv\.lock|go\.mod|cargo\.toml|gemfile|composer\.json|pom\.xml|build\.gradle(\.kts)?|\.pre-commit-config\.yaml|renovate\.json5?|\.renovaterc(\.json)?)$/i;

/** Which files' contents the survey fetches, most important first. */
export function selectFiles(entries: readonly { path: string; size: number }[]): string[] {
  const score = (p: string): number => {
    if (p.startsWith('.github/')) return 0;
    if (classifyPath(p) !== 'other') return 1;
    if (!p.includes('/')) return 2;
    if (MANIFEST.test(p) && p.split('/').length <= 3) return 3;
    if (/^docs?\/[^/]*(security|license)[^/]*$/i.test(p)) return 3;
    return 9;
  };
  const picked = entries
    .filter((e) => e.size <= FETCH_LIMITS.bytesPerFile)
    .map((e) => ({ ...e, s: score(e.path) }))
    .filter((e) => e.s < 9)
    .sort((a, b) => a.s - b.s || (a.path < b.path ? -1 : 1));
  const out: string[] = [];
  let bytes = 0;
  for (const e of picked) {
    if (out.length >= FETCH_LIMITS.files || bytes + e.size > FETCH_LIMITS.totalBytes) break;
    out.push(e.path);
    bytes += e.size;
  }
  return out;
}

interface RepoJson {
  name?: string;
  owner?: { login?: string; type?: string };
  html_url?: string;
  default_branch?: string;
  archived?: boolean;
  pushed_at?: string;
}

interface TreeJson {
  sha: string;
  truncated?: boolean;
  tree: { path: string; type: string; sha: string; size?: number; mode?: string }[];
}

/** A repository that cannot be surveyed for a reason that will not change by retrying. */
export class RepoUnavailable extends Error {
  constructor(
    readonly state: 'gone' | 'empty' | 'forbidden',
    message: string,
  ) {
    super(message);
    this.name = 'RepoUnavailable';
  }
}

async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (t: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i]);
      }
    }),
  );
  return out;
}

export class RepoFetcher {
  constructor(
    private readonly github: GitHubPort,
    /** Blob contents by SHA (content-addressed: valid forever). */
    private readonly cache?: CacheStore,
    private readonly blobConcurrency = 4,
    /** Set: file contents come through git; the API still answers the repository, commit and release. */
    private readonly git?: GitFilesSource,
  ) {}

  /** The repository's metadata and its default branch's commit (two requests). */
  async head(ref: RepoRef): Promise<{ meta: RepoMeta; commit: string; tree: string }> {
    let data: RepoJson;
    try {
      data = (await this.github.request<RepoJson>('GET /repos/{owner}/{repo}', { owner: ref.owner, repo: ref.repo })).data;
    } catch (e) {
      if (e instanceof GitHubNotFoundError) throw new RepoUnavailable('gone', 'the repository does not exist any more (or is private)');
      if (e instanceof GitHubError && e.kind === 'forbidden') throw new RepoUnavailable('forbidden', 'GitHub refuses to show this repository (blocked or access restricted)');
      throw e;
    }
    const meta: RepoMeta = {
      // A renamed repository answers with its new name (GitHub redirects).
      owner: data.owner?.login ?? ref.owner,
      repo: data.name ?? ref.repo,
      htmlUrl: data.html_url ?? `https://github.com/${ref.owner}/${ref.repo}`,
      defaultBranch: data.default_branch ?? 'main',
      archived: !!data.archived,
      ownerKind: data.owner?.type === 'User' || data.owner?.type === 'Organization' ? data.owner.type : undefined,
      pushedAt: data.pushed_at,
    };
    let commit: { sha: string; commit?: { tree?: { sha?: string } } };
    try {
      commit = (await this.github.request<typeof commit>('GET /repos/{owner}/{repo}/commits/{ref}', { owner: meta.owner, repo: meta.repo, ref: meta.defaultBranch })).data;
    } catch (e) {
      // An empty repository has no commits: GitHub answers 409 (or 404 for the branch).
      if (e instanceof GitHubError && (e.status === 409 || e.status === 404 || e.status === 422)) throw new RepoUnavailable('empty', 'the repository has no commits on its default branch');
      throw e;
    }
    return { meta, commit: commit.sha, tree: commit.commit?.tree?.sha ?? commit.sha };
  }

  /** The tree and the selected files of a commit, and the latest release. */
  async files(meta: RepoMeta, commit: string, treeSha: string): Promise<FetchedRepo> {
    if (this.git) {
      const g = await this.git.fetcher.fetch(this.git.urlFor(meta), meta.defaultBranch);
      const lastRelease = await this.github.latestRelease(meta.owner, meta.repo);
      // The branch may have moved since the API named its commit: the record keeps what was scanned.
      return { meta, commit: g.commit, snapshot: new MemorySnapshot(`${meta.owner}/${meta.repo}`, g.files, g.rest), listed: g.listed, fetched: g.fetched, truncated: g.truncated, lastRelease };
    }
    const o = { owner: meta.owner, repo: meta.repo };
    const { data: tree } = await this.github.request<TreeJson>('GET /repos/{owner}/{repo}/git/trees/{tree_sha}', { ...o, tree_sha: treeSha, recursive: '1' });
    const blobs = tree.tree.filter((e) => e.type === 'blob' && e.mode !== '120000');
    const listed = blobs.slice(0, FETCH_LIMITS.listed);
    const chosen = new Set(selectFiles(listed.map((e) => ({ path: e.path, size: e.size ?? 0 }))));
    const files: Record<string, Uint8Array> = {};
    await mapLimit(
      listed.filter((e) => chosen.has(e.path)),
      this.blobConcurrency,
      async (e) => {
        files[e.path] = await this.blob(meta, e.sha);
      },
    );
    const rest = listed.filter((e) => !chosen.has(e.path)).map((e) => e.path);
    const lastRelease = await this.github.latestRelease(meta.owner, meta.repo);
    return {
      meta,
      commit,
      snapshot: new MemorySnapshot(`${meta.owner}/${meta.repo}`, files, rest),
      listed: listed.length,
      fetched: chosen.size,
      truncated: !!tree.truncated || blobs.length > listed.length,
      lastRelease,
    };
  }

  /**
   * What the settings checks need, as far as a reader can see it: branch rules and classic protection
   * (readable by anyone who can read the repository) and the owner's inherited SECURITY.md (asked
   * once per owner, and only for repositories without a policy of their own). Private vulnerability
   * reporting is visible to maintainers only.
   */
  async facts(meta: RepoMeta, fetched: FetchedRepo): Promise<RepoFacts> {
    const fact = async <T>(fn: () => Promise<T>): Promise<Fact<T>> => {
      try {
        return { known: true, value: await fn() };
      } catch (e) {
        if (e instanceof GitHubRateLimitError) throw e;
        return { known: false, reason: e instanceof Error ? e.message : String(e), maintainerOnly: e instanceof GitHubError && (e.kind === 'forbidden' || e.kind === 'not-found') };
      }
    };
    const paths = await fetched.snapshot.listFiles();
    const hasPolicy = paths.some((p) => /^(?:\.github\/|docs\/)?security\.(?:md|markdown|rst|txt)$/i.test(p));
    const [rules, classic, ownerPolicy] = await Promise.all([
      fact(() => this.github.branchRules(meta.owner, meta.repo, meta.defaultBranch)),
      fact(() => this.github.branchProtected(meta.owner, meta.repo, meta.defaultBranch)),
      hasPolicy ? Promise.resolve<Fact<OwnerPolicy | null>>({ known: true, value: null }) : fact(() => this.ownerPolicy(meta.owner, meta.repo)),
    ]);
    return {
      owner: meta.owner,
      repo: meta.repo,
      htmlUrl: meta.htmlUrl,
      defaultBranch: meta.defaultBranch,
      visibility: 'public',
      archived: { known: true, value: meta.archived },
      viewerPermission: { known: false, reason: 'the survey does not ask for your permission on each repository' },
      licenseSpdx: { known: false, reason: 'read from the files instead' },
      privateVulnerabilityReporting: { known: false, reason: 'only a maintainer can see whether private vulnerability reporting is on', maintainerOnly: true },
      defaultBranchRules: rules,
      defaultBranchProtected: classic,
      latestRelease: { known: true, value: fetched.lastRelease },
      ownerSecurityPolicy: ownerPolicy,
    };
  }

  private readonly ownerPolicies = new Map<string, Promise<OwnerPolicy | null>>();

  private ownerPolicy(owner: string, repo: string): Promise<OwnerPolicy | null> {
    const k = owner.toLowerCase();
    let p = this.ownerPolicies.get(k);
    if (!p) {
      p = ownerSecurityPolicy(this.github, owner, repo);
      this.ownerPolicies.set(k, p);
      p.catch(() => this.ownerPolicies.delete(k));
    }
    return p;
  }

  private async blob(meta: RepoMeta, sha: string): Promise<Uint8Array> {
    const key = `survey/blob/${sha.slice(0, 2)}/${sha}`;
    const hit = await this.cache?.get<string>(key);
    if (hit) return Buffer.from(hit.value, 'base64');
    const { data } = await this.github.request<{ content?: string; encoding?: string }>('GET /repos/{owner}/{repo}/git/blobs/{file_sha}', { owner: meta.owner, repo: meta.repo, file_sha: sha });
    const b64 = (data.content ?? '').replace(/\s+/g, '');
    const bytes = data.encoding === 'base64' ? Buffer.from(b64, 'base64') : Buffer.from(data.content ?? '', 'utf8');
    await this.cache?.set(key, bytes.toString('base64'), Date.now());
    return bytes;
  }
}
