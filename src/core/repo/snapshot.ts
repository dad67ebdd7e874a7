import type { FileKind } from './classify';
// A repository as the checks see it: a list of paths and a way to read some of them. The CLI reads
// from disk (src/core/repo/disk.ts, the only Node-fs user in core), the extension from workspace.fs,
// tests from memory. All paths are repository-relative with forward slashes.

export interface RepoSnapshot {
  /** Display name of the repository (folder name, or owner/repo when known). */
  readonly name: string;
  /** Absolute root when the snapshot is backed by a folder; used only for messages and links. */
  readonly root?: string;
  /** Every file path in the repository (may include files whose content is not available). */
  listFiles(): Promise<string[]>;
  /** Content of a file, or undefined when it does not exist or cannot be read. */
  readFile(path: string): Promise<Uint8Array | undefined>;
  /**
   * The first `bytes` bytes of a file (all of it when shorter), with the same rules and errors as
   * readFile; without it the engine reads the whole file and keeps the start.
   */
  readHead?(path: string, bytes: number): Promise<Uint8Array | undefined>;
  /**
   * A stamp that changes when the file changes (size and modification time), or undefined when the
   * file cannot be stat'ed: lets a full re-scan keep per-file results without reading the file again.
   */
  stamp?(path: string): Promise<string | undefined>;
  /** Why a file could not be read (permissions, outside the repository, ...), when known. */
  readError?(path: string): string | undefined;
  /**
   * What listFiles() could not see (valid once it resolved): folders it could not open and the cap
   * that stopped the walk. The engine turns these into scan notes and check errors, so nothing is
   * silently skipped.
   */
  listProblems?(): ListProblems | undefined;
  /** Overrides path-based classification (single files given on the command line). */
  kindOf?(path: string): FileKind | undefined;
  /**
   * Only some files of a repository (e.g. files named on the command line): repository-level checks
   * cannot judge the repository and report not-applicable.
   */
  readonly partial?: boolean;
}

/** Why the file list of a snapshot is incomplete. */
export interface ListProblems {
  /** Folders that exist but could not be listed, with the reason ("cannot be read (permission denied)"). */
  unreadableDirs: { path: string; problem: string }[];
  /** Set when the walk stopped at its cap: paths past it are not listed. */
  capped?: { limit: number; listed: number };
}

/** An in-memory snapshot for tests and for single files given on the command line. */
export class MemorySnapshot implements RepoSnapshot {
  private readonly files = new Map<string, Uint8Array>();
  constructor(
    readonly name: string,
    files: Record<string, string | Uint8Array>,
    private readonly extraPaths: string[] = [],
    readonly root?: string,
    private readonly kinds?: Record<string, FileKind>,
    readonly partial = false,
  ) {
    for (const [p, c] of Object.entries(files)) this.files.set(p, typeof c === 'string' ? new TextEncoder().encode(c) : c);
  }
  async listFiles(): Promise<string[]> {
    return [...new Set([...this.files.keys(), ...this.extraPaths])].sort();
  }
  async readFile(path: string): Promise<Uint8Array | undefined> {
    return this.files.get(path);
  }
  kindOf(path: string): FileKind | undefined {
    return this.kinds?.[path];
  }
  set(path: string, content: string | Uint8Array): void {
    this.files.set(path, typeof content === 'string' ? new TextEncoder().encode(content) : content);
  }
}
