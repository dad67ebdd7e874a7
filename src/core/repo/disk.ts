import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { RepoSnapshot } from './snapshot';

// Folders that are never part of what a project commits, or that are huge and never hold the files
// the checks read. Skipping them keeps a scan of a checked-out working tree fast.
const SKIP_DIRS = new Set(['.git', 'node_modules', '.hg', '.svn', '.venv', '.tox', '__pycache__', '.mypy_cache']);
const MAX_FILES = 200_000;
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

  async readFile(rel: string): Promise<Uint8Array | undefined> {
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
      return await fs.readFile(abs);
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

  private async walk(): Promise<string[]> {
    const out: string[] = [];
    const stack = [''];
    while (stack.length && out.length < MAX_FILES) {
      const dir = stack.pop()!;
      let entries: import('node:fs').Dirent[];
      try {
        entries = await fs.readdir(path.join(this.root, dir), { withFileTypes: true });
      } catch {
        continue;
      }
      for (const e of entries) {
        const rel = dir ? `${dir}/${e.name}` : e.name;
        if (e.isDirectory()) {
          if (!SKIP_DIRS.has(e.name)) stack.push(rel);
        } else if (e.isFile() || e.isSymbolicLink()) {
          out.push(rel);
        }
      }
    }
    return out.sort();
  }
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
