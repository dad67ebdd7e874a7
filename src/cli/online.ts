import type { RepoFacts } from '../core/model/facts';
import type { DeferredFixProvider } from '../core/fix/deferred';
import { createGitHubServices, defaultCacheDir, gatherRepoFacts, pickGitHubUrl, tokenFromEnv, type GitHubServices } from '../github';
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

/** One set of services per base URL and process, so facts and pins share caches and counters. */
export function githubServicesFor(o: Output, githubUrl?: string): GitHubServices {
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

/** Facts about the repository behind `root`'s remotes (upstream preferred), or why there are none. */
export async function gatherFacts(root: string, o: Output, githubUrl?: string): Promise<{ facts?: RepoFacts; factsUnavailable?: string }> {
  if (!onlineOptions(false, o)) return { factsUnavailable: 'online features are off (STEWARD_OFFLINE=1)' };
  const s = githubServicesFor(o, githubUrl);
  const r = await gatherRepoFacts({ git: s.git, github: s.github, dir: root, cache: s.cache });
  return r.facts ? { facts: r.facts } : { factsUnavailable: r.factsUnavailable };
}

/** Factory registered with src/cli/providers.ts: the pin-action provider when online. */
export function pinActionFactory(o: Output, opts: { online: boolean; githubUrl?: string }): DeferredFixProvider | undefined {
  if (!opts.online) return undefined;
  return githubServicesFor(o, opts.githubUrl).pinProvider;
}
