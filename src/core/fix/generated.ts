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
 * Turns every fix of `finding` that edits a generated file into a review fix that says so. `textOf`
 * gives a repository file's text (undefined when unknown).
 */
export function markGeneratedFileFixes(finding: Finding, textOf: (file: string) => string | undefined, memo: Map<string, string | undefined>): void {
  for (const fix of finding.fixes ?? []) {
    if (!fix.safe) continue;
    const deferredFile = typeof fix.deferred?.data?.file === 'string' ? [fix.deferred.data.file] : [];
    for (const file of new Set([...fix.edits.map((e) => e.file), ...deferredFile])) {
      if (!memo.has(file)) {
        const t = textOf(file);
        memo.set(file, t === undefined ? undefined : generatedMarker(t));
      }
      const marker = memo.get(file);
      if (marker === undefined) continue;
      fix.safe = false;
      const said = marker.replace(/^(?:#|\/\/|<!--|\/\*|\*)\s*/, '').replace(/\s*(?:-->|\*\/)$/, '');
      fix.reviewReason = `\`${file}\` says it is generated ("${said.length > 90 ? `${said.slice(0, 87)}…` : said}"): make this change where it is generated from, or the next regeneration undoes it.`;
      break;
    }
  }
}
