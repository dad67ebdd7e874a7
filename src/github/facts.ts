import type { Fact, OwnerPolicy, RepoFacts } from '../core/model/facts';
import type { GitHubPort } from './api';
import type { CacheStore } from './cache';
import { GitHubNotFoundError, isNotVisible, toGitHubError } from './errors';
import type { GitPort, GitRemote } from './git';
import { parseRemoteUrl, remoteMatches, type GitHubEndpoints, type RemoteRepo } from './urls';

// Repository facts for the settings checks, read from the GitHub API. Every fact is optional: what this
// token cannot see becomes "unknown — only a maintainer can see this", never a failure.

export const MAINTAINER_ONLY = 'only a maintainer can see this';

/**
 * The repository whose settings matter: `upstream` first (in a contributor's fork clone, origin is the
 * fork, whose settings are not the project's), then `origin`, then any other remote on this host.
 */
export function pickRemote(remotes: readonly GitRemote[], ep: GitHubEndpoints): (RemoteRepo & { remote: string }) | undefined {
  const order = (n: string) => (n === 'upstream' ? 0 : n === 'origin' ? 1 : 2);
  const sorted = [...remotes].sort((a, b) => order(a.name) - order(b.name) || a.name.localeCompare(b.name));
  for (const r of sorted) {
    const parsed = parseRemoteUrl(r.url);
    if (parsed && remoteMatches(ep, parsed)) return { ...parsed, remote: r.name };
  }
  return undefined;
}

function unknownFrom(e: unknown): Fact<never> {
  if (isNotVisible(e)) return { known: false, reason: MAINTAINER_ONLY, maintainerOnly: true };
  return { known: false, reason: e instanceof Error ? e.message : String(e) };
}

async function fact<T>(fn: () => Promise<T>): Promise<Fact<T>> {
  try {
    return { known: true, value: await fn() };
  } catch (e) {
    return unknownFrom(e);
  }
}

// Where GitHub looks for a default community health file in the owner's `.github` repository.
const OWNER_POLICY_PATHS = ['.github/SECURITY.md', 'SECURITY.md', 'docs/SECURITY.md'];

/**
 * The SECURITY.md GitHub shows for `owner/repo` when the repository has none: the owner's public
 * `.github` repository's (GET /repos/{owner}/.github/contents/{path}). null when there is none.
 */
export async function ownerSecurityPolicy(github: GitHubPort, owner: string, repo: string): Promise<OwnerPolicy | null> {
  if (repo.toLowerCase() === '.github') return null;
  // Most owners have no `.github` repository: one request says so, instead of one per path.
  try {
    await github.getRepo(owner, '.github');
  } catch (e) {
    if (e instanceof GitHubNotFoundError || toGitHubError(e, { baseUrl: github.endpoints.api }).kind === 'not-found') return null;
    throw e;
  }
  for (const path of OWNER_POLICY_PATHS) {
    try {
      const { data } = await github.request<{ type?: string; content?: string; encoding?: string }>('GET /repos/{owner}/{repo}/contents/{path}', { owner, repo: '.github', path });
      if (data && data.type === 'file' && typeof data.content === 'string' && data.encoding === 'base64') {
        return { repo: `${owner}/.github`, path, text: Buffer.from(data.content, 'base64').toString('utf8') };
      }
    } catch (e) {
      // No `.github` repository, or no file at this path: GitHub then shows nothing from it.
      if (e instanceof GitHubNotFoundError || toGitHubError(e, { baseUrl: github.endpoints.api }).kind === 'not-found') continue;
      throw e;
    }
  }
  return null;
}

export interface FactsResult {
  facts?: RepoFacts;
  factsUnavailable?: string;
  /** owner/repo the facts are about, and from which remote. */
  target?: RemoteRepo & { remote: string };
}

export interface GatherFactsOptions {
  git: GitPort;
  github: GitHubPort;
  dir: string;
  /** Keeps facts for `ttlMs` (default 5 minutes): an editor re-scans on every save, quota is 60/h anonymous. */
  cache?: CacheStore;
  ttlMs?: number;
  now?: () => number;
}

/** Reads the facts of the GitHub repository behind `dir`'s remotes. */
export async function gatherRepoFacts(opts: GatherFactsOptions): Promise<FactsResult> {
  const ep = opts.github.endpoints;
  let remotes: GitRemote[];
  try {
    remotes = await opts.git.remotes(opts.dir);
  } catch (e) {
    return { factsUnavailable: `repository facts need a git checkout (${e instanceof Error ? e.message : String(e)})` };
  }
  const target = pickRemote(remotes, ep);
  if (!target) return { factsUnavailable: `no remote (upstream or origin) points to ${ep.web}` };
  const { owner, repo } = target;
  const now = opts.now ?? Date.now;
  const key = `facts/${ep.host}/${owner.toLowerCase()}/${repo.toLowerCase()}/${opts.github.authenticated ? 'token' : 'anonymous'}`;
  const hit = await opts.cache?.get<RepoFacts>(key);
  if (hit && now() - hit.storedAt < (opts.ttlMs ?? 5 * 60_000)) return { facts: hit.value, target };
  let info;
  try {
    info = await opts.github.getRepo(owner, repo);
  } catch (e) {
    const err = toGitHubError(e, { baseUrl: ep.api });
    const why =
      err.kind === 'not-found'
        ? `${owner}/${repo} is not visible${opts.github.authenticated ? ' to this token' : ' without signing in (private repository?)'}`
        : err.message;
    return { factsUnavailable: why, target };
  }
  const p = info.permissions;
  const viewerPermission: RepoFacts['viewerPermission'] = p
    ? { known: true, value: p.admin ? 'admin' : p.maintain ? 'maintain' : p.push ? 'write' : p.triage ? 'triage' : p.pull ? 'read' : 'none' }
    : { known: false, reason: 'sign in to see your permission' };
  const branch = info.defaultBranch;
  const [pvr, rules, classic, latest, ownerPolicy] = await Promise.all([
    fact(() => opts.github.privateVulnerabilityReporting(info.owner, info.repo)),
    fact(() => opts.github.branchRules(info.owner, info.repo, branch)),
    fact(() => opts.github.branchProtected(info.owner, info.repo, branch)),
    fact(() => opts.github.latestRelease(info.owner, info.repo)),
    fact(() => ownerSecurityPolicy(opts.github, info.owner, info.repo)),
  ]);
  // A rate limit or outage on one endpoint must not look like "maintainer only": keep its message.
  const facts: RepoFacts = {
    owner: info.owner,
    repo: info.repo,
    htmlUrl: info.htmlUrl,
    defaultBranch: branch,
    visibility: info.visibility ?? (info.private ? 'private' : 'public'),
    archived: { known: true, value: info.archived },
    viewerPermission,
    licenseSpdx: { known: true, value: info.licenseSpdx },
    privateVulnerabilityReporting: pvr,
    defaultBranchRules: rules,
    defaultBranchProtected: classic,
    latestRelease: latest,
    ownerSecurityPolicy: ownerPolicy,
  };
  await opts.cache?.set(key, facts, now());
  return { facts, target };
}


