import type { PackageId } from '../model';
import { httpJson, type HttpOptions } from './http';
import type { RegistryPort, RepoLookup } from './port';
import { isRecord } from '../lockfiles/types';
import { fromRepoUrl } from './common';

// npm: the version document GET /{name}/{version} carries `repository` as package.json had it (a
// string or { type, url, directory }). Without a version, or when that version is gone, the
// packument GET /{name} has the latest version's `repository` at its top level.

export const DEFAULT_NPM_REGISTRY = 'https://registry.npmjs.org';

export class NpmRegistry implements RegistryPort {
  readonly ecosystem = 'npm' as const;
  private readonly base: string;
  constructor(base: string = DEFAULT_NPM_REGISTRY, private readonly http: HttpOptions = {}, private readonly extraHost?: string) {
    this.base = base.replace(/\/+$/, '');
  }

  async lookup(pkg: PackageId): Promise<RepoLookup> {
    // Scoped names are one path segment in the packument URL (@scope%2Fname).
    const name = pkg.name.startsWith('@') ? pkg.name.replace('/', '%2F') : encodeURIComponent(pkg.name);
    let doc: unknown;
    if (pkg.version && /^\d/.test(pkg.version)) doc = await httpJson(`${this.base}/${name}/${encodeURIComponent(pkg.version)}`, 'npm registry', this.http);
    if (doc === undefined) {
      const packument = await httpJson(`${this.base}/${name}`, 'npm registry', this.http);
      if (packument === undefined) return { reason: 'not in the npm registry' };
      doc = packument;
      if (isRecord(packument) && packument.repository === undefined && isRecord(packument['dist-tags']) && isRecord(packument.versions)) {
        const latest = packument.versions[String(packument['dist-tags'].latest)];
        if (isRecord(latest)) doc = latest;
      }
    }
    if (!isRecord(doc)) return { reason: 'the npm registry answered without package metadata' };
    const r = doc.repository;
    const url = typeof r === 'string' ? r : isRecord(r) && typeof r.url === 'string' ? r.url : undefined;
    const directory = isRecord(r) && typeof r.directory === 'string' ? r.directory : undefined;
    if (url) {
      const found = fromRepoUrl(url, { shorthand: true, extraHost: this.extraHost });
      if (found.repo && directory) found.repo.directory = directory;
      if (found.repo || found.reason !== 'not a repository URL') return found;
    }
    // Many packages name only a homepage or bugs URL on GitHub.
    const bugs = isRecord(doc.bugs) ? doc.bugs.url : doc.bugs;
    for (const alt of [doc.homepage, bugs]) {
      if (typeof alt !== 'string') continue;
      const found = fromRepoUrl(alt, { extraHost: this.extraHost });
      if (found.repo) return found;
    }
    return { url, reason: url ? `its repository URL is not one Steward can read (${url})` : 'no repository in its npm metadata' };
  }
}
