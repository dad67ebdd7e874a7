import * as vscode from 'vscode';
import type { HandlerFactory } from '../shared/services';

/** Full re-scan of every repository folder, with progress in the view. */
export const scan: HandlerFactory = (svc) => async () => {
  await vscode.window.withProgress({ location: { viewId: 'steward.posture' }, title: 'Scanning' }, () => svc.posture.scanAll());
  const s = svc.view.tree.score();
  vscode.window.setStatusBarMessage(`Steward: scan finished — Essentials ${s.passed}/${s.checked}`, 4000);
};
