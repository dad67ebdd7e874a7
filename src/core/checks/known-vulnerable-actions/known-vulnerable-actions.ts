import type { CheckMeta, Evidence, Finding, Fix, Severity, TextEdit } from '../../model';
import type { ActionAdvisory, ActionRefs } from '../../model/actions';
import type { Check } from '../types';
import { finding } from '../helpers';
import { actionSites, countSites, forEachAnswered, onlineOutcome, tagNamed, type ActionSite } from '../action-sites';
import { compareVersions, inRange, mostSpecific, parseVersion, type Version } from '../action-versions';

export const meta: CheckMeta = {
  id: 'known-vulnerable-actions',
  title: 'Actions have no known vulnerability',
  category: 'workflows',
  severity: 'high',
  confidence: 'high',
  fixable: true,
  online: true,
  docs: {
    summary:
      'A workflow uses a version of an action that GitHub\'s advisory database lists as vulnerable (ecosystem `actions`). The version is the tag in `uses:`, or the release a SHA pin or a moving tag (`@v4`) points to.',
    whyItMatters:
      'Advisories for actions describe real ways in: an action that echoes secrets into logs, runs attacker-controlled input as code, or (tj-actions/changed-files in 2025) was compromised and leaked every secret of every workflow that ran it. Until the workflow moves past the fixed version, the hole stays open in every run, and it is public knowledge how to use it.',
    howToFix:
      'Move to the first release the advisory calls patched, keeping the pin style: `uses: owner/action@<sha of v1.2.4> # v1.2.4`. Read the advisory (linked in the finding) for anything else it asks, such as rotating a secret that may have leaked.',
    effort: 'minutes',
    fixSafety:
      'Moving to the patched release of the same major version is offered as a safe fix: within a major version, releases are meant to stay compatible, and the advisory names the release. A patched release only in a later major version is a review fix: the new major may change inputs or behaviour.',
  },
  references: { zizmor: 'known-vulnerable-actions', other: [{ title: 'GitHub Advisory Database: GitHub Actions', url: 'https://github.com/advisories?query=ecosystem%3Aactions' }] },
};

const SEVERITY: Record<ActionAdvisory['severity'], Severity> = { low: 'low', medium: 'medium', high: 'high', critical: 'critical', unknown: 'medium' };

/** The release a site runs: its exact tag, or the most specific version tag on the commit it resolves to. */
function runningVersion(s: ActionSite, refs: ActionRefs): { name: string; v: Version } | undefined {
  const own = parseVersion(s.ref);
  if (!s.pinned && own && own.parts.length >= 3) return { name: s.ref, v: own };
  const sha = s.pinned ? s.ref.toLowerCase() : (refs.tags[s.ref] ?? refs.heads[s.ref]);
  if (!sha) return undefined;
  const name = mostSpecific(Object.keys(refs.tags).filter((t) => refs.tags[t] === sha));
  const v = name ? parseVersion(name) : undefined;
  return name && v ? { name, v } : undefined;
}

function evidence(a: ActionAdvisory, range: string, patched?: string): Evidence {
  return {
    kind: 'advisory',
    summary: `${a.id}${a.cve ? ` (${a.cve})` : ''}: ${a.summary}`,
    details: { advisory: a.id, severity: a.severity, vulnerable: range, ...(patched ? { patched } : {}) },
    links: [{ title: a.id, url: a.url }],
  };
}

/** Edits moving the site to `tag` (SHA pin: the tag's commit and a version comment; tag pin: the tag). */
function bumpEdits(s: ActionSite, tag: string, sha: string): TextEdit[] | undefined {
  const raw = s.file.text.slice(s.start, s.end);
  const at = raw.lastIndexOf(`@${s.ref}`);
  if (at < 0 || raw.includes('\n')) return undefined;
  const refStart = s.start + at + 1;
  const edits: TextEdit[] = [{ file: s.file.path, start: refStart, end: refStart + s.ref.length, newText: s.pinned ? sha : tag }];
  if (s.pinned) {
    const c = s.comment;
    if (c?.version) {
      const i = c.text.indexOf(c.version);
      edits.push({ file: s.file.path, start: c.start + i, end: c.start + i + c.version.length, newText: tag });
    } else if (c) edits.push({ file: s.file.path, start: c.start, end: c.start, newText: `# ${tag} ` });
    else {
      // Flow mappings (`{uses: a/b@sha}`): the comment goes at the end of the line, after the brace.
      const lineEnd = s.file.yaml!.lines.lineEnd(s.file.yaml!.lines.position(s.end).line);
      const tail = s.file.text.slice(s.end, lineEnd).replace(/\s+$/, '');
      edits.push({ file: s.file.path, start: s.end + tail.length, end: s.end + tail.length, newText: ` # ${tag}` });
    }
  }
  return edits;
}

const OUTCOME = {
  none: 'No actions used',
  pass: (n: number) => `No advisory matches the ${n === 1 ? 'action' : `${n} actions`} used`,
};

export const check: Check = {
  meta,
  fileKinds: ['workflow', 'action'],
  notApplicableReason: 'No workflows or actions',
  async checkRepo(ctx) {
    // Offline no site is visited, only counted (kept per file: issue 19).
    if (!ctx.actions) return onlineOutcome(ctx, [], countSites(ctx, 'known-vulnerable-actions:sites'), new Map(), OUTCOME);
    const sites = actionSites(ctx);
    const findings: Finding[] = [];
    const unknown = await forEachAnswered(ctx, sites, 'advisories', async (s, advisories, lookup, unanswered) => {
      const repoName = `${s.owner}/${s.repo}`;
      // No advisory names the action: nothing to resolve (most actions, no ref lookup needed).
      const relevant = advisories.filter((a) => a.vulnerabilities.some((v) => v.package.toLowerCase() === repoName.toLowerCase() || v.package.toLowerCase() === s.name.toLowerCase()));
      if (!relevant.length) return;
      const refs = await lookup.refs(s.owner, s.repo);
      if (!refs.known) {
        unanswered.set(repoName, refs.reason);
        return;
      }
      const running = runningVersion(s, refs.value);
      if (!running) {
        unanswered.set(repoName, `no release tag names the commit ${s.ref.slice(0, 12)} runs, so its version cannot be matched to the advisories`);
        return;
      }
      const hits: { a: ActionAdvisory; range: string; patched?: string }[] = [];
      for (const a of relevant) {
        for (const v of a.vulnerabilities) {
          if (v.package.toLowerCase() !== repoName.toLowerCase() && v.package.toLowerCase() !== s.name.toLowerCase()) continue;
          const inside = inRange(running.v, v.range);
          if (inside === undefined) unanswered.set(repoName, `${a.id}: cannot read the version range '${v.range}'`);
          if (inside) {
            hits.push({ a, range: v.range, patched: v.firstPatched });
            break;
          }
        }
      }
      for (const [i, h] of hits.entries()) {
        // The release that fixes every advisory this version is in, not just this one.
        const patchedAll = hits.map((x) => (x.patched ? parseVersion(x.patched) : undefined));
        const target = patchedAll.every((p): p is Version => !!p) ? patchedAll.reduce((m, p) => (compareVersions(p, m) > 0 ? p : m)) : undefined;
        const targetName = target ? hits.find((x) => x.patched && compareVersions(parseVersion(x.patched)!, target) === 0)!.patched! : undefined;
        const tag = targetName ? tagNamed(refs.value.tags, targetName) : undefined;
        const fixes: Fix[] = [];
        const ev = evidence(h.a, h.range, h.patched);
        // One move fixes them all: it goes on the first finding of the site, so no two fixes edit one line.
        if (tag && target && i === 0) {
          const edits = bumpEdits(s, tag, refs.value.tags[tag]);
          const crosses = target.parts[0] !== running.v.parts[0];
          if (edits)
            fixes.push({
              title: `Move ${s.name} from ${running.name} to ${tag} (${hits.map((x) => x.a.id).join(', ')})`,
              safe: !crosses,
              ...(crosses ? { reviewReason: `The first patched release, ${tag}, is a new major version: it may change inputs or behaviour, read its release notes before applying.` } : {}),
              caveat: `Fixes ${hits.map((x) => x.a.id).join(', ')}; read the release notes between ${running.name} and ${tag}.`,
              edits,
              evidence: [ev],
            });
        }
        const fixedIn = h.patched ? `fixed in ${h.patched}` : 'no patched release yet';
        findings.push(
          finding(meta, {
            message: `${s.name}@${s.pinned ? s.ref.slice(0, 12) + '…' : s.ref}${running.name !== s.ref ? ` (${running.name})` : ''} is affected by ${h.a.id}${h.a.cve ? ` (${h.a.cve})` : ''}: ${h.a.summary} — vulnerable ${h.range}, ${fixedIn}`,
            severity: SEVERITY[h.a.severity],
            location: s.location,
            details: [`${h.a.url}`],
            fixes,
          }),
        );
      }
    });
    return onlineOutcome(ctx, findings, sites.length, unknown, OUTCOME);
  },
};
