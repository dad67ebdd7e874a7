import type { Finding } from '../model';

// Files that say they are generated ("This file is generated automatically, and should not be
// modified", Go's "Code generated … DO NOT EDIT.", "@generated") are rebuilt from a template or a
// script: an edit to them is undone by the next regeneration, and projects that check the generated
// files are up to date fail the pull request. So no fix to such a file is safe.

const HEAD_LINES = 15;
const GENERATED = /\b(?:auto-?generated|generated\s+(?:automatically|by|from|with)|is\s+generated|code\s+generated)\b|@generated\b/i;
const DO_NOT_EDIT = /\b(?:do\s+not|don'?t|should\s+not|shouldn'?t|must\s+not|never)\s+(?:be\s+)?(?:edit|modif|change|touch)|\bdo\s+not\s+edit\b|@generated\b/i;

/** The comment line that says the text is generated, or undefined. Reads only the first lines' comments. */
export function generatedMarker(text: string): string | undefined {
  let end = 0;
  for (let i = 0; i < HEAD_LINES && end !== -1; i++) end = text.indexOf('\n', end + 1);
  const head = (end === -1 ? text : text.slice(0, end)).split(/\r\n|\r|\n/);
  const comments = head.map((l) => l.trim()).filter((l) => /^(?:#|\/\/|<!--|\/\*|\*)/.test(l));
  const joined = comments.join(' ');
  if (!GENERATED.test(joined) || !DO_NOT_EDIT.test(joined)) return undefined;
  return comments.find((l) => GENERATED.test(l)) ?? comments[0];
}

/**
 * The header comment lines after the marker that say where the file comes from ("Instead, please
 * modify the template in the pr-checks directory and run: pr-checks/sync.sh"), joined; at most three.
 */
function whereFrom(text: string, marker: string): string {
  const lines = text.split(/\r\n|\r|\n/, HEAD_LINES).map((l) => l.trim());
  const at = lines.indexOf(marker);
  const out: string[] = [];
  for (let i = at + 1; i < lines.length && out.length < 3; i++) {
    const l = lines[i];
    if (!/^(?:#|\/\/|\*)/.test(l)) break;
    const body = stripComment(l);
    if (body === '') break;
    out.push(body);
  }
  return out.join(' ');
}

function stripComment(line: string): string {
  return line.replace(/^(?:#|\/\/|<!--|\/\*|\*)\s*/, '').replace(/\s*(?:-->|\*\/)$/, '').trim();
}

function clip(s: string, n: number): string {
  return s.length > n ? `${s.slice(0, n - 1)}…` : s;
}

/**
 * Removes every fix of `finding` that edits a generated file, and says under the finding where the
 * change has to be made instead. An edit to a generated file is undone by the next regeneration, and
 * projects that verify their generated files are up to date (codeql-action's "Verify PR checks up to
 * date") fail the pull request, so such a diff cannot be merged even after review. `textOf` gives a
 * repository file's text (undefined when unknown).
 */
export function markGeneratedFileFixes(finding: Finding, textOf: (file: string) => string | undefined, memo: Map<string, string | undefined>): void {
  const fixes = finding.fixes ?? [];
  if (fixes.length === 0) return;
  const said = new Set<string>();
  const kept = fixes.filter((fix) => {
    const deferredFile = typeof fix.deferred?.data?.file === 'string' ? [fix.deferred.data.file] : [];
    for (const file of new Set([...fix.edits.map((e) => e.file), ...deferredFile])) {
      if (!memo.has(file)) {
        const t = textOf(file);
        memo.set(file, t === undefined ? undefined : generatedMarker(t));
      }
      const marker = memo.get(file);
      if (marker === undefined) continue;
      if (!said.has(file)) {
        said.add(file);
        const where = whereFrom(textOf(file) ?? '', marker);
        const note = `\`${file}\` says it is generated ("${clip(stripComment(marker), 90)}"): Steward offers no fix here, because the next regeneration would undo it.`;
        finding.details = [...(finding.details ?? []), where ? `${note} Make the change where it is generated from: "${clip(where, 160)}"` : `${note} Make the change where it is generated from.`];
      }
      return false;
    }
    return true;
  });
  if (kept.length !== fixes.length) finding.fixes = kept;
}
