import type { CheckMeta, Finding } from '../model';
import type { RepoScan } from '../engine';

// The JSON contract of `steward scan --format json`. Later tooling relies on these names: change them
// only with a version bump.

export interface JsonFinding {
  repository: string;
  ruleId: string;
  severity: Finding['severity'];
  confidence: Finding['confidence'];
  message: string;
  file: string | null;
  line: number | null;
  column: number | null;
  endLine: number | null;
  endColumn: number | null;
  details?: string[];
  fixes: { title: string; safe: boolean; needsNetwork: boolean }[];
  suppressed?: Finding['suppressed'];
}

export interface JsonReport {
  version: 1;
  tool: { name: 'steward'; version: string };
  repositories: { name: string; root: string | null; files: number; notes: { code: string; path: string | null; message: string }[] }[];
  checks: { id: string; title: string; repository: string; status: string; reason: string; suppressed: number }[];
  findings: JsonFinding[];
  summary: { findings: number; suppressed: number; bySeverity: Record<string, number> };
}

export function toJsonFinding(repository: string, f: Finding): JsonFinding {
  const l = f.location;
  return {
    repository,
    ruleId: f.ruleId,
    severity: f.severity,
    confidence: f.confidence,
    message: f.message,
    file: l?.file ?? null,
    line: l?.start.line ?? null,
    column: l?.start.column ?? null,
    endLine: l?.end.line ?? null,
    endColumn: l?.end.column ?? null,
    ...(f.details?.length ? { details: f.details } : {}),
    fixes: f.fixes.map((x) => ({ title: x.title, safe: x.safe, needsNetwork: !!x.deferred })),
    ...(f.suppressed ? { suppressed: f.suppressed } : {}),
  };
}

export function jsonReport(scans: RepoScan[], metas: readonly CheckMeta[], version: string, opts: { includeSuppressed?: boolean } = {}): JsonReport {
  const titles = new Map(metas.map((m) => [m.id, m.title]));
  const findings: JsonFinding[] = [];
  const bySeverity: Record<string, number> = {};
  let suppressed = 0;
  for (const s of scans) {
    for (const f of s.findings) {
      if (f.suppressed) suppressed++;
      else bySeverity[f.severity] = (bySeverity[f.severity] ?? 0) + 1;
      if (!f.suppressed || opts.includeSuppressed) findings.push(toJsonFinding(s.name, f));
    }
  }
  return {
    version: 1,
    tool: { name: 'steward', version },
    repositories: scans.map((s) => ({ name: s.name, root: s.root ?? null, files: s.stats.paths, notes: (s.notes ?? []).map((n) => ({ code: n.code, path: n.path ?? null, message: n.message })) })),
    checks: scans.flatMap((s) =>
      s.results.map((r) => ({ id: r.checkId, title: titles.get(r.checkId) ?? r.checkId, repository: s.name, status: r.status, reason: r.reason, suppressed: r.suppressed })),
    ),
    findings,
    summary: { findings: findings.filter((f) => !f.suppressed).length, suppressed, bySeverity },
  };
}
