import * as vscode from 'vscode';
import type { Finding, Fix, TextEdit } from '../../core/model';
import { combineChoices, findFix, isNetworkFailure, leftOf, matchEol, refOf, signInMayHelp, type FixChoice, type FixRef, type LeftItem } from './fixPlan';
import type { RepoScan } from '../../core/engine';
import { applyEdits } from '../../core/fix/apply';
import { checkRepoWrite, readRepoFileForOverwrite, writeRepoFile, WriteRefused } from '../../core/fs/safe-write';
import { decodeText, encodeText } from '../../core/yaml/text';
import type { FolderState, PostureService } from '../posture/posture';

// The one path by which the editor applies fixes: quick fixes, "Fix all in file", the Fix… palette
// command and the Posture tree / Explain view (through fixes.ts). Fix edits are offsets into the text
// the scan saw, so they are applied only to documents that still hold exactly that text (otherwise the
// folder is re-scanned and each fix looked up again, once). Deferred fixes (pinning) are resolved
// first, with progress. Quick fixes land in ONE WorkspaceEdit (one Undo reverts it) for the user to
// save; fixes that are saved at once (Fix…, the tree, Explain) are written through
// src/core/fs/safe-write.ts like every other write, never through a link or outside the folder.

export interface FixItem extends FixChoice {
  state: FolderState;
  /**
   * The scan the fix comes from, when the caller kept it: its edits are offsets into that scan's text,
   * which a newer scan of the folder (finished since) no longer describes. Default: the folder's latest.
   */
  scan?: RepoScan;
}

/** Resolves a deferred fix against the text the scan saw (set by the GitHub layer at activation). */
export type DeferredResolver = (fix: Fix, text: string) => Promise<Fix & { failure?: string }>;

let deferredResolver: DeferredResolver | undefined;
let signInHook: (() => Thenable<unknown>) | undefined;

export function useDeferredResolver(resolve: DeferredResolver | undefined, signIn?: () => Thenable<unknown>): void {
  deferredResolver = resolve;
  signInHook = signIn;
}

export interface ApplyOptions {
  /** Save files that had no unsaved changes before the fix (default true: the fix is what is on disk). */
  save?: boolean;
  /** Re-scan and look fixes up again when a file changed since the scan (default true). */
  retryStale?: boolean;
}

export interface ApplyOutcome {
  status: 'applied' | 'nothing' | 'stale' | 'refused';
  applied: FixItem[];
  left: LeftItem[];
  /** Repository-relative paths changed, per folder name when there are several. */
  files: string[];
  /** The edit that was applied (tests and callers that want to show it). */
  edit?: vscode.WorkspaceEdit;
  /** Why nothing was written (a link on the way, a file outside the folder), in one line. */
  refused?: string;
}

export const RESTRICTED = 'Restricted Mode: Steward changes no files, runs no git and makes no network requests until you trust this workspace.';

function scannedText(item: FixItem, file: string): string | undefined {
  return (item.scan ?? item.state.scan)?.files.get(file)?.text;
}

function filesOf(item: FixItem): string[] {
  const files = item.fix.edits.map((e) => e.file);
  const deferredFile = item.fix.deferred?.data.file;
  if (typeof deferredFile === 'string') files.push(deferredFile);
  else if (item.finding?.location) files.push(item.finding.location.file);
  return [...new Set(files)];
}

function isCreate(item: FixItem, file: string): boolean {
  return item.fix.edits.some((e) => e.file === file && e.create);
}

/** The open (or freshly loaded) document of a file, or undefined when it does not exist. */
async function documentOf(uri: vscode.Uri): Promise<vscode.TextDocument | undefined> {
  const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  if (open) return open;
  try {
    return await vscode.workspace.openTextDocument(uri);
  } catch {
    return undefined;
  }
}

async function exists(uri: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch {
    return false;
  }
}

/** Files of the items whose document no longer holds the text the scan saw. */
async function staleFiles(items: readonly FixItem[]): Promise<Map<FolderState, string[]>> {
  const out = new Map<FolderState, string[]>();
  const seen = new Set<string>();
  for (const item of items) {
    for (const file of filesOf(item)) {
      const key = `${item.state.folder.uri.toString()}\u0000${file}`;
      if (seen.has(key) || isCreate(item, file)) continue;
      seen.add(key);
      const doc = await documentOf(item.state.snapshot.uriOf(file));
      if (!doc || doc.getText() !== scannedText(item, file)) out.set(item.state, [...(out.get(item.state) ?? []), file]);
    }
  }
  return out;
}

/**
 * Re-scans what changed and looks each item up again by rule, file, title and line. Items that cannot
 * be found (the finding is gone, or it was a combined fix) are left as stale.
 */
async function refresh(posture: PostureService, items: readonly FixItem[], stale: Map<FolderState, string[]>): Promise<{ items: FixItem[]; left: LeftItem[] }> {
  for (const [state, files] of stale) await posture.scanFolder(state, files);
  const out: FixItem[] = [];
  const left: LeftItem[] = [];
  for (const item of items) {
    if (!stale.has(item.state)) {
      out.push(item);
      continue;
    }
    const found = item.finding && item.state.scan ? findFix(item.state.scan.findings, refOf(item.finding, item.fix)) : undefined;
    if (found) out.push({ state: item.state, ...found });
    else left.push(leftOf(item, 'stale', 'the file changed since the scan and the finding is no longer reported the same way; scan again and check it'));
  }
  return { items: out, left };
}

/** The items against the current text: files that changed since the scan are re-scanned and the fixes looked up again. */
export async function freshen(posture: PostureService, items: readonly FixItem[]): Promise<{ items: FixItem[]; left: LeftItem[] }> {
  const stale = await staleFiles(items);
  return stale.size ? refresh(posture, items, stale) : { items: [...items], left: [] };
}

/** Resolves the deferred fixes among the items, with a cancellable progress notification. */
export async function resolveDeferred(items: readonly FixItem[]): Promise<{ items: FixItem[]; left: LeftItem[] }> {
  const deferred = items.filter((i) => i.fix.deferred);
  if (!deferred.length) return { items: [...items], left: [] };
  const left: LeftItem[] = [];
  const ready = items.filter((i) => !i.fix.deferred);
  if (!deferredResolver) {
    for (const i of deferred) left.push(leftOf(i, 'needs-network', 'needs online features (GitHub), which are not available here'));
    return { items: ready, left };
  }
  const resolve = deferredResolver;
  const failures: string[] = [];
  await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: 'Steward', cancellable: true },
    async (progress, token) => {
      let done = 0;
      for (const item of deferred) {
        if (token.isCancellationRequested) {
          left.push(leftOf(item, 'needs-network', 'cancelled before it was resolved'));
          continue;
        }
        progress.report({ message: `${item.fix.title} (${++done}/${deferred.length})`, increment: 100 / deferred.length });
        const file = filesOf(item)[0];
        const text = file ? scannedText(item, file) : undefined;
        let r: Fix & { failure?: string };
        try {
          r = text === undefined ? { ...item.fix, failure: `${file ?? 'the file'} was not part of the scan` } : await resolve(item.fix, text);
        } catch (e) {
          r = { ...item.fix, failure: e instanceof Error ? e.message : String(e) };
        }
        if (r.failure || !r.edits.length) {
          const why = r.failure ?? 'the resolver produced no change';
          failures.push(why);
          left.push(leftOf(item, isNetworkFailure(why) ? 'needs-network' : 'failed', why));
          continue;
        }
        ready.push({ ...item, fix: { title: r.title, safe: r.safe, reviewReason: r.reviewReason, edits: r.edits, caveat: r.caveat, evidence: r.evidence } });
      }
    },
  );
  if (failures.length) {
    // Not awaited: the caller goes on to apply what did resolve; the user can sign in and retry.
    const msg = `Steward could not resolve ${failures.length === 1 ? 'a pin' : `${failures.length} pins`}: ${failures[0]}`;
    if (signInHook && failures.some(signInMayHelp)) {
      const hook = signInHook;
      void vscode.window.showWarningMessage(msg, 'Sign in to GitHub').then((a) => (a ? hook() : undefined));
    } else void vscode.window.showWarningMessage(msg);
  }
  return { items: ready, left };
}

/**
 * Builds ONE WorkspaceEdit from concrete fixes: combined per folder (overlapping fixes are left as
 * conflicts), positions from each document's positionAt over the text the scan saw, line endings as
 * in the file. Documents that no longer hold that text make the build fail with `stale`.
 */
export interface Touched {
  state: FolderState;
  file: string;
  doc?: vscode.TextDocument;
  created: boolean;
  /** The text the scan saw (absent for a created file) and the edits into it, line endings matched. */
  scanned?: string;
  edits: TextEdit[];
}

/**
 * Why Steward must not write `file` of a local folder, in one line, or undefined. The same rules as
 * every other write (src/core/fs/safe-write.ts): nothing through a symbolic link (the file or any
 * folder above it), nothing that is not a regular file, nothing outside the workspace folder. VS Code
 * itself would follow the link when the document is saved.
 */
export async function writeRefusal(state: FolderState, file: string): Promise<string | undefined> {
  if (state.folder.uri.scheme !== 'file') return undefined;
  try {
    await checkRepoWrite(state.folder.uri.fsPath, file);
    return undefined;
  } catch (e) {
    if (e instanceof WriteRefused) return `Steward ${e.message}; nothing was changed`;
    throw e;
  }
}

export async function buildWorkspaceEdit(items: readonly FixItem[]): Promise<{ edit: vscode.WorkspaceEdit; taken: FixItem[]; left: LeftItem[]; touched: Touched[]; stale?: string; refused?: string }> {
  const edit = new vscode.WorkspaceEdit();
  const taken: FixItem[] = [];
  const left: LeftItem[] = [];
  const touched: Touched[] = [];
  const byState = new Map<FolderState, FixItem[]>();
  for (const i of items) byState.set(i.state, [...(byState.get(i.state) ?? []), i]);
  for (const [state, list] of byState) {
    const plan = combineChoices(list);
    taken.push(...plan.taken);
    left.push(...plan.left);
    for (const [file, edits] of plan.byFile) {
      const uri = state.snapshot.uriOf(file);
      const refused = await writeRefusal(state, file);
      if (refused) return { edit, taken, left, touched, refused };
      if (edits.some((e) => e.create)) {
        if (await exists(uri)) return { edit, taken, left, touched, stale: `${file} exists now` };
        edit.createFile(uri, { contents: new TextEncoder().encode(concat(edits)) });
        touched.push({ state, file, created: true, edits: [...edits] });
        continue;
      }
      // Every item touching the file must refer to the same text, and the document must still hold it.
      const texts = new Set(list.filter((i) => filesOf(i).includes(file)).map((i) => scannedText(i, file)));
      const scanned = texts.size === 1 ? [...texts][0] : undefined;
      const doc = await documentOf(uri);
      if (!doc || scanned === undefined || doc.getText() !== scanned) return { edit, taken, left, touched, stale: `${file} changed since the last scan` };
      const matched = matchEol(edits, scanned);
      for (const e of matched) edit.replace(uri, new vscode.Range(doc.positionAt(e.start), doc.positionAt(e.end)), e.newText);
      touched.push({ state, file, doc, created: false, scanned, edits: matched });
    }
  }
  return { edit, taken, left, touched };
}

/** A created file's content: its insertions in order (a new file has nothing else). */
function concat(edits: readonly TextEdit[]): string {
  return [...edits].sort((a, b) => a.start - b.start).map((e) => e.newText).join('');
}

/** Resolves, combines, applies as one WorkspaceEdit, saves (optionally) and re-scans. */
export async function applyItems(posture: PostureService, input: readonly FixItem[], opts: ApplyOptions = {}): Promise<ApplyOutcome> {
  if (!vscode.workspace.isTrusted) {
    void vscode.window.showWarningMessage(RESTRICTED, 'Manage Workspace Trust').then((a) => a && vscode.commands.executeCommand('workbench.trust.manage'));
    return { status: 'refused', applied: [], left: [], files: [] };
  }
  let items = [...input];
  const left: LeftItem[] = [];
  const stale = await staleFiles(items);
  if (stale.size) {
    if (opts.retryStale === false) return { status: 'stale', applied: [], left: items.map((i) => leftOf(i, 'stale', 'the file changed since the scan')), files: [] };
    const r = await refresh(posture, items, stale);
    items = r.items;
    left.push(...r.left);
  }
  const resolved = await resolveDeferred(items);
  left.push(...resolved.left);
  if (!resolved.items.length) return { status: 'nothing', applied: [], left, files: [] };
  const built = await buildWorkspaceEdit(resolved.items);
  if (built.stale) {
    // Changed between the check above and now (the user typed while a pin resolved): start over once.
    for (const s of new Set(resolved.items.map((i) => i.state))) await posture.scanFolder(s);
    if (opts.retryStale !== false) return applyItems(posture, input.map((i) => ({ ...i })), { ...opts, retryStale: false });
    return { status: 'stale', applied: [], left: [...left, ...resolved.items.map((i) => leftOf(i, 'stale', built.stale!))], files: [] };
  }
  if (built.refused) {
    void vscode.window.showErrorMessage(built.refused);
    return { status: 'refused', applied: [], left: [...left, ...resolved.items.map((i) => leftOf(i, 'failed', built.refused!))], files: [], refused: built.refused };
  }
  left.push(...built.left);
  if (!built.taken.length) return { status: 'nothing', applied: [], left, files: [] };
  const written = await writeOrEdit(built.touched, opts.save !== false);
  if (written.refused) {
    void vscode.window.showErrorMessage(written.refused);
    return { status: 'refused', applied: [], left, files: [], refused: written.refused };
  }
  if (written.stale) {
    for (const s of new Set(resolved.items.map((i) => i.state))) await posture.scanFolder(s);
    if (opts.retryStale !== false) return applyItems(posture, input.map((i) => ({ ...i })), { ...opts, retryStale: false });
    return { status: 'stale', applied: [], left: [...left, ...resolved.items.map((i) => leftOf(i, 'stale', written.stale!))], files: [] };
  }
  if (written.edit && !(await vscode.workspace.applyEdit(written.edit))) return { status: 'refused', applied: [], left, files: [] };
  const byState = new Map<FolderState, { files: string[]; created: boolean }>();
  for (const t of built.touched) {
    const e = byState.get(t.state) ?? { files: [], created: false };
    e.files.push(t.file);
    e.created ||= t.created;
    byState.set(t.state, e);
  }
  // A created file is not in the engine's remembered path list: re-list everything then.
  for (const [state, e] of byState) await posture.scanFolder(state, e.created ? undefined : e.files);
  // Files a fix created (SECURITY.md, dependabot.yml) are shown, so the user sees what will be committed.
  for (const t of built.touched.filter((x) => x.created).slice(0, 3)) {
    await vscode.window.showTextDocument(t.state.snapshot.uriOf(t.file), { preview: true, preserveFocus: true }).then(undefined, () => undefined);
  }
  const multi = byState.size > 1;
  return { status: 'applied', applied: built.taken, left, files: built.touched.map((t) => (multi ? `${t.state.folder.name}/${t.file}` : t.file)), edit: built.edit };
}

/**
 * Puts the fixed text where it belongs. With `save`, a file of a local folder that has no unsaved
 * changes is written to disk through src/core/fs/safe-write.ts (no links, nothing outside the folder,
 * atomic; encoding, byte-order mark and line endings kept) and the editor reloads it; a created file
 * likewise. A document with unsaved changes, or any file when not saving, gets the edit in the editor
 * instead, for the user to review and save. The disk text must still be what the scan saw, or the
 * result is `stale` and nothing was written.
 */
async function writeOrEdit(touched: readonly Touched[], save: boolean): Promise<{ edit?: vscode.WorkspaceEdit; refused?: string; stale?: string }> {
  const toDisk: { t: Touched; data: Uint8Array }[] = [];
  const edit = new vscode.WorkspaceEdit();
  let edits = 0;
  for (const t of touched) {
    const uri = t.state.snapshot.uriOf(t.file);
    const local = t.state.folder.uri.scheme === 'file' && uri.scheme === 'file';
    if (local && (t.created || (save && !t.doc?.isDirty))) {
      if (t.created) {
        toDisk.push({ t, data: new TextEncoder().encode(concat(t.edits)) });
        continue;
      }
      let bytes: Uint8Array | undefined;
      try {
        bytes = await readRepoFileForOverwrite(t.state.folder.uri.fsPath, t.file);
      } catch (e) {
        if (e instanceof WriteRefused) return { refused: `Steward ${e.message}; nothing was changed` };
        throw e;
      }
      const d = bytes && decodeText(bytes);
      if (!d || d.problem || d.text !== t.scanned) return { stale: `${t.file} changed on disk since the last scan` };
      toDisk.push({ t, data: encodeText(applyEdits(d.text, t.edits), { hadBom: d.hadBom, encoding: d.encoding }) });
      continue;
    }
    if (t.created) edit.createFile(uri, { contents: new TextEncoder().encode(concat(t.edits)) });
    else for (const e of t.edits) edit.replace(uri, new vscode.Range(t.doc!.positionAt(e.start), t.doc!.positionAt(e.end)), e.newText);
    edits++;
  }
  for (const { t, data } of toDisk) {
    try {
      await writeRepoFile(t.state.folder.uri.fsPath, t.file, data);
    } catch (e) {
      if (e instanceof WriteRefused) return { refused: `Steward ${e.message}; the files before it were written` };
      throw e;
    }
  }
  return edits ? { edit } : {};
}

/** The finding a fix object belongs to in its folder's current scan (tree and Explain pass fixes alone). */
export function findingOf(state: FolderState, fix: Fix): Finding | undefined {
  return state.scan?.findings.find((f) => f.fixes.includes(fix));
}

/** Serializable reference to fixes, for command arguments (code actions, tests). */
export interface FixRefArgs {
  folder: string;
  refs: FixRef[];
}

export function itemsFromRefs(posture: PostureService, args: FixRefArgs): { items: FixItem[]; missing: FixRef[] } {
  const state = posture.folders().find((s) => s.folder.uri.toString() === args.folder);
  const items: FixItem[] = [];
  const missing: FixRef[] = [];
  for (const ref of args.refs) {
    const found = state?.scan ? findFix(state.scan.findings, ref) : undefined;
    if (state && found) items.push({ state, ...found });
    else missing.push(ref);
  }
  return { items, missing };
}
