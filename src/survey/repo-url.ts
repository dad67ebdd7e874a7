import type { RepoRef } from './model';

// Repository URLs as registries hold them: npm `repository` ("git+https://github.com/o/r.git",
// "github:o/r", "o/r", { url, directory }), PyPI project URLs ("https://github.com/o/r/issues"),
// crates.io `repository`. Only the first two path segments name a GitHub repository; the rest is a
// page inside it (tree/main/x, issues, #readme).

export type RepoUrlResult = { repo: RepoRef } | { elsewhere: string } | undefined;

const SHORTHAND = /^(github|gitlab|bitbucket|gist):(.+)$/i;
const NAME = /^[A-Za-z0-9_.-]+$/;

/**
 * Reads a repository URL. `{ repo }` for GitHub (github.com or `extraHost`, e.g. a GHES host),
 * `{ elsewhere: host }` for a repository on another forge, undefined when it is not a repository URL.
 */
export function parseRepoUrl(raw: string, opts: { shorthand?: boolean; extraHost?: string } = {}): RepoUrlResult {
  let s = raw.trim();
  if (!s) return undefined;
  const short = SHORTHAND.exec(s);
  if (short) {
    const forge = short[1].toLowerCase();
    if (forge !== 'github') return { elsewhere: forge === 'gist' ? 'gist.github.com' : `${forge}.${forge === 'bitbucket' ? 'org' : 'com'}` };
    s = short[2];
    return ownerRepo('github.com', s.split('#')[0].split('/'));
  }
  // npm's "owner/repo" shorthand means GitHub.
  if (opts.shorthand && /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/.test(s)) return ownerRepo('github.com', s.split('/'));
  s = s.replace(/^git\+/, '');
  const scp = /^(?:[\w.-]+@)?([\w.-]+\.[a-z]{2,}):(?!\/\/)(.+)$/i.exec(s);
  let host: string;
  let pathname: string;
  if (scp) {
    host = scp[1].toLowerCase();
    pathname = scp[2];
  } else {
    let u: URL;
    try {
      u = new URL(s);
    } catch {
      return undefined;
    }
    if (!['https:', 'http:', 'git:', 'ssh:', 'git+ssh:'].includes(u.protocol)) return undefined;
    host = u.host.toLowerCase();
    pathname = u.pathname;
  }
  host = host.replace(/^www\./, '');
  const segs = pathname.split(/[?#]/)[0].split('/').filter(Boolean);
  if (host === 'github.com' || (opts.extraHost && host === opts.extraHost.toLowerCase())) return ownerRepo(host, segs);
  if (!segs.length) return undefined;
  return { elsewhere: host };
}

function ownerRepo(host: string, segs: string[]): RepoUrlResult {
  const [owner, repo0] = segs;
  if (!owner || !repo0) return undefined;
  const repo = repo0.replace(/\.git$/i, '');
  if (!NAME.test(owner) || !NAME.test(repo) || repo === '.' || repo === '..') return undefined;
  // github.com/sponsors/x, /orgs/x and similar are pages, not repositories.
  if (['sponsors', 'orgs', 'users', 'marketplace', 'apps', 'settings', 'topics'].includes(owner.toLowerCase())) return undefined;
  return { repo: { host, owner, repo } };
}
