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
