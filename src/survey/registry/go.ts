import type { PackageId, RepoRef } from '../model';
import { fromRepoUrl } from './common';
import { httpGet, type HttpOptions } from './http';
import type { RegistryPort, RepoLookup } from './port';

// Go has no metadata registry: the module path is the repository. github.com/o/r/... is o/r (a /vN
// major-version suffix or sub-module is inside it); golang.org/x/NAME is mirrored at github.com/golang/
// NAME; gopkg.in follows its documented scheme (gopkg.in/pkg.v3 → go-pkg/pkg, gopkg.in/user/pkg.v3 →
// user/pkg). Any other host is a vanity import path: its `<meta name="go-import">` tag (served to
// ?go-get=1) says where the repository is, as the go command reads it.

export function knownGoRepo(module: string): RepoRef | undefined {
  const segs = module.split('/');
  if (segs[0] === 'github.com' && segs.length >= 3) return { host: 'github.com', owner: segs[1], repo: segs[2] };
  if (segs[0] === 'golang.org' && segs[1] === 'x' && segs[2]) return { host: 'github.com', owner: 'golang', repo: segs[2] };
  if (segs[0] === 'gopkg.in') {
    const ver = /^(.+)\.v\d+$/;
    if (segs.length >= 3 && ver.test(segs[2])) return { host: 'github.com', owner: segs[1], repo: ver.exec(segs[2])![1] };
    if (segs.length >= 2 && ver.test(segs[1])) {
      const name = ver.exec(segs[1])![1];
      return { host: 'github.com', owner: `go-${name}`, repo: name };
    }
  }
  return undefined;
}

/** The go-import meta tags of a page: [prefix, vcs, repo-root] each. */
export function goImports(html: string): [string, string, string][] {
  const out: [string, string, string][] = [];
  for (const m of html.matchAll(/<meta\s+[^>]*>/gi)) {
    const tag = m[0];
    if (!/name\s*=\s*["']go-import["']/i.test(tag)) continue;
    const content = /content\s*=\s*(["'])(.*?)\1/i.exec(tag)?.[2];
    const parts = content?.trim().split(/\s+/);
    if (parts && parts.length >= 3) out.push([parts[0], parts[1], parts[2]]);
  }
  return out;
}

export interface GoRegistryOptions {
  /** Where vanity import pages are fetched (tests): module path → URL. Default https://{module}?go-get=1. */
  goGetUrl?: (module: string) => string;
  http?: HttpOptions;
  extraHost?: string;
}

export class GoModules implements RegistryPort {
  readonly ecosystem = 'go' as const;
  constructor(private readonly opts: GoRegistryOptions = {}) {}

  async lookup(pkg: PackageId): Promise<RepoLookup> {
    const known = knownGoRepo(pkg.name);
    if (known) return { repo: known, url: `https://${pkg.name}` };
    const url = this.opts.goGetUrl?.(pkg.name) ?? `https://${pkg.name}?go-get=1`;
    const html = await httpGet(url, 'Go import page', this.opts.http, 'text/html');
    if (html === undefined) return { reason: 'its import path has no go-import page' };
    const imports = goImports(html.slice(0, 1_000_000)).filter(([prefix]) => pkg.name === prefix || pkg.name.startsWith(`${prefix}/`));
    // The longest matching prefix is the module's own repository.
    imports.sort((a, b) => b[0].length - a[0].length);
    const git = imports.find(([, vcs]) => vcs === 'git') ?? imports.find(([, vcs]) => vcs !== 'mod');
    if (!git) return { reason: imports.length ? 'its go-import tag points to a module proxy only' : 'its import page has no go-import tag' };
    const found = fromRepoUrl(git[2], { extraHost: this.opts.extraHost });
    return found.reason === 'not a repository URL' ? { url: git[2], reason: `its repository URL is not one Steward can read (${git[2]})` } : found;
  }
}

/** Actions name their repository: owner/repo. */
export class ActionsRepos implements RegistryPort {
  readonly ecosystem = 'actions' as const;
  async lookup(pkg: PackageId): Promise<RepoLookup> {
    const [owner, repo] = pkg.name.split('/');
    return { repo: { host: 'github.com', owner, repo }, url: `https://github.com/${owner}/${repo}` };
  }
}
