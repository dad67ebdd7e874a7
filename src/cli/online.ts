import type { RepoFacts } from '../core/model/facts';
import type { Output } from './io';

// Online features for the CLI. Facts come from src/github once that layer exists; until a repository's
// owner/name and the API are reachable, checks that need them report 'unknown'.

export function onlineOptions(offline: boolean, o: Output): boolean {
  if (offline) return false;
  return o.env.STEWARD_OFFLINE !== '1';
}

export async function gatherFacts(_root: string, _o: Output, _githubUrl?: string): Promise<{ facts?: RepoFacts; factsUnavailable?: string }> {
  return { factsUnavailable: 'repository facts are not available' };
}
