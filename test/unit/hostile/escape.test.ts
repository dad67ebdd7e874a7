import * as assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { gitQuotePath } from '../../../src/core/fix/engine';
import { escapeTerminalLine, markdownCode, markdownPath } from '../../../src/core/report/escape';
import { cli, hostileRepo, type HostileRepo } from './write-support';

// Issue 13, honest output: file names are the repository's. The fix summary printed them with raw
// terminal escapes and bidi controls, and the dry-run patch did not quote them as git does, so
// `git apply` rejected a patch for a name with a newline. A killed fix must leave no temporary file.

const WORKFLOW = 'on: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - run: make\n';
// A title-setting OSC sequence, a right-to-left override, a newline, a tab, quotes, a backslash, non-ASCII.
const NAMES = ['\u001b]0;pwned\u0007title.yml', 'ab\u202ecod.yml', 'new\nline.yml', 'tab\there.yml', 'quo"te.yml', 'back\\slash.yml', 'café.yml', 'plain name.yml'];
const RAW = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

describe('hostile repositories: file names in fix output are escaped and quoted', () => {
  let h: HostileRepo;
  let before: Record<string, string>;
  beforeEach(() => {
    h = hostileRepo('steward-hostile-esc-');
    h.files({ '.github/dependabot.yml': 'version: 2\nupdates: []\n', 'SECURITY.md': 'Report to ada@example.org\n' });
    for (const n of NAMES) h.files({ [`.github/workflows/${n}`]: WORKFLOW });
    before = h.outside();
  });
  afterEach(() => {
    assert.deepEqual(h.outside(), before, 'something outside the repository changed');
    h.cleanup();
  });

  it('fix --dry-run: a patch that git apply --check accepts, and a summary without raw control or bidi characters', async () => {
    const r = await cli(h.root, ['fix', '--dry-run', '--offline', '--rule', 'persisted-checkout-credentials']);
    assert.equal(r.code, 1, r.stderr);
    assert.doesNotMatch(r.stderr, RAW);
    assert.match(r.stderr, /^Would apply 8 fixes in 8 files\n/);
    assert.ok(r.stderr.includes('  .github/workflows/\\x1b]0;pwned\\x07title.yml\n'), r.stderr);
    assert.ok(r.stderr.includes('  .github/workflows/ab\\u202ecod.yml\n'), r.stderr);
    assert.ok(r.stderr.includes('  .github/workflows/new\\nline.yml\n'), r.stderr);
    assert.ok(r.stdout.includes('diff --git "a/.github/workflows/new\\nline.yml" "b/.github/workflows/new\\nline.yml"\n--- "a/.github/workflows/new\\nline.yml"\n+++ "b/.github/workflows/new\\nline.yml"\n'));
    assert.ok(r.stdout.includes('diff --git "a/.github/workflows/caf\\303\\251.yml" "b/.github/workflows/caf\\303\\251.yml"\n'));
    assert.ok(r.stdout.includes('diff --git a/.github/workflows/plain name.yml b/.github/workflows/plain name.yml\n'));
    // The same files in a real git repository: git must accept the patch for every one of them.
    const g = mkdtempSync(path.join(tmpdir(), 'steward-hostile-esc-git-'));
    try {
      execFileSync('git', ['init', '-q', g]);
      mkdirSync(path.join(g, '.github/workflows'), { recursive: true });
      for (const n of NAMES) writeFileSync(path.join(g, '.github/workflows', n), WORKFLOW);
      writeFileSync(path.join(g, 'fix.patch'), r.stdout);
      execFileSync('git', ['-C', g, 'apply', '--check', 'fix.patch'], { stdio: 'pipe' });
      const stat = execFileSync('git', ['-C', g, 'apply', '--numstat', 'fix.patch'], { encoding: 'utf8' });
      assert.equal(stat.trim().split('\n').length, NAMES.length, stat);
    } finally {
      rmSync(g, { recursive: true, force: true });
    }
  });

  it('fix: the summary escapes every file name, and the files are fixed', async () => {
    const r = await cli(h.root, ['fix', '--offline', '--rule', 'persisted-checkout-credentials']);
    assert.equal(r.code, 0, r.stderr);
    assert.doesNotMatch(r.stdout + r.stderr, RAW);
    assert.ok(r.stdout.includes('  .github/workflows/tab\\there.yml\n'), r.stdout);
    for (const n of NAMES) assert.match(readFileSync(path.join(h.root, '.github/workflows', n), 'utf8'), /persist-credentials: false/, JSON.stringify(n));
  });

  it('a fix killed with SIGTERM or SIGINT mid-run leaves no .tmp file, and every file whole', async function () {
    if (process.platform === 'win32') this.skip();
    this.timeout(60_000);
    const fixed = WORKFLOW.replace('checkout@v4\n', 'checkout@v4\n        with:\n          persist-credentials: false\n');
    for (let i = 0; i < 40; i++) h.files({ [`.github/workflows/w${i}.yml`]: WORKFLOW });
    for (const [signal, delay] of [['SIGTERM', 0], ['SIGINT', 40], ['SIGTERM', 120], ['SIGINT', 400]] as const) {
      const child = spawn(process.execPath, ['--require', 'tsx/cjs', path.resolve(__dirname, '../../../src/cli.ts'), 'fix', '--offline', '--rule', 'persisted-checkout-credentials'], {
        cwd: h.root,
        env: { ...process.env, NO_COLOR: '1', STEWARD_CACHE_DIR: path.join(h.root, '.git/cache') },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
      // Kill once the first file is being written (stdout only comes at the end: watch the folder).
      const wf = path.join(h.root, '.github/workflows');
      await new Promise<void>((resolve) => {
        const t = setInterval(() => {
          const names = readdirSync(wf);
          if (names.some((n) => n.endsWith('.tmp')) || names.some((n) => readFileSync(path.join(wf, n), 'utf8') === fixed) || child.exitCode !== null) {
            clearInterval(t);
            setTimeout(resolve, delay);
          }
        }, 2);
      });
      child.kill(signal);
      await exited;
      const left = readdirSync(path.join(h.root, '.github/workflows'));
      assert.deepEqual(left.filter((n) => n.endsWith('.tmp')), [], `${signal} after ${delay} ms`);
      for (const n of left) assert.ok([WORKFLOW, fixed].includes(readFileSync(path.join(wf, n), 'utf8')), `${n} is half written`);
    }
  });
});

describe('escaping helpers for file names', () => {
  it('gitQuotePath quotes as git does (core.quotePath)', () => {
    assert.equal(gitQuotePath('a/b c.yml'), 'a/b c.yml');
    assert.equal(gitQuotePath('new\nline'), '"new\\nline"');
    assert.equal(gitQuotePath('t\tq"b\\'), '"t\\tq\\"b\\\\"');
    assert.equal(gitQuotePath('café'), '"caf\\303\\251"');
    assert.equal(gitQuotePath('\u001b[31m'), '"\\033[31m"');
    assert.equal(gitQuotePath('\u007f'), '"\\177"');
  });

  it('escapeTerminalLine and markdownCode (markdownPath) make control and bidi characters visible', () => {
    assert.equal(escapeTerminalLine('a\u001b[2Jb\nc\td\u202ee\u2066'), 'a\\x1b[2Jb\\nc\\td\\u202ee\\u2066');
    assert.equal(markdownCode('evil\n# heading\u202e`x'), '``evil\\n# heading\\u202e`x``');
    assert.equal(markdownPath('.github/workflows/ci.yml'), '`.github/workflows/ci.yml`');
    assert.doesNotMatch(markdownPath('a\u0007\u009b\u200f'), RAW);
  });
});
