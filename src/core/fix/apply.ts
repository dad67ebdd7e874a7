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

/** Why two edits (in `applyEdits` order: `a` sorts first) cannot both apply, or undefined when they can. */
function pairConflict(a: TextEdit, b: TextEdit): string | undefined {
  if (b.start < a.end || (b.start === a.start && b.start !== b.end && a.start !== a.end)) return `overlapping edits at offset ${b.start}`;
  return undefined;
}

const byPosition = (a: TextEdit, b: TextEdit) => a.start - b.start || a.end - b.end;

/** Index of the first edit in `sorted` that does not sort before `e` (by start, then end). */
function lowerBound(sorted: readonly TextEdit[], e: TextEdit): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (byPosition(sorted[mid], e) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

const editKey = (e: TextEdit) => `${e.file}\u0000${e.start}\u0000${e.end}\u0000${e.newText}`;

/**
 * Groups the edits of several fixes by file, dropping fixes that conflict with ones already taken.
 * Linear-ish in the number of edits: each fix is checked against its neighbours in a sorted list of
 * the edits taken so far (with no overlap among those, a new edit conflicts with some taken edit only
 * if it conflicts with the one just before or just after it). Trial-applying every taken edit again
 * for each fix made a 34k-job workflow's fix run take hours.
 */
export function combineFixes(fixes: readonly Fix[]): { byFile: Map<string, TextEdit[]>; skipped: { fix: Fix; reason: string }[] } {
  const byFile = new Map<string, TextEdit[]>();
  const taken = new Map<string, { sorted: TextEdit[]; keys: Set<string>; creates: boolean }>();
  const skipped: { fix: Fix; reason: string }[] = [];
  for (const fix of fixes) {
    const perFile = new Map<string, TextEdit[]>();
    for (const e of fix.edits) {
      const list = perFile.get(e.file);
      if (list) list.push(e);
      else perFile.set(e.file, [e]);
    }
    let reason: string | undefined;
    for (const [file, edits] of perFile) {
      const t = taken.get(file);
      // Files the fix creates are not checked for overlaps (as before): there is no text to overlap.
      if (t?.creates || edits.some((e) => e.create)) continue;
      const seen = new Set<string>();
      const fresh = edits.filter((e) => {
        const k = editKey(e);
        if (seen.has(k) || t?.keys.has(k)) return false;
        seen.add(k);
        return true;
      });
      const own = [...fresh].sort(byPosition);
      for (let i = 0; i < own.length && !reason; i++) {
        if (own[i].start > own[i].end) reason = `edit out of range at offset ${own[i].start}`;
        else if (i > 0) reason = pairConflict(own[i - 1], own[i]);
      }
      if (t) {
        for (const e of own) {
          if (reason) break;
          const at = lowerBound(t.sorted, e);
          if (at > 0) reason = pairConflict(t.sorted[at - 1], e);
          if (!reason && at < t.sorted.length) reason = pairConflict(e, t.sorted[at]);
        }
      }
      if (reason) break;
    }
    if (reason) {
      skipped.push({ fix, reason });
      continue;
    }
    for (const [file, edits] of perFile) {
      let t = taken.get(file);
      if (!t) {
        t = { sorted: [], keys: new Set(), creates: false };
        taken.set(file, t);
      }
      const out = byFile.get(file) ?? [];
      for (const e of edits) {
        const k = editKey(e);
        if (t.keys.has(k)) continue;
        t.keys.add(k);
        out.push(e);
        if (e.create) t.creates = true;
        // Usually appended (fixes arrive in file order), so the splice rarely moves anything.
        const last = t.sorted[t.sorted.length - 1];
        if (!last || byPosition(last, e) <= 0) t.sorted.push(e);
        else t.sorted.splice(lowerBound(t.sorted, e), 0, e);
      }
      byFile.set(file, out);
    }
  }
  return { byFile, skipped };
}
