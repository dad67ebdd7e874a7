import type { CheckMeta, CheckResult, CheckStatus, Finding, Severity } from '../model';
import { CATEGORIES, CATEGORY_TITLES, severityRank } from '../model';
import type { RepoScan } from '../engine';
import { escapeTerminal } from './escape';
import { essentialsScore, type EssentialRow } from './essentials';
import { localeOrder } from '../repo/order';

// Human output of `steward scan`: the Essentials with their score, findings grouped by file (in line
// order), then the posture of the other checks by category. Informational checks read as notes.

export interface Colors {
  bold(s: string): string;
  dim(s: string): string;
  red(s: string): string;
  yellow(s: string): string;
  green(s: string): string;
  blue(s: string): string;
  magenta(s: string): string;
}

const ansi = (code: number) => (s: string) => `\u001b[${code}m${s}\u001b[0m`;
export const COLORS: Colors = { bold: ansi(1), dim: ansi(2), red: ansi(31), yellow: ansi(33), green: ansi(32), blue: ansi(34), magenta: ansi(35) };
const id = (s: string) => s;
export const NO_COLORS: Colors = { bold: id, dim: id, red: id, yellow: id, green: id, blue: id, magenta: id };

/**
 * Repository or check text for the terminal: Markdown code spans read as quoted code (a terminal shows
 * no Markdown, so a backtick would be printed as is), and no control sequence reaches the terminal.
 */
function t(s: string): string {
  return escapeTerminal(plainText(s));
}

const STATUS_MARK: Record<CheckStatus, string> = { pass: '✓', fail: '✗', unknown: '?', 'not-applicable': '–', error: '!' };

function sevColor(c: Colors, s: Severity): (x: string) => string {
  return s === 'critical' || s === 'high' ? c.red : s === 'medium' ? c.yellow : s === 'low' ? c.blue : c.dim;
}

function statusColor(c: Colors, s: CheckStatus): (x: string) => string {
  return s === 'pass' ? c.green : s === 'fail' ? c.red : s === 'error' ? c.magenta : s === 'unknown' ? c.yellow : c.dim;
}

export interface TextOptions {
  colors: Colors;
  minSeverity?: Severity;
  /** Show the per-check posture list (default true). */
  posture?: boolean;
}

/**
 * A check that failed only with informational findings (or whose rule is informational): it is a note
 * for the reader, not a failure of the project, and is shown as such.
 */
export function isInformational(r: CheckResult, meta: CheckMeta | undefined): boolean {
  if (r.status !== 'fail') return false;
  const active = r.findings.filter((f) => !f.suppressed);
  return active.length ? active.every((f) => f.severity === 'info') : meta?.severity === 'info';
}

/** How a check's status reads in the posture: informational failures are notes. */
function statusWord(r: CheckResult, meta: CheckMeta | undefined, essential?: EssentialRow): { mark: string; word: string; status: CheckStatus | 'note' } {
  // An Essential that fails only below its threshold (medium unless the project says otherwise) is a note.
  if (essential ? r.status === 'fail' && essential.state === 'pass' : isInformational(r, meta)) return { mark: 'ℹ', word: 'note', status: 'note' };
  return { mark: STATUS_MARK[r.status], word: r.status, status: r.status };
}

const POSTURE_ORDER: Record<CheckStatus | 'note', number> = { fail: 0, error: 1, unknown: 2, note: 3, pass: 4, 'not-applicable': 5 };

/** Findings of one file in reading order: by line, then column, then severity (highest first). */
export function byPosition(a: Finding, b: Finding): number {
  const la = a.location?.start;
  const lb = b.location?.start;
  return (la?.line ?? 0) - (lb?.line ?? 0) || (la?.column ?? 0) - (lb?.column ?? 0) || severityRank(b.severity) - severityRank(a.severity) || localeOrder(a.ruleId, b.ruleId);
}

export function textReport(scans: RepoScan[], metas: readonly CheckMeta[], opts: TextOptions): string {
  const c = opts.colors;
  const metaById = new Map(metas.map((m) => [m.id, m]));
  const out: string[] = [];
  let essentialById = new Map<string, EssentialRow>();
  const postureLine = (r: CheckResult, indent: string) => {
    const m = metaById.get(r.checkId)!;
    const st = statusWord(r, m, essentialById.get(r.checkId));
    const col = st.status === 'note' ? c.dim : statusColor(c, st.status);
    return `${indent}${col(st.mark + ' ' + st.word.padEnd(14))} ${t(m.title)}${r.reason ? c.dim(' — ' + t(r.reason)) : ''}`;
  };
  const ordered = (rs: CheckResult[]) =>
    [...rs].sort((a, b) => POSTURE_ORDER[statusWord(a, metaById.get(a.checkId), essentialById.get(a.checkId)).status] - POSTURE_ORDER[statusWord(b, metaById.get(b.checkId), essentialById.get(b.checkId)).status]);
  for (const scan of scans) {
    const active = scan.findings.filter((f) => !f.suppressed && (!opts.minSeverity || severityRank(f.severity) >= severityRank(opts.minSeverity)));
    const score = essentialsScore(scan, { metas, config: scan.config });
    essentialById = new Map(score.rows.map((r) => [r.checkId, r]));
    const counts = countStatuses(scan, metas);
    out.push(c.bold(`Steward — ${t(scan.name)}`) + c.dim(`  (${scan.results.length} checks: ${counts})`));
    // What the scan could not see comes first: a partial scan must not read as a clean one.
    for (const n of scan.notes ?? []) out.push(c.yellow(`! ${t(n.message)}`));
    out.push('');
    // Essentials first: the few checks that make good-enough security, with their score.
    const essentials = scan.results.filter((r) => metaById.get(r.checkId)?.essential);
    if (opts.posture !== false && essentials.length) {
      const col = score.passed === score.checked ? c.green : c.yellow;
      out.push(c.bold('Essentials ') + col(t(score.summary)) + (essentials.length > score.total ? c.dim(`  (${essentials.length - score.total} not applicable)`) : ''));
      for (const r of ordered(essentials)) out.push(postureLine(r, '  '));
      out.push('');
    }
    const byFile = new Map<string, Finding[]>();
    for (const f of active) {
      const k = f.location?.file ?? '';
      // Appending in place: copying the list per finding made a 30k-finding report quadratic.
      const list = byFile.get(k);
      if (list) list.push(f);
      else byFile.set(k, [f]);
    }
    const keys = [...byFile.keys()].sort((a, b) => (a === '' ? -1 : b === '' ? 1 : localeOrder(a, b)));
    for (const k of keys) {
      out.push(c.bold(k === '' ? 'Repository' : t(k)));
      for (const f of byFile.get(k)!.sort(byPosition)) {
        const pos = f.location ? `${f.location.start.line}:${f.location.start.column}`.padEnd(8) : ''.padEnd(8);
        const sev = sevColor(c, f.severity)(f.severity.padEnd(8));
        const fix = f.fixes.length ? c.green(' [fix]') : '';
        // Messages quote repository text (job names, paths): no control sequence may reach the terminal.
        out.push(`  ${c.dim(pos)}${sev}${t(f.message)}${fix}  ${c.dim(f.ruleId)}`);
        for (const d of f.details ?? []) out.push(`  ${''.padEnd(16)}${c.dim('· ' + t(d))}`);
      }
      out.push('');
    }
    if (opts.posture !== false) {
      out.push(c.bold('Posture') + (essentials.length ? c.dim('  (Essentials above)') : ''));
      for (const cat of CATEGORIES) {
        const rs = scan.results.filter((r) => metaById.get(r.checkId)?.category === cat && !metaById.get(r.checkId)?.essential);
        if (!rs.length) continue;
        out.push(c.dim(`  ${CATEGORY_TITLES[cat]}`));
        for (const r of ordered(rs)) out.push(postureLine(r, '    '));
      }
      out.push('');
    }
    const suppressed = suppressionSummary(scan);
    const sevCounts = (['critical', 'high', 'medium', 'low', 'info'] as Severity[])
      .map((s) => [s, active.filter((f) => f.severity === s).length] as const)
      .filter(([, n]) => n)
      .map(([s, n]) => `${n} ${s}`);
    const fixable = active.filter((f) => f.fixes.length).length;
    out.push(
      `${active.length} finding${active.length === 1 ? '' : 's'}` +
        (sevCounts.length ? ` (${sevCounts.join(', ')})` : '') +
        (suppressed ? `, ${suppressed}` : '') +
        (fixable ? `; ${fixable} with a fix (run: steward fix)` : ''),
    );
    out.push('');
  }
  return out.join('\n');
}

/**
 * Where suppressed findings came from, in words: a project that already triaged with zizmor sees its
 * own decisions credited ("3 suppressed by existing zizmor config"). Empty when nothing was suppressed.
 */
export function suppressionSummary(scan: RepoScan): string {
  let zizmor = 0;
  let steward = 0;
  for (const r of scan.results) {
    const by = r.suppressedBy;
    if (!by) {
      steward += r.suppressed;
      continue;
    }
    zizmor += (by['zizmor-comment'] ?? 0) + (by['zizmor-config'] ?? 0);
    steward += (by['steward-comment'] ?? 0) + (by['steward-config'] ?? 0);
  }
  const parts: string[] = [];
  if (zizmor) parts.push(`${zizmor} suppressed by existing zizmor config`);
  if (steward) parts.push(`${steward} suppressed by the project's steward ignores`);
  return parts.join(', ');
}

export function countStatuses(scan: RepoScan, metas?: readonly CheckMeta[]): string {
  const metaById = new Map((metas ?? []).map((m) => [m.id, m]));
  const notes = metas ? scan.results.filter((r) => isInformational(r, metaById.get(r.checkId))).length : 0;
  const n = (s: CheckStatus) => scan.results.filter((r) => r.status === s).length - (s === 'fail' ? notes : 0);
  const parts = (['pass', 'fail', 'unknown', 'not-applicable', 'error'] as CheckStatus[]).filter((s) => n(s)).map((s) => `${n(s)} ${s === 'not-applicable' ? 'n/a' : s}`);
  if (notes) parts.splice(2, 0, `${notes} note${notes === 1 ? '' : 's'}`);
  return parts.join(', ');
}

/**
 * Finding and check text for plain-text surfaces (the Problems panel, tree labels and descriptions,
 * pickers, notifications): a Markdown code span becomes its code in quotes, Markdown escapes are
 * dropped, and no backtick is left.
 */
export function plainText(s: string): string {
  return s
    .replace(/(`+)(?!`)([\s\S]*?[^`])\1(?!`)/g, (_m, _fence: string, code: string) => `‘${code.trim()}’`)
    .replace(/\\([\\`*_{}[\]()#+\-.!|>~])/g, '$1')
    .replace(/`/g, "'");
}

const MD_SPECIAL = /[\\`*_{}[\]()#+\-.!|<>~&]/g;

/**
 * The same text for Markdown surfaces (hovers, tooltips): code spans stay code spans, everything else
 * is escaped, so repository text quoted in a message cannot add links, images or formatting.
 */
export function markdownText(s: string): string {
  const out: string[] = [];
  let last = 0;
  for (const m of s.matchAll(/(`+)(?!`)([\s\S]*?[^`])\1(?!`)/g)) {
    out.push(s.slice(last, m.index).replace(MD_SPECIAL, '\\$&'));
    const code = m[2];
    const longest = Math.max(0, ...[...code.matchAll(/`+/g)].map((x) => x[0].length));
    const fence = '`'.repeat(longest + 1);
    out.push(`${fence}${code.startsWith('`') || code.endsWith('`') ? ` ${code} ` : code}${fence}`);
    last = m.index! + m[0].length;
  }
  out.push(s.slice(last).replace(MD_SPECIAL, '\\$&'));
  return out.join('');
}
