import * as vscode from 'vscode';
import { createGitHubServices, gatherRepoFacts, type GitHubServices, type TokenProvider } from '../../github';
import type { RepoFacts } from '../../core/model/facts';
import type { Services } from '../shared/services';
import { readSettings } from '../shared/settings';

// GitHub access for the contribution, SECURITY.md, insights and settings-request commands: the
// steward.github.url setting, the token of the editor's GitHub sign-in (svc.github.tokens, silent
// unless the user asked for something that needs it; an interactive sign-in goes through
// svc.online.signIn so the Posture view learns about it too), and nothing at all in Restricted Mode or
// with steward.online.enabled off.

/** Tests (and callers that already hold a token) replace the sign-in with a fixed URL and provider. */
export interface OnlineOverride {
  url: string;
  tokenProvider: TokenProvider;
}

export interface OnlineAccess {
  services: GitHubServices;
  /** A token is available (forks, pull requests and issues need one). */
  signedIn: boolean;
  url: string;
  tokenProvider: TokenProvider;
}

/** Why online features are off here, or undefined when they may be used. */
export function onlineBlocked(): string | undefined {
  if (!vscode.workspace.isTrusted) return 'Restricted Mode: no network requests until you trust this workspace';
  if (!readSettings().settings.onlineEnabled) return 'online features are turned off (steward.online.enabled)';
  return undefined;
}

/**
 * GitHub services for this workspace, or undefined when online features are off. With `interactive`,
 * VS Code may ask the user to sign in; otherwise only an existing session is used.
 */
export async function githubAccess(svc: Services, opts: { interactive?: boolean; override?: OnlineOverride } = {}): Promise<OnlineAccess | undefined> {
  if (onlineBlocked()) return undefined;
  const url = opts.override?.url ?? readSettings().settings.githubUrl;
  let token: string | undefined;
  if (opts.override) token = await opts.override.tokenProvider.getToken({ interactive: opts.interactive });
  else {
    if (opts.interactive && !(await svc.github.tokens.getToken())) {
      try {
        await svc.online.signIn();
      } catch (e) {
        svc.log.info(`sign-in not completed: ${e instanceof Error ? e.message : String(e)}`);
      }
      svc.github.tokens.reset();
    }
    token = await svc.github.tokens.getToken();
  }
  const fixed: TokenProvider = { getToken: async () => token };
  const services = createGitHubServices({ url, token, tokenProvider: fixed, cacheDir: svc.context.globalStorageUri?.fsPath, retryBaseMs: opts.override ? 1 : undefined });
  return { services, signedIn: !!token, url, tokenProvider: fixed };
}

/** Repository facts (private vulnerability reporting, permissions) for a local checkout, best effort. */
export async function repoFactsFor(dir: string, access: OnlineAccess | undefined): Promise<RepoFacts | undefined> {
  if (!access) return undefined;
  try {
    const r = await gatherRepoFacts({ git: access.services.git, github: access.services.github, dir, cache: access.services.cache });
    return r.facts;
  } catch {
    return undefined;
  }
}
