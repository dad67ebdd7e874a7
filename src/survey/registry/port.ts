import type { CacheStore } from '../../github/cache';
import type { Ecosystem, PackageId, RepoRef } from '../model';

// Package → source repository, one implementation per registry. `lookup` never throws for a package
// the registry does not know or that names no repository: that is an answer (`reason`), reported with
// the survey. It throws RegistryError only for failures worth retrying (network, rate limit, 5xx).

export interface RepoLookup {
  /** The GitHub repository, when the metadata names one. */
  repo?: RepoRef;
  /** The repository or home page URL the metadata gave, as given (for the report). */
  url?: string;
  /** Why there is no repository: "not in the npm registry", "no repository in its metadata", "on gitlab.com". */
  reason?: string;
}

export interface RegistryPort {
  readonly ecosystem: Ecosystem;
  lookup(pkg: PackageId): Promise<RepoLookup>;
}

/** How long a registry answer is reused (repository URLs rarely change; a re-survey should be cheap). */
export const REGISTRY_TTL_MS = 7 * 24 * 3600 * 1000;

/** A registry with a cache in front: one lookup per package version, shared by runs and shards. */
export class CachedRegistry implements RegistryPort {
  readonly ecosystem: Ecosystem;
  private readonly inflight = new Map<string, Promise<RepoLookup>>();
  constructor(
    private readonly inner: RegistryPort,
    private readonly cache: CacheStore,
    private readonly opts: { ttlMs?: number; now?: () => number } = {},
  ) {
    this.ecosystem = inner.ecosystem;
  }

  async lookup(pkg: PackageId): Promise<RepoLookup> {
    const key = `survey/registry/${pkg.ecosystem}/${encodeURIComponent(pkg.name)}/${encodeURIComponent(pkg.version || '_')}`;
    const now = this.opts.now?.() ?? Date.now();
    const hit = await this.cache.get<RepoLookup>(key);
    if (hit && now - hit.storedAt < (this.opts.ttlMs ?? REGISTRY_TTL_MS)) return hit.value;
    let p = this.inflight.get(key);
    if (!p) {
      p = this.inner.lookup(pkg).then(async (v) => {
        await this.cache.set(key, v, now);
        return v;
      });
      this.inflight.set(key, p);
      p.finally(() => this.inflight.delete(key)).catch(() => undefined);
    }
    return p;
  }
}
