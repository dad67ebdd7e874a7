import type { CheckMeta, Finding, Fix } from '../../model';
import type { Check, SourceFile } from '../types';
import { distinctUsesSites, finding, type UsesSite } from '../helpers';
import { locationOf } from '../../yaml/parse';
import { parseUses } from '../../yaml/uses';
import { imitatedAction } from '../../workflow/popular-actions';

export const meta: CheckMeta = {
  id: 'typosquat-uses',
  title: 'Actions are the ones their names suggest',
  category: 'workflows',
  severity: 'high',
  confidence: 'medium',
  fixable: true,
  docs: {
    summary:
      'A `uses:` names an action whose `owner/repo` is one typing mistake away from a widely used action of another owner — `actoins/checkout`, `action/checkout`, `docker/login-actoin` under a look-alike account — from a list of popular actions Steward keeps.',
    whyItMatters:
      'Anyone can register the look-alike account and publish an action there that does what the real one does plus steal the job\'s token and secrets. A one-letter slip in a workflow then runs a stranger\'s code on every push, and because the step still works nobody notices. Attackers register such names for exactly this reason.',
    howToFix:
      'Check the name against the action you meant and correct it. If the similar name is really the action you want (a fork you trust, a company\'s own copy), pin it to a full commit SHA and suppress the finding with a comment saying why.',
    effort: 'minutes',
    fixSafety:
      'Review: the fix writes the popular action\'s name with the same ref, which is what a typo meant — but Steward cannot know that the ref exists there or that the look-alike was not chosen on purpose. No fix for a commit-SHA pin (the SHA belongs to the other repository).',
  },
  references: {
    zizmor: 'typosquat-uses',
    other: [{ title: 'GitHub Docs: Security hardening — using third-party actions', url: 'https://docs.github.com/en/actions/security-for-github-actions/security-guides/security-hardening-for-github-actions#using-third-party-actions' }],
  },
};

function fixFor(file: SourceFile, site: UsesSite, popular: string, u: Extract<ReturnType<typeof parseUses>, { kind: 'repo' }>): Fix | undefined {
  const r = site.node.range;
  if (!r || u.pinned || site.node.type !== 'PLAIN' && site.node.type !== 'QUOTE_DOUBLE' && site.node.type !== 'QUOTE_SINGLE') return undefined;
  const raw = file.text.slice(r[0], r[1]);
  const written = `${u.owner}/${u.repo}`;
  const at = raw.indexOf(written);
  if (at < 0 || raw.includes('\n')) return undefined;
  return {
    title: `Use ${popular}`,
    safe: false,
    reviewReason: `Steward cannot tell whether \`${written}\` was chosen on purpose, or whether \`${u.ref}\` exists in ${popular}.`,
    edits: [{ file: file.path, start: r[0] + at, end: r[0] + at + written.length, newText: popular }],
  };
}

export const check: Check = {
  meta,
  fileKinds: ['workflow', 'action'],
  notApplicableReason: 'No workflows or actions',
  checkFile(file) {
    const y = file.yaml;
    if (!y) return [];
    const out: Finding[] = [];
    for (const site of distinctUsesSites(file)) {
      if (site.value.includes('${{')) continue;
      const u = parseUses(site.value);
      if (u.kind !== 'repo') continue;
      const popular = imitatedAction(`${u.owner}/${u.repo}`.toLowerCase());
      if (!popular) continue;
      const fix = fixFor(file, site, popular, u);
      out.push(
        finding(meta, {
          message: `\`${u.owner}/${u.repo}\` is one letter away from the widely used \`${popular}\`, under another owner: if that is a typo, this step runs a stranger's action with the job's token and secrets`,
          location: locationOf(y, site.node),
          fixes: fix ? [fix] : [],
        }),
      );
    }
    return out;
  },
};
