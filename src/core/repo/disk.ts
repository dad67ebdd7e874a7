import { promises as fs, readdirSync, type Dirent } from 'node:fs';
import * as path from 'node:path';
import type { ListProblems, RepoSnapshot } from './snapshot';
import { classifyPath } from './classify';

// Folders that are never part of what a project commits, or that are huge and never hold the files
// the checks read. Skipping them keeps a scan of a checked-out working tree fast.
const SKIP_DIRS = new Set(['.git', 'node_modules', '.hg', '.svn', '.venv', '.tox', '__pycache__', '.mypy_cache']);
/** Listed paths per walk (memory and the work of checks that look at every file stay bounded). */
export const MAX_FILES = 200_000;
/** Directory entries looked at per walk, listed or not: bounds the walk itself on a huge tree. */
export const MAX_ENTRIES = 2_000_000;
/**
 * Files past MAX_FILES are still listed when the checks read them by name (workflows, SECURITY.md, ...)
 * or when they are dependency manifests, up to this many more: a huge vendored tree must not hide them.
 */
const MAX_PRIORITY_EXTRA = 50_000;
const MANIFESTS = new Set([
  'package.json', 'package-lock.json', 'npm-shrinkwrap.json', 'yarn.lock', 'pnpm-lock.yaml', 'bun.lockb',
  'requirements.txt', 'pyproject.toml', 'setup.py', 'setup.cfg', 'pipfile', 'pipfile.lock', 'poetry.lock', 'uv.lock',
  'go.mod', 'go.sum', 'cargo.toml', 'cargo.lock', 'gemfile', 'gemfile.lock', 'composer.json', 'composer.lock',
  'pom.xml', 'build.gradle', 'build.gradle.kts', 'settings.gradle', 'settings.gradle.kts', 'packages.config',
  'directory.packages.props', 'mix.exs', 'pubspec.yaml', 'package.swift', 'podfile', 'cartfile', '.gitmodules',
  'docker-compose.yml', 'docker-compose.yaml', 'compose.yml', 'compose.yaml', 'flake.nix', 'vcpkg.json', 'conanfile.txt',
  '.pre-commit-config.yaml', 'helmfile.yaml', 'chart.yaml', 'devcontainer.json', '.terraform.lock.hcl',
]);

/** Files the checks look for by name: kept by the walk even past its cap. */
function priorityFile(rel: string, name: string): boolean {
  const lower = name.toLowerCase();
  return MANIFESTS.has(lower) || /\.(?:csproj|fsproj|vbproj|tf)$|^requirements.*\.txt$/.test(lower) || classifyPath(rel) !== 'other';
}
/** Bigger files are never read into memory; YAML is refused far below this (MAX_YAML_BYTES). */
const MAX_READ_BYTES = 64 * 1024 * 1024;

function isInside(target: string, root: string): boolean {
  return target === root || target.startsWith(root.endsWith(path.sep) ? root : root + path.sep);
}

/**
 * A repository read from disk. Symbolic links are never followed out of the root and directory links
 * are never followed at all (no loops). When the folder is a corpus snapshot (MANIFEST.json + TREE.txt,
 * as in shared/corpus), the file list comes from TREE.txt: the checks then know every path in the
 * original repository even though only some files' contents are present.
 */
export class DiskSnapshot implements RepoSnapshot {
  readonly name: string;
  private listing?: Promise<string[]>;
  private readonly errors = new Map<string, string>();
  private realRoot?: Promise<string>;
  private readonly dirChecks = new Map<string, Promise<boolean>>();
  /** Corpus snapshots only: the files whose contents exist on disk. */
  private present?: Set<string>;
  private problems?: ListProblems;
  /** For tests: stands in for readdirSync (tests run as root, who can read any folder). */
  readDir: (abs: string) => Dirent[] = (abs) => readdirSync(abs, { withFileTypes: true });
  /** For tests: a smaller cap. */
  maxFiles = MAX_FILES;

  constructor(readonly root: string, name?: string) {
    this.name = name ?? path.basename(path.resolve(root));
  }

  listFiles(): Promise<string[]> {
    this.listing ??= this.list();
    return this.listing;
  }

  readError(p: string): string | undefined {
    return this.errors.get(p);
  }

  listProblems(): ListProblems | undefined {
    return this.problems;
  }

  async readFile(rel: string): Promise<Uint8Array | undefined> {
    return this.readChecked(rel, (abs) => fs.readFile(abs));
  }

  /** The first `bytes` bytes only (binary sniffing): one read of at most that much, however big the file. */
  async readHead(rel: string, bytes: number): Promise<Uint8Array | undefined> {
    return this.readChecked(rel, async (abs, size) => {
      const fh = await fs.open(abs, 'r');
      try {
        const buf = Buffer.alloc(Math.min(bytes, size));
        let got = 0;
        // A file that grew since the lstat is read up to what was asked; one that shrank, to its end.
        while (got < buf.length) {
          const { bytesRead } = await fh.read(buf, got, buf.length - got, got);
          if (bytesRead === 0) break;
          got += bytesRead;
        }
        return got === buf.length ? buf : buf.subarray(0, got);
      } finally {
        await fh.close();
      }
    });
  }

  async stamp(rel: string): Promise<string | undefined> {
    if (!rel || rel.startsWith('/') || rel.split('/').includes('..')) return undefined;
    if (this.present && !this.present.has(rel)) return undefined;
    try {
      // stat follows a link: the target's changes count. ctime too: a file rewritten within the
      // clock's resolution to the same size still gets a new ctime on most file systems.
      const st = await fs.stat(path.join(this.root, rel));
      return st.isFile() ? `${st.size}:${st.mtimeMs}:${st.ctimeMs}:${st.ino}` : undefined;
    } catch {
      return undefined;
    }
  }

  /**
   * The checks every read makes before touching a file's contents, then `read(abs, size)`: undefined
   * (with the reason in readError) for anything Steward must not or cannot read.
   */
  private async readChecked(rel: string, read: (abs: string, size: number) => Promise<Uint8Array>): Promise<Uint8Array | undefined> {
    if (!rel || rel.startsWith('/') || rel.split('/').includes('..')) return undefined;
    if (this.present && !this.present.has(rel)) return undefined;
    const abs = path.join(this.root, rel);
    try {
      // A folder on the way may itself be a link out of the repository (`.github -> /etc`): looking at
      // the file alone would read straight through it. Folders are few, so their real paths are cached.
      const dir = path.posix.dirname(rel);
      if (dir !== '.' && !(await this.dirInside(dir))) {
        this.errors.set(rel, 'is inside a folder that is a symbolic link pointing outside the repository (not followed)');
        return undefined;
      }
      const st = await fs.lstat(abs);
      let size = st.size;
      if (st.isSymbolicLink()) {
        const [target, root] = await Promise.all([fs.realpath(abs), this.rootReal()]);
        if (!isInside(target, root)) {
          this.errors.set(rel, 'is a symbolic link that points outside the repository (not followed)');
          return undefined;
        }
        const tst = await fs.stat(target);
        if (!tst.isFile()) return undefined;
        size = tst.size;
      } else if (!st.isFile()) {
        // FIFOs, sockets and devices: reading one could block forever or never end.
        return undefined;
      }
      if (size > MAX_READ_BYTES) {
        this.errors.set(rel, `is too large to read (${(size / 1048576).toFixed(0)} MB)`);
        return undefined;
      }
      return await read(abs, size);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
      this.errors.set(
        rel,
        code === 'EACCES' || code === 'EPERM'
          ? 'cannot be read (permission denied)'
          : code === 'ELOOP'
            ? 'is a symbolic link that loops (not followed)'
            : `cannot be read (${code ?? String(e)})`,
      );
      return undefined;
    }
  }

  private rootReal(): Promise<string> {
    this.realRoot ??= fs.realpath(this.root);
    return this.realRoot;
  }

  private dirInside(dir: string): Promise<boolean> {
    let p = this.dirChecks.get(dir);
    if (!p) {
      p = Promise.all([fs.realpath(path.join(this.root, dir)), this.rootReal()]).then(
        ([real, root]) => isInside(real, root),
        // A folder that does not exist holds no file to read; the read itself reports that.
        (e: NodeJS.ErrnoException) => e.code !== 'ELOOP',
      );
      this.dirChecks.set(dir, p);
    }
    return p;
  }

  private async list(): Promise<string[]> {
    const tree = await this.corpusTree();
    const onDisk = await this.walk();
    if (!tree) return onDisk;
    // A corpus snapshot lists thousands of paths whose contents were never copied: answer those
    // without a failing system call each (checks that sniff every listed file would pay for them).
    this.present = new Set(onDisk);
    return [...new Set([...tree, ...onDisk.filter((p) => p !== 'TREE.txt' && p !== 'TAGS.txt' && p !== 'MANIFEST.json')])].sort();
  }

  private async corpusTree(): Promise<string[] | undefined> {
    try {
      await fs.access(path.join(this.root, 'MANIFEST.json'));
      const text = await fs.readFile(path.join(this.root, 'TREE.txt'), 'utf8');
      return text.split('\n').map((l) => l.trim()).filter(Boolean);
    } catch {
      return undefined;
    }
  }

  /**
   * Breadth first, `.github/` before everything else, then the root's files, then folder by folder:
   * when the cap stops the walk, what it reached is what the checks need most, and files the checks
   * read by name (and dependency manifests) are still listed past the cap. Synchronous readdir: the
   * walk is the CLI's (the editor lists through workspace.fs), and one system call per folder without
   * a promise per entry is several times faster on a large tree.
   */
  private async walk(): Promise<string[]> {
    const out: string[] = [];
    const unreadableDirs: { path: string; problem: string }[] = [];
    const queue: string[] = [''];
    let entries = 0;
    let extra = 0;
    let capped = false;
    for (let qi = 0; qi < queue.length; qi++) {
      const dir = queue[qi];
      let list: Dirent[];
      try {
        list = this.readDir(dir ? path.join(this.root, dir) : this.root);
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        // A folder that vanished while walking, or a name that is not a folder after all, holds nothing.
        if (code !== 'ENOENT' && code !== 'ENOTDIR') {
          const problem = dirProblem(code, e);
          unreadableDirs.push({ path: dir, problem });
          this.errors.set(dir, problem);
        }
        continue;
      }
      const subdirs: string[] = [];
      for (const e of list) {
        if (++entries > MAX_ENTRIES) {
          capped = true;
          break;
        }
        const rel = dir ? `${dir}/${e.name}` : e.name;
        if (e.isDirectory()) {
          if (!SKIP_DIRS.has(e.name)) subdirs.push(rel);
        } else if (e.isFile() || e.isSymbolicLink()) {
          if (out.length < this.maxFiles) out.push(rel);
          else {
            capped = true;
            if (extra < MAX_PRIORITY_EXTRA && priorityFile(rel, e.name)) {
              extra++;
              out.push(rel);
            }
          }
        }
      }
      if (entries > MAX_ENTRIES) break;
      if (dir === '') {
        // `.github` first: queue[1], ahead of every other folder.
        subdirs.sort((a, b) => (a === '.github' ? -1 : b === '.github' ? 1 : 0));
        for (const d of subdirs) queue.push(d);
      } else if (dir === '.github' || dir.startsWith('.github/')) {
        // ...and its whole subtree right after it, before the root's other folders.
        queue.splice(qi + 1, 0, ...subdirs);
      } else {
        for (const d of subdirs) queue.push(d);
      }
    }
    this.problems = { unreadableDirs, ...(capped ? { capped: { limit: this.maxFiles, listed: out.length } } : {}) };
    return out.sort();
  }
}

function dirProblem(code: string | undefined, e: unknown): string {
  if (code === 'EACCES' || code === 'EPERM') return 'cannot be read (permission denied)';
  if (code === 'ELOOP') return 'is a symbolic link that loops (not followed)';
  return `cannot be read (${code ?? String(e)})`;
}

/** Where a path given on the command line points. */
export async function pathKind(p: string): Promise<'dir' | 'file' | 'missing'> {
  try {
    const st = await fs.stat(p);
    return st.isDirectory() ? 'dir' : 'file';
  } catch {
    return 'missing';
  }
}
