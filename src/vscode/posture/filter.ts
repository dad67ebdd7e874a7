import * as vscode from 'vscode';
import type { HandlerFactory } from '../shared/services';

// "Failing only" hides passing and not-applicable checks. The context key switches the title button.
function setFilter(failingOnly: boolean): HandlerFactory {
  return (svc) => async () => {
    svc.view.tree.failingOnly = failingOnly;
    await svc.context.workspaceState.update('steward.failingOnly', failingOnly);
    await vscode.commands.executeCommand('setContext', 'steward.failingOnly', failingOnly);
    svc.view.update();
  };
}

export const showFailingOnly = setFilter(true);
export const showAll = setFilter(false);
