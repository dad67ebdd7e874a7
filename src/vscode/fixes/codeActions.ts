import * as vscode from 'vscode';
import { severityRank } from '../../core/model';
import { toRange } from '../posture/diagnostics';
import { buildWorkspaceEdit, type FixItem, type FixRefArgs } from './fixApply';
import { fixAllChoices, isDirect, isOfferable, quickFixTitle, refOf } from './fixPlan';
import type { EditorGitHub } from '../online/github';
import { metaOf } from '../posture/model';
import { plainText } from '../../core/report/text';
import { isRelevant, type FolderState, type PostureService } from '../posture/posture';

// Quick fixes on Steward's diagnostics: one action per fix of the finding under the cursor (preferred
// only when safe), "Fix all <rule> in file", and source.fixAll.steward (every safe fix of the file that
// needs no network, so it can run on save). Concrete fixes carry their WorkspaceEdit, computed from
// the text the scan saw (the file is re-scanned first if the document changed since); deferred fixes
// (pinning) run a command that resolves them with progress and applies them the same way.

export const FIX_ALL_KIND = vscode.CodeActionKind.SourceFixAll.append('steward');

/** Files Steward has fixes for: workflows, actions, Dependabot, SECURITY.md. */
export const FIXABLE_DOCUMENTS: vscode.DocumentSelector = [
  { pattern: '**/.github/**/*.{yml,yaml}' },
  { pattern: '**/action.{yml,yaml}' },
  { pattern: '**/{SECURITY,Security,security}.{md,markdown,rst,txt}' },
  { pattern: '**/{SECURITY,Security,security}' },
];

/** Command ids of the internal commands the actions run (registered through the command table). */
export const APPLY_FIX_REFS = 'steward.applyFixRefs';
export const RESCAN_FILES = 'steward.rescanFiles';

export interface RescanArgs {
  folder: string;
  files: string[];
}

function folderKey(state: FolderState): string {
  return state.folder.uri.toString();
}

function codeOf(d: vscode.Diagnostic): string | undefined {
  const c = d.code;
  if (c === undefined) return undefined;
  return typeof c === 'object' ? String(c.value) : String(c);
}

export class StewardCodeActions implements vscode.CodeActionProvider {
  static readonly metadata: vscode.CodeActionProviderMetadata = {
    providedCodeActionKinds: [vscode.CodeActionKind.QuickFix, FIX_ALL_KIND],
  };

  constructor(
    private readonly posture: PostureService,
    private readonly github: EditorGitHub,
  ) {}

  async provideCodeActions(doc: vscode.TextDocument, range: vscode.Range | vscode.Selection, context: vscode.CodeActionContext, token: vscode.CancellationToken): Promise<vscode.CodeAction[]> {
    if (!vscode.workspace.isTrusted) return [];
    const wantQuick = !context.only || context.only.contains(vscode.CodeActionKind.QuickFix);
    const wantAll = !context.only || context.only.contains(FIX_ALL_KIND);
    if (!wantQuick && !wantAll) return [];
    const state = this.posture.stateFor(doc.uri);
    const file = state?.snapshot.relative(doc.uri);
    if (!state?.scan || file === undefined || !isRelevant(file)) return [];
    // Offsets are only valid against the text the scan saw: when the document moved on, scan it first.
    if (state.scan.files.get(file)?.text !== doc.getText()) {
      await this.posture.scanFolder(state, [file]);
      if (token.isCancellationRequested || state.scan?.files.get(file)?.text !== doc.getText()) return [];
    }
    const scan = state.scan!;
    const min = severityRank(this.posture.settings.minimumSeverity);
    const findings = scan.findings.filter((f) => !f.suppressed && f.location?.file === file && severityRank(f.severity) >= min);
    const actions: vscode.CodeAction[] = [];

    if (wantQuick) {
      // By line: the cursor anywhere on a finding's lines offers its fixes (as the lightbulb suggests).
      const here = findings.filter((f) => f.location!.start.line - 1 <= range.end.line && f.location!.end.line - 1 >= range.start.line);
      const rulesDone = new Set<string>();
      for (const finding of here) {
        const diags = context.diagnostics.filter((d) => d.source === 'Steward' && codeOf(d) === finding.ruleId && d.range.isEqual(toRange(finding.location!)));
        let preferredGiven = false;
        for (const fix of finding.fixes.filter(isOfferable)) {
          const a = await this.action(state, quickFixTitle(fix), vscode.CodeActionKind.QuickFix, [{ state, scan, finding, fix }]);
          a.diagnostics = diags;
          if (fix.safe && !preferredGiven && !a.disabled) {
            a.isPreferred = true;
            preferredGiven = true;
          }
          actions.push(a);
        }
        if (rulesDone.has(finding.ruleId)) continue;
        rulesDone.add(finding.ruleId);
        const all = fixAllChoices(scan.findings.filter((f) => severityRank(f.severity) >= min), file, { ruleId: finding.ruleId, deferred: true });
        if (all.length > 1) {
          const title = plainText(metaOf(finding.ruleId)?.title ?? finding.ruleId);
          const a = await this.action(state, `Fix all "${title}" in file (${all.length} safe fixes)`, vscode.CodeActionKind.QuickFix, all.map((c) => ({ state, scan, ...c })));
          a.diagnostics = diags;
          actions.push(a);
        }
      }
    }

    if (wantAll) {
      // No network on this path: it may run on save (editor.codeActionsOnSave).
      const all = fixAllChoices(findings, file);
      if (all.length) actions.push(await this.action(state, `Fix all Steward findings in file (${all.length} safe fixes)`, FIX_ALL_KIND, all.map((c) => ({ state, scan, ...c }))));
    }
    return actions;
  }

  /** One action for some fixes: the edit when all are concrete, else the resolving command. */
  private async action(state: FolderState, title: string, kind: vscode.CodeActionKind, items: FixItem[]): Promise<vscode.CodeAction> {
    const a = new vscode.CodeAction(title, kind);
    if (items.every((i) => isDirect(i.fix))) {
      const built = await buildWorkspaceEdit(items);
      if (built.refused) {
        a.disabled = { reason: built.refused };
        return a;
      }
      if (built.stale) {
        a.disabled = { reason: `${built.stale}; Steward is scanning again` };
        return a;
      }
      a.edit = built.edit;
      a.command = { command: RESCAN_FILES, title: 'Scan again', arguments: [{ folder: folderKey(state), files: [...new Set(built.touched.map((t) => t.file))] } satisfies RescanArgs] };
      return a;
    }
    const on = this.github.online();
    if (!on.ok) a.disabled = { reason: `Needs network: ${on.why}` };
    const refs = items.filter((i) => i.finding).map((i) => refOf(i.finding!, i.fix));
    a.command = { command: APPLY_FIX_REFS, title, arguments: [{ folder: folderKey(state), refs } satisfies FixRefArgs] };
    return a;
  }
}

