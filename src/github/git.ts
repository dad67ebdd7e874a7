import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, lstatSync, statSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { simpleGit, type SimpleGit } from 'simple-git';
import { GitCommandError, GitHubNetworkError, redact } from './errors';
import { removeOwnFileSync, removeOwnTempDirSync } from '../core/fs/safe-write';

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

/**
 * `-c` settings for every git we run. Each one switches off a way a repository's own configuration
 * (`.git/config`, and whatever it includes) could make git start a program or send data elsewhere:
 * hooks, fsmonitor, credential helpers and askpass (they can prompt or run anything), the pager,
 * `core.alternateRefsCommand` (run on fetch/push when the object store has alternates), global
 * attributes (a file can select filter drivers), submodule recursion (runs git with the submodules'
 * own configuration), and background maintenance (gc/maintenance on the user's repository).
 * Filter drivers named in the repository's configuration are neutralised per name
 * (`repoNeutralisers`); diff drivers are never reached because Steward runs no porcelain diff
 * (format-patch gets `--no-ext-diff --no-textconv`). Transports are limited through
 * GIT_ALLOW_PROTOCOL (see `safeGitEnv`), which overrides every `protocol.*.allow` setting, so `ext::`
 * URLs, `git://` (and with it `core.gitProxy`) and local-path remotes (which run `uploadpack`) are
 * refused. Network commands of the contribution flow run outside the repository's configuration
 * altogether (`makeScratchRepo`), so its `http.proxy`, `http.<url>.*` and `remote.<name>.*` settings never
 * see a token.
 */
export const SAFE_GIT_CONFIG = [
  'core.hooksPath=/dev/null',
  'core.fsmonitor=false',
  'credential.helper=',
  'core.askPass=',
  'core.pager=cat',
  'core.alternateRefsCommand=',
  'core.attributesFile=/dev/null',
  'fetch.recurseSubmodules=false',
  'submodule.recurse=false',
  'push.recurseSubmodules=no',
  'gc.auto=0',
  'maintenance.auto=false',
];

/** Transports git may use. `file` only for tests and local fixtures that pass `allowFile`. */
export const ALLOWED_PROTOCOLS = ['https', 'http', 'ssh'];

// Environment variables we pass through from the parent; everything else (notably any GIT_* the user's
// shell has) is dropped. Proxy and CA variables keep corporate networks working; the ssh agent socket
// lets pushes to an ssh remote use the user's keys.
const PASS_ENV = [
  'PATH', 'HOME', 'USERPROFILE', 'SYSTEMROOT', 'TMPDIR', 'TMP', 'TEMP', 'LANG', 'LC_ALL', 'XDG_CONFIG_HOME',
  'HTTP_PROXY', 'HTTPS_PROXY', 'NO_PROXY', 'http_proxy', 'https_proxy', 'no_proxy', 'SSL_CERT_FILE', 'SSL_CERT_DIR',
  'SSH_AUTH_SOCK',
];

export interface SafeGitEnvOptions {
  /** Also allow the `file` transport (test fixtures with remotes on disk). */
  allowFile?: boolean;
  /** Read the user's own global configuration (only to look up identity and signing choices). */
  userGlobal?: boolean;
}

/**
 * The environment of a locked-down git. GIT_CONFIG_NOSYSTEM skips /etc/gitconfig (a shared machine's
 * helpers and hooks); on Windows the system config carries Git for Windows' TLS backend and CA
 * settings, so there we keep it. GIT_CONFIG_GLOBAL points at an empty file: the few settings of the
 * user's own global configuration Steward honours (identity, signing, safe.directory) are carried over
 * one by one by `userGitSettings`, not by reading the file. GIT_OPTIONAL_LOCKS=0 keeps `status` from
 * rewriting the user's index.
 */
export function safeGitEnv(parent: NodeJS.ProcessEnv, extraHeader?: { url: string; value: string }, opts: SafeGitEnvOptions = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const k of PASS_ENV) if (parent[k] !== undefined) env[k] = parent[k]!;
  env.GIT_TERMINAL_PROMPT = '0';
  env.GCM_INTERACTIVE = 'never';
  // A user's `url.<ssh>.insteadOf` can turn our https URL into ssh, and ssh asks for passphrases on
  // /dev/tty regardless of GIT_TERMINAL_PROMPT: batch mode makes it fail instead of waiting.
  env.GIT_SSH_COMMAND = 'ssh -o BatchMode=yes';
  if (process.platform !== 'win32') env.GIT_CONFIG_NOSYSTEM = '1';
  if (!opts.userGlobal) env.GIT_CONFIG_GLOBAL = os.devNull;
  else if (parent.GIT_CONFIG_GLOBAL !== undefined) env.GIT_CONFIG_GLOBAL = parent.GIT_CONFIG_GLOBAL;
  env.GIT_ATTR_NOSYSTEM = '1';
  env.GIT_OPTIONAL_LOCKS = '0';
  env.GIT_NO_REPLACE_OBJECTS = '1';
  // Overrides protocol.allow and every protocol.<name>.allow of any configuration.
  env.GIT_ALLOW_PROTOCOL = [...ALLOWED_PROTOCOLS, ...(opts.allowFile ? ['file'] : [])].join(':');
  if (extraHeader) {
    env.GIT_CONFIG_COUNT = '1';
    // Scoped to the GitHub base URL: git sends it to that host only, never to a redirect elsewhere.
    env.GIT_CONFIG_KEY_0 = `http.${extraHeader.url}/.extraHeader`;
    env.GIT_CONFIG_VALUE_0 = extraHeader.value;
  } else env.GIT_CONFIG_COUNT = '0';
  return env;
}

/** Settings from the user's own (global) git configuration that Steward's git honours. */
export interface UserGitSettings {
  /** `-c` entries: signing programs (defaults when unset, so a repository cannot pick one), safe.directory. */
  config: string[];
}

// Signing programs come from the user's global configuration only; when it names none, git's
// defaults are pinned so a repository's `gpg.program` (or `gpg.ssh.defaultKeyCommand`) never runs.
const SIGNING_PROGRAMS: [key: string, fallback: string][] = [
  ['gpg.program', 'gpg'],
  ['gpg.openpgp.program', ''],
  ['gpg.x509.program', 'gpgsm'],
  ['gpg.ssh.program', 'ssh-keygen'],
  ['gpg.ssh.defaultkeycommand', ''],
];

const userSettingsCache = new Map<string, UserGitSettings>();

/**
 * Reads the user's global git configuration once (with the user's own HOME / GIT_CONFIG_GLOBAL, no
 * repository involved: `git config --global` reads one file and runs nothing) and keeps the keys
 * Steward honours. A missing or unreadable global configuration yields the pinned defaults.
 */
export function userGitSettings(parent: NodeJS.ProcessEnv = process.env): UserGitSettings {
  // Keyed by the files and their modification times: an edited global configuration is read again.
  const files = parent.GIT_CONFIG_GLOBAL !== undefined ? [parent.GIT_CONFIG_GLOBAL] : [path.join(parent.HOME ?? os.homedir(), '.gitconfig'), path.join(parent.XDG_CONFIG_HOME ?? path.join(parent.HOME ?? os.homedir(), '.config'), 'git', 'config')];
  const key = files.map((f) => `${f}@${statSync(f, { throwIfNoEntry: false })?.mtimeMs ?? 0}`).join('\0');
  const cached = userSettingsCache.get(key);
  if (cached) return cached;
  const env: Record<string, string> = {};
  for (const k of [...PASS_ENV, 'GIT_CONFIG_GLOBAL']) if (parent[k] !== undefined) env[k] = parent[k]!;
  env.GIT_CONFIG_NOSYSTEM = '1';
  let out = '';
  try {
    out = execFileSync('git', ['config', '--global', '--includes', '-z', '--list'], { cwd: os.tmpdir(), env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 10_000 });
  } catch {
    out = '';
  }
  const values = new Map<string, string[]>();
  for (const rec of out.split('\0')) {
    const nl = rec.indexOf('\n');
    if (nl < 0) continue;
    const k = rec.slice(0, nl).toLowerCase();
    values.set(k, [...(values.get(k) ?? []), rec.slice(nl + 1)]);
  }
  const last = (k: string) => values.get(k)?.at(-1);
  const config: string[] = [];
  for (const [k, fallback] of SIGNING_PROGRAMS) {
    const v = last(k) ?? (k === 'gpg.openpgp.program' ? last('gpg.program') ?? 'gpg' : fallback);
    config.push(`${k}=${v}`);
  }
  for (const d of values.get('safe.directory') ?? []) config.push(`safe.directory=${d}`);
  const settings = { config };
  userSettingsCache.set(key, settings);
  return settings;
}

/**
 * `-c` entries that switch off the filter drivers a repository's configuration defines (its
 * `.gitattributes` selects them by name; a defined driver with empty commands is a no-op).
 * `configList` is the output of `git config -z --list` in that repository.
 */
export function repoNeutralisers(configList: string): string[] {
  const names = new Set<string>();
  for (const rec of configList.split('\0')) {
    const k = rec.slice(0, rec.indexOf('\n') < 0 ? rec.length : rec.indexOf('\n'));
    const m = /^filter\.(.+)\.(clean|smudge|process|required)$/is.exec(k);
    if (m) names.add(m[1]);
  }
  return [...names].flatMap((n) => [`filter.${n}.clean=`, `filter.${n}.smudge=`, `filter.${n}.process=`, `filter.${n}.required=false`]);
}

const scratchRepos = new Set<string>();

/**
 * A fresh empty bare repository of Steward's own, outside every repository: fetch and push run with
 * it as GIT_DIR (and the user's object store as GIT_OBJECT_DIRECTORY), so no repository's
 * configuration applies to them. Created by git itself for one command and removed right after
 * (`removeScratchRepo`); `removeScratchRepos` removes any still there (signal handlers, exit).
 * Commands that need no repository at all (ls-remote) use GIT_DIR=/dev/null instead (NO_REPOSITORY).
 */
export function makeScratchRepo(objectFormat = 'sha1'): string {
  const dir = path.join(os.tmpdir(), `steward-git-${process.pid}-${randomBytes(8).toString('hex')}`);
  execFileSync('git', ['init', '--quiet', '--bare', `--object-format=${objectFormat}`, dir], { env: safeGitEnv(process.env), stdio: 'ignore', timeout: 10_000 });
  scratchRepos.add(dir);
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.once('exit', removeScratchRepos);
  }
  return dir;
}

/** GIT_DIR for git commands that must not read any repository's configuration. */
export const NO_REPOSITORY = os.devNull;

let exitHookInstalled = false;

export function removeScratchRepo(dir: string): void {
  scratchRepos.delete(dir);
  // Steward's own scratch repository (made by git init above), not a user's file. Cleanup runs from
  // exit and signal handlers too, so a refusal (TMPDIR changed since) leaves the folder, never throws.
  try {
    removeOwnTempDirSync(dir);
  } catch {
    // Left in the temporary folder.
  }
}

/** Removes every scratch repository still there (also called from signal handlers before exiting). */
export function removeScratchRepos(): void {
  for (const d of [...scratchRepos]) removeScratchRepo(d);
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

export interface LockedDownGitOptions {
  env?: NodeJS.ProcessEnv;
  header?: { url: string; value: string };
  timeoutMs?: number;
  /** More `-c` settings (after the safe ones, so they cannot switch a safe one back on). */
  extraConfig?: string[];
  /** Extra environment (e.g. GIT_DIR / GIT_INDEX_FILE) on top of the safe one. */
  extraEnv?: Record<string, string>;
  allowFile?: boolean;
  userGlobal?: boolean;
}

/** The `-c` list of a locked-down git: the safe settings, the user's signing programs, the caller's. */
export function lockedDownConfig(opts: LockedDownGitOptions = {}): string[] {
  return [...SAFE_GIT_CONFIG, ...userGitSettings(opts.env ?? process.env).config, ...(opts.extraConfig ?? [])];
}

/**
 * The one way Steward starts git (ports and the contribution flow alike): SAFE_GIT_CONFIG, the safe
 * environment, a timeout. simple-git refuses these settings by default because a caller could use
 * them to run code; we set them to values that switch the dangerous behaviour off.
 */
export function lockedDownGit(dir: string, opts: LockedDownGitOptions = {}): SimpleGit {
  const env = { ...safeGitEnv(opts.env ?? process.env, opts.header, { allowFile: opts.allowFile, userGlobal: opts.userGlobal }), ...(opts.extraEnv ?? {}) };
  return simpleGit({
    baseDir: dir,
    config: lockedDownConfig(opts),
    timeout: { block: opts.timeoutMs ?? 30_000 },
    unsafe: {
      allowUnsafeHooksPath: true, allowUnsafeFsMonitor: true, allowUnsafeCredentialHelper: true, allowUnsafeAskPass: true,
      allowUnsafeConfigEnvCount: true, allowUnsafeSshCommand: true, allowUnsafePager: true, allowUnsafeConfigPaths: true,
      allowUnsafeFilter: true, allowUnsafeGpgProgram: true, allowUnsafePack: true, allowUnsafeProtocolOverride: true,
    },
    allowEnvironment: Object.keys(env),
  }).env(env);
}

/**
 * How long a git child gets after SIGTERM before SIGKILL. git removes its lock files (refs/…/x.lock,
 * index.lock, packed-refs.lock, HEAD.lock) and temporary object files from its own SIGTERM / SIGINT /
 * SIGHUP handler and exits, normally within milliseconds; SIGKILL leaves them behind, and the next git
 * that needs one refuses until the user deletes it by hand.
 */
export const GIT_STOP_GRACE_MS = 2_000;

/**
 * How long to wait for a SIGKILLed git to be gone (a process in uninterruptible I/O may not be). The
 * wait ends as soon as it is gone, normally at once; a long bound matters only on a loaded machine,
 * where giving up early would exit before its lock files could be removed for it.
 */
const KILL_WAIT_MS = 5_000;

interface LiveGit {
  child: ChildProcess;
  /** Settles when the process has exited (or could not start). */
  exited: Promise<void>;
  hasExited: boolean;
  /** Steward sent SIGKILL: git's own clean-up did not run. */
  forced: boolean;
  /**
   * Steward sent SIGTERM. git's own clean-up normally removes its locks then, but git creates a lock
   * file before it registers it for that clean-up: a signal in between leaves the lock behind (seen
   * on a loaded machine), so a stopped git's new locks are checked after its exit as a killed one's.
   */
  signalled: boolean;
  /** Declared lock files (`locks`) that did not exist when this git started. */
  newLocks: string[];
  exitedAt?: number;
}

const liveChildren = new Set<LiveGit>();

/** Set by `stopGitChildren`: the process is exiting, no git starts and no git result is delivered. */
let stopping = false;

/**
 * Ends one git: SIGTERM (git cleans up after itself), SIGKILL after `graceMs`, then waits for it to be
 * gone. A SIGKILLed git's declared locks that it created are removed once it has exited (see
 * `removeLocksOf`). Resolves when the process is gone, or when waiting longer is pointless.
 */
async function terminate(live: LiveGit, graceMs: number): Promise<void> {
  if (live.hasExited) return;
  const bound = (ms: number) => new Promise<void>((r) => setTimeout(r, ms).unref());
  if (graceMs > 0) {
    live.signalled = true;
    live.child.kill('SIGTERM');
    await Promise.race([live.exited, bound(graceMs)]);
    if (live.hasExited) return;
  }
  live.forced = true;
  live.child.kill('SIGKILL');
  await Promise.race([live.exited, bound(KILL_WAIT_MS)]);
}

/**
 * After a git Steward stopped (SIGKILL, or SIGTERM: see `signalled`) has exited: removes the lock files it was declared to take (`locks`)
 * that did not exist when it started and were last written before it exited, i.e. the ones it made
 * and could not remove itself. A lock that was there before (another git's, or a stale one of the
 * user's) is never touched, nor is any lock while the process may still be running.
 */
function removeLocksOf(live: LiveGit): void {
  for (const f of live.newLocks) {
    try {
      const st = lstatSync(f, { throwIfNoEntry: false });
      if (!st?.isFile() || st.mtimeMs > (live.exitedAt ?? 0)) continue;
      removeOwnFileSync(f);
    } catch {
      // Gone already, or not ours to remove: left as it is.
    }
  }
}

/**
 * Stops every git `runLockedDownGit` started that is still running, for a process about to exit
 * (signal handlers): SIGTERM so git removes its own lock files, SIGKILL for any still running after
 * `graceMs` (then its lock files are removed for it, see `removeLocksOf`). From the call on no git
 * starts and no git result is delivered, so the interrupted work cannot go on, fail or report in the
 * meantime. `done` is called once every git is gone (at once, synchronously, when none was running);
 * calling again with a shorter grace (a second Ctrl-C) shortens the wait.
 */
export function stopGitChildren(done: () => void, graceMs = GIT_STOP_GRACE_MS): void {
  stopping = true;
  const running = [...liveChildren].filter((l) => !l.hasExited);
  if (!running.length) return done();
  void Promise.all(running.map((l) => terminate(l, graceMs))).then(done, done);
}

/** Lets git run again after `stopGitChildren` (in-process callers such as tests that did not exit). */
export function resumeGitChildren(): void {
  stopping = false;
}

/**
 * The lock files a `git update-ref` takes in a repository whose git directories are `gitDir` (this
 * worktree's) and `commonDir` (shared): `<ref>.lock` for each ref it is given (on the command line or,
 * with --stdin, in `update`/`create`/`delete`/`verify` lines), and packed-refs.lock when it deletes.
 * Per-worktree refs (HEAD and other pseudo refs, refs/bisect, refs/worktree, refs/rewritten) live in
 * `gitDir`. Other commands: none. What `runLockedDownGit` may remove if it has to SIGKILL that git.
 */
export function updateRefLocks(args: string[], input: string | Uint8Array | undefined, gitDir: string, commonDir: string): string[] {
  if (args[0] !== 'update-ref') return [];
  const refs: string[] = [];
  let deletes = false;
  const rest = args.slice(1);
  if (rest.includes('--stdin')) {
    const text = typeof input === 'string' ? input : input ? Buffer.from(input).toString('utf8') : '';
    const sep = rest.includes('-z') ? '\0' : '\n';
    for (const part of text.split(sep)) {
      const m = /^(update|create|delete|verify) (\S+)/.exec(part);
      if (m) {
        refs.push(m[2]);
        if (m[1] === 'delete') deletes = true;
      }
    }
  } else {
    const positional: string[] = [];
    for (let i = 0; i < rest.length; i++) {
      if (rest[i] === '-m') i++;
      else if (rest[i] === '-d') deletes = true;
      else if (!rest[i].startsWith('-')) positional.push(rest[i]);
    }
    if (positional[0]) refs.push(positional[0]);
  }
  const perWorktree = (ref: string) => !ref.startsWith('refs/') || /^refs\/(bisect|worktree|rewritten)\//.test(ref);
  const locks = refs.filter((r) => !r.split('/').includes('..')).map((r) => path.join(perWorktree(r) ? gitDir : commonDir, `${r}.lock`));
  if (deletes) locks.push(path.join(commonDir, 'packed-refs.lock'));
  return [...new Set(locks)];
}

/** What a finished git process left: its exit code and output. */
export interface GitRun {
  code: number;
  stdout: Buffer;
  stderr: string;
}

/**
 * Runs one locked-down git with optional stdin (simple-git's raw() has none): same `-c` list and
 * environment as `lockedDownGit`. Stops git (SIGTERM, then SIGKILL) after `timeoutMs` without output.
 * Never rejects on a non-zero exit: the caller decides (and words the one-line message). `locks`:
 * the lock files this git may take (see `updateRefLocks`), removed for it if it has to be SIGKILLed.
 * Once `stopGitChildren` was called (the process is exiting) it starts nothing and never settles.
 */
export function runLockedDownGit(dir: string, args: string[], opts: LockedDownGitOptions & { input?: string | Uint8Array; locks?: string[] } = {}): Promise<GitRun> {
  if (stopping) return new Promise<GitRun>(() => undefined);
  const env = { ...safeGitEnv(opts.env ?? process.env, opts.header, { allowFile: opts.allowFile, userGlobal: opts.userGlobal }), ...(opts.extraEnv ?? {}) };
  const argv = [...lockedDownConfig(opts).flatMap((c) => ['-c', c]), ...args];
  return new Promise((resolve) => {
    const newLocks = (opts.locks ?? []).filter((f) => !existsSync(f));
    const child = spawn('git', argv, { cwd: dir, env, stdio: ['pipe', 'pipe', 'pipe'], windowsHide: true });
    let markExited!: () => void;
    const live: LiveGit = { child, exited: new Promise<void>((r) => (markExited = r)), hasExited: false, forced: false, signalled: false, newLocks };
    const exited = () => {
      if (live.hasExited) return;
      live.hasExited = true;
      live.exitedAt = Date.now();
      liveChildren.delete(live);
      if (live.forced || live.signalled) removeLocksOf(live);
      markExited();
    };
    liveChildren.add(live);
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let timer: NodeJS.Timeout | undefined;
    const arm = () => {
      if (timer) clearTimeout(timer);
      timer = setTimeout(() => void terminate(live, GIT_STOP_GRACE_MS), opts.timeoutMs ?? 30_000);
    };
    arm();
    child.stdout.on('data', (b: Buffer) => (out.push(b), arm()));
    child.stderr.on('data', (b: Buffer) => (err.push(b), arm()));
    child.on('error', (e) => (err.push(Buffer.from(String(e.message))), child.pid === undefined && exited()));
    child.on('exit', exited);
    child.on('close', (code, signal) => {
      exited();
      if (timer) clearTimeout(timer);
      // Interrupted for exiting: the caller must not go on with (or report) a git that was stopped.
      if (stopping) return;
      resolve({ code: code ?? (signal ? 128 : 1), stdout: Buffer.concat(out), stderr: Buffer.concat(err).toString('utf8') });
    });
    child.stdin.on('error', () => undefined);
    child.stdin.end(opts.input ?? '');
  });
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
    // Without a repository (ls-remote of an action's repository) git runs in Steward's own empty
    // repository: never in the scanned repository or whatever the current directory is, whose
    // configuration (`url.<x>.insteadOf`, `http.proxy`, …) would otherwise apply.
    if (dir === undefined) return lockedDownGit(os.tmpdir(), { env: this.env, header, timeoutMs: this.timeoutMs, extraEnv: { GIT_DIR: NO_REPOSITORY } });
    return lockedDownGit(dir, { env: this.env, header, timeoutMs: this.timeoutMs });
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
