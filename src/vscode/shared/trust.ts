import * as vscode from 'vscode';
import { RESTRICTED_REASON } from '../fixes/fixes';
import type { PostureNode } from '../posture/tree';

// Restricted Mode (untrusted workspace): scanning only reads files, so it stays on; everything that
// writes, runs git or goes to the network is off, and the view says so at the top.

export function trustBanners(): PostureNode[] {
  if (vscode.workspace.isTrusted) return [];
  return [
    {
      kind: 'message',
      id: 'steward.restricted',
      label: 'Restricted Mode: showing findings only',
      description: 'no fixes, git or network until you trust this folder',
      tooltip: RESTRICTED_REASON + ' Click to manage workspace trust.',
      icon: new vscode.ThemeIcon('shield', new vscode.ThemeColor('list.warningForeground')),
      command: { command: 'workbench.trust.manage', title: 'Manage Workspace Trust' },
    },
  ];
}

/**
 * True (and says so once, with a way to trust the folder) when the workspace is untrusted: the caller
 * then does nothing. Used by every command that writes a file or runs git.
 */
export function refusedInRestrictedMode(what: string): boolean {
  if (vscode.workspace.isTrusted) return false;
  void vscode.window
    .showWarningMessage(`Steward: ${what.replace(/…$/, '')} is off in Restricted Mode: Steward changes no files, runs no git and makes no network requests until you trust this workspace.`, 'Manage Workspace Trust')
    .then((a) => a && vscode.commands.executeCommand('workbench.trust.manage'));
  return true;
}
