import * as vscode from 'vscode';
import type { Fix } from '../../core/model';
import { createGitHubServices, githubEndpoints, type GitHubServices, type ResolvedRef, type TokenProvider } from '../../github';
import type { StewardSettings } from '../shared/settings';

// GitHub for the editor's pinning: a TokenProvider over VS Code's own GitHub authentication provider
// (silent; the sign-in prompt only when the user asks for an online feature), and the GitHub services
// (ref resolver, pin provider) for the configured base URL with the cache in the extension's global
// storage. Online only in a trusted workspace with `steward.online.enabled` on. (Repository facts for
// the settings checks come from OnlineService in online.ts.) The token stays inside VS Code's auth
// provider and this process's memory: never logged or written anywhere.

export const GITHUB_SCOPES = ['repo'];
/** A silent getSession can hang while the auth extension starts (or has no network); never wait longer. */
const SILENT_TIMEOUT_MS = 4000;

function withTimeout<T>(p: Thenable<T>, ms: number, fallback: T): Promise<T> {
  return new Promise<T>((resolve) => {
    const t = setTimeout(() => resolve(fallback), ms);
    Promise.resolve(p).then(
      (v) => {
        clearTimeout(t);
        resolve(v);
      },
      () => {
        clearTimeout(t);
        resolve(fallback);
      },
    );
  });
}

/**
 * Which VS Code authentication provider serves a base URL: 'github' for github.com, 'github-enterprise'
 * when the user pointed VS Code's GitHub Enterprise setting at the same host; otherwise none (anonymous).
 */
export function authProviderFor(baseUrl: string): string | undefined {
  let host: string;
  try {
    host = githubEndpoints(baseUrl).host;
  } catch {
    return undefined;
  }
  if (host === 'github.com') return 'github';
  const ghe = vscode.workspace.getConfiguration('github-enterprise').get<string>('uri');
  try {
    if (ghe && new URL(ghe).host === host) return 'github-enterprise';
  } catch {
    // not a URL: no provider
  }
  return undefined;
}

/** TokenProvider over `vscode.authentication`: silent unless an online feature asked interactively. */
export class VscodeTokenProvider implements TokenProvider, vscode.Disposable {
  private silent?: Promise<string | undefined>;
  private readonly sub: vscode.Disposable;

  constructor(private readonly baseUrl: () => string) {
    // Signing in or out elsewhere in VS Code (Accounts menu) takes effect on the next request.
    this.sub = vscode.authentication.onDidChangeSessions(() => (this.silent = undefined));
  }

  async getToken(opts: { interactive?: boolean } = {}): Promise<string | undefined> {
    const id = authProviderFor(this.baseUrl());
    if (!id) return undefined;
    if (opts.interactive) {
      const s = await vscode.authentication.getSession(id, GITHUB_SCOPES, { createIfNone: true });
      this.silent = Promise.resolve(s.accessToken);
      return s.accessToken;
    }
    this.silent ??= withTimeout(
      vscode.authentication.getSession(id, GITHUB_SCOPES, { silent: true }).then((s) => s?.accessToken),
      SILENT_TIMEOUT_MS,
      undefined,
    );
    return this.silent;
  }

  /** The signed-in account's label, without asking. */
  async account(): Promise<string | undefined> {
    const id = authProviderFor(this.baseUrl());
    if (!id) return undefined;
    const s = await withTimeout(vscode.authentication.getSession(id, GITHUB_SCOPES, { silent: true }), SILENT_TIMEOUT_MS, undefined);
    return s?.account.label;
  }

  reset(): void {
    this.silent = undefined;
  }

  dispose(): void {
    this.sub.dispose();
  }
}

export type OnlineState = { ok: true } | { ok: false; why: string };

export class EditorGitHub implements vscode.Disposable {
  readonly tokens: VscodeTokenProvider;
  private current?: { url: string; services: GitHubServices };

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly log: vscode.LogOutputChannel,
    private readonly settings: () => StewardSettings,
  ) {
    this.tokens = new VscodeTokenProvider(() => this.settings().githubUrl);
  }

  /** Whether Steward may contact GitHub now, and if not, why (said to the user as is). */
  online(): OnlineState {
    if (!vscode.workspace.isTrusted) return { ok: false, why: 'Restricted Mode: Steward makes no network requests until you trust this workspace' };
    if (!this.settings().onlineEnabled) return { ok: false, why: 'online features are off (setting steward.online.enabled)' };
    return { ok: true };
  }

  /** The services for the configured base URL (rebuilt when the setting changes), or undefined offline. */
  services(): GitHubServices | undefined {
    if (!this.online().ok) return undefined;
    const url = this.settings().githubUrl;
    if (this.current?.url !== url) {
      try {
        this.current = { url, services: createGitHubServices({ url, tokenProvider: this.tokens, cacheDir: this.context.globalStorageUri.fsPath }) };
        this.tokens.reset();
      } catch (e) {
        this.log.warn(`GitHub services for ${url}: ${e instanceof Error ? e.message : String(e)}`);
        return undefined;
      }
    }
    return this.current.services;
  }

  /** Resolves a deferred fix (pinning) against the text the scan saw. */
  async resolveDeferred(fix: Fix, text: string): Promise<Fix & { failure?: string }> {
    const s = this.services();
    if (!s) return { ...fix, failure: `needs network: ${(this.online() as { why?: string }).why ?? 'online features are unavailable'}` };
    if (fix.deferred?.provider !== s.pinProvider.id) return { ...fix, failure: `needs online features (${fix.deferred?.provider})` };
    const r = await s.pinProvider.resolve(fix, text);
    if (r.failure) this.log.info(`${fix.title}: ${r.failure}`);
    return { ...fix, edits: r.edits, evidence: r.evidence, ...(r.failure ? { failure: r.failure } : {}) };
  }

  /** Resolves `owner/repo@ref` for the hover (cached by the resolver). */
  async resolve(owner: string, repo: string, ref: string): Promise<ResolvedRef> {
    const s = this.services();
    if (!s) throw new Error((this.online() as { why?: string }).why ?? 'online features are unavailable');
    return s.resolver.resolve(owner, repo, ref);
  }

  dispose(): void {
    this.tokens.dispose();
  }
}
