import type { Evidence, Fix, TextEdit } from '../core/model';
import { PIN_ACTION_PROVIDER, type DeferredFixProvider, type PinActionData, type ResolvedFix } from '../core/fix/deferred';
import { parseUses, VERSION_COMMENT } from '../core/yaml/uses';
import { GitHubError } from './errors';
import type { RefResolver, ResolvedRef } from './resolver';
import type { GitHubEndpoints } from './urls';

// The pin fix: `uses: owner/repo@v4` → `uses: owner/repo@<sha> # v4.2.2`, touching only the value and
// the comment on that line, with evidence a reviewer can check in two clicks.

/**
 * Why "the commit is reachable from that tag in that same repository" matters: GitHub serves any
 * commit of a fork network under every repository of the network, so `actions/checkout@<sha>` can run
 * a commit that only exists in someone's fork (an "impostor commit"). We take the SHA from the tag or
 * branch list that the action's own repository advertises (git ls-remote of <url>/<owner>/<repo>.git,
 * or its matching-refs API); a fork's refs are never in that list, so the pinned commit is the one the
 * repository itself publishes under that tag.
 */
export const IMPOSTOR_NOTE =
  "The SHA was read from the action repository's own list of tags and branches; commits that exist only in a fork are never in that list, so this is not a fork-network impostor commit.";

export function compareUrl(ep: GitHubEndpoints, r: { owner: string; repo: string }, from: string, to: string): string {
  return `${ep.web}/${r.owner}/${r.repo}/compare/${encodeURIComponent(from)}...${to}`;
}

export function releaseUrl(ep: GitHubEndpoints, r: { owner: string; repo: string }, tag: string): string {
  return `${ep.web}/${r.owner}/${r.repo}/releases/tag/${encodeURIComponent(tag)}`;
}

/** Evidence for one pin: what it was resolved from, when, why it is this repository's commit, links. */
export function pinEvidence(ep: GitHubEndpoints, r: ResolvedRef, path?: string): Evidence {
  const name = `${r.owner}/${r.repo}${path ? '/' + path : ''}`;
  const details: Record<string, string> = {
    action: name,
    ref: r.ref,
    refKind: r.kind,
    commit: r.sha,
    version: r.version,
    resolvedWith: r.source === 'git' ? `git ls-remote ${ep.web}/${r.owner}/${r.repo}.git` : 'GitHub REST API',
  };
  if (r.tag) details.tag = r.tag + (r.tagAnnotated ? ' (annotated)' : '');
  if (r.date) details[r.dateKind === 'tag' ? 'tagDate' : 'commitDate'] = r.date;
  if (r.reachable) details.reachable = `${r.reachable}. ${IMPOSTOR_NOTE}`;
  else details.reachable = 'not shown: no tag or branch of this repository points to the commit';
  if (r.notes.length) details.notes = r.notes.join('; ');
  const links = [{ title: `Compare ${r.ref}...${r.sha.slice(0, 7)}`, url: compareUrl(ep, r, r.ref, r.sha) }];
  if (r.tag) links.push({ title: `Release ${r.tag}`, url: releaseUrl(ep, r, r.tag) });
  const when = r.date ? `, ${r.dateKind === 'tag' ? 'tagged' : 'committed'} ${r.date.slice(0, 10)}` : '';
  const summary = `${name}@${r.ref} → ${r.sha.slice(0, 12)} (${r.version}${when})` + (r.cooldownFrom ? ` — older than ${r.cooldownFrom.version} because of the minimum release age` : '');
  return { kind: 'pin', summary, details, links };
}

/** Markdown for an editor hover on a `uses:` line. */
export function evidenceMarkdown(e: Evidence): string {
  const d = e.details ?? {};
  const lines = [`**${e.summary}**`, ''];
  const row = (k: string, label: string) => d[k] && lines.push(`- ${label}: ${d[k].replace(/[\\`*_[\]]/g, '\\$&')}`);
  row('refKind', 'Ref kind');
  row('tag', 'Tag');
  row('tagDate', 'Tag date');
  row('commitDate', 'Commit date');
  row('commit', 'Commit');
  row('reachable', 'Belongs to the repository');
  row('resolvedWith', 'Resolved with');
  row('notes', 'Notes');
  if (e.links?.length) lines.push('', e.links.map((l) => `[${l.title}](${l.url})`).join(' · '));
  return lines.join('\n');
}

/**
 * Evidence for a hover: resolves the `uses:` value (cached after the first lookup). Undefined for
 * local actions and docker images; a `failure` line when it cannot be resolved.
 */
export async function hoverEvidence(resolver: RefResolver, usesValue: string): Promise<{ evidence?: Evidence; markdown: string } | undefined> {
  const u = parseUses(usesValue);
  if (u.kind !== 'repo') return undefined;
  try {
    const r = await resolver.resolve(u.owner, u.repo, u.ref);
    const evidence = pinEvidence(resolver.endpoints, r, u.path);
    return { evidence, markdown: evidenceMarkdown(evidence) };
  } catch (e) {
    return { markdown: `Steward could not resolve ${u.owner}/${u.repo}@${u.ref}: ${e instanceof Error ? e.message : String(e)}` };
  }
}

/** End of the line that contains `offset` (before \r\n or \n). */
function lineEnd(text: string, offset: number): number {
  const nl = text.indexOf('\n', offset);
  const end = nl < 0 ? text.length : nl;
  return end > offset && text[end - 1] === '\r' ? end - 1 : end;
}

/** Finds the start of a YAML comment in `rest` (text after the value on its line), ignoring '#' in quotes. */
function commentStart(rest: string): number {
  let quote: string | undefined;
  for (let i = 0; i < rest.length; i++) {
    const c = rest[i];
    if (quote) {
      if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '#' && (i === 0 || /\s/.test(rest[i - 1]))) return i;
  }
  return -1;
}

/** True when a comment is only a version note (`# v4`, `# tag=v1.2.3`, `# pin @v2`), safe to replace. */
export function isVersionComment(comment: string): boolean {
  const m = VERSION_COMMENT.exec(comment);
  return !!m && m.index === 0 && comment.slice(m[0].length).trim() === '';
}

/**
 * Edits that write `<uses value>@<sha>` and `# <version>` on the value's line, preserving quotes,
 * spacing and any non-version comment. Returns undefined when the text no longer matches the data.
 */
export function pinEdits(text: string, data: PinActionData, sha: string, version: string): TextEdit[] | undefined {
  const raw = text.slice(data.start, data.end);
  const q = raw[0] === '"' || raw[0] === "'" ? raw[0] : '';
  const inner = q ? raw.slice(1, raw.endsWith(q) ? -1 : undefined) : raw;
  const u = parseUses(inner);
  if (u.kind !== 'repo' || u.owner !== data.owner || u.repo !== data.repo || u.ref !== data.ref) return undefined;
  const edits: TextEdit[] = [];
  const target = inner.slice(0, inner.lastIndexOf('@'));
  const newValue = `${q}${target}@${sha}${q}`;
  if (newValue !== raw) edits.push({ file: data.file, start: data.start, end: data.end, newText: newValue });
  // A value that spans lines cannot carry a same-line comment safely.
  if (raw.includes('\n')) return edits;
  const eol = lineEnd(text, data.end);
  const rest = text.slice(data.end, eol);
  const c = commentStart(rest);
  const want = `# ${version}`;
  if (c >= 0) {
    const comment = rest.slice(c).replace(/\s+$/, '');
    if (comment === want) return edits;
    const at = data.end + c;
    if (isVersionComment(comment)) edits.push({ file: data.file, start: at, end: at + comment.length, newText: want });
    else edits.push({ file: data.file, start: at, end: at, newText: `${want} ` });
    return edits;
  }
  // No comment: put it after the value, or (flow mappings like `{uses: a/b@v1}`) at the end of the line,
  // where it cannot swallow the closing bracket.
  const trailing = rest.replace(/\s+$/, '');
  const at = data.end + trailing.length;
  edits.push({ file: data.file, start: at, end: at, newText: ` ${want}` });
  return edits;
}

export interface PinProviderOptions {
  /** Called once per resolved pin (the CLI prints evidence; the PR flow collects it). */
  onResolved?: (r: ResolvedRef, data: PinActionData) => void;
}

/** DeferredFixProvider for 'pin-action': resolves the ref and returns edits plus evidence. */
export class PinActionProvider implements DeferredFixProvider {
  readonly id = PIN_ACTION_PROVIDER;
  constructor(
    private readonly resolver: RefResolver,
    private readonly opts: PinProviderOptions = {},
  ) {}

  async resolve(fix: Fix, text: string): Promise<ResolvedFix> {
    const data = fix.deferred?.data as PinActionData | undefined;
    if (!data || typeof data.start !== 'number' || typeof data.owner !== 'string') return { edits: [], failure: 'the fix carries no pin data' };
    let r: ResolvedRef;
    try {
      r = await this.resolver.resolve(data.owner, data.repo, data.ref);
    } catch (e) {
      return { edits: [], failure: e instanceof GitHubError || e instanceof Error ? e.message : String(e) };
    }
    const edits = pinEdits(text, data, r.sha, r.version);
    if (!edits) return { edits: [], failure: `${data.file} changed since it was checked: the uses: value is no longer ${data.owner}/${data.repo}@${data.ref}` };
    this.opts.onResolved?.(r, data);
    return { edits, evidence: [pinEvidence(this.resolver.endpoints, r, data.path)] };
  }
}
