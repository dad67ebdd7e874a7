import type { Finding, Location } from '../model';
import type { Fact } from '../model/facts';
import { lookupUnavailable, type ActionAdvisory, type ActionLookup, type ActionRefs } from '../model/actions';
import { locationOf, rangeLocation } from '../yaml/parse';
import { parseUses, VERSION_COMMENT } from '../yaml/uses';
import { plural, usesSites, type UsesSite } from './helpers';
import type { RepoContext, RepoOutcome, SourceFile } from './types';
import { fileMemo } from '../repo/load';

// Shared by the online action audits: every `uses: owner/repo@ref` of the repository's workflows and
// composite actions, with the trailing comment on its line, and one way to turn per-action answers into
// a check status (unknown when an answer is missing, never a pass).

export interface ActionSite {
  file: SourceFile;
  site: UsesSite;
  owner: string;
  repo: string;
  path?: string;
  ref: string;
  /** `ref` is a full commit SHA. */
  pinned: boolean;
  /** Offsets of the scalar (quotes included). */
  start: number;
  end: number;
  location: Location;
  /** The comment after the value on its line, when there is one. */
  comment?: { text: string; start: number; end: number; version?: string };
  /** `owner/repo[/path]`. */
  name: string;
}

export function actionSites(ctx: RepoContext): ActionSite[] {
  const out: ActionSite[] = [];
  // Five online audits ask for the sites of every file on every scan: kept per file (its content), so a
  // re-check after a save finds the sites of the edited file only. Sites are never edited by the checks.
  for (const file of [...ctx.byKind('workflow'), ...ctx.byKind('action')]) {
    if (file.yaml) for (const s of fileMemo(file, 'action-sites', sitesIn)) out.push(s);
  }
  return out;
}

/**
 * How many of the repository's action sites `keep` keeps: what an online audit offline looks at (with no
 * lookups it visits no site, it only counts them, see forEachAnswered and onlineOutcome). Counted per
 * file and kept per file content under `key` (the audit's, naming `keep`, which must depend on the site
 * only): a re-check after a save counts the edited file's sites, without a list of every site.
 */
export function countSites(ctx: RepoContext, key: string, keep?: (s: ActionSite) => boolean): number {
  let n = 0;
  const count = (file: SourceFile): number => {
    const sites = fileMemo(file, 'action-sites', sitesIn);
    if (!keep) return sites.length;
    let k = 0;
    for (const s of sites) if (keep(s)) k++;
    return k;
  };
  for (const file of ctx.byKind('workflow')) if (file.yaml) n += fileMemo(file, key, count);
  for (const file of ctx.byKind('action')) if (file.yaml) n += fileMemo(file, key, count);
  return n;
}

/** The action sites of one file, kept per file content like actionSites' (for a pass's own per-file memo). */
export function fileActionSites(file: SourceFile): readonly ActionSite[] {
  return file.yaml ? fileMemo(file, 'action-sites', sitesIn) : [];
}

function sitesIn(file: SourceFile): ActionSite[] {
  const out: ActionSite[] = [];
  const yaml = file.yaml!;
  for (const site of usesSites(file)) {
    if (site.value.includes('${{')) continue;
    const u = parseUses(site.value);
    if (u.kind !== 'repo') continue;
    const range = site.node.range;
    if (!range) continue;
    const line = yaml.lines.position(range[1]).line;
    const rest = yaml.text.slice(range[1], yaml.lines.lineEnd(line));
    const hash = /(?:^|\s)#/.exec(rest);
    let comment: ActionSite['comment'];
    if (hash) {
      const start = range[1] + hash.index + hash[0].length - 1;
      const text = rest.slice(hash.index + hash[0].length - 1).trimEnd();
      // Only a comment that starts with a version names one (`# v4.2.2`, `# tag=v4.2.2`, `# v4 (node 20)`).
      const m = VERSION_COMMENT.exec(text);
      comment = { text, start, end: start + text.length, ...(m && m.index === 0 ? { version: m[1] } : {}) };
    }
    out.push({
      file,
      site,
      owner: u.owner,
      repo: u.repo,
      path: u.path,
      ref: u.ref,
      pinned: u.pinned,
      start: range[0],
      end: range[1],
      location: locationOf(yaml, site.node) ?? rangeLocation(yaml, range[0], range[1]),
      comment,
      name: `${u.owner}/${u.repo}${u.path ? '/' + u.path : ''}`,
    });
  }
  return out;
}

/**
 * Starts the lookups a check is about to make, one per action repository, all at once: the GitHub layer
 * bounds how many run together, and the check's loop then finds them answered instead of waiting for
 * each repository in turn.
 */
export async function prefetch(ctx: RepoContext, sites: readonly ActionSite[], kinds: readonly ('refs' | 'repository' | 'advisories')[]): Promise<void> {
  const a = ctx.actions;
  if (!a) return;
  const repos = new Map<string, ActionSite>();
  for (const s of sites) repos.set(`${s.owner}/${s.repo}`.toLowerCase(), s);
  await Promise.all([...repos.values()].flatMap((s) => kinds.map((k) => a[k](s.owner, s.repo))));
}

type Answer<K extends 'refs' | 'advisories'> = K extends 'refs' ? ActionRefs : ActionAdvisory[];

/**
 * The loop every online audit runs: prefetch the `kind` lookup of every site's repository, then visit
 * each site in order with its answer. A site whose answer is unknown is not visited; its repository
 * goes into the returned map (`owner/repo` → why) for onlineOutcome. Offline (no lookup) nothing is
 * visited. `visit` gets the same map to record lookups of its own that had no answer.
 */
export async function forEachAnswered<K extends 'refs' | 'advisories'>(
  ctx: RepoContext,
  sites: readonly ActionSite[],
  kind: K,
  visit: (s: ActionSite, answer: Answer<K>, lookup: ActionLookup, unknown: Map<string, string>) => void | Promise<void>,
): Promise<Map<string, string>> {
  const unknown = new Map<string, string>();
  const lookup = ctx.actions;
  if (!lookup) return unknown;
  await prefetch(ctx, sites, [kind]);
  for (const s of sites) {
    const answer = await (lookup[kind](s.owner, s.repo) as Promise<Fact<Answer<K>>>);
    if (!answer.known) {
      unknown.set(`${s.owner}/${s.repo}`, answer.reason);
      continue;
    }
    await visit(s, answer.value, lookup, unknown);
  }
  return unknown;
}

/** Location of a site's comment (falls back to the value). */
export function commentLocation(s: ActionSite): Location {
  return s.comment && s.file.yaml ? rangeLocation(s.file.yaml, s.comment.start, s.comment.end) : s.location;
}

/** The version tag named by `v` in `tags`: as written, or with/without the leading `v`. */
export function tagNamed(tags: Record<string, string>, v: string): string | undefined {
  if (tags[v] !== undefined) return v;
  const alt = v.startsWith('v') ? v.slice(1) : `v${v}`;
  return tags[alt] !== undefined ? alt : undefined;
}

/**
 * The outcome of an online check: fail with the findings; else unknown when some actions could not be
 * looked up (and why); else pass. `checked` counts the sites the check looked at.
 */
export function onlineOutcome(ctx: RepoContext, findings: Finding[], checked: number, unknown: Map<string, string>, what: { none: string; pass: (n: number) => string }): RepoOutcome {
  const offline = lookupUnavailable(ctx);
  if (!checked) return { status: ctx.byKind('workflow').length || ctx.byKind('action').length ? 'pass' : 'not-applicable', reason: what.none, findings: [] };
  if (findings.length) {
    const more = unknown.size ? ` (${plural(unknown.size, 'action')} could not be checked: ${[...unknown.values()][0]})` : '';
    return { status: 'fail', reason: `${plural(findings.length, 'finding')}${more}`, findings };
  }
  if (offline) return { status: 'unknown', reason: `Unknown: ${offline}`, findings: [] };
  if (unknown.size) {
    const [name, why] = [...unknown.entries()][0];
    return { status: 'unknown', reason: `Unknown: ${plural(unknown.size, 'action')} could not be looked up (${name}: ${why})`, findings: [] };
  }
  return { status: 'pass', reason: what.pass(checked), findings: [] };
}
