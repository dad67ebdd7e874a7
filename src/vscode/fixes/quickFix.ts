import * as vscode from 'vscode';
import type { RescanArgs } from './codeActions';
import { applyItems, itemsFromRefs, type FixRefArgs } from './fixApply';
import { summarize } from './fixPlan';
import type { HandlerFactory } from '../shared/services';

// Internal commands behind the quick fixes. `applyFixRefs` applies fixes named by reference (deferred
// ones are resolved first); `rescanFiles` follows a quick fix whose edit VS Code applied itself, so the
// diagnostics match the new text without waiting for a save.

export const applyFixRefs: HandlerFactory = (svc) => async (args?: FixRefArgs & { save?: boolean }) => {
  if (!args?.folder || !Array.isArray(args.refs)) return undefined;
  const { items, missing } = itemsFromRefs(svc.posture, args);
  const outcome = await applyItems(svc.posture, items, { save: args.save ?? false });
  const left = [...outcome.left, ...missing.map((r) => ({ ruleId: r.ruleId, title: r.title, file: r.file, line: r.line, why: 'stale' as const, detail: 'the finding is no longer reported; the file changed or it was fixed already' }))];
  if (outcome.status === 'applied') {
    const s = summarize(outcome.applied.length, new Set(outcome.files).size, left);
    if (left.length) void vscode.window.showWarningMessage(s.message, { detail: s.detail });
    else vscode.window.setStatusBarMessage(`$(check) ${s.message}`, 5000);
  }
  return { status: outcome.status, applied: outcome.applied.map((i) => i.fix.title), files: outcome.files, left };
};

export const rescanFiles: HandlerFactory = (svc) => async (args?: RescanArgs) => {
  const state = svc.posture.folders().find((s) => s.folder.uri.toString() === args?.folder);
  if (state) await svc.posture.scanFolder(state, args?.files ?? []);
};
