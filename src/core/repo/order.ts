// String order for sorting paths, ids and names the way `a.localeCompare(b)` does, without paying for
// it: the first localeCompare of a process loads ICU's collation data (about 8 ms of CPU, most of a
// small repository's checks), and most strings Steward sorts are lower-case paths and identifiers.

/** Strings whose locale order is their code-unit order: lower-case letters, digits, `-`, `.`, `/`. */
const PLAIN = /^[a-z0-9./-]*$/;

/**
 * Exactly `a.localeCompare(b)`. For two strings of lower-case letters, digits, `-`, `.` and `/`, the
 * root collation orders characters as their code units do (punctuation `-` < `.` < `/`, then digits,
 * then letters; no case or accent levels to break ties), so those are compared directly; anything
 * else goes to localeCompare.
 */
export function localeOrder(a: string, b: string): number {
  if (PLAIN.test(a) && PLAIN.test(b)) return a < b ? -1 : a > b ? 1 : 0;
  return a.localeCompare(b);
}
