import type { CheckMeta, CheckStatus, Finding, Severity } from '../model';
import { CATEGORIES, CATEGORY_TITLES, severityRank } from '../model';
import type { RepoScan } from '../engine';
import { escapeTerminal as t } from './escape';

// Human output of `steward scan`: findings grouped by file, then the posture (one line per check).

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

export function textReport(scans: RepoScan[], metas: readonly CheckMeta[], opts: TextOptions): string {
  const c = opts.colors;
  const metaById = new Map(metas.map((m) => [m.id, m]));
  const out: string[] = [];
  for (const scan of scans) {
    const active = scan.findings.filter((f) => !f.suppressed && (!opts.minSeverity || severityRank(f.severity) >= severityRank(opts.minSeverity)));
    const counts = countStatuses(scan);
    out.push(c.bold(`Steward — ${t(scan.name)}`) + c.dim(`  (${scan.results.length} checks: ${counts})`));
    out.push('');
    const byFile = new Map<string, Finding[]>();
    for (const f of active) {
      const k = f.location?.file ?? '';
      byFile.set(k, [...(byFile.get(k) ?? []), f]);
    }
    const keys = [...byFile.keys()].sort((a, b) => (a === '' ? -1 : b === '' ? 1 : a.localeCompare(b)));
    for (const k of keys) {
      out.push(c.bold(k === '' ? 'Repository' : t(k)));
      for (const f of byFile.get(k)!) {
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
      out.push(c.bold('Posture'));
      for (const cat of CATEGORIES) {
        const rs = scan.results.filter((r) => metaById.get(r.checkId)?.category === cat);
        if (!rs.length) continue;
        out.push(c.dim(`  ${CATEGORY_TITLES[cat]}`));
        for (const r of rs) {
          const m = metaById.get(r.checkId)!;
          const col = statusColor(c, r.status);
          out.push(`    ${col(STATUS_MARK[r.status] + ' ' + r.status.padEnd(14))} ${m.title}${r.reason ? c.dim(' — ' + t(r.reason)) : ''}`);
        }
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
        (fixable ? `; ${fixable} with a fix (\`steward fix\`)` : ''),
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

export function countStatuses(scan: RepoScan): string {
  const n = (s: CheckStatus) => scan.results.filter((r) => r.status === s).length;
  return (['pass', 'fail', 'unknown', 'not-applicable', 'error'] as CheckStatus[])
    .filter((s) => n(s))
    .map((s) => `${n(s)} ${s === 'not-applicable' ? 'n/a' : s}`)
    .join(', ');
}
