import { execFile } from 'node:child_process';
import * as vscode from 'vscode';
import { BACK, type Prompter } from './prompter';

// Which repository folder a generator or the contribution flow works on: the one passed by the caller
// (the Explain view, a test), the only workspace folder, or one the user picks.

export interface FolderArg {
  folder?: vscode.Uri;
}

export function folderArgOf(arg: unknown): vscode.Uri | undefined {
  if (arg instanceof vscode.Uri) return arg;
  if (arg && typeof arg === 'object' && 'folder' in arg) {
    const f = (arg as { folder?: unknown }).folder;
    if (f instanceof vscode.Uri) return f;
    // Arguments from a webview or a test bundle may be a plain URI-shaped object.
    if (f && typeof f === 'object' && 'scheme' in f && 'path' in f) return vscode.Uri.from(f as vscode.Uri);
  }
  return undefined;
}

export async function chooseFolder(arg: unknown, prompter: Prompter, title: string): Promise<vscode.WorkspaceFolder | vscode.Uri | undefined> {
  const given = folderArgOf(arg);
  if (given) return vscode.workspace.getWorkspaceFolder(given) ?? given;
  const folders = vscode.workspace.workspaceFolders ?? [];
  if (folders.length === 0) {
    void vscode.window.showInformationMessage('Steward: open a folder that holds a repository first.');
    return undefined;
  }
  if (folders.length === 1) return folders[0];
  const r = await prompter.pick({ id: 'folder', title, placeholder: 'Which repository?', items: folders.map((f) => ({ label: f.name, description: f.uri.fsPath, value: f })) });
  return r === BACK ? undefined : r;
}

export function uriOf(f: vscode.WorkspaceFolder | vscode.Uri): vscode.Uri {
  return f instanceof vscode.Uri ? f : f.uri;
}

/** `git tag --list` in a local folder (no hooks, no fsmonitor); empty when git or the repository is missing. */
export function gitTags(dir: string): Promise<string[]> {
  return new Promise((resolve) => {
    execFile('git', ['-c', 'core.fsmonitor=false', '-c', 'core.hooksPath=/dev/null', '-C', dir, 'tag', '--list'], { timeout: 10_000, maxBuffer: 16 * 1024 * 1024 }, (err, stdout) => {
      resolve(err ? [] : stdout.split('\n').map((t) => t.trim()).filter(Boolean));
    });
  });
}
