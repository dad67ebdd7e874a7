import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { CHECKS } from '../../src/core/checks';
import { finding } from '../../src/core/checks/helpers';
import type { Check, SourceFile } from '../../src/core/checks/types';
import { Engine, type RepoScan } from '../../src/core/engine';
import { DiskSnapshot } from '../../src/core/repo/disk';

// A check with no repository part has its findings finished (severity override, generated-file marks,
// suppression) file by file, and kept so with the file's cached findings (issue 19: the finish step of a
// re-check then costs the edited file, not every finding of the repository). What finish gives rests on
// the configuration and on every file a finding points at or its fixes edit: these tests change each of
// those alone and compare with a fresh engine. (Keying the kept findings on the file's text only, or
// keeping them when a fix edits another file, fails them.)

const WF = '.github/workflows/ci.yml';
const ACTION = '.github/actions/setup/action.yml';
const GENERATED = '# This file is generated automatically by tools/gen.sh. Do not edit.\n';

const base = CHECKS.find((c) => c.meta.id === 'unpinned-images')!.meta;

/** One finding per workflow, on its first line; its fix edits the local action when `cross`, else the workflow. */
function testCheck(id: string, cross: boolean): Check {
  const meta = { ...base, id };
  return {
    meta,
    fileKinds: ['workflow'],
    checkFile(file: SourceFile) {
      const target = cross ? ACTION : file.path;
      return [
        finding(meta, {
          message: `finding in ${file.path}`,
          location: { file: file.path, start: { line: 1, column: 1 }, end: { line: 1, column: 3 } },
          fixes: [{ title: `edit ${target}`, safe: true, edits: [{ file: target, start: 0, end: 0, newText: '# x\n' }] }],
        }),
      ];
    },
  };
}

const shape = (s: RepoScan) => s.results.map((r) => ({ id: r.checkId, status: r.status, reason: r.reason, suppressed: r.suppressed, findings: r.findings }));

describe('re-check: findings finished per file are kept only while what finish read is unchanged', () => {
  let dir: string;
  const write = (p: string, t: string) => {
    mkdirSync(path.dirname(path.join(dir, p)), { recursive: true });
    writeFileSync(path.join(dir, p), t);
  };
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'steward-recheck-finished-'));
    write(WF, 'on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: ./.github/actions/setup\n');
    write(ACTION, 'name: setup\nruns:\n  using: composite\n  steps:\n    - run: echo hi\n      shell: bash\n');
    // listed from the start: a re-check told what changed keeps the listing (a new file needs a full scan)
    write('.github/steward.yml', 'disable: []\n');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const checks = () => [testCheck('test-local-fix', false), testCheck('test-cross-fix', true)];
  const fresh = async () => shape(await new Engine(checks()).scan(new DiskSnapshot(dir)));

  it('a fix that edits another file: marking that file generated drops the fix on re-check, the workflow unchanged', async () => {
    const snap = new DiskSnapshot(dir);
    const engine = new Engine(checks());
    const first = shape(await engine.scan(snap));
    assert.equal(first[1].findings[0].fixes.length, 1);
    write(ACTION, GENERATED + 'name: setup\nruns:\n  using: composite\n  steps:\n    - run: echo hi\n      shell: bash\n');
    const got = shape(await engine.scan(snap, { changed: [ACTION] }));
    const want = await fresh();
    assert.equal(want[1].findings[0].fixes.length, 0, 'the fresh scan drops the fix into a generated file');
    assert.deepEqual(got, want);
    // and back
    write(ACTION, 'name: setup\n');
    assert.deepEqual(shape(await engine.scan(snap, { changed: [ACTION] })), await fresh());
  });

  it('a configuration change (severity override, ignore entry) re-finishes the kept findings', async () => {
    const snap = new DiskSnapshot(dir);
    const engine = new Engine(checks());
    await engine.scan(snap);
    // a re-check of an unrelated edit fills the kept finished findings
    write(ACTION, 'name: setup\n');
    await engine.scan(snap, { changed: [ACTION] });
    write('.github/steward.yml', 'rules:\n  test-local-fix:\n    severity: low\n');
    let got = shape(await engine.scan(snap, { changed: ['.github/steward.yml'] }));
    assert.equal(got[0].findings[0].severity, 'low');
    assert.deepEqual(got, await fresh());
    write('.github/steward.yml', `rules:\n  test-local-fix:\n    ignore:\n      - ${WF}\n`);
    got = shape(await engine.scan(snap, { changed: ['.github/steward.yml'] }));
    assert.equal(got[0].suppressed, 1);
    assert.deepEqual(got, await fresh());
    // a full re-scan with a new configuration object, the files unchanged
    write('.github/steward.yml', 'disable: [ ]\n');
    assert.deepEqual(shape(await engine.scan(snap)), await fresh());
  });

  it('a suppression comment added to the workflow is seen (the kept findings are per text)', async () => {
    const snap = new DiskSnapshot(dir);
    const engine = new Engine(checks());
    await engine.scan(snap);
    write(WF, 'on: push # steward: ignore[test-local-fix]\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: ./.github/actions/setup\n');
    const got = shape(await engine.scan(snap, { changed: [WF] }));
    assert.equal(got[0].suppressed, 1);
    assert.deepEqual(got, await fresh());
  });
});

/**
 * testCheck with a repository part that hands the per-file findings back as they came, except while
 * NOTE says something other than `none`: then it rewrites each one's message in place (the copy it was
 * handed) with NOTE's text.
 */
function repoCheck(id: string, cross: boolean): Check {
  const c = testCheck(id, cross);
  return {
    ...c,
    async checkRepo(ctx, fileFindings) {
      const note = ctx.pathSet?.has(NOTE) ? await ctx.read(NOTE) : undefined;
      if (note && note.text.trim() !== 'none') for (const f of fileFindings) f.message = `${f.message} (${note.text.trim()})`;
      return { status: fileFindings.length ? 'fail' : 'pass', reason: `${fileFindings.length} found`, findings: [...fileFindings] };
    },
  };
}
const NOTE = 'NOTE.txt';

describe('re-check: a check with a repository part keeps finished findings it passed through unchanged', () => {
  let dir: string;
  const write = (p: string, t: string) => {
    mkdirSync(path.dirname(path.join(dir, p)), { recursive: true });
    writeFileSync(path.join(dir, p), t);
  };
  const WF2 = '.github/workflows/other.yml';
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'steward-recheck-repo-finished-'));
    write(WF, 'on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: ./.github/actions/setup\n');
    write(WF2, 'on: push\njobs:\n  b:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo b\n');
    write(ACTION, 'name: setup\nruns:\n  using: composite\n  steps:\n    - run: echo hi\n      shell: bash\n');
    write(NOTE, 'none\n');
    write('.github/steward.yml', 'disable: []\n');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const checks = () => [repoCheck('test-local-fix', false), repoCheck('test-cross-fix', true)];
  const fresh = async () => shape(await new Engine(checks()).scan(new DiskSnapshot(dir)));

  it('edits of the other files, the configuration and what the repository part reads are all seen', async () => {
    const snap = new DiskSnapshot(dir);
    const engine = new Engine(checks());
    assert.deepEqual(shape(await engine.scan(snap)), await fresh());
    // two re-checks of another workflow: the second finds finished findings kept by the first
    for (const t of ['a', 'b']) {
      write(WF2, `on: push\njobs:\n  ${t}:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${t}\n`);
      assert.deepEqual(shape(await engine.scan(snap, { changed: [WF2] })), await fresh());
    }
    // the repository part now edits the copies it is handed: its answer, not the kept one
    write(NOTE, 'second\n');
    let got = shape(await engine.scan(snap, { changed: [NOTE] }));
    assert.match(got[0].findings[0].message, /\(second\)$/);
    assert.deepEqual(got, await fresh());
    write(NOTE, 'third\n');
    assert.deepEqual(shape(await engine.scan(snap, { changed: [NOTE] })), await fresh());
    write(NOTE, 'none\n');
    assert.deepEqual(shape(await engine.scan(snap, { changed: [NOTE] })), await fresh());
    // a fix into another file: that file marked generated drops it, the workflows unchanged
    write(ACTION, GENERATED + 'name: setup\n');
    got = shape(await engine.scan(snap, { changed: [ACTION] }));
    assert.equal(got[1].findings[0].fixes.length, 0);
    assert.deepEqual(got, await fresh());
    // a configuration change re-finishes them
    write('.github/steward.yml', 'rules:\n  test-local-fix:\n    severity: low\n');
    got = shape(await engine.scan(snap, { changed: ['.github/steward.yml'] }));
    assert.equal(got[0].findings[0].severity, 'low');
    assert.deepEqual(got, await fresh());
    write('.github/steward.yml', `rules:\n  test-local-fix:\n    ignore:\n      - ${WF2}\n`);
    got = shape(await engine.scan(snap, { changed: ['.github/steward.yml'] }));
    assert.equal(got[0].suppressed, 1);
    assert.deepEqual(got, await fresh());
    // a suppression comment in a workflow (its findings are per text)
    write(WF, 'on: push # steward: ignore[test-local-fix]\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: ./.github/actions/setup\n');
    got = shape(await engine.scan(snap, { changed: [WF] }));
    assert.equal(got[0].suppressed, 2);
    assert.deepEqual(got, await fresh());
  });
});

describe('re-check: missing-dependency-updates keeps its ecosystem detection per listing', () => {
  let dir: string;
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('a new listing with a new manifest is detected again; a workflow edit keeps the listing', async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'steward-recheck-deps-'));
    const write = (p: string, t: string) => {
      mkdirSync(path.dirname(path.join(dir, p)), { recursive: true });
      writeFileSync(path.join(dir, p), t);
    };
    write(WF, 'on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo hi\n');
    const deps = (s: RepoScan) => s.results.find((r) => r.checkId === 'missing-dependency-updates')!;
    const fresh = async () => deps(await new Engine(CHECKS).scan(new DiskSnapshot(dir)));
    const engine = new Engine(CHECKS);
    let snap = new DiskSnapshot(dir);
    const first = deps(await engine.scan(snap));
    assert.doesNotMatch(first.findings[0].message, /npm/);
    write(WF, 'on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: pre-commit autoupdate\n');
    assert.deepEqual(deps(await engine.scan(snap, { changed: [WF] })), await fresh());
    write('package.json', '{"name":"x","version":"1.0.0"}\n');
    snap = new DiskSnapshot(dir);
    const got = deps(await engine.scan(snap));
    assert.match(got.findings[0].message, /npm/);
    assert.deepEqual(got, await fresh());
  });
});
