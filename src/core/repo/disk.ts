import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { RepoSnapshot } from './snapshot';

// Folders that are never part of what a project commits, or that are huge and never hold the files
// the checks read. Skipping them keeps a scan of a checked-out working tree fast.
const SKIP_DIRS = new Set(['.git', 'node_modules', '.hg', '.svn', '.venv', '.tox', '__pycache__', '.mypy_cache']);
const MAX_FILES = 200_000;

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
    if (rel.startsWith('/') || rel.split('/').includes('..')) return undefined;
    const abs = path.join(this.root, rel);
    try {
      const st = await fs.lstat(abs);
      if (st.isSymbolicLink()) {
        this.realRoot ??= fs.realpath(this.root);
        const [target, root] = await Promise.all([fs.realpath(abs), this.realRoot]);
        if (target !== root && !target.startsWith(root + path.sep)) {
          this.errors.set(rel, 'is a symbolic link that points outside the repository (not followed)');
          return undefined;
        }
        const tst = await fs.stat(target);
        if (!tst.isFile()) return undefined;
      } else if (!st.isFile()) {
        return undefined;
      }
      return await fs.readFile(abs);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
      this.errors.set(rel, code === 'EACCES' || code === 'EPERM' ? 'cannot be read (permission denied)' : `cannot be read (${code ?? String(e)})`);
      return undefined;
    }
  }

  private async list(): Promise<string[]> {
    const tree = await this.corpusTree();
    const onDisk = await this.walk();
    if (!tree) return onDisk;
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
