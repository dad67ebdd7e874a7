// Where a GitHub token comes from. The CLI reads the environment; the VS Code front-end implements
// this over `authentication.getSession('github', …)` (silent first, asking only when `interactive`).
// Tokens are held in memory only: never written to caches, logs, URLs or argv.

export interface TokenProvider {
  /**
   * A token, or undefined to work anonymously (public repositories, lower rate limits).
   * `interactive: true` means an online feature was explicitly used and a sign-in prompt is acceptable.
   */
  getToken(opts?: { interactive?: boolean }): Promise<string | undefined>;
}

/** GITHUB_TOKEN, then GH_TOKEN (what the gh CLI and Actions use). */
export function tokenFromEnv(env: NodeJS.ProcessEnv): string | undefined {
  const t = env.GITHUB_TOKEN?.trim() || env.GH_TOKEN?.trim();
  return t || undefined;
}

export class EnvTokenProvider implements TokenProvider {
  constructor(private readonly env: NodeJS.ProcessEnv) {}
  async getToken(): Promise<string | undefined> {
    return tokenFromEnv(this.env);
  }
}

export class StaticTokenProvider implements TokenProvider {
  constructor(private readonly token: string | undefined) {}
  async getToken(): Promise<string | undefined> {
    return this.token;
  }
}
