import type { CheckMeta, CheckResult, Finding, Severity } from '../model';
import { severityRank } from '../model';
import type { StewardConfig } from '../config/schema';

// The Essentials score, computed once for every front-end (CLI text report, sidebar, JSON). Issue 15:
// an Essential fails only for findings that matter (medium and above unless the project says
// otherwise); low and info notes are shown but do not fail it; a check Steward could not see (offline,
// or only a maintainer can see it) is left out of the score, which then says how many were checked.

export const DEFAULT_ESSENTIALS_FAIL_AT: Severity = 'medium';

/** How one Essential reads in the score. */
export type EssentialState =
  /** Passes, or fails only with findings below the threshold (then `notes` holds them). */
  | 'pass'
  | 'fail'
  /** Unknown or errored: left out of the score; `reason` says why. */
  | 'unchecked'
  | 'not-applicable';

export interface EssentialRow {
  checkId: string;
  title: string;
  state: EssentialState;
  reason: string;
  /** Active findings at or above the threshold. */
  failing: Finding[];
  /** Active findings below the threshold: shown, not counted. */
  notes: Finding[];
}

export interface EssentialsScore {
  /** Essentials that pass (notes only count as passing). */
  passed: number;
  /** Essentials Steward could see: passed + failed. */
  checked: number;
  /** Essentials that apply to this repository (not-applicable ones do not count). */
  total: number;
  failAt: Severity;
  rows: EssentialRow[];
  /** One line: "4 of 6 pass" or "4 of 6 pass · 6 of 8 checked (2 need online access or a maintainer)". */
  summary: string;
}

export interface EssentialsOptions {
  metas: readonly CheckMeta[];
  /** Lowest severity that fails an Essential (CLI flag); else the config's `essentials.fail-at`; else medium. */
  failAt?: Severity;
  config?: StewardConfig;
}

/** The threshold a scan's Essentials are read with: explicit option, then the project's config, then medium. */
export function essentialsFailAt(opts: { failAt?: Severity; config?: StewardConfig }): Severity {
  return opts.failAt ?? opts.config?.essentials?.['fail-at'] ?? DEFAULT_ESSENTIALS_FAIL_AT;
}

/** One Essential's state under the threshold. */
export function essentialRow(r: CheckResult, meta: CheckMeta, failAt: Severity): EssentialRow {
  const active = r.findings.filter((f) => !f.suppressed);
  const counts = (f: Finding): boolean => severityRank(f.severity) >= severityRank(failAt);
  const failing = active.filter(counts);
  const notes = active.filter((f) => !counts(f));
  const base = { checkId: r.checkId, title: meta.title, reason: r.reason, failing, notes };
  switch (r.status) {
    case 'not-applicable':
      return { ...base, state: 'not-applicable' };
    case 'unknown':
    case 'error':
      return { ...base, state: 'unchecked' };
    case 'pass':
      return { ...base, state: 'pass' };
    case 'fail':
      // Every finding triaged away by the project: nothing left to fail on.
      if (r.findings.length && !active.length) return { ...base, state: 'pass' };
      // A failing result with no findings is a repository-level fact: the check's own severity decides.
      if (!active.length) return { ...base, state: severityRank(meta.severity) >= severityRank(failAt) ? 'fail' : 'pass' };
      return { ...base, state: failing.length ? 'fail' : 'pass' };
  }
}

/** The Essentials score of a scan's results. */
export function essentialsScore(scan: { results: readonly CheckResult[] }, opts: EssentialsOptions): EssentialsScore {
  const failAt = essentialsFailAt(opts);
  const metaById = new Map(opts.metas.map((m) => [m.id, m]));
  const rows: EssentialRow[] = [];
  for (const r of scan.results) {
    const meta = metaById.get(r.checkId);
    if (meta?.essential) rows.push(essentialRow(r, meta, failAt));
  }
  const applicable = rows.filter((r) => r.state !== 'not-applicable');
  const checked = applicable.filter((r) => r.state !== 'unchecked');
  const passed = checked.filter((r) => r.state === 'pass').length;
  const unchecked = applicable.length - checked.length;
  const summary =
    `${passed} of ${checked.length} pass` + (unchecked ? ` · ${checked.length} of ${applicable.length} checked (${unchecked} could not be seen: ${uncheckedWhy(applicable)})` : '');
  return { passed, checked: checked.length, total: applicable.length, failAt, rows, summary };
}

function uncheckedWhy(rows: readonly EssentialRow[]): string {
  const reasons = new Set(rows.filter((r) => r.state === 'unchecked').map((r) => (/offline|online|sign(ed)? in|token/i.test(r.reason) ? 'needs online access' : /maintainer|admin/i.test(r.reason) ? 'only a maintainer can see it' : 'see the check')));
  return [...reasons].join(', ');
}
