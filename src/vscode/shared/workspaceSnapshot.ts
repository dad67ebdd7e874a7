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
    const paths = uris.map((u) => this.relative(u)).filter((p): p is string => p !== undefined);
    return [...new Set(paths)].sort();
  }

  async readFile(path: string): Promise<Uint8Array | undefined> {
    const uri = this.uriOf(path);
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    if (doc?.isDirty) return new TextEncoder().encode(doc.getText());
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
