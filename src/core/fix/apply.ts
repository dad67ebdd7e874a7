import type { Fix, TextEdit } from '../model';

// Applying text edits. Edits are against the original text; they are applied from the end so earlier
// offsets stay valid. Identical edits (two findings proposing the same change) are applied once;
// overlapping different edits are refused rather than guessed at.

export class EditConflictError extends Error {}

export function dedupeEdits(edits: readonly TextEdit[]): TextEdit[] {
  const seen = new Set<string>();
  const out: TextEdit[] = [];
  for (const e of edits) {
    const k = `${e.file}\u0000${e.start}\u0000${e.end}\u0000${e.newText}`;
    if (!seen.has(k)) {
      seen.add(k);
      out.push(e);
    }
  }
  return out;
}

/** Applies edits for one file to its text. Throws EditConflictError on overlapping edits. */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const sorted = dedupeEdits(edits).sort((a, b) => a.start - b.start || a.end - b.end);
  for (let i = 1; i < sorted.length; i++) {
    const prev = sorted[i - 1];
    const cur = sorted[i];
    // Two insertions at one point are fine (kept in order); anything else overlapping is a conflict.
    if (cur.start < prev.end || (cur.start === prev.start && cur.start !== cur.end && prev.start !== prev.end)) {
      throw new EditConflictError(`overlapping edits at offset ${cur.start}`);
    }
  }
  let out = '';
  let pos = 0;
  for (const e of sorted) {
    if (e.start < pos || e.end > text.length || e.start > e.end) throw new EditConflictError(`edit out of range at offset ${e.start}`);
    out += text.slice(pos, e.start) + e.newText;
    pos = e.end;
  }
  return out + text.slice(pos);
}

/** Groups the edits of several fixes by file, dropping fixes that conflict with ones already taken. */
export function combineFixes(fixes: readonly Fix[]): { byFile: Map<string, TextEdit[]>; skipped: { fix: Fix; reason: string }[] } {
  const byFile = new Map<string, TextEdit[]>();
  const skipped: { fix: Fix; reason: string }[] = [];
  for (const fix of fixes) {
    const trial = new Map<string, TextEdit[]>();
    for (const e of fix.edits) trial.set(e.file, [...(trial.get(e.file) ?? byFile.get(e.file) ?? []), e]);
    let ok = true;
    for (const [, edits] of trial) {
      try {
        if (!edits.some((e) => e.create)) applyEdits('\u0000'.repeat(Math.max(0, ...edits.map((e) => e.end))), edits);
      } catch (err) {
        ok = false;
        skipped.push({ fix, reason: err instanceof Error ? err.message : String(err) });
        break;
      }
    }
    if (ok) for (const [f, edits] of trial) byFile.set(f, dedupeEdits(edits));
  }
  return { byFile, skipped };
}
