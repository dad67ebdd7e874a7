import * as vscode from 'vscode';
import type { Finding, Fix } from '../core/model';
import { applyEdits, dedupeEdits } from '../core/fix/apply';
import type { FolderState, PostureService } from './posture';

// Applying a finding's fix in the editor. Fix edits are offsets into the text the scan saw; they are
// applied only when the document still has exactly that text (otherwise the offsets would land in the
// wrong place), as one WorkspaceEdit so a single Undo reverts the whole fix.

export type ApplyResult = 'applied' | 'cancelled' | 'stale' | 'refused';

/** Fixes the editor can apply now: not deferred (those need online resolution) and with edits. */
export function directFixes(f: Finding): Fix[] {
  return f.fixes.filter((x) => !x.deferred && x.edits.length > 0);
}

export const RESTRICTED_REASON = 'Restricted Mode: Steward applies no fixes, runs no git and makes no network requests until you trust this workspace.';

export async function applyFix(posture: PostureService, state: FolderState, fix: Fix, opts: { confirm?: boolean } = {}): Promise<ApplyResult> {
  if (!vscode.workspace.isTrusted) {
    void vscode.window.showWarningMessage(RESTRICTED_REASON, 'Manage Workspace Trust').then((a) => a && vscode.commands.executeCommand('workbench.trust.manage'));
    return 'refused';
  }
  if (fix.deferred || !fix.edits.length) {
    void vscode.window.showInformationMessage(`"${fix.title}" needs online features to compute its change; it cannot be applied offline.`);
    return 'refused';
  }
  if (!fix.safe && opts.confirm !== false) {
    const choice = await vscode.window.showWarningMessage(
      `Apply "${fix.title}"?`,
      { modal: true, detail: (fix.caveat ?? 'This change can alter what the automation does.') + ' Review the diff before committing it.' },
      'Apply',
    );
    if (choice !== 'Apply') return 'cancelled';
  }
  const byFile = new Map<string, typeof fix.edits>();
  for (const e of dedupeEdits(fix.edits)) byFile.set(e.file, [...(byFile.get(e.file) ?? []), e]);

  const edit = new vscode.WorkspaceEdit();
  const toSave: vscode.Uri[] = [];
  for (const [file, edits] of byFile) {
    const uri = state.snapshot.uriOf(file);
    if (edits.some((e) => e.create)) {
      if (await exists(uri)) return stale(posture, state, `${file} exists now`);
      edit.createFile(uri, { contents: new TextEncoder().encode(applyEdits('', edits)) });
      continue;
    }
    const scanned = state.scan?.files.get(file)?.text;
    const doc = await vscode.workspace.openTextDocument(uri);
    if (scanned === undefined || doc.getText() !== scanned) return stale(posture, state, `${file} changed since the last scan`);
    for (const e of edits) edit.replace(uri, new vscode.Range(doc.positionAt(e.start), doc.positionAt(e.end)), e.newText);
    // Files that had no unsaved changes are saved after the fix, so the change is what is on disk.
    if (!doc.isDirty) toSave.push(uri);
  }
  if (!(await vscode.workspace.applyEdit(edit))) return 'refused';
  for (const uri of toSave) await vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString())?.save();
  await posture.scanFolder(state, [...byFile.keys()]);
  return 'applied';
}

async function stale(posture: PostureService, state: FolderState, why: string): Promise<ApplyResult> {
  await posture.scanFolder(state);
  void vscode.window.showWarningMessage(`Steward did not apply the fix: ${why}. It scanned again; check the finding and try once more.`);
  return 'stale';
}

async function exists(uri: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch {
    return false;
  }
}
