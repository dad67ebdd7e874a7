import type { SimpleGit } from 'simple-git';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { lockedDownGit } from '../github/git';

// The git operations the contribution flow needs, over simple-git. Every command runs with the
// repository's hooks and fsmonitor disabled (an untrusted repository must not run code through us),
// without interactive credential prompts, and never with a token on the command line.

export interface CommitInfo {
  sha: string;
  subject: string;
  body: string;
  authorName: string;
  authorEmail: string;
}

export type RepoState = 'merge' | 'rebase' | 'cherry-pick' | 'revert' | 'bisect';

export class FlowGitError extends Error {}

export interface FlowGitOptions {
  /** Authorization header for pushes and fetches, scoped to the GitHub base URL (never on argv). */
  tokenHeader?: { url: string; value: string };
}

export class FlowGit {
  readonly git: SimpleGit;
  private constructor(readonly root: string, git: SimpleGit) {
    this.git = git;
  }

  static async open(dir: string, opts: FlowGitOptions = {}): Promise<FlowGit> {
    const probe = FlowGit.make(dir, opts);
    let top: string;
    try {
      top = (await probe.raw(['rev-parse', '--show-toplevel'])).trim();
    } catch {
      throw new FlowGitError(`${dir} is not inside a git repository`);
    }
    return new FlowGit(top, FlowGit.make(top, opts));
  }

  private static make(dir: string, opts: FlowGitOptions): SimpleGit {
    // The same locked-down git as the rest of the GitHub layer: no hooks, no fsmonitor, no credential
    // helpers or prompts, only a safe subset of the environment. Pushes may take a while.
    return lockedDownGit(dir, { header: opts.tokenHeader, timeoutMs: 120_000, extraConfig: ['advice.detachedHead=false'] });
  }

  async state(): Promise<RepoState | undefined> {
    const gitDir = path.resolve(this.root, (await this.git.raw(['rev-parse', '--git-dir'])).trim());
    const has = async (p: string) => fs.access(path.join(gitDir, p)).then(() => true, () => false);
    if (await has('MERGE_HEAD')) return 'merge';
    if ((await has('rebase-merge')) || (await has('rebase-apply'))) return 'rebase';
    if (await has('CHERRY_PICK_HEAD')) return 'cherry-pick';
    if (await has('REVERT_HEAD')) return 'revert';
    if (await has('BISECT_LOG')) return 'bisect';
    return undefined;
  }

  /** Paths with uncommitted changes (staged, unstaged or untracked). */
  async dirtyPaths(): Promise<string[]> {
    const out = await this.git.raw(['status', '--porcelain=v1', '-z', '--untracked-files=all']);
    return out
      .split('\0')
      .filter(Boolean)
      .map((l) => l.slice(3));
  }

  async currentBranch(): Promise<string | undefined> {
    const out = (await this.git.raw(['symbolic-ref', '--quiet', '--short', 'HEAD']).catch(() => '')).trim();
    return out || undefined;
  }

  async head(): Promise<string> {
    return (await this.git.raw(['rev-parse', 'HEAD'])).trim();
  }

  async remotes(): Promise<{ name: string; url: string }[]> {
    const rs = await this.git.getRemotes(true);
    return rs.map((r) => ({ name: r.name, url: r.refs.fetch || r.refs.push }));
  }

  async identity(): Promise<{ name?: string; email?: string }> {
    const get = async (k: string) => (await this.git.raw(['config', '--get', k]).catch(() => '')).trim() || undefined;
    return { name: await get('user.name'), email: await get('user.email') };
  }

  /** The default branch a remote advertises (its HEAD symref), via ls-remote. */
  async remoteDefaultBranch(remote: string): Promise<string | undefined> {
    const out = await this.git.raw(['ls-remote', '--symref', remote, 'HEAD']).catch(() => '');
    const m = /^ref:\s+refs\/heads\/(\S+)\s+HEAD/m.exec(out);
    return m?.[1];
  }

  /** The commit a remote branch points at, or undefined when it does not exist. */
  async remoteBranchSha(remote: string, branch: string): Promise<string | undefined> {
    const out = await this.git.raw(['ls-remote', '--heads', remote, `refs/heads/${branch}`]);
    const m = /^([0-9a-f]{40,64})\s/m.exec(out);
    return m?.[1];
  }

  async fetch(remote: string, refspec: string): Promise<void> {
    await this.git.raw(['fetch', '--no-tags', '--quiet', remote, refspec]);
  }

  async resolve(ref: string): Promise<string | undefined> {
    return (await this.git.raw(['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]).catch(() => '')).trim() || undefined;
  }

  async localBranchExists(name: string): Promise<boolean> {
    return !!(await this.resolve(`refs/heads/${name}`));
  }

  /** Creates (or resets) a local branch at startPoint and checks it out. */
  async checkoutFresh(branch: string, startPoint: string): Promise<void> {
    await this.git.raw(['checkout', '--quiet', '-B', branch, startPoint]);
  }

  async checkout(ref: string): Promise<void> {
    await this.git.raw(['checkout', '--quiet', ref]);
  }

  async deleteBranch(name: string): Promise<void> {
    await this.git.raw(['branch', '-D', name]).catch(() => undefined);
  }

  async commit(paths: string[], message: string): Promise<string> {
    await this.git.raw(['add', '--', ...paths]);
    // simple-git's raw() has no stdin, so the message goes through a file in .git.
    const file = path.join(this.root, '.git', 'STEWARD_COMMIT_MSG');
    await fs.writeFile(file, message);
    try {
      await this.git.raw(['commit', '--quiet', '--no-verify', '-F', file, '--', ...paths]);
    } finally {
      await fs.rm(file, { force: true });
    }
    return this.head();
  }

  async log(range: string): Promise<CommitInfo[]> {
    const sep = '\u001e';
    const out = await this.git.raw(['log', '--format=%H%x1f%s%x1f%b%x1f%an%x1f%ae' + sep, range]);
    return out
      .split(sep)
      .map((s) => s.trim())
      .filter(Boolean)
      .map((rec) => {
        const [sha, subject, body, authorName, authorEmail] = rec.split('\u001f');
        return { sha, subject, body, authorName, authorEmail };
      });
  }

  async numstat(range: string): Promise<{ added: number; removed: number; file: string }[]> {
    const out = await this.git.raw(['diff', '--numstat', range]);
    return out
      .split('\n')
      .filter(Boolean)
      .map((l) => {
        const [a, r, file] = l.split('\t');
        return { added: Number(a) || 0, removed: Number(r) || 0, file };
      });
  }

  async push(remote: string, branch: string, opts: { expect?: string } = {}): Promise<void> {
    const args = ['push', '--quiet', '--no-verify', remote, `refs/heads/${branch}:refs/heads/${branch}`];
    // Replace our own earlier push only: --force-with-lease fails if someone else moved the branch.
    if (opts.expect) args.splice(2, 0, `--force-with-lease=refs/heads/${branch}:${opts.expect}`);
    await this.git.raw(args);
  }

  async formatPatch(range: string, dir: string, cover: { subject: string; body: string }): Promise<string[]> {
    await fs.mkdir(dir, { recursive: true });
    const out = await this.git.raw(['format-patch', '--cover-letter', '-o', dir, range]);
    const files = out.split('\n').filter(Boolean);
    const coverFile = files.find((f) => /0000-cover-letter\.patch$/.test(f));
    if (coverFile) {
      const text = await fs.readFile(coverFile, 'utf8');
      await fs.writeFile(coverFile, text.replace('*** SUBJECT HERE ***', cover.subject).replace('*** BLURB HERE ***', cover.body));
    }
    return files;
  }

  async stash(message: string): Promise<boolean> {
    const before = await this.git.raw(['stash', 'list']);
    await this.git.raw(['stash', 'push', '--include-untracked', '-m', message]);
    const after = await this.git.raw(['stash', 'list']);
    return after !== before;
  }

  async unstash(): Promise<void> {
    await this.git.raw(['stash', 'pop', '--index']);
  }
}
