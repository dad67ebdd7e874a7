import { clockTime } from '../../github/errors';

// The registries' HTTP: GET with a timeout, a size bound, a few retries on server errors, and typed
// failures. 404 is an answer ("no such package"), not a failure. A 429 (or 503 with Retry-After)
// becomes a RegistryRateLimitError carrying the time it resets, so the survey can wait or stop.

export type RegistryErrorKind = 'network' | 'rate-limit' | 'server' | 'bad-response';

export class RegistryError extends Error {
  constructor(
    readonly kind: RegistryErrorKind,
    message: string,
    readonly resetAt?: Date,
  ) {
    super(message);
    this.name = 'RegistryError';
  }
}

export interface HttpOptions {
  fetch?: typeof fetch;
  timeoutMs?: number;
  /** Retries of 5xx and network failures (default 2). */
  retries?: number;
  /** Delay before the first retry in ms (doubles each time; default 500). */
  retryDelayMs?: number;
  userAgent?: string;
  now?: () => number;
}

/** Registry answers bigger than this are refused (an npm packument of a huge package is ~30 MB). */
export const MAX_RESPONSE_BYTES = 48 * 1024 * 1024;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function resetFrom(h: Headers, now: number): Date | undefined {
  const ra = h.get('retry-after');
  if (ra && /^\d+$/.test(ra.trim())) return new Date(now + Number(ra.trim()) * 1000);
  if (ra) {
    const t = Date.parse(ra);
    if (!Number.isNaN(t)) return new Date(t);
  }
  const reset = h.get('x-ratelimit-reset');
  if (reset && /^\d+$/.test(reset)) return new Date(Number(reset) * 1000);
  return undefined;
}

/** GET `url`: the body as text, or undefined for 404/410. `what` names the registry in messages. */
export async function httpGet(url: string, what: string, opts: HttpOptions = {}, accept = 'application/json'): Promise<string | undefined> {
  const f = opts.fetch ?? fetch;
  const retries = opts.retries ?? 2;
  let delay = opts.retryDelayMs ?? 500;
  const host = (() => {
    try {
      return new URL(url).host;
    } catch {
      return url;
    }
  })();
  for (let attempt = 0; ; attempt++) {
    let res: Response;
    try {
      res = await f(url, {
        headers: { accept, 'user-agent': opts.userAgent ?? 'steward-survey (https://github.com/steward-oss/steward)' },
        signal: AbortSignal.timeout(opts.timeoutMs ?? 30_000),
        redirect: 'follow',
      });
    } catch (e) {
      if (attempt < retries) {
        await sleep(delay);
        delay *= 2;
        continue;
      }
      const why = (e as { name?: string }).name === 'TimeoutError' ? 'timed out' : 'cannot connect';
      throw new RegistryError('network', `${what}: ${why} (${host})`);
    }
    if (res.status === 404 || res.status === 410) {
      await res.body?.cancel().catch(() => undefined);
      return undefined;
    }
    if (res.status === 429 || (res.status === 503 && res.headers.get('retry-after'))) {
      await res.body?.cancel().catch(() => undefined);
      const resetAt = resetFrom(res.headers, opts.now?.() ?? Date.now());
      throw new RegistryError('rate-limit', `${what} rate limit reached (${host})${resetAt ? `; resets at ${clockTime(resetAt)}` : ''}`, resetAt);
    }
    if (res.status >= 500) {
      await res.body?.cancel().catch(() => undefined);
      if (attempt < retries) {
        await sleep(delay);
        delay *= 2;
        continue;
      }
      throw new RegistryError('server', `${what} answered ${res.status} (${host}): try again later`);
    }
    if (res.status !== 200) {
      await res.body?.cancel().catch(() => undefined);
      throw new RegistryError('bad-response', `${what} answered ${res.status} (${host})`);
    }
    const len = Number(res.headers.get('content-length') ?? 0);
    if (len > MAX_RESPONSE_BYTES) {
      await res.body?.cancel().catch(() => undefined);
      throw new RegistryError('bad-response', `${what} answer is too large (${host})`);
    }
    const text = await res.text();
    if (text.length > MAX_RESPONSE_BYTES) throw new RegistryError('bad-response', `${what} answer is too large (${host})`);
    return text;
  }
}

export async function httpJson(url: string, what: string, opts: HttpOptions = {}): Promise<unknown | undefined> {
  const text = await httpGet(url, what, opts);
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    throw new RegistryError('bad-response', `${what} answered something that is not JSON`);
  }
}
