import * as assert from 'node:assert/strict';
import type { Check } from '../../src/core/checks/types';
import { Engine, type RepoScan, type ScanOptions } from '../../src/core/engine';
import type { CheckResult, Finding } from '../../src/core/model';
import { MemorySnapshot } from '../../src/core/repo/snapshot';

// Shared helpers for check tests: run one check (or the whole registry) over in-memory files and
// compare findings by rule, file, line and column.

export async function scanFiles(checks: readonly Check[], files: Record<string, string | Uint8Array>, opts: ScanOptions & { extraPaths?: string[] } = {}): Promise<RepoScan> {
  const snap = new MemorySnapshot('fixture', files, opts.extraPaths ?? []);
  return new Engine(checks).scan(snap, opts);
}

export async function runCheck(check: Check, files: Record<string, string | Uint8Array>, opts: ScanOptions & { extraPaths?: string[] } = {}): Promise<{ result: CheckResult; findings: Finding[] }> {
  const scan = await scanFiles([check], files, opts);
  const result = scan.results[0];
  return { result, findings: result.findings.filter((f) => !f.suppressed) };
}

/** `file:line:col` of each finding, for compact assertions. */
export function where(findings: readonly Finding[]): string[] {
  return findings.map((f) => (f.location ? `${f.location.file}:${f.location.start.line}:${f.location.start.column}` : '(repository)'));
}

export function assertFindingsAt(findings: readonly Finding[], expected: string[]): void {
  assert.deepEqual(where(findings), expected);
}

/** Dedents a template literal so YAML fixtures can be written inline and indented. */
export function yaml(strings: TemplateStringsArray, ...values: unknown[]): string {
  const raw = strings.reduce((acc, s, i) => acc + s + (i < values.length ? String(values[i]) : ''), '');
  const lines = raw.replace(/^\n/, '').split('\n');
  const indent = Math.min(...lines.filter((l) => l.trim()).map((l) => /^ */.exec(l)![0].length));
  return lines.map((l) => l.slice(indent)).join('\n').replace(/[ \t]+$/, '');
}
