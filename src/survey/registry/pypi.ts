import { normalizePyName } from '../lockfiles/python';
import { isRecord } from '../lockfiles/types';
import type { PackageId } from '../model';
import { fromRepoUrl } from './common';
import { httpJson, type HttpOptions } from './http';
import type { RegistryPort, RepoLookup } from './port';

// PyPI JSON API: GET /pypi/{name}/{version}/json (or /pypi/{name}/json) → { info: { project_urls,
// home_page, download_url, ... } }. project_urls labels are free text ("Source", "Source Code",
// "Repository", "GitHub", "Homepage", "Bug Tracker"...): a source-ish label wins, then any GitHub URL.

export const DEFAULT_PYPI_URL = 'https://pypi.org';

const PREFERRED = /^(source|sourcecode|repository|repo|code|github|git|scm|vcs)/;

function labelKey(label: string): string {
  return label.toLowerCase().replace(/[^a-z]/g, '');
}

export class PypiRegistry implements RegistryPort {
  readonly ecosystem = 'pypi' as const;
  private readonly base: string;
  constructor(base: string = DEFAULT_PYPI_URL, private readonly http: HttpOptions = {}, private readonly extraHost?: string) {
    this.base = base.replace(/\/+$/, '');
  }

  async lookup(pkg: PackageId): Promise<RepoLookup> {
    const name = encodeURIComponent(normalizePyName(pkg.name));
    let doc: unknown;
    if (pkg.version) doc = await httpJson(`${this.base}/pypi/${name}/${encodeURIComponent(pkg.version)}/json`, 'PyPI', this.http);
    if (doc === undefined) doc = await httpJson(`${this.base}/pypi/${name}/json`, 'PyPI', this.http);
    if (doc === undefined) return { reason: 'not on PyPI' };
    const info = isRecord(doc) && isRecord(doc.info) ? doc.info : undefined;
    if (!info) return { reason: 'PyPI answered without project metadata' };
    const urls: { label: string; url: string }[] = [];
    if (isRecord(info.project_urls)) for (const [label, url] of Object.entries(info.project_urls)) if (typeof url === 'string') urls.push({ label, url });
    for (const field of ['home_page', 'download_url']) if (typeof info[field] === 'string' && info[field]) urls.push({ label: field, url: info[field] as string });
    const ordered = [...urls.filter((u) => PREFERRED.test(labelKey(u.label))), ...urls.filter((u) => !PREFERRED.test(labelKey(u.label)))];
    let elsewhere: RepoLookup | undefined;
    for (const u of ordered) {
      const found = fromRepoUrl(u.url, { extraHost: this.extraHost });
      if (found.repo) return found;
      if (!elsewhere && PREFERRED.test(labelKey(u.label)) && found.reason !== 'not a repository URL') elsewhere = found;
    }
    if (elsewhere) return elsewhere;
    return { url: ordered[0]?.url, reason: urls.length ? 'none of its project URLs is a GitHub repository' : 'no project URLs in its PyPI metadata' };
  }
}
