import * as vscode from 'vscode';
import type { HandlerFactory } from '../shared/services';

/** Signs in to GitHub through VS Code's account prompt; OnlineService then re-reads repository facts. */
export const signIn: HandlerFactory = (svc) => async () => {
  if (!(await svc.online.signIn())) return false;
  // Pin resolution asks the same VS Code session again on its next request.
  svc.github.tokens.reset();
  vscode.window.setStatusBarMessage('$(github) Steward: signed in to GitHub', 5000);
  return true;
};
