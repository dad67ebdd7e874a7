import { parseArgs } from 'node:util';
import * as path from 'node:path';
import { ContributionFlow, FlowError, type FlowGitHub, type FlowResult } from '../contribution/flow';
import { FlowGitError } from '../contribution/git';
import { describeChannel } from '../contribution/private-report';
import { UsageError } from './errors';
import { colorsFor, processOutput, repoFolderArg, type Output } from './io';
import { GitHubError } from '../github/errors';
import { WriteRefused } from '../core/fs/safe-write';
import { stopGitChildren } from '../github/git';
import { fixProviders } from './providers';
import { flowGitHub, gitAuthFor } from './flow-github';

export const PR_USAGE = `steward pr [PATH] [--concern ID] [--dry-run] [--push] [--remote NAME] [--body-out FILE] [--patches DIR]
           [--unsafe] [--stash] [--github-url URL] [--offline] [--public] [--report-out FILE]

  Without --concern: shows the preflight (contributing rules, sign-off, templates) and the concerns
  this repository offers, with their size. With --concern: plans the change against the up-to-date
  default branch, then creates steward/<concern> with one commit per change; --push publishes it to
  your fork (--remote NAME, or found/created through the API when GITHUB_TOKEN is set) and opens a
  draft PR. --dry-run prints the plan, the diff and the PR text and changes nothing.
  When a finding is exploitable (outsiders can run code through it), --push reports it privately
  instead: GitHub private vulnerability reporting, else the SECURITY.md contact (an e-mail draft in
  --report-out FILE and a mailto: link), else a public issue asking for a private channel without
  details. Nothing is pushed then. --public publishes the pull request anyway (with a warning).
  Your branch, index, working tree and stash are never touched: the commits are built on the side and
  steward/<concern> is moved at the end. --stash is accepted and no longer needed. Without network (or
  with --offline) the plan uses the clone's remote-tracking branch (origin/HEAD) and says the base may
  be stale; commits, PR text and patches still work, pushing does not.
  Exit code: 0 done (or only listed), 2 usage or input error, or a refusal (no such concern, another
  run in this clone, a signing failure, a rejected push, an API error), one line on stderr;
  130/143 interrupted (nothing of yours changed).`;

export async function prCommand(argv: string[], o: Output): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      concern: { type: 'string' },
      'dry-run': { type: 'boolean', default: false },
      push: { type: 'boolean', default: false },
      remote: { type: 'string' },
      'body-out': { type: 'string' },
      patches: { type: 'string' },
      unsafe: { type: 'boolean', default: false },
      stash: { type: 'boolean', default: false },
      'github-url': { type: 'string' },
      offline: { type: 'boolean', default: false },
      public: { type: 'boolean', default: false },
      'report-out': { type: 'string' },
    },
  });
  const c = colorsFor(o);
  const dir = await repoFolderArg(positionals, o.cwd, 'pr');
  const offline = values.offline || o.env.STEWARD_OFFLINE === '1';
  const githubUrl = values['github-url'] ?? o.env.GITHUB_SERVER_URL;
  let github: FlowGitHub | undefined;
  if (!offline) github = flowGitHub(o, githubUrl);
  const flow = new ContributionFlow({
    dir,
    concern: values.concern,
    dryRun: values['dry-run'],
    push: values.push,
    remote: values.remote,
    allowUnsafe: values.unsafe,
    stash: values.stash,
    offline,
    gitEnv: o.env,
    bodyOut: values['body-out'] ? path.resolve(o.cwd, values['body-out']) : undefined,
    patchesDir: values.patches ? path.resolve(o.cwd, values.patches) : undefined,
    github,
    public: values.public,
    reportOut: values['report-out'] ? path.resolve(o.cwd, values['report-out']) : undefined,
    gitAuth: gitAuthFor(o, githubUrl, offline),
    providers: offline ? undefined : fixProviders(o, { githubUrl, offline }),
    log: (l) => o.err(c.dim(l) + '\n'),
  });
  let result: FlowResult;
  // Ctrl-C, kill, a closed terminal: stop git, release the lock and the temporary index, then exit with
  // one line. git gets SIGTERM and a bounded wait (stopGitChildren) so it removes its own lock files
  // (a SIGKILLed `git update-ref` would leave refs/…/x.lock and the next run would refuse); a second
  // signal stops waiting. The user's branch and files need no restoring (the flow never touched them).
  let interrupted: NodeJS.Signals | undefined;
  const onSignal = (signal: NodeJS.Signals) => {
    const again = interrupted !== undefined;
    interrupted ??= signal;
    const first = interrupted;
    stopGitChildren(() => {
      flow.abort();
      o.err(`steward: interrupted (${first}): your branch and files are unchanged\n`);
      process.exit(128 + (first === 'SIGINT' ? 2 : first === 'SIGTERM' ? 15 : 1));
    }, again ? 0 : undefined);
  };
  const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  // Only as the real CLI process: in-process callers (tests, embedders) keep their own handlers.
  const handleSignals = o === processOutput;
  if (handleSignals) for (const s of signals) process.on(s, onSignal);
  try {
    result = await flow.run();
  } catch (e) {
    // Interrupted while stopping git: the signal handler exits (130/143), not this error.
    if (interrupted) await new Promise<never>(() => undefined);
    // Every refusal is one line and exit 2: the flow's and git's, and the GitHub API's.
    if (e instanceof FlowError || e instanceof FlowGitError || e instanceof GitHubError || e instanceof WriteRefused) throw new UsageError(firstLine(e));
    throw e;
  } finally {
    if (handleSignals && !interrupted) for (const s of signals) process.off(s, onSignal);
  }
  if (interrupted) await new Promise<never>(() => undefined);
  const { plan } = result;
  o.out(c.bold(`Contribution to ${plan.upstream ? `${plan.upstream.owner}/${plan.upstream.repo}` : plan.upstreamRemote} (base ${plan.upstreamRemote}/${plan.baseBranch} @ ${plan.baseCommit.slice(0, 12)})`) + '\n\n');
  o.out(c.bold('Preflight') + '\n');
  for (const i of plan.preflight) {
    const mark = i.level === 'blocker' ? c.red('✗') : i.level === 'warning' ? c.yellow('!') : c.green('·');
    o.out(`  ${mark} ${i.label}: ${i.found}\n    ${c.dim(i.meaning)}\n`);
  }
  o.out('\n');
  if (!plan.concern) {
    o.out(c.bold('Concerns (one per pull request)') + '\n');
    if (!plan.concerns.length) o.out('  Nothing fixable was found.\n');
    for (const k of plan.concerns) {
      o.out(`  ${k.def.id.padEnd(22)} ${k.def.title} — ${k.fixes.length} fix${k.fixes.length === 1 ? '' : 'es'} in ${k.files.length} file${k.files.length === 1 ? '' : 's'}${k.unavailable.length ? c.dim(` (${k.unavailable.length} need --unsafe)`) : ''}\n`);
    }
    o.out(`\nRun \`steward pr --concern ID --dry-run\` to preview one.\n`);
    return 0;
  }
  o.out(c.bold(`Plan: ${plan.title}`) + ` → branch ${plan.branch}\n`);
  for (const ch of plan.changes) o.out(`  • ${ch.title} (+${ch.added} −${ch.removed})${ch.commit ? c.dim(' ' + ch.commit.slice(0, 12)) : ''}\n`);
  for (const w of plan.warnings) o.out(c.yellow(`  ! ${w}`) + '\n');
  if (values['dry-run']) {
    o.out('\n' + c.bold('Diff') + '\n' + plan.diff + '\n' + c.bold('Pull request text') + '\n\n' + plan.body + '\n');
    o.out(c.dim('Dry run: nothing was changed.') + '\n');
    return 0;
  }
  o.out(`\nCommitted ${result.committed.length} change${result.committed.length === 1 ? '' : 's'} on ${plan.branch} (your branch and files were not touched).\n`);
  if (result.privateReport) for (const l of describeChannel(result.privateReport)) o.out(`${l}\n`);
  if (result.pushedTo) o.out(`${result.upToDate ? 'Already up to date on' : 'Pushed to'} ${result.pushedTo}\n`);
  if (result.pr) o.out(`${result.pr.updated ? 'Updated' : 'Opened draft'} pull request #${result.pr.number}: ${result.pr.url}\n`);
  else if (values.push && !result.privateReport) o.out('No pull request was opened (no GitHub access): open it from the pushed branch, with the text from --body-out.\n');
  if (values['body-out']) o.out(`PR text written to ${values['body-out']}\n`);
  if (result.patches?.length) o.out(`${result.patches.length} patch files (cover letter first) in ${values.patches}\n`);
  return 0;
}

function firstLine(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).split('\n').find((l) => l.trim())?.trim() ?? 'unknown error';
}
