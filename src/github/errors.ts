// Every failure talking to git or GitHub becomes one of these typed errors with a one-line message a
// person can act on. Front-ends show `message` as it is; checks and the resolver branch on `kind`.

export type GitHubErrorKind = 'auth' | 'forbidden' | 'not-found' | 'rate-limit' | 'network' | 'server' | 'git' | 'other';

export class GitHubError extends Error {
  constructor(
    readonly kind: GitHubErrorKind,
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'GitHubError';
  }
}

/** 401: the token is missing, expired or revoked. */
export class GitHubAuthError extends GitHubError {
  constructor(message: string) {
    super('auth', message, 401);
    this.name = 'GitHubAuthError';
  }
}

/** 403 that is not a rate limit: the token lacks a scope or the setting is admin-only. */
export class GitHubForbiddenError extends GitHubError {
  constructor(message: string) {
    super('forbidden', message, 403);
    this.name = 'GitHubForbiddenError';
  }
}

/** 404: absent, or (GitHub's way of hiding things) not visible to this token. */
export class GitHubNotFoundError extends GitHubError {
  constructor(message: string) {
    super('not-found', message, 404);
    this.name = 'GitHubNotFoundError';
  }
}

export class GitHubRateLimitError extends GitHubError {
  constructor(
    message: string,
    status: number,
    readonly resetAt?: Date,
  ) {
    super('rate-limit', message, status);
    this.name = 'GitHubRateLimitError';
  }
}

export class GitHubNetworkError extends GitHubError {
  constructor(message: string) {
    super('network', message);
    this.name = 'GitHubNetworkError';
  }
}

export class GitHubServerError extends GitHubError {
  constructor(message: string, status: number) {
    super('server', message, status);
    this.name = 'GitHubServerError';
  }
}

/** git itself failed (not reachable, repository missing, unexpected output). */
export class GitCommandError extends GitHubError {
  constructor(message: string) {
    super('git', message);
    this.name = 'GitCommandError';
  }
}

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_SOCKET']);

/** HH:MM in local time: what a person compares with their clock. */
export function clockTime(d: Date): string {
  return `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
}

type Headers = Record<string, string | number | undefined>;

function header(h: Headers | undefined, name: string): string | undefined {
  if (!h) return undefined;
  const v = h[name] ?? h[name.toLowerCase()];
  return v === undefined ? undefined : String(v);
}

/** Finds a network error code anywhere in an error's `cause` chain (fetch nests it two levels deep). */
function networkCode(e: unknown): string | undefined {
  let cur: unknown = e;
  for (let i = 0; i < 5 && cur && typeof cur === 'object'; i++) {
    const code = (cur as { code?: unknown }).code;
    if (typeof code === 'string' && NETWORK_CODES.has(code)) return code;
    const errors = (cur as { errors?: unknown }).errors;
    if (Array.isArray(errors)) for (const inner of errors) {
      const c = networkCode(inner);
      if (c) return c;
    }
    cur = (cur as { cause?: unknown }).cause;
  }
  return undefined;
}

/** Whether a request was given up by its time limit (AbortSignal.timeout's TimeoutError, anywhere in the cause chain). */
function timedOut(e: unknown): boolean {
  let cur: unknown = e;
  for (let i = 0; i < 5 && cur && typeof cur === 'object'; i++) {
    if ((cur as { name?: unknown }).name === 'TimeoutError') return true;
    cur = (cur as { cause?: unknown }).cause;
  }
  return false;
}

/** Removes anything that looks like a token from text we are about to show or log. */
export function redact(text: string, token?: string): string {
  let out = token ? text.split(token).join('***') : text;
  out = out.replace(/\b(gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,})\b/g, '***');
  out = out.replace(/(authorization:\s*)(basic|bearer|token)\s+\S+/gi, '$1$2 ***');
  return out.replace(/(https?:\/\/)[^/@\s]+@/g, '$1');
}

export interface ErrorContext {
  /** Base URL shown in network errors, e.g. https://github.com. */
  baseUrl?: string;
  /** What we were doing, e.g. "GET /repos/a/b": prefixes 404/403 messages. */
  what?: string;
  token?: string;
  now?: () => number;
}

/** Translates whatever Octokit, fetch or git threw into a GitHubError. Already-typed errors pass through. */
export function toGitHubError(e: unknown, ctx: ErrorContext = {}): GitHubError {
  if (e instanceof GitHubError) return e;
  const err = e as { status?: number; message?: string; response?: { headers?: Headers; data?: unknown } };
  const status = typeof err?.status === 'number' ? err.status : undefined;
  const headers = err?.response?.headers;
  const what = ctx.what ? `${ctx.what}: ` : '';
  const code = networkCode(e);
  if (code) return new GitHubNetworkError(`cannot reach GitHub at ${ctx.baseUrl ?? 'the configured URL'} (offline?) [${code}]`);
  if (timedOut(e)) return new GitHubNetworkError(`GitHub at ${ctx.baseUrl ?? 'the configured URL'} did not answer in time (a slow network or a proxy holding the connection?)`);
  // fetch failed without an HTTP response (Octokit reports it as status 500 with no response): DNS,
  // TLS, refused or blocked ports. The innermost cause says which.
  if (!err?.response && /fetch failed/i.test(String((e as { message?: string })?.message) + String((e as { cause?: { message?: string } })?.cause?.message))) {
    let inner: unknown = e;
    while ((inner as { cause?: unknown })?.cause) inner = (inner as { cause?: unknown }).cause;
    const why = inner instanceof Error && inner.message !== 'fetch failed' ? ` [${inner.message}]` : '';
    return new GitHubNetworkError(`cannot reach GitHub at ${ctx.baseUrl ?? 'the configured URL'} (offline?)${why}`);
  }
  if (status === 403 || status === 429) {
    const remaining = header(headers, 'x-ratelimit-remaining');
    const reset = header(headers, 'x-ratelimit-reset');
    const retryAfter = header(headers, 'retry-after');
    const text = typeof err.message === 'string' ? err.message : '';
    if (remaining === '0' || status === 429 || retryAfter !== undefined || /rate limit/i.test(text)) {
      let resetAt: Date | undefined;
      if (reset && /^\d+$/.test(reset)) resetAt = new Date(Number(reset) * 1000);
      else if (retryAfter && /^\d+$/.test(retryAfter)) resetAt = new Date((ctx.now?.() ?? Date.now()) + Number(retryAfter) * 1000);
      const when = resetAt ? `; resets at ${clockTime(resetAt)}` : '';
      const hint = ctx.token ? '' : ' (set GITHUB_TOKEN or sign in for a higher limit)';
      return new GitHubRateLimitError(`GitHub API rate limit reached${when}${hint}`, status, resetAt);
    }
    return new GitHubForbiddenError(`${what}forbidden: the token cannot see this (a maintainer or another scope may be needed)`);
  }
  if (status === 401) return new GitHubAuthError(`${what}GitHub rejected the token (401): sign in again or check GITHUB_TOKEN`);
  if (status === 404) return new GitHubNotFoundError(`${what}not found (or not visible to ${ctx.token ? 'this token' : 'anonymous requests'})`);
  if (status !== undefined && status >= 500) return new GitHubServerError(`${what}GitHub answered ${status}: the server had a problem, try again later`, status);
  const msg = redact(typeof err?.message === 'string' ? err.message.split('\n')[0] : String(e), ctx.token);
  return new GitHubError('other', `${what}${msg}`, status);
}

/** Runs `fn` and rethrows any failure as a GitHubError. */
export async function wrapGitHub<T>(ctx: ErrorContext, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    throw toGitHubError(e, ctx);
  }
}

/** 404/403/401: the data exists for someone, but this token cannot see it. */
export function isNotVisible(e: unknown): boolean {
  return e instanceof GitHubError && (e.kind === 'not-found' || e.kind === 'forbidden' || e.kind === 'auth');
}
