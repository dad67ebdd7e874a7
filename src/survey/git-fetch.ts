import * as os from 'node:os';
import { redact } from '../github/errors';
import { GitHubNetworkError } from '../github/errors';
import { makeScratchRepo, removeScratchRepo, runLockedDownGit, type GitRun } from '../github/git';
import { FETCH_LIMITS, RepoUnavailable, selectFiles } from './fetch';

// A repository's security-relevant files through git instead of the contents API: one shallow,
// blob-less fetch of the branch tip (commits and trees only, no file contents), the tree listed
// locally, then ONE more fetch of exactly the blobs the checks read (.github/, root files, classified
// files, manifests: the same selection as the API path), read with `cat-file --batch`. It costs two
// git conversations per repository instead of one API request per file, and no API quota.
// Every git runs locked down in Steward's own scratch repository (no hooks, no credential helpers, no
// configuration of any user or repository), GIT_NO_LAZY_FETCH keeps git from fetching anything behind
// our back, and the scratch repository is removed afterwards.

export interface GitFetchOptions {
  env?: NodeJS.ProcessEnv;
  /** Tests: repositories on disk (file://). */
  allowFile?: boolean;
  timeoutMs?: number;
  /** Tests: look at the scratch repository before it is removed (what was fetched, what was not). */
  inspect?: (gitDir: string) => Promise<void>;
}

export interface GitFetched {
  commit: string;
  files: Record<string, Uint8Array>;
  /** Paths listed but not fetched. */
  rest: string[];
  listed: number;
  fetched: number;
  truncated: boolean;
}

/** Files the selection would pick by name but whose contents no check reads (binaries at the root). */
const NOT_READ = /\.(?:jar|war|exe|dll|so|dylib|a|o|class|zip|gz|tgz|bz2|xz|7z|rar|png|jpe?g|gif|webp|ico|pdf|mp[34]|mov|woff2?|ttf|otf|bin|dat|db|sqlite)$/i;

function fail(r: GitRun, what: string, url: string): never {
  const text = redact(r.stderr).trim();
  let host = url;
  try {
    host = new URL(url).origin;
  } catch {
    // a path: keep it
  }
  if (/could not resolve host|failed to connect|connection refused|couldn't connect|timed out|network is unreachable/i.test(text)) throw new GitHubNetworkError(`cannot reach ${host} (offline?)`);
  if (/repository .* not found|not found|does not appear to be a git repository|\b404\b/i.test(text)) throw new RepoUnavailable('gone', 'the repository does not exist any more (or is private)');
  if (/couldn't find remote ref|no such ref|unknown revision/i.test(text)) throw new RepoUnavailable('empty', 'the repository has no commits on its default branch');
  const last = text.split('\n').map((l) => l.replace(/^(fatal|error): /, '').trim()).filter(Boolean).pop() ?? `exit ${r.code}`;
  throw new Error(`git ${what} of ${host} failed: ${last}`);
}

/** Parses `git cat-file --batch` output for the requested objects, in order. */
export function parseCatFileBatch(out: Buffer, oids: readonly string[]): Map<string, Uint8Array> {
  const found = new Map<string, Uint8Array>();
  let at = 0;
  for (const oid of oids) {
    const nl = out.indexOf(0x0a, at);
    if (nl < 0) break;
    const header = out.subarray(at, nl).toString('latin1');
    at = nl + 1;
    const m = /^([0-9a-f]+) (\w+) (\d+)$/.exec(header);
    if (!m) continue; // "<oid> missing"
    const size = Number(m[3]);
    if (m[1] === oid && m[2] === 'blob') found.set(oid, out.subarray(at, at + size));
    at += size + 1;
  }
  return found;
}

export class GitFileFetcher {
  constructor(private readonly opts: GitFetchOptions = {}) {}

  private git(gitDir: string, args: string[], input?: string): Promise<GitRun> {
    return runLockedDownGit(os.tmpdir(), args, {
      env: this.opts.env,
      allowFile: this.opts.allowFile,
      timeoutMs: this.opts.timeoutMs ?? 120_000,
      input,
      // GIT_NO_LAZY_FETCH: a missing object is an error, never a fetch git starts on its own.
      extraEnv: { GIT_DIR: gitDir, GIT_NO_LAZY_FETCH: '1', GIT_TERMINAL_PROMPT: '0' },
    });
  }

  /** The tip of `branch` at `url`: its tree listed, the selected files' contents fetched. */
  async fetch(url: string, branch: string): Promise<GitFetched> {
    const dir = makeScratchRepo();
    try {
      // A partial-clone remote: git refuses --filter for a remote that is not one.
      for (const kv of [['core.repositoryformatversion', '1'], ['extensions.partialClone', 'origin'], ['remote.origin.url', url], ['remote.origin.promisor', 'true'], ['remote.origin.partialclonefilter', 'blob:none']]) {
        const r = await this.git(dir, ['config', kv[0], kv[1]]);
        if (r.code !== 0) fail(r, 'config', url);
      }
      const tip = await this.git(dir, ['fetch', '--quiet', '--no-tags', '--no-write-fetch-head', '--depth', '1', '--filter=blob:none', 'origin', `+refs/heads/${branch}:refs/steward/tip`]);
      if (tip.code !== 0) fail(tip, 'fetch', url);
      const rev = await this.git(dir, ['rev-parse', '--verify', 'refs/steward/tip^{commit}']);
      if (rev.code !== 0) fail(rev, 'rev-parse', url);
      const commit = rev.stdout.toString('utf8').trim();
      const ls = await this.git(dir, ['ls-tree', '-r', '-z', '--full-tree', 'refs/steward/tip']);
      if (ls.code !== 0) fail(ls, 'ls-tree', url);
      const blobs: { path: string; sha: string }[] = [];
      let truncated = false;
      for (const rec of ls.stdout.toString('utf8').split('\0')) {
        const m = /^(\d+) (\w+) ([0-9a-f]+)\t([\s\S]+)$/.exec(rec);
        // Symbolic links (120000) and submodules (commit) are listed by the API path too only as names.
        if (!m || m[2] !== 'blob' || m[1] === '120000') continue;
        if (blobs.length >= FETCH_LIMITS.listed) {
          truncated = true;
          break;
        }
        blobs.push({ path: m[4], sha: m[3] });
      }
      // Sizes are unknown before the contents arrive (the tree holds none): the per-file and total
      // bounds are applied to what arrives, and binaries no check reads are not asked for.
      const chosen = new Set(selectFiles(blobs.filter((b) => !NOT_READ.test(b.path)).map((b) => ({ path: b.path, size: 0 }))));
      const wanted = blobs.filter((b) => chosen.has(b.path));
      const oids = [...new Set(wanted.map((b) => b.sha))];
      const files: Record<string, Uint8Array> = {};
      if (oids.length) {
        const got = await this.git(dir, ['-c', 'fetch.negotiationAlgorithm=noop', 'fetch', '--quiet', '--no-tags', '--no-write-fetch-head', '--recurse-submodules=no', '--filter=blob:none', '--stdin', 'origin'], oids.join('\n') + '\n');
        if (got.code !== 0) fail(got, 'fetch', url);
        const cat = await this.git(dir, ['cat-file', '--batch'], oids.join('\n') + '\n');
        if (cat.code !== 0) fail(cat, 'cat-file', url);
        const contents = parseCatFileBatch(cat.stdout, oids);
        let bytes = 0;
        for (const b of wanted) {
          const c = contents.get(b.sha);
          if (!c || c.byteLength > FETCH_LIMITS.bytesPerFile || bytes + c.byteLength > FETCH_LIMITS.totalBytes) continue;
          files[b.path] = new Uint8Array(c);
          bytes += c.byteLength;
        }
      }
      await this.opts.inspect?.(dir);
      return { commit, files, rest: blobs.filter((b) => !(b.path in files)).map((b) => b.path), listed: blobs.length, fetched: Object.keys(files).length, truncated };
    } finally {
      removeScratchRepo(dir);
    }
  }
}
