import { parseArgs } from 'node:util';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { CHECKS } from '../core/checks';
import { Engine, type RepoScan } from '../core/engine';
import { DiskSnapshot } from '../core/repo/disk';
import { UsageError } from './errors';
import type { Output } from './io';

// Developer tooling: scan every repository folder of a corpus and print finding counts per rule per
// repository, so a check author can see at a glance where a rule fires (or errors) on real projects and
// then read those findings with --findings RULE.

export const CORPUS_USAGE = `steward corpus-report DIR [--findings RULE...] [--json]

  Scans each folder under DIR as a repository (offline) and prints a table: one row per rule, one
  column per repository, cells = findings not suppressed (suppressed ones in parentheses),
  '-' not applicable, '?' unknown offline, ERR the check failed.
  --findings RULE  also list every finding of RULE (repeatable; 'all' for every rule).
  Exit code: 0, or 1 when a check ended with status error.`;

export interface CorpusRow {
  repo: string;
  scan: RepoScan;
}

export async function scanCorpus(dir: string): Promise<CorpusRow[]> {
  let entries: import('node:fs').Dirent[];
  try {
    entries = await fs.readdir(dir, { withFileTypes: true });
  } catch {
    throw new UsageError(`cannot read corpus folder ${dir}`);
  }
  const repos = entries.filter((e) => e.isDirectory()).map((e) => e.name).sort();
  const rows: CorpusRow[] = [];
  for (const repo of repos) {
    const scan = await new Engine(CHECKS).scan(new DiskSnapshot(path.join(dir, repo), repo), { factsUnavailable: 'corpus report runs offline' });
    rows.push({ repo, scan });
  }
  return rows;
}

function pad(s: string, w: number, right = false): string {
  return right ? s.padStart(w) : s.padEnd(w);
}

export function corpusTable(rows: readonly CorpusRow[]): string {
  const out: string[] = [];
  const ids = CHECKS.map((c) => c.meta.id);
  const idW = Math.max(...ids.map((i) => i.length), 'rule'.length);
  // Repositories are numbered columns (names are long); the legend follows the table.
  const colW = Math.max(5, String(rows.length).length + 2);
  out.push(`${pad('rule', idW)}  ${rows.map((_, i) => pad(`#${i + 1}`, colW, true)).join('')}${pad('total', 8, true)}`);
  for (const id of ids) {
    let total = 0;
    let totalSup = 0;
    const cells = rows.map(({ scan }) => {
      const r = scan.results.find((x) => x.checkId === id);
      if (!r) return pad('', colW, true);
      if (r.status === 'error') return pad('ERR', colW, true);
      if (r.status === 'unknown') return pad('?', colW, true);
      const active = r.findings.filter((f) => !f.suppressed).length;
      total += active;
      totalSup += r.suppressed;
      const cell = r.status === 'not-applicable' && !active ? '-' : `${active}${r.suppressed ? `(${r.suppressed})` : ''}`;
      return pad(cell, colW, true);
    });
    out.push(`${pad(id, idW)}  ${cells.join('')}${pad(`${total}${totalSup ? `(${totalSup})` : ''}`, 8, true)}`);
  }
  out.push('');
  rows.forEach(({ repo, scan }, i) => {
    const active = scan.findings.filter((f) => !f.suppressed).length;
    out.push(`  #${i + 1}  ${repo}  (${active} findings, ${scan.findings.length - active} suppressed, ${scan.stats.loaded} files loaded, ${Math.round(scan.stats.ms)} ms)`);
  });
  const errors = rows.flatMap(({ repo, scan }) => scan.results.filter((r) => r.status === 'error').map((r) => `  ERROR ${repo} ${r.checkId}: ${r.reason}`));
  out.push('');
  out.push(errors.length ? `Checks with status error:\n${errors.join('\n')}` : 'No check ended with status error.');
  out.push('');
  return out.join('\n');
}

export function corpusFindings(rows: readonly CorpusRow[], rules: readonly string[]): string {
  const all = rules.includes('all');
  const out: string[] = [];
  for (const { repo, scan } of rows) {
    for (const f of scan.findings) {
      if (f.suppressed || !(all || rules.includes(f.ruleId))) continue;
      const loc = f.location ? `${f.location.file}:${f.location.start.line}:${f.location.start.column}` : '(repository)';
      out.push(`${repo}  ${loc}  ${f.severity}  ${f.ruleId}  ${f.message}`);
    }
  }
  return out.join('\n') + (out.length ? '\n' : '');
}

export async function corpusCommand(argv: string[], o: Output): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { findings: { type: 'string', multiple: true }, json: { type: 'boolean', default: false } },
  });
  if (positionals.length !== 1) throw new UsageError('corpus-report needs exactly one DIR');
  const known = new Set(CHECKS.map((c) => c.meta.id));
  for (const r of values.findings ?? []) if (r !== 'all' && !known.has(r)) throw new UsageError(`unknown rule '${r}'`);
  const rows = await scanCorpus(path.resolve(o.cwd, positionals[0]));
  if (values.json) {
    const data = rows.map(({ repo, scan }) => ({
      repo,
      results: Object.fromEntries(scan.results.map((r) => [r.checkId, { status: r.status, findings: r.findings.filter((f) => !f.suppressed).length, suppressed: r.suppressed }])),
    }));
    o.out(JSON.stringify(data, null, 2) + '\n');
  } else {
    o.out(corpusTable(rows));
    if (values.findings?.length) o.out('\n' + corpusFindings(rows, values.findings));
  }
  return rows.some(({ scan }) => scan.results.some((r) => r.status === 'error')) ? 1 : 0;
}
