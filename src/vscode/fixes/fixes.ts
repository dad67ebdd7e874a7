import * as vscode from 'vscode';
import { plainText } from '../../core/report/text';
import type { Finding, Fix } from '../../core/model';
import { applyItems, findingOf } from './fixApply';
import type { FolderState, PostureService } from '../posture/posture';

// Applying a finding's fix in the editor. Fix edits are offsets into the text the scan saw; they are
// applied only when the document still has exactly that text (otherwise the offsets would land in the
// wrong place), and saved through the one write path (src/vscode/fixes/fixApply.ts).

export type ApplyResult = 'applied' | 'cancelled' | 'stale' | 'refused';

/** Fixes the editor can apply now: not deferred (those need online resolution) and with edits. */
export function directFixes(f: Finding): Fix[] {
  return f.fixes.filter((x) => !x.deferred && x.edits.length > 0);
}

export const RESTRICTED_REASON = 'Restricted Mode: Steward changes no files, runs no git and makes no network requests until you trust this workspace.';

export async function applyFix(posture: PostureService, state: FolderState, fix: Fix, opts: { confirm?: boolean } = {}): Promise<ApplyResult> {
  if (!vscode.workspace.isTrusted) {
    void vscode.window.showWarningMessage(RESTRICTED_REASON, 'Manage Workspace Trust').then((a) => a && vscode.commands.executeCommand('workbench.trust.manage'));
    return 'refused';
  }
  if (!fix.deferred && !fix.edits.length) {
    void vscode.window.showInformationMessage(`"${plainText(fix.title)}" has no change to apply.`);
    return 'refused';
  }
  if (!fix.safe && opts.confirm !== false) {
    const choice = await vscode.window.showWarningMessage(
      `Apply "${plainText(fix.title)}"?`,
      { modal: true, detail: (fix.caveat ?? 'This change can alter what the automation does.') + ' Review the diff before committing it.' },
      'Apply',
    );
    if (choice !== 'Apply') return 'cancelled';
  }
  // One path for every fix in the editor (fixApply.ts): deferred fixes (pins) are resolved first, a
  // file that changed since the scan is re-scanned and the fix looked up again, and everything is
  // applied as one WorkspaceEdit; files without unsaved changes are saved after it.
  const outcome = await applyItems(posture, [{ state, fix, finding: findingOf(state, fix) }], { save: true });
  if (outcome.status === 'applied') return 'applied';
  const stale = outcome.status === 'stale' || outcome.left.some((l) => l.why === 'stale' || l.why === 'conflict');
  if (stale) void vscode.window.showWarningMessage(`Steward did not apply the fix: ${outcome.left[0]?.detail ?? 'the file changed since the last scan'}. It scanned again; check the finding and try once more.`);
  return stale ? 'stale' : 'refused';
}
