import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Check } from '../../src/core/checks/types';
import { Engine } from '../../src/core/engine';
import { fixSummary, runFixes, unifiedDiff } from '../../src/core/fix/engine';
import { DeferredFixRegistry } from '../../src/core/fix/deferred';
import { DEFAULT_REVIEW_REASON, reviewReasonOf, type CheckMeta, type Finding, type Fix } from '../../src/core/model';
import { MemorySnapshot } from '../../src/core/repo/snapshot';
import { main } from '../../src/cli/main';
import { writeChange } from '../../src/cli/fix';
import type { Output } from '../../src/cli/io';

function meta(id: string): CheckMeta {
  return {
    id,
    title: id,
    category: 'workflows',
    severity: 'medium',
    confidence: 'high',
    fixable: true,
    docs: { summary: 's', whyItMatters: 'w', howToFix: 'h', effort: 'minutes', fixSafety: 'f' },
    references: {},
  };
}

function lineFinding(id: string, file: string, offset: number, fix: Fix): Finding {
  return { ruleId: id, message: id, severity: 'medium', confidence: 'high', location: { file, start: { line: 1, column: offset + 1 }, end: { line: 1, column: offset + 1 } }, fixes: [fix] };
}

/** Replaces the word `old` with `new`. */
const renameOld: Check = {
  meta: meta('a-rename'),
  fileKinds: ['workflow'],
  checkFile(file) {
    const i = file.text.indexOf('old');
    if (i < 0) return [];
    return [lineFinding('a-rename', file.path, i, { title: 'Rename old', safe: true, edits: [{ file: file.path, start: i, end: i + 3, newText: 'new' }] })];
  },
};

/** Adds `# checked` after the `runs-on:` line's value: overlaps renameOld's edit on purpose. */
const markLine: Check = {
  meta: meta('b-mark'),
  fileKinds: ['workflow'],
  checkFile(file) {
    const m = /runs-on: (\w+)(?! # checked)\n/.exec(file.text);
    if (!m) return [];
    const start = m.index;
    const end = start + m[0].length - 1;
    return [lineFinding('b-mark', file.path, start, { title: 'Mark line', safe: true, edits: [{ file: file.path, start, end, newText: `runs-on: ${m[1]} # checked` }] })];
  },
};

const unsafeOnly: Check = {
  meta: meta('c-unsafe'),
  fileKinds: ['workflow'],
  checkFile(file) {
    const i = file.text.indexOf('steps:');
    if (i < 0 || file.text.includes('timeout-minutes')) return [];
    return [lineFinding('c-unsafe', file.path, i, { title: 'Add a timeout', safe: false, caveat: 'a timeout can cut long jobs short', edits: [{ file: file.path, start: i, end: i, newText: 'timeout-minutes: 10\n    ' }] })];
  },
};

const deferredPin: Check = {
  meta: meta('d-pin'),
  fileKinds: ['workflow'],
  checkFile(file) {
    const i = file.text.indexOf('@v4');
    if (i < 0) return [];
    return [lineFinding('d-pin', file.path, i, { title: 'Pin it', safe: true, edits: [], deferred: { provider: 'pin-action', data: { file: file.path, start: i + 1, end: i + 3 } } })];
  },
};

const WF = '.github/workflows/ci.yml';
const TEXT = 'on: push\njobs:\n  a:\n    runs-on: old\n    steps:\n      - uses: actions/checkout@v4\n';

describe('fix engine', () => {
  it('applies overlapping fixes of different rules over several rounds until stable', async () => {
    const run = await runFixes(new Engine([renameOld, markLine]), new MemorySnapshot('t', { [WF]: TEXT }));
    assert.equal(run.changes.length, 1);
    assert.equal(run.changes[0].after, 'on: push\njobs:\n  a:\n    runs-on: new # checked\n    steps:\n      - uses: actions/checkout@v4\n');
    assert.deepEqual(run.applied.map((a) => `${a.round} ${a.ruleId}`), ['1 a-rename', '2 b-mark']);
    assert.deepEqual(run.left, []);
    assert.equal(run.finalScan.findings.length, 0);
  });

  it('reports a fix that never settles as conflicted after the last round', async () => {
    const run = await runFixes(new Engine([renameOld, markLine]), new MemorySnapshot('t', { [WF]: TEXT }), { maxRounds: 1 });
    assert.deepEqual(run.applied.map((a) => a.ruleId), ['a-rename']);
    assert.deepEqual(run.left.map((l) => `${l.reason} ${l.ruleId}`), ['conflict b-mark']);
  });

  it('leaves unsafe fixes without the unsafe option and applies them with it', async () => {
    const snap = () => new MemorySnapshot('t', { [WF]: TEXT });
    const safe = await runFixes(new Engine([unsafeOnly]), snap());
    assert.deepEqual(safe.changes, []);
    assert.deepEqual(safe.left.map((l) => `${l.reason}: ${l.detail}`), ['unsafe: a timeout can cut long jobs short']);
    const all = await runFixes(new Engine([unsafeOnly]), snap(), { unsafe: true });
    assert.equal(all.changes[0].after, TEXT.replace('steps:', 'timeout-minutes: 10\n    steps:'));
    assert.deepEqual(all.left, []);
  });

  it('resolves deferred fixes through the registry, or leaves them with the hint', async () => {
    const snap = () => new MemorySnapshot('t', { [WF]: TEXT });
    const none = await runFixes(new Engine([deferredPin]), snap(), { noProviderHint: 'run without --offline' });
    assert.deepEqual(none.left.map((l) => `${l.reason}: ${l.detail}`), ['needs-network: run without --offline']);
    const registry = new DeferredFixRegistry();
    registry.register({
      id: 'pin-action',
      async resolve(fix, text) {
        const d = fix.deferred!.data as { file: string; start: number; end: number };
        assert.equal(text.slice(d.start, d.end), 'v4');
        return { edits: [{ file: d.file, start: d.start, end: d.end, newText: 'a'.repeat(40) + ' # v4' }] };
      },
    });
    const done = await runFixes(new Engine([deferredPin]), snap(), { registry });
    assert.match(done.changes[0].after, /checkout@a{40} # v4\n$/);
    const failing = new DeferredFixRegistry();
    let calls = 0;
    failing.register({
      id: 'pin-action',
      resolve: async () => {
        calls++;
        return { edits: [], failure: 'tag v4 not found' };
      },
    });
    const failed = await runFixes(new Engine([deferredPin]), snap(), { registry: failing });
    assert.deepEqual(failed.left.map((l) => `${l.reason}: ${l.detail}`), ['failed: tag v4 not found']);
    assert.equal(calls, 1, 'the summary reuses the lookup of the last round');
  });

  it('keeps CRLF for inserted lines even when a check wrote \\n', async () => {
    const run = await runFixes(new Engine([unsafeOnly]), new MemorySnapshot('t', { [WF]: TEXT.replace(/\n/g, '\r\n') }), { unsafe: true });
    assert.equal(run.changes[0].after, TEXT.replace('steps:', 'timeout-minutes: 10\n    steps:').replace(/\n/g, '\r\n'));
  });

  it('prints a git-style unified diff and a summary', async () => {
    const run = await runFixes(new Engine([renameOld, unsafeOnly]), new MemorySnapshot('t', { [WF]: TEXT }));
    assert.equal(
      unifiedDiff(run.changes),
      [
        'diff --git a/.github/workflows/ci.yml b/.github/workflows/ci.yml',
        '--- a/.github/workflows/ci.yml',
        '+++ b/.github/workflows/ci.yml',
        '@@ -1,6 +1,6 @@',
        ' on: push',
        ' jobs:',
        '   a:',
        '-    runs-on: old',
        '+    runs-on: new',
        '     steps:',
        '       - uses: actions/checkout@v4',
        '',
      ].join('\n'),
    );
    assert.equal(
      fixSummary(run, { dryRun: true }),
      [
        'Would apply 1 fix in 1 file',
        '  .github/workflows/ci.yml',
        '    Rename old  [a-rename]',
        'Left 1 fix:',
        '  unsafe: needs review (run with --unsafe to apply) (1):',
        '    .github/workflows/ci.yml:1  Add a timeout  [c-unsafe]',
        '      a timeout can cut long jobs short',
        '',
      ].join('\n'),
    );
  });

  it('says why a review fix needed a person, from the model, when it is applied with --unsafe', async () => {
    const run = await runFixes(new Engine([unsafeOnly]), new MemorySnapshot('t', { [WF]: TEXT }), { unsafe: true });
    assert.deepEqual(run.applied.map((a) => [a.safe, a.reviewReason]), [[false, 'a timeout can cut long jobs short']]);
    assert.equal(
      fixSummary(run),
      ['Applied 1 fix in 1 file', '  .github/workflows/ci.yml', '    (review) Add a timeout  [c-unsafe]', '      review: a timeout can cut long jobs short', ''].join('\n'),
    );
  });

  it('reads review reasons from one place: reviewReason first, caveat as fallback, a sentence always', () => {
    assert.equal(reviewReasonOf({ safe: true, caveat: 'x' }), undefined);
    assert.equal(reviewReasonOf({ safe: false, reviewReason: 'Steward cannot see what `./x.py` does with the token', caveat: 'y' }), 'Steward cannot see what `./x.py` does with the token');
    assert.equal(reviewReasonOf({ safe: false, caveat: 'y' }), 'y');
    assert.equal(reviewReasonOf({ safe: false }), DEFAULT_REVIEW_REASON);
  });

  it('shows created files against /dev/null', () => {
    const d = unifiedDiff([{ path: '.github/dependabot.yml', after: 'version: 2\n', hadBom: false, created: true }]);
    assert.equal(d, 'diff --git a/.github/dependabot.yml b/.github/dependabot.yml\nnew file mode 100644\n--- /dev/null\n+++ b/.github/dependabot.yml\n@@ -0,0 +1,1 @@\n+version: 2\n');
  });
});

function capture(cwd: string): Output & { stdout: string; stderr: string } {
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

describe('steward fix', () => {
  let dir: string;
  const workflow = '\ufeffon: push\r\njobs:\r\n  build:\r\n    runs-on: ubuntu-latest\r\n    steps:\r\n      - uses: actions/checkout@v4\r\n';
  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'steward-fix-'));
    await fs.mkdir(path.join(dir, '.github/workflows'), { recursive: true });
    await fs.writeFile(path.join(dir, '.github/workflows/ci.yml'), workflow);
    await fs.writeFile(path.join(dir, '.github/workflows/ok.yml'), 'on: push\npermissions: {}\njobs:\n  a:\n    runs-on: x\n    steps:\n      - run: echo\n');
    await fs.utimes(path.join(dir, '.github/workflows/ok.yml'), new Date(1e12), new Date(1e12));
  });
  afterEach(() => fs.rm(dir, { recursive: true, force: true }));

  // The BOM stays in the first line: it is part of the bytes `git apply` matches.
  it('--dry-run prints the diff, the summary on stderr, and writes nothing', async () => {
    const o = capture(dir);
    const code = await main(['fix', '--dry-run', '--rule', 'excessive-permissions'], o);
    assert.equal(code, 1);
    assert.equal(
      o.stdout,
      'diff --git a/.github/workflows/ci.yml b/.github/workflows/ci.yml\n--- a/.github/workflows/ci.yml\n+++ b/.github/workflows/ci.yml\n@@ -1,4 +1,6 @@\n \ufeffon: push\r\n+permissions:\r\n+  contents: read # actions/checkout clones the repository\r\n jobs:\r\n   build:\r\n     runs-on: ubuntu-latest\r\n',
    );
    assert.match(o.stderr, /^Would apply 1 fix in 1 file\n/);
    assert.equal(await fs.readFile(path.join(dir, '.github/workflows/ci.yml'), 'utf8'), workflow);
  });

  it('writes the fix in place keeping the BOM and CRLF, never touching other files', async () => {
    const o = capture(dir);
    const code = await main(['fix', '.', '--rule', 'excessive-permissions'], o);
    assert.equal(o.stderr, '');
    assert.equal(code, 0);
    assert.equal(o.stdout, 'Applied 1 fix in 1 file\n  .github/workflows/ci.yml\n    Grant the workflow token only the scopes each job needs  [excessive-permissions]\n');
    const bytes = await fs.readFile(path.join(dir, '.github/workflows/ci.yml'));
    assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
    assert.equal(bytes.toString('utf8'), workflow.replace('jobs:', 'permissions:\r\n  contents: read # actions/checkout clones the repository\r\njobs:'));
    const st = await fs.stat(path.join(dir, '.github/workflows/ok.yml'));
    assert.equal(st.mtimeMs, 1e12);
    assert.deepEqual((await fs.readdir(path.join(dir, '.github/workflows'))).sort(), ['ci.yml', 'ok.yml'], 'no temporary file left behind');
    // A second run has nothing to do.
    const again = capture(dir);
    assert.equal(await main(['fix', '--rule', 'excessive-permissions'], again), 0);
    assert.equal(again.stdout, 'Nothing to fix: no finding has an applicable fix\n');
  });

  it('fixes single files given on the command line', async () => {
    const o = capture(dir);
    assert.equal(await main(['fix', '.github/workflows/ci.yml', '--rule', 'excessive-permissions'], o), 0);
    assert.match(await fs.readFile(path.join(dir, '.github/workflows/ci.yml'), 'utf8'), /permissions:\r\n {2}contents: read/);
  });

  it('says what deferred fixes need and exits 1 when fixes are left', async () => {
    const o = capture(dir);
    assert.equal(await main(['fix', '--rule', 'unpinned-actions'], o), 1);
    assert.match(o.stdout, /needs network \(1\):\n {4}\.github\/workflows\/ci\.yml:6 {2}Pin actions\/checkout@v4 to its commit SHA {2}\[unpinned-actions\]\n {6}run without --offline\n/);
  });

  it('refuses to overwrite a file that changed on disk since it was read', async () => {
    const p = path.join(dir, '.github/workflows/ok.yml');
    await assert.rejects(writeChange(dir, '.github/workflows/ok.yml', { path: 'ok.yml', before: 'something else\n', after: 'x\n', hadBom: false, created: false }), /changed on disk while fixing/);
    assert.match(await fs.readFile(p, 'utf8'), /^on: push\n/);
    await assert.rejects(writeChange(dir, '.github/workflows/ok.yml', { path: 'ok.yml', after: 'x\n', hadBom: false, created: true }), /appeared on disk/);
  });

  it('exits 2 on usage errors', async () => {
    const o = capture(dir);
    assert.equal(await main(['fix', '--rule', 'no-such-rule'], o), 2);
    assert.match(o.stderr, /unknown rule 'no-such-rule'/);
    assert.equal(await main(['fix', 'missing-folder'], capture(dir)), 2);
  });
});
