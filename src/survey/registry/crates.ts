import { isRecord } from '../lockfiles/types';
import type { PackageId } from '../model';
import { fromRepoUrl } from './common';
import { httpJson, type HttpOptions } from './http';
import type { RegistryPort, RepoLookup } from './port';

// crates.io: GET /api/v1/crates/{name} → { crate: { repository, homepage, ... }, versions: [...] }.
// crates.io asks every client for a User-Agent that says who it is (its crawler policy).

export const DEFAULT_CRATES_URL = 'https://crates.io';

export class CratesRegistry implements RegistryPort {
  readonly ecosystem = 'cargo' as const;
  private readonly base: string;
  constructor(base: string = DEFAULT_CRATES_URL, private readonly http: HttpOptions = {}, private readonly extraHost?: string) {
    this.base = base.replace(/\/+$/, '');
  }

  async lookup(pkg: PackageId): Promise<RepoLookup> {
    const doc = await httpJson(`${this.base}/api/v1/crates/${encodeURIComponent(pkg.name)}`, 'crates.io', this.http);
    if (doc === undefined) return { reason: 'not on crates.io' };
    const c = isRecord(doc) && isRecord(doc.crate) ? doc.crate : undefined;
    if (!c) return { reason: 'crates.io answered without crate metadata' };
    let first: RepoLookup | undefined;
    for (const field of ['repository', 'homepage']) {
      const url = c[field];
      if (typeof url !== 'string' || !url) continue;
      const found = fromRepoUrl(url, { extraHost: this.extraHost });
      if (found.repo) return found;
      first ??= found;
    }
    if (first) return first.reason === 'not a repository URL' ? { url: first.url, reason: `its repository URL is not one Steward can read (${first.url})` } : first;
    return { reason: 'no repository in its crates.io metadata' };
  }
}
