import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { promises as fs, readdirSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { corpusDir } from './corpus-dir';
import { CHECKS } from '../../src/core/checks';
import { Engine } from '../../src/core/engine';
import { collectFixes, runFixes } from '../../src/core/fix/engine';
import { combineFixes } from '../../src/core/fix/apply';
import { DiskSnapshot } from '../../src/core/repo/disk';
import { LineIndex } from '../../src/core/yaml/text';
import { parseYaml } from '../../src/core/yaml/parse';
import { main } from '../../src/cli/main';
import type { Output } from '../../src/cli/io';
import { isSafeFix, reviewReasonOf, type Fix } from '../../src/core/model';
import { assertFixRoundTrip, chosenFix, fixOracle, newActionlintProblems, yamlProblems } from '../support/fix-tester';

// The independent oracle over both real-repository corpora (issue 14): every fix alone and all fixes of
// a file together parse with unique keys, add no actionlint problem, make their finding go away,
// converge, and change only their own lines with the comments kept; then `steward fix` (safe only) and
// `steward fix --unsafe` on a committed copy of each repository, re-scanned, with a git diff that
// touches only the lines the fixes named. The counts (fixes offered, safe, review, per review reason)
// are printed at the end and written to $TMPDIR/steward-fix-oracle-counts.json.

const CORPORA = ['real', 'real-b'];
let CORPUS = '';

async function copyRepo(name: string, corpus = CORPUS): Promise<string> {
  const dst = await fs.mkdtemp(path.join(os.tmpdir(), `steward-corpus-${name}-`));
  await fs.cp(path.join(corpus, name), dst, { recursive: true });
  // The corpus is read-only; the copy must be writable like a real checkout.
  const walk = async (d: string): Promise<void> => {
    await fs.chmod(d, 0o755);
    for (const e of await fs.readdir(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) await walk(p);
      else if (e.isFile()) await fs.chmod(p, 0o644);
    }
  };
  await walk(dst);
  return dst;
}

async function filesOf(root: string): Promise<{ files: Record<string, Uint8Array>; paths: string[] }> {
  const snap = new DiskSnapshot(root);
  const paths = await snap.listFiles();
  const files: Record<string, Uint8Array> = {};
  for (const p of paths) {
    if (['TREE.txt', 'TAGS.txt', 'MANIFEST.json'].includes(p)) continue;
    const b = await snap.readFile(p);
    if (b) files[p] = b;
  }
  return { files, paths };
}

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'user.name=steward-test', '-c', 'user.email=test@example.invalid', '-c', 'commit.gpgsign=false', '-c', 'core.autocrlf=false', ...args], {
    cwd,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

function quiet(cwd: string): Output & { stdout: string; stderr: string } {
  const o = {
    stdout: '',
    stderr: '',
    out(s: string) {
      o.stdout += s;
    },
    err(s: string) {
      o.stderr += s;
    },
    isTTY: false,
    env: { STEWARD_OFFLINE: '1' } as NodeJS.ProcessEnv,
    cwd,
  };
  return o;
}

interface Counts {
  offered: number;
  safe: number;
  review: number;
  needsNetwork: number;
  reasons: Map<string, number>;
  byRule: Map<string, { safe: number; review: number }>;
  cli: Record<'safe' | 'unsafe', { applied: number; files: number; newActionlint: number; unparseable: number }>;
  oracleProblems: number;
}
const counts = new Map<string, Counts>();
const countsOf = (c: string): Counts => {
  let x = counts.get(c);
  if (!x) {
    x = { offered: 0, safe: 0, review: 0, needsNetwork: 0, reasons: new Map(), byRule: new Map(), cli: { safe: { applied: 0, files: 0, newActionlint: 0, unparseable: 0 }, unsafe: { applied: 0, files: 0, newActionlint: 0, unparseable: 0 } }, oracleProblems: 0 };
    counts.set(c, x);
  }
  return x;
};

/** A review reason with the names in it left out, so the same reason on two files counts once. */
function reasonKind(r: string): string {
  return r.replace(/`[^`]*`/g, '`…`').replace(/ Dependabot pull requests for .*; the project/, ' Dependabot pull requests for …; the project').replace(/turns on (?:daily|weekly|monthly|quarterly|semiannually|yearly) Dependabot/, 'turns on Dependabot').replace(/ \(job [^)]*\)/g, '').replace(/"[^"]*"/g, '"…"').replace(/; and \d+ more: .*$/, '');
}

after(async () => {
  if (!counts.size) return;
  const json: Record<string, unknown> = {};
  const lines: string[] = ['', 'Fix oracle counts (offline; pins need the network and are counted apart):'];
  for (const [c, x] of counts) {
    const reasons = [...x.reasons].sort((a, b) => b[1] - a[1]);
    json[c] = { ...x, reasons: Object.fromEntries(reasons), byRule: Object.fromEntries(x.byRule) };
    lines.push(`  ${c}: ${x.offered} fixes offered, ${x.safe} safe, ${x.review} review, ${x.needsNetwork} need the network; oracle problems ${x.oracleProblems}`);
    for (const m of ['safe', 'unsafe'] as const) {
      const k = x.cli[m];
      lines.push(`    steward fix${m === 'unsafe' ? ' --unsafe' : ''}: ${k.applied} fixes applied in ${k.files} files; ${k.newActionlint} new actionlint problems; ${k.unparseable} unparseable files`);
    }
    for (const [rule, v] of [...x.byRule].sort()) lines.push(`    ${rule}: ${v.safe} safe, ${v.review} review`);
    for (const [r, n] of reasons) lines.push(`    review x${n}: ${r}`);
  }
  console.log(lines.join('\n'));
  await fs.writeFile(path.join(os.tmpdir(), 'steward-fix-oracle-counts.json'), JSON.stringify(json, null, 2));
});

for (const corpusName of CORPORA) describe(`fixes on the real-repository corpus ${corpusName}`, function () {
  this.timeout(600_000);
  const corpus = corpusDir(corpusName);
  const repos = readdirSync(corpus).filter((d) => d.includes('__')).sort();
  before(() => {
    CORPUS = corpus;
  });

  for (const name of repos) {
    describe(name, () => {
      let dir: string;
      before(async () => {
        dir = await copyRepo(name, corpus);
      });
      after(() => fs.rm(dir, { recursive: true, force: true }));

      it('passes the independent oracle: each fix alone and all together (offline, --unsafe)', async () => {
        const { files, paths } = await filesOf(dir);
        const c = countsOf(corpusName);
        // What is offered, as `steward fix` would choose it (one distinct fix can serve several findings).
        const scan = await new Engine(CHECKS).scan(new DiskSnapshot(dir), { factsUnavailable: 'offline' });
        const seen = new Set<string>();
        for (const f of scan.findings) {
          if (f.suppressed || !f.fixes.length) continue;
          const fix: Fix | undefined = chosenFix(f, true) ?? f.fixes.find((x) => x.deferred);
          if (!fix) continue;
          const k = `${f.ruleId}\u0000${fix.title}\u0000${fix.edits.map((e) => `${e.file}:${e.start}:${e.end}:${e.newText}`).join('|')}\u0000${fix.deferred ? JSON.stringify(fix.deferred.data) : ''}`;
          if (seen.has(k)) continue;
          seen.add(k);
          c.offered++;
          const r = c.byRule.get(f.ruleId) ?? { safe: 0, review: 0 };
          if (fix.deferred && !fix.edits.length) c.needsNetwork++;
          if (isSafeFix(fix)) {
            c.safe++;
            r.safe++;
          } else {
            c.review++;
            r.review++;
            const why = reasonKind(reviewReasonOf(fix)!);
            c.reasons.set(`${f.ruleId}: ${why}`, (c.reasons.get(`${f.ruleId}: ${why}`) ?? 0) + 1);
          }
          c.byRule.set(f.ruleId, r);
        }
        const oracle = await fixOracle(CHECKS, files, { unsafe: true, extraPaths: paths });
        c.oracleProblems += oracle.problems.length;
        assert.deepEqual(oracle.problems, []);
      });

      for (const mode of ['safe', 'unsafe'] as const) {
        it(`\`steward fix${mode === 'unsafe' ? ' --unsafe' : ''}\` leaves every file parseable with no new actionlint problem`, async () => {
          const copy = await copyRepo(name, corpus);
          try {
            const o = quiet(copy);
            const code = await main(['fix', ...(mode === 'unsafe' ? ['--unsafe'] : []), '--offline'], o);
            assert.ok(code === 0 || code === 1, `exit code ${code}: ${o.stderr}`);
            const before = await filesOf(path.join(corpus, name));
            const after = await filesOf(copy);
            const k = countsOf(corpusName).cli[mode];
            const problems: string[] = [];
            for (const [p, bytes] of Object.entries(after.files)) {
              const was = before.files[p];
              const now = new TextDecoder().decode(bytes);
              const old = was ? new TextDecoder().decode(was) : '';
              if (was && old === now) continue;
              k.files++;
              const parse = yamlProblems(p, now);
              if (parse.length && !yamlProblems(p, old).length) {
                k.unparseable++;
                problems.push(`${p} does not parse: ${parse[0]}`);
              }
              const fresh = await newActionlintProblems(p, old, now);
              k.newActionlint += fresh.length;
              for (const x of fresh) problems.push(`${p}: actionlint: ${x}`);
            }
            k.applied += Number(/Applied (\d+) fix/.exec(o.stdout)?.[1] ?? 0);
            assert.deepEqual(problems, []);
          } finally {
            await fs.rm(copy, { recursive: true, force: true });
          }
        });
      }

      it('keeps the round-trip contract for every check with fixes', async () => {
        const { files, paths } = await filesOf(dir);
        for (const check of CHECKS) {
          const r = await assertFixRoundTrip(check, files, { unsafe: true, extraPaths: paths });
          if (!r.applied) continue;
          for (const [p, text] of Object.entries(r.files)) {
            if (!/\.ya?ml$/.test(p)) continue;
            assert.deepEqual(parseYaml(p, text).errors, [], `${check.meta.id}: ${p} does not parse`);
          }
          // Applying again changes nothing: no fix of this check is left to apply.
          const again = await assertFixRoundTrip(check, r.files, { unsafe: true, extraPaths: paths });
          assert.deepEqual(
            Object.entries(again.files).filter(([p, t]) => r.files[p] !== t).map(([p]) => p),
            [],
            `${check.meta.id}: a second application changed files`,
          );
        }
      });

      it('`steward fix --unsafe` leaves no fixable finding and changes only the lines the fixes named', async () => {
        git(dir, 'init', '-q');
        git(dir, 'add', '-A');
        git(dir, 'commit', '-q', '-m', 'corpus snapshot');

        // What the fixes name: the lines of the first round's edits, from the scan of the copy.
        const engine = new Engine(CHECKS);
        const snap = new DiskSnapshot(dir);
        const scan = await engine.scan(snap, { factsUnavailable: 'offline' });
        const { candidates } = await collectFixes(scan, { unsafe: true }, (p) => scan.files.get(p)?.text);
        const { byFile } = combineFixes(candidates.map((c) => c.fix));
        // Findings are told apart by rule, file and message (lines move when fixes apply); two steps can
        // carry the same message while only one gets a fix (one names its shell, the other runs on a
        // matrix runner that may be Windows), so count them: after the fixes at most the unfixed remain.
        const keyOf = (f: { ruleId: string; location?: { file: string }; message: string }) => `${f.ruleId}\u0000${f.location?.file}\u0000${f.message}`;
        const fixedCount = new Map<string, number>();
        for (const f of new Set(candidates.map((c) => c.finding))) fixedCount.set(keyOf(f), (fixedCount.get(keyOf(f)) ?? 0) + 1);
        const beforeCount = new Map<string, number>();
        for (const f of scan.findings) if (!f.suppressed && fixedCount.has(keyOf(f))) beforeCount.set(keyOf(f), (beforeCount.get(keyOf(f)) ?? 0) + 1);
        const planned = await runFixes(new Engine(CHECKS), new DiskSnapshot(dir), { unsafe: true, scan: { factsUnavailable: 'offline' } });
        const multiRound = new Set(planned.applied.filter((a) => a.round > 1).flatMap((a) => a.files));

        const o = quiet(dir);
        const code = await main(['fix', '--unsafe', '--offline'], o);
        assert.ok(code === 0 || code === 1, `exit code ${code}: ${o.stderr}`);
        assert.equal(o.stderr, '');

        // Re-scan: nothing the command applied is reported again.
        const rescan = await new Engine(CHECKS).scan(new DiskSnapshot(dir), { factsUnavailable: 'offline' });
        const appliedRules = new Set(planned.applied.map((a) => a.ruleId));
        const afterCount = new Map<string, number>();
        const again = rescan.findings.filter((f) => {
          if (f.suppressed || !appliedRules.has(f.ruleId) || !fixedCount.has(keyOf(f))) return false;
          const n = (afterCount.get(keyOf(f)) ?? 0) + 1;
          afterCount.set(keyOf(f), n);
          return n > (beforeCount.get(keyOf(f)) ?? 0) - fixedCount.get(keyOf(f))!;
        });
        assert.deepEqual(again.map((f) => `${f.ruleId} ${f.location?.file}:${f.location?.start.line} ${f.message}`), [], 'findings whose fix was applied are still reported');
        const stillFixable = rescan.findings.filter((f) => !f.suppressed && appliedRules.has(f.ruleId) && f.fixes.some((x) => !x.deferred && x.edits.length));
        assert.deepEqual(stillFixable.map((f) => `${f.ruleId} ${f.location?.file}:${f.location?.start.line}`), [], 'a rule whose fix was applied still offers a fix');

        // The working tree differs exactly in the files the engine changed, with exactly its text.
        git(dir, 'add', '-A', '-N');
        const numstat = git(dir, 'diff', '--numstat').trim().split('\n').filter(Boolean);
        const changedFiles = numstat.map((l) => l.split('\t')[2]).sort();
        assert.deepEqual(changedFiles, planned.changes.map((c) => c.path).sort());
        for (const c of planned.changes) {
          const bytes = await fs.readFile(path.join(dir, c.path));
          assert.equal(new TextDecoder().decode(bytes.subarray(c.hadBom ? 3 : 0)), c.after, `${c.path} on disk differs from the planned fix`);
        }
        assert.equal(git(dir, 'status', '--porcelain', '--untracked-files=all').split('\n').filter((l) => l.startsWith('??')).length, 0, 'no stray files');

        // Every hunk of `git diff -U0` lies on lines the first round's edits named (±1 line: git may
        // attribute an inserted blank line to either side of an identical neighbour).
        for (const [file, edits] of byFile) {
          if (multiRound.has(file) || edits.some((e) => e.create)) continue;
          const original = scan.files.get(file)?.text;
          if (original === undefined) continue;
          const lines = new LineIndex(original);
          const spans = edits.map((e) => [lines.position(e.start).line, lines.position(Math.max(e.start, e.end - 1)).line]);
          const diff = git(dir, 'diff', '-U0', '--', file);
          for (const m of diff.matchAll(/^@@ -(\d+)(?:,(\d+))? \+\d+(?:,\d+)? @@/gm)) {
            const start = Number(m[1]);
            const count = m[2] === undefined ? 1 : Number(m[2]);
            const from = count === 0 ? start : start;
            const to = count === 0 ? start + 1 : start + count - 1;
            // Every line of the hunk lies on (or next to) a line some edit named; neighbouring edits make one hunk.
            let covered = true;
            for (let l = from; l <= to; l++) if (!spans.some(([a, b]) => l >= a - 1 && l <= b + 1)) covered = false;
            assert.ok(covered, `${file}: git diff hunk ${m[0]} is outside the lines the fixes named (${JSON.stringify(spans)})`);
          }
        }
      });
    });
  }
});
