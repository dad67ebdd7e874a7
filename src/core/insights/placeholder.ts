// What Steward writes where only a maintainer knows the answer (who administers the project, whether
// it pays bounties, when the file was last reviewed). One marker, so the generator writes it and the
// security-insights-invalid check finds it: a file with one left is incomplete, not finished.

export const FILL_IN = 'FILL IN: ';

/** The placeholder for a value a maintainer must give, saying what it is. */
export function fillIn(what: string): string {
  return `${FILL_IN}${what}`;
}

/** Whether a value is still Steward's placeholder. */
export function isPlaceholder(v: unknown): v is string {
  return typeof v === 'string' && v.trimStart().startsWith(FILL_IN.trim());
}
