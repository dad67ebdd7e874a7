import { applyEdits, combineFixes } from '../../core/fix/apply';
import { reviewReasonOf, type Finding, type Fix, type TextEdit } from '../../core/model';
import { plainText } from '../../core/report/text';

// The editor's fix planning, kept free of 'vscode' so it can be unit-tested: which fixes a quick fix or
// "Fix all" takes, how a fix is found again after a re-scan, how several fixes become one set of
// non-overlapping edits, and the summary of what was left and why.

/** Identifies a fix of a finding across re-scans (offsets move; rule, file, title and line mostly do not). */
export interface FixRef {
  ruleId: string;
  file?: string;
  line?: number;
  column?: number;
  title: string;
}

export interface FixChoice {
  /** Absent for a fix put together from several findings (the tree's "fix the whole check"). */
  finding?: Finding;
  fix: Fix;
}

export type LeftWhy = 'unsafe' | 'needs-network' | 'conflict' | 'failed' | 'stale';

export interface LeftItem {
  ruleId: string;
  title: string;
  file?: string;
  line?: number;
  why: LeftWhy;
  /** One sentence: what went wrong or what to do. */
  detail: string;
}

export const LEFT_WHY_TEXT: Record<LeftWhy, string> = {
  unsafe: 'needs review (unsafe, not selected)',
  'needs-network': 'needs network',
  conflict: 'overlaps another fix (run Review fixes in the workspace again after this one)',
  failed: 'could not be applied',
  stale: 'the file changed since the scan',
};

export function refOf(finding: Finding, fix: Fix): FixRef {
  return { ruleId: finding.ruleId, file: finding.location?.file, line: finding.location?.start.line, column: finding.location?.start.column, title: fix.title };
}

/**
 * The fix a ref names in a (newer) list of findings: same rule, file and fix title; the exact position
 * when it is still there, else the nearest line (an edit above moved it). Suppressed findings never match.
 */
export function findFix(findings: readonly Finding[], ref: FixRef): Required<FixChoice> | undefined {
  let best: { choice: Required<FixChoice>; score: number } | undefined;
  for (const finding of findings) {
    if (finding.suppressed || finding.ruleId !== ref.ruleId || finding.location?.file !== ref.file) continue;
    const fix = finding.fixes.find((f) => f.title === ref.title);
    if (!fix) continue;
    const loc = finding.location;
    const score = loc && ref.line !== undefined ? Math.abs(loc.start.line - ref.line) * 1000 + Math.abs(loc.start.column - (ref.column ?? loc.start.column)) : 0;
    if (!best || score < best.score) best = { choice: { finding, fix }, score };
  }
  return best?.choice;
}

/** Applicable now, without the network: concrete edits. */
export function isDirect(fix: Fix): boolean {
  return !fix.deferred && fix.edits.length > 0;
}

/** Can be offered at all: concrete edits, or a deferred fix some provider may resolve. */
export function isOfferable(fix: Fix): boolean {
  return !!fix.deferred || fix.edits.length > 0;
}

/** Quick-fix title: the fix's title, and for unsafe ones that a review is needed and why. */
export function quickFixTitle(fix: Fix): string {
  const why = reviewReasonOf(fix);
  return plainText(why === undefined ? fix.title : `${fix.title} (review needed): ${why}`);
}

/**
 * What "Fix all" takes from a file's findings: per finding its first safe fix (concrete before
 * deferred; deferred only with `deferred`), optionally only one rule's findings.
 */
export function fixAllChoices(findings: readonly Finding[], file: string, opts: { ruleId?: string; deferred?: boolean } = {}): Required<FixChoice>[] {
  const out: Required<FixChoice>[] = [];
  for (const finding of findings) {
    if (finding.suppressed || finding.location?.file !== file) continue;
    if (opts.ruleId && finding.ruleId !== opts.ruleId) continue;
    const safe = finding.fixes.filter((f) => f.safe);
    const fix = safe.find(isDirect) ?? (opts.deferred ? safe.find((f) => !!f.deferred) : undefined);
    if (fix) out.push({ finding, fix });
  }
  return out;
}

export function leftOf(c: FixChoice, why: LeftWhy, detail: string): LeftItem {
  return { ruleId: c.finding?.ruleId ?? '', title: c.fix.title, file: c.finding?.location?.file ?? c.fix.edits[0]?.file, line: c.finding?.location?.start.line, why, detail };
}

export interface CombinedPlan {
  /** Edits per file, non-overlapping, against the text the scan saw. */
  byFile: Map<string, TextEdit[]>;
  taken: FixChoice[];
  left: LeftItem[];
}

/** Combines concrete fixes into one set of edits; a fix overlapping one already taken is left as a conflict. */
export function combineChoices<C extends FixChoice>(choices: readonly C[]): CombinedPlan & { taken: C[] } {
  const { byFile, skipped } = combineFixes(choices.map((c) => c.fix));
  const skippedFixes = new Map(skipped.map((s) => [s.fix, s.reason]));
  const taken: C[] = [];
  const left: LeftItem[] = [];
  for (const c of choices) {
    if (skippedFixes.has(c.fix)) left.push(leftOf(c, 'conflict', `it changes the same lines as another selected fix (${skippedFixes.get(c.fix)}); it is offered again after the re-scan`));
    else taken.push(c);
  }
  return { byFile, taken, left };
}

export interface FileResult {
  path: string;
  /** undefined for a file the fix creates. */
  before?: string;
  after: string;
  created: boolean;
}

/** The fixed text of every file of a plan (for previews); `textOf` gives the text the scan saw. */
export function fixedFiles(byFile: ReadonlyMap<string, readonly TextEdit[]>, textOf: (path: string) => string | undefined): FileResult[] {
  const out: FileResult[] = [];
  for (const [path, edits] of byFile) {
    const created = edits.some((e) => e.create);
    const before = created ? undefined : textOf(path);
    if (!created && before === undefined) throw new Error(`${path} was not part of the scan`);
    out.push({ path, before, after: applyEdits(before ?? '', edits), created });
  }
  return out.sort((a, b) => a.path.localeCompare(b.path));
}

/** Inserted lines follow the file's line endings even when a check wrote bare `\n`. */
export function matchEol(edits: readonly TextEdit[], text: string): TextEdit[] {
  if (!text.includes('\r\n')) return [...edits];
  return edits.map((e) => ({ ...e, newText: e.newText.replace(/\r?\n/g, '\r\n') }));
}

const plural = (n: number, one: string, many = one + 's') => `${n} ${n === 1 ? one : many}`;

/** The message after applying: what changed, then what was left grouped by reason. */
export function summarize(applied: number, files: number, left: readonly LeftItem[]): { message: string; detail: string } {
  const head = applied ? `Steward applied ${plural(applied, 'fix', 'fixes')} in ${plural(files, 'file')}` : 'Steward applied no fix';
  if (!left.length) return { message: `${head}.`, detail: '' };
  const order: LeftWhy[] = ['unsafe', 'needs-network', 'conflict', 'stale', 'failed'];
  const counts = order.filter((w) => left.some((l) => l.why === w)).map((w) => `${left.filter((l) => l.why === w).length} ${LEFT_WHY_TEXT[w].replace(/ \(.*\)$/, '')}`);
  const lines: string[] = [];
  for (const w of order) {
    const group = left.filter((l) => l.why === w);
    if (!group.length) continue;
    lines.push(`${LEFT_WHY_TEXT[w]}:`);
    for (const l of group) lines.push(`  ${l.file ? `${l.file}${l.line ? `:${l.line}` : ''}` : '(repository)'} ${plainText(l.title)} — ${plainText(l.detail)}`);
  }
  return { message: `${head}; left ${left.length}: ${counts.join(', ')}.`, detail: lines.join('\n') };
}

/** Failures that signing in can cure (private repository, rate limit, bad token). */
export function signInMayHelp(failure: string): boolean {
  return /rate limit|not visible|not found|private|401|403|unauthori[sz]ed|token|sign in/i.test(failure);
}

/** Failures that mean the network or online features are missing (as opposed to a bad ref). */
export function isNetworkFailure(failure: string): boolean {
  return /offline|network|reach|token|rate limit|online features|sign in|timed out|ENOTFOUND|ECONNREFUSED/i.test(failure);
}
