import type { CheckMeta, Finding, Fix } from '../../model';
import type { Check } from '../types';
import { finding } from '../helpers';
import { actionSites, countSites, forEachAnswered, commentLocation, onlineOutcome, tagNamed, type ActionSite } from '../action-sites';
import { covers, mostSpecific, parseVersion } from '../action-versions';
import { VERSION_COMMENT } from '../../yaml/uses';

export const meta: CheckMeta = {
  id: 'ref-version-mismatch',
  title: 'Version comments match the pinned SHA',
  category: 'workflows',
  severity: 'medium',
  confidence: 'high',
  fixable: true,
  online: true,
  docs: {
    summary:
      'An action is pinned to a commit SHA with a version comment (`uses: owner/action@<sha> # v1.2.3`), but the tag the comment names points to a different commit: the comment says one release, the workflow runs another.',
    whyItMatters:
      'Reviewers read the comment, not the 40 hex digits, and Dependabot and Renovate update from the version the comment names. A wrong comment hides what really runs: a stale SHA left behind by a hand edit looks current, and a pull request that swaps the SHA for a different commit while keeping the comment looks like no change at all.',
    howToFix:
      'Make the comment say the release the SHA belongs to (`git ls-remote --tags https://github.com/owner/action` lists each tag\'s commit), or, if the comment names the release you meant, pin that release\'s SHA.',
    effort: 'minutes',
    fixSafety:
      'Correcting the comment is safe: only a comment changes and the same code runs. Pinning the SHA of the release the comment names changes the code that runs, so that fix is offered for review.',
  },
  references: { zizmor: 'ref-version-mismatch' },
};

/** Offsets of the version inside the comment (`v4.2.2` of `# tag=v4.2.2`). */
function versionSpan(s: ActionSite): { start: number; end: number } | undefined {
  const c = s.comment;
  if (!c?.version) return undefined;
  const m = VERSION_COMMENT.exec(c.text);
  if (!m || m.index !== 0) return undefined;
  const at = m[0].lastIndexOf(m[1]);
  return { start: c.start + at, end: c.start + at + m[1].length };
}

function fixes(s: ActionSite, onSha: string | undefined, commentTag: string | undefined, tagSha: string | undefined): Fix[] {
  const out: Fix[] = [];
  const span = versionSpan(s);
  if (onSha && span) {
    out.push({ title: `Correct the comment of ${s.name} to ${onSha}`, safe: true, edits: [{ file: s.file.path, start: span.start, end: span.end, newText: onSha }] });
  }
  if (commentTag && tagSha) {
    const raw = s.file.text.slice(s.start, s.end);
    const at = raw.lastIndexOf(`@${s.ref}`);
    if (at >= 0) {
      out.push({
        title: `Pin ${s.name} to the commit of ${commentTag}`,
        safe: false,
        reviewReason: `This changes the code that runs: the workflow then runs ${commentTag} (${tagSha.slice(0, 12)}) instead of ${onSha ?? 'the commit pinned today'} (${s.ref.slice(0, 12)}); read the compare view before applying it.`,
        edits: [{ file: s.file.path, start: s.start + at + 1, end: s.start + at + 1 + s.ref.length, newText: tagSha }],
      });
    }
  }
  return out;
}

/** The sites this audit looks at. */
const labelledPin = (s: ActionSite): boolean => s.pinned && !!s.comment?.version;

const OUTCOME = {
  none: 'No SHA pin with a version comment',
  pass: (n: number) => `Every version comment on a SHA pin (${n}) names the pinned commit's release`,
};

export const check: Check = {
  meta,
  fileKinds: ['workflow', 'action'],
  notApplicableReason: 'No workflows or actions',
  async checkRepo(ctx) {
    // Offline no site is visited, only counted (kept per file: issue 19).
    if (!ctx.actions) return onlineOutcome(ctx, [], countSites(ctx, 'ref-version-mismatch:sites', labelledPin), new Map(), OUTCOME);
    const sites = actionSites(ctx).filter(labelledPin);
    const findings: Finding[] = [];
    const unknown = await forEachAnswered(ctx, sites, 'refs', (s, refs) => {
      const { tags } = refs;
      const sha = s.ref.toLowerCase();
      const said = s.comment!.version!;
      const commentTag = tagNamed(tags, said);
      if (commentTag && tags[commentTag] === sha) return;
      const onShaNames = Object.keys(tags).filter((n) => tags[n] === sha);
      // `# v4` on a v4.x.y commit: the moving major tag has moved on since, the comment is still true.
      const line = parseVersion(said);
      if (line && line.parts.length < 3 && onShaNames.some((n) => { const v = parseVersion(n); return !!v && covers(line, v); })) return;
      const onSha = mostSpecific(onShaNames) ?? onShaNames[0];
      const actual = onSha ? `the commit of ${onSha}` : 'a commit no tag points to';
      const message = commentTag
        ? `${s.name} is pinned to ${s.ref.slice(0, 12)}…, ${actual}, but its comment says ${said}, whose commit is ${tags[commentTag].slice(0, 12)}…: the comment names a different release than the one that runs`
        : `${s.name} is pinned to ${s.ref.slice(0, 12)}…, ${actual}, but its comment says ${said}, which is no tag of ${s.owner}/${s.repo}`;
      findings.push(finding(meta, { message, location: commentLocation(s), ...(commentTag ? {} : { confidence: 'medium' as const }), fixes: fixes(s, onSha, commentTag, commentTag ? tags[commentTag] : undefined) }));
    });
    return onlineOutcome(ctx, findings, sites.length, unknown, OUTCOME);
  },
};
