import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { RepoSnapshot } from '../core/repo/snapshot';
import type { FlowGit } from './git';

/**
 * A repository as it is at one commit, read through git without touching the working tree. The flow
 * plans a contribution against the up-to-date default branch this way, so a dry run changes nothing.
 */
export class GitTreeSnapshot implements RepoSnapshot {
  private listing?: Promise<string[]>;
  constructor(private readonly git: FlowGit, readonly commit: string, readonly name: string, readonly root?: string) {}

  listFiles(): Promise<string[]> {
    this.listing ??= this.git.git.raw(['ls-tree', '-r', '-z', '--name-only', this.commit]).then((out) => out.split('\0').filter(Boolean).sort());
    return this.listing;
  }

  async readFile(p: string): Promise<Uint8Array | undefined> {
    // The clone's git config belongs to this repository too: it names the remote (GitHub owner/repo),
    // which is how the SECURITY.md proposal finds the private vulnerability reporting link.
    if (p === '.git/config') {
      const rel = (await this.git.git.raw(['rev-parse', '--git-path', 'config'])).trim();
      return fs.readFile(path.resolve(this.git.root, rel)).catch(() => undefined);
    }
    const files = await this.listFiles();
    if (!files.includes(p)) return undefined;
    // binary-safe read: simple-git's raw() decodes as text, so ask for the blob through showBuffer.
    try {
      return await this.git.git.showBuffer([`${this.commit}:${p}`]);
    } catch {
      return undefined;
    }
  }
}
