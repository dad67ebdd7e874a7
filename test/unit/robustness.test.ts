import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fsSync from 'node:fs';
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync, chmodSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CHECKS } from '../../src/core/checks';
import { Engine, type RepoScan } from '../../src/core/engine';
import type { Finding } from '../../src/core/model';
import { DiskSnapshot } from '../../src/core/repo/disk';
import { MemorySnapshot, type RepoSnapshot } from '../../src/core/repo/snapshot';
import { check as unpinnedActions } from '../../src/core/checks/unpinned-actions/unpinned-actions';
import { scanFiles, where } from '../support/check-tester';
import { assertFixRoundTrip } from '../support/fix-tester';

// Hostile and odd inputs an untrusted repository can contain. Each must end in bounded time with one
// clear finding about the file (or nothing at all) and never a check in `error` status. The time bound
// is loose on purpose: it only catches hangs, it is not a benchmark.

const WF = '.github/workflows/ci.yml';
const HANG_BOUND_MS = 5000;
const ROOT = path.resolve(__dirname, '../..');

const WORKFLOW = [
  'name: CI',
  'on: push',
  'jobs:',
  '  build:',
  '    runs-on: ubuntu-latest',
  '    steps:',
  '      - uses: actions/checkout@v4 # keep this comment',
  '      - run: npm test',
  '',
].join('\n');

async function timed(run: () => Promise<RepoScan>): Promise<RepoScan> {
  const t = performance.now();
  const scan = await run();
  const ms = performance.now() - t;
  assert.ok(ms < HANG_BOUND_MS, `took ${ms.toFixed(0)} ms`);
  // A check that threw carries `error`; status error alone also means "over a limit, not checked".
  const errors = scan.results.filter((r) => r.error !== undefined);
  assert.deepEqual(errors.map((r) => `${r.checkId}: ${r.error ?? r.reason}`), [], 'a check threw');
  return scan;
}

const scanAll = (files: Record<string, string | Uint8Array>) => timed(() => scanFiles(CHECKS, files));
const scanSnapshot = (snap: RepoSnapshot) => timed(() => new Engine(CHECKS).scan(snap));
const about = (scan: RepoScan, file: string): Finding[] => scan.findings.filter((f) => f.location?.file === file);
const messages = (fs: Finding[]) => fs.map((f) => `${f.ruleId}: ${f.message}`);

/** The hostile file yields exactly one finding: the unparseable-file one with this message. */
function assertOnlyFinding(scan: RepoScan, file: string, message: string | RegExp): void {
  const got = about(scan, file);
  assert.equal(got.length, 1, `expected one finding about ${file}, got ${JSON.stringify(messages(got))}`);
  assert.equal(got[0].ruleId, 'unparseable-file');
  if (typeof message === 'string') assert.equal(got[0].message, message);
  else assert.match(got[0].message, message);
}

describe('robustness: hostile YAML content', () => {
  it('does not expand an alias bomb (billion laughs)', async () => {
    const levels = ['x0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let i = 1; i <= 12; i++) levels.push(`x${i}: &a${i} [${Array(9).fill(`*a${i - 1}`).join(',')}]`);
    const scan = await scanAll({ [WF]: WORKFLOW + levels.join('\n') + '\n' });
    // 9^13 strings if anything expanded the aliases; the file is otherwise an ordinary workflow.
    assert.ok(scan.files.get(WF)?.workflow, 'the workflow is still read');
    assert.ok(about(scan, WF).some((f) => f.ruleId === 'unpinned-actions'));
  });

  it('an alias bomb inside the jobs the checks walk stays bounded', async () => {
    const text = [
      'on: push',
      'anchors:',
      '  l0: &l0 {a: x, b: x, c: x, d: x, e: x, f: x, g: x, h: x, i: x}',
      ...Array.from({ length: 12 }, (_, i) => `  l${i + 1}: &l${i + 1} {a: *l${i}, b: *l${i}, c: *l${i}, d: *l${i}, e: *l${i}, f: *l${i}, g: *l${i}, h: *l${i}, i: *l${i}}`),
      'jobs:',
      '  build:',
      '    runs-on: ubuntu-latest',
      '    env: *l12',
      '    steps:',
      '      - run: echo hi',
      '        env: *l12',
      '        with: *l12',
      '',
    ].join('\n');
    await scanAll({ [WF]: text });
  });

  it('reports a 20 MB YAML file as too large without parsing it', async () => {
    const line = '# ' + 'x'.repeat(97) + '\n';
    const big = 'on: push\njobs: {}\n' + line.repeat(Math.ceil((20 * 1048576) / line.length));
    const scan = await scanAll({ [WF]: big });
    assertOnlyFinding(scan, WF, `Could not check ${WF}: it is too large to check (20.0 MB; the limit is 4 MB)`);
  });

  for (const [name, text, message] of [
    ['10k levels of [', 'on: push\njobs: ' + '['.repeat(10_000) + ']'.repeat(10_000) + '\n', 'structures are nested more than 256 levels deep; Steward does not follow them'],
    ['10k levels of flow mappings', 'on: push\njobs: ' + '{a: '.repeat(10_000) + '1' + '}'.repeat(10_000) + '\n', 'structures are nested more than 256 levels deep; Steward does not follow them'],
    ['10k levels of block sequences', 'on: push\njobs:\n  x:\n    ' + '- '.repeat(10_000) + 'x\n', 'structures are nested more than 256 levels deep; Steward does not follow them'],
    ['300 levels of [ (refused before parsing, as deeper ones)', 'on: push\njobs: ' + '['.repeat(300) + ']'.repeat(300) + '\n', 'structures are nested more than 256 levels deep; Steward does not follow them'],
  ] as const) {
    it(`refuses deeply nested structures: ${name}`, async () => {
      const scan = await scanAll({ [WF]: text });
      assertOnlyFinding(scan, WF, new RegExp(`^Could not parse ${WF}: ${message.replace(/[.;]/g, '\\$&')}`));
    });
  }

  it('reports binary data named .yml as binary', async () => {
    const bytes = new Uint8Array(4096);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 7919) % 256;
    const scan = await scanAll({ [WF]: bytes });
    assertOnlyFinding(scan, WF, `Could not check ${WF}: it is a binary file (contains NUL bytes)`);
  });

  it('reads invalid UTF-8 with a low finding and still checks the rest of the file', async () => {
    const enc = new TextEncoder().encode(WORKFLOW.replace('keep this comment', 'caf\u00e9'));
    const at = enc.indexOf(0xc3);
    const bytes = new Uint8Array(enc);
    bytes[at] = 0xff; // a lone byte that is not UTF-8
    const scan = await scanAll({ [WF]: bytes });
    const got = about(scan, WF);
    const utf = got.filter((f) => f.ruleId === 'unparseable-file');
    assert.deepEqual(messages(utf), [`unparseable-file: ${WF} is not valid UTF-8 (invalid bytes were replaced while reading)`]);
    assert.equal(utf[0].severity, 'low');
    assert.deepEqual(where(got.filter((f) => f.ruleId === 'unpinned-actions')), [`${WF}:7:15`]);
  });

  it('gives the same findings at the same places with a BOM, CRLF and mixed line endings', async () => {
    const base = await scanAll({ [WF]: WORKFLOW });
    const expected = where(about(base, WF));
    assert.ok(expected.length >= 1);
    const crlf = WORKFLOW.replace(/\n/g, '\r\n');
    const mixed = WORKFLOW.split('\n').map((l, i) => l + (i % 2 ? '\r\n' : '\n')).join('').replace(/[\r\n]+$/, '\n');
    const variants: Record<string, string | Uint8Array> = {
      bom: new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode(WORKFLOW)]),
      crlf,
      mixed,
      'lone CR': WORKFLOW.replace(/\n/g, '\r'),
    };
    for (const [name, content] of Object.entries(variants)) {
      const scan = await scanAll({ [WF]: content });
      assert.deepEqual(where(about(scan, WF)), expected, name);
    }
    // Fixes keep the file's line endings and round-trip on CRLF too.
    await assertFixRoundTrip(unpinnedActions, { [WF]: crlf });
  });

  it('reports tab indentation as a parse problem', async () => {
    const scan = await scanAll({ [WF]: 'on: push\njobs:\n\tbuild:\n\t\truns-on: ubuntu-latest\n' });
    assertOnlyFinding(scan, WF, /^Could not parse \.github\/workflows\/ci\.yml: .*[Tt]ab/);
    assert.equal(about(scan, WF)[0].location?.start.line, 3);
  });

  it('reports duplicate keys as a parse problem at the duplicate', async () => {
    const scan = await scanAll({ [WF]: 'on: push\njobs:\n  a:\n    runs-on: x\n  a:\n    runs-on: y\n' });
    assertOnlyFinding(scan, WF, /^Could not parse \.github\/workflows\/ci\.yml: Map keys must be unique/);
  });

  it('reports multi-document streams', async () => {
    const scan = await scanAll({ [WF]: 'on: push\njobs: {}\n---\non: pull_request\njobs: {}\n' });
    assertOnlyFinding(scan, WF, `${WF} holds 2 YAML documents; GitHub reads only a single document`);
  });

  it('survives empty files, a lone document marker, and null bytes past the sniffed prefix', async () => {
    const tail = new Uint8Array(9000 + 3);
    tail.set(new TextEncoder().encode('on: push\n'), 0);
    tail.fill(0x20, 9);
    const scan = await scanAll({ [WF]: '', '.github/workflows/b.yml': '---\n', '.github/workflows/c.yml': tail, 'action.yml': '~' });
    assert.deepEqual(messages(about(scan, WF)), [`unparseable-file: ${WF} is empty`]);
  });
});

describe('robustness: the file system of an untrusted repository', () => {
  let tmp: string;
  beforeEach(() => {
    tmp = mkdtempSync(path.join(os.tmpdir(), 'steward-robust-'));
  });
  afterEach(() => {
    rmSync(tmp, { recursive: true, force: true });
  });

  function repo(files: Record<string, string>): string {
    const root = path.join(tmp, 'repo');
    for (const [p, c] of Object.entries(files)) {
      mkdirSync(path.dirname(path.join(root, p)), { recursive: true });
      writeFileSync(path.join(root, p), c);
    }
    mkdirSync(root, { recursive: true });
    return root;
  }

  /**
   * Records every path opened while `fn` runs, through the promise API and the synchronous calls
   * (DiskSnapshot reads with openSync; the module object itself is patched, as disk.ts calls it).
   */
  async function watchReads<T>(fn: () => Promise<T>): Promise<{ result: T; read: string[] }> {
    const p = fsSync.promises as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>;
    const s = require('node:fs') as Record<string, (...a: unknown[]) => unknown>;
    const read: string[] = [];
    const orig = { readFile: p.readFile, open: p.open, openSync: s.openSync, readFileSync: s.readFileSync };
    p.readFile = (f: unknown, ...rest: unknown[]) => (read.push(String(f)), orig.readFile(f, ...rest));
    p.open = (f: unknown, ...rest: unknown[]) => (read.push(String(f)), orig.open(f, ...rest));
    s.openSync = (f: unknown, ...rest: unknown[]) => (read.push(String(f)), orig.openSync(f, ...rest));
    s.readFileSync = (f: unknown, ...rest: unknown[]) => (read.push(String(f)), orig.readFileSync(f, ...rest));
    try {
      return { result: await fn(), read };
    } finally {
      p.readFile = orig.readFile;
      p.open = orig.open;
      s.openSync = orig.openSync;
      s.readFileSync = orig.readFileSync;
    }
  }

  it('watchReads sees the reads DiskSnapshot makes (else the tests below would pass without looking)', async () => {
    const root = repo({ [WF]: WORKFLOW });
    const { result, read } = await watchReads(() => new DiskSnapshot(root).readFile(WF));
    assert.ok(result && result.length > 0);
    assert.ok(read.some((r) => r.endsWith(WF)), `no open of ${WF} seen: ${read.join(', ')}`);
  });

  it('never follows a symbolic link out of the repository', async () => {
    const outside = path.join(tmp, 'outside');
    mkdirSync(path.join(outside, 'workflows'), { recursive: true });
    const secret = 'on: push\njobs:\n  x:\n    runs-on: y\n    steps:\n      - uses: evil/secret-marker@v1\n';
    writeFileSync(path.join(outside, 'secret.yml'), secret);
    writeFileSync(path.join(outside, 'workflows', 'inner.yml'), secret);
    const root = repo({ [WF]: WORKFLOW });
    symlinkSync(path.join(outside, 'secret.yml'), path.join(root, '.github/workflows/evil.yml'));
    symlinkSync('../../../outside/secret.yml', path.join(root, '.github/workflows/relative.yml'));
    const snap = new DiskSnapshot(root);
    const { result: scan, read } = await watchReads(() => scanSnapshot(snap));
    for (const f of ['.github/workflows/evil.yml', '.github/workflows/relative.yml']) {
      assertOnlyFinding(scan, f, `Could not check ${f}: it is a symbolic link that points outside the repository (not followed)`);
    }
    assert.ok(!scan.findings.some((f) => JSON.stringify(f).includes('secret-marker')), 'content from outside the repository reached a finding');
    assert.deepEqual(read.filter((r) => r.startsWith(outside)), [], 'a file outside the repository was opened');
    assert.ok(about(scan, WF).length > 0, 'the real workflow was still checked');
  });

  it('never reads through a folder that links out of the repository (.github -> outside)', async () => {
    const outside = path.join(tmp, 'outside-gh');
    mkdirSync(path.join(outside, 'workflows'), { recursive: true });
    writeFileSync(path.join(outside, 'workflows', 'x.yml'), 'on: push\njobs: {}\n# secret-marker\n');
    const root = repo({ 'README.md': 'hi\n' });
    symlinkSync(outside, path.join(root, '.github'));
    const snap = new DiskSnapshot(root);
    const { result, read } = await watchReads(async () => ({ bytes: await snap.readFile('.github/workflows/x.yml'), scan: await scanSnapshot(snap) }));
    assert.equal(result.bytes, undefined);
    assert.equal(snap.readError('.github/workflows/x.yml'), 'is inside a folder that is a symbolic link pointing outside the repository (not followed)');
    assert.deepEqual(read.filter((r) => r.startsWith(outside)), []);
    assert.ok(!result.scan.findings.some((f) => JSON.stringify(f).includes('secret-marker')));
  });

  it('stops at symbolic link loops, for files and for folders', async () => {
    const root = repo({ [WF]: WORKFLOW });
    const wf = path.join(root, '.github/workflows');
    symlinkSync('b.yml', path.join(wf, 'a.yml'));
    symlinkSync('a.yml', path.join(wf, 'b.yml'));
    symlinkSync('..', path.join(wf, 'up')); // a folder loop: .github/workflows/up/workflows/up/...
    symlinkSync('.', path.join(root, 'self'));
    const scan = await scanSnapshot(new DiskSnapshot(root));
    for (const f of ['.github/workflows/a.yml', '.github/workflows/b.yml']) {
      assertOnlyFinding(scan, f, `Could not check ${f}: it is a symbolic link that loops (not followed)`);
    }
  });

  it('reports a workflow it may not read (snapshot readFile throws EACCES)', async () => {
    // Tests run as root, and root reads a chmod-0000 file anyway: simulate the operating system's
    // answer at the snapshot boundary, the way the extension's workspace.fs snapshot surfaces it.
    class Locked extends MemorySnapshot {
      override async readFile(p: string): Promise<Uint8Array | undefined> {
        if (p === '.github/workflows/locked.yml') throw Object.assign(new Error("EACCES: permission denied, open 'locked.yml'"), { code: 'EACCES' });
        return super.readFile(p);
      }
    }
    const snap = new Locked('locked', { [WF]: WORKFLOW, '.github/workflows/locked.yml': 'on: push\n' });
    const scan = await scanSnapshot(snap);
    assertOnlyFinding(scan, '.github/workflows/locked.yml', 'Could not check .github/workflows/locked.yml: it cannot be read (permission denied)');
    assert.ok(about(scan, WF).length > 0);
  });

  it('reports a file the operating system refuses to read (the CLI run as an unprivileged user)', function () {
    // The real permission check: as root, run the CLI as `nobody`, who cannot read a 0000 file.
    if (typeof process.getuid !== 'function' || process.getuid() !== 0) this.skip();
    const cli = ensureCli();
    chmodSync(tmp, 0o755);
    const root = repo({ [WF]: WORKFLOW, '.github/workflows/locked.yml': 'on: push\n' });
    chmodSync(path.join(root, '.github/workflows/locked.yml'), 0o000);
    const r = spawnSync(process.execPath, [cli, 'scan', root, '--format', 'json', '--offline'], { encoding: 'utf8', uid: 65534, gid: 65534, timeout: HANG_BOUND_MS * 2 });
    if (r.error && /EPERM/.test(String(r.error))) this.skip(); // a container that forbids setuid
    if (/Cannot find module|EACCES.*cli\.js/.test(r.stderr)) this.skip(); // the checkout is not readable by nobody
    assert.equal(r.stderr, '');
    const report = JSON.parse(r.stdout) as { findings: { file: string; message: string }[] };
    assert.deepEqual(
      report.findings.filter((f) => f.file === '.github/workflows/locked.yml').map((f) => f.message),
      ['Could not check .github/workflows/locked.yml: it cannot be read (permission denied)'],
    );
  });

  it('handles a .github that is a file', async () => {
    const root = repo({ '.github': 'not a folder\n', 'SECURITY.md': '# Security\n' });
    const snap = new DiskSnapshot(root);
    assert.equal(await snap.readFile('.github/workflows/ci.yml'), undefined);
    const scan = await scanSnapshot(snap);
    assert.equal(scan.findings.filter((f) => f.ruleId === 'unparseable-file').length, 0);
    assert.equal(scan.files.size, 1); // only SECURITY.md is a file the checks read
  });

  it('never opens FIFOs or devices named like workflows', async function () {
    const root = repo({ [WF]: WORKFLOW });
    const fifo = path.join(root, '.github/workflows/pipe.yml');
    const mk = spawnSync('mkfifo', [fifo]);
    if (mk.status !== 0) this.skip();
    symlinkSync('/dev/zero', path.join(root, '.github/workflows/zero.yml'));
    const scan = await scanSnapshot(new DiskSnapshot(root));
    assert.equal(about(scan, '.github/workflows/pipe.yml').length, 0);
    assertOnlyFinding(scan, '.github/workflows/zero.yml', /points outside the repository/);
  });
});

function ensureCli(): string {
  const cli = path.join(ROOT, 'dist/cli.js');
  if (!existsSync(cli)) {
    const b = spawnSync(process.execPath, ['esbuild.mjs'], { cwd: ROOT, encoding: 'utf8' });
    assert.equal(b.status, 0, b.stderr);
  }
  return cli;
}

describe('robustness: the CLI on hostile repositories', () => {
  let tmp: string;
  before(() => {
    tmp = mkdtempSync(path.join(os.tmpdir(), 'steward-cli-robust-'));
  });
  after(() => rmSync(tmp, { recursive: true, force: true }));

  function cli(args: string[]): { status: number | null; stdout: string; stderr: string } {
    const r = spawnSync(process.execPath, [ensureCli(), ...args], { encoding: 'utf8', timeout: 30_000, env: { ...process.env, NO_COLOR: '1' } });
    // Whatever happens, a user sees messages, never a stack trace.
    assert.doesNotMatch(r.stdout + r.stderr, /\n\s+at .+\(.+:\d+:\d+\)/, 'stack trace printed');
    return { status: r.status, stdout: r.stdout, stderr: r.stderr };
  }

  it('scans a repository of hostile files and names each problem', () => {
    const root = path.join(tmp, 'hostile');
    mkdirSync(path.join(root, '.github/workflows'), { recursive: true });
    writeFileSync(path.join(root, '.github/workflows/binary.yml'), Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 0, 0, 1, 2, 3]));
    writeFileSync(path.join(root, '.github/workflows/deep.yml'), 'on: push\njobs: ' + '['.repeat(10_000) + ']'.repeat(10_000) + '\n');
    writeFileSync(path.join(root, '.github/workflows/tabs.yml'), 'on: push\njobs:\n\tx: 1\n');
    symlinkSync('/etc/passwd', path.join(root, '.github/workflows/passwd.yml'));
    const r = cli(['scan', root, '--offline']);
    assert.equal(r.status, 1);
    assert.equal(r.stderr, '');
    assert.match(r.stdout, /Could not check \.github\/workflows\/binary\.yml: it is a binary file/);
    assert.match(r.stdout, /Could not parse \.github\/workflows\/deep\.yml: structures are nested more than 256 levels deep; Steward does not follow them/);
    assert.match(r.stdout, /Could not parse \.github\/workflows\/tabs\.yml/);
    assert.match(r.stdout, /Could not check \.github\/workflows\/passwd\.yml: it is a symbolic link that points outside the repository/);
    assert.doesNotMatch(r.stdout, /root:x:0:0/);
  });

  it('scans a repository whose .github is a file', () => {
    const root = path.join(tmp, 'gh-file');
    mkdirSync(root, { recursive: true });
    writeFileSync(path.join(root, '.github'), 'oops\n');
    const r = cli(['scan', root, '--offline', '--format', 'json']);
    assert.ok(r.status === 0 || r.status === 1, `exit ${r.status}: ${r.stderr}`);
    assert.equal(r.stderr, '');
    assert.equal(JSON.parse(r.stdout).repositories[0].name, 'gh-file');
  });

  it('says in one line what is wrong with a missing path, exit code 2', () => {
    const r = cli(['scan', path.join(tmp, 'does-not-exist')]);
    assert.equal(r.status, 2);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /^steward: no such file or folder: .*does-not-exist\n$/);
  });

  it('reports a binary file given directly on the command line', () => {
    const f = path.join(tmp, 'random.yml');
    writeFileSync(f, Buffer.from([0, 1, 2, 3, 0xff, 0xfe]));
    const r = cli(['scan', f, '--offline', '--format', 'json']);
    assert.ok(r.status === 0 || r.status === 1, `exit ${r.status}: ${r.stderr}`);
    assert.equal(r.stderr, '');
  });
});
