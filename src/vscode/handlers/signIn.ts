import * as vscode from 'vscode';
import type { HandlerFactory } from '../services';

/** Signs in to GitHub through VS Code's account provider, then re-scans so the settings checks use it. */
export const signIn: HandlerFactory = (svc) => async () => {
  const on = svc.github.online();
  if (!on.ok) {
    void vscode.window.showWarningMessage(`Steward cannot sign in: ${on.why}.`);
    return undefined;
  }
  const account = await svc.github.signIn();
  if (!account) return undefined;
  vscode.window.setStatusBarMessage(`$(github) Steward: signed in to GitHub as ${account}`, 5000);
  if (svc.posture.hasStarted) await svc.posture.scanAll();
  return account;
};
