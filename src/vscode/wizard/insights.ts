import * as vscode from 'vscode';
import { DiskSnapshot } from '../../core/repo/disk';
import { planInsights } from '../../core/insights';
import { RESTRICTED_REASON } from '../fixes/fixes';
import { githubAccess, repoFactsFor, type OnlineOverride } from '../online/onlineAccess';
import { ensurePreviewProvider } from '../shared/preview';
import { VsCodePrompter, type Prompter } from '../shared/prompter';
import { previewAndWrite } from './securityMdWizard';
import type { HandlerFactory, Services } from '../shared/services';
import { chooseFolder, uriOf, type FolderArg } from '../shared/workspaceFolder';
import { WorkspaceSnapshot } from '../shared/workspaceSnapshot';

// `Steward: Generate security-insights.yml`: the Security Insights 2.0 file filled from the repository
// (URLs, licence, policy and contributing links, release tools found in workflows). An existing file is
// refreshed, keeping every hand-written value, comment and extra key; the change is shown as a diff.

export interface InsightsOptions extends FolderArg {
  prompter?: Prompter;
  online?: OnlineOverride | false;
  /** Fixed date for last-updated (tests). */
  today?: string;
}

export interface InsightsResult {
  outcome: 'written' | 'unchanged' | 'cancelled' | 'refused' | 'failed';
  path?: string;
  text?: string;
  reason?: string;
}

export async function runInsights(svc: Services, arg: unknown): Promise<InsightsResult> {
  const opts = (arg && typeof arg === 'object' ? arg : {}) as InsightsOptions;
  const prompter = opts.prompter ?? new VsCodePrompter();
  if (!vscode.workspace.isTrusted) {
    void vscode.window.showWarningMessage(RESTRICTED_REASON, 'Manage Workspace Trust').then((a) => a && vscode.commands.executeCommand('workbench.trust.manage'));
    return { outcome: 'refused' };
  }
  ensurePreviewProvider(svc.context.subscriptions);
  const target = await chooseFolder(arg, prompter, 'Generate security-insights.yml');
  if (!target) return { outcome: 'cancelled' };
  const folder = uriOf(target);
  const snapshot = target instanceof vscode.Uri ? new DiskSnapshot(folder.fsPath) : (svc.posture.stateFor(folder)?.snapshot ?? new WorkspaceSnapshot(target));
  const access = opts.online === false || folder.scheme !== 'file' ? undefined : await githubAccess(svc, { override: opts.online });
  const facts = folder.scheme === 'file' ? await repoFactsFor(folder.fsPath, access) : undefined;
  const plan = await planInsights(snapshot, { facts, today: opts.today });
  if (!plan.ok) {
    void prompter.notify({ id: 'insights-failed', level: 'error', message: `Steward: cannot generate security-insights.yml: ${plan.reason}.`, actions: [] });
    return { outcome: 'failed', path: plan.path, reason: plan.reason };
  }
  const outcome = await previewAndWrite(prompter, {
    folder,
    path: plan.path,
    before: plan.before,
    after: plan.after,
    what: 'generated Security Insights file',
    replace: {
      message: `Update ${plan.path}?`,
      detail: 'The diff shows what Steward adds or refreshes (missing fields, last-updated). Values, comments and keys you wrote by hand are kept.',
      action: 'Update',
    },
  });
  if (outcome === 'written') {
    const state = svc.posture.stateFor(folder);
    if (state) await svc.posture.scanFolder(state);
    void vscode.window.showInformationMessage(`Steward ${plan.before === undefined ? 'wrote' : 'refreshed'} ${plan.path}. Review the contacts and statements before committing.`);
  }
  return { outcome, path: plan.path, text: plan.after };
}

export const generateInsights: HandlerFactory = (svc) => (arg?: unknown) => runInsights(svc, arg);
