import { parseRepoUrl } from '../repo-url';
import type { RepoLookup } from './port';

/** A repository URL as a lookup answer: the GitHub repository, or why it is not one. */
export function fromRepoUrl(url: string, opts: { shorthand?: boolean; extraHost?: string } = {}): RepoLookup & { reason?: string } {
  const r = parseRepoUrl(url, opts);
  if (!r) return { url, reason: 'not a repository URL' };
  if ('repo' in r) return { url, repo: r.repo };
  return { url, reason: `its repository is on ${r.elsewhere}, not GitHub` };
}
