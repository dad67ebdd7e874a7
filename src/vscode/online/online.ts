import * as vscode from 'vscode';
import type { ActionLookup } from '../../core/model/actions';
import { createGitHubServices, gatherRepoFacts, type FactsResult, type GitHubServices } from '../../github';
import type { StewardSettings } from '../shared/settings';

// Online features in the editor: repository facts (private vulnerability reporting, branch protection,
// ...) and the action audits' lookups (advisories, tags, archived, releases: the same GitHubActionLookup
// the command line uses) from the GitHub API, with the token of the user's VS Code GitHub session when
// they signed in, or anonymously. The token stays in memory and is never logged. Off in Restricted Mode and when steward.online.enabled is false: then no git and no
// network, and the checks that need facts say why they are unknown.

const SCOPES = ['repo'];
/** A silent session lookup must never hold up a scan (e.g. no GitHub provider in this editor). */
const SILENT_LOOKUP_MS = 3000;

export class OnlineService implements vscode.Disposable {
  private session?: vscode.AuthenticationSession;
  private services?: { key: string; svc: GitHubServices };
  private readonly emitter = new vscode.EventEmitter<void>();
  private readonly disposables: vscode.Disposable[] = [this.emitter];
  /** Fires when sign-in state changes (facts may differ now). */
  readonly onDidChange = this.emitter.event;

  constructor(
    private readonly storageDir: vscode.Uri | undefined,
    private readonly log: vscode.LogOutputChannel,
    private readonly settings: () => StewardSettings,
  ) {
    this.disposables.push(
      vscode.authentication.onDidChangeSessions((e) => {
        if (e.provider.id === 'github') void this.lookUp().then(() => this.emitter.fire());
      }),
    );
    this.updateContext();
    void this.lookUp();
  }

  get signedIn(): boolean {
    return !!this.session;
  }

  /** Why online features cannot run right now, or undefined when they can. */
  unavailableReason(): string | undefined {
    if (!vscode.workspace.isTrusted) return 'Restricted Mode: Steward makes no network requests until you trust this workspace';
    if (!this.settings().onlineEnabled) return 'online features are turned off (setting steward.online.enabled)';
    return undefined;
  }

  updateContext(): void {
    void vscode.commands.executeCommand('setContext', 'steward.signedIn', this.signedIn);
    void vscode.commands.executeCommand('setContext', 'steward.onlineAvailable', this.unavailableReason() === undefined);
  }

  async factsFor(folder: vscode.WorkspaceFolder): Promise<FactsResult> {
    const why = this.unavailableReason();
    if (why) return { factsUnavailable: why };
    if (folder.uri.scheme !== 'file') return { factsUnavailable: 'repository facts need a local git checkout' };
    const svc = this.servicesFor();
    try {
      return await gatherRepoFacts({ git: svc.git, github: svc.github, dir: folder.uri.fsPath, cache: svc.cache });
    } catch (e) {
      const msg = e instanceof Error ? e.message : String(e);
      this.log.warn(`repository facts for ${folder.name}: ${msg}`);
      return { factsUnavailable: msg };
    }
  }

  /**
   * The lookups the online action audits make (known-vulnerable-actions, impostor-commit, ...), or why
   * there are none. They are about the actions the workflows use, not this repository, so they need no
   * GitHub remote and work for any folder; one lookup per base URL and session, so its memory and disk
   * cache serve every scan.
   */
  actionsFor(): { actions?: ActionLookup; actionsUnavailable?: string } {
    const why = this.unavailableReason();
    if (why) return { actionsUnavailable: why };
    try {
      return { actions: this.servicesFor().actions };
    } catch (e) {
      const msg = e instanceof Error ? e.message : String(e);
      this.log.warn(`action lookups: ${msg}`);
      return { actionsUnavailable: msg };
    }
  }

  /** Asks VS Code for a GitHub session (the user sees VS Code's own sign-in flow). */
  async signIn(): Promise<boolean> {
    const why = this.unavailableReason();
    if (why) {
      void vscode.window.showWarningMessage(`Steward: ${why}.`);
      return false;
    }
    this.session = await vscode.authentication.getSession('github', SCOPES, { createIfNone: true });
    this.services = undefined;
    this.updateContext();
    this.log.info(`signed in to GitHub as ${this.session.account.label}`);
    this.emitter.fire();
    return true;
  }

  private servicesFor(): GitHubServices {
    const url = this.settings().githubUrl;
    const key = `${url}\u0000${this.session?.id ?? 'anonymous'}`;
    if (this.services?.key !== key) {
      const token = this.session?.accessToken;
      this.services = {
        key,
        svc: createGitHubServices({ url, tokenProvider: { getToken: async () => token }, cacheDir: this.storageDir?.fsPath }),
      };
    }
    return this.services.svc;
  }

  private async lookUp(): Promise<void> {
    try {
      const found = await Promise.race([
        vscode.authentication.getSession('github', SCOPES, { silent: true }),
        new Promise<undefined>((r) => setTimeout(() => r(undefined), SILENT_LOOKUP_MS)),
      ]);
      if (found?.id !== this.session?.id) this.services = undefined;
      this.session = found;
    } catch (e) {
      this.log.info(`no GitHub session: ${e instanceof Error ? e.message : String(e)}`);
      this.session = undefined;
    }
    this.updateContext();
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
