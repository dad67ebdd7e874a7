import { promises as fs } from 'node:fs';
import { appendOutputFile, makeOutputDir, writeOutputFile } from '../core/fs/safe-write';
import * as path from 'node:path';
import type { Dependency, Ecosystem } from './model';

// The survey's results as JSON lines: one header, then one line per package and one per repository,
// each appended the moment it is known. An interrupted survey is resumed from this file (what is in
// it is not fetched again); shards write one file each and `steward survey merge` joins them.

export const RESULTS_VERSION = 1;

export interface HeaderRecord {
  kind: 'survey';
  version: number;
  /** The surveyed project (folder name). */
  project: string;
  /** This file holds shard `index` of `count` (1-based), or everything when absent. */
  shard?: { index: number; count: number };
  steward: string;
}

export interface PackageRecord extends Omit<Dependency, 'ecosystem'> {
  kind: 'package';
  ecosystem: Ecosystem;
  /** Repository key (github.com/owner/repo, lower case) when the registry names one on GitHub. */
  repo?: string;
  /** What the registry gave (shown when there is no repository). */
  url?: string;
  /** Why no repository could be found. */
  reason?: string;
}

export interface FindingSummary {
  ruleId: string;
  severity: string;
  message: string;
  file?: string;
  line?: number;
  fixable: boolean;
}

export interface RepoRecord {
  kind: 'repo';
  key: string;
  owner: string;
  repo: string;
  htmlUrl: string;
  state: 'ok' | 'archived' | 'gone' | 'empty' | 'forbidden' | 'error';
  /** One line, for states other than ok/archived. */
  message?: string;
  commit?: string;
  defaultBranch?: string;
  ownerKind?: 'User' | 'Organization';
  pushedAt?: string;
  lastRelease?: { tag: string; publishedAt: string } | null;
  essentials?: { passed: number; checked: number; total: number; failing: { checkId: string; title: string }[]; summary: string };
  /** Concerns Steward can turn into pull requests, best first. */
  concerns?: { id: string; title: string; findings: number; files: string[] }[];
  findings?: FindingSummary[];
  /** Active findings in all (findings above is capped). */
  findingCount?: number;
  files?: { listed: number; fetched: number; truncated: boolean };
}

export type SurveyRecord = HeaderRecord | PackageRecord | RepoRecord;

export interface ResultsFile {
  header?: HeaderRecord;
  packages: Map<string, PackageRecord>;
  repos: Map<string, RepoRecord>;
  /** Lines that could not be read (a cut-off last line after an interruption is normal). */
  skipped: number;
}

export function packageRecordKey(p: { ecosystem: string; name: string }): string {
  return `${p.ecosystem}:${p.name}`;
}

/** Parses JSON-lines results; a broken line is skipped and counted, never fatal. */
export function parseResults(text: string): ResultsFile {
  const out: ResultsFile = { packages: new Map(), repos: new Map(), skipped: 0 };
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    let r: SurveyRecord;
    try {
      r = JSON.parse(line) as SurveyRecord;
    } catch {
      out.skipped++;
      continue;
    }
    if (r?.kind === 'survey') out.header ??= r;
    else if (r?.kind === 'package' && typeof r.name === 'string') out.packages.set(packageRecordKey(r), r);
    else if (r?.kind === 'repo' && typeof r.key === 'string') out.repos.set(r.key, r);
    else out.skipped++;
  }
  return out;
}

export async function readResultsFile(file: string): Promise<ResultsFile | undefined> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
  return parseResults(text);
}

/** Appends records to the results file one line each, in order, through the one write path. */
export class ResultsWriter {
  private queue: Promise<void> = Promise.resolve();
  private failed?: unknown;
  constructor(readonly file: string) {}

  static async create(file: string, header: HeaderRecord, fresh: boolean): Promise<ResultsWriter> {
    await makeOutputDir(path.dirname(path.resolve(file)));
    if (fresh) await writeOutputFile(file, JSON.stringify(header) + '\n');
    return new ResultsWriter(file);
  }

  /** A cut-off last line (the previous run was killed mid-write) must not swallow the next record. */
  static async repairTail(file: string): Promise<void> {
    const text = await fs.readFile(file, 'utf8').catch(() => '');
    if (text && !text.endsWith('\n')) await appendOutputFile(file, '\n');
  }

  write(rec: SurveyRecord): Promise<void> {
    const line = JSON.stringify(rec) + '\n';
    this.queue = this.queue.then(async () => {
      if (this.failed) return;
      try {
        await appendOutputFile(this.file, line);
      } catch (e) {
        this.failed = e;
      }
    });
    return this.queue.then(() => {
      if (this.failed) throw this.failed;
    });
  }

  async flush(): Promise<void> {
    await this.queue;
    if (this.failed) throw this.failed;
  }
}

/** The union of several results files (shards): the same package or repository twice is one. */
export function mergeResults(files: readonly ResultsFile[]): ResultsFile {
  const out: ResultsFile = { packages: new Map(), repos: new Map(), skipped: 0 };
  for (const f of files) {
    out.skipped += f.skipped;
    if (f.header && !out.header) out.header = { ...f.header, shard: undefined };
    for (const [k, p] of f.packages) if (!out.packages.has(k) || (!out.packages.get(k)!.repo && p.repo)) out.packages.set(k, p);
    for (const [k, r] of f.repos) {
      const have = out.repos.get(k);
      // Two shards that saw the same repository: keep the complete answer (a scan over an error).
      if (!have || (have.state === 'error' && r.state !== 'error')) out.repos.set(k, r);
    }
  }
  if (out.header) delete out.header.shard;
  return out;
}

/** Serialises results in a stable order (header, packages, repositories), as one file. */
export function resultsText(r: ResultsFile): string {
  const lines: string[] = [];
  if (r.header) lines.push(JSON.stringify(r.header));
  for (const k of [...r.packages.keys()].sort()) lines.push(JSON.stringify(r.packages.get(k)));
  for (const k of [...r.repos.keys()].sort()) lines.push(JSON.stringify(r.repos.get(k)));
  return lines.join('\n') + '\n';
}
