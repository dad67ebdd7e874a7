import * as vscode from 'vscode';
import { COMMANDS, type CommandId } from './commands';
import { explain } from './handlers/explain';
import { showAll, showFailingOnly } from './handlers/filter';
import { fix } from './handlers/fix';
import { fixWorkspace } from './handlers/fixWorkspace';
import { applyFixRefs, rescanFiles } from './handlers/quickFix';
import { getStarted } from './handlers/getStarted';
import { goToLocation } from './handlers/goToLocation';
import { ignore } from './handlers/ignore';
import { signIn } from './handlers/signIn';
import { scan } from './handlers/scan';
import { prepareContribution } from './contribute';
import { generateInsights } from './insights';
import { generateSecurityMd } from './securityMdWizard';
import { requestSettings } from './settingsRequest';
import type { HandlerFactory, Services } from './services';

// Binds every id of the command table to its handler module. Adding a command = one entry in
// commands.ts (+ package.json, kept in sync by a test) and one line here; TypeScript rejects a missing one.
const HANDLERS: Record<CommandId, HandlerFactory> = {
  'steward.scan': scan,
  'steward.refresh': scan,
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
};

export function registerCommands(svc: Services): vscode.Disposable[] {
  return COMMANDS.map((c) => {
    const handler = HANDLERS[c.id](svc);
    return vscode.commands.registerCommand(c.id, async (...args: unknown[]) => {
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
