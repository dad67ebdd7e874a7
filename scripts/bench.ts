// `npm run bench`: how fast and how lean Steward is on real repositories, printed as one table with
// each measure's goal. Not a test: it has goals, not thresholds, so a slow machine never fails a build.
//
//   node dist/bench.js [EXTRA_CORPUS_FOLDER...] [--only=PARTS] [--rounds=N] [--tree=FILES] [--sample=N] [--quick]
//   --sample=N keeps every N-th repository; --quick is --rounds=1 --sample=4 --tree=20000 (for iterating)
//   PARTS: cold, warm, actionlint, recheck, startup, tree, yaml, activation, memory, network
//
// Fair by construction (issue 19):
// - CPU time, not only wall time: child processes report their own CPU from start to exit
//   (dist/bench-cpu.js, preloaded), in-process parts measure process.cpuUsage around the work.
// - Cold against cold, warm against warm: the cold scan is `node dist/cli.js scan REPO` and its floor
//   `node dist/bench-floor.js REPO` (walk, read and parse the same files with the same `yaml`), each a
//   fresh process; the warm ones run the same work in this process.
// - Rounds interleaved: every round runs each side once, in alternating order, so load from other work
//   on the machine falls on both sides; ratios are of medians, geometric means over the repositories.
// - actionlint with its start-up (a fresh process per repository, beside `steward scan FILE...` on the
//   same workflow files) and without it (in this process, beside the engine on the same files).
// - Re-checks on a repository on disk (what the editor does on save), and a 200,000-file tree.
// Each folder given (default ../shared/corpus/real and ../shared/corpus/real-b) holds one repository per
// sub-folder, or is itself a repository when it has a .github folder.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, promises as fs, readdirSync, readFileSync, rmSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import { Parser, parseAllDocuments } from 'yaml';
import { CHECKS } from '../src/core/checks';
import { Engine } from '../src/core/engine';
import { classifyPath, YAML_KINDS } from '../src/core/repo/classify';
import { DiskSnapshot } from '../src/core/repo/disk';
import { fastParse } from '../src/core/yaml/fast';
import { parseDocs } from '../src/core/yaml/parse';
import { loadSourceFile } from '../src/core/repo/load';
import { MemorySnapshot } from '../src/core/repo/snapshot';
import type { Fix } from '../src/core/model';
import { PIN_ACTION_PROVIDER, type PinActionData } from '../src/core/fix/deferred';
import { floor } from './bench-floor';
import { floorOwn } from './bench-floor-own';
import { loadActionlint } from './bench-actionlint';

const ROOT = path.resolve(__dirname, '..');
const DEFAULT_CORPORA = [path.resolve(ROOT, '../shared/corpus/real'), path.resolve(ROOT, '../shared/corpus/real-b')];
const DIST = path.join(ROOT, 'dist');
const CPU_PROBE = path.join(DIST, 'bench-cpu.js');

// ---------------------------------------------------------------------------------------------
// small helpers

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function geomean(xs: number[]): number {
  return Math.exp(xs.reduce((n, x) => n + Math.log(x), 0) / xs.length);
}

interface Sample {
  wall: number;
  cpu: number;
}

/** Wall and CPU time (this process, every thread) of one call. */
async function measure(fn: () => Promise<unknown> | unknown): Promise<Sample> {
  const c = process.cpuUsage();
  const t = performance.now();
  await fn();
  const wall = performance.now() - t;
  const d = process.cpuUsage(c);
  return { wall, cpu: (d.user + d.system) / 1000 };
}

/**
 * Runs the functions in turn, round after round (order alternating between rounds), and returns each
 * one's samples. No forced GC between rounds: a full collection shrinks the young generation and makes
 * the next round pay for regrowing it.
 */
type Timed = (() => Promise<unknown> | unknown) | { before: () => Promise<unknown> | unknown; run: () => Promise<unknown> | unknown };

async function interleaved(rounds: number, warmup: number, fns: Timed[]): Promise<Sample[][]> {
  // `before` runs untimed ahead of each timed call (a file saved before the re-check it causes).
  const once = async (f: Timed, timed: boolean): Promise<Sample | undefined> => {
    if (typeof f === 'function') return timed ? measure(f) : (await f(), undefined);
    await f.before();
    return timed ? measure(f.run) : (await f.run(), undefined);
  };
  for (let i = 0; i < warmup; i++) for (const fn of fns) await once(fn, false);
  const out: Sample[][] = fns.map(() => []);
  for (let i = 0; i < rounds; i++) {
    const order = fns.map((_, k) => k);
    if (i % 2) order.reverse();
    for (const k of order) out[k].push((await once(fns[k], true))!);
  }
  return out;
}

const med = (xs: Sample[]) => ({ wall: median(xs.map((x) => x.wall)), cpu: median(xs.map((x) => x.cpu)) });

/** One child process: wall time seen from here, CPU time the child reported (start-up included). */
function spawnSample(args: string[]): Sample & { status: number | null; stderr: string; stdout: string } {
  const t = performance.now();
  const r = spawnSync(process.execPath, ['--require', CPU_PROBE, ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    maxBuffer: 512 * 1048576,
    // Each side keeps its own compile cache as a user's machine would (the CLI's; none for the floor).
    env: { ...process.env, NODE_OPTIONS: '' },
  });
  const wall = performance.now() - t;
  const m = /\nBENCH-CPU ([\d.]+)\n?$/.exec(r.stderr ?? '');
  return { wall, cpu: m ? Number(m[1]) : NaN, status: r.status, stderr: (r.stderr ?? '').replace(/\nBENCH-CPU [\d.]+\n?$/, ''), stdout: r.stdout ?? '' };
}

/**
 * Interleaved rounds of child processes; fails loudly when a child fails (a broken side is not fast).
 * No warm-up spawn per call: the corpus walk before any timing fills the OS file cache, and main()
 * runs the CLI once first (its compile cache), as a user's second run would find them.
 */
function spawnInterleaved(rounds: number, sides: string[][]): Sample[][] {
  const out: Sample[][] = sides.map(() => []);
  for (let i = 0; i < rounds; i++) {
    const order = sides.map((_, k) => k);
    if (i % 2) order.reverse();
    for (const k of order) {
      const s = spawnSample(sides[k]);
      if (s.status !== 0 || Number.isNaN(s.cpu)) throw new Error(`${sides[k].map((x) => path.basename(x)).join(' ').slice(0, 200)} failed (exit ${s.status}): ${s.stderr.trim().split('\n')[0]}`);
      out[k].push(s);
    }
  }
  return out;
}

const ms = (x: number) => (x >= 100 ? `${x.toFixed(0)} ms` : x >= 10 ? `${x.toFixed(1)} ms` : `${x.toFixed(2)} ms`);
const mb = (bytes: number) => `${(bytes / 1048576).toFixed(2)} MB`;
const both = (s: Sample) => `${ms(s.cpu)} CPU, ${ms(s.wall)} wall`;

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

/** Progress on stderr, so the table on stdout stays clean. */
const progress = (s: string) => process.stderr.write(`bench: ${s}\n`);

// ---------------------------------------------------------------------------------------------
// the corpus

interface CorpusRepo {
  dir: string;
  name: string;
  /** The corpus folder it came from (its base name). */
  corpus: string;
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
    .map((e) => path.join(folder, e.name))
    .sort();
}

function loadCorpus(folders: string[]): CorpusRepo[] {
  const repos: CorpusRepo[] = [];
  for (const folder of folders) {
    for (const dir of repoDirs(folder)) {
      const files = walk(dir);
      const yamlFiles = files.filter((f) => YAML_KINDS.has(classifyPath(f)));
      const workflows = files.filter((f) => classifyPath(f) === 'workflow');
      const bytes = yamlFiles.reduce((n, f) => n + statSync(path.join(dir, f)).size, 0);
      repos.push({ dir, name: path.basename(dir), corpus: path.basename(folder), yamlFiles, workflows, bytes });
    }
  }
  return repos;
}

/** A fresh engine and snapshot: the work a CLI run does after start-up (list, read, parse, check). */
async function scanRepo(r: CorpusRepo): Promise<number> {
  const scan = await new Engine(CHECKS).scan(new DiskSnapshot(r.dir), { factsUnavailable: 'offline (benchmark)' });
  const errors = scan.results.filter((x) => x.status === 'error');
  if (errors.length) throw new Error(`${r.name}: check ${errors[0].checkId} failed: ${errors[0].reason}`);
  return scan.findings.length;
}

const cliScanArgs = (target: string[]) => [path.join(DIST, 'cli.js'), 'scan', ...target, '--format', 'json', '--offline', '--fail-on', 'never'];

// ---------------------------------------------------------------------------------------------
// (a) cold: a whole `steward scan` process against a whole read-and-parse process, per repository

function ratioRows(label: string, repos: CorpusRepo[], ratios: Map<CorpusRepo, { cpu: number; wall: number }>, goal: number): void {
  const corpora = [...new Set(repos.map((r) => r.corpus))];
  const all = [...ratios.values()];
  const g = geomean(all.map((x) => x.cpu));
  row(`${label}, CPU, geometric mean over ${all.length} repositories`, g.toFixed(2), `≤ ${goal}`, g <= goal);
  for (const c of corpora) {
    const xs = repos.filter((r) => r.corpus === c && ratios.has(r)).map((r) => ratios.get(r)!);
    const worst = repos.filter((r) => r.corpus === c && ratios.has(r)).sort((a, b) => ratios.get(b)!.cpu - ratios.get(a)!.cpu)[0];
    row(`  ${c} (${xs.length}): CPU / wall`, `${geomean(xs.map((x) => x.cpu)).toFixed(2)} / ${geomean(xs.map((x) => x.wall)).toFixed(2)} (highest: ${worst.name} ${ratios.get(worst)!.cpu.toFixed(2)})`);
  }
}

function benchCold(repos: CorpusRepo[], rounds: number): void {
  const ratios = new Map<CorpusRepo, { cpu: number; wall: number }>();
  const ownRatios = new Map<CorpusRepo, { cpu: number; wall: number }>();
  let scanCpu = 0;
  let floorCpu = 0;
  let ownCpu = 0;
  for (const [i, r] of repos.entries()) {
    progress(`cold ${i + 1}/${repos.length} ${r.name}`);
    const [scan, fl, own] = spawnInterleaved(rounds, [cliScanArgs([r.dir]), [path.join(DIST, 'bench-floor.js'), r.dir], [path.join(DIST, 'bench-floor-own.js'), r.dir]]).map(med);
    ratios.set(r, { cpu: scan.cpu / fl.cpu, wall: scan.wall / fl.wall });
    ownRatios.set(r, { cpu: scan.cpu / own.cpu, wall: scan.wall / own.wall });
    scanCpu += scan.cpu;
    floorCpu += fl.cpu;
    ownCpu += own.cpu;
  }
  row(`cold: ${repos.length} repositories, one fresh process each side`, `scan ${ms(scanCpu)} CPU in all, floor ${ms(floorCpu)} CPU in all`);
  ratioRows('cold scan / cold read-and-parse floor', repos, ratios, 1.3);
  ownRow('cold', ownCpu, ownRatios);
}

/** The scan against the floor that parses with Steward's own front end (no goal: it shows where a ratio comes from). */
function ownRow(label: string, ownCpu: number, ratios: Map<CorpusRepo, { cpu: number; wall: number }>): void {
  const g = geomean([...ratios.values()].map((x) => x.cpu));
  row(`  ${label} scan / ${label} floor parsing as the scan does (fast front end + yaml), CPU`, `${g.toFixed(2)} (that floor ${ms(ownCpu)} CPU in all)`);
}

// ---------------------------------------------------------------------------------------------
// (b) warm: the same two, in this process

async function benchWarm(repos: CorpusRepo[], rounds: number): Promise<void> {
  const nFiles = repos.reduce((n, r) => n + r.yamlFiles.length, 0);
  const nBytes = repos.reduce((n, r) => n + r.bytes, 0);
  let findings = 0;
  for (const r of repos) findings += await scanRepo(r);
  row(`corpus: ${repos.length} repositories, ${nFiles} YAML files`, `${(nBytes / 1024).toFixed(0)} KiB, ${findings} findings`);
  const ratios = new Map<CorpusRepo, { cpu: number; wall: number }>();
  let scanAll: Sample = { cpu: 0, wall: 0 };
  let floorAll: Sample = { cpu: 0, wall: 0 };
  const ownRatios = new Map<CorpusRepo, { cpu: number; wall: number }>();
  let ownCpu = 0;
  for (const [i, r] of repos.entries()) {
    if (i % 10 === 0) progress(`warm ${i + 1}/${repos.length}`);
    const [scan, fl, own] = (await interleaved(rounds, 2, [() => scanRepo(r), () => floor(r.dir), () => floorOwn(r.dir)])).map(med);
    ratios.set(r, { cpu: scan.cpu / fl.cpu, wall: scan.wall / fl.wall });
    ownRatios.set(r, { cpu: scan.cpu / own.cpu, wall: scan.wall / own.wall });
    scanAll = { cpu: scanAll.cpu + scan.cpu, wall: scanAll.wall + scan.wall };
    floorAll = { cpu: floorAll.cpu + fl.cpu, wall: floorAll.wall + fl.wall };
    ownCpu += own.cpu;
  }
  // STEWARD_BENCH_PER_REPO=1: every repository's warm ratio on stderr, worst first (what pulls the mean up).
  if (process.env.STEWARD_BENCH_PER_REPO)
    for (const r of [...ratios.keys()].sort((a, b) => ratios.get(b)!.cpu - ratios.get(a)!.cpu))
      progress(`warm ${r.name}: ${ratios.get(r)!.cpu.toFixed(2)} (own-parser floor ${ownRatios.get(r)!.cpu.toFixed(2)})`);
  row('warm scan, whole corpus (all checks, offline, fresh engine)', both(scanAll));
  row('warm read-and-parse floor, whole corpus', both(floorAll));
  ratioRows('warm scan / warm floor', repos, ratios, 1.2);
  ownRow('warm', ownCpu, ownRatios);
}

// ---------------------------------------------------------------------------------------------
// (c) actionlint, with and without its start-up, on the same workflow files

async function benchActionlint(repos: CorpusRepo[], rounds: number): Promise<void> {
  let runLint: ReturnType<typeof loadActionlint>;
  try {
    runLint = loadActionlint();
  } catch (e) {
    row('actionlint (WebAssembly)', `n/a (${(e as Error).message.split('\n')[0]})`);
    return;
  }
  const withWf = repos.filter((r) => r.workflows.length);
  // Without start-up: both sides warm in this process, per file (Steward: the engine over a snapshot of
  // just these files, every check; actionlint: runLint per file).
  const files = withWf.map((r) => r.workflows.map((f) => ({ path: f, text: readFileSync(path.join(r.dir, f), 'utf8') })));
  const snaps = files.map((fs_, i) => new MemorySnapshot(withWf[i].name, Object.fromEntries(fs_.map((f) => [f.path, f.text]))));
  await runLint('on: push\njobs: {}\n', 'init.yml'); // loading the module is start-up: not timed here
  let problems = 0;
  const lintAll = async () => {
    problems = 0;
    for (const repo of files) for (const f of repo) problems += (await runLint(f.text, f.path)).length;
  };
  const stewardAll = async () => {
    for (const s of snaps) await new Engine(CHECKS).scan(s, { factsUnavailable: 'offline (benchmark)' });
  };
  const [lint, steward] = (await interleaved(rounds, 1, [lintAll, stewardAll])).map(med);
  const n = files.reduce((k, f) => k + f.length, 0);
  row(`actionlint warm, ${n} workflow files (${problems} problems)`, both(lint));
  row('  Steward warm, the same files (engine, every check)', both(steward));
  row('  Steward / actionlint, warm, CPU', (steward.cpu / lint.cpu).toFixed(2), '≤ 0.5', steward.cpu / lint.cpu <= 0.5);
  // With start-up: a fresh process per corpus on each side (actionlint's WebAssembly start-up costs
  // most of a second, so one per repository would make this part the whole benchmark), the same files
  // named on the command line: `steward scan FILE...` runs the per-file checks only, like actionlint.
  const ratios: number[] = [];
  for (const c of [...new Set(withWf.map((r) => r.corpus))]) {
    progress(`actionlint cold, ${c}`);
    const abs = withWf.filter((r) => r.corpus === c).flatMap((r) => r.workflows.map((f) => path.join(r.dir, f)));
    const [l, s] = spawnInterleaved(rounds, [[path.join(DIST, 'bench-actionlint.js'), ...abs], cliScanArgs(abs)]).map(med);
    ratios.push(s.cpu / l.cpu);
    row(`actionlint cold, one process over ${c} (${abs.length} workflow files)`, both(l));
    row(`  steward scan FILE... cold, the same files`, `${both(s)}, ratio ${(s.cpu / l.cpu).toFixed(2)}`);
  }
  const g = geomean(ratios);
  row('  Steward / actionlint, cold, CPU, geometric mean over the corpora', g.toFixed(2), '≤ 0.5', g <= 0.5);
}

// ---------------------------------------------------------------------------------------------
// (d) re-check on save, on a repository on disk

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

/** A 100-workflow repository on disk (one of them 500 lines), with the usual root files and a few binaries. */
export function writeRecheckRepo(dir: string): string {
  const wf = path.join(dir, '.github/workflows');
  mkdirSync(wf, { recursive: true });
  for (let i = 0; i < 100; i++) writeFileSync(path.join(wf, `wf-${String(i).padStart(3, '0')}.yml`), generateWorkflow(i, i === 42 ? 500 : 120));
  writeFileSync(path.join(dir, 'SECURITY.md'), '# Security\n\nReport to security@example.org\n');
  writeFileSync(path.join(dir, 'README.md'), '# Generated\n');
  writeFileSync(path.join(dir, 'package.json'), '{"name":"generated","version":"1.0.0"}\n');
  mkdirSync(path.join(dir, 'bin'));
  for (let i = 0; i < 20; i++) writeFileSync(path.join(dir, 'bin', `tool-${i}`), `#!/bin/sh\necho ${i}\n`);
  writeFileSync(path.join(dir, 'bin', 'helper.exe'), Buffer.concat([Buffer.from('MZ'), Buffer.alloc(200_000, 7)]));
  return '.github/workflows/wf-042.yml';
}

async function benchRecheck(rounds: number): Promise<void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'steward-bench-recheck-'));
  try {
    const target = writeRecheckRepo(dir);
    const original = readFileSync(path.join(dir, target), 'utf8');
    const snap = new DiskSnapshot(dir);
    const engine = new Engine(CHECKS);
    const full = await measure(() => engine.scan(snap));
    let edit = 0;
    // An edit as a user makes it: one line of a run script changes and the editor saves the file
    // (the save is the editor's work, not timed). Each save changes the file's length, as most
    // edits do, so nothing that only helps an edit of the same length can flatter the figure.
    const save = () => {
      edit++;
      writeFileSync(path.join(dir, target), original.replace('echo "job 0"', `echo "job 0 edit ${edit}${' x'.repeat(edit % 3)}"`));
    };
    // The re-check's code is compiled by V8 as it runs: the first saves of a session pay for that (in
    // background compiler threads too, which CPU time counts) until the code is optimised. So the
    // figures come in three parts: the first re-check right after the first scan, the mean over the
    // next 30 saves (early in a session), and the steady cost once the code is optimised (after 200
    // more saves), which is what every later save of a session costs and what the goal is about.
    // Main-thread CPU (Linux: /proc/self/task/PID/schedstat) is what delays the editor's answer.
    const mainNs = (): number => {
      try {
        return Number(readFileSync(`/proc/self/task/${process.pid}/schedstat`, 'utf8').split(' ')[0]);
      } catch {
        return NaN;
      }
    };
    const recheck = () => engine.scan(snap, { changed: [target] });
    const noop = () => engine.scan(snap, { changed: [] });
    save();
    const first = await measure(recheck);
    const early: Sample[] = [];
    let earlyMain = 0;
    for (let i = 0; i < 30; i++) {
      save();
      const m0 = mainNs();
      early.push(await measure(recheck));
      earlyMain += mainNs() - m0;
    }
    for (let i = 0; i < 200; i++) {
      save();
      await recheck();
    }
    const oneEdit = { before: save, run: recheck };
    const [n, e] = (await interleaved(Math.max(rounds * 4, 21), 0, [noop, oneEdit])).map(med);
    const mean = (xs: Sample[]) => ({ cpu: xs.reduce((a, x) => a + x.cpu, 0) / xs.length, wall: xs.reduce((a, x) => a + x.wall, 0) / xs.length });
    const earlyMean = mean(early);
    row('full scan, 100-workflow repository on disk (first scan)', both(full));
    row('re-check with nothing changed, on disk', both(n), '≤ 5 ms', n.cpu <= 5);
    row('re-check after one edit of a 500-line workflow, on disk, steady (after 231 saves)', both(e), '≤ 5 ms', e.cpu <= 5);
    row('  the first re-check after one edit, right after the first scan', both(first));
    row(
      '  saves 2–31 of a session, mean (code still being optimised)',
      `${both(earlyMean)}${Number.isNaN(earlyMain) ? '' : `, main thread ${ms(earlyMain / 30 / 1e6)} CPU`}`,
    );
    // What the edited file costs alone, which no cache can save: reading and parsing it (the same
    // load the engine does), and every per-file check on it once. The rest is the re-check's overhead.
    const bytes = readFileSync(path.join(dir, target));
    // The same file as loaded before the edit: the re-check parses only the job the edit touched.
    const before = loadSourceFile(target, Buffer.from(original.replace('echo "job 0"', 'echo "job 0 before"')), 'workflow');
    const [p, c, inc] = (
      await interleaved(21, 3, [
        () => loadSourceFile(target, bytes, 'workflow'),
        // `steward scan FILE` in-process: a fresh engine, the file alone, per-file checks only.
        () => new Engine(CHECKS).scan(new MemorySnapshot('edited', { [target]: bytes }, [], undefined, undefined, true)),
        () => loadSourceFile(target, bytes, 'workflow', before),
      ])
    ).map(med);
    row('  of which: loading and parsing the edited file alone', both(p));
    row('  of which: loading it after the edit as the re-check does (incremental parse)', both(inc));
    row('  of which: a scan of the edited file alone (load, parse, per-file checks)', both(c));
    // The edited file's own share of the re-check: its per-file checks and its incremental load.
    const own = { cpu: c.cpu - p.cpu + inc.cpu, wall: c.wall - p.wall + inc.wall };
    row('  the rest: re-check overhead (repository passes, kept results)', `${ms(e.cpu - own.cpu)} CPU, ${ms(e.wall - own.wall)} wall`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------
// (e) start-up: the CLI over bare Node

function benchStartup(rounds: number): void {
  const empty = mkdtempSync(path.join(os.tmpdir(), 'steward-bench-empty-'));
  try {
    mkdirSync(path.join(empty, '.github'));
    const [node, scan, version] = spawnInterleaved(Math.max(rounds * 2, 9), [['-e', '0'], cliScanArgs([empty]), [path.join(DIST, 'cli.js'), '--version']]).map(med);
    row('node -e 0 (bare Node)', both(node));
    const over = { cpu: scan.cpu - node.cpu, wall: scan.wall - node.wall };
    row('CLI start-up over bare Node: steward scan of an empty repository', `${ms(over.cpu)} CPU, ${ms(over.wall)} wall`, '≤ 40 ms', over.cpu <= 40);
    row('  steward --version over bare Node', `${ms(version.cpu - node.cpu)} CPU, ${ms(version.wall - node.wall)} wall`);
  } finally {
    rmSync(empty, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------
// (f) a 200,000-file tree

function writeTree(dir: string, files: number): void {
  // 400 folders of 500 files under src/, plus a .github with a workflow: mostly text with extensions,
  // one in twenty extensionless (binary sniffing reads those, up to its cap), a few real binaries.
  mkdirSync(path.join(dir, '.github/workflows'), { recursive: true });
  writeFileSync(path.join(dir, '.github/workflows/ci.yml'), generateWorkflow(0, 120));
  const perDir = 500;
  const elf = Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]), Buffer.alloc(56)]);
  for (let d = 0; d * perDir < files; d++) {
    const sub = path.join(dir, 'src', `m${Math.floor(d / 20)}`, `d${d}`);
    mkdirSync(sub, { recursive: true });
    for (let i = 0; i < perDir && d * perDir + i < files; i++) {
      const name = i % 20 === 0 ? `tool${i}` : `f${i}.${['ts', 'js', 'md', 'json', 'c'][i % 5]}`;
      writeFileSync(path.join(sub, name), i === 0 && d % 50 === 0 ? elf : `// ${d}/${i}\n`);
    }
  }
}

async function benchTree(files: number, rounds: number): Promise<void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'steward-bench-tree-'));
  try {
    progress(`writing a ${files.toLocaleString('en-US')}-file tree`);
    writeTree(dir, files);
    const fake: CorpusRepo = { dir, name: 'tree', corpus: 'tree', yamlFiles: [], workflows: [], bytes: 0 };
    const [list, scan, fl] = (
      await interleaved(Math.max(3, Math.min(rounds, 5)), 1, [() => new DiskSnapshot(dir).listFiles(), () => scanRepo(fake), () => floor(dir)])
    ).map(med);
    const paths = (await new DiskSnapshot(dir).listFiles()).length;
    row(`${files.toLocaleString('en-US')}-file tree: walk (DiskSnapshot.listFiles, ${paths.toLocaleString('en-US')} paths)`, both(list));
    row('  warm scan, all checks', both(scan));
    row('  warm read-and-parse floor (walk + the one workflow)', both(fl));
    const [cold, coldFloor] = spawnInterleaved(Math.max(1, Math.min(rounds, 3)), [cliScanArgs([dir]), [path.join(DIST, 'bench-floor.js'), dir]]).map(med);
    row('  cold steward scan / cold floor, CPU', `${(cold.cpu / coldFloor.cpu).toFixed(2)} (${ms(cold.cpu)} / ${ms(coldFloor.cpu)})`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------
// (g) the YAML front end: would a faster parser that keeps exact ranges pay off?

async function benchYaml(repos: CorpusRepo[], rounds: number): Promise<void> {
  const texts = repos.flatMap((r) => r.yamlFiles.map((f) => readFileSync(path.join(r.dir, f), 'utf8')));
  const opts = { prettyErrors: false, strict: false, uniqueKeys: false } as const;
  const full = () => {
    for (const t of texts) parseAllDocuments(t, opts);
  };
  // yaml's own lexer and CST parser: every node with its exact offsets, no documents built. Any front
  // end that keeps yaml's source ranges costs at least this.
  const cst = () => {
    for (const t of texts) for (const _ of new Parser().parse(t)) void _;
  };
  let jsyaml: ((t: string) => unknown) | undefined;
  try {
    // js-yaml loadAll: values only, no ranges kept.
    const m = createRequire(path.join(ROOT, 'package.json'))('js-yaml') as { loadAll: (t: string, cb: (d: unknown) => void, o?: object) => void };
    jsyaml = (t) => m.loadAll(t, () => undefined, { json: true });
  } catch {
    jsyaml = undefined;
  }
  // what parseYaml does: the fast front end of src/core/yaml/fast.ts (js-yaml 5 events -> the same
  // yaml nodes), with the parseAllDocuments fallback (comments dropped) for the files it declines
  const fast = () => {
    for (const t of texts) parseDocs(t);
  };
  const taken = texts.filter((t) => fastParse(t, opts)).length;
  const fns: (() => unknown)[] = [full, cst, fast];
  if (jsyaml) {
    const j = jsyaml;
    fns.push(() => {
      for (const t of texts) {
        try {
          j(t);
        } catch {
          /* a file js-yaml rejects: the others still count */
        }
      }
    });
  }
  const res = (await interleaved(rounds, 2, fns)).map(med);
  row(`yaml front end: parseAllDocuments, ${texts.length} files (the fallback)`, both(res[0]));
  row('  yaml Parser alone (tokens + CST with exact offsets, no documents)', `${both(res[1])} (${((res[1].cpu / res[0].cpu) * 100).toFixed(0)} %)`);
  row(`  fast front end + fallback (${taken} of ${texts.length} files taken; what the scan does)`, `${both(res[2])} (${((res[2].cpu / res[0].cpu) * 100).toFixed(0)} %)`);
  if (res[3]) row('  js-yaml loadAll (values only, no ranges)', `${both(res[3])} (${((res[3].cpu / res[0].cpu) * 100).toFixed(0)} %)`);
}

// ---------------------------------------------------------------------------------------------
// (h) extension activation, bundle sizes; (i) memory — child processes

function childJson(mode: string, extra: string[] = []): Record<string, number | string> | undefined {
  const r = spawnSync(process.execPath, [__filename, `--child=${mode}`, ...extra], { cwd: ROOT, encoding: 'utf8' });
  const last = r.stdout.trim().split('\n').pop() ?? '';
  try {
    return JSON.parse(last);
  } catch {
    return { error: (r.stderr || r.stdout).trim().split('\n')[0] || `exit ${r.status}` };
  }
}

function benchActivation(): void {
  const ext = path.join(ROOT, 'dist/extension.js');
  if (!existsSync(ext)) {
    row('extension activation (require + activate)', 'n/a (dist/extension.js not built yet)', '≤ 30 ms');
  } else {
    // Nine fresh processes, the median. The goal is on wall time, as VS Code reports an activation;
    // CPU time is shown beside it (it counts V8's compiler and GC threads too, so it can exceed wall).
    const samples: number[] = [];
    const walls: number[] = [];
    const later = new Map<string, number[]>();
    let loaded = '';
    let failure: string | undefined;
    for (let i = 0; i < 9; i++) {
      const r = childJson('activation');
      if (!r || typeof r.ms !== 'number' || typeof r.cpu !== 'number') {
        failure = String(r?.error ?? 'no result');
        break;
      }
      samples.push(r.cpu);
      walls.push(r.ms);
      loaded = String(r.loaded ?? '');
      for (const [k, v] of Object.entries(r)) if (k.startsWith('later:') && typeof v === 'number') later.set(k.slice(6), [...(later.get(k.slice(6)) ?? []), v]);
    }
    if (failure) row('extension activation (require + activate)', `failed: ${failure}`, '≤ 30 ms', false);
    else {
      row('extension activation (require + activate)', `${ms(median(walls))} wall, ${ms(median(samples))} CPU (loads ${loaded || 'nothing'})`, '≤ 30 ms', median(walls) <= 30);
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
  const c0 = process.cpuUsage();
  const ext = require(path.join(ROOT, 'dist/extension.js')) as { activate?: (c: unknown) => unknown };
  await ext.activate?.(context);
  const c = process.cpuUsage(c0);
  const elapsed = performance.now() - t;
  const cpu = (c.user + c.system) / 1000;
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
  console.log(JSON.stringify({ ms: elapsed, cpu, loaded: loaded.join(' + '), ...Object.fromEntries(Object.entries(later).map(([k, v]) => [`later:${k}`, v])) }));
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
  for (const r of loadCorpus(folders)) await scanRepo(r);
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
    row(label, 'n/a (resolver not built yet)', 'none failed, warm 0');
    return;
  }
  try {
    const r = await measurePinning(jobs, { serverTs, fixturesTs, githubTs });
    const failed = r.failed ? `; ${r.failed} pins failed: ${r.firstFailure}` : '';
    // Per action repository one ls-remote (two HTTP requests with protocol v2) lists every ref; a
    // release date is asked once per ref a workflow pins (a tag's and a branch's differ), never twice.
    const refs = new Set(jobs.map((j) => `${j.data.owner}/${j.data.repo}@${j.data.ref}`.toLowerCase()));
    row(`${label}, cold`, `${r.cold} HTTP requests${failed}`, 'none failed', !r.failed);
    row('  of which git ls-remote', `${r.lsRemote} (${r.gitHttp} HTTP requests: protocol v2 lists refs in 2)`, `≤ ${distinct.size} (1 per repository)`, r.lsRemote <= distinct.size);
    row('  of which REST API (tag and commit dates)', `${r.api} (${r.apiDistinct} distinct)`, `≤ ${refs.size} (1 per pinned ref), none repeated`, r.api <= refs.size && r.api === r.apiDistinct);
    row('network: the same pins again, warm (on-disk cache)', `${r.warm} requests`, '0', r.warm === 0);
  } catch (e) {
    row(label, `failed: ${(e as Error).message.split('\n')[0]}`, 'none failed, warm 0', false);
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
  const extra = args.filter((a) => !a.startsWith('--')).map((a) => path.resolve(a));
  const folders = [...DEFAULT_CORPORA.filter(existsSync), ...extra];
  if (child === 'activation') return childActivation();
  if (child === 'memory') return childMemory(folders);
  if (child === 'baseline') {
    console.log(JSON.stringify({ maxRSS: await peakRss() }));
    return;
  }
  if (!folders.length) throw new Error(`no corpus: none of ${DEFAULT_CORPORA.join(', ')} exists and no folder was given`);
  for (const f of ['cli.js', 'cli-main.js', 'bench-floor.js', 'bench-floor-own.js', 'bench-cpu.js']) if (!existsSync(path.join(DIST, f))) throw new Error(`dist/${f} is missing: run \`node esbuild.mjs\` first`);
  // --quick: the reduced run for iterating on a shared machine (one round, every fourth repository, a
  // 20,000-file tree); its figures are indications, the README's table comes from a full run.
  const quick = args.includes('--quick');
  const opt = (name: string) => args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
  const sample = Number(opt('sample') ?? (quick ? 4 : 1));
  const repos = loadCorpus(folders).filter((_, i) => i % sample === 0);
  const only = opt('only')?.split(',');
  const want = (part: string) => !only || only.includes(part);
  const rounds = Number(opt('rounds') ?? (quick ? 1 : 5));
  const treeFiles = Number(opt('tree') ?? (quick ? 20_000 : 200_000));
  const load = os.loadavg()[0];
  spawnSample(cliScanArgs([repos[0].dir])); // the CLI's compile cache, as any second run finds it
  console.log(`Steward benchmark — node ${process.version}, ${os.cpus().length} CPUs (${os.cpus()[0]?.model.trim() ?? 'unknown'}), load average ${load.toFixed(1)} at the start, ${rounds} rounds${sample > 1 ? `, every ${sample}th repository (${repos.length})` : ''}\n`);
  if (want('startup')) benchStartup(rounds);
  if (want('cold')) benchCold(repos, rounds);
  if (want('warm')) await benchWarm(repos, rounds);
  if (want('actionlint')) await benchActionlint(repos, rounds);
  if (want('recheck')) await benchRecheck(rounds);
  if (want('tree')) await benchTree(treeFiles, rounds);
  if (want('yaml')) await benchYaml(repos, rounds);
  if (want('activation')) {
    benchActivation();
    await benchPackagedSizes();
  }
  if (want('memory')) benchMemory(folders);
  if (want('network')) await benchNetwork(repos);
  console.log(`(load average ${os.loadavg()[0].toFixed(1)} at the end)\n`);
  printTable();
}

if (require.main === module) {
  main().catch((e) => {
    console.error(`bench: ${e instanceof Error ? e.stack : String(e)}`);
    process.exitCode = 1;
  });
}
