import { promises as fsp } from 'node:fs';
import * as nodePath from 'node:path';
import * as vscode from 'vscode';
import type { RepoSnapshot } from '../../core/repo/snapshot';

// A repository snapshot over one workspace folder, read through vscode.workspace.fs so it works for
// remote and virtual workspaces too. Open documents with unsaved edits are read from the editor, so the
// tree and the Problems panel describe what the user is looking at, not what was last saved.

const EXCLUDE = '{**/node_modules/**,**/.git/**}';
/** A repository bigger than this is listed partially; the checks only need the well-known paths. */
const MAX_FILES = 50_000;

export class WorkspaceSnapshot implements RepoSnapshot {
  readonly name: string;
  readonly root: string;
  private readonly errors = new Map<string, string>();

  constructor(readonly folder: vscode.WorkspaceFolder) {
    this.name = folder.name;
    this.root = folder.uri.scheme === 'file' ? folder.uri.fsPath : folder.uri.toString();
  }

  async listFiles(): Promise<string[]> {
    const uris = await vscode.workspace.findFiles(new vscode.RelativePattern(this.folder, '**/*'), EXCLUDE, MAX_FILES);
    const paths = [...new Set(uris.map((u) => this.relative(u)).filter((p): p is string => p !== undefined))];
    // VS Code's search follows links to folders (search.followSymlinks), so a committed `docs -> /etc`
    // would list, and the checks and generators would read, files outside the repository. On disk the
    // listing leaves out whatever a folder link reaches, as the command line's DiskSnapshot does.
    if (this.folder.uri.scheme === 'file') {
      const kept: string[] = [];
      for (const p of paths) if (!p.includes('/') || !(await this.linkedFolder(p.slice(0, p.lastIndexOf('/'))))) kept.push(p);
      return kept.sort();
    }
    return paths.sort();
  }

  private readonly folderLinks = new Map<string, Promise<boolean>>();

  /** Whether the folder `rel` (or a folder above it) is a symbolic link; unreadable counts as linked. */
  private linkedFolder(rel: string): Promise<boolean> {
    let known = this.folderLinks.get(rel);
    if (!known) {
      const parent = rel.includes('/') ? rel.slice(0, rel.lastIndexOf('/')) : undefined;
      known = (async () => {
        if (parent !== undefined && (await this.linkedFolder(parent))) return true;
        const st = await fsp.lstat(nodePath.join(this.root, ...rel.split('/'))).catch(() => undefined);
        return !st || st.isSymbolicLink();
      })();
      this.folderLinks.set(rel, known);
    }
    return known;
  }

  /** Why a file on disk is not read (it is inside a folder that is a link), or undefined. */
  private async notFollowed(path: string): Promise<string | undefined> {
    if (this.folder.uri.scheme !== 'file') return undefined;
    // A link to a file is read, as before (its findings are shown, and every write to it is refused);
    // a folder link is not followed, as in the listing.
    if (path.includes('/') && (await this.linkedFolder(path.slice(0, path.lastIndexOf('/'))))) {
      return 'is inside a folder that is a symbolic link (not followed)';
    }
    return undefined;
  }

  async readFile(path: string): Promise<Uint8Array | undefined> {
    const uri = this.uriOf(path);
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    if (doc?.isDirty) return new TextEncoder().encode(doc.getText());
    const refused = await this.notFollowed(path);
    if (refused) {
      this.errors.set(path, refused);
      return undefined;
    }
    try {
      const bytes = await vscode.workspace.fs.readFile(uri);
      this.errors.delete(path);
      return bytes;
    } catch (e) {
      if (!(e instanceof vscode.FileSystemError && e.code === 'FileNotFound')) this.errors.set(path, e instanceof Error ? e.message : String(e));
      return undefined;
    }
  }

  readError(path: string): string | undefined {
    return this.errors.get(path);
  }

  uriOf(path: string): vscode.Uri {
    return vscode.Uri.joinPath(this.folder.uri, ...path.split('/'));
  }

  /** Repository-relative path of a URI inside this folder, or undefined. */
  relative(uri: vscode.Uri): string | undefined {
    const base = this.folder.uri;
    if (uri.scheme !== base.scheme || uri.authority !== base.authority) return undefined;
    const root = base.path.endsWith('/') ? base.path : base.path + '/';
    return uri.path.startsWith(root) ? uri.path.slice(root.length) : undefined;
  }
}
