import * as fs from 'node:fs';
import type { Dirent } from 'node:fs';
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
 * Opens a file for reading without following a link in its last component (O_NOFOLLOW: a file swapped
 * for a link after it was looked at is refused, ELOOP) and without waiting on a FIFO or a device
 * (O_NONBLOCK: such a thing put in a file's place is opened at once, then refused by its fstat).
 */
const OPEN_FLAGS = fs.constants.O_RDONLY | (fs.constants.O_NOFOLLOW ?? 0) | (fs.constants.O_NONBLOCK ?? 0);
/** Where Linux tells what an open file descriptor really is (the check after opening). */
const FD_LINKS = process.platform === 'linux' ? '/proc/self/fd/' : undefined;
/** First read of a file whose size is unknown or that grew since its fstat. */
const GROW_CHUNK = 64 * 1024;

/**
 * Reads from `fd` until the end of the file or `limit` bytes, whichever comes first, starting with a
 * buffer of `sizeHint` bytes (the fstat size): a file that grew since is read to its end, one that
 * shrank to where it ends now. Never a partial read of a file that fits in `limit`.
 */
function readUpTo(fd: number, limit: number, sizeHint: number): Buffer {
  // One byte more than the fstat size: the read that finds the end needs no second buffer.
  let buf = Buffer.allocUnsafeSlow(Math.min(limit, sizeHint + 1));
  let got = 0;
  for (;;) {
    if (got === buf.length) {
      if (got >= limit) break;
      // Full: the file may have grown. One more read tells; only then is the buffer enlarged.
      const next = Buffer.allocUnsafeSlow(Math.min(limit, Math.max(got * 2, got + GROW_CHUNK)));
      buf.copy(next, 0, 0, got);
      buf = next;
    }
    const n = fs.readSync(fd, buf, got, buf.length - got, got);
    if (n === 0) break;
    got += n;
  }
  return got === buf.length ? buf : buf.subarray(0, got);
}

/** A read refused for a reason the user is told (readError), not an error of the system call. */
class Refused extends Error {}

/**
 * A repository read from disk. Symbolic links are never followed out of the root and directory links
 * are never followed at all (no loops). When the folder is a corpus snapshot (MANIFEST.json + TREE.txt,
 * as in shared/corpus), the file list comes from TREE.txt: the checks then know every path in the
 * original repository even though only some files' contents are present.
 *
 * Reads are synchronous system calls (issue 19): a file is a few small calls, and the promise API ran
 * each of them through libuv's thread pool (more CPU in thread hand-offs than in the reads, a third of a
 * small scan idle), and loading it cost every CLI run its start-up. A FIFO or device cannot block
 * them: nothing but a regular file is read, checked on the open file itself (fstat), and opens never
 * wait (O_NONBLOCK).
 */
export class DiskSnapshot implements RepoSnapshot {
  readonly name: string;
  private listing?: Promise<string[]>;
  private readonly errors = new Map<string, string>();
  private realRoot?: string;
  private readonly dirChecks = new Map<string, boolean>();
  /** Corpus snapshots only: the files whose contents exist on disk. */
  private present?: Set<string>;
  private problems?: ListProblems;
  /** For tests: stands in for readdirSync (tests run as root, who can read any folder). */
  readDir: (abs: string) => Dirent[] = (abs) => fs.readdirSync(abs, { withFileTypes: true });
  /** For tests: a smaller cap. */
  maxFiles = MAX_FILES;
  /** For tests: where the check after opening looks up an open file's real path (undefined: no such check). */
  fdLinks: string | undefined = FD_LINKS;

  constructor(readonly root: string, name?: string) {
    this.name = name ?? path.basename(path.resolve(root));
  }

  listFiles(): Promise<string[]> {
    this.listing ??= new Promise((resolve) => resolve(this.list()));
    return this.listing;
  }

  readError(p: string): string | undefined {
    return this.errors.get(p);
  }

  listProblems(): ListProblems | undefined {
    return this.problems;
  }

  async readFile(rel: string): Promise<Uint8Array | undefined> {
    return this.readChecked(rel, MAX_READ_BYTES + 1);
  }

  /** The first `bytes` bytes only (binary sniffing): at most that much is read, however big the file. */
  async readHead(rel: string, bytes: number): Promise<Uint8Array | undefined> {
    return this.readChecked(rel, bytes);
  }

  async stamp(rel: string): Promise<string | undefined> {
    if (!rel || rel.startsWith('/') || rel.split('/').includes('..')) return undefined;
    if (this.present && !this.present.has(rel)) return undefined;
    // stat follows a link: the target's changes count. ctime too: a file rewritten within the
    // clock's resolution to the same size still gets a new ctime on most file systems.
    const st = fs.statSync(path.join(this.root, rel), { throwIfNoEntry: false });
    return st?.isFile() ? `${st.size}:${st.mtimeMs}:${st.ctimeMs}:${st.ino}` : undefined;
  }

  /**
   * Every read: the checks before touching a file's contents, then at most `limit` bytes of it (a
   * whole file is read with MAX_READ_BYTES + 1, so one past the cap is "too large"). undefined (with
   * the reason in readError) for anything Steward must not or cannot read.
   */
  private readChecked(rel: string, limit: number): Uint8Array | undefined {
    if (!rel || rel.startsWith('/') || rel.split('/').includes('..')) return undefined;
    if (this.present && !this.present.has(rel)) return undefined;
    const abs = path.join(this.root, rel);
    let fd: number | undefined;
    try {
      // A folder on the way may itself be a link out of the repository (`.github -> /etc`): looking at
      // the file alone would read straight through it. Folders are few, so their real paths are cached;
      // the check after opening catches a folder swapped for a link since.
      const dir = path.posix.dirname(rel);
      if (dir !== '.' && !this.dirInside(dir)) throw new Refused('is inside a folder that is a symbolic link pointing outside the repository (not followed)');
      // A file that is not there is the common miss (the checks look for package.json, SECURITY.md, ...
      // wherever they may be): answered without an exception, which cost several times the system call.
      const st = fs.lstatSync(abs, { throwIfNoEntry: false });
      if (st === undefined) return undefined;
      let target = abs;
      if (st.isSymbolicLink()) {
        target = fs.realpathSync.native(abs);
        if (!isInside(target, this.rootReal())) throw new Refused('is a symbolic link that points outside the repository (not followed)');
        // A link to a FIFO or device inside the repository: not even opened.
        if (!fs.statSync(target).isFile()) return undefined;
      } else if (!st.isFile()) {
        // FIFOs, sockets and devices: reading one could block forever or never end.
        return undefined;
      }
      try {
        fd = fs.openSync(target, OPEN_FLAGS);
      } catch (e) {
        // The file (or the link's target) was replaced by a link since it was looked at.
        if ((e as NodeJS.ErrnoException).code === 'ELOOP' && !st.isSymbolicLink()) throw new Refused('was replaced by a symbolic link while being read (not followed)');
        throw e;
      }
      const fst = fs.fstatSync(fd);
      // Whatever is open now must be a regular file (not a FIFO or device swapped in since the lstat)...
      if (!fst.isFile()) return undefined;
      if (fst.size > MAX_READ_BYTES) throw new Refused(`is too large to read (${(fst.size / 1048576).toFixed(0)} MB)`);
      // ...and inside the repository, whatever happened to the folders on the way since they were checked.
      if (!this.openedInside(fd)) throw new Refused('is inside a folder that is a symbolic link pointing outside the repository (not followed)');
      const bytes = readUpTo(fd, limit, fst.size);
      if (bytes.length > MAX_READ_BYTES) throw new Refused(`is too large to read (${(bytes.length / 1048576).toFixed(0)} MB)`);
      return bytes;
    } catch (e) {
      if (e instanceof Refused) {
        this.errors.set(rel, e.message);
        return undefined;
      }
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
    } finally {
      if (fd !== undefined) fs.closeSync(fd);
    }
  }

  /**
   * Where the system can say what an open descriptor is (Linux: /proc/self/fd), whether the opened file
   * is inside the repository's real root. Elsewhere (or without /proc) the checks before opening stand.
   */
  private openedInside(fd: number): boolean {
    if (this.fdLinks === undefined) return true;
    let real: string;
    try {
      real = fs.readlinkSync(this.fdLinks + fd);
    } catch {
      return true;
    }
    return isInside(real, this.rootReal());
  }

  private rootReal(): string {
    this.realRoot ??= fs.realpathSync.native(this.root);
    return this.realRoot;
  }

  private dirInside(dir: string): boolean {
    let inside = this.dirChecks.get(dir);
    if (inside === undefined) {
      try {
        inside = isInside(fs.realpathSync.native(path.join(this.root, dir)), this.rootReal());
      } catch (e) {
        // A folder that does not exist holds no file to read; the read itself reports that.
        inside = (e as NodeJS.ErrnoException).code !== 'ELOOP';
      }
      this.dirChecks.set(dir, inside);
    }
    return inside;
  }

  private list(): string[] {
    const tree = this.corpusTree();
    const onDisk = this.walk();
    if (!tree) return onDisk;
    // A corpus snapshot lists thousands of paths whose contents were never copied: answer those
    // without a failing system call each (checks that sniff every listed file would pay for them).
    this.present = new Set(onDisk);
    return sortedUnion(tree, onDisk.filter((p) => p !== 'TREE.txt' && p !== 'TAGS.txt' && p !== 'MANIFEST.json'));
  }

  private corpusTree(): string[] | undefined {
    try {
      // existsSync: a folder that is no corpus snapshot (every real checkout) costs no exception.
      if (!fs.existsSync(path.join(this.root, 'MANIFEST.json'))) return undefined;
      return treeLines(fs.readFileSync(path.join(this.root, 'TREE.txt'), 'utf8'));
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
  private walk(): string[] {
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

/**
 * The non-blank lines of a TREE.txt, each trimmed: `text.split('\n').map((l) => l.trim()).filter(Boolean)`
 * without the two intermediate arrays, and trimming only a line that starts or ends with white space
 * (a path per line, thousands of them, read by every scan of a corpus snapshot).
 */
export function treeLines(text: string): string[] {
  const out: string[] = [];
  let start = 0;
  while (start <= text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    if (end > start) {
      const first = text.charCodeAt(start);
      const last = text.charCodeAt(end - 1);
      // Characters up to U+0020 and beyond ASCII may be white space to trim(): let it decide.
      const line = first > 32 && first < 128 && last > 32 && last < 128 ? text.slice(start, end) : text.slice(start, end).trim();
      if (line) out.push(line);
    }
    start = end + 1;
  }
  return out;
}

/** Whether `xs` is in strictly ascending order (what Array.prototype.sort() gives strings: UTF-16 code units), so without duplicates. */
function strictlyAscending(xs: readonly string[]): boolean {
  for (let i = 1; i < xs.length; i++) if (xs[i - 1] >= xs[i]) return false;
  return true;
}

/**
 * The sorted, duplicate-free union of two path lists: `[...new Set([...a, ...b])].sort()`. A corpus
 * TREE.txt is sorted already and so is the walk's list, so this is one merge of the two (linear), not a
 * set of thousands of paths sorted again: on a 4,000-path TREE.txt the sort was most of the listing,
 * and the listing a tenth of a warm scan (issue 19). The walk's list is the short one (the few files
 * whose contents a snapshot holds): each of its paths is placed by a binary search in the other, and
 * the runs of the long list between them are copied without comparing them again.
 */
export function sortedUnion(a: readonly string[], b: readonly string[]): string[] {
  if (!strictlyAscending(a) || !strictlyAscending(b)) return [...new Set([...a, ...b])].sort();
  if (b.length > a.length) [a, b] = [b, a];
  const out: string[] = [];
  let i = 0;
  for (const x of b) {
    // The first index from i whose path is not below x.
    let lo = i;
    let hi = a.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (a[mid] < x) lo = mid + 1;
      else hi = mid;
    }
    while (i < lo) out.push(a[i++]);
    if (i < a.length && a[i] === x) continue;
    out.push(x);
  }
  while (i < a.length) out.push(a[i++]);
  return out;
}

function dirProblem(code: string | undefined, e: unknown): string {
  if (code === 'EACCES' || code === 'EPERM') return 'cannot be read (permission denied)';
  if (code === 'ELOOP') return 'is a symbolic link that loops (not followed)';
  return `cannot be read (${code ?? String(e)})`;
}

/** Where a path given on the command line points. */
export async function pathKind(p: string): Promise<'dir' | 'file' | 'missing'> {
  try {
    const st = fs.statSync(p);
    return st.isDirectory() ? 'dir' : 'file';
  } catch {
    return 'missing';
  }
}
