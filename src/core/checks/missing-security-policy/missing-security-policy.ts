import type { CheckMeta } from '../../model';
import type { Fix } from '../../model';
import type { Check, RepoContext, SourceFile } from '../types';
import { gatherProjectFacts, githubOf, proposeChannelAnswers, renderProposedSecurityMd, snapshotReader } from '../../security-md';
import { finding } from '../helpers';
import { withLazyEdits } from '../../fix/lazy';

export const meta: CheckMeta = {
  id: 'missing-security-policy',
  title: 'Security policy (SECURITY.md)',
  category: 'reporting',
  severity: 'medium',
  confidence: 'high',
  fixable: true,
  essential: true,
  docs: {
    summary:
      "The repository has no SECURITY.md (at the root, in .github/ or in docs/) and its owner's `.github` repository has none either (GitHub shows that one for every repository without its own; offline Steward cannot see it and says so), or the file is empty.",
    whyItMatters:
      'When someone finds a vulnerability, SECURITY.md is where they look for how to tell you privately. Without it, reports arrive as public issues (telling attackers before you can fix anything) or do not arrive at all. GitHub also shows the file in the repository\'s Security tab.',
    howToFix:
      'Add a short SECURITY.md that says how to report a vulnerability privately (GitHub private vulnerability reporting or an e-mail address), what happens after a report, and which versions get fixes. `Steward: Generate SECURITY.md` writes one from a few questions.',
    effort: 'minutes',
    fixSafety: "Review: adding a policy changes no code or automation, but it names the private channel for the maintainers, so they must confirm it. The file says only how to report privately and leaves a marked blank for the supported versions: Steward writes no support table, process, response times or disclosure window nobody gave it (the wizard asks for those). Offline, the review reason says that the owner's `.github` repository may already hold the policy GitHub shows.",
  },
  references: { scorecard: 'Security-Policy', osps: ['OSPS-VM-02.01', 'OSPS-VM-03.01'] },
};

/**
 * A fix that writes the policy the generator proposes from the repository's own facts (GitHub remote →
 * private vulnerability reporting link, package metadata contacts, supported versions from tags). When
 * no private channel can be proposed there is no fix: the wizard asks a person instead.
 */
async function policyFix(ctx: RepoContext, replace?: SourceFile, orgPolicyUnseen = false): Promise<{ fixes: Fix[]; owner?: string }> {
  // The channels are what the fix writes; the supported versions stay a marked blank, so they are not
  // worked out from the tags (proposeAnswers() would: 12,000 of them at renovate).
  const answers = proposeChannelAnswers(await gatherProjectFacts(snapshotReader(ctx.snapshot), { facts: ctx.facts, fallbackName: ctx.snapshot.name, shareWith: ctx.paths, noTags: true }));
  const proposal = { answers, complete: answers.channels.length > 0 };
  const owner = ctx.facts?.owner ?? githubOf(proposal.answers.repositoryUrl)?.owner;
  if (!proposal.complete) return { fixes: [], owner };
  const unseenOrgPolicy = orgPolicyUnseen ? ownerRepoOf(owner) : undefined;
  // Only the channel and a marked blank for supported versions: no invented support table, process or
  // response times (those are the maintainers' to state; the wizard asks for them).
  const pvrOn = ctx.facts?.privateVulnerabilityReporting;
  const pvr = proposal.answers.channels.some((c) => c.type === 'github-pvr') && !(pvrOn?.known && pvrOn.value);
  const org = unseenOrgPolicy ? ` GitHub shows ${unseenOrgPolicy}'s SECURITY.md for this repository when it has one, which Steward could not check: a file here would replace that policy, so check there first.` : '';
  const file = replace?.path ?? 'SECURITY.md';
  return {
    owner,
    fixes: [
      // The policy's text is written when the fix is previewed or applied (a scan reports only the
      // fix): rendering it was most of this check's time on a small repository without a policy.
      withLazyEdits(
        {
          title: replace ? `Write a security policy into the empty ${file}` : 'Add SECURITY.md with a private reporting channel',
          // Review, never preselected (issue 14.5): the text speaks for the maintainers.
          safe: false,
          reviewReason: `It names ${proposal.answers.channels.map((c) => (c.type === 'github-pvr' ? 'GitHub private vulnerability reporting' : c.type === 'email' ? `e-mail ${c.address}` : c.url)).join(', ')} as the private channel for the maintainers${pvr ? ' (it works only once they enable it in the repository settings)' : ''}, and leaves the supported versions for them to fill in.${org}`,
        },
        [file],
        () => {
          const text = renderProposedSecurityMd(proposal.answers);
          return [replace ? { file, start: 0, end: replace.text.length, newText: text } : { file, start: 0, end: 0, newText: text, create: true }];
        },
      ),
    ],
  };
}

const ownerRepoOf = (owner: string | undefined): string => (owner ? `${owner}/.github` : "the owner's .github repository");

export const check: Check = {
  meta,
  async checkRepo(ctx) {
    const policies = ctx.byKind('security-policy');
    if (policies.length === 0) {
      // GitHub shows the owner's `.github` repository's SECURITY.md for every repository without its
      // own: such a repository is covered, and offline Steward cannot tell.
      const inherited = ctx.facts?.ownerSecurityPolicy;
      if (inherited?.known && inherited.value) {
        return { status: 'pass', reason: `Inherited from ${inherited.value.repo} (${inherited.value.path}), which GitHub shows for this repository`, findings: [] };
      }
      const unseen = !ctx.facts || (!!inherited && !inherited.known);
      const { fixes, owner } = await policyFix(ctx, undefined, unseen);
      const ownerRepo = ownerRepoOf(owner);
      if (unseen) {
        const why = !ctx.facts ? (ctx.factsUnavailable ?? 'online features are off') : inherited && !inherited.known ? inherited.reason : '';
        return {
          status: 'unknown',
          reason: `No SECURITY.md in this repository; GitHub shows ${ownerRepo}'s policy when it has one, which Steward cannot check (${why})`,
          findings: [
            finding(meta, {
              message: `No SECURITY.md in this repository: unless ${ownerRepo} has one (GitHub shows it then), reporters find no private way to reach you`,
              severity: 'info',
              fixes,
            }),
          ],
        };
      }
      return {
        status: 'fail',
        reason: `No SECURITY.md at the root, in .github/ or in docs/${inherited ? `, and none in ${ownerRepo}` : ''}`,
        findings: [finding(meta, { message: 'No security policy: add a SECURITY.md that tells reporters how to reach you privately', fixes })],
      };
    }
    const nonEmpty = policies.find((p) => p.text.replace(/<!--[\s\S]*?-->/g, '').trim().length > 0);
    if (!nonEmpty) {
      const p = policies[0];
      return {
        status: 'fail',
        reason: `${p.path} is empty`,
        findings: [
          finding(meta, {
            message: `${p.path} is empty: reporters find no way to reach you`,
            location: { file: p.path, start: { line: 1, column: 1 }, end: { line: 1, column: 1 } },
            fixes: (await policyFix(ctx, p)).fixes,
          }),
        ],
      };
    }
    return { status: 'pass', reason: `Found ${nonEmpty.path}`, findings: [] };
  },
};
