import picomatch from 'picomatch';

// Globs from the repository (Dependabot `directories`, package.json `workspaces`, steward.yml `ignore`), matched with
// picomatch, compiled once per pattern. picomatch turns each `*` of a segment into a lazy quantifier,
// and a segment of many `*` separated by letters backtracks exponentially: 12 of them took 1.2 s on a
// 30-character path, and a hostile configuration could hang the scan. A segment with more than
// MAX_STARS separate `*` (real globs have one or two) is not evaluated: the caller says what it counts
// as, the answer that never invents a finding (a directory covered, a manifest inside its workspace).

const MAX_STARS = 3;
const MAX_LENGTH = 1024;
const compiled = new Map<string, ((p: string) => boolean) | null>();

/** Whether a glob is too costly to evaluate (see above). */
export function tooComplex(pattern: string): boolean {
  if (pattern.length > MAX_LENGTH) return true;
  for (const seg of pattern.split('/')) if (seg !== '**' && (seg.match(/\*+/g)?.length ?? 0) > MAX_STARS) return true;
  return false;
}

/** picomatch.isMatch(path, pattern, { dot: true }), compiled once per pattern; `ifTooComplex` for a glob too costly to evaluate. */
export function globMatches(path: string, pattern: string, ifTooComplex: boolean): boolean {
  let m = compiled.get(pattern);
  if (m === undefined) {
    m = tooComplex(pattern) ? null : picomatch(pattern, { dot: true });
    if (compiled.size > 10_000) compiled.clear();
    compiled.set(pattern, m);
  }
  return m === null ? ifTooComplex : m(path);
}
