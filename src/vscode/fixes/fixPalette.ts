import * as vscode from 'vscode';
import { severityRank, type Finding, type Fix } from '../../core/model';
import { applyItems, freshen, resolveDeferred, RESTRICTED, type FixItem } from './fixApply';
import { combineChoices, fixedFiles, isDirect, isOfferable, leftOf, summarize, type LeftItem } from './fixPlan';
import type { EditorGitHub } from '../online/github';
import { metaOf } from '../posture/model';
import { plainText } from '../../core/report/text';
import type { PostureService } from '../posture/posture';
import { closePreviews, ensurePreviewProvider, previewUri } from '../shared/preview';

// `Steward: Review fixes in the workspace…`: every fix available in the workspace in one multi-select list (grouped by rule, with
// file:line), a diff preview of the selected ones on virtual documents, a non-modal "Apply" / "Cancel", then one
// WorkspaceEdit through the shared apply path and a summary of what was left and why.

/** Arguments that skip the UI (tests, other commands): which fixes to take, whether to preview/confirm. */
export interface FixPaletteArgs {
  rules?: string[];
  /** Repository-relative paths. */
  files?: string[];
  /** Take unsafe fixes too (default: safe only). */
  unsafe?: boolean;
  /** Show the diff preview (default false with arguments). */
  preview?: boolean;
  /** Ask before applying (default false with arguments). */
  confirm?: boolean;
}

export interface FixPaletteResult {
  status: 'applied' | 'nothing' | 'cancelled' | 'refused' | 'stale';
  applied: string[];
  files: string[];
  left: LeftItem[];
  message?: string;
}

interface Candidate extends FixItem {
  finding: Finding;
  /** Can be applied in this session (concrete, or deferred with online features available). */
  available: boolean;
}

/** The fix the palette offers for a finding: safe before unsafe, concrete before deferred. */
export function preferredFix(f: Finding): Fix | undefined {
  const offer = f.fixes.filter(isOfferable);
  return [...offer].sort((a, b) => Number(!a.safe) - Number(!b.safe) || Number(!isDirect(a)) - Number(!isDirect(b)))[0];
}

function candidates(posture: PostureService, online: boolean): Candidate[] {
  const min = severityRank(posture.settings.minimumSeverity);
  const out: Candidate[] = [];
  for (const state of posture.folders()) {
    for (const finding of state.scan?.findings ?? []) {
      if (finding.suppressed || severityRank(finding.severity) < min) continue;
      const fix = preferredFix(finding);
      if (fix) out.push({ state, finding, fix, available: isDirect(fix) || online });
    }
  }
  const where = (c: Candidate) => `${c.state.folder.name}\u0000${c.finding.location?.file ?? ''}\u0000${String(c.finding.location?.start.line ?? 0).padStart(6, '0')}`;
  return out.sort((a, b) => a.finding.ruleId.localeCompare(b.finding.ruleId) || where(a).localeCompare(where(b)));
}

function whereOf(c: Candidate, multi: boolean): string {
  const loc = c.finding.location;
  const at = loc ? `${loc.file}:${loc.start.line}` : '(repository)';
  return multi ? `${c.state.folder.name} · ${at}` : at;
}

type Item = vscode.QuickPickItem & { candidate?: Candidate };

async function pick(list: Candidate[], offlineWhy: string | undefined): Promise<Candidate[] | undefined> {
  const multi = new Set(list.map((c) => c.state)).size > 1;
  const items: Item[] = [];
  let rule = '';
  for (const c of list) {
    if (c.finding.ruleId !== rule) {
      rule = c.finding.ruleId;
      items.push({ label: plainText(metaOf(rule)?.title ?? rule), kind: vscode.QuickPickItemKind.Separator });
    }
    const notes: string[] = [];
    if (!c.fix.safe) notes.push(`$(warning) review needed${c.fix.caveat ? `: ${plainText(c.fix.caveat)}` : ''}`);
    if (c.fix.deferred) notes.push(c.available ? '$(cloud) resolved on GitHub when applied' : `$(cloud-offline) needs network: ${offlineWhy}`);
    items.push({
      label: plainText(c.fix.title),
      description: whereOf(c, multi),
      detail: notes.join(' · ') || undefined,
      picked: c.fix.safe && c.available,
      candidate: c,
    });
  }
  const chosen = await vscode.window.showQuickPick(items, {
    canPickMany: true,
    matchOnDescription: true,
    matchOnDetail: true,
    title: 'Steward: Review fixes in the workspace…',
    placeHolder: 'Choose the fixes to preview and apply (safe ones are selected)',
  });
  return chosen?.map((i) => i.candidate).filter((c): c is Candidate => !!c);
}

/** Opens the diff of every changed file: one diff editor, or the multi-file changes editor. */
/** Closes the preview diffs, and the multi-file changes editor (no typed tab input for it in this API version). */
async function closeAll(docs: vscode.Uri[]): Promise<void> {
  await closePreviews(docs);
  const multi = vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.label.startsWith(CHANGES_TITLE));
  if (multi.length) await vscode.window.tabGroups.close(multi, true);
}

/** VS Code adds the file count to this title itself. */
const CHANGES_TITLE = 'Steward fixes';

async function showPreview(files: { folder: string; uri: vscode.Uri; before: vscode.Uri; after: vscode.Uri; path: string; created: boolean }[]): Promise<void> {
  if (files.length === 1) {
    const f = files[0];
    await vscode.commands.executeCommand('vscode.diff', f.before, f.after, `${f.path} ↔ after Steward fixes`, { preview: true });
    return;
  }
  const commands = await vscode.commands.getCommands(true);
  if (commands.includes('vscode.changes')) {
    // A created file has no original: the changes editor then shows it as added, not as a rename.
    await vscode.commands.executeCommand('vscode.changes', CHANGES_TITLE, files.map((f) => [f.uri, f.created ? undefined : f.before, f.after]));
    return;
  }
  for (const f of files) await vscode.commands.executeCommand('vscode.diff', f.before, f.after, `${f.path} ↔ after Steward fixes`, { preview: false });
}

export async function runFixPalette(svc: { posture: PostureService; github: EditorGitHub; log: vscode.LogOutputChannel; context: vscode.ExtensionContext }, args?: FixPaletteArgs): Promise<FixPaletteResult> {
  const { posture, github, log } = svc;
  if (!vscode.workspace.isTrusted) {
    void vscode.window.showWarningMessage(RESTRICTED, 'Manage Workspace Trust').then((a) => a && vscode.commands.executeCommand('workbench.trust.manage'));
    return { status: 'refused', applied: [], files: [], left: [] };
  }
  await posture.ensureStarted();
  const on = github.online();
  const offlineWhy = on.ok ? undefined : on.why;
  const interactive = !args;
  let all = candidates(posture, on.ok);
  if (args?.rules) all = all.filter((c) => args.rules!.includes(c.finding.ruleId));
  if (args?.files) all = all.filter((c) => !!c.finding.location && args.files!.includes(c.finding.location.file));
  if (!all.length) {
    if (interactive) void vscode.window.showInformationMessage('Steward: no finding in this workspace has a fix.');
    return { status: 'nothing', applied: [], files: [], left: [] };
  }
  const selected = interactive ? await pick(all, offlineWhy) : all.filter((c) => (c.fix.safe || args.unsafe) && c.available);
  if (!selected?.length) return { status: 'cancelled', applied: [], files: [], left: [] };

  // What was offered but not taken, when the reason is one the user should hear about.
  const chosen = new Set(selected);
  const left: LeftItem[] = [];
  for (const c of all) {
    if (chosen.has(c)) continue;
    if (!c.available) left.push(leftOf(c, 'needs-network', offlineWhy ?? 'needs network'));
    else if (!c.fix.safe) left.push(leftOf(c, 'unsafe', c.fix.caveat ?? 'may change what the automation does; select it after reviewing'));
  }

  // Preview and confirm against current text: re-scan what changed, resolve pins, combine.
  const fresh = await freshen(posture, selected);
  left.push(...fresh.left);
  const resolved = await resolveDeferred(fresh.items);
  left.push(...resolved.left);
  if (!resolved.items.length) return finish(log, { status: 'nothing', applied: [], files: [], left }, interactive);

  const wantPreview = args?.preview ?? interactive;
  const wantConfirm = args?.confirm ?? interactive;
  const previewDocs: vscode.Uri[] = [];
  if (wantPreview || wantConfirm) {
    ensurePreviewProvider(svc.context.subscriptions);
    const shown: { folder: string; uri: vscode.Uri; before: vscode.Uri; after: vscode.Uri; path: string; created: boolean }[] = [];
    const byState = new Map<(typeof resolved.items)[number]['state'], FixItem[]>();
    for (const i of resolved.items) byState.set(i.state, [...(byState.get(i.state) ?? []), i]);
    let count = 0;
    const multiFolder = byState.size > 1;
    for (const [state, items] of byState) {
      const plan = combineChoices(items);
      count += plan.taken.length;
      for (const f of fixedFiles(plan.byFile, (p) => state.scan?.files.get(p)?.text)) {
        const uri = state.snapshot.uriOf(f.path);
        // Both sides are previews with the same path: the changes editor shows a rename (the old name
        // struck through, "R") whenever the two paths differ, and the workspace file's path is not a
        // preview's. The left side is the text the scan saw, which the fixes are offsets into.
        const shownPath = `${multiFolder ? state.folder.name + '/' : ''}${f.path}`;
        const before = previewUri(f.created ? `empty/${f.path}` : shownPath, f.before ?? '');
        const after = previewUri(shownPath, f.after);
        shown.push({ folder: state.folder.name, uri, before, after, path: f.path, created: f.created });
        previewDocs.push(after, before);
      }
    }
    if (wantPreview) await showPreview(shown);
    if (wantConfirm) {
      // Not modal: the diff stays readable and scrollable while the question waits in a notification,
      // and nothing is written until Apply is pressed.
      log.info(`Review fixes: ${resolved.items.map((i) => `${plainText(i.fix.title)}${i.fix.safe ? '' : ' (review needed)'} — ${whereOf(i as Candidate, byState.size > 1)}`).join('; ')}`);
      const answer = await vscode.window.showInformationMessage(
        `Steward: apply ${count} fix${count === 1 ? '' : 'es'} to ${shown.length} file${shown.length === 1 ? '' : 's'}? Read the diff first; the files are saved, nothing is committed.`,
        'Apply',
        'Cancel',
      );
      if (answer !== 'Apply') {
        await closeAll(previewDocs);
        return { status: 'cancelled', applied: [], files: [], left: [] };
      }
    }
  }

  const outcome = await applyItems(posture, resolved.items, { save: true });
  if (previewDocs.length) await closeAll(previewDocs);
  left.push(...outcome.left);
  const status = outcome.status === 'refused' ? 'refused' : outcome.status === 'stale' ? 'stale' : outcome.applied.length ? 'applied' : 'nothing';
  return finish(log, { status, applied: outcome.applied.map((i) => i.fix.title), files: [...new Set(outcome.files)], left }, interactive);
}

function finish(log: vscode.LogOutputChannel, r: FixPaletteResult, interactive: boolean): FixPaletteResult {
  const s = summarize(r.applied.length, r.files.length, r.left);
  r.message = s.message;
  log.info(`Fix…: ${s.message}${s.detail ? '\n' + s.detail : ''}`);
  if (interactive) {
    if (r.left.length) {
      void vscode.window.showInformationMessage(s.message, 'Show details').then((a) => a && log.show(true));
    } else void vscode.window.showInformationMessage(s.message);
  }
  return r;
}
