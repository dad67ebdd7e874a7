import { CATEGORIES, CATEGORY_TITLES, severityRank, type Category, type CheckMeta, type CheckResult, type Finding, type Severity } from '../../core/model';
import { CHECKS } from '../../core/checks';
import type { RepoScan } from '../../core/engine';
import { essentialsScore as coreEssentialsScore, type EssentialRow } from '../../core/report/essentials';
import { isInformational } from '../../core/report/text';

// What the Posture view shows, computed from a scan without touching VS Code: the groups (Essentials
// first, then the categories without the Essentials), the Essentials score and short counts. Passing
// and not-applicable checks are folded into one row each per group, so the view stays short. Kept pure
// so it is easy to reason about; the tree provider only maps it to TreeItems.

export type GroupId = 'essentials' | Category;

export interface CheckRow {
  meta: CheckMeta;
  result: CheckResult;
  /** Findings shown: not suppressed, at or above the minimum severity. */
  findings: Finding[];
  /** How the row reads: a failure that only carries notes (informational) is a 'note'. */
  state: RowState;
}

export type RowState = CheckResult['status'] | 'note';

export interface Group {
  id: GroupId;
  title: string;
  /** Rows needing attention, shown directly (failing first). */
  open: CheckRow[];
  /** Passing (and note-only) rows, folded into one "N passing" row. */
  passing: CheckRow[];
  /** Not-applicable rows, folded into one "N not applicable" row. */
  notApplicable: CheckRow[];
  /** Every row of the group: the summary counts these, so filtering does not change it. */
  all: CheckRow[];
}

export interface Score {
  passed: number;
  /** Essentials Steward could see (passed + failed). */
  checked: number;
  /** Essentials that apply to this repository (not-applicable ones do not count against it). */
  total: number;
}

// Built on first use: the checks live in the lazily loaded engine bundle (activation must not load it).
let META: Map<string, CheckMeta> | undefined;
const metas = () => (META ??= new Map(CHECKS.map((c) => [c.meta.id, c.meta])));

export function metaOf(id: string): CheckMeta | undefined {
  return metas().get(id);
}

/** The rows of a scan; Essentials read with the core's threshold (fail only at medium and above). */
export function rowsOf(scan: RepoScan, minimum: Severity): CheckRow[] {
  const essential = new Map<string, EssentialRow>(coreEssentialsScore(scan, { metas: [...metas().values()], config: scan.config }).rows.map((r) => [r.checkId, r]));
  const rows: CheckRow[] = [];
  for (const result of scan.results) {
    const meta = metas().get(result.checkId);
    if (!meta) continue;
    const findings = result.findings.filter((f) => !f.suppressed && severityRank(f.severity) >= severityRank(minimum));
    const e = essential.get(meta.id);
    const note = result.status === 'fail' && (e ? e.state === 'pass' : isInformational(result, meta));
    rows.push({ meta, result, findings, state: note ? 'note' : result.status });
  }
  return rows;
}

const STATE_ORDER: Record<RowState, number> = { fail: 0, error: 1, unknown: 2, note: 3, pass: 4, 'not-applicable': 5 };

export function groupsOf(rows: readonly CheckRow[], failingOnly: boolean): Group[] {
  const byState = (a: CheckRow, b: CheckRow) => STATE_ORDER[a.state] - STATE_ORDER[b.state] || severityRank(topSeverity(b)) - severityRank(topSeverity(a)) || a.meta.title.localeCompare(b.meta.title);
  const groups: Group[] = [];
  const add = (id: GroupId, title: string, all: CheckRow[]) => {
    if (!all.length) return;
    const sorted = [...all].sort(byState);
    const open = sorted.filter(isOpen);
    if (failingOnly && !open.length) return;
    groups.push({
      id,
      title,
      open,
      passing: failingOnly ? [] : sorted.filter((r) => r.state === 'pass' || r.state === 'note'),
      notApplicable: failingOnly ? [] : sorted.filter((r) => r.state === 'not-applicable'),
      all,
    });
  };
  add('essentials', 'Essentials', rows.filter((r) => r.meta.essential));
  // An Essential is listed once, under Essentials, not again in its category.
  for (const c of CATEGORIES) add(c, CATEGORY_TITLES[c], rows.filter((r) => r.meta.category === c && !r.meta.essential));
  return groups;
}

function topSeverity(r: CheckRow): Severity {
  return r.findings.reduce<Severity>((a, f) => (severityRank(f.severity) > severityRank(a) ? f.severity : a), 'info');
}

/** Needs attention: failing, broken, or unknown (someone has to look). Notes do not. */
export function isOpen(r: CheckRow): boolean {
  return r.state === 'fail' || r.state === 'error' || r.state === 'unknown';
}

export function essentialsScore(rows: readonly CheckRow[]): Score {
  const ess = rows.filter((r) => r.meta.essential && r.state !== 'not-applicable');
  const checked = ess.filter((r) => r.state !== 'unknown' && r.state !== 'error');
  return { passed: checked.filter((r) => r.state === 'pass' || r.state === 'note').length, checked: checked.length, total: ess.length };
}

export function addScores(scores: readonly Score[]): Score {
  return scores.reduce((a, s) => ({ passed: a.passed + s.passed, checked: a.checked + s.checked, total: a.total + s.total }), { passed: 0, checked: 0, total: 0 });
}

/** "3 of 7 pass", plus how many could not be seen when some could not. */
export function scoreText(s: Score): string {
  return `${s.passed} of ${s.checked} pass` + (s.checked < s.total ? ` (${s.total - s.checked} unknown)` : '');
}

/** A group's description: the Essentials score, or a category's counts ("2 failing · 9 passing"). */
export function groupSummary(g: Group): string {
  if (g.id === 'essentials') return scoreText(essentialsScore(g.all));
  const n = (s: RowState) => g.all.filter((r) => r.state === s).length;
  const parts: string[] = [];
  if (n('fail')) parts.push(`${n('fail')} failing`);
  if (n('error')) parts.push(`${n('error')} broken`);
  if (n('unknown')) parts.push(`${n('unknown')} unknown`);
  if (n('pass') + n('note')) parts.push(`${n('pass') + n('note')} passing`);
  if (!parts.length && n('not-applicable')) parts.push('not applicable');
  return parts.join(' · ');
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** A check row's description: a short count or status; the reason goes in the tooltip. */
export function checkDescription(r: CheckRow): string {
  const located = r.findings.filter((f) => f.location).length;
  switch (r.state) {
    case 'fail':
      return located ? plural(r.findings.length, 'finding') : 'fails';
    case 'note':
      return r.findings.length ? plural(r.findings.length, 'note') : 'note';
    case 'unknown':
      return 'unknown';
    case 'error':
      return 'could not run';
    case 'pass':
      return r.findings.length ? plural(r.findings.length, 'note') : '';
    case 'not-applicable':
      return '';
  }
}

/**
 * Tree labels short enough for the default side bar width (about 300 px, ~28 characters beside an icon
 * and a short description). The full title stays in the tooltip and the Explain page.
 */
const SHORT_TITLES: Record<string, string> = {
  'archived-repository': 'Maintained (not archived)',
  'binary-artifacts': 'No committed binaries',
  'cache-poisoning': 'No caches in releases',
  'codeowners-gaps': 'Code owners',
  'dangerous-triggers': 'Privileged triggers',
  'download-and-run': 'Downloaded scripts',
  'excessive-permissions': 'Token permissions',
  'hardcoded-container-credentials': 'No passwords in workflows',
  'insecure-commands': 'Deprecated commands off',
  'long-lived-publish-token': 'Trusted publishing',
  'missing-dependency-updates': 'Dependency updates',
  'missing-license': 'Licence file',
  'missing-security-policy': 'Security policy',
  'missing-static-analysis': 'Static analysis',
  'missing-update-cooldown': 'Update cooldown',
  'missing-version-comment': 'Pin version comments',
  'persisted-checkout-credentials': 'Checkout credentials',
  'private-vulnerability-reporting-disabled': 'Private reporting',
  'secrets-exposure': 'Secrets passed narrowly',
  'security-insights-invalid': 'Security Insights valid',
  'security-insights-missing': 'Security Insights file',
  'security-policy-incomplete': 'Security policy complete',
  'self-hosted-runner': 'Self-hosted runners',
  'spoofable-bot-condition': 'Bot checks',
  'template-injection': 'Script injection',
  'unparseable-file': 'Readable files',
  'unpinned-actions': 'Actions pinned to SHAs',
  'unpinned-base-images': 'Dockerfile images pinned',
  'unpinned-images': 'Container images pinned',
  'unprotected-default-branch': 'Branch protection',
  'unsafe-dependabot-execution': 'Dependabot runs no code',
  'unsound-condition': 'Sound if: conditions',
};

/** The label of a check in the tree: its short title, else its title. */
export function shortTitle(meta: CheckMeta): string {
  return SHORT_TITLES[meta.id] ?? meta.title;
}

/** Words for a row's state (tooltips, screen readers). */
export const STATE_LABEL: Record<RowState, string> = {
  pass: 'Pass',
  fail: 'Fail',
  note: 'Note (informational, not a failure)',
  unknown: 'Unknown',
  'not-applicable': 'Not applicable',
  error: 'Check failed to run',
};
