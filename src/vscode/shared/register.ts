import * as vscode from 'vscode';
import { COMMANDS, type CommandId, type CommandSpec } from './commands';
import { refusedInRestrictedMode } from './trust';
import { explain } from '../posture/explain';
import { showAll, showFailingOnly } from '../posture/filter';
import { fix } from '../fixes/fix';
import { fixWorkspace } from '../fixes/fixWorkspace';
import { applyFixRefs, rescanFiles } from '../fixes/quickFix';
import { getStarted } from './getStarted';
import { goToLocation } from '../posture/goToLocation';
import { ignore } from '../posture/ignore';
import { signIn } from '../online/signIn';
import { scan } from '../posture/scan';
import { prepareContribution } from '../contribution/contribute';
import { generateInsights } from '../wizard/insights';
import { generateSecurityMd } from '../wizard/securityMdWizard';
import { requestSettings } from '../contribution/settingsRequest';
import { openDependencyPosture, prepareDependencyContribution, surveyDependencies } from '../dependencies/commands';
import type { HandlerFactory, Services } from './services';

// Binds every id of the command table to its handler module. Adding a command = one entry in
// commands.ts (+ package.json, kept in sync by a test) and one line here; TypeScript rejects a missing one.
const HANDLERS: Record<CommandId, HandlerFactory> = {
  'steward.scan': scan,
  'steward.goToLocation': goToLocation,
  'steward.fix': fix,
  'steward.fixWorkspace': fixWorkspace,
  'steward.applyFixRefs': applyFixRefs,
  'steward.rescanFiles': rescanFiles,
  'steward.explain': explain,
  'steward.ignore': ignore,
  'steward.showFailingOnly': showFailingOnly,
  'steward.showAll': showAll,
  'steward.getStarted': getStarted,
  'steward.prepareContribution': prepareContribution,
  'steward.generateSecurityMd': generateSecurityMd,
  'steward.generateInsights': generateInsights,
  'steward.requestSettings': requestSettings,
  'steward.signIn': signIn,
  'steward.surveyDependencies': surveyDependencies,
  'steward.dependencyOpenPosture': openDependencyPosture,
  'steward.dependencyPrepareContribution': prepareDependencyContribution,
};

export function registerCommands(svc: Services): vscode.Disposable[] {
  return COMMANDS.map((c) => {
    const handler = HANDLERS[c.id](svc);
    const writes = (c as CommandSpec).writes === true;
    return vscode.commands.registerCommand(c.id, async (...args: unknown[]) => {
      // Restricted Mode: the menus hide these commands, and a keybinding, a link or another extension
      // that runs one anyway is refused here, before the handler can touch a file.
      if (writes && refusedInRestrictedMode(c.title)) return 'restricted';
      try {
        return await handler(...args);
      } catch (e) {
        const msg = e instanceof Error ? e.message : String(e);
        svc.log.error(`${c.id} failed: ${e instanceof Error ? e.stack : msg}`);
        void vscode.window.showErrorMessage(`Steward: ${c.title} failed: ${msg}`);
        return undefined;
      }
    });
  });
}
