import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { githubEndpoints, gitRepoUrl } from '../../github/urls';
import { CloneError, shallowClone } from '../../survey/clone';
import type { RankedRepo } from '../../survey/rank';
import type { SurveyProgress } from '../../survey/run';
import type { RegistryEndpoints } from '../../survey/setup';
import { runContribution, type ContributeResult } from '../contribution/contribute';
import { onlineBlocked, type OnlineOverride } from '../online/onlineAccess';
import { VsCodePrompter, type Prompter } from '../shared/prompter';
import type { HandlerFactory, Services } from '../shared/services';
import { readSettings } from '../shared/settings';
import { chooseFolder, uriOf } from '../shared/workspaceFolder';
import { DEPENDENCIES_VIEW_ID } from '../shared/commands';
import type { SurveyOutcome } from './service';
import type { DepNode } from './tree';

// `Steward: Survey dependencies` and the two actions of a repository row. The survey runs behind a
// cancellable progress notification with counts; "Open posture" and "Prepare contribution" clone the
// repository (shallow, through the locked-down git) into a folder the user picks, then continue in the
// existing flows: the folder is opened (or added to the workspace) and the Posture view scans it, or
// the "Prepare security contribution…" dialog starts on it with the suggested first concern.

export interface SurveyCommandOptions {
  folder?: vscode.Uri;
  /** Tests: GitHub base URL and token source instead of the editor's sign-in. */
  online?: OnlineOverride;
  registries?: RegistryEndpoints;
  fresh?: boolean;
  prompter?: Prompter;
}

export interface CloneCommandOptions {
  prompter?: Prompter;
  /** Tests: GitHub base URL and token source (the contribution flow after the clone uses them too). */
  online?: OnlineOverride;
  /** Tests: the contribution dialog's options (e.g. how long to wait for a fork). */
  forkWaitMs?: number;
}

export interface CloneCommandResult {
  outcome: 'opened' | 'added' | 'cloned' | 'cancelled' | 'failed' | 'refused';
  dir?: string;
  reused?: boolean;
  error?: string;
  contribution?: ContributeResult;
}

function progressText(p: SurveyProgress): string {
  const what = p.phase === 'registries' ? 'packages looked up' : 'repositories surveyed';
  return `${p.done}/${p.total} ${what}${p.failed ? ` · ${p.failed} failed` : ''}`;
}

export const surveyDependencies: HandlerFactory = (svc: Services) => async (arg?: SurveyCommandOptions): Promise<SurveyOutcome | undefined> => {
  const opts = arg && typeof arg === 'object' && !(arg instanceof vscode.Uri) ? arg : {};
  const prompter = opts.prompter ?? new VsCodePrompter();
  const target = await chooseFolder(arg instanceof vscode.Uri ? arg : opts, prompter, 'Survey dependencies');
  if (!target) return undefined;
  const folder = uriOf(target);
  if (folder.scheme !== 'file') {
    void vscode.window.showErrorMessage('Steward: the dependency survey reads lockfiles from a local folder; this workspace is virtual or remote.');
    return undefined;
  }
  void vscode.commands.executeCommand(`${DEPENDENCIES_VIEW_ID}.focus`);
  const outcome = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: 'Steward: surveying dependencies', cancellable: true },
    async (progress, token) => {
      const ac = new AbortController();
      const sub = token.onCancellationRequested(() => ac.abort());
      // One bar for both phases: registry look-ups fill the first 30 %, repositories the rest.
      let last = 0;
      try {
        return await svc.dependencies.survey({
          folder,
          online: opts.online,
          registries: opts.registries,
          fresh: opts.fresh,
          signal: ac.signal,
          onProgress: (p) => {
            const share = p.total ? p.done / p.total : 1;
            const at = p.phase === 'registries' ? 30 * share : 30 + 70 * share;
            progress.report({ message: progressText(p), increment: Math.max(0, at - last) });
            last = Math.max(last, at);
          },
        });
      } finally {
        sub.dispose();
      }
    },
  );
  const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
  if (outcome.kind === 'complete') {
    const r = outcome.report;
    void vscode.window.showInformationMessage(`Steward: surveyed ${plural(r.totals.surveyed, 'repository', 'repositories')}: ${r.ranked.length ? `${plural(r.ranked.length, 'place')} where one contribution helps, best first in the Dependencies view` : 'none needs a contribution Steward can prepare'}.`);
  } else if (outcome.kind === 'stopped') {
    if (outcome.cancelled) void vscode.window.showInformationMessage(`Steward: survey ${outcome.why}.`);
    else void vscode.window.showWarningMessage(`Steward: survey ${outcome.why}.`);
  } else if (outcome.kind === 'offline') {
    void vscode.window.showInformationMessage(`Steward: ${outcome.why}: the Dependencies view lists the ${plural(outcome.dependencies, 'dependency', 'dependencies')} from the lockfiles without surveying them.`);
  } else void vscode.window.showInformationMessage(`Steward: ${outcome.why}.`);
  return outcome;
};

function entryOf(node: unknown): RankedRepo | undefined {
  const n = node as DepNode | undefined;
  return n && typeof n === 'object' && n.kind === 'repo' ? n.entry : undefined;
}

/** Where the clone goes: the picked folder when it is empty (or already this clone), else a new folder in it. */
async function destination(picked: string, repo: string): Promise<string> {
  const entries = await fs.readdir(picked).catch(() => undefined);
  if (!entries || entries.length === 0) return picked;
  if (path.basename(picked).toLowerCase() === repo.toLowerCase() && entries.includes('.git')) return picked;
  return path.join(picked, repo);
}

async function cloneEntry(svc: Services, node: unknown, opts: CloneCommandOptions, action: string): Promise<{ dir?: string; reused?: boolean; result?: CloneCommandResult; entry?: RankedRepo }> {
  const entry = entryOf(node);
  if (!entry) {
    void vscode.window.showInformationMessage(`Steward: ${action.toLowerCase()} works on a repository of the Dependencies view: run "Steward: Survey dependencies" first.`);
    return { result: { outcome: 'cancelled' } };
  }
  const blocked = onlineBlocked();
  if (blocked) {
    void vscode.window.showErrorMessage(`Steward: cloning ${entry.owner}/${entry.repo} needs the network: ${blocked}.`);
    return { result: { outcome: 'refused', error: blocked } };
  }
  const prompter = opts.prompter ?? new VsCodePrompter();
  const picked = await prompter.chooseFolder({ id: 'cloneInto', title: `${action}: clone ${entry.owner}/${entry.repo} into…`, openLabel: 'Clone here' });
  if (!picked) return { result: { outcome: 'cancelled' } };
  if (picked.scheme !== 'file') {
    void vscode.window.showErrorMessage('Steward: pick a folder on this machine to clone into.');
    return { result: { outcome: 'refused' } };
  }
  const dest = await destination(picked.fsPath, entry.repo);
  const base = opts.online?.url ?? svc.dependencies.state?.githubUrl ?? readSettings().settings.githubUrl;
  const url = gitRepoUrl(githubEndpoints(base), entry.owner, entry.repo);
  const label = `${entry.owner}/${entry.repo}`;
  try {
    const r = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Steward: cloning ${label} (latest commit only)…` }, () => shallowClone({ url, dest, label }));
    svc.log.info(`${r.reused ? 'reused the clone of' : 'cloned'} ${label} in ${r.dir}`);
    return { dir: r.dir, reused: r.reused, entry };
  } catch (e) {
    const message = e instanceof CloneError ? e.message : (e instanceof Error ? e.message : String(e)).split('\n')[0];
    void vscode.window.showErrorMessage(`Steward: ${message}`);
    return { result: { outcome: 'failed', error: message } };
  }
}

export const openDependencyPosture: HandlerFactory = (svc: Services) => async (node?: unknown, extra?: CloneCommandOptions): Promise<CloneCommandResult> => {
  const opts = extra ?? {};
  const c = await cloneEntry(svc, node, opts, 'Open posture');
  if (c.result) return c.result;
  const dir = vscode.Uri.file(c.dir!);
  const prompter = opts.prompter ?? new VsCodePrompter();
  const choice = await prompter.notify({
    id: 'openCloned',
    message: `Steward: ${c.reused ? 'using the clone' : 'cloned'} ${c.entry!.owner}/${c.entry!.repo} in ${c.dir}. Open it to see its posture.`,
    actions: ['Open in New Window', 'Add to Workspace'],
  });
  if (choice === 'Add to Workspace') {
    const n = vscode.workspace.workspaceFolders?.length ?? 0;
    if (!vscode.workspace.getWorkspaceFolder(dir)) vscode.workspace.updateWorkspaceFolders(n, 0, { uri: dir });
    void vscode.commands.executeCommand('steward.posture.focus');
    return { outcome: 'added', dir: c.dir, reused: c.reused };
  }
  if (choice === 'Open in New Window') {
    await vscode.commands.executeCommand('vscode.openFolder', dir, { forceNewWindow: true });
    return { outcome: 'opened', dir: c.dir, reused: c.reused };
  }
  return { outcome: 'cloned', dir: c.dir, reused: c.reused };
};

export const prepareDependencyContribution: HandlerFactory = (svc: Services) => async (node?: unknown, extra?: CloneCommandOptions): Promise<CloneCommandResult> => {
  const opts = extra ?? {};
  const c = await cloneEntry(svc, node, opts, 'Prepare contribution');
  if (c.result) return c.result;
  // The existing dialog, on the clone, with the survey's suggested first pull request pre-selected.
  const contribution = await runContribution(svc, { folder: vscode.Uri.file(c.dir!), concern: c.entry!.first?.concern, prompter: opts.prompter, online: opts.online, forkWaitMs: opts.forkWaitMs });
  return { outcome: 'cloned', dir: c.dir, reused: c.reused, contribution };
};
