import { CATEGORIES, CATEGORY_TITLES, severityRank, type Category, type CheckMeta, type CheckResult, type Finding, type Severity } from '../../core/model';
import { CHECKS } from '../../core/checks';
import type { RepoScan } from '../../core/engine';

// What the Posture view shows, computed from a scan without touching VS Code: the groups (Essentials
// first, then categories), the Essentials score and counts. Kept pure so it is easy to reason about and
// the tree provider only maps it to TreeItems.

export type GroupId = 'essentials' | Category;

export interface CheckRow {
  meta: CheckMeta;
  result: CheckResult;
  /** Findings shown: not suppressed, at or above the minimum severity. */
  findings: Finding[];
}

export interface Group {
  id: GroupId;
  title: string;
  /** Rows shown (after the failing-only filter). */
  rows: CheckRow[];
  /** Every row of the group: the summary counts these, so filtering does not change the score. */
  all: CheckRow[];
}

export interface Score {
  passed: number;
  /** Essentials that apply to this repository (not-applicable ones do not count against it). */
  total: number;
}

// Built on first use: the checks live in the lazily loaded engine bundle (activation must not load it).
let META: Map<string, CheckMeta> | undefined;
const metas = () => (META ??= new Map(CHECKS.map((c) => [c.meta.id, c.meta])));

export function metaOf(id: string): CheckMeta | undefined {
  return metas().get(id);
}

export function rowsOf(scan: RepoScan, minimum: Severity): CheckRow[] {
  const rows: CheckRow[] = [];
  for (const result of scan.results) {
    const meta = metas().get(result.checkId);
    if (!meta) continue;
    const findings = result.findings.filter((f) => !f.suppressed && severityRank(f.severity) >= severityRank(minimum));
    rows.push({ meta, result, findings });
  }
  return rows;
}

const STATUS_ORDER = { fail: 0, error: 1, unknown: 2, pass: 3, 'not-applicable': 4 } as const;

export function groupsOf(rows: readonly CheckRow[], failingOnly: boolean): Group[] {
  const byStatus = (a: CheckRow, b: CheckRow) => STATUS_ORDER[a.result.status] - STATUS_ORDER[b.result.status] || a.meta.title.localeCompare(b.meta.title);
  const groups: Group[] = [];
  const add = (id: GroupId, title: string, all: CheckRow[]) => {
    const shown = failingOnly ? all.filter(isOpen) : all;
    if (shown.length) groups.push({ id, title, rows: shown.sort(byStatus), all });
  };
  add('essentials', 'Essentials', rows.filter((r) => r.meta.essential));
  for (const c of CATEGORIES) add(c, CATEGORY_TITLES[c], rows.filter((r) => r.meta.category === c));
  return groups;
}

/** Needs attention: failing, broken, or unknown (someone has to look). */
export function isOpen(r: CheckRow): boolean {
  return r.result.status === 'fail' || r.result.status === 'error' || r.result.status === 'unknown';
}

export function essentialsScore(rows: readonly CheckRow[]): Score {
  const ess = rows.filter((r) => r.meta.essential && r.result.status !== 'not-applicable');
  return { passed: ess.filter((r) => r.result.status === 'pass').length, total: ess.length };
}

export function addScores(scores: readonly Score[]): Score {
  return scores.reduce((a, s) => ({ passed: a.passed + s.passed, total: a.total + s.total }), { passed: 0, total: 0 });
}

export function groupSummary(g: Group): string {
  const n = (s: CheckResult['status']) => g.all.filter((r) => r.result.status === s).length;
  const parts: string[] = [];
  if (n('fail')) parts.push(`${n('fail')} failing`);
  if (n('error')) parts.push(`${n('error')} broken`);
  if (n('unknown')) parts.push(`${n('unknown')} unknown`);
  if (n('pass')) parts.push(`${n('pass')} passing`);
  if (!parts.length && n('not-applicable')) parts.push('not applicable');
  return g.id === 'essentials' ? `${n('pass')}/${g.all.filter((r) => r.result.status !== 'not-applicable').length} passing` : parts.join(' · ');
}
