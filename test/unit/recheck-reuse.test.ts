import * as assert from 'node:assert/strict';
import type { CheckMeta, Finding } from '../../src/core/model';
import type { ActionLookup } from '../../src/core/model/actions';
import type { Check } from '../../src/core/checks/types';
import { finding } from '../../src/core/checks/helpers';
import { CHECKS } from '../../src/core/checks';
import { Engine, type RepoScan } from '../../src/core/engine';
import { MemorySnapshot } from '../../src/core/repo/snapshot';

// A re-check told what changed runs again only what rests on a changed file (issue 19): a check's
// result is kept while none of the files it read, looked up or listed (by kind) changed; a per-file
// check runs on the changed files only. These checks count their calls so the test sees what ran.

const meta = (id: string): CheckMeta => ({
  id,
  title: id,
  category: 'reporting',
  severity: 'medium',
  confidence: 'high',
  fixable: false,
  docs: { summary: id, whyItMatters: id, howToFix: id, effort: 'minutes', fixSafety: 'none' },
  references: {},
});

interface Counts {
  file: string[];
  repo: string[];
}

function countingChecks(counts: Counts): Check[] {
  const wfFile: Check = {
    meta: meta('t-file'),
    fileKinds: ['workflow'],
    checkFile(file) {
      counts.file.push(file.path);
      return file.text.includes('BAD') ? [finding(meta('t-file'), { message: `bad ${file.path}`, location: { file: file.path, start: { line: 1, column: 1 }, end: { line: 1, column: 2 } } })] : [];
    },
  };
  const policy: Check = {
    meta: meta('t-policy'),
    async checkRepo(ctx) {
      counts.repo.push('t-policy');
      const sf = await ctx.read('SECURITY.md');
      return sf?.text.includes('@') ? { status: 'pass', reason: 'has a contact', findings: [] } : { status: 'fail', reason: 'no contact', findings: [] };
    },
  };
  const workflows: Check = {
    meta: meta('t-workflows'),
    checkRepo(ctx) {
      counts.repo.push('t-workflows');
      const n = ctx.byKind('workflow').filter((f) => f.text.includes('push')).length;
      return { status: 'pass', reason: `${n} on push`, findings: [] };
    },
  };
  const lookup: Check = {
    meta: meta('t-files-get'),
    checkRepo(ctx) {
      counts.repo.push('t-files-get');
      const f = ctx.files.get('.github/dependabot.yml');
      return { status: f ? 'pass' : 'fail', reason: f ? f.text.trim() : 'none', findings: [] };
    },
  };
  const walker: Check = {
    meta: meta('t-walk'),
    checkRepo(ctx) {
      counts.repo.push('t-walk');
      let bytes = 0;
      for (const f of ctx.files.values()) bytes += f.size;
      return { status: 'pass', reason: `${bytes} bytes`, findings: [] };
    },
  };
  const online: Check = {
    meta: meta('t-online'),
    checkRepo(ctx) {
      counts.repo.push('t-online');
      return { status: 'pass', reason: ctx.actions ? 'online' : 'offline', findings: [] };
    },
  };
  return [wfFile, policy, workflows, lookup, walker, online];
}

const files = (): Record<string, string> => ({
  '.github/workflows/a.yml': 'on: push\njobs: {}\n',
  '.github/workflows/b.yml': 'on: pull_request\njobs: {}\n',
  '.github/workflows/c.yml': 'on: push\njobs: {}\n',
  '.github/dependabot.yml': 'version: 2\n',
  'SECURITY.md': 'Mail security@example.org\n',
  'README.md': 'hello\n',
});

const plain = (s: RepoScan) => s.results.map((r) => ({ id: r.checkId, status: r.status, reason: r.reason, findings: r.findings }));

describe('re-check runs only what rests on the changed files', () => {
  it('a workflow edit re-runs the per-file check on that file only, and only the passes that read workflows', async () => {
    const counts: Counts = { file: [], repo: [] };
    const checks = countingChecks(counts);
    const snap = new MemorySnapshot('t', files());
    const engine = new Engine(checks);
    await engine.scan(snap);
    assert.deepEqual(counts.file.sort(), ['.github/workflows/a.yml', '.github/workflows/b.yml', '.github/workflows/c.yml']);
    counts.file = [];
    counts.repo = [];

    snap.set('.github/workflows/b.yml', 'on: push\njobs: {} # BAD\n');
    const got = await engine.scan(snap, { changed: ['.github/workflows/b.yml'] });
    assert.deepEqual(counts.file, ['.github/workflows/b.yml']);
    // t-policy read SECURITY.md only, t-files-get looked up dependabot.yml only: both kept. t-online
    // ran offline (no lookup): kept too.
    assert.deepEqual(counts.repo.sort(), ['t-walk', 't-workflows']);
    assert.deepEqual(plain(got), plain(await new Engine(countingChecks({ file: [], repo: [] })).scan(new MemorySnapshot('t', { ...files(), '.github/workflows/b.yml': 'on: push\njobs: {} # BAD\n' }))));
    assert.equal(got.results.find((r) => r.checkId === 't-workflows')!.reason, '3 on push');
    assert.equal(got.results.find((r) => r.checkId === 't-file')!.findings[0].message, 'bad .github/workflows/b.yml');
  });

  it('an edit of a file a pass read re-runs that pass (and the walk over every file); the others are kept', async () => {
    const counts: Counts = { file: [], repo: [] };
    const snap = new MemorySnapshot('t', files());
    const engine = new Engine(countingChecks(counts));
    await engine.scan(snap);
    counts.file = [];
    counts.repo = [];
    snap.set('SECURITY.md', 'Nothing here\n');
    const a = await engine.scan(snap, { changed: ['SECURITY.md'] });
    assert.deepEqual(counts.file, []);
    // SECURITY.md is a file the engine loads: the walk over every loaded file sees it too.
    assert.deepEqual(counts.repo.sort(), ['t-policy', 't-walk']);
    assert.equal(a.results.find((r) => r.checkId === 't-policy')!.status, 'fail');

    counts.repo = [];
    snap.set('.github/dependabot.yml', 'version: 2\nupdates: []\n');
    const b = await engine.scan(snap, { changed: ['.github/dependabot.yml'] });
    assert.deepEqual(counts.repo.sort(), ['t-files-get', 't-walk']);
    assert.equal(b.results.find((r) => r.checkId === 't-files-get')!.reason, 'version: 2\nupdates: []');
    const now = { ...files(), 'SECURITY.md': 'Nothing here\n', '.github/dependabot.yml': 'version: 2\nupdates: []\n' };
    assert.deepEqual(plain(b), plain(await new Engine(countingChecks({ file: [], repo: [] })).scan(new MemorySnapshot('t', now))));

    // A file no check read: nothing runs again (README.md is not a kind the engine loads).
    counts.repo = [];
    snap.set('README.md', 'bye\n');
    await engine.scan(snap, { changed: ['README.md'] });
    assert.deepEqual(counts.repo, []);
  });

  it('a pass that used the online lookups runs again on every edit (their answers may have arrived since)', async () => {
    const counts: Counts = { file: [], repo: [] };
    const snap = new MemorySnapshot('t', files());
    const engine = new Engine(countingChecks(counts));
    const actions = {} as ActionLookup;
    await engine.scan(snap, { actions });
    counts.repo = [];
    snap.set('README.md', 'bye\n');
    const r = await engine.scan(snap, { actions, changed: ['README.md'] });
    assert.deepEqual(counts.repo, ['t-online']);
    assert.equal(r.results.find((x) => x.checkId === 't-online')!.reason, 'online');
  });

  it('kept results are copies: editing what a scan returned does not change the next one', async () => {
    const snap = new MemorySnapshot('t', { ...files(), '.github/workflows/a.yml': 'on: push # BAD\n' });
    const engine = new Engine(countingChecks({ file: [], repo: [] }));
    const first = await engine.scan(snap);
    const f = first.results.find((r) => r.checkId === 't-file')!;
    f.reason = 'edited';
    (f.findings[0] as Finding).message = 'edited';
    snap.set('.github/workflows/b.yml', 'on: pull_request\n');
    const again = await engine.scan(snap, { changed: ['.github/workflows/b.yml'] });
    const g = again.results.find((r) => r.checkId === 't-file')!;
    assert.notEqual(g.reason, 'edited');
    assert.equal(g.findings[0].message, 'bad .github/workflows/a.yml');
    const p = again.results.find((r) => r.checkId === 't-policy')!;
    p.reason = 'edited';
    const third = await engine.scan(snap, { changed: ['.github/workflows/b.yml'] });
    assert.equal(third.results.find((r) => r.checkId === 't-policy')!.reason, 'has a contact');
  });

  it('with every check: a SECURITY.md edit re-runs no per-file check, and the results are a fresh scan\'s', async () => {
    const wf = 'on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - run: echo "${{ github.event.head_commit.message }}"\n';
    const base = { '.github/workflows/ci.yml': wf, 'SECURITY.md': 'Report to security@example.org\n', 'package.json': '{"name":"x"}\n' };
    let calls = 0;
    const counted = CHECKS.map((c) => (c.checkFile ? { ...c, checkFile: (f: Parameters<NonNullable<Check['checkFile']>>[0], ctx: Parameters<NonNullable<Check['checkFile']>>[1]) => (calls++, c.checkFile!(f, ctx)) } : c));
    const snap = new MemorySnapshot('t', base);
    const engine = new Engine(counted);
    await engine.scan(snap);
    assert.ok(calls > 10);
    calls = 0;
    snap.set('SECURITY.md', '# Security\n\nNothing yet\n');
    const got = await engine.scan(snap, { changed: ['SECURITY.md'] });
    assert.equal(calls, 0);
    assert.deepEqual(plain(got), plain(await new Engine(CHECKS).scan(new MemorySnapshot('t', { ...base, 'SECURITY.md': '# Security\n\nNothing yet\n' }))));
  });
});
