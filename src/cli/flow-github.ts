import { PortFlowGitHub } from '../contribution/github';
import type { FlowGitHub } from '../contribution/flow';
import { tokenFromEnv } from '../github/token';
import type { Output } from './io';
import { githubServicesFor } from './online';

/** The flow's GitHub access for the CLI: only with a token (forks and pull requests need one). */
export function flowGitHub(o: Output, githubUrl?: string): FlowGitHub | undefined {
  if (!tokenFromEnv(o.env)) return undefined;
  return new PortFlowGitHub(githubServicesFor(o, githubUrl).github, {
    forkWaitMs: /^\d+$/.test(o.env.STEWARD_FORK_WAIT_MS ?? '') ? Number(o.env.STEWARD_FORK_WAIT_MS) : undefined,
  });
}
