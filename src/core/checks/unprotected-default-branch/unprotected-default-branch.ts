import type { CheckMeta } from '../../model';
import type { Check } from '../types';
import { finding } from '../helpers';

export const meta: CheckMeta = {
  id: 'unprotected-default-branch',
  title: 'Default branch protected',
  category: 'settings',
  severity: 'medium',
  confidence: 'high',
  fixable: false,
  essential: true,
  online: true,
  docs: {
    summary: 'No branch ruleset or branch protection on the default branch blocks force-pushes or requires changes to go through a pull request.',
    whyItMatters:
      'The default branch is what users install and what releases are cut from. Without protection, one stolen token or one mistaken `git push --force` can rewrite its history or slip in a change nobody reviewed, and nothing records that it happened. A ruleset that blocks force-pushes and requires pull requests makes every change visible and reviewable.',
    howToFix:
      'A repository admin adds a branch ruleset (Settings → Rules → Rulesets → New branch ruleset) that targets the default branch and turns on "Block force pushes" and "Require a pull request before merging" (reviews can start at 0 for a solo maintainer). Classic branch protection rules work too. `Steward: Request settings from maintainers` drafts an issue that asks for it.',
    effort: 'needs a maintainer',
    fixSafety: 'Only an admin can change it. It changes how maintainers push: direct pushes to the default branch go through pull requests from then on.',
  },
  references: {
    scorecard: 'Branch-Protection',
    osps: ['OSPS-AC-03.01'],
    other: [{ title: 'GitHub: about rulesets', url: 'https://docs.github.com/en/repositories/configuring-branches-and-merges-in-your-repository/managing-rulesets/about-rulesets' }],
  },
};

/** Rule types that stop an unreviewed rewrite of the branch. */
const PROTECTING = new Set(['pull_request', 'non_fast_forward', 'update']);

export const check: Check = {
  meta,
  checkRepo(ctx) {
    const facts = ctx.facts;
    if (!facts) return { status: 'unknown', reason: `Unknown: ${ctx.factsUnavailable ?? 'online features are off'}`, findings: [] };
    const branch = facts.defaultBranch ?? 'the default branch';
    const rules = facts.defaultBranchRules;
    const classic = facts.defaultBranchProtected;
    const protecting = rules.known ? [...new Set(rules.value.filter((r) => PROTECTING.has(r.type)).map((r) => r.type))] : [];
    if (protecting.length) return { status: 'pass', reason: `${branch} is protected by rules (${protecting.join(', ')})`, findings: [] };
    if (classic?.known && classic.value) return { status: 'pass', reason: `${branch} has branch protection`, findings: [] };
    // Protection we cannot see is not absence of protection.
    const hidden = !rules.known ? rules : classic && !classic.known ? classic : undefined;
    if (hidden && !hidden.known) return { status: 'unknown', reason: `Unknown — ${hidden.reason}`, findings: [] };
    const other = rules.known ? [...new Set(rules.value.map((r) => r.type))] : [];
    const message = other.length
      ? `The default branch ${branch} has rules (${other.join(', ')}), but none blocks force-pushes or requires a pull request`
      : `The default branch ${branch} has no ruleset or branch protection: anyone with push access can force-push or delete history`;
    return {
      status: 'fail',
      reason: other.length ? `${branch}: rules do not block force-pushes or require pull requests` : `${branch} is not protected`,
      findings: [finding(meta, { message, details: [`An admin can add a ruleset at ${facts.htmlUrl}/settings/rules`] })],
    };
  },
};
