import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { CHECKS } from '../../src/core/checks';
import { Engine, HEAD_BYTES } from '../../src/core/engine';
import { DiskSnapshot } from '../../src/core/repo/disk';
import type { RepoScan, ScanOptions } from '../../src/core/engine';

// Re-checks in the editor: binary sniffing reads only a file's first 64 KiB, and keeps its answer while
// the file is unchanged, so a re-check with nothing changed reads nothing (issue 19). Results must be
// exactly those of a fresh engine every time.

const ELF = Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]), Buffer.alloc(24)]);

/** A DiskSnapshot that counts what it reads. */
class CountingSnapshot extends DiskSnapshot {
  heads: string[] = [];
  whole: string[] = [];
  override readHead(rel: string, bytes: number) {
    this.heads.push(rel);
    return super.readHead(rel, bytes);
  }
  override readFile(rel: string) {
    this.whole.push(rel);
    return super.readFile(rel);
  }
  reset() {
    this.heads = [];
    this.whole = [];
  }
}

const binary = (s: RepoScan) => {
  const r = s.results.find((x) => x.checkId === 'binary-artifacts')!;
  return { status: r.status, reason: r.reason, findings: r.findings.map((f) => `${f.location?.file} ${f.confidence} ${f.message}`) };
};

describe('re-check cache: binary sniffing on a repository on disk', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'steward-recheck-'));
    mkdirSync(path.join(dir, '.github/workflows'), { recursive: true });
    mkdirSync(path.join(dir, 'bin'));
    writeFileSync(path.join(dir, '.github/workflows/ci.yml'), 'on: push\npermissions: {}\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo hi\n');
    writeFileSync(path.join(dir, 'bin/tool'), ELF);
    writeFileSync(path.join(dir, 'bin/run'), '#!/bin/sh\necho hi\n');
    writeFileSync(path.join(dir, 'big.dll'), Buffer.concat([Buffer.from('MZ'), Buffer.alloc(3 * 1024 * 1024, 1)]));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('reads only the first 64 KiB of a candidate', async () => {
    const snap = new DiskSnapshot(dir);
    assert.equal((await snap.readHead('big.dll', HEAD_BYTES))!.length, HEAD_BYTES);
    assert.equal((await snap.readHead('bin/run', HEAD_BYTES))!.length, 18);
    assert.deepEqual(await snap.readHead('bin/run', 4), Buffer.from('#!/b'));
    assert.equal(await snap.readHead('nosuch', HEAD_BYTES), undefined);
  });

  it('a re-check with nothing changed reads no candidate again; an edited one is read again', async () => {
    const snap = new CountingSnapshot(dir);
    const engine = new Engine(CHECKS);
    const first = binary(await engine.scan(snap));
    assert.deepEqual(first.findings, ['big.dll high big.dll is a committed Windows/DOS executable', 'bin/tool high bin/tool is a committed ELF executable or library']);
    assert.deepEqual(snap.heads.sort(), ['big.dll', 'bin/run', 'bin/tool']);
    assert.ok(!snap.whole.includes('big.dll'), 'the whole 3 MB file is never read');

    // The editor's re-check (incremental, nothing changed) and a full re-scan of the same snapshot.
    snap.reset();
    assert.deepEqual(binary(await engine.scan(snap, { changed: [] })), first);
    assert.deepEqual(binary(await engine.scan(snap)), first);
    assert.deepEqual(snap.heads, []);

    // One edit, told (incremental) and not told (full scan: the stamp changed).
    writeFileSync(path.join(dir, 'bin/tool'), 'now a script\n');
    snap.reset();
    const edited = binary(await engine.scan(snap, { changed: ['bin/tool'] }));
    assert.deepEqual(snap.heads, ['bin/tool']);
    assert.deepEqual(edited.findings, ['big.dll high big.dll is a committed Windows/DOS executable']);
    writeFileSync(path.join(dir, 'bin/tool'), ELF);
    snap.reset();
    assert.deepEqual(binary(await engine.scan(snap)), first);
    assert.deepEqual(snap.heads, ['bin/tool']);
    // A fresh engine agrees every time.
    assert.deepEqual(binary(await new Engine(CHECKS).scan(new DiskSnapshot(dir))), first);
  });

  it('an unreadable candidate is reported on every scan and read again on the next full one', async () => {
    const outside = mkdtempSync(path.join(tmpdir(), 'steward-recheck-out-'));
    try {
      writeFileSync(path.join(outside, 'x.exe'), ELF);
      symlinkSync(path.join(outside, 'x.exe'), path.join(dir, 'linked.exe'));
      const snap = new CountingSnapshot(dir);
      const engine = new Engine(CHECKS);
      const first = binary(await engine.scan(snap));
      assert.match(first.reason, /linked\.exe is a symbolic link that points outside the repository/);
      assert.ok(!first.findings.some((f) => f.startsWith('linked.exe')));
      snap.reset();
      assert.deepEqual(binary(await engine.scan(snap, { changed: [] })), first);
      // A full re-scan of the same snapshot keeps the readable candidates' answers, not the failed one.
      snap.reset();
      assert.deepEqual(binary(await engine.scan(snap)), first);
      assert.deepEqual(snap.heads, ['linked.exe']);
      assert.deepEqual(binary(await new Engine(CHECKS).scan(new DiskSnapshot(dir))), first);
    } finally {
      rmSync(outside, { recursive: true, force: true });
    }
  });

  it('a re-check with nothing changed gives exactly the last results, as copies; other options recompute', async () => {
    const snap = new CountingSnapshot(dir);
    const engine = new Engine(CHECKS);
    const plain = (x: RepoScan) => JSON.parse(JSON.stringify({ results: x.results, findings: x.findings, notes: x.notes }));
    const first = await engine.scan(snap, { factsUnavailable: 'offline' });
    const expected = plain(first);
    first.results[0].reason = 'edited by a front-end';
    first.findings[0].message = 'edited too';
    snap.reset();
    const again = await engine.scan(snap, { changed: [], factsUnavailable: 'offline' });
    assert.deepEqual(plain(again), expected);
    assert.deepEqual([snap.heads, snap.whole], [[], []], 'nothing is read');
    // Different options (the facts arrived, another reason): the checks run again.
    const other = await engine.scan(snap, { changed: [], factsUnavailable: 'signed out' });
    const fresh = await new Engine(CHECKS).scan(new DiskSnapshot(dir), { factsUnavailable: 'signed out' });
    assert.deepEqual(plain(other), plain(fresh));
    assert.notDeepEqual(plain(other), expected);
  });

  it('a re-check with nothing changed recomputes when the action lookups changed (ScanOptions.actions and actionsUnavailable are part of the reuse key)', async () => {
    writeFileSync(path.join(dir, '.github/workflows/ci.yml'), 'on: push\npermissions: {}\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n');
    const snap = new DiskSnapshot(dir);
    const engine = new Engine(CHECKS);
    const plain = (x: RepoScan) => JSON.parse(JSON.stringify({ results: x.results, findings: x.findings, notes: x.notes }));
    const offline = plain(await engine.scan(snap, { actionsUnavailable: 'offline' }));
    // Another reason: the checks run again and agree with a fresh engine.
    const signedOut = plain(await engine.scan(snap, { changed: [], actionsUnavailable: 'signed out' }));
    assert.deepEqual(signedOut, plain(await new Engine(CHECKS).scan(new DiskSnapshot(dir), { actionsUnavailable: 'signed out' })));
    assert.notDeepEqual(signedOut, offline);
    // Another ActionLookup object with the same other options: the checks run again with it, not the
    // previous lookups' answers reused.
    const asked = { a: 0, b: 0 };
    const lookup = (name: 'a' | 'b') =>
      new Proxy({}, { get: () => { asked[name]++; return async () => { throw new Error('no network in tests'); }; } }) as NonNullable<ScanOptions['actions']>;
    await engine.scan(snap, { actions: lookup('a') });
    assert.ok(asked.a > 0 && asked.b === 0);
    await engine.scan(snap, { changed: [], actions: lookup('b') });
    assert.ok(asked.b > 0, 'the checks ran with the new lookups');
  });
});
