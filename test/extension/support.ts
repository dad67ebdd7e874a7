import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { StewardApi } from '../../src/extension';
import type { PostureNode } from '../../src/vscode/posture/tree';

// Helpers for the extension-host suites: the activated extension's API, the workspace fixture, and a
// flattening of the Posture tree into plain rows that assertions can compare.

export const EXTENSION_ID = 'steward-oss.steward';

export async function stewardApi(): Promise<StewardApi> {
  const ext = vscode.extensions.getExtension<StewardApi>(EXTENSION_ID);
  assert.ok(ext, `extension ${EXTENSION_ID} is loaded`);
  return ext.activate();
}

export function workspaceRoot(): vscode.Uri {
  const f = vscode.workspace.workspaceFolders?.[0];
  assert.ok(f, 'the tests run with the fixture repository open');
  return f.uri;
}

export function fileUri(rel: string): vscode.Uri {
  return vscode.Uri.joinPath(workspaceRoot(), ...rel.split('/'));
}

export interface Row {
  label: string;
  description: string;
  icon?: string;
  color?: string;
  contextValue?: string;
  node: PostureNode;
}

export function rowOf(api: StewardApi, node: PostureNode): Row {
  const item = api.view.tree.getTreeItem(node);
  const label = typeof item.label === 'string' ? item.label : (item.label?.label ?? '');
  const icon = item.iconPath instanceof vscode.ThemeIcon ? item.iconPath : undefined;
  return { label, description: String(item.description ?? ''), icon: icon?.id, color: (icon?.color as { id?: string } | undefined)?.id, contextValue: item.contextValue, node };
}

export async function children(api: StewardApi, node?: PostureNode): Promise<Row[]> {
  const nodes = await api.view.tree.getChildren(node);
  return nodes.map((n) => rowOf(api, n));
}

/** The check rows of a top-level group, by group label, with the folded "N passing" rows opened. */
export async function groupChecks(api: StewardApi, groupLabel: string): Promise<Row[]> {
  const top = await children(api);
  const g = top.find((r) => r.label === groupLabel);
  assert.ok(g, `group "${groupLabel}" in ${JSON.stringify(top.map((r) => r.label))}`);
  return unfold(api, await children(api, g.node));
}

/** Replaces each fold row ("9 passing") by the check rows inside it. */
export async function unfold(api: StewardApi, rows: Row[]): Promise<Row[]> {
  const out: Row[] = [];
  for (const r of rows) out.push(...(r.node.kind === 'fold' ? await children(api, r.node) : [r]));
  return out;
}

export function checkId(row: Row): string {
  return row.node.kind === 'check' ? row.node.row.meta.id : '';
}

/** Resolves on the next posture change (a scan finished). */
export function nextChange(api: StewardApi, timeoutMs = 20_000): Promise<void> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => {
      sub.dispose();
      reject(new Error('no re-scan within ' + timeoutMs + ' ms'));
    }, timeoutMs);
    const sub = api.posture.onDidChange(() => {
      clearTimeout(t);
      sub.dispose();
      resolve();
    });
  });
}

/**
 * Waits until the posture is settled (no scan running or queued: the start-up scan, re-scans after
 * saves and file events included) and `seen` holds; re-checks after every scan. Fails with `what` when
 * the scans stop without `seen` holding. No fixed delays: a loaded machine only makes it slower.
 */
export async function untilScanned(api: StewardApi, what: string, seen: () => boolean | Promise<boolean> = () => true, timeoutMs = 60_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const change = nextChange(api, Math.max(1, end - Date.now())).then(() => true, () => false);
    await api.posture.whenIdle();
    if (await seen()) return;
    // Idle and not there yet: only another scan (a save event still on its way) can change that.
    if (!(await change)) throw new Error(`no scan showed ${what} within ${timeoutMs} ms`);
  }
}

/** The scanned text of a repository file in the first folder. */
export function scannedText(api: StewardApi, rel: string): string | undefined {
  return api.posture.folders()[0]?.scan?.files.get(rel)?.text;
}

/**
 * Changes a document's text as typing would, without depending on an editor: a TextEditor can be
 * replaced (preview tabs) while a loaded machine is slow, and its edit() then does nothing. Asserts
 * that the text is what was asked for.
 */
export async function typeInto(doc: vscode.TextDocument, edits: { range: vscode.Range; text: string }[]): Promise<void> {
  const want = edits.reduceRight((t, e) => t.slice(0, doc.offsetAt(e.range.start)) + e.text + t.slice(doc.offsetAt(e.range.end)), doc.getText());
  const edit = new vscode.WorkspaceEdit();
  for (const e of edits) edit.replace(doc.uri, e.range, e.text);
  assert.ok(await vscode.workspace.applyEdit(edit), `the edit of ${doc.uri.path} applies`);
  assert.equal(doc.getText(), want, `${doc.uri.path} holds the edited text`);
}
