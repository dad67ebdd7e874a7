import type { CheckMeta } from '../../model';
import type { Check } from '../types';
import { finding } from '../helpers';

export const meta: CheckMeta = {
  id: 'archived-repository',
  title: 'Repository is maintained (not archived)',
  category: 'settings',
  severity: 'medium',
  confidence: 'high',
  fixable: false,
  online: true,
  docs: {
    summary: 'The repository is archived on GitHub: it is read-only and its maintainers have said it gets no more changes.',
    whyItMatters:
      'An archived project gets no fixes, security fixes included, and accepts no pull requests, so contributing hardening changes to it is not possible. If you depend on it, a future vulnerability will stay open: plan to replace it, or find an active fork.',
    howToFix:
      'Nothing to fix in the repository itself. Users should look for a maintained fork or alternative; if the maintainers want to resume work, an admin can unarchive it in Settings → General → Danger Zone.',
    effort: 'needs a maintainer',
    fixSafety: 'Not fixable by a contributor: archiving is the maintainers\' decision.',
  },
  references: {
    scorecard: 'Maintained',
    other: [{ title: 'GitHub: archiving repositories', url: 'https://docs.github.com/en/repositories/archiving-a-github-repository/archiving-repositories' }],
  },
};

export const check: Check = {
  meta,
  checkRepo(ctx) {
    const facts = ctx.facts;
    if (!facts) return { status: 'unknown', reason: `Unknown: ${ctx.factsUnavailable ?? 'online features are off'}`, findings: [] };
    if (!facts.archived.known) return { status: 'unknown', reason: `Unknown — ${facts.archived.reason}`, findings: [] };
    if (!facts.archived.value) return { status: 'pass', reason: `${facts.owner}/${facts.repo} is not archived`, findings: [] };
    return {
      status: 'fail',
      reason: `${facts.owner}/${facts.repo} is archived`,
      findings: [finding(meta, { message: `${facts.owner}/${facts.repo} is archived: it is read-only and gets no fixes, security fixes included` })],
    };
  },
};
