import * as vscode from 'vscode';
import { DiagnosticsPublisher } from './vscode/posture/diagnostics';
import { ExplainPanel } from './vscode/posture/explainPanel';
import { FIXABLE_DOCUMENTS, StewardCodeActions } from './vscode/fixes/codeActions';
import { useDeferredResolver } from './vscode/fixes/fixApply';
import { EditorGitHub } from './vscode/online/github';
import { PinHoverProvider, USES_DOCUMENTS } from './vscode/online/hover';
import { OnlineService } from './vscode/online/online';
import { PostureService, isRelevant } from './vscode/posture/posture';
import { registerCommands } from './vscode/shared/register';
import type { Services } from './vscode/shared/services';
import { PostureView } from './vscode/posture/view';
import { DependenciesService } from './vscode/dependencies/service';
import { DependenciesView } from './vscode/dependencies/view';

/** What activate() returns: the services, for the extension-host tests and for other extensions. */
export type StewardApi = Services;

// Composition root: build the services, register everything, hand every disposable to VS Code.
// A workspace with a .github folder is scanned right after start-up (status bar and Problems without
// opening the view); otherwise the first scan starts when the Posture view or a relevant file is shown.
export function activate(context: vscode.ExtensionContext): StewardApi {
  const log = vscode.window.createOutputChannel('Steward', { log: true });
  const posture = new PostureService(log);
  const online = new OnlineService(context.globalStorageUri, log, () => posture.settings);
  posture.setOnline(online);
  const view = new PostureView(posture);
  // Tooltips of fixes that need GitHub (pinning) say so when it cannot be reached, instead of promising them.
  view.tree.offlineReason = (state) => {
    const why = online.unavailableReason() ?? state.facts?.factsUnavailable;
    return why && /restricted|turned off|cannot reach|offline|did not answer|timed? ?out|ENOTFOUND|EAI_AGAIN/i.test(why) ? why : undefined;
  };
  const diagnostics = new DiagnosticsPublisher(posture);
  const explain = new ExplainPanel(context.extensionUri, posture);
  const github = new EditorGitHub(context, log, () => posture.settings);
  // The service reads the other services lazily (GitHub access, logging), so it is built before them.
  let services: Services | undefined;
  const dependencies = new DependenciesService(() => services!);
  const dependenciesView = new DependenciesView(dependencies);
  const svc: Services = (services = { context, log, posture, view, diagnostics, explain, online, github, dependencies, dependenciesView });
  // Quick fixes, pin resolution for every fix path (quick fix, Fix…, tree, Explain), pin evidence hovers.
  useDeferredResolver((fix, text) => github.resolveDeferred(fix, text), () => vscode.commands.executeCommand('steward.signIn'));
  context.subscriptions.push(
    github,
    vscode.languages.registerCodeActionsProvider(FIXABLE_DOCUMENTS, new StewardCodeActions(posture, github), StewardCodeActions.metadata),
    vscode.languages.registerHoverProvider(USES_DOCUMENTS, new PinHoverProvider(github)),
  );
  context.subscriptions.push(log, online, posture, view, diagnostics, explain, dependencies, dependenciesView, ...registerCommands(svc));

  // The "failing only" filter is remembered per workspace.
  const failingOnly = context.workspaceState.get<boolean>('steward.failingOnly', false);
  view.tree.failingOnly = failingOnly;
  void vscode.commands.executeCommand('setContext', 'steward.failingOnly', failingOnly);

  // Opening a workflow (or SECURITY.md, dependabot.yml, ...) is a reason to show its diagnostics.
  const startFor = (editors: readonly vscode.TextEditor[]) => {
    if (posture.hasStarted) return;
    if (editors.some((e) => relevantDoc(posture, e.document.uri))) void posture.ensureStarted();
  };
  context.subscriptions.push(vscode.window.onDidChangeVisibleTextEditors(startFor));
  startFor(vscode.window.visibleTextEditors);
  void startIfGitHubFolder(posture);
  return svc;
}

/** Starts the first scan when a workspace folder has a .github folder (the activation event's case). */
async function startIfGitHubFolder(posture: PostureService): Promise<void> {
  for (const f of vscode.workspace.workspaceFolders ?? []) {
    try {
      const st = await vscode.workspace.fs.stat(vscode.Uri.joinPath(f.uri, '.github'));
      if (st.type & vscode.FileType.Directory) {
        if (!posture.hasStarted) await posture.ensureStarted();
        return;
      }
    } catch {
      // no .github here
    }
  }
}

function relevantDoc(posture: PostureService, uri: vscode.Uri): boolean {
  const f = vscode.workspace.getWorkspaceFolder(uri);
  if (!f) return false;
  const root = f.uri.path.endsWith('/') ? f.uri.path : f.uri.path + '/';
  return uri.path.startsWith(root) && isRelevant(uri.path.slice(root.length)) && !!posture;
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
