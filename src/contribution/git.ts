import type { SimpleGit } from 'simple-git';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { makeOutputDir, removeOwnFileSync, writeOutputFile } from '../core/fs/safe-write';
import { lockedDownGit, makeScratchRepo, NO_REPOSITORY, removeScratchRepo, repoNeutralisers, runLockedDownGit, updateRefLocks, type GitRun } from '../github/git';

// The git operations the contribution flow needs. Every command runs locked down (src/github/git.ts:
// no hooks, fsmonitor, filters, credential helpers, pager or foreign transports; the user's signing
// programs only; never a token on the command line).
//
// The flow never touches the user's work: commits are built with plumbing in a temporary index
// (read-tree, hash-object, update-index, write-tree, commit-tree) and the branch is moved with one
// update-ref at the end. HEAD, the index, the working tree, the stash and ignored files are never
// read for writing, so there is nothing to restore after a failure or an interrupt.
//
// Network commands (ls-remote, fetch, push) run in Steward's own empty repository (GIT_DIR) that
// shares the clone's object store (GIT_OBJECT_DIRECTORY), with the remote's URL spelled out: the
// clone's configuration (`http.proxy`, `http.<url>.*`, `remote.<name>.uploadpack`/`proxy`/`vcs`,
// `url.<x>.insteadOf`, credential helpers) does not apply to them, so a token only ever goes to the
// GitHub URL it is scoped to, directly or through the user's environment proxy.

export interface CommitInfo {
  sha: string;
  subject: string;
  body: string;
  authorName: string;
  authorEmail: string;
}

export type RepoState = 'merge' | 'rebase' | 'cherry-pick' | 'revert' | 'bisect';

export class FlowGitError extends Error {}

/** A network command failed because the host could not be reached (not a refusal by the remote). */
export class FlowNetworkError extends FlowGitError {}

export interface FlowGitOptions {
  /** Authorization header for pushes and fetches, scoped to the GitHub base URL (never on argv). */
  tokenHeader?: { url: string; value: string };
  /** Allow remotes on disk (file transport): test fixtures only. */
  allowFile?: boolean;
  env?: NodeJS.ProcessEnv;
}

/** One commit to build: the files it changes (path → new content) and its message. */
export interface CommitStep {
  /** Path → the file's new bytes (already in its encoding) or UTF-8 text. */
  files: Map<string, string | Uint8Array>;
  message: string;
}

export interface Identity {
  name?: string;
  email?: string;
}

const NETWORK = /could not resolve host|failed to connect|connection refused|couldn't connect|timed out|network is unreachable|no route to host|could not read from remote|connection reset/i;

/** The last meaningful line of git's stderr, without the `fatal:`/`error:` prefix. */
export function gitMessage(stderr: string): string {
  const lines = stderr.split('\n').map((l) => l.trim()).filter((l) => l && !/^hint:/.test(l));
  const pick = lines.find((l) => /^error:/.test(l)) ?? lines[lines.length - 1] ?? 'unknown error';
  return pick.replace(/^(fatal|error):\s*/, '');
}

export class FlowGit {
  readonly git: SimpleGit;
  /** Files the current run must remove if it is interrupted (the temporary index). */
  private readonly temporaries = new Set<string>();
  private neutralisers: string[] = [];

  private constructor(
    readonly root: string,
    /** This worktree's git directory (absolute; a linked worktree has its own). */
    readonly gitDir: string,
    /** The git directory shared by all worktrees: objects, refs, config, Steward's lock. */
    readonly commonDir: string,
    readonly objectFormat: string,
    private readonly opts: FlowGitOptions,
  ) {
    this.git = FlowGit.make(root, opts);
  }

  static async open(dir: string, opts: FlowGitOptions = {}): Promise<FlowGit> {
    const probe = await runLockedDownGit(dir, ['rev-parse', '--path-format=absolute', '--show-toplevel', '--git-dir', '--git-common-dir', '--show-object-format'], { env: opts.env }).catch(() => undefined);
    const lines = probe?.code === 0 ? probe.stdout.toString('utf8').split('\n') : [];
    if (lines.length < 4 || !lines[0]) throw new FlowGitError(`${dir} is not inside a git repository (or is a bare one)`);
    const g = new FlowGit(lines[0], lines[1], lines[2], lines[3] || 'sha1', opts);
    // Filter drivers the repository's configuration defines are switched off by name for every
    // command (its .gitattributes selects them).
    const list = await g.run(['config', '-z', '--list']);
    g.neutralisers = repoNeutralisers(list.stdout.toString('utf8'));
    return g;
  }

  private static make(dir: string, opts: FlowGitOptions, extraConfig: string[] = []): SimpleGit {
    return lockedDownGit(dir, { env: opts.env, timeoutMs: 120_000, extraConfig: ['advice.detachedHead=false', ...extraConfig], allowFile: opts.allowFile });
  }

  /** One git command in the clone (never with the token). */
  async run(args: string[], extra: { input?: string | Uint8Array; env?: Record<string, string> } = {}): Promise<GitRun> {
    // The ref locks an update-ref takes are named so they can be removed if that git must be SIGKILLed.
    const locks = updateRefLocks(args, extra.input, this.gitDir, this.commonDir);
    return runLockedDownGit(this.root, args, { env: this.opts.env, timeoutMs: 120_000, extraConfig: this.neutralisers, extraEnv: extra.env, input: extra.input, allowFile: this.opts.allowFile, locks });
  }

  private async out(args: string[], extra: { input?: string | Uint8Array; env?: Record<string, string> } = {}): Promise<string> {
    const r = await this.run(args, extra);
    if (r.code !== 0) throw new FlowGitError(`git ${args[0]} failed: ${gitMessage(r.stderr)}`);
    return r.stdout.toString('utf8');
  }

  /**
   * A network command outside the clone's configuration (see the header comment): ls-remote with no
   * repository at all, fetch and push in a fresh scratch repository sharing the clone's objects.
   */
  private async net(args: string[], opts: { token?: boolean; scratch?: (dir: string) => Promise<void>; prepare?: (dir: string) => Promise<void> } = {}): Promise<GitRun> {
    const base = { env: this.opts.env, header: opts.token ? this.opts.tokenHeader : undefined, timeoutMs: 120_000, allowFile: this.opts.allowFile };
    if (!opts.scratch) return runLockedDownGit(os.tmpdir(), args, { ...base, extraEnv: { GIT_DIR: NO_REPOSITORY } });
    const dir = makeScratchRepo(this.objectFormat);
    try {
      const extraEnv = { GIT_DIR: dir, GIT_OBJECT_DIRECTORY: path.join(this.commonDir, 'objects') };
      await opts.prepare?.(dir);
      const r = await runLockedDownGit(dir, args, { ...base, extraEnv });
      if (r.code === 0) await opts.scratch(dir);
      return r;
    } finally {
      removeScratchRepo(dir);
    }
  }

  /** A git command in a scratch repository (no network, no token). */
  private scratchGit(dir: string, args: string[], input?: string): Promise<GitRun> {
    return runLockedDownGit(dir, args, { env: this.opts.env, input, extraEnv: { GIT_DIR: dir, GIT_OBJECT_DIRECTORY: path.join(this.commonDir, 'objects') } });
  }

  private async netOut(what: string, args: string[], opts: { token?: boolean; scratch?: (dir: string) => Promise<void>; prepare?: (dir: string) => Promise<void> } = {}): Promise<string> {
    const r = await this.net(args, opts);
    if (r.code === 0) return r.stdout.toString('utf8');
    const msg = gitMessage(r.stderr);
    if (NETWORK.test(r.stderr)) throw new FlowNetworkError(`cannot reach ${what} (offline?): ${msg}`);
    throw new FlowGitError(`${what}: ${msg}`);
  }

  async state(): Promise<RepoState | undefined> {
    const has = async (p: string) => fs.access(path.join(this.gitDir, p)).then(() => true, () => false);
    if (await has('MERGE_HEAD')) return 'merge';
    if ((await has('rebase-merge')) || (await has('rebase-apply'))) return 'rebase';
    if (await has('CHERRY_PICK_HEAD')) return 'cherry-pick';
    if (await has('REVERT_HEAD')) return 'revert';
    if (await has('BISECT_LOG')) return 'bisect';
    return undefined;
  }

  /** Paths with uncommitted changes (staged, unstaged or untracked). Read-only (no index refresh). */
  async dirtyPaths(): Promise<string[]> {
    const out = await this.out(['status', '--porcelain=v1', '-z', '--untracked-files=all', '--ignore-submodules=all']);
    return out
      .split('\0')
      .filter(Boolean)
      .map((l) => l.slice(3));
  }

  async currentBranch(): Promise<string | undefined> {
    const r = await this.run(['symbolic-ref', '--quiet', '--short', 'HEAD']);
    return r.code === 0 ? r.stdout.toString('utf8').trim() || undefined : undefined;
  }

  async head(): Promise<string> {
    return (await this.out(['rev-parse', 'HEAD'])).trim();
  }

  async remotes(): Promise<{ name: string; url: string }[]> {
    const r = await this.run(['config', '-z', '--get-regexp', '^remote\\..*\\.(url|pushurl)$']);
    const byName = new Map<string, { url?: string; push?: string }>();
    for (const rec of r.stdout.toString('utf8').split('\0').filter(Boolean)) {
      const nl = rec.indexOf('\n');
      const m = /^remote\.(.+)\.(url|pushurl)$/.exec(rec.slice(0, nl));
      if (!m) continue;
      const e = byName.get(m[1]) ?? {};
      if (m[2] === 'url') e.url ??= rec.slice(nl + 1);
      else e.push ??= rec.slice(nl + 1);
      byName.set(m[1], e);
    }
    return [...byName].filter(([, e]) => e.url || e.push).map(([name, e]) => ({ name, url: (e.url ?? e.push)! }));
  }

  /** The URL of a remote as configured (fetch URL, or for pushing its pushurl when set). */
  async remoteUrl(remote: string, opts: { push?: boolean } = {}): Promise<string> {
    const get = async (k: string) => {
      const r = await this.run(['config', '--get', k]);
      return r.code === 0 ? r.stdout.toString('utf8').trim() || undefined : undefined;
    };
    const url = (opts.push ? await get(`remote.${remote}.pushurl`) : undefined) ?? (await get(`remote.${remote}.url`));
    if (!url) throw new FlowGitError(`no remote named "${remote}"`);
    return url;
  }

  /**
   * The author identity and signing choice, as git itself would resolve them (repository, then the
   * user's global configuration). Reading configuration runs nothing; the signing *program* is never
   * taken from here (see userGitSettings).
   */
  async identity(): Promise<Identity & { sign?: boolean; signingKey?: string; format?: string }> {
    const get = async (k: string, type?: string) => {
      const r = await runLockedDownGit(this.root, ['config', '--includes', ...(type ? [`--type=${type}`] : []), '--get', k], { env: this.opts.env, userGlobal: true });
      return r.code === 0 ? r.stdout.toString('utf8').trim() || undefined : undefined;
    };
    const [name, email, sign, signingKey, format] = await Promise.all([get('user.name'), get('user.email'), get('commit.gpgSign', 'bool'), get('user.signingKey'), get('gpg.format')]);
    return { name, email, sign: sign === 'true', signingKey, format };
  }

  /** The default branch a remote advertises (its HEAD symref), via ls-remote. */
  async remoteDefaultBranch(remote: string): Promise<string | undefined> {
    const url = await this.remoteUrl(remote);
    const out = await this.netOut(`remote "${remote}"`, ['ls-remote', '--upload-pack=git-upload-pack', '--symref', url, 'HEAD']);
    const m = /^ref:\s+refs\/heads\/(\S+)\s+HEAD/m.exec(out);
    return m?.[1];
  }

  /**
   * The default branch as the clone last saw it, without the network: `refs/remotes/<remote>/HEAD`,
   * else the remote's only branch, else `main` or `master` when the clone has it.
   */
  async localDefaultBranch(remote: string): Promise<string | undefined> {
    const sym = await this.run(['symbolic-ref', '--quiet', `refs/remotes/${remote}/HEAD`]);
    const prefix = `refs/remotes/${remote}/`;
    if (sym.code === 0) {
      const ref = sym.stdout.toString('utf8').trim();
      if (ref.startsWith(prefix) && (await this.resolve(ref))) return ref.slice(prefix.length);
    }
    const refs = (await this.out(['for-each-ref', '--format=%(refname)', prefix])).split('\n').filter((r) => r && r !== `${prefix}HEAD`);
    if (refs.length === 1) return refs[0].slice(prefix.length);
    for (const b of ['main', 'master']) if (refs.includes(prefix + b)) return b;
    return undefined;
  }

  /** The commit a remote branch points at, or undefined when it does not exist. */
  async remoteBranchSha(remote: string, branch: string): Promise<string | undefined> {
    const url = await this.pushUrl(remote);
    const out = await this.netOut(`remote "${remote}"`, ['ls-remote', '--upload-pack=git-upload-pack', url, `refs/heads/${branch}`], { token: true });
    const m = /^([0-9a-f]{40,64})\s/m.exec(out);
    return m?.[1];
  }

  private async pushUrl(remote: string): Promise<string> {
    // A URL (fork found through the API) or the name of a configured remote.
    return /^[a-z][a-z0-9+.-]*:\/\//i.test(remote) ? remote : this.remoteUrl(remote, { push: true });
  }

  /**
   * Fetches one branch of a remote (or a URL) into the clone's object store and returns its commit;
   * `into` (e.g. refs/remotes/origin/main) is then moved there in the clone.
   */
  async fetchBranch(remote: string, branch: string, opts: { into?: string; token?: boolean } = {}): Promise<string> {
    const [sha] = await this.fetchRefs(remote, [`refs/heads/${branch}`], opts.token, `cannot fetch ${remote}/${branch}`);
    if (opts.into) await this.out(['update-ref', '-m', 'steward: fetch', opts.into, sha]);
    return sha;
  }

  /** `git fetch <remote> +src:dst` with dst a ref of the clone (kept for callers such as verify). */
  async fetch(remote: string, refspec: string): Promise<void> {
    const m = /^\+?([^:]+):(.+)$/.exec(refspec);
    if (!m) throw new FlowGitError(`unsupported refspec ${refspec}`);
    const [sha] = await this.fetchRefs(remote, [m[1]], false, `cannot fetch ${m[1]} from ${remote}`);
    await this.out(['update-ref', '-m', 'steward: fetch', m[2], sha]);
  }

  private async fetchRefs(remote: string, refs: string[], token: boolean | undefined, what: string): Promise<string[]> {
    const url = /^[a-z][a-z0-9+.-]*:\/\//i.test(remote) ? remote : await this.remoteUrl(remote);
    // What the clone already has, as negotiation tips and connectivity boundary for the fetch, so
    // only new objects travel and only they are checked.
    const tips: string[] = [];
    for (const r of ['HEAD', ...refs.map((r) => r.replace(/^refs\/heads\//, `refs/remotes/${remote}/`))]) {
      const sha = await this.resolve(r);
      if (sha) tips.push(sha);
    }
    const shas: string[] = [];
    await this.netOut(what, ['fetch', '--quiet', '--no-tags', '--no-write-fetch-head', '--no-recurse-submodules', '--upload-pack=git-upload-pack', url, ...refs.map((r, i) => `+${r}:refs/fetched/${i}`)], {
      token,
      prepare: async (dir) => {
        if (tips.length) await this.scratchGit(dir, ['update-ref', '--stdin'], tips.map((sha, i) => `update refs/have/${i} ${sha}\n`).join(''));
      },
      scratch: async (dir) => {
        for (let i = 0; i < refs.length; i++) {
          const r = await this.scratchGit(dir, ['rev-parse', '--verify', `refs/fetched/${i}^{commit}`]);
          const sha = r.stdout.toString('utf8').trim();
          if (r.code !== 0 || !sha) throw new FlowGitError(`${what}: ${refs[i]} is not a commit`);
          shas.push(sha);
        }
      },
    });
    return shas;
  }

  async resolve(ref: string): Promise<string | undefined> {
    const r = await this.run(['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]);
    return r.code === 0 ? r.stdout.toString('utf8').trim() || undefined : undefined;
  }

  async localBranchExists(name: string): Promise<boolean> {
    return !!(await this.resolve(`refs/heads/${name}`));
  }

  /** The worktree (this one or a linked one) that has `branch` checked out, if any. */
  async checkedOutIn(branch: string): Promise<string | undefined> {
    const out = await this.out(['worktree', 'list', '--porcelain', '-z']);
    let wt: string | undefined;
    for (const field of out.split('\0')) {
      if (field.startsWith('worktree ')) wt = field.slice('worktree '.length);
      else if (field === `branch refs/heads/${branch}`) return wt;
    }
    return undefined;
  }

  /**
   * Builds a chain of commits on `base` without touching HEAD, the index or the working tree: each
   * step's files are written as blobs (no filters: the bytes are exactly Steward's), staged in a
   * temporary index under the git directory, and committed with commit-tree. Returns the commits in
   * order. `modes` gives the base tree's mode of files that exist (kept, e.g. executable bits).
   */
  async buildCommits(base: string, steps: CommitStep[], identity: Identity & { sign?: boolean; signingKey?: string; format?: string }, modes: (file: string) => string | undefined): Promise<string[]> {
    const index = path.join(this.gitDir, `steward-index-${process.pid}`);
    this.temporaries.add(index);
    const env = {
      GIT_INDEX_FILE: index,
      GIT_AUTHOR_NAME: identity.name ?? '',
      GIT_AUTHOR_EMAIL: identity.email ?? '',
      GIT_COMMITTER_NAME: identity.name ?? '',
      GIT_COMMITTER_EMAIL: identity.email ?? '',
    };
    const sign = identity.sign ? [`-S${identity.signingKey ?? ''}`] : ['--no-gpg-sign'];
    const signConfig = [...(identity.format ? ['-c', `gpg.format=${identity.format}`] : [])];
    try {
      await this.out(['read-tree', base], { env });
      const commits: string[] = [];
      let parent = base;
      for (const step of steps) {
        for (const [file, content] of step.files) {
          const blob = (await this.out(['hash-object', '-w', '--no-filters', '--stdin'], { env, input: content })).trim();
          const mode = modes(file) === '100755' ? '100755' : '100644';
          await this.out(['update-index', '--add', '--cacheinfo', `${mode},${blob},${file}`], { env });
        }
        const tree = (await this.out(['write-tree'], { env })).trim();
        const r = await this.run([...signConfig, 'commit-tree', tree, '-p', parent, ...sign, '-F', '-'], { env, input: step.message });
        if (r.code !== 0) {
          const msg = gitMessage(r.stderr);
          throw new FlowGitError(identity.sign ? `signing the commit failed: ${msg} (nothing was changed; fix your signing setup or set commit.gpgSign=false)` : `git commit-tree failed: ${msg}`);
        }
        parent = r.stdout.toString('utf8').trim();
        commits.push(parent);
      }
      return commits;
    } finally {
      this.removeTemporaries();
    }
  }

  /** Synchronous removal of the temporary index (also from a signal handler). */
  removeTemporaries(): void {
    for (const f of this.temporaries) {
      removeOwnFileSync(f);
      removeOwnFileSync(`${f}.lock`);
    }
    this.temporaries.clear();
  }

  /**
   * Points refs/heads/<branch> at `sha` in one atomic step, only if it still is where this run found
   * it (`old`, or absent): a concurrent change to the branch makes this fail instead of being lost.
   */
  async updateBranch(branch: string, sha: string, old: string | undefined): Promise<void> {
    const zero = '0'.repeat(sha.length);
    const r = await this.run(['update-ref', '-m', 'steward: prepare contribution', `refs/heads/${branch}`, sha, old ?? zero]);
    if (r.code !== 0) throw new FlowGitError(`cannot update branch ${branch}: ${gitMessage(r.stderr)}`);
  }

  async deleteBranch(name: string): Promise<void> {
    await this.run(['update-ref', '-d', `refs/heads/${name}`]);
  }

  async log(range: string): Promise<CommitInfo[]> {
    const sep = '\u001e';
    const out = await this.out(['log', '--no-show-signature', '--format=%H%x1f%s%x1f%b%x1f%an%x1f%ae' + sep, range]);
    return out
      .split(sep)
      .map((s) => s.trim())
      .filter(Boolean)
      .map((rec) => {
        const [sha, subject, body, authorName, authorEmail] = rec.split('\u001f');
        return { sha, subject, body, authorName, authorEmail };
      });
  }

  async mergeBase(a: string, b: string): Promise<string | undefined> {
    const r = await this.run(['merge-base', a, b]);
    return r.code === 0 ? r.stdout.toString('utf8').trim() || undefined : undefined;
  }

  async isAncestor(a: string, b: string): Promise<boolean> {
    return (await this.run(['merge-base', '--is-ancestor', a, b])).code === 0;
  }

  async treeOf(rev: string): Promise<string> {
    return (await this.out(['rev-parse', `${rev}^{tree}`])).trim();
  }

  async numstat(range: string): Promise<{ added: number; removed: number; file: string }[]> {
    const out = await this.out(['diff', '--no-ext-diff', '--no-textconv', '--numstat', range]);
    return out
      .split('\n')
      .filter(Boolean)
      .map((l) => {
        const [a, r, file] = l.split('\t');
        return { added: Number(a) || 0, removed: Number(r) || 0, file };
      });
  }

  /** Pushes a commit to refs/heads/<branch> of a remote (name or URL), replacing only `expect`. */
  async push(remote: string, sha: string, branch: string, opts: { expect?: string } = {}): Promise<void> {
    const url = await this.pushUrl(remote);
    const args = ['push', '--quiet', '--no-verify', '--no-recurse-submodules', '--receive-pack=git-receive-pack', url, `${sha}:refs/heads/${branch}`];
    // Replace our own earlier push only: --force-with-lease fails if someone else moved the branch.
    if (opts.expect) args.splice(2, 0, `--force-with-lease=refs/heads/${branch}:${opts.expect}`);
    await this.netOut(`push to ${remote}`, args, { token: true, scratch: async () => undefined });
  }

  /**
   * Writes a patch series (cover letter first) for `range` into `dir` and fills the cover letter.
   * `write` writes the filled cover letter (the caller's safe output writer).
   */
  async formatPatch(range: string, dir: string, cover: { subject: string; body: string }, write?: (file: string, text: string) => Promise<void>): Promise<string[]> {
    await makeOutputDir(dir);
    const out = await this.out(['format-patch', '--no-ext-diff', '--no-textconv', '--no-signature', '--cover-letter', '-o', dir, range]);
    const files = out.split('\n').filter(Boolean).map((f) => path.resolve(this.root, f));
    const coverFile = files.find((f) => /0000-cover-letter\.patch$/.test(f));
    if (coverFile) {
      const text = await fs.readFile(coverFile, 'utf8');
      const filled = text.replace('*** SUBJECT HERE ***', cover.subject).replace('*** BLURB HERE ***', cover.body);
      await (write ?? writeOutputFile)(coverFile, filled);
    }
    return files;
  }
}
