import type { ActionAdvisory, ActionLookup, ActionRefs, Containment } from '../core/model/actions';
import type { Fact } from '../core/model/facts';
import type { AdvisoryRecord, GitHubPort } from './api';
import type { CacheStore } from './cache';
import { GitHubNotFoundError, toGitHubError } from './errors';
import type { RefResolver } from './resolver';
import type { GitHubEndpoints } from './urls';

// The online answers of the action audits (known-vulnerable-actions, impostor-commit, stale-action-refs,
// ref-version-mismatch, archived-uses, immutable releases), built on the resolver's ref lists and the
// REST port, cached in the services' cache (memory + disk).
//
// Request budget, per scan, cold cache:
// - refs: one `git ls-remote` per action repository (no API quota); the REST fallback lists tags and
//   branches, 100 a page, at most 10 pages each;
// - advisories: the whole `actions` ecosystem of the advisory database in pages of 100 (a few requests,
//   shared by every repository scanned within the TTL) instead of one request per action;
// - repository (archived?): one request per action repository, kept for a day;
// - contains: one compare request per ref tried, only for a SHA that is no branch's or tag's tip,
//   at most MAX_COMPARES per SHA;
// - release: one request per exact version tag pinned, kept for a day.
// After a network failure or a rate limit every later lookup answers unknown at once, with the same
// reason, so an offline machine does not wait for a retry per action.

const HOUR = 3600_000;
const MAX_PAGES = 10;
const MAX_ADVISORY_PAGES = 20;
/** Compare requests per pinned SHA at most (impostor-commit): the default branch first, then recent tags. */
export const MAX_COMPARES = 8;
const NAME = /^(?!\.\.?$)[A-Za-z0-9_.-]{1,100}$/;
const SHA = /^[0-9a-f]{40}$/;

export interface ActionLookupOptions {
  github: GitHubPort;
  resolver: RefResolver;
  cache: CacheStore;
  endpoints: GitHubEndpoints;
  now?: () => number;
}

export class GitHubActionLookup implements ActionLookup {
  /** API requests this lookup made, by kind (ls-remote is counted by the resolver). */
  readonly stats = { refsApi: 0, advisories: 0, repository: 0, compare: 0, release: 0, cacheHits: 0 };
  private stoppedFor?: { reason: string; at: number };
  private advisoryList?: Promise<Fact<AdvisoryRecord[]>>;
  private readonly memo = new Map<string, Promise<Fact<unknown>>>();
  private readonly now: () => number;

  constructor(private readonly opts: ActionLookupOptions) {
    this.now = opts.now ?? Date.now;
  }

  private key(kind: string, ...parts: string[]): string {
    return [kind, this.opts.endpoints.host, ...parts.map((p) => p.toLowerCase())].join('/');
  }

  /** Runs `fn` once per key and process, through the disk cache with `ttl`; failures become unknown facts. */
  private cached<T>(key: string, ttl: number, fn: () => Promise<T>): Promise<Fact<T>> {
    let p = this.memo.get(key) as Promise<Fact<T>> | undefined;
    if (!p) {
      p = (async (): Promise<Fact<T>> => {
        const hit = await this.opts.cache.get<T>(key);
        if (hit && this.now() - hit.storedAt < ttl) {
          this.stats.cacheHits++;
          return { known: true, value: hit.value };
        }
        const stopped = this.stopped();
        if (stopped) return { known: false, reason: stopped };
        try {
          const value = await fn();
          await this.opts.cache.set(key, value, this.now());
          return { known: true, value };
        } catch (e) {
          return { known: false, reason: this.failure(e) };
        }
      })();
      this.memo.set(key, p);
      // An editor process lives long: forget failures so a later scan asks again.
      const forget = p;
      void p.then((f) => !f.known && this.memo.get(key) === forget && this.memo.delete(key));
    }
    return p;
  }

  private failure(e: unknown): string {
    const err = toGitHubError(e, { baseUrl: this.opts.endpoints.api });
    if (err.kind === 'network' || err.kind === 'rate-limit') this.stoppedFor = { reason: err.message, at: this.now() };
    return err.message;
  }

  /** The reason lookups are stopped (a network failure or rate limit in the last minute), if they are. */
  private stopped(): string | undefined {
    const s = this.stoppedFor;
    return s && this.now() - s.at < 60_000 ? s.reason : undefined;
  }

  private invalid(owner: string, repo: string): Fact<never> | undefined {
    return NAME.test(owner) && NAME.test(repo) ? undefined : { known: false, reason: `not a GitHub repository name: ${owner}/${repo}` };
  }

  async refs(owner: string, repo: string): Promise<Fact<ActionRefs>> {
    const bad = this.invalid(owner, repo);
    if (bad) return bad;
    const stopped = this.stopped();
    if (stopped) return { known: false, reason: stopped };
    const { refs, gitError } = await this.opts.resolver.repoRefs(owner, repo);
    if (refs) {
      const tags: Record<string, string> = {};
      for (const [n, t] of Object.entries(refs.tags)) tags[n] = t.commit;
      return { known: true, value: { tags, heads: { ...refs.heads } } };
    }
    // git could not list them (no git, a proxy that lets only the API through): the REST API can.
    const viaApi = await this.cached(this.key('action-refs', owner, repo), 6 * HOUR, () => this.refsFromApi(owner, repo));
    if (!viaApi.known && gitError) {
      // Neither git nor the API reached GitHub: the next actions would wait for the same failure.
      if (gitError.kind === 'network' && !this.stoppedFor) this.stoppedFor = { reason: gitError.message, at: this.now() };
      return { known: false, reason: `${gitError.message}; API: ${viaApi.reason}` };
    }
    return viaApi;
  }

  private async refsFromApi(owner: string, repo: string): Promise<ActionRefs> {
    const out: ActionRefs = { tags: {}, heads: {} };
    // GET /tags names each tag's commit (peeled), unlike matching-refs, which needs one request per annotated tag.
    for (let page = 1; page <= MAX_PAGES; page++) {
      this.stats.refsApi++;
      const { data } = await this.opts.github.request<{ name: string; commit: { sha: string } }[]>('GET /repos/{owner}/{repo}/tags', { owner, repo, per_page: 100, page });
      for (const t of data) out.tags[t.name] = t.commit.sha;
      if (data.length < 100) break;
    }
    for (let page = 1; page <= MAX_PAGES; page++) {
      this.stats.refsApi++;
      const { data } = await this.opts.github.request<{ name: string; commit: { sha: string } }[]>('GET /repos/{owner}/{repo}/branches', { owner, repo, per_page: 100, page });
      for (const b of data) out.heads[b.name] = b.commit.sha;
      if (data.length < 100) break;
    }
    return out;
  }

  async advisories(owner: string, repo: string): Promise<Fact<ActionAdvisory[]>> {
    const bad = this.invalid(owner, repo);
    if (bad) return bad;
    this.advisoryList ??= this.cached(this.key('advisories', 'actions'), 12 * HOUR, () => this.allAdvisories());
    const all = await this.advisoryList;
    if (!all.known) return all;
    const name = `${owner}/${repo}`.toLowerCase();
    const out: ActionAdvisory[] = [];
    for (const a of all.value) {
      if (a.withdrawn) continue;
      // Advisories name an action by repository, sometimes with the path of an action inside it.
      const vulns = a.vulnerabilities.filter((v) => v.ecosystem.toLowerCase() === 'actions' && (v.name.toLowerCase() === name || v.name.toLowerCase().startsWith(`${name}/`)));
      if (!vulns.length) continue;
      const sev = a.severity === 'moderate' ? 'medium' : a.severity;
      out.push({
        id: a.ghsaId,
        ...(a.cveId ? { cve: a.cveId } : {}),
        summary: a.summary,
        severity: sev === 'low' || sev === 'medium' || sev === 'high' || sev === 'critical' ? sev : 'unknown',
        url: a.htmlUrl,
        vulnerabilities: vulns.map((v) => ({ package: v.name, range: v.range, ...(v.firstPatched ? { firstPatched: v.firstPatched } : {}) })),
      });
    }
    return { known: true, value: out };
  }

  private async allAdvisories(): Promise<AdvisoryRecord[]> {
    const g = this.opts.github;
    if (!g.advisoriesPage) throw new Error('this GitHub connection cannot list advisories');
    const out: AdvisoryRecord[] = [];
    let after: string | undefined;
    for (let page = 0; page < MAX_ADVISORY_PAGES; page++) {
      this.stats.advisories++;
      const r = await g.advisoriesPage({ ecosystem: 'actions', ...(after ? { after } : {}) });
      out.push(...r.advisories);
      if (!r.next) return out;
      after = r.next;
    }
    // A partial list could hide the one advisory that matters: say so rather than pass.
    throw new Error(`the advisory database listed more than ${MAX_ADVISORY_PAGES * 100} advisories for actions; not all were read`);
  }

  repository(owner: string, repo: string): Promise<Fact<{ archived: boolean; defaultBranch: string }>> {
    const bad = this.invalid(owner, repo);
    if (bad) return Promise.resolve(bad);
    return this.cached(this.key('action-repo', owner, repo), 24 * HOUR, async () => {
      this.stats.repository++;
      const info = await this.opts.github.getRepo(owner, repo);
      return { archived: info.archived, defaultBranch: info.defaultBranch };
    });
  }

  async contains(owner: string, repo: string, sha: string, refs: readonly string[]): Promise<Fact<Containment>> {
    const bad = this.invalid(owner, repo);
    if (bad) return bad;
    if (!SHA.test(sha)) return { known: false, reason: `not a commit SHA: ${sha}` };
    const g = this.opts.github;
    if (!g.compareStatus) return { known: false, reason: 'this GitHub connection cannot compare commits' };
    const checked: string[] = [];
    for (const ref of refs.slice(0, MAX_COMPARES)) {
      const r = await this.cached(this.key('contains', owner, repo, sha, ref), 24 * HOUR, async () => {
        this.stats.compare++;
        const st = await g.compareStatus!(owner, repo, ref, sha);
        // base...head is 'behind' when head is an ancestor of base: the ref's history contains the commit.
        return st === 'behind' || st === 'identical';
      });
      if (!r.known) return r;
      checked.push(ref);
      if (r.value) return { known: true, value: { containedIn: ref, checked } };
    }
    return { known: true, value: { checked } };
  }

  release(owner: string, repo: string, tag: string): Promise<Fact<{ immutable: boolean } | null>> {
    const bad = this.invalid(owner, repo);
    if (bad) return Promise.resolve(bad);
    return this.cached(this.key('release', owner, repo, encodeURIComponent(tag)), 24 * HOUR, async () => {
      const g = this.opts.github;
      if (!g.releaseByTag) throw new Error('this GitHub connection cannot read releases');
      this.stats.release++;
      try {
        const r = await g.releaseByTag(owner, repo, tag);
        return r ? { immutable: r.immutable } : null;
      } catch (e) {
        if (e instanceof GitHubNotFoundError) return null;
        throw e;
      }
    });
  }
}
