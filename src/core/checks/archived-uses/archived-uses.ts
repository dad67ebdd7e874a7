import type { CheckMeta, Finding, Fix } from '../../model';
import type { Check, SourceFile } from '../types';
import { fileMemo } from '../../repo/load';
import { finding } from '../helpers';
import { actionSites, fileActionSites, prefetch, onlineOutcome, type ActionSite } from '../action-sites';
import { archivedEntry, type ArchivedAction } from './archived-actions';

export const meta: CheckMeta = {
  id: 'archived-uses',
  title: 'Actions come from maintained repositories',
  category: 'workflows',
  severity: 'medium',
  confidence: 'high',
  fixable: true,
  online: true,
  docs: {
    summary:
      'A workflow uses an action or reusable workflow whose repository is archived: read-only, with no further fixes. Steward knows the common ones offline (with their successors) and asks GitHub about every other action when online. (`archived-repository` is about the scanned repository itself.)',
    whyItMatters:
      'Nobody fixes an archived action any more, security problems included, and its pinned runtime ages out (many archived actions still run on Node versions the runners have dropped). A vulnerability found tomorrow stays open in every workflow that uses it.',
    howToFix:
      'Move to the successor the finding names, or replace the step with the command it wrapped (`gh release create`, `cargo clippy`). Where the successor takes the same inputs, Steward swaps it for you.',
    effort: 'an hour',
    fixSafety:
      'Safe only where the archived action\'s own maintainers say the successor takes the same inputs (gradle/gradle-build-action@v3 → gradle/actions/setup-gradle@v3); otherwise there is no automatic fix, because the successor needs different inputs.',
  },
  references: { zizmor: 'archived-uses', other: [{ title: 'GitHub: archiving repositories', url: 'https://docs.github.com/en/repositories/archiving-a-github-repository/archiving-repositories' }] },
};

function swap(s: ActionSite, entry: ArchivedAction | undefined): Fix[] {
  const d = entry?.dropIn;
  if (!d || s.path || !d.refs.test(s.ref)) return [];
  const raw = s.file.text.slice(s.start, s.end);
  const q = raw[0] === '"' || raw[0] === "'" ? raw[0] : '';
  return [{ title: `Use ${d.uses} instead of ${s.name}@${s.ref}`, safe: true, caveat: `${entry!.source}.`, edits: [{ file: s.file.path, start: s.start, end: s.end, newText: `${q}${d.uses}${q}` }] }];
}

/** The finding for an archived site; `online` is GitHub's answer when there was one. */
function archivedFinding(s: ActionSite, entry: ArchivedAction | undefined, online: { known: boolean; reason?: string } | undefined): Finding {
  const repoName = `${s.owner}/${s.repo}`;
  const instead = entry?.successor ? `; use ${entry.successor} instead` : '; look for a maintained fork or replace the step';
  return finding(meta, {
    message: `${s.name} comes from ${repoName}, which is archived: it gets no more fixes, security fixes included${instead}`,
    location: s.location,
    fixes: swap(s, entry),
    ...(entry && !online?.known ? { details: [`From Steward's list of archived actions (${entry.source})${online && !online.known ? `; not confirmed online: ${online.reason}` : ''}`] } : {}),
  });
}

/** Offline, per file: how many sites it has and the ones on Steward's list (in site order). */
interface OfflineHits {
  count: number;
  hits: { site: ActionSite; entry: ArchivedAction }[];
}

function offlineHits(file: SourceFile): OfflineHits {
  const sites = fileActionSites(file);
  const hits: OfflineHits['hits'] = [];
  for (const site of sites) {
    const entry = archivedEntry(site.owner, site.repo);
    if (entry) hits.push({ site, entry });
  }
  return { count: sites.length, hits };
}

const OUTCOME = {
  none: 'No actions used',
  pass: (n: number) => `None of the ${n === 1 ? 'action' : `${n} actions`} used comes from an archived repository`,
};

export const check: Check = {
  meta,
  fileKinds: ['workflow', 'action'],
  notApplicableReason: 'No workflows or actions',
  async checkRepo(ctx) {
    const findings: Finding[] = [];
    if (!ctx.actions) {
      // Offline the list alone answers, per site: each file's hits are kept per file content (issue 19:
      // a re-check after a save looked every site of every workflow up again), only the findings are new.
      let count = 0;
      for (const file of [...ctx.byKind('workflow'), ...ctx.byKind('action')]) {
        if (!file.yaml) continue;
        const m = fileMemo(file, 'archived-uses:offline', offlineHits);
        count += m.count;
        for (const h of m.hits) findings.push(archivedFinding(h.site, h.entry, undefined));
      }
      return onlineOutcome(ctx, findings, count, new Map(), OUTCOME);
    }
    const sites = actionSites(ctx);
    const unknown = new Map<string, string>();
    await prefetch(ctx, sites, ['repository']);
    for (const s of sites) {
      const repoName = `${s.owner}/${s.repo}`;
      const entry = archivedEntry(s.owner, s.repo);
      const online = ctx.actions ? await ctx.actions.repository(s.owner, s.repo) : undefined;
      // GitHub's flag wins over the list (a repository can be unarchived); the list answers offline.
      const archived = online?.known ? online.value.archived : entry ? true : undefined;
      if (archived === undefined) {
        if (online && !online.known) unknown.set(repoName, online.reason);
        continue;
      }
      if (!archived) continue;
      findings.push(archivedFinding(s, entry, online));
    }
    return onlineOutcome(ctx, findings, sites.length, unknown, OUTCOME);
  },
};
