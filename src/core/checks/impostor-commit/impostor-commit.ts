import type { CheckMeta, Finding, Fix } from '../../model';
import type { Check } from '../types';
import { finding } from '../helpers';
import { actionSites, countSites, forEachAnswered, onlineOutcome, tagNamed, type ActionSite } from '../action-sites';
import { compareVersions, parseVersion } from '../action-versions';

export const meta: CheckMeta = {
  id: 'impostor-commit',
  title: 'Pinned commits belong to the action\'s repository',
  category: 'workflows',
  severity: 'high',
  confidence: 'high',
  fixable: true,
  online: true,
  docs: {
    summary:
      'An action is pinned to a commit SHA that is not in the history of any branch or tag of the repository the `uses:` names. GitHub serves every commit of a fork network under every repository of the network, so such a commit can live only in someone\'s fork.',
    whyItMatters:
      'Anyone can fork an action, push a commit to the fork, and GitHub will then run that commit as `owner/action@<sha>` of the original: the line looks like a trustworthy pin of the real action, and review rarely catches it. A pin whose commit the action\'s own repository does not contain is either such an impostor or a commit that was force-pushed away; neither is code its maintainers released.',
    howToFix:
      'Pin the commit of a release of the action instead (`git ls-remote --tags https://github.com/owner/action` lists each tag\'s commit) and find out where the pinned SHA came from: if it arrived in a pull request, treat that change as hostile.',
    effort: 'minutes',
    fixSafety:
      'When the line\'s version comment names a release, Steward offers to pin that release\'s commit, for review: it changes the code that runs. Otherwise there is no automatic fix.',
  },
  references: { zizmor: 'impostor-commit' },
};

/**
 * Refs to compare with, most likely first and bounded: the version the comment names, the default
 * branch, the newest release of each major line, then other branches. Most commits are in the history
 * of the first one or two, so a real pin costs one compare.
 */
function candidates(s: ActionSite, tags: Record<string, string>, heads: Record<string, string>, defaultBranch: string | undefined): string[] {
  const out: string[] = [];
  const add = (r: string | undefined) => r && !out.includes(r) && out.push(r);
  if (s.comment?.version) add(tagNamed(tags, s.comment.version));
  add(defaultBranch && heads[defaultBranch] !== undefined ? defaultBranch : ['main', 'master'].find((b) => heads[b] !== undefined));
  const newest = new Map<number, { name: string; v: NonNullable<ReturnType<typeof parseVersion>> }>();
  for (const name of Object.keys(tags)) {
    const v = parseVersion(name);
    if (!v || v.pre) continue;
    const cur = newest.get(v.parts[0]);
    if (!cur || compareVersions(v, cur.v) > 0 || (compareVersions(v, cur.v) === 0 && v.parts.length > cur.v.parts.length)) newest.set(v.parts[0], { name, v });
  }
  for (const t of [...newest.values()].sort((a, b) => compareVersions(b.v, a.v))) add(t.name);
  for (const b of Object.keys(heads).sort()) add(b);
  for (const t of Object.keys(tags).sort()) add(t);
  return out;
}

/** The sites this audit looks at. */
const fullPin = (s: ActionSite): boolean => s.pinned && s.ref.length === 40;

const OUTCOME = {
  none: 'No action pinned to a commit SHA',
  pass: (n: number) => `Every pinned commit (${n}) is in its repository's history`,
};

export const check: Check = {
  meta,
  fileKinds: ['workflow', 'action'],
  notApplicableReason: 'No workflows or actions',
  async checkRepo(ctx) {
    // Offline no site is visited, only counted (kept per file: issue 19).
    if (!ctx.actions) return onlineOutcome(ctx, [], countSites(ctx, 'impostor-commit:sites', fullPin), new Map(), OUTCOME);
    const sites = actionSites(ctx).filter(fullPin);
    const findings: Finding[] = [];
    const unknown = await forEachAnswered(ctx, sites, 'refs', async (s, refs, lookup, unanswered) => {
      const repoName = `${s.owner}/${s.repo}`;
      const { tags, heads } = refs;
      const sha = s.ref.toLowerCase();
      // The common case costs nothing: the SHA is a tag's or a branch's tip.
      if (Object.values(tags).includes(sha) || Object.values(heads).includes(sha)) return;
      const repoInfo = await lookup.repository(s.owner, s.repo);
      const list = candidates(s, tags, heads, repoInfo.known ? repoInfo.value.defaultBranch : undefined);
      const c = await lookup.contains(s.owner, s.repo, sha, list);
      if (!c.known) {
        unanswered.set(repoName, c.reason);
        return;
      }
      if (c.value.containedIn) return;
      const total = new Set([...Object.keys(tags).map((t) => `t:${t}`), ...Object.keys(heads).map((h) => `h:${h}`)]).size;
      const all = c.value.checked.length >= total;
      const shown = c.value.checked.slice(0, 4).join(', ') + (c.value.checked.length > 4 ? ', …' : '');
      const fixes: Fix[] = [];
      const named = s.comment?.version ? tagNamed(tags, s.comment.version) : undefined;
      if (named) {
        const raw = s.file.text.slice(s.start, s.end);
        const at = raw.lastIndexOf(`@${s.ref}`);
        if (at >= 0)
          fixes.push({
            title: `Pin ${s.name} to the commit of ${named}`,
            safe: false,
            reviewReason: `This changes the code that runs to ${s.owner}/${s.repo}'s own ${named}; find out first where the pinned commit came from.`,
            edits: [{ file: s.file.path, start: s.start + at + 1, end: s.start + at + 1 + s.ref.length, newText: tags[named] }],
          });
      }
      findings.push(
        finding(meta, {
          message: all
            ? `${s.name} is pinned to ${s.ref.slice(0, 12)}…, which is in the history of no branch or tag of ${repoName}: it can only come from a fork (GitHub serves fork commits under the original's name) or from history that was rewritten`
            : `${s.name} is pinned to ${s.ref.slice(0, 12)}…, which is not in the history of ${shown} (${c.value.checked.length} of ${total} branches and tags of ${repoName} compared): it may come from a fork`,
          confidence: all ? 'high' : 'medium',
          location: s.location,
          fixes,
        }),
      );
    });
    return onlineOutcome(ctx, findings, sites.length, unknown, OUTCOME);
  },
};
