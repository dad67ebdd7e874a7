import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { RepoSnapshot } from '../core/repo/snapshot';
import type { FlowGit } from './git';

/** A tree entry of the base commit: its git mode (100644, 100755, 120000 symlink, 160000 submodule). */
export interface TreeEntry {
  mode: string;
  sha: string;
}

/**
 * A repository as it is at one commit, read through git without touching the working tree. The flow
 * plans a contribution against the up-to-date default branch this way, so a dry run changes nothing.
 * Only regular files are files here: a symlink entry's blob is the link's target text, not content,
 * and a submodule is another repository; neither is listed or read (the flow also refuses to write
 * through them, see `blockedBy`).
 */
export class GitTreeSnapshot implements RepoSnapshot {
  private entries?: Promise<Map<string, TreeEntry>>;
  private listing?: Promise<string[]>;
  constructor(private readonly git: FlowGit, readonly commit: string, readonly name: string, readonly root?: string) {}

  /** Every entry of the commit's tree (recursively), regular files, symlinks and submodules alike. */
  tree(): Promise<Map<string, TreeEntry>> {
    this.entries ??= this.git.run(['ls-tree', '-r', '-z', '--full-tree', this.commit]).then((r) => {
      const map = new Map<string, TreeEntry>();
      if (r.code !== 0) return map;
      for (const rec of r.stdout.toString('utf8').split('\0')) {
        const m = /^(\d{6}) (\w+) ([0-9a-f]+)\t([\s\S]+)$/.exec(rec);
        if (m) map.set(m[4], { mode: m[1], sha: m[3] });
      }
      return map;
    });
    return this.entries;
  }

  listFiles(): Promise<string[]> {
    this.listing ??= this.tree().then((t) => [...t].filter(([, e]) => e.mode === '100644' || e.mode === '100755').map(([p]) => p).sort());
    return this.listing;
  }

  async modeOf(p: string): Promise<string | undefined> {
    return (await this.tree()).get(p)?.mode;
  }

  /**
   * Why `p` cannot be written in this tree, or undefined when it can: the path or one of its folders
   * is a symlink (`.github -> elsewhere`, `SECURITY.md -> ../x`), a submodule, or a folder is a file.
   */
  async blockedBy(p: string): Promise<string | undefined> {
    const t = await this.tree();
    const parts = p.split('/');
    for (let i = 1; i <= parts.length; i++) {
      const prefix = parts.slice(0, i).join('/');
      const e = t.get(prefix);
      if (!e) continue;
      if (e.mode === '120000') return `${prefix} is a symbolic link in the base commit`;
      if (e.mode === '160000') return `${prefix} is a submodule in the base commit`;
      if (i < parts.length) return `${prefix} is a file in the base commit, not a folder`;
    }
    return undefined;
  }

  async readFile(p: string): Promise<Uint8Array | undefined> {
    // The clone's git config belongs to this repository too: it names the remote (GitHub owner/repo),
    // which is how the SECURITY.md proposal finds the private vulnerability reporting link.
    if (p === '.git/config') {
      return fs.readFile(path.join(this.git.commonDir, 'config')).catch(() => undefined);
    }
    const e = (await this.tree()).get(p);
    if (!e || (e.mode !== '100644' && e.mode !== '100755')) return undefined;
    // cat-file gives the blob's bytes as stored: no filters, no textconv.
    const r = await this.git.run(['cat-file', 'blob', e.sha]);
    return r.code === 0 ? r.stdout : undefined;
  }
}
