import * as vscode from 'vscode';
import { plainText } from '../../core/report/text';
import { combineFixes } from '../../core/fix/apply';
import { reviewReasonOf, type Fix } from '../../core/model';
import { applyFix, directFixes } from './fixes';
import type { HandlerFactory } from '../shared/services';
import { pickTarget, targetOfNode, type Target } from '../shared/targets';

/**
 * Applies the fix of a finding, or of every finding of a check (combined into one edit, so offsets stay
 * valid). With several fixes for one finding the user picks one.
 */
export const fix: HandlerFactory = (svc) => async (node?: unknown, fixIndex?: number) => {
  const target: Target | undefined = targetOfNode(node) ?? (await pickTarget(svc.posture, { placeHolder: 'Which finding should Steward fix?', fixableOnly: true }));
  if (!target) return undefined;
  let chosen: Fix | undefined;
  if (target.finding) {
    const fixes = directFixes(target.finding);
    if (typeof fixIndex === 'number') chosen = target.finding.fixes[fixIndex];
    else if (fixes.length === 1) chosen = fixes[0];
    else if (fixes.length > 1) {
      const pick = await vscode.window.showQuickPick(
        fixes.map((f) => ({ label: plainText(f.title), description: f.safe ? 'safe' : 'review before applying', detail: f.caveat && plainText(f.caveat), fix: f })),
        { placeHolder: 'Choose a fix' },
      );
      chosen = pick?.fix;
      if (!chosen) return 'cancelled';
    }
  } else {
    const fixes = target.row.findings.map((f) => directFixes(f)[0]).filter((f): f is Fix => !!f);
    if (fixes.length === 1) chosen = fixes[0];
    else if (fixes.length > 1) {
      const { byFile, skipped } = combineFixes(fixes);
      const taken = fixes.length - skipped.length;
      chosen = {
        title: `${plainText(target.row.meta.title)}: apply ${taken} fix${taken === 1 ? '' : 'es'}`,
        safe: fixes.every((f) => f.safe),
        caveat: fixes.find((f) => !f.safe)?.caveat,
        reviewReason: fixes.map((f) => reviewReasonOf(f)).find((r) => r !== undefined),
        edits: [...byFile.values()].flat(),
      };
    }
  }
  if (!chosen) {
    void vscode.window.showInformationMessage('Steward: there is no fix to apply here.');
    return undefined;
  }
  const result = await applyFix(svc.posture, target.state, chosen);
  if (result === 'applied') vscode.window.setStatusBarMessage(`$(check) Steward applied: ${plainText(chosen.title)}`, 5000);
  return result;
};
