import { parseArgs } from 'node:util';
import { FlowGit, FlowGitError } from '../contribution/git';
import { parseGitHubRemote } from '../contribution/flow';
import { verify, verifyLines, VerifyError, type PinLookup } from '../contribution/verify';
import { escapeTerminal } from '../core/report/escape';
import { GitHubError } from '../github/errors';
import { UsageError } from './errors';
import { colorsFor, repoFolderArg, type Output } from './io';
import { githubServicesFor, onlineOptions } from './online';

export const VERIFY_USAGE = `steward verify [PATH] [--base REF] [--head REF] [--pr N] [--offline] [--github-url URL]

  Checks that a pull request Steward prepared contains exactly what Steward produces: replays the
  fixes its commits name in their trailers (Steward-Concern, Steward-Rule, Steward-Command,
  Steward-Pin) on the base commit and compares the result with the head, file by file and hunk by
  hunk; any extra hunk, file or changed byte is listed. Pinned SHAs are re-checked online: each must
  be the commit its tag points to (or, reported apart, the tag has moved since).
  --head defaults to HEAD; --base to the parent of the oldest Steward commit at the head.
  --pr N fetches pull request N of the upstream (or origin) remote through the GitHub API and git.
  Exit code: 0 identical, 1 differs, 2 usage or input error.`;

export async function verifyCommand(argv: string[], o: Output): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      base: { type: 'string' },
      head: { type: 'string' },
      pr: { type: 'string' },
      offline: { type: 'boolean', default: false },
      'github-url': { type: 'string' },
    },
  });
  const dir = await repoFolderArg(positionals, o.cwd, 'verify');
  const online = onlineOptions(values.offline, o);
  if (values.pr !== undefined && !/^[1-9]\d{0,9}$/.test(values.pr)) throw new UsageError(`--pr takes a pull request number (got '${values.pr}')`);
  if (values.pr && (values.base || values.head)) throw new UsageError('--pr names the base and head itself: leave out --base and --head');
  if (values.pr && !online) throw new UsageError('--pr needs the network (the pull request is read through the GitHub API): run without --offline, or fetch it and pass --base and --head');
  const c = colorsFor(o);
  let pins: PinLookup | undefined;
  let base = values.base;
  let head = values.head;
  try {
    if (online) {
      const s = githubServicesFor(o, values['github-url']);
      pins = { resolve: async (owner, repo, ref) => s.resolver.resolve(owner, repo, ref) };
      if (values.pr) ({ base, head } = await fetchPr(dir, Number(values.pr), s.github));
    }
    const report = await verify({ dir, base, head, pins });
    for (const line of verifyLines(report)) {
      const l = escapeTerminal(line);
      o.out((l.startsWith('✓') ? c.green(l) : l.startsWith('✗') ? c.red(l) : l.startsWith('!') ? c.yellow(l) : l) + '\n');
    }
    return report.identical ? 0 : 1;
  } catch (e) {
    if (e instanceof VerifyError || e instanceof FlowGitError || e instanceof GitHubError) throw new UsageError(e.message.split('\n')[0]);
    throw e;
  }
}

interface PullJson {
  head: { sha: string };
  base: { sha: string; ref: string };
}

/** Fetches refs/pull/N/head and the base branch from the upstream remote; returns the commits. */
async function fetchPr(dir: string, n: number, port: ReturnType<typeof githubServicesFor>['github']): Promise<{ base: string; head: string }> {
  const git = await FlowGit.open(dir);
  const remotes = await git.remotes();
  const up = remotes.find((r) => r.name === 'upstream') ?? remotes.find((r) => r.name === 'origin');
  const ref = up && parseGitHubRemote(up.url);
  if (!up || !ref) throw new VerifyError('--pr needs an "upstream" or "origin" remote on GitHub');
  const { data } = await port.request<PullJson>('GET /repos/{owner}/{repo}/pulls/{pull_number}', { owner: ref.owner, repo: ref.repo, pull_number: n });
  try {
    await git.fetch(up.name, `+refs/pull/${n}/head:refs/steward/verify/pr-${n}`);
    await git.fetch(up.name, `+refs/heads/${data.base.ref}:refs/steward/verify/pr-${n}-base`);
  } catch (e) {
    throw new VerifyError(`cannot fetch pull request ${n} from ${up.name}: ${(e instanceof Error ? e.message : String(e)).split('\n')[0]}`);
  }
  return { base: data.base.sha, head: data.head.sha };
}
