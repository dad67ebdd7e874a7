import { CHECKS } from '../core/checks';
import { Engine } from '../core/engine';
import { essentialsScore } from '../core/report/essentials';
import { severityRank } from '../core/model';
import { concernsFor } from '../contribution/concerns';
import type { CacheStore } from '../github/cache';
import { GitHubError, GitHubRateLimitError } from '../github/errors';
import { RepoFetcher, RepoUnavailable } from './fetch';
import { packageKey, repoKey, type Dependency, type Ecosystem, type RepoRef } from './model';
import { RegistryError } from './registry/http';
import type { RegistryPort } from './registry/port';
import { packageRecordKey, ResultsWriter, type PackageRecord, type RepoRecord, type ResultsFile } from './results';

// One survey run: map every dependency to its repository (registries, bounded concurrency), then
// fetch and scan the repositories of this shard (bounded concurrency), appending each result to the
// JSON-lines file as it completes. Work already in the file is skipped, so a run stopped by Ctrl-C or a
// rate limit continues where it stopped. A rate limit whose reset is within `maxWaitSeconds` is waited
// for (every worker pauses); a later one stops the run with the reset time in the message.

export interface SurveyProgress {
  phase: 'registries' | 'repositories';
  done: number;
  total: number;
  failed: number;
}

export interface SurveyRunOptions {
  project: string;
  dependencies: Dependency[];
  registries: Partial<Record<Ecosystem, RegistryPort>>;
  fetcher: RepoFetcher;
  /** Scan results by repository and commit. */
  cache?: CacheStore;
  writer: ResultsWriter;
  /** What the results file already holds (resume). */
  previous?: ResultsFile;
  shard?: { index: number; count: number };
  concurrency?: number;
  registryConcurrency?: number;
  maxWaitSeconds?: number;
  signal?: AbortSignal;
  onProgress?: (p: SurveyProgress) => void;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

export interface SurveyRunResult {
  complete: boolean;
  /** Why the run stopped early (one line), when it did. */
  stopped?: string;
  packages: number;
  repos: { total: number; done: number; skipped: number };
}

/** FNV-1a: a stable shard for a key, the same on every machine and run. */
export function shardOf(key: string, count: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return (h % count) + 1;
}

class Stop extends Error {}

/** Scan result of one commit: what the record keeps of it. */
function scanFields(scan: Awaited<ReturnType<Engine['scan']>>): Pick<RepoRecord, 'essentials' | 'concerns' | 'findings' | 'findingCount'> {
  const metas = CHECKS.map((c) => c.meta);
  const score = essentialsScore(scan, { metas });
  const concerns = concernsFor(scan, metas)
    .filter((c) => c.fixes.length)
    .map((c) => ({ id: c.def.id, title: c.def.title, findings: c.fixes.length, files: c.files }));
  const active = scan.findings.filter((f) => !f.suppressed).sort((a, b) => severityRank(b.severity) - severityRank(a.severity));
  return {
    essentials: {
      passed: score.passed,
      checked: score.checked,
      total: score.total,
      failing: score.rows.filter((r) => r.state === 'fail').map((r) => ({ checkId: r.checkId, title: r.title })),
      summary: score.summary,
    },
    concerns,
    findings: active.slice(0, 25).map((f) => ({
      ruleId: f.ruleId,
      severity: f.severity,
      message: f.message.length > 300 ? `${f.message.slice(0, 297)}...` : f.message,
      ...(f.location ? { file: f.location.file, line: f.location.start.line } : {}),
      fixable: f.fixes.length > 0,
    })),
    findingCount: active.length,
  };
}

export async function runSurvey(o: SurveyRunOptions): Promise<SurveyRunResult> {
  const now = o.now ?? Date.now;
  const sleep = o.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const maxWait = (o.maxWaitSeconds ?? 0) * 1000;
  let stopped: string | undefined;
  let pauseUntil = 0;

  /** Runs `fn`, waiting out a near rate-limit reset; a far one (or Ctrl-C) stops the run. */
  const guarded = async <T>(fn: () => Promise<T>): Promise<T> => {
    for (;;) {
      if (stopped || o.signal?.aborted) throw new Stop();
      if (pauseUntil > now()) await sleep(pauseUntil - now());
      try {
        return await fn();
      } catch (e) {
        const limited = e instanceof GitHubRateLimitError || (e instanceof RegistryError && e.kind === 'rate-limit');
        if (!limited) throw e;
        const resetAt = (e as GitHubRateLimitError | RegistryError).resetAt;
        const wait = resetAt ? resetAt.getTime() - now() + 1000 : Infinity;
        if (wait <= maxWait) {
          pauseUntil = Math.max(pauseUntil, now() + wait);
          continue;
        }
        stopped ??= `${(e as Error).message.replace(/ \(set GITHUB_TOKEN.*\)$/, '')}${resetAt && wait > 0 && maxWait ? ` (later than --max-wait ${Math.round(maxWait / 1000)}s)` : ''}`;
        throw new Stop();
      }
    }
  };

  const pool = async <T>(items: readonly T[], limit: number, fn: (t: T) => Promise<void>): Promise<void> => {
    let next = 0;
    await Promise.all(
      Array.from({ length: Math.min(limit, items.length) }, async () => {
        while (next < items.length && !stopped && !o.signal?.aborted) {
          const item = items[next++];
          try {
            await fn(item);
          } catch (e) {
            if (!(e instanceof Stop)) throw e;
          }
        }
      }),
    );
  };

  const inShard = (key: string) => !o.shard || shardOf(key, o.shard.count) === o.shard.index;

  // 1. Registries: every dependency's repository (every shard needs the whole mapping to know which
  //    repositories are its own; answers are cached, so shards on one machine share them).
  const mapped = new Map<string, PackageRecord>();
  for (const [k, p] of o.previous?.packages ?? []) mapped.set(k, p);
  const lookups = o.dependencies.filter((d) => !mapped.has(packageRecordKey(d)));
  let done = 0;
  let failed = 0;
  const progress = (phase: SurveyProgress['phase'], total: number) => o.onProgress?.({ phase, done, total, failed });
  await pool(lookups, o.registryConcurrency ?? 8, async (d) => {
    const reg = o.registries[d.ecosystem];
    let rec: PackageRecord;
    const base = { ...d, kind: 'package' as const };
    if (!reg) rec = { ...base, reason: `no registry for ${d.ecosystem}` };
    else {
      try {
        const r = await guarded(() => reg.lookup(d));
        rec = r.repo ? { ...base, repo: repoKey(r.repo), url: r.url } : { ...base, ...(r.url ? { url: r.url } : {}), reason: r.reason ?? 'no repository found' };
      } catch (e) {
        if (e instanceof Stop) throw e;
        // A registry that keeps failing for one package: reported for that package, the survey goes on.
        failed++;
        rec = { ...base, reason: `registry lookup failed: ${e instanceof Error ? e.message : String(e)}` };
        mapped.set(packageRecordKey(d), rec);
        done++;
        progress('registries', lookups.length);
        return;
      }
    }
    mapped.set(packageRecordKey(d), rec);
    if (inShard(rec.repo ?? packageKey(d))) await o.writer.write(rec);
    done++;
    progress('registries', lookups.length);
  });

  // 2. Repositories of this shard that the file does not hold yet.
  const refs = new Map<string, RepoRef>();
  for (const p of mapped.values()) {
    if (!p.repo || refs.has(p.repo) || !inShard(p.repo)) continue;
    const [host, owner, repo] = p.repo.split('/');
    refs.set(p.repo, { host, owner, repo });
  }
  const todo = [...refs].filter(([k]) => !o.previous?.repos.has(k));
  const skipped = refs.size - todo.length;
  done = 0;
  failed = 0;
  const engine = () => new Engine(CHECKS);
  await pool(todo, o.concurrency ?? 4, async ([key, ref]) => {
    let rec: RepoRecord;
    try {
      const head = await guarded(() => o.fetcher.head(ref));
      const base = { kind: 'repo' as const, key, owner: head.meta.owner, repo: head.meta.repo, htmlUrl: head.meta.htmlUrl, commit: head.commit, defaultBranch: head.meta.defaultBranch, ownerKind: head.meta.ownerKind, pushedAt: head.meta.pushedAt };
      if (head.meta.archived) rec = { ...base, state: 'archived', message: 'archived: it takes no pull requests (look for a maintained replacement)' };
      else {
        const cacheKey = `survey/repo/${key}/${head.commit}`;
        const hit = await o.cache?.get<RepoRecord>(cacheKey);
        if (hit) rec = { ...hit.value, ...base, state: 'ok' };
        else {
          const files = await guarded(() => o.fetcher.files(head.meta, head.commit, head.tree));
          const facts = await guarded(() => o.fetcher.facts(head.meta, files));
          const scan = await engine().scan(files.snapshot, { facts });
          rec = { ...base, state: 'ok', lastRelease: files.lastRelease, ...scanFields(scan), files: { listed: files.listed, fetched: files.fetched, truncated: files.truncated } };
          await o.cache?.set(cacheKey, rec, now());
        }
      }
    } catch (e) {
      if (e instanceof Stop) throw e;
      const display = { kind: 'repo' as const, key, owner: ref.owner, repo: ref.repo, htmlUrl: `https://${ref.host}/${ref.owner}/${ref.repo}` };
      if (e instanceof RepoUnavailable) rec = { ...display, state: e.state, message: e.message };
      else if (e instanceof GitHubError && (e.kind === 'network' || e.kind === 'server')) {
        // Transient: not written, so the next run tries again.
        failed++;
        throw new Stop(stopped ??= `${e.message}: run the same command again to continue`);
      } else {
        failed++;
        rec = { ...display, state: 'error', message: e instanceof Error ? e.message.split('\n')[0] : String(e) };
      }
    }
    await o.writer.write(rec);
    done++;
    progress('repositories', todo.length);
  });
  await o.writer.flush();
  if (o.signal?.aborted && !stopped) stopped = 'interrupted';
  return { complete: !stopped, stopped, packages: mapped.size, repos: { total: refs.size, done: done + skipped, skipped } };
}

