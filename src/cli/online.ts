import type { RepoFacts } from '../core/model/facts';
import type { ActionLookup } from '../core/model/actions';
import type { DeferredFixProvider } from '../core/fix/deferred';
import type { GitHubServices } from '../github';
import { UsageError } from './errors';
import type { Output } from './io';

// Online features for the CLI: repository facts for the settings checks and the pin-action fix
// provider. The base URL comes from --github-url, then GITHUB_SERVER_URL; the token from GITHUB_TOKEN
// or GH_TOKEN (anonymous works for public repositories); STEWARD_OFFLINE=1 or --offline turn it all off.

export function onlineOptions(offline: boolean, o: Output): boolean {
  if (offline) return false;
  return o.env.STEWARD_OFFLINE !== '1';
}

const services = new Map<string, GitHubServices>();

/**
 * The GitHub layer (Octokit, the resolver, git) is loaded on first use: an offline scan, `rules` or
 * `--help` never initialises it (start-up time, issue 19).
 */
function github(): typeof import('../github') {
  return require('../github') as typeof import('../github');
}

/** One set of services per base URL and process, so facts and pins share caches and counters. */
export function githubServicesFor(o: Output, githubUrl?: string): GitHubServices {
  const { createGitHubServices, defaultCacheDir, pickGitHubUrl, tokenFromEnv } = github();
  const url = pickGitHubUrl(githubUrl, o.env);
  let s = services.get(url);
  if (!s) {
    const minAge = Number(o.env.STEWARD_MIN_RELEASE_AGE_DAYS ?? '0');
    try {
      s = createGitHubServices({
        url,
        token: tokenFromEnv(o.env),
        cacheDir: defaultCacheDir(o.env),
        env: o.env,
        minReleaseAgeDays: Number.isFinite(minAge) && minAge > 0 ? minAge : 0,
        // Delay unit of API retries; tests against a local server set it to a few ms.
        retryBaseMs: /^\d+$/.test(o.env.STEWARD_HTTP_RETRY_BASE_MS ?? '') ? Number(o.env.STEWARD_HTTP_RETRY_BASE_MS) : undefined,
        // Time limit of each API request attempt; tests against a server that never answers shorten it.
        requestTimeoutMs: /^\d+$/.test(o.env.STEWARD_HTTP_TIMEOUT_MS ?? '') ? Number(o.env.STEWARD_HTTP_TIMEOUT_MS) : undefined,
      });
    } catch (e) {
      throw new UsageError(`--github-url / GITHUB_SERVER_URL: ${e instanceof Error ? e.message : String(e)}`);
    }
    services.set(url, s);
  }
  return s;
}

/** Forgets the per-process services (tests simulate a second CLI run, which starts with empty memory). */
export function resetGitHubServices(): void {
  services.clear();
}

/** How long a scan waits for GitHub's answer about repository settings (STEWARD_FACTS_TIMEOUT_MS). */
const FACTS_TIMEOUT_MS = 3000;
/** After this long without an answer the CLI says what it is waiting for (STEWARD_FACTS_NOTICE_MS). */
const FACTS_NOTICE_MS = 700;

function msFromEnv(v: string | undefined, fallback: number): number {
  return v !== undefined && /^\d+$/.test(v) ? Number(v) : fallback;
}

/**
 * Facts about the repository behind `root`'s remotes (upstream preferred), or why there are none.
 * Without network a lookup can take several seconds of retries: after a moment the user is told what
 * is being waited for (on stderr, so reports on stdout stay clean), and after a few seconds the scan
 * goes on without the facts (the settings checks then say "unknown" and why).
 */
export async function gatherFacts(root: string, o: Output, githubUrl?: string): Promise<{ facts?: RepoFacts; factsUnavailable?: string; actions?: ActionLookup }> {
  if (!onlineOptions(false, o)) return { factsUnavailable: 'online features are off (STEWARD_OFFLINE=1)' };
  const s = githubServicesFor(o, githubUrl);
  // The action audits ask about the actions the workflows use, not about this repository: they work
  // without a GitHub remote too.
  return { ...(await repositoryFacts(s, root, o)), actions: s.actions };
}

async function repositoryFacts(s: GitHubServices, root: string, o: Output): Promise<{ facts?: RepoFacts; factsUnavailable?: string }> {
  const timeoutMs = msFromEnv(o.env.STEWARD_FACTS_TIMEOUT_MS, FACTS_TIMEOUT_MS);
  const lookup = github().gatherRepoFacts({ git: s.git, github: s.github, dir: root, cache: s.cache }).then((r) =>
    r.facts ? { facts: r.facts } : { factsUnavailable: r.factsUnavailable },
  );
  let notice: ReturnType<typeof setTimeout> | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const seconds = Math.round(timeoutMs / 100) / 10;
  try {
    notice = setTimeout(() => o.err(`steward: asking GitHub for the repository's settings (private reporting, branch protection); giving up after ${seconds} s (--offline skips this)\n`), msFromEnv(o.env.STEWARD_FACTS_NOTICE_MS, FACTS_NOTICE_MS));
    const timeout = new Promise<{ factsUnavailable: string }>((resolve) => {
      timer = setTimeout(() => resolve({ factsUnavailable: `GitHub did not answer within ${seconds} s (offline?); use --offline to skip the lookup` }), timeoutMs);
    });
    return await Promise.race([lookup, timeout]);
  } finally {
    clearTimeout(notice);
    clearTimeout(timer);
  }
}

/** Factory registered with src/cli/providers.ts: the pin-action provider when online. */
export function pinActionFactory(o: Output, opts: { online: boolean; githubUrl?: string }): DeferredFixProvider | undefined {
  if (!opts.online) return undefined;
  return githubServicesFor(o, opts.githubUrl).pinProvider;
}
