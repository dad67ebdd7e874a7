import { simpleGit, type SimpleGit } from 'simple-git';
import { GitCommandError, GitHubNetworkError, redact } from './errors';

// git behind a narrow port. Every git process we start is locked down: a scanned repository's
// config must not be able to run code (hooks, fsmonitor), git must never stop to ask for a password,
// and a token travels only in the environment (GIT_CONFIG_*), never in argv or a URL, so it cannot
// show up in `ps`, in git's error messages or in our logs.

/** One line of `git ls-remote`: a ref and the object it points to (a commit, or a tag object). */
export interface LsRemoteRef {
  name: string;
  sha: string;
  /** For annotated tags: the commit the tag object points to (the `^{}` line). */
  peeled?: string;
}

export interface GitRemote {
  name: string;
  url: string;
}

export interface GitPort {
  /** Branches and tags of a remote repository, annotated tags peeled. */
  lsRemote(url: string, opts?: { token?: string }): Promise<LsRemoteRef[]>;
  /** Remotes of a local repository (fetch URLs). */
  remotes(dir: string): Promise<GitRemote[]>;
}

/** `-c` settings for every git we run: no hooks, no fsmonitor, no credential helpers (they can prompt). */
export const SAFE_GIT_CONFIG = ['core.hooksPath=/dev/null', 'core.fsmonitor=false', 'credential.helper=', 'core.askPass='];

// Environment variables we pass through from the parent; everything else (notably any GIT_* the user's
// shell has) is dropped. Proxy and CA variables keep corporate networks working.
const PASS_ENV = [
  'PATH', 'HOME', 'USERPROFILE', 'SYSTEMROOT', 'TMPDIR', 'TMP', 'TEMP', 'LANG', 'LC_ALL', 'XDG_CONFIG_HOME',
  'HTTP_PROXY', 'HTTPS_PROXY', 'NO_PROXY', 'http_proxy', 'https_proxy', 'no_proxy', 'SSL_CERT_FILE', 'SSL_CERT_DIR',
];

/**
 * The environment of a locked-down git. GIT_CONFIG_NOSYSTEM skips /etc/gitconfig (a shared machine's
 * helpers and hooks); on Windows the system config carries Git for Windows' TLS backend and CA
 * settings, so there we keep it.
 */
export function safeGitEnv(parent: NodeJS.ProcessEnv, extraHeader?: { url: string; value: string }): Record<string, string> {
  const env: Record<string, string> = {};
  for (const k of PASS_ENV) if (parent[k] !== undefined) env[k] = parent[k]!;
  env.GIT_TERMINAL_PROMPT = '0';
  env.GCM_INTERACTIVE = 'never';
  // A user's `url.<ssh>.insteadOf` can turn our https URL into ssh, and ssh asks for passphrases on
  // /dev/tty regardless of GIT_TERMINAL_PROMPT: batch mode makes it fail instead of waiting.
  env.GIT_SSH_COMMAND = 'ssh -o BatchMode=yes';
  if (process.platform !== 'win32') env.GIT_CONFIG_NOSYSTEM = '1';
  if (extraHeader) {
    env.GIT_CONFIG_COUNT = '1';
    // Scoped to the GitHub base URL: git sends it to that host only, never to a redirect elsewhere.
    env.GIT_CONFIG_KEY_0 = `http.${extraHeader.url}/.extraHeader`;
    env.GIT_CONFIG_VALUE_0 = extraHeader.value;
  } else env.GIT_CONFIG_COUNT = '0';
  return env;
}

/** HTTP basic auth header GitHub accepts for git over https with a token. */
export function tokenHeader(token: string): string {
  return `Authorization: Basic ${Buffer.from(`x-access-token:${token}`).toString('base64')}`;
}

export function parseLsRemote(out: string): LsRemoteRef[] {
  const byName = new Map<string, LsRemoteRef>();
  const peeled = new Map<string, string>();
  for (const line of out.split('\n')) {
    const m = /^([0-9a-f]{40}|[0-9a-f]{64})\t(\S+)$/.exec(line.trim());
    if (!m) continue;
    const [, sha, name] = m;
    if (name.endsWith('^{}')) peeled.set(name.slice(0, -3), sha);
    else byName.set(name, { name, sha });
  }
  for (const [name, sha] of peeled) {
    const r = byName.get(name);
    if (r) r.peeled = sha;
  }
  return [...byName.values()];
}

export interface SimpleGitPortOptions {
  env?: NodeJS.ProcessEnv;
  /** Kill git when it prints nothing for this long (ms). */
  timeoutMs?: number;
  /** The base URL a token may be sent to (e.g. https://github.com). Without it no token is sent. */
  tokenUrl?: string;
}

/**
 * The one way Steward starts git (ports and the contribution flow alike): SAFE_GIT_CONFIG, the safe
 * environment, a timeout. simple-git refuses these settings by default because a caller could use
 * them to run code; we set them to values that switch the dangerous behaviour off.
 */
export function lockedDownGit(dir: string, opts: { env?: NodeJS.ProcessEnv; header?: { url: string; value: string }; timeoutMs?: number; extraConfig?: string[] } = {}): SimpleGit {
  const env = safeGitEnv(opts.env ?? process.env, opts.header);
  return simpleGit({
    baseDir: dir,
    config: [...SAFE_GIT_CONFIG, ...(opts.extraConfig ?? [])],
    timeout: { block: opts.timeoutMs ?? 30_000 },
    unsafe: { allowUnsafeHooksPath: true, allowUnsafeFsMonitor: true, allowUnsafeCredentialHelper: true, allowUnsafeAskPass: true, allowUnsafeConfigEnvCount: true, allowUnsafeSshCommand: true },
    allowEnvironment: Object.keys(env),
  }).env(env);
}

export class SimpleGitPort implements GitPort {
  private readonly env: NodeJS.ProcessEnv;
  private readonly timeoutMs: number;

  constructor(private readonly opts: SimpleGitPortOptions = {}) {
    this.env = opts.env ?? process.env;
    this.timeoutMs = opts.timeoutMs ?? 30_000;
  }

  private git(dir: string | undefined, token?: string): SimpleGit {
    const header = token && this.opts.tokenUrl ? { url: this.opts.tokenUrl, value: tokenHeader(token) } : undefined;
    return lockedDownGit(dir ?? process.cwd(), { env: this.env, header, timeoutMs: this.timeoutMs });
  }

  async lsRemote(url: string, opts: { token?: string } = {}): Promise<LsRemoteRef[]> {
    try {
      // --heads --tags: with protocol v2 the server filters, so refs/pull/* (thousands) never travel.
      const out = await this.git(undefined, opts.token).listRemote(['--heads', '--tags', url]);
      return parseLsRemote(out);
    } catch (e) {
      const msg = redact(e instanceof Error ? e.message : String(e), opts.token).trim().split('\n').filter(Boolean);
      const text = msg.join(' ');
      if (/could not resolve host|failed to connect|connection refused|couldn't connect|timed out|network is unreachable/i.test(text)) {
        throw new GitHubNetworkError(`cannot reach ${new URL(url).origin} (offline?)`);
      }
      throw new GitCommandError(`git ls-remote ${url} failed: ${msg[msg.length - 1] ?? 'unknown error'}`);
    }
  }

  async remotes(dir: string): Promise<GitRemote[]> {
    try {
      const list = await this.git(dir).getRemotes(true);
      return list.filter((r) => r.refs.fetch).map((r) => ({ name: r.name, url: r.refs.fetch }));
    } catch (e) {
      throw new GitCommandError(`cannot read git remotes of ${dir}: ${(e instanceof Error ? e.message : String(e)).split('\n')[0]}`);
    }
  }
}
