import * as assert from 'node:assert/strict';
import type { Check } from '../../src/core/checks/types';
import type { Finding, TextEdit } from '../../src/core/model';
import { applyEdits, dedupeEdits } from '../../src/core/fix/apply';
import { parseYaml } from '../../src/core/yaml/parse';
import { scanFiles } from './check-tester';

// The round-trip contract every fix must keep (ARCHITECTURE.md convention 4):
//  - the fixed text parses (YAML files),
//  - re-running the check finds nothing the fix claimed to fix,
//  - applying the fixes again changes nothing (convergence),
//  - every line outside the edited ones is byte-identical, and comments survive.

export interface RoundTripResult {
  /** Fixed contents by file. */
  files: Record<string, string>;
  applied: number;
  remaining: Finding[];
}

function textOf(v: string | Uint8Array): string {
  return typeof v === 'string' ? v : new TextDecoder().decode(v);
}

/** Lines of `before` that no edit touches must appear unchanged, in order, in `after`. */
export function assertUntouchedLinesKept(before: string, after: string, edits: readonly TextEdit[], file: string): void {
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
  assert.equal(i, kept.length, `${file}: a line outside the edits changed: ${JSON.stringify(kept[i])}`);
  const comments = (s: string) => (s.match(/#[^\n]*/g) ?? []).filter((c) => !c.startsWith('#!'));
  for (const c of comments(before)) {
    if (!edits.some((e) => before.slice(e.start, e.end).includes(c))) assert.ok(after.includes(c), `${file}: comment lost: ${c}`);
  }
}

/**
 * Applies every non-deferred fix of `check` (safe ones, plus unsafe when `unsafe`) to `files` and
 * asserts the round-trip contract. Returns the fixed files for exact-text assertions.
 */
export async function assertFixRoundTrip(check: Check, files: Record<string, string | Uint8Array>, opts: { unsafe?: boolean; extraPaths?: string[] } = {}): Promise<RoundTripResult> {
  const first = await scanFiles([check], files, { extraPaths: opts.extraPaths });
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
    out[file] = after;
  }
  const second = await scanFiles([check], out, { extraPaths: opts.extraPaths });
  const remaining = second.results[0].findings.filter((f) => !f.suppressed);
  const fixedTitles = new Set(fixes.map((f) => f.title));
  const stillFixable = remaining.filter((f) => f.fixes.some((x) => !x.deferred && x.edits.length && (x.safe || opts.unsafe) && fixedTitles.has(x.title)));
  assert.deepEqual(stillFixable.map((f) => `${f.location?.file}:${f.location?.start.line} ${f.message}`), [], 'fixes did not converge: the same fix is offered again');
  return { files: out, applied: fixes.length, remaining };
}
