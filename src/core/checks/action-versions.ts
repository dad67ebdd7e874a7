import { localeOrder } from '../repo/order';
// Version tags of actions (v4, v4.2, v4.2.2, 1.2.3-rc.1) and the ranges GitHub's advisory database
// writes for them (`< 4.0.1`, `>= 1.0.0, < 1.2.3`, `= 2.0.0`). Kept in the core so the action audits
// can compare versions without the GitHub layer.

export interface Version {
  parts: number[];
  pre?: string;
}

export function parseVersion(name: string): Version | undefined {
  const m = /^v?(\d+)(?:\.(\d+))?(?:\.(\d+))?(?:\.(\d+))?(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$/.exec(name.trim());
  if (!m) return undefined;
  return { parts: m.slice(1, 5).filter((p) => p !== undefined).map(Number), ...(m[5] ? { pre: m[5] } : {}) };
}

/** Semver order; missing components count as 0, a pre-release sorts before its release. */
export function compareVersions(a: Version, b: Version): number {
  for (let i = 0; i < 4; i++) {
    const d = (a.parts[i] ?? 0) - (b.parts[i] ?? 0);
    if (d) return d;
  }
  if (a.pre && !b.pre) return -1;
  if (!a.pre && b.pre) return 1;
  if (a.pre && b.pre) return a.pre.localeCompare(b.pre, 'en', { numeric: true });
  return 0;
}

/** The most specific version among tag names: most components first, releases over pre-releases, highest. */
export function mostSpecific(names: readonly string[]): string | undefined {
  const vs = names.map((n) => ({ n, v: parseVersion(n) })).filter((x): x is { n: string; v: Version } => !!x.v);
  vs.sort((a, b) => b.v.parts.length - a.v.parts.length || (a.v.pre ? 1 : 0) - (b.v.pre ? 1 : 0) || compareVersions(b.v, a.v) || localeOrder(a.n, b.n));
  return vs[0]?.n;
}

/** `v4` covers v4.2.2; `v4.2` covers v4.2.2; a full version covers only itself. */
export function covers(line: Version, v: Version): boolean {
  if (line.pre) return compareVersions(line, v) === 0 && !!v.pre;
  return line.parts.every((p, i) => v.parts[i] === p);
}

/**
 * Whether `v` is inside an advisory range: comma-separated comparisons that must all hold. Undefined
 * when the range cannot be read (the caller then says so instead of guessing).
 */
export function inRange(v: Version, range: string): boolean | undefined {
  const terms = range.split(',').map((t) => t.trim()).filter(Boolean);
  if (!terms.length) return undefined;
  for (const t of terms) {
    const m = /^(<=|>=|<|>|=|==)?\s*(\S+)$/.exec(t);
    if (!m) return undefined;
    const bound = parseVersion(m[2]);
    if (!bound) return undefined;
    const c = compareVersions(v, bound);
    const op = m[1] ?? '=';
    const ok = op === '<' ? c < 0 : op === '<=' ? c <= 0 : op === '>' ? c > 0 : op === '>=' ? c >= 0 : c === 0;
    if (!ok) return false;
  }
  return true;
}
