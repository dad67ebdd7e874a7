import * as vscode from 'vscode';
import { createGitHubServices, gatherRepoFacts, githubEndpoints, type GitHubServices, type TokenProvider } from '../github';
import type { RepoFacts } from '../core/model/facts';
import { readSettings } from './settings';

// GitHub access for the contribution, SECURITY.md, insights and settings-request commands: the
// steward.github.url setting, a token from VS Code's GitHub sign-in (silent unless the user asked for
// something that needs it), and nothing at all in Restricted Mode or with steward.online.enabled off.
// (A minimal session provider: when the shared sign-in module lands, this should delegate to it.)

/** The same scopes as the editor's sign-in (one session serves all features; other scopes would ask again). */
export const GITHUB_SCOPES = ['repo'];
/** A silent lookup can hang while the auth extension starts or has no network: never wait longer. */
const SILENT_MS = 4000;

/** Tests (and callers that already hold a token) replace the sign-in with a fixed URL and provider. */
export interface OnlineOverride {
  url: string;
  tokenProvider: TokenProvider;
}

export class SessionTokenProvider implements TokenProvider {
  constructor(private readonly url: string) {}

  private get providerId(): string {
    return githubEndpoints(this.url).host === 'github.com' ? 'github' : 'github-enterprise';
  }

  async getToken(opts: { interactive?: boolean } = {}): Promise<string | undefined> {
    try {
      const session = opts.interactive
        ? await vscode.authentication.getSession(this.providerId, GITHUB_SCOPES, { createIfNone: true })
        : await Promise.race([
            vscode.authentication.getSession(this.providerId, GITHUB_SCOPES, { silent: true }),
            new Promise<undefined>((r) => setTimeout(() => r(undefined), SILENT_MS)),
          ]);
      return session?.accessToken;
    } catch {
      // No provider (offline, GHES without configuration) or the user declined: work without a token.
      return undefined;
    }
  }
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
export async function githubAccess(opts: { interactive?: boolean; override?: OnlineOverride; cacheDir?: string } = {}): Promise<OnlineAccess | undefined> {
  if (onlineBlocked()) return undefined;
  const url = opts.override?.url ?? readSettings().settings.githubUrl;
  const tokenProvider = opts.override?.tokenProvider ?? new SessionTokenProvider(url);
  const token = await tokenProvider.getToken({ interactive: opts.interactive });
  const fixed: TokenProvider = { getToken: async () => token };
  const services = createGitHubServices({ url, token, tokenProvider: fixed, cacheDir: opts.cacheDir, retryBaseMs: opts.override ? 1 : undefined });
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
