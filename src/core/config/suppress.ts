import picomatch from 'picomatch';
import { globMatches } from '../repo/glob';
import type { CheckMeta, Finding } from '../model';
import type { StewardConfig, ZizmorConfig } from './schema';
import { isMap, isScalar, isSeq, MAX_NESTING, nodeRange, type Pair, type Scalar, type YamlFile, type YAMLMap, type YAMLSeq } from '../yaml/parse';

// Triage decisions a project already made: our own inline comments and config, and zizmor's, so a
// contributor does not re-report what the maintainers looked at and accepted.

const STEWARD_COMMENT = /steward:\s*ignore\[/i;
const ZIZMOR_COMMENT = /zizmor:\s*ignore\[/i;

/**
 * The names listed in the line's first `<tool>: ignore[…]`, or undefined. The list ends at the first
 * `]` after the first comment head: when there is none, no later head has one either (a pattern
 * `ignore\[([^\]]*)\]` scanned to the end of the line from every head, the square of a hostile line).
 */
export function ignoreList(line: string, head: RegExp): string | undefined {
  const h = head.exec(line);
  if (!h) return undefined;
  const from = h.index + h[0].length;
  const close = line.indexOf(']', from);
  return close < 0 ? undefined : line.slice(from, close);
}

function listed(line: string | undefined, head: RegExp, ids: readonly string[]): boolean {
  if (!line) return false;
  const list = ignoreList(line, head);
  if (list === undefined) return false;
  const names = list.split(',').map((s) => s.trim().toLowerCase());
  return names.some((n) => n === 'all' || ids.includes(n));
}

export function zizmorIds(meta: CheckMeta): string[] {
  const z = meta.references.zizmor;
  return z === undefined ? [] : Array.isArray(z) ? z : [z];
}

const globCache = new Map<string, (p: string) => boolean>();
export function globMatch(glob: string, path: string): boolean {
  let m = globCache.get(glob);
  if (!m) {
    // A bare folder or file name matches itself and everything under it.
    const isGlob = picomatch.scan(glob).isGlob;
    // A glob too costly to evaluate (many `*` in one segment backtrack exponentially) suppresses nothing.
    const pm = (p: string) => globMatches(p, glob, false);
    const prefix = glob.replace(/\/+$/, '');
    m = isGlob ? pm : (p: string) => p === prefix || p.startsWith(prefix + '/') || pm(p);
    globCache.set(glob, m);
  }
  return m(path);
}

/** `path`, `glob`, `path:line` or `path:line:col` (zizmor's ignore form). */
function entryMatches(entry: string, f: Finding): boolean {
  if (!f.location) return false;
  const m = /^(.*?)(?::(\d+))?(?::(\d+))?$/.exec(entry)!;
  const [, p, line, col] = m;
  const file = f.location.file;
  const base = file.slice(file.lastIndexOf('/') + 1);
  if (!(globMatch(p, file) || p === base)) return false;
  if (line && Number(line) !== f.location.start.line) return false;
  if (col && Number(col) !== f.location.start.column) return false;
  return true;
}

export interface SuppressionSources {
  config: StewardConfig;
  zizmor?: ZizmorConfig;
  /** Lines of a file, for inline comments (1-based access through lineText). */
  lineText(file: string, line: number): string | undefined;
  /** The parsed YAML of a file, for comments anywhere on the finding's YAML node. */
  yaml?(file: string): YamlFile | undefined;
  /**
   * False when the file has no ignore comment at all (`steward: ignore[` / `zizmor: ignore[`): its
   * findings then skip the comment lookups (most files have none, and a re-check runs them all).
   */
  mayHaveIgnoreComments?(file: string): boolean;
}

/** Whether `text` could hold an ignore comment suppressionFor looks for (either form, any case). */
export const IGNORE_COMMENT_HINT = /(?:steward|zizmor):\s*ignore\[/i;

/**
 * Lines on which a YAML comment belongs to the finding's node, as zizmor reads ignore comments: the
 * innermost key/value pair holding the finding, from its key line to its value's last line. The
 * content lines of a block scalar (`run: |` bodies) are text, not comments, so only its header line
 * counts (`run: |  # zizmor: ignore[template-injection]` covers an expression further down).
 */
export function nodeCommentLines(y: YamlFile, line: number, column: number): number[] {
  if (line < 1 || line > y.lines.lineCount) return [];
  const offset = y.lines.lineStart(line) + column - 1;
  let best: Pair | undefined;
  let node: unknown = y.docs[0]?.contents;
  for (let depth = 0; depth < MAX_NESTING && node; depth++) {
    let next: unknown;
    if (isMap(node)) {
      const items = (node as YAMLMap).items;
      const i = containing(items, offset, pairRange);
      if (i >= 0) {
        best = items[i];
        next = items[i].value;
      }
    } else if (isSeq(node)) {
      const items = (node as YAMLSeq).items;
      const i = containing(items, offset, nodeRange);
      if (i >= 0) next = items[i];
    }
    node = next;
  }
  if (!best) return [];
  const r = pairRange(best)!;
  const first = y.lines.position(r[0]).line;
  let last = y.lines.position(Math.max(r[0], r[1] - 1)).line;
  const v = best.value;
  if (isScalar(v) && ((v as Scalar).type === 'BLOCK_LITERAL' || (v as Scalar).type === 'BLOCK_FOLDED')) {
    const vr = nodeRange(v);
    if (vr) last = y.lines.position(vr[0]).line;
  }
  const out: number[] = [];
  for (let l = first; l <= last; l++) out.push(l);
  return out;
}

/**
 * Sibling ranges of a collection, computed once per collection: a finding's lookup is then a binary
 * search, not a walk of every sibling (a 34k-job workflow had 34k findings each walking the `jobs` map).
 */
const rangesOf = new WeakMap<readonly unknown[], { at: number[]; ranges: [number, number][] }>();

/** Index of the first item whose range holds `offset` (as a linear walk would find), or -1. */
function containing<T>(items: readonly T[], offset: number, range: (it: T) => [number, number] | undefined): number {
  let c = rangesOf.get(items);
  if (!c) {
    c = { at: [], ranges: [] };
    for (let i = 0; i < items.length; i++) {
      const r = range(items[i]);
      if (r) {
        c.at.push(i);
        c.ranges.push(r);
      }
    }
    rangesOf.set(items, c);
  }
  const { at, ranges } = c;
  // Siblings come in source order: the last range starting at or before `offset`…
  let lo = 0;
  let hi = ranges.length - 1;
  let k = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (ranges[mid][0] <= offset) {
      k = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  // …or an earlier one that ends exactly where it starts (the first match wins, as before).
  let found = -1;
  for (let j = k; j >= 0 && ranges[j][1] >= offset; j--) if (ranges[j][0] <= offset) found = j;
  return found < 0 ? -1 : at[found];
}

function pairRange(p: Pair): [number, number] | undefined {
  const k = nodeRange(p.key);
  const v = nodeRange(p.value);
  if (!k) return v;
  return [k[0], v ? v[1] : k[1]];
}

/** The zizmor audits a finding stands for: its own audit when the rule names it, else all of the rule's. */
function auditsOf(f: Finding, zids: readonly string[]): string[] {
  return f.zizmorAudit && zids.includes(f.zizmorAudit) ? [f.zizmorAudit] : [...zids];
}

/** Marks a finding suppressed (returns the reason) or leaves it (undefined). */
export function suppressionFor(f: Finding, meta: CheckMeta, src: SuppressionSources): Finding['suppressed'] {
  const ids = [meta.id];
  const zids = auditsOf(f, zizmorIds(meta));
  if (f.location && src.mayHaveIgnoreComments?.(f.location.file) !== false) {
    const { file } = f.location;
    const lines = [f.location.start.line, f.location.start.line - 1];
    const y = src.yaml?.(file);
    if (y && !y.errors.length) for (const l of nodeCommentLines(y, f.location.start.line, f.location.start.column)) if (!lines.includes(l)) lines.push(l);
    for (const line of lines) {
      const text = src.lineText(file, line);
      if (listed(text, STEWARD_COMMENT, ids)) return { by: 'steward-comment', where: `${file}:${line}` };
      if (zids.length && listed(text, ZIZMOR_COMMENT, zids)) return { by: 'zizmor-comment', where: `${file}:${line}` };
    }
  }
  const rule = src.config.rules?.[meta.id];
  if (rule?.ignore?.some((e) => entryMatches(e, f))) return { by: 'steward-config', where: '.github/steward.yml' };
  for (const z of zids) {
    const zr = src.zizmor?.rules?.[z];
    if (!zr) continue;
    // A rule that stands for several audits: the project turned off this finding's kind only.
    if (zr.disable && zids.length === 1) return { by: 'zizmor-config', where: `zizmor.yml (${z} disabled)` };
    if (zr.ignore?.some((e) => entryMatches(e, f))) return { by: 'zizmor-config', where: 'zizmor.yml' };
  }
  return undefined;
}

/** Rules turned off wholesale by our config or by zizmor's `rules.<audit>.disable`. */
export function ruleDisabled(meta: CheckMeta, config: StewardConfig, zizmor?: ZizmorConfig): 'steward-config' | 'zizmor-config' | undefined {
  if (config.disable?.includes(meta.id) || config.rules?.[meta.id]?.disable) return 'steward-config';
  const zids = zizmorIds(meta);
  if (zids.length && zids.every((z) => zizmor?.rules?.[z]?.disable)) return 'zizmor-config';
  return undefined;
}

export function pathIgnored(path: string, config: StewardConfig): boolean {
  return (config.ignore ?? []).some((g) => globMatch(g, path));
}
