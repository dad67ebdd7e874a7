import { FULL_SHA } from '../core/yaml/uses';
import type { GitHubPort, TagRef } from './api';
import type { CacheStore } from './cache';
import { GitHubError, GitHubNetworkError, toGitHubError } from './errors';
import type { GitPort } from './git';
import type { TokenProvider } from './token';
import { gitRepoUrl, type GitHubEndpoints } from './urls';

// Resolves `owner/repo@ref` to a commit SHA and the most specific version tag on that commit.
//
// Preferred source: one `git ls-remote` per action repository. It lists every branch and tag at once
// (annotated tags peeled), costs no API quota and works anonymously. When git fails (no git, a proxy
// that only lets the API through) the REST API answers the same questions with a few more calls.
// Results are cached in memory and on disk with a TTL; concurrent requests for one repository share
// one fetch, and at most `concurrency` fetches run at once.

export interface TagTip {
  /** The commit the tag resolves to (peeled). */
  commit: string;
  /** The tag object, for annotated tags. */
  object?: string;
}

export interface RepoRefs {
  source: 'git' | 'api';
  tags: Record<string, TagTip>;
  heads: Record<string, string>;
}

export interface ResolvedRef {
  owner: string;
  repo: string;
  /** The ref as written in `uses:`. */
  ref: string;
  /** How Actions reads the ref: tags win over branches with the same name (git's own order). */
  kind: 'tag' | 'branch' | 'commit';
  /** The commit to pin. */
  sha: string;
  /** The version to write in the comment: the most specific version tag on `sha`, else the ref. */
  version: string;
  /** The tag named by `version`, when it is a tag of this repository. */
  tag?: string;
  tagAnnotated?: boolean;
  /** The annotated tag object's SHA (its date is the release date). */
  tagObject?: string;
  /** Tag date (annotated tags) or commit date, ISO 8601, when the API could tell. */
  date?: string;
  dateKind?: 'tag' | 'commit';
  source: 'git' | 'api';
  /** Why the commit belongs to this repository (undefined when that could not be shown). */
  reachable?: string;
  /** Things a reviewer should know: cooldown decisions, unknown dates, ambiguous refs. */
  notes: string[];
  /** Set when the cooldown chose an older release than the ref points to today. */
  cooldownFrom?: { version: string; sha: string; date?: string };
  fromCache: boolean;
}

export interface RefResolverOptions {
  git?: GitPort;
  github?: GitHubPort;
  endpoints: GitHubEndpoints;
  token?: TokenProvider;
  cache: CacheStore;
  /** Time-to-live of cached ref lists (default 6 hours). */
  ttlMs?: number;
  concurrency?: number;
  /** Minimum release age in days when choosing a tag for a moving ref like `v4` (0 = off). */
  minReleaseAgeDays?: number;
  /** Look up tag/commit dates with the API (default true when a GitHubPort is given). */
  dates?: boolean;
  now?: () => number;
}

/** A version-looking tag: v1, v1.2, v1.2.3, 1.2.3, v1.2.3-rc.1. */
export function parseVersion(name: string): { parts: number[]; pre: boolean } | undefined {
  const m = /^v?(\d+)(?:\.(\d+))?(?:\.(\d+))?(?:\.(\d+))?([-+][0-9A-Za-z.-]+)?$/.exec(name);
  if (!m) return undefined;
  const parts = m.slice(1, 5).filter((p) => p !== undefined).map(Number);
  return { parts, pre: !!m[5] && m[5].startsWith('-') };
}

/** The most specific version tag: most components first (v4.2.2 over v4), releases over pre-releases. */
export function mostSpecificVersion(names: readonly string[]): string | undefined {
  const scored = names.map((n) => ({ n, v: parseVersion(n) })).filter((x) => x.v) as { n: string; v: { parts: number[]; pre: boolean } }[];
  scored.sort((a, b) => {
    if (a.v.parts.length !== b.v.parts.length) return b.v.parts.length - a.v.parts.length;
    if (a.v.pre !== b.v.pre) return a.v.pre ? 1 : -1;
    for (let i = 0; i < a.v.parts.length; i++) if (a.v.parts[i] !== b.v.parts[i]) return b.v.parts[i] - a.v.parts[i];
    return a.n.localeCompare(b.n);
  });
  return scored[0]?.n;
}

function compareVersionsDesc(a: string, b: string): number {
  const va = parseVersion(a)!;
  const vb = parseVersion(b)!;
  for (let i = 0; i < 4; i++) {
    const d = (vb.parts[i] ?? 0) - (va.parts[i] ?? 0);
    if (d) return d;
  }
  return vb.parts.length - va.parts.length;
}

class Semaphore {
  private active = 0;
  private readonly queue: (() => void)[] = [];
  constructor(private readonly limit: number) {}
  async run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.active >= this.limit) await new Promise<void>((r) => this.queue.push(r));
    this.active++;
    try {
      return await fn();
    } finally {
      this.active--;
      this.queue.shift()?.();
    }
  }
}

type DateAnswer = { date?: string; kind?: 'tag' | 'commit'; error?: string };

const DAY = 86_400_000;
const NAME = /^(?!\.\.?$)[A-Za-z0-9_.-]{1,100}$/;
const REF = /^[^\s~^:?*[\\]{1,255}$/;

export class RefResolver {
  private readonly inflight = new Map<string, { at: number; p: Promise<{ refs?: RepoRefs; gitError?: GitHubError; fromCache: boolean }> }>();
  private readonly sem: Semaphore;
  private readonly ttl: number;
  private readonly now: () => number;
  /** Counters for tests and `--verbose` output. */
  readonly stats = { lsRemote: 0, apiCalls: 0, cacheHits: 0 };

  constructor(readonly opts: RefResolverOptions) {
    this.sem = new Semaphore(opts.concurrency ?? 4);
    this.ttl = opts.ttlMs ?? 6 * 3600_000;
    this.now = opts.now ?? Date.now;
  }

  get endpoints(): GitHubEndpoints {
    return this.opts.endpoints;
  }

  private key(kind: string, owner: string, repo: string): string {
    return `${kind}/${this.opts.endpoints.host}/${owner.toLowerCase()}/${repo.toLowerCase()}`;
  }

  /** All branches and tags of a repository via git (cached). `gitError` says why git could not list them. */
  async repoRefs(owner: string, repo: string): Promise<{ refs?: RepoRefs; gitError?: GitHubError; fromCache: boolean }> {
    const key = this.key('refs', owner, repo);
    const have = this.inflight.get(key);
    // Shared by concurrent callers; an editor process lives long, so the TTL applies in memory too.
    if (have && this.now() - have.at < this.ttl) return have.p;
    const entry = { at: this.now(), p: this.loadRefs(key, owner, repo) };
    this.inflight.set(key, entry);
    // Forget failures so a later call can retry.
    entry.p.then(
      (r) => !r.refs && this.inflight.get(key) === entry && this.inflight.delete(key),
      () => this.inflight.get(key) === entry && this.inflight.delete(key),
    );
    return entry.p;
  }

  private async loadRefs(key: string, owner: string, repo: string): Promise<{ refs?: RepoRefs; gitError?: GitHubError; fromCache: boolean }> {
    const hit = await this.opts.cache.get<RepoRefs>(key);
    if (hit && this.now() - hit.storedAt < this.ttl && hit.value?.source === 'git') {
      this.stats.cacheHits++;
      return { refs: hit.value, fromCache: true };
    }
    if (!this.opts.git) return { gitError: new GitHubError('git', 'git is not available'), fromCache: false };
    try {
      const token = await this.opts.token?.getToken({ interactive: false });
      const list = await this.sem.run(() => {
        this.stats.lsRemote++;
        return this.opts.git!.lsRemote(gitRepoUrl(this.opts.endpoints, owner, repo), { token });
      });
      const refs: RepoRefs = { source: 'git', tags: {}, heads: {} };
      for (const r of list) {
        if (r.name.startsWith('refs/tags/')) refs.tags[r.name.slice(10)] = r.peeled ? { commit: r.peeled, object: r.sha } : { commit: r.sha };
        else if (r.name.startsWith('refs/heads/')) refs.heads[r.name.slice(11)] = r.sha;
      }
      if (!list.length) return { gitError: new GitHubError('git', `git ls-remote found no branches or tags in ${owner}/${repo} (missing or private?)`), fromCache: false };
      await this.opts.cache.set(key, refs, this.now());
      return { refs, fromCache: false };
    } catch (e) {
      return { gitError: toGitHubError(e, { baseUrl: this.opts.endpoints.web }), fromCache: false };
    }
  }

  private async api<T>(fn: (g: GitHubPort) => Promise<T>): Promise<T> {
    const g = this.opts.github;
    if (!g) throw new GitHubError('other', 'the GitHub API is not available');
    return this.sem.run(() => {
      this.stats.apiCalls++;
      return fn(g);
    });
  }

  private readonly resolving = new Map<string, Promise<ResolvedRef>>();

  /**
   * Resolves one `uses:` ref. Throws GitHubError with a readable message when it cannot. Concurrent
   * calls for the same ref (a repository using actions/checkout@v4 in 18 places) share one resolution;
   * each caller gets its own copy.
   */
  async resolve(owner: string, repo: string, ref: string): Promise<ResolvedRef> {
    const key = `${this.key('resolve', owner, repo)}@${ref}`;
    let p = this.resolving.get(key);
    if (!p) {
      p = this.resolveOnce(owner, repo, ref);
      this.resolving.set(key, p);
      const forget = () => this.resolving.get(key) === p && this.resolving.delete(key);
      p.then(forget, forget);
    }
    const r = await p;
    return { ...r, notes: [...r.notes], ...(r.cooldownFrom ? { cooldownFrom: { ...r.cooldownFrom } } : {}) };
  }

  private async resolveOnce(owner: string, repo: string, ref: string): Promise<ResolvedRef> {
    // Names go into URLs: accept only what GitHub allows, so a crafted `uses:` cannot steer the request.
    if (!NAME.test(owner) || !NAME.test(repo) || !REF.test(ref)) throw new GitHubError('other', `not a GitHub action reference: ${owner}/${repo}@${ref}`);
    const { refs, gitError, fromCache } = await this.repoRefs(owner, repo);
    let out: ResolvedRef;
    if (refs) out = this.fromRefs(owner, repo, ref, refs, fromCache);
    else if (this.opts.github) {
      const apiKey = `${this.key('resolved', owner, repo)}/${encodeURIComponent(ref)}`;
      const hit = await this.opts.cache.get<ResolvedRef>(apiKey);
      if (hit && this.now() - hit.storedAt < this.ttl) {
        this.stats.cacheHits++;
        return { ...hit.value, fromCache: true, notes: [...hit.value.notes] };
      }
      try {
        out = await this.fromApi(owner, repo, ref);
      } catch (e) {
        const apiErr = toGitHubError(e, { baseUrl: this.opts.endpoints.api });
        if (apiErr.kind === 'network' && gitError?.kind === 'network') throw new GitHubNetworkError(`cannot reach GitHub at ${this.opts.endpoints.web} (offline?)`);
        // Say both: git's reason is usually the more useful one (network), the API's explains quota.
        throw new GitHubError(apiErr.kind, gitError && gitError.kind !== apiErr.kind ? `${gitError.message}; API fallback: ${apiErr.message}` : apiErr.message, apiErr.status);
      }
      if (gitError) out.notes.push(`resolved with the GitHub API because git could not list the refs (${gitError.message})`);
      await this.applyCooldown(out, refs);
      await this.addDate(out);
      // API answers cost quota: keep the whole resolution for the TTL (git answers are cached as ref lists).
      await this.opts.cache.set(apiKey, out, this.now());
      return out;
    } else throw gitError ?? new GitHubError('other', `cannot resolve ${owner}/${repo}@${ref}`);
    await this.applyCooldown(out, refs);
    await this.addDate(out);
    return out;
  }

  private fromRefs(owner: string, repo: string, ref: string, refs: RepoRefs, fromCache: boolean): ResolvedRef {
    const notes: string[] = [];
    let kind: ResolvedRef['kind'];
    let sha: string;
    const where = `${this.opts.endpoints.web}/${owner}/${repo}`;
    let reachable: string | undefined;
    if (refs.tags[ref]) {
      kind = 'tag';
      sha = refs.tags[ref].commit;
      if (refs.heads[ref]) notes.push(`'${ref}' is both a tag and a branch in ${owner}/${repo}; Actions uses the tag, so the tag's commit is pinned`);
      reachable = `tag ${ref} of ${where} points to this commit (listed by git ls-remote of that repository)`;
    } else if (refs.heads[ref]) {
      kind = 'branch';
      sha = refs.heads[ref];
      notes.push(`'${ref}' is a branch: the pin freezes today's tip, later commits to the branch are not picked up`);
      reachable = `branch ${ref} of ${where} points to this commit (listed by git ls-remote of that repository)`;
    } else if (FULL_SHA.test(ref)) {
      kind = 'commit';
      sha = ref;
    } else {
      throw new GitHubError('not-found', `${owner}/${repo} has no tag or branch '${ref}'`);
    }
    const onCommit = Object.entries(refs.tags).filter(([, t]) => t.commit === sha).map(([n]) => n);
    const best = mostSpecificVersion(onCommit);
    if (kind === 'commit') {
      const viaTag = best ?? onCommit[0];
      const viaHead = Object.entries(refs.heads).find(([, h]) => h === sha)?.[0];
      if (viaTag) reachable = `tag ${viaTag} of ${where} points to this commit (listed by git ls-remote of that repository)`;
      else if (viaHead) reachable = `branch ${viaHead} of ${where} points to this commit (listed by git ls-remote of that repository)`;
      else notes.push(`no tag or branch of ${owner}/${repo} points to ${sha.slice(0, 12)}: it may be an older commit, or one from a fork (GitHub serves fork commits under the parent's name)`);
    }
    const version = best ?? (kind === 'commit' ? onCommit[0] : ref);
    if (!version) throw new GitHubError('not-found', `no tag of ${owner}/${repo} points to ${sha.slice(0, 12)}, so its version cannot be named`);
    const tag = refs.tags[version] ? version : undefined;
    return { owner, repo, ref, kind, sha, version, tag, tagAnnotated: tag ? !!refs.tags[tag].object : undefined, tagObject: tag ? refs.tags[tag].object : undefined, source: 'git', reachable, notes, fromCache };
  }

  private async fromApi(owner: string, repo: string, ref: string): Promise<ResolvedRef> {
    const notes: string[] = [];
    const where = `${this.opts.endpoints.web}/${owner}/${repo}`;
    const isSha = FULL_SHA.test(ref);
    // Tags sharing the ref's version prefix (`v4` → v4, v4.2.2, ...): where the more specific tag lives.
    const prefix = isSha ? '' : parseVersion(ref) ? ref.replace(/^(v?\d+).*$/, '$1') : ref;
    const tags = await this.api((g) => g.matchingTags(owner, repo, prefix));
    const exact = tags.find((t) => t.name === ref);
    let sha: string;
    let kind: ResolvedRef['kind'];
    if (exact) {
      kind = 'tag';
      sha = await this.peel(owner, repo, exact);
    } else {
      const c = await this.api((g) => g.getCommit(owner, repo, ref));
      sha = c.sha;
      kind = isSha ? 'commit' : 'branch';
      if (kind === 'branch') notes.push(`'${ref}' is a branch: the pin freezes today's tip, later commits to the branch are not picked up`);
    }
    const onCommit: TagRef[] = [];
    for (const t of tags.filter((t) => parseVersion(t.name) || t.name === ref).slice(0, 40)) {
      if ((t.type === 'commit' && t.sha === sha) || (t.type === 'tag' && (await this.peel(owner, repo, t)) === sha)) onCommit.push(t);
    }
    const best = mostSpecificVersion(onCommit.map((t) => t.name));
    let reachable: string | undefined;
    if (kind === 'tag') reachable = `tag ${ref} of ${where} points to this commit (GitHub API, matching-refs of that repository)`;
    else if (best) reachable = `tag ${best} of ${where} points to this commit (GitHub API, matching-refs of that repository)`;
    else if (kind === 'commit') notes.push(`no tag of ${owner}/${repo} points to ${sha.slice(0, 12)}: it may be an older commit, or one from a fork`);
    const version = best ?? (kind === 'commit' ? undefined : ref);
    if (!version) throw new GitHubError('not-found', `no tag of ${owner}/${repo} points to ${sha.slice(0, 12)}, so its version cannot be named`);
    const tagRef = onCommit.find((t) => t.name === version);
    return { owner, repo, ref, kind, sha, version, tag: tagRef?.name, tagAnnotated: tagRef ? tagRef.type === 'tag' : undefined, tagObject: tagRef?.type === 'tag' ? tagRef.sha : undefined, source: 'api', reachable, notes, fromCache: false };
  }

  private readonly peeled = new Map<string, Promise<string>>();
  private peel(owner: string, repo: string, t: TagRef): Promise<string> {
    if (t.type === 'commit') return Promise.resolve(t.sha);
    let p = this.peeled.get(t.sha);
    if (!p) {
      p = (async () => {
        let sha = t.sha;
        // Tags of tags exist; follow a few levels.
        for (let i = 0; i < 3; i++) {
          const o = await this.api((g) => g.getTagObject(owner, repo, sha));
          sha = o.target.sha;
          if (o.target.type !== 'tag') break;
        }
        return sha;
      })();
      this.peeled.set(t.sha, p);
    }
    return p;
  }

  private readonly dateLookups = new Map<string, Promise<DateAnswer>>();

  /**
   * Date of a tag (annotated) or commit, cached on disk: a SHA's date never changes. Concurrent and
   * repeated lookups of one SHA share one request (many `uses:` of a repository resolve to the same
   * release); a failed lookup is forgotten so a later call can retry.
   */
  dateOf(owner: string, repo: string, sha: string, tagObject?: string): Promise<DateAnswer> {
    if (!this.opts.github || this.opts.dates === false) return Promise.resolve({ error: 'dates need the GitHub API' });
    const key = `${this.key('dates', owner, repo)}/${tagObject ?? sha}`;
    let p = this.dateLookups.get(key);
    if (!p) {
      p = this.lookupDate(key, owner, repo, sha, tagObject);
      this.dateLookups.set(key, p);
      p.then((d) => !d.date && this.dateLookups.get(key) === p && this.dateLookups.delete(key));
    }
    return p;
  }

  private async lookupDate(key: string, owner: string, repo: string, sha: string, tagObject?: string): Promise<DateAnswer> {
    const hit = await this.opts.cache.get<{ date: string; kind: 'tag' | 'commit' }>(key);
    if (hit) return hit.value;
    try {
      let v: { date: string; kind: 'tag' | 'commit' } | undefined;
      if (tagObject) {
        const t = await this.api((g) => g.getTagObject(owner, repo, tagObject));
        if (t.date) v = { date: t.date, kind: 'tag' };
      }
      if (!v) {
        const c = await this.api((g) => g.getCommit(owner, repo, sha));
        if (c.date) v = { date: c.date, kind: 'commit' };
      }
      if (!v) return { error: 'the API gave no date' };
      await this.opts.cache.set(key, v, this.now());
      return v;
    } catch (e) {
      return { error: toGitHubError(e, { baseUrl: this.opts.endpoints.api }).message };
    }
  }

  private async addDate(out: ResolvedRef): Promise<void> {
    if (out.date) return;
    const d = await this.dateOf(out.owner, out.repo, out.sha, out.tagObject);
    if (d.date) {
      out.date = d.date;
      out.dateKind = d.kind;
    } else if (this.opts.github && this.opts.dates !== false) out.notes.push(`release date unknown: ${d.error}`);
  }

  /**
   * With a minimum release age, a moving ref (`v4`, `v4.2`) whose current release is too new is pinned
   * to the newest older release of the same line that is old enough. Exact versions are left as
   * written: the author chose that release.
   */
  private async applyCooldown(out: ResolvedRef, refs?: RepoRefs): Promise<void> {
    const days = this.opts.minReleaseAgeDays ?? 0;
    if (days <= 0 || out.kind !== 'tag') return;
    const refVer = parseVersion(out.ref);
    const d = await this.dateOf(out.owner, out.repo, out.sha, out.tagObject);
    if (!d.date) {
      out.notes.push(`minimum release age (${days} days) not applied: release date unknown (${d.error})`);
      return;
    }
    out.date = d.date;
    out.dateKind = d.kind;
    const age = (this.now() - Date.parse(d.date)) / DAY;
    if (age >= days) return;
    if (!refVer || refVer.parts.length >= 3 || !refs) {
      out.notes.push(`${out.version} is ${Math.floor(age)} days old, younger than the minimum release age of ${days} days`);
      return;
    }
    const line = refVer.parts;
    const candidates = Object.keys(refs.tags)
      .filter((n) => {
        const v = parseVersion(n);
        return v && !v.pre && v.parts.length >= 3 && line.every((p, i) => v.parts[i] === p) && refs.tags[n].commit !== out.sha;
      })
      .sort(compareVersionsDesc)
      .filter((n) => compareVersionsDesc(n, out.version) > 0)
      .slice(0, 5);
    for (const c of candidates) {
      const cd = await this.dateOf(out.owner, out.repo, refs.tags[c].commit, refs.tags[c].object);
      if (cd.date && (this.now() - Date.parse(cd.date)) / DAY >= days) {
        out.cooldownFrom = { version: out.version, sha: out.sha, date: out.date };
        out.notes.push(
          `${out.ref} points to ${out.version}, released ${Math.floor(age)} days ago; pinned ${c} instead because of the ${days}-day minimum release age (this changes the code that runs: review the compare link)`,
        );
        out.sha = refs.tags[c].commit;
        out.version = c;
        out.tag = c;
        out.tagAnnotated = !!refs.tags[c].object;
        out.tagObject = refs.tags[c].object;
        out.date = cd.date;
        out.dateKind = cd.kind;
        out.reachable = `tag ${c} of ${this.opts.endpoints.web}/${out.owner}/${out.repo} points to this commit (listed by git ls-remote of that repository)`;
        return;
      }
    }
    out.notes.push(`${out.version} is ${Math.floor(age)} days old, younger than the minimum release age of ${days} days, and no older ${out.ref} release with a known date was found`);
  }
}
