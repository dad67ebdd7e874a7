import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { UsageError } from './errors';
import { processOutput, repoFolderArg, writeOutputFile, type Output } from './io';
import { githubServicesFor } from './online';
import { VERSION } from './version';
import { readProjectDependencies } from '../survey/dependencies';
import { RepoFetcher } from '../survey/fetch';
import { GitFileFetcher } from '../survey/git-fetch';
import { gitRepoUrl } from '../github/urls';
import { buildReport } from '../survey/rank';
import type { RegistryPort } from '../survey/registry/port';
import { registryEndpointsFromEnv, surveyRegistries } from '../survey/setup';
import type { CacheStore } from '../github/cache';
import { mergeResults, readResultsFile, RESULTS_VERSION, resultsText, ResultsWriter, type HeaderRecord, type ResultsFile } from '../survey/results';
import { runSurvey, type SurveyProgress } from '../survey/run';
import { surveyJson, surveyText } from '../survey/report/text';
import { surveyHtml } from '../survey/report/html';
import type { Ecosystem } from '../survey/model';

export const SURVEY_USAGE = `steward survey [PATH] [--results FILE] [--fresh] [--format text|json|html] [--output FILE]
               [--concurrency N] [--shard I/N] [--max-wait SECONDS] [--github-url URL] [--fetch api|git]
       steward survey merge FILE... [--results FILE] [--format text|json|html] [--output FILE]

  Reads the dependencies of the project at PATH (default .) from its lockfiles and manifests
  (package-lock.json, pnpm-lock.yaml, yarn.lock, requirements*.txt, poetry.lock, uv.lock, Cargo.lock,
  go.mod) and the actions its workflows use, finds each package's repository through its registry,
  fetches each repository's .github/, root files and manifests through the GitHub API (no clone,
  nothing run; --fetch git instead gets them with a shallow, blob-less git fetch plus one fetch of
  just those files, which spends no API quota on them), scans them and ranks where one security contribution helps most. --format html
  writes a self-contained report (no script, no external resource) for --output FILE.
  Results are appended to --results FILE (default steward-survey.jsonl, or steward-survey-I-of-N.jsonl
  with --shard) as they complete; running the same command again continues an interrupted survey
  (--fresh starts over). --shard I/N surveys the I-th of N parts; \`steward survey merge\` joins the
  parts' files into one report. --concurrency (default 4) bounds repositories fetched at once. A rate
  limit that resets within --max-wait seconds (default 60) is waited for; a later one stops the survey
  with the reset time. GITHUB_TOKEN raises GitHub's limit. Registries: STEWARD_NPM_REGISTRY,
  STEWARD_PYPI_URL, STEWARD_CRATES_URL, STEWARD_GO_IMPORT_URL (with {module}) replace the public ones.
  Exit code: 0 complete, 1 stopped early (run it again to continue), 2 usage or input error,
  130 interrupted.`;

function positiveInt(flag: string, v: string | undefined, fallback: number, max: number): number {
  if (v === undefined) return fallback;
  if (!/^\d+$/.test(v) || Number(v) < 1 || Number(v) > max) throw new UsageError(`${flag} must be a whole number from 1 to ${max} (got '${v}')`);
  return Number(v);
}

export function parseShard(v: string | undefined): { index: number; count: number } | undefined {
  if (v === undefined) return undefined;
  const m = /^(\d+)\/(\d+)$/.exec(v.trim());
  if (!m || Number(m[2]) < 1 || Number(m[1]) < 1 || Number(m[1]) > Number(m[2]) || Number(m[2]) > 1000) throw new UsageError(`--shard must be I/N with 1 <= I <= N <= 1000 (got '${v}')`);
  return { index: Number(m[1]), count: Number(m[2]) };
}

function render(results: ResultsFile, format: string, o: Output): string {
  const report = buildReport(results, { now: Date.now() });
  if (format === 'json') return JSON.stringify(surveyJson(report, VERSION), null, 2) + '\n';
  if (format === 'html') return surveyHtml(report, VERSION);
  return surveyText(report);
}

async function emit(text: string, output: string | undefined, o: Output): Promise<void> {
  if (output) await writeOutputFile(o, output, text);
  else o.out(text);
}

function checkFormat(f: string): string {
  if (!['text', 'json', 'html'].includes(f)) throw new UsageError(`--format must be text, json or html (got '${f}')`);
  return f;
}

function registries(o: Output, extraHost: string | undefined, cache: CacheStore): Partial<Record<Ecosystem, RegistryPort>> {
  const retryDelayMs = /^\d+$/.test(o.env.STEWARD_HTTP_RETRY_BASE_MS ?? '') ? Number(o.env.STEWARD_HTTP_RETRY_BASE_MS) : 500;
  return surveyRegistries(registryEndpointsFromEnv(o.env), { cache, extraHost, retryDelayMs });
}

/** Progress on stderr when it is a terminal: counts, and an estimate once a few results are in. */
function progressPrinter(o: Output): ((p: SurveyProgress) => void) & { end(): void } {
  const tty = o.err === processOutput.err && !!process.stderr.isTTY;
  const started = new Map<string, number>();
  let last = 0;
  let shown = false;
  const f = (p: SurveyProgress) => {
    if (!tty) return;
    const now = Date.now();
    if (!started.has(p.phase)) started.set(p.phase, now);
    if (now - last < 100 && p.done < p.total) return;
    last = now;
    const width = 24;
    const filled = p.total ? Math.round((p.done / p.total) * width) : width;
    const elapsed = (now - started.get(p.phase)!) / 1000;
    const eta = p.done >= 3 && p.done < p.total ? Math.round((elapsed / p.done) * (p.total - p.done)) : undefined;
    const what = p.phase === 'registries' ? 'packages looked up' : 'repositories surveyed';
    const etaText = eta === undefined ? '' : ` · about ${eta >= 90 ? `${Math.round(eta / 60)} min` : `${eta} s`} left`;
    process.stderr.write(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${p.done}/${p.total} ${what}${p.failed ? ` · ${p.failed} failed` : ''}${etaText}\u001b[K`);
    shown = true;
  };
  return Object.assign(f, {
    end() {
      if (shown) process.stderr.write('\r\u001b[K');
    },
  });
}


async function mergeCommand(argv: string[], o: Output): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { results: { type: 'string' }, format: { type: 'string', short: 'f', default: 'text' }, output: { type: 'string', short: 'o' } },
  });
  const format = checkFormat(values.format!);
  if (!positionals.length) throw new UsageError('steward survey merge needs the results files of the shards');
  const files: ResultsFile[] = [];
  for (const f of positionals) {
    const r = await readResultsFile(path.resolve(o.cwd, f)).catch((e: NodeJS.ErrnoException) => {
      throw new UsageError(`cannot read ${f}: ${e.code === 'EISDIR' ? 'it is a folder' : e.code ?? e.message}`);
    });
    if (!r) throw new UsageError(`no such file: ${f}`);
    if (!r.header) throw new UsageError(`${f} is not a steward survey results file`);
    files.push(r);
  }
  const projects = new Set(files.map((f) => f.header!.project));
  if (projects.size > 1) throw new UsageError(`the files survey different projects (${[...projects].join(', ')})`);
  const counts = new Set(files.map((f) => f.header!.shard?.count ?? 1));
  const indexes = files.map((f) => f.header!.shard?.index ?? 1);
  const merged = mergeResults(files);
  if (counts.size === 1) {
    const n = [...counts][0];
    const missing = Array.from({ length: n }, (_, i) => i + 1).filter((i) => !indexes.includes(i));
    if (missing.length) o.err(`steward: warning: shard${missing.length === 1 ? '' : 's'} ${missing.join(', ')} of ${n} missing: the report covers only the others\n`);
  }
  if (values.results) await writeOutputFile(o, values.results, resultsText(merged));
  await emit(render(merged, format, o), values.output, o);
  return 0;
}

export async function surveyCommand(argv: string[], o: Output): Promise<number> {
  if (argv[0] === 'merge') return mergeCommand(argv.slice(1), o);
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      results: { type: 'string' },
      fresh: { type: 'boolean', default: false },
      format: { type: 'string', short: 'f', default: 'text' },
      output: { type: 'string', short: 'o' },
      concurrency: { type: 'string' },
      shard: { type: 'string' },
      'max-wait': { type: 'string' },
      'github-url': { type: 'string' },
      fetch: { type: 'string', default: 'api' },
    },
  });
  const format = checkFormat(values.format!);
  if (values.fetch !== 'api' && values.fetch !== 'git') throw new UsageError(`--fetch must be api or git (got '${values.fetch}')`);
  const concurrency = positiveInt('--concurrency', values.concurrency, 4, 64);
  const maxWait = values['max-wait'] === '0' ? 0 : positiveInt('--max-wait', values['max-wait'], 60, 24 * 3600);
  const shard = parseShard(values.shard);
  if (o.env.STEWARD_OFFLINE === '1') throw new UsageError('steward survey reads package registries and GitHub: it cannot run offline (STEWARD_OFFLINE=1)');
  const root = await repoFolderArg(positionals, o.cwd, 'survey');
  const project = path.basename(root);
  const resultsFile = path.resolve(o.cwd, values.results ?? (shard ? `steward-survey-${shard.index}-of-${shard.count}.jsonl` : 'steward-survey.jsonl'));
  const shownResults = path.relative(o.cwd, resultsFile) || resultsFile;

  const header: HeaderRecord = { kind: 'survey', version: RESULTS_VERSION, project, ...(shard ? { shard } : {}), steward: VERSION };
  let previous = values.fresh ? undefined : await readResultsFile(resultsFile).catch((e: NodeJS.ErrnoException) => {
    throw new UsageError(`cannot read ${shownResults}: ${e.code ?? e.message}`);
  });
  if (previous) {
    const h = previous.header;
    const sameShard = (h?.shard?.index ?? 0) === (shard?.index ?? 0) && (h?.shard?.count ?? 0) === (shard?.count ?? 0);
    if (!h || h.project !== project || !sameShard || h.version !== RESULTS_VERSION) {
      throw new UsageError(`${shownResults} holds ${h ? `a survey of ${h.project}${h.shard ? ` (shard ${h.shard.index}/${h.shard.count})` : ''}` : 'something else'}: pass --fresh to start over or --results another file`);
    }
  }
  const deps = await readProjectDependencies(root);
  for (const p of deps.problems) o.err(`steward: ${p.file}: ${p.message}\n`);
  if (!deps.dependencies.length) {
    o.err(`steward: no dependencies found in ${positionals[0] ?? '.'} (no lockfile, manifest or workflow Steward reads)\n`);
    return 2;
  }
  const services = githubServicesFor(o, values['github-url']);
  const extraHost = services.endpoints.isDotCom ? undefined : services.endpoints.host;
  if (previous) await ResultsWriter.repairTail(resultsFile);
  const writer = await ResultsWriter.create(resultsFile, header, !previous);
  if (previous?.repos.size || previous?.packages.size) o.err(`steward: continuing the survey in ${shownResults} (${previous.repos.size} repositories already done)\n`);
  const ac = new AbortController();
  const onInt = () => ac.abort();
  process.once('SIGINT', onInt);
  const progress = progressPrinter(o);
  let result;
  try {
    result = await runSurvey({
      project,
      dependencies: deps.dependencies,
      registries: registries(o, extraHost, services.cache),
      fetcher: new RepoFetcher(services.github, services.cache, 4, values.fetch === 'git' ? { fetcher: new GitFileFetcher({ env: o.env }), urlFor: (m) => gitRepoUrl(services.endpoints, m.owner, m.repo) } : undefined),
      cache: services.cache,
      writer,
      previous,
      shard,
      concurrency,
      maxWaitSeconds: maxWait,
      signal: ac.signal,
      onProgress: progress,
    });
  } finally {
    process.removeListener('SIGINT', onInt);
    progress.end();
  }
  const all = await readResultsFile(resultsFile);
  await emit(render(all ?? { packages: new Map(), repos: new Map(), skipped: 0 }, format, o), values.output, o);
  if (!result.complete) {
    const where = `${result.repos.done} of ${result.repos.total} repositories surveyed; results so far are in ${shownResults}`;
    if (result.stopped === 'interrupted') {
      o.err(`steward: interrupted: ${where}; run the same command again to continue\n`);
      return 130;
    }
    o.err(`steward: stopped: ${result.stopped}. ${where}; run the same command again${/resets at/.test(result.stopped ?? '') ? ' after the reset' : ''} to continue\n`);
    return 1;
  }
  return 0;
}
