import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { CHECKS } from '../../../src/core/checks';
import { Engine, type RepoScan } from '../../../src/core/engine';
import { combineFixes, applyEdits, dedupeEdits } from '../../../src/core/fix/apply';
import { runFixes } from '../../../src/core/fix/engine';
import type { Fix, TextEdit } from '../../../src/core/model';
import { MemorySnapshot } from '../../../src/core/repo/snapshot';
import { ConfigError, parseStewardConfig, CONFIG_LIMITS } from '../../../src/core/config/load';
import { WORKFLOW_LIMITS } from '../../../src/core/repo/load';
import { nodeCommentLines } from '../../../src/core/config/suppress';
import { isMap, isScalar, isSeq, nodeRange, parseYaml, type Pair, type YamlFile } from '../../../src/core/yaml/parse';

// Bounded work on hostile sizes (issue 13). Times are CPU time of this process (the machine is shared:
// wall time measures the neighbours), and every bound is relative to a plain `yaml` parse of the same
// text measured in the same test, so a slow machine moves both sides alike.

const ROOT = path.resolve(__dirname, '../../..');
const WF = '.github/workflows/big.yml';

/** A workflow of `n` jobs, each with an unpinned action and a script injection (two fixes per job). */
export function bigWorkflow(n: number): string {
  const parts = ['on: [push, pull_request_target]\njobs:\n'];
  for (let i = 0; i < n; i++) parts.push(`  j${i}:\n    runs-on: x\n    steps:\n      - uses: actions/checkout@v4\n      - run: echo \${{ github.head_ref }}\n`);
  return parts.join('');
}

function cpuMs<T>(fn: () => T): { ms: number; value: T } {
  const t = process.cpuUsage();
  const value = fn();
  const d = process.cpuUsage(t);
  return { ms: (d.user + d.system) / 1000, value };
}

async function cpuMsAsync<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const t = process.cpuUsage();
  const value = await fn();
  const d = process.cpuUsage(t);
  return { ms: (d.user + d.system) / 1000, value };
}

/** The floor: what any tool must spend to parse this text (with `yaml`'s quadratic key check off). */
function parseFloorMs(text: string): number {
  return cpuMs(() => parseAllDocuments(text, { uniqueKeys: false })).ms;
}

const scanOf = (files: Record<string, string>) => new Engine(CHECKS).scan(new MemorySnapshot('big', files));

describe('hostile: bounded work on huge inputs', function () {
  this.timeout(300_000);
  let text34k = '';
  let floor34k = 0;
  before(() => {
    text34k = bigWorkflow(34_000);
    floor34k = parseFloorMs(text34k);
  });

  it('scans a 3.6 MB, 34,000-job workflow within 15x a plain parse of it, finding every job', async () => {
    const text = text34k;
    assert.ok(text.length > 3_500_000);
    const floor = floor34k;
    const { ms, value: scan } = await cpuMsAsync(() => scanOf({ [WF]: text }));
    const injections = scan.findings.filter((f) => f.ruleId === 'template-injection');
    assert.equal(injections.length, 34_000);
    assert.equal(injections[33_999].location?.start.line, 2 + 33_999 * 5 + 5);
    assert.ok(ms <= 15 * floor, `scan ${ms.toFixed(0)} ms CPU vs parse ${floor.toFixed(0)} ms`);
  });

  it('fixes an 8,000-job workflow within 40x a plain parse of it (three scan rounds included)', async () => {
    // 34,000 jobs fix in the same ratio; 8,000 keeps \`npm test\` short on a shared machine.
    const text = bigWorkflow(8_000);
    const floor = parseFloorMs(text);
    const snap = new MemorySnapshot('big', { [WF]: text });
    const { ms, value: run } = await cpuMsAsync(() => runFixes(new Engine(CHECKS), snap, { rules: ['template-injection'] }));
    const change = run.changes.find((c) => c.path === WF);
    assert.ok(change, 'the workflow changed');
    assert.equal(change.after.split('HEAD_REF: ${{ github.head_ref }}').length - 1, 8_000);
    assert.ok(ms <= 40 * floor, `fix ${ms.toFixed(0)} ms CPU vs parse ${floor.toFixed(0)} ms`);
  });

  it('scales linearly: twice the jobs cost at most ~3x the scan time', async () => {
    // Warm up the checks' code first so the first size does not pay for compilation.
    await scanOf({ [WF]: bigWorkflow(500) });
    const at = async (n: number) => {
      const text = bigWorkflow(n);
      const runs = [];
      for (let i = 0; i < 2; i++) runs.push((await cpuMsAsync(() => scanOf({ [WF]: text }))).ms); // best of two
      return Math.min(...runs);
    };
    // One GC or a busy neighbour can push a single measurement over the bound (CI measured 3.05x once
    // with 0.9-1.0x on rerun), so the pair is measured up to three times and fails only if each is over.
    const seen: string[] = [];
    let linear = false;
    for (let attempt = 0; attempt < 3 && !linear; attempt++) {
      const small = await at(2_000);
      const large = await at(4_000);
      seen.push(`2k jobs ${small.toFixed(0)} ms, 4k jobs ${large.toFixed(0)} ms`);
      linear = large <= 3 * small;
    }
    assert.ok(linear, seen.join('; '));
  });

  it('finds the YAML node of an ignore comment by binary search, exactly as the linear walk did', () => {
    // The walk before issue 13's regression fix (every finding walked every sibling: 34k jobs, 34k findings).
    const pairRange = (p: Pair): [number, number] | undefined => {
      const k = nodeRange(p.key);
      const v = nodeRange(p.value);
      return k ? [k[0], v ? v[1] : k[1]] : v;
    };
    const reference = (y: YamlFile, line: number, column: number): number[] => {
      const offset = y.lines.lineStart(line) + column - 1;
      let best: Pair | undefined;
      let node: unknown = y.docs[0]?.contents;
      while (node) {
        let next: unknown;
        if (isMap(node)) {
          for (const p of node.items as Pair[]) {
            const r = pairRange(p);
            if (r && r[0] <= offset && offset <= r[1]) {
              best = p;
              next = p.value;
              break;
            }
          }
        } else if (isSeq(node)) {
          next = node.items.find((it) => {
            const r = nodeRange(it);
            return r && r[0] <= offset && offset <= r[1];
          });
        }
        node = next;
      }
      if (!best) return [];
      const r = pairRange(best)!;
      let last = y.lines.position(Math.max(r[0], r[1] - 1)).line;
      const v = best.value;
      if (isScalar(v) && (v.type === 'BLOCK_LITERAL' || v.type === 'BLOCK_FOLDED')) last = y.lines.position(nodeRange(v)![0]).line;
      const out: number[] = [];
      for (let l = y.lines.position(r[0]).line; l <= last; l++) out.push(l);
      return out;
    };
    const texts = [
      bigWorkflow(3),
      'on: push\njobs:\n  a: {runs-on: x, steps: [{run: echo}, {uses: a/b@v1}]}\n  b:\n    steps:\n      -\n      - run: |\n          echo ${{ github.head_ref }}\n        # zizmor: ignore[template-injection]\n      - ? key\n        : value\n  c:\n  d: [x, y,\n      z]\n',
      'jobs:\n  a: &x\n    runs-on: x\n  b: *x\n  "q": >\n    folded\n    text\nk: v\n',
    ];
    for (const text of texts) {
      const y = parseYaml(WF, text);
      assert.deepEqual(y.errors, []);
      for (let line = 1; line <= y.lines.lineCount; line++) {
        const width = y.lines.lineEnd(line) - y.lines.lineStart(line) + 2;
        for (let column = 1; column <= width; column++) {
          assert.deepEqual(nodeCommentLines(y, line, column), reference(y, line, column), `${JSON.stringify(text.slice(0, 20))} ${line}:${column}`);
        }
      }
    }
  });

  it('combines 34,000 fixes in linear time, exactly as trial-applying them one by one did', () => {
    const text = text34k;
    const fixes: Fix[] = [];
    for (let i = text.indexOf('echo'); i >= 0; i = text.indexOf('echo', i + 1)) {
      fixes.push({ title: 't', safe: true, edits: [{ file: WF, start: i, end: i + 4, newText: 'printf' }] });
    }
    const { ms, value } = cpuMs(() => combineFixes(fixes));
    assert.equal(value.byFile.get(WF)?.length, 34_000);
    assert.ok(ms <= floor34k, `combineFixes took ${ms.toFixed(0)} ms, parsing ${floor34k.toFixed(0)} ms`);
  });

  it('combineFixes agrees with the reference (trial-apply everything) on random overlapping edits', () => {
    // The implementation before issue 13, kept here as the specification.
    const reference = (fixes: readonly Fix[]) => {
      const byFile = new Map<string, TextEdit[]>();
      const skipped: { fix: Fix; reason: string }[] = [];
      for (const fix of fixes) {
        const trial = new Map<string, TextEdit[]>();
        for (const e of fix.edits) trial.set(e.file, [...(trial.get(e.file) ?? byFile.get(e.file) ?? []), e]);
        let ok = true;
        for (const [, edits] of trial) {
          try {
            if (!edits.some((e) => e.create)) applyEdits('\u0000'.repeat(Math.max(0, ...edits.map((e) => e.end))), edits);
          } catch (err) {
            ok = false;
            skipped.push({ fix, reason: err instanceof Error ? err.message : String(err) });
            break;
          }
        }
        if (ok) for (const [f, edits] of trial) byFile.set(f, dedupeEdits(edits));
      }
      return { byFile, skipped };
    };
    let seed = 42;
    const rnd = (n: number) => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    for (let round = 0; round < 300; round++) {
      const fixes: Fix[] = [];
      for (let i = 0, n = 1 + rnd(12); i < n; i++) {
        const edits: TextEdit[] = [];
        for (let j = 0, m = 1 + rnd(3); j < m; j++) {
          const start = rnd(30);
          const end = rnd(5) === 0 ? start : start + rnd(6);
          edits.push({ file: rnd(4) === 0 ? 'b' : 'a', start, end, newText: ['x', 'y', ''][rnd(3)] });
        }
        fixes.push({ title: `f${i}`, safe: true, edits });
      }
      const want = reference(fixes);
      const got = combineFixes(fixes);
      // The same fixes are refused; which overlapping pair the reason names may differ.
      assert.deepEqual(got.skipped.map((s) => s.fix.title), want.skipped.map((s) => s.fix.title), `round ${round}`);
      for (const s of got.skipped) assert.match(s.reason, /^(overlapping edits|edit out of range) at offset \d+$/);
      assert.deepEqual([...got.byFile].sort(), [...want.byFile].sort(), `round ${round}`);
    }
  });

  it(`reports a workflow of more than ${WORKFLOW_LIMITS.jobs} jobs as too large to check (error status, no crash)`, async () => {
    const parts = ['on: push\njobs:\n'];
    for (let i = 0; i <= WORKFLOW_LIMITS.jobs; i++) parts.push(`  j${i}: {runs-on: x}\n`);
    const scan: RepoScan = await scanOf({ [WF]: parts.join('') });
    const about = scan.findings.filter((f) => f.location?.file === WF);
    assert.deepEqual(
      about.map((f) => `${f.ruleId}: ${f.message}`),
      [`unparseable-file: Could not check ${WF}: it is too large to check (${WORKFLOW_LIMITS.jobs + 1} jobs; the limit is ${WORKFLOW_LIMITS.jobs})`],
    );
    const ti = scan.results.find((r) => r.checkId === 'template-injection')!;
    assert.equal(ti.status, 'error');
    assert.equal(ti.reason, `Could not check everything: ${WF} is too large to check (${WORKFLOW_LIMITS.jobs + 1} jobs; the limit is ${WORKFLOW_LIMITS.jobs})`);
    assert.equal(ti.error, undefined, 'not a crash of the check');
  });
});

describe('hostile: configuration limits', () => {
  const known = new Set(CHECKS.map((c) => c.meta.id));
  const enc = (s: string) => new TextEncoder().encode(s);

  it('refuses a 5 MB .github/steward.yml with one line, before parsing it', () => {
    const big = 'ignore:\n' + '  - "some/path/**"\n'.repeat(Math.ceil((5 * 1048576) / 18));
    const { ms } = cpuMs(() => {
      assert.throws(() => parseStewardConfig('.github/steward.yml', enc(big), known), (e: unknown) => {
        assert.ok(e instanceof ConfigError);
        assert.equal(e.message, `.github/steward.yml: is too large (${(big.length / 1048576).toFixed(1)} MB; the limit is ${CONFIG_LIMITS.bytes / 1024} KB)`);
        return true;
      });
    });
    assert.ok(ms < 1000, `refusing took ${ms.toFixed(0)} ms`);
  });

  it(`refuses more than ${CONFIG_LIMITS.entries} globs, and a glob longer than ${CONFIG_LIMITS.entryLength} characters`, () => {
    const many = 'ignore:\n' + Array.from({ length: CONFIG_LIMITS.entries + 1 }, (_, i) => `  - d${i}/**\n`).join('');
    assert.throws(() => parseStewardConfig('.github/steward.yml', enc(many), known), /has more than 1000 entries/);
    const perRule = `rules:\n  template-injection:\n    ignore:\n${Array.from({ length: CONFIG_LIMITS.entries + 1 }, (_, i) => `      - d${i}\n`).join('')}`;
    assert.throws(() => parseStewardConfig('.github/steward.yml', enc(perRule), known), /has more than 1000 entries/);
    const long = `ignore:\n  - "${'*'.repeat(CONFIG_LIMITS.entryLength + 1)}"\n`;
    assert.throws(() => parseStewardConfig('.github/steward.yml', enc(long), known), /ignore: an entry is 1025 characters long; the limit is 1024/);
    // A normal configuration still loads.
    assert.deepEqual(parseStewardConfig('.github/steward.yml', enc('ignore:\n  - vendor/**\n'), known), { ignore: ['vendor/**'] });
  });

  it('the CLI exits 2 with one line for a 5.6 MB config (no heap crash, no stack trace)', () => {
    const cli = path.join(ROOT, 'dist/cli.js');
    if (!existsSync(cli)) {
      const b = spawnSync(process.execPath, ['esbuild.mjs'], { cwd: ROOT, encoding: 'utf8' });
      assert.equal(b.status, 0, b.stderr);
    }
    const tmp = mkdtempSync(path.join(os.tmpdir(), 'steward-bounds-'));
    try {
      mkdirSync(path.join(tmp, '.github/workflows'), { recursive: true });
      writeFileSync(path.join(tmp, '.github/workflows/ci.yml'), 'on: push\njobs:\n  a:\n    runs-on: x\n    steps:\n      - run: echo\n');
      // An alias-heavy document: before the limit, this is what exhausted the heap.
      const line = 'x: &a [' + Array(50).fill('"lol"').join(',') + ']\n';
      writeFileSync(path.join(tmp, '.github/steward.yml'), 'ignore:\n' + '  - "p/**"\n'.repeat(Math.ceil((5.6 * 1048576 - line.length) / 10)) + line);
      const r = spawnSync(process.execPath, ['--max-old-space-size=256', cli, 'scan', tmp, '--offline'], { encoding: 'utf8', timeout: 60_000, env: { ...process.env, NO_COLOR: '1' } });
      assert.equal(r.status, 2, r.stderr);
      assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
      assert.match(r.stderr, /^steward: \.github\/steward\.yml: is too large \([5-7]\.\d MB; the limit is 256 KB\)$/m);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });
});
