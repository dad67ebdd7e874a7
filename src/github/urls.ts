// Where GitHub lives. One base URL (github.com or a GitHub Enterprise Server) gives the web/git URL
// and the REST API URL; remotes of a workspace are matched against it.

export interface GitHubEndpoints {
  /** Web and git base without trailing slash, e.g. https://github.com. */
  web: string;
  /** REST API base: https://api.github.com for github.com, else <web>/api/v3. */
  api: string;
  /** Host (with port) of the web URL, lower case. */
  host: string;
  isDotCom: boolean;
}

export const DEFAULT_GITHUB_URL = 'https://github.com';

export function githubEndpoints(url: string = DEFAULT_GITHUB_URL): GitHubEndpoints {
  let u: URL;
  try {
    u = new URL(url.trim());
  } catch {
    throw new Error(`not a URL: '${url}' (expected e.g. https://github.example.com)`);
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') throw new Error(`GitHub URL must be http(s): '${url}'`);
  if (u.username || u.password) throw new Error('GitHub URL must not contain credentials; use GITHUB_TOKEN');
  const host = u.host.toLowerCase();
  const isDotCom = host === 'github.com' || host === 'www.github.com' || host === 'api.github.com';
  if (isDotCom) return { web: 'https://github.com', api: 'https://api.github.com', host: 'github.com', isDotCom };
  const web = `${u.protocol}//${u.host}${u.pathname.replace(/\/+$/, '')}`;
  return { web, api: `${web}/api/v3`, host, isDotCom };
}

/** The base URL from (in order) an explicit flag/setting, then GITHUB_SERVER_URL. */
export function pickGitHubUrl(explicit: string | undefined, env: NodeJS.ProcessEnv, setting?: string): string {
  return explicit?.trim() || setting?.trim() || env.GITHUB_SERVER_URL?.trim() || DEFAULT_GITHUB_URL;
}

export function gitRepoUrl(ep: GitHubEndpoints, owner: string, repo: string): string {
  return `${ep.web}/${owner}/${repo}.git`;
}

export function repoWebUrl(ep: GitHubEndpoints, owner: string, repo: string): string {
  return `${ep.web}/${owner}/${repo}`;
}

export interface RemoteRepo {
  host: string;
  owner: string;
  repo: string;
}

/**
 * Parses the remote URL forms git accepts: https://host/o/r(.git), ssh://git@host(:port)/o/r.git,
 * git@host:o/r.git, git://host/o/r. Returns undefined for anything else (local paths, bundles).
 */
export function parseRemoteUrl(url: string): RemoteRepo | undefined {
  const s = url.trim();
  let host: string;
  let path: string;
  const scp = /^(?:[\w.-]+@)?([\w.-]+):(?!\/\/)(.+)$/.exec(s);
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(s)) {
    let u: URL;
    try {
      u = new URL(s);
    } catch {
      return undefined;
    }
    if (!['https:', 'http:', 'ssh:', 'git:', 'git+ssh:', 'ssh+git:'].includes(u.protocol)) return undefined;
    host = u.hostname.toLowerCase();
    // Keep an explicit port for http(s) (GHES on a custom port); ssh ports say nothing about the web host.
    if (u.port && (u.protocol === 'https:' || u.protocol === 'http:')) host += `:${u.port}`;
    path = u.pathname;
  } else if (scp && !/^[a-z]:\\/i.test(s)) {
    host = scp[1].toLowerCase();
    path = scp[2];
  } else return undefined;
  const parts = path.replace(/^\/+|\/+$/g, '').replace(/\.git$/, '').split('/');
  if (parts.length < 2) return undefined;
  // GHES may sit under a path prefix; owner/repo are always the last two segments.
  const [owner, repo] = parts.slice(-2);
  if (!owner || !repo) return undefined;
  return { host: host === 'www.github.com' || host === 'ssh.github.com' ? 'github.com' : host, owner, repo };
}

/** Whether a remote's host is the configured GitHub (ssh remotes of GHES carry no port: compare names). */
export function remoteMatches(ep: GitHubEndpoints, r: RemoteRepo): boolean {
  const bare = (h: string) => h.replace(/:\d+$/, '');
  return r.host === ep.host || bare(r.host) === bare(ep.host);
}
