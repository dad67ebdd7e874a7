import * as vscode from 'vscode';
import { CHECKS } from '../../core/checks';
import { Engine } from '../../core/engine';
import type { CheckResult } from '../../core/model';
import { DiskSnapshot } from '../../core/repo/disk';
import { gatherProjectFacts } from '../../core/security-md/propose';
import { snapshotReader } from '../../core/security-md';
import { buildSettingsRequest, SETTING_CHECKS, settingStatesFromResults, type SettingsRequest } from '../../core/settings-request';
import { githubAccess, onlineBlocked, repoFactsFor, type OnlineOverride } from '../online/onlineAccess';
import { BACK, VsCodePrompter, type Prompter } from '../shared/prompter';
import type { HandlerFactory, Services } from '../shared/services';
import { chooseFolder, uriOf, type FolderArg } from '../shared/workspaceFolder';
import { WorkspaceSnapshot } from '../shared/workspaceSnapshot';

// `Steward: Request settings from maintainers`: the issue text asking an admin for the settings only
// they can change (private vulnerability reporting, a default-branch ruleset, ...), listing only what is
// off or cannot be checked. Copy it, preview it, or — signed in — open it as an issue through the API.

export interface SettingsRequestOptions extends FolderArg {
  prompter?: Prompter;
  online?: OnlineOverride | false;
}

export interface SettingsRequestResult {
  outcome: 'copied' | 'opened' | 'previewed' | 'cancelled' | 'failed';
  request?: SettingsRequest;
  issueUrl?: string;
}

export async function runSettingsRequest(svc: Services, arg: unknown): Promise<SettingsRequestResult> {
  const opts = (arg && typeof arg === 'object' ? arg : {}) as SettingsRequestOptions;
  const prompter = opts.prompter ?? new VsCodePrompter();
  const target = await chooseFolder(arg, prompter, 'Request settings from maintainers');
  if (!target) return { outcome: 'cancelled' };
  const folder = uriOf(target);
  const snapshot = target instanceof vscode.Uri ? new DiskSnapshot(folder.fsPath) : (svc.posture.stateFor(folder)?.snapshot ?? new WorkspaceSnapshot(target));
  const local = folder.scheme === 'file';
  const access = opts.online === false || !local || onlineBlocked() ? undefined : await githubAccess(svc, { override: opts.online });
  const facts = local ? await repoFactsFor(folder.fsPath, access) : undefined;
  const project = await gatherProjectFacts(snapshotReader(snapshot), { facts });
  const gh = facts ? { owner: facts.owner, repo: facts.repo } : project.github;
  if (!gh) {
    void prompter.notify({ id: 'no-repo', level: 'error', message: 'Steward: cannot tell which GitHub repository this is (no github.com remote or package repository URL).', actions: [] });
    return { outcome: 'failed' };
  }
  // With facts, the settings checks can decide; without, each setting is listed as "could not check".
  const only = Object.values(SETTING_CHECKS).filter((id): id is string => !!id);
  let results: CheckResult[] = [];
  if (facts) {
    const scan = await new Engine(CHECKS).scan(snapshot, { only, facts });
    results = scan.results.filter((r) => only.includes(r.checkId));
  }
  const request = buildSettingsRequest({ owner: gh.owner, repo: gh.repo, states: settingStatesFromResults(results, facts) });
  if (!request.items.length) {
    void prompter.notify({ id: 'nothing', message: `Steward: every setting it checks is already on for ${gh.owner}/${gh.repo}. Nothing to ask for.`, actions: [] });
    return { outcome: 'cancelled', request };
  }
  const canOpen = !!access?.signedIn || (!opts.online && !onlineBlocked());
  const items = [
    ...(canOpen ? [{ label: '$(issues) Open as an issue on GitHub', detail: access?.signedIn ? `Creates the issue in ${gh.owner}/${gh.repo} as you` : 'Asks you to sign in to GitHub, then creates the issue as you', value: 'open' as const }] : []),
    { label: '$(copy) Copy the issue text', detail: 'Title and body to paste into a new issue yourself', value: 'copy' as const },
    { label: '$(preview) Preview the issue text', detail: 'Open it as a Markdown document', value: 'preview' as const },
  ];
  const choice = await prompter.pick({
    id: 'settings-action',
    title: `Request settings from maintainers of ${gh.owner}/${gh.repo}`,
    placeholder: `${request.items.length} setting${request.items.length === 1 ? '' : 's'} to ask for: ${request.title}`,
    items,
  });
  if (choice === undefined || choice === BACK) return { outcome: 'cancelled', request };
  if (choice === 'copy') {
    await vscode.env.clipboard.writeText(`${request.title}\n\n${request.body}`);
    vscode.window.setStatusBarMessage('$(check) Steward copied the settings request', 5000);
    return { outcome: 'copied', request };
  }
  if (choice === 'preview') {
    const doc = await vscode.workspace.openTextDocument({ language: 'markdown', content: `# ${request.title}\n\n${request.body}` });
    await vscode.window.showTextDocument(doc, { preview: true });
    return { outcome: 'previewed', request };
  }
  const signed = access?.signedIn ? access : await githubAccess(svc, { interactive: true, override: opts.online || undefined });
  if (!signed?.signedIn) {
    void prompter.notify({ id: 'not-signed-in', level: 'warning', message: 'Steward: not signed in to GitHub, so the issue was not opened. Copy the text instead.', actions: [] });
    return { outcome: 'cancelled', request };
  }
  try {
    const { data } = await signed.services.github.request<{ number: number; html_url: string }>('POST /repos/{owner}/{repo}/issues', { owner: gh.owner, repo: gh.repo, title: request.title, body: request.body });
    const open = await prompter.notify({ id: 'issue-opened', message: `Steward opened issue #${data.number} in ${gh.owner}/${gh.repo}.`, actions: ['Open issue'] });
    if (open === 'Open issue') await vscode.env.openExternal(vscode.Uri.parse(data.html_url));
    return { outcome: 'opened', request, issueUrl: data.html_url };
  } catch (e) {
    void prompter.notify({ id: 'issue-failed', level: 'error', message: `Steward: could not open the issue: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}. Copy the text instead.`, actions: [] });
    return { outcome: 'failed', request };
  }
}

export const requestSettings: HandlerFactory = (svc) => (arg?: unknown) => runSettingsRequest(svc, arg);
