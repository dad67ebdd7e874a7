import { GitHubActionLookup } from './action-lookup';
import { OctokitGitHubPort, type GitHubPort } from './api';
import { JsonFileCache, LayeredCache, type CacheStore } from './cache';
import { SimpleGitPort, type GitPort } from './git';
import { PinActionProvider, type PinProviderOptions } from './pin';
import { RefResolver } from './resolver';
import type { TokenProvider } from './token';
import { githubEndpoints, type GitHubEndpoints } from './urls';

// The GitHub layer, usable by the CLI and the extension alike (no 'vscode' import here). Front-ends
// call createGitHubServices once with their base URL, token source and cache folder.

export * from './action-lookup';
export * from './api';
export * from './cache';
export * from './errors';
export * from './facts';
export * from './git';
export * from './pin';
export * from './resolver';
export * from './token';
export * from './urls';

export interface GitHubServicesOptions {
  /** Base URL (github.com or GHES). */
  url?: string;
  /** The token, when known up front (CLI: GITHUB_TOKEN). Used for the API and git. */
  token?: string;
  /** Token source for git when no fixed token is given (extension: the signed-in session). */
  tokenProvider?: TokenProvider;
  /** On-disk cache folder (CLI: ~/.cache/steward; extension: globalStorageUri.fsPath). Memory only without it. */
  cacheDir?: string;
  /** Replaces the on-disk cache (tests, or an extension storing in Memento). */
  cache?: CacheStore;
  ttlMs?: number;
  concurrency?: number;
  minReleaseAgeDays?: number;
  /** Environment for git (defaults to process.env; only a safe subset is passed on). */
  env?: NodeJS.ProcessEnv;
  git?: GitPort;
  github?: GitHubPort;
  /** Delay unit for API retries in ms (tests make it tiny). */
  retryBaseMs?: number;
  /** Time limit of each API request attempt in ms (default 15 000). */
  requestTimeoutMs?: number;
  pin?: PinProviderOptions;
}

export interface GitHubServices {
  endpoints: GitHubEndpoints;
  /** Memory + disk cache shared by the resolver and repository facts. */
  cache: CacheStore;
  git: GitPort;
  github: GitHubPort;
  resolver: RefResolver;
  pinProvider: PinActionProvider;
  /** Online answers for the action audits (advisories, refs, archived, releases). */
  actions: GitHubActionLookup;
}

export function createGitHubServices(opts: GitHubServicesOptions = {}): GitHubServices {
  const endpoints = githubEndpoints(opts.url);
  const token = opts.token;
  const git = opts.git ?? new SimpleGitPort({ env: opts.env, tokenUrl: endpoints.web });
  const github = opts.github ?? new OctokitGitHubPort({ endpoints, token, tokenProvider: opts.tokenProvider, retryBaseMs: opts.retryBaseMs, requestTimeoutMs: opts.requestTimeoutMs });
  const cache = new LayeredCache(opts.cache ?? (opts.cacheDir ? new JsonFileCache(opts.cacheDir) : undefined));
  const tokenProvider: TokenProvider | undefined = opts.tokenProvider ?? (token ? { getToken: async () => token } : undefined);
  const resolver = new RefResolver({
    git,
    github,
    endpoints,
    token: tokenProvider,
    cache,
    ttlMs: opts.ttlMs,
    concurrency: opts.concurrency,
    minReleaseAgeDays: opts.minReleaseAgeDays,
  });
  const actions = new GitHubActionLookup({ github, resolver, cache, endpoints });
  return { endpoints, cache, git, github, resolver, pinProvider: new PinActionProvider(resolver, opts.pin), actions };
}
