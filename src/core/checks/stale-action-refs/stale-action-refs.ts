import type { CheckMeta, Finding } from '../../model';
import type { Check } from '../types';
import { finding } from '../helpers';
import { actionSites, countSites, forEachAnswered, onlineOutcome, type ActionSite } from '../action-sites';
import { versionInComment } from '../missing-version-comment/missing-version-comment';

export const meta: CheckMeta = {
  id: 'stale-action-refs',
  title: 'SHA pins point to a release',
  category: 'workflows',
  severity: 'low',
  confidence: 'high',
  fixable: false,
  online: true,
  docs: {
    summary:
      'An action is pinned to a commit SHA that no tag of the action\'s repository points to, and the line has no version comment: the pin is some commit between releases (often a branch tip copied on the day), not a release.',
    whyItMatters:
      'Commits between releases are untested work in progress as far as the action\'s maintainers are concerned, and nothing tells a reviewer or an update bot which version it is meant to be: Dependabot cannot propose the next release for it, so the pin quietly ages. It is also the shape an impostor or hand-picked commit takes.',
    howToFix:
      'Pin the commit of a release instead and say which one in a comment: `uses: owner/action@<sha of v1.2.3> # v1.2.3` (`git ls-remote --tags https://github.com/owner/action` lists each tag\'s commit). If you need an unreleased fix, ask the maintainers for a release and add a comment saying why the commit is pinned meanwhile.',
    effort: 'minutes',
    fixSafety: 'No automatic fix: moving to a release changes the code that runs, and which release is right is the maintainer\'s call.',
  },
  references: { zizmor: 'stale-action-refs' },
};

/** The sites this audit looks at. */
const unlabelledPin = (s: ActionSite): boolean => s.pinned && !(s.comment && versionInComment(s.comment.text));

const OUTCOME = {
  none: 'No SHA pin without a version comment',
  pass: (n: number) => `Every SHA pin without a version comment (${n}) is a release's commit`,
};

export const check: Check = {
  meta,
  fileKinds: ['workflow', 'action'],
  notApplicableReason: 'No workflows or actions',
  async checkRepo(ctx) {
    // Offline no site is visited, only counted (kept per file: issue 19).
    if (!ctx.actions) return onlineOutcome(ctx, [], countSites(ctx, 'stale-action-refs:sites', unlabelledPin), new Map(), OUTCOME);
    const sites = actionSites(ctx).filter(unlabelledPin);
    const findings: Finding[] = [];
    const unknown = await forEachAnswered(ctx, sites, 'refs', (s, refs) => {
      const sha = s.ref.toLowerCase();
      if (Object.values(refs.tags).includes(sha)) return;
      const branch = Object.entries(refs.heads).find(([, h]) => h === sha)?.[0];
      findings.push(
        finding(meta, {
          message: `${s.name} is pinned to ${s.ref.slice(0, 12)}…, a commit no tag of ${s.owner}/${s.repo} points to${branch ? ` (today the tip of branch ${branch})` : ''}, with no version comment: it is not a release, and update bots cannot tell which version it stands for`,
          location: s.location,
        }),
      );
    });
    return onlineOutcome(ctx, findings, sites.length, unknown, OUTCOME);
  },
};
