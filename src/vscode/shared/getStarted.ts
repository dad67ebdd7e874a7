import * as vscode from 'vscode';
import type { HandlerFactory } from './services';

export const WALKTHROUGH_ID = 'steward-oss.steward#steward.firstContribution';

/** Opens the "Make your first security contribution" walkthrough. */
export const getStarted: HandlerFactory = () => async () => {
  await vscode.commands.executeCommand('workbench.action.openWalkthrough', WALKTHROUGH_ID, false);
};
