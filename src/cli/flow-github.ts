import { PortFlowGitHub } from '../contribution/github';
import type { FlowGitHub } from '../contribution/flow';
import { tokenFromEnv } from '../github/token';
import { tokenHeader } from '../github/git';
import { githubEndpoints, pickGitHubUrl } from '../github/urls';
import type { Output } from './io';
import { githubServicesFor } from './online';

/** The flow's GitHub access for the CLI: only with a token (forks and pull requests need one). */
export function flowGitHub(o: Output, githubUrl?: string): FlowGitHub | undefined {
  if (!tokenFromEnv(o.env)) return undefined;
  return new PortFlowGitHub(githubServicesFor(o, githubUrl).github, {
    forkWaitMs: /^\d+$/.test(o.env.STEWARD_FORK_WAIT_MS ?? '') ? Number(o.env.STEWARD_FORK_WAIT_MS) : undefined,
  });
}

/** git's Authorization header for the GitHub base URL, from GITHUB_TOKEN/GH_TOKEN (never put in a URL). */
export function gitAuthFor(o: Output, githubUrl: string | undefined, offline: boolean): { url: string; value: string } | undefined {
  const token = offline ? undefined : tokenFromEnv(o.env);
  if (!token) return undefined;
  return { url: githubEndpoints(pickGitHubUrl(githubUrl, o.env)).web, value: tokenHeader(token) };
}
