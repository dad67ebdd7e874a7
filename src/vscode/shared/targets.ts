import * as vscode from 'vscode';
import type { Finding } from '../../core/model';
import { CATEGORY_TITLES } from '../../core/model';
import { directFixes } from '../fixes/fixes';
import { plainText } from '../../core/report/text';
import { rowsOf, type CheckRow } from '../posture/model';
import type { FolderState, PostureService } from '../posture/posture';
import type { PostureNode } from '../posture/tree';

// What a command acts on. Tree items pass their node; the Command Palette passes nothing, so the user
// picks; the Explain webview passes a plain reference (folder, rule id, finding index).

export interface Target {
  state: FolderState;
  row: CheckRow;
  finding?: Finding;
}

export interface TargetRef {
  folder: string;
  checkId: string;
  finding?: number;
}

export function refOf(t: Target): TargetRef {
  return { folder: t.state.folder.uri.toString(), checkId: t.row.meta.id, finding: t.finding ? t.row.findings.indexOf(t.finding) : undefined };
}

export function resolveRef(posture: PostureService, ref: TargetRef): Target | undefined {
  const state = posture.folders().find((s) => s.folder.uri.toString() === ref.folder);
  if (!state?.scan) return undefined;
  const row = rowsOf(state.scan, posture.settings.minimumSeverity).find((r) => r.meta.id === ref.checkId);
  if (!row) return undefined;
  const finding = ref.finding !== undefined && ref.finding >= 0 ? row.findings[ref.finding] : undefined;
  return { state, row, finding };
}

export function targetOfNode(node: unknown): Target | undefined {
  const n = node as PostureNode | undefined;
  if (n?.kind === 'check') return { state: n.state, row: n.row };
  if (n?.kind === 'finding') return { state: n.state, row: n.row, finding: n.finding };
  return undefined;
}

/** Lets the user choose a check (or, with `findings`, one finding) from every scanned folder. */
export async function pickTarget(posture: PostureService, opts: { placeHolder: string; fixableOnly?: boolean; findings?: boolean }): Promise<Target | undefined> {
  await posture.ensureStarted();
  type Item = vscode.QuickPickItem & { target?: Target };
  const items: Item[] = [];
  const multi = posture.folders().length > 1;
  for (const state of posture.folders()) {
    if (!state.scan) continue;
    for (const row of rowsOf(state.scan, posture.settings.minimumSeverity)) {
      if (opts.findings || opts.fixableOnly) {
        for (const finding of row.findings) {
          if (opts.fixableOnly && !directFixes(finding).length) continue;
          const where = finding.location ? `${finding.location.file}:${finding.location.start.line}` : 'repository';
          items.push({ label: plainText(finding.message), description: plainText(row.meta.title), detail: multi ? `${state.folder.name} · ${where}` : where, target: { state, row, finding } });
        }
      } else {
        items.push({ label: plainText(row.meta.title), description: plainText(row.result.reason), detail: `${CATEGORY_TITLES[row.meta.category]} · ${row.result.status}${multi ? ` · ${state.folder.name}` : ''}`, target: { state, row } });
      }
    }
  }
  if (!items.length) {
    void vscode.window.showInformationMessage(opts.fixableOnly ? 'Steward: no finding has a fix that can be applied in the editor.' : 'Steward: nothing to show yet.');
    return undefined;
  }
  return (await vscode.window.showQuickPick(items, { placeHolder: opts.placeHolder, matchOnDescription: true, matchOnDetail: true }))?.target;
}
