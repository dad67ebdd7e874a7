import type { CheckMeta } from '../../model';
import type { Fix } from '../../model';
import type { Check, RepoContext, SourceFile } from '../types';
import { proposeForSnapshot, renderSecurityMd } from '../../security-md';
import { finding } from '../helpers';

export const meta: CheckMeta = {
  id: 'missing-security-policy',
  title: 'Security policy (SECURITY.md)',
  category: 'reporting',
  severity: 'medium',
  confidence: 'high',
  fixable: true,
  essential: true,
  docs: {
    summary: 'The repository has no SECURITY.md (at the root, in .github/ or in docs/), or the file is empty.',
    whyItMatters:
      'When someone finds a vulnerability, SECURITY.md is where they look for how to tell you privately. Without it, reports arrive as public issues (telling attackers before you can fix anything) or do not arrive at all. GitHub also shows the file in the repository\'s Security tab.',
    howToFix:
      'Add a short SECURITY.md that says how to report a vulnerability privately (GitHub private vulnerability reporting or an e-mail address), what happens after a report, and which versions get fixes. `Steward: Generate SECURITY.md` writes one from a few questions.',
    effort: 'minutes',
    fixSafety: 'Safe: adding a policy file changes no code or automation. Maintainers should confirm the contact details.',
  },
  references: { scorecard: 'Security-Policy', osps: ['OSPS-VM-02.01', 'OSPS-VM-03.01'] },
};

/**
 * A fix that writes the policy the generator proposes from the repository's own facts (GitHub remote →
 * private vulnerability reporting link, package metadata contacts, supported versions from tags). When
 * no private channel can be proposed there is no fix: the wizard asks a person instead.
 */
async function policyFix(ctx: RepoContext, replace?: SourceFile): Promise<Fix[]> {
  const proposal = await proposeForSnapshot(ctx.snapshot, { facts: ctx.facts });
  if (!proposal.complete) return [];
  const text = renderSecurityMd(proposal.answers);
  const file = replace?.path ?? 'SECURITY.md';
  return [
    {
      title: replace ? `Write a security policy into the empty ${file}` : 'Add SECURITY.md with a private reporting channel',
      safe: true,
      caveat: `It states promises on the maintainers' behalf (${proposal.answers.channels.map((c) => c.type).join(', ')} channel, response times, supported versions): they should confirm them before merging.`,
      edits: [replace ? { file, start: 0, end: replace.text.length, newText: text } : { file, start: 0, end: 0, newText: text, create: true }],
    },
  ];
}

export const check: Check = {
  meta,
  async checkRepo(ctx) {
    const policies = ctx.byKind('security-policy');
    if (policies.length === 0) {
      return {
        status: 'fail',
        reason: 'No SECURITY.md at the root, in .github/ or in docs/',
        findings: [finding(meta, { message: 'No security policy: add a SECURITY.md that tells reporters how to reach you privately', fixes: await policyFix(ctx) })],
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
            fixes: await policyFix(ctx, p),
          }),
        ],
      };
    }
    return { status: 'pass', reason: `Found ${nonEmpty.path}`, findings: [] };
  },
};
