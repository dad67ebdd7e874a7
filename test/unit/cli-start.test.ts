import * as assert from 'node:assert/strict';
import { isAscii } from 'node:buffer';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

// dist/cli.js (src/cli/start.ts) runs dist/cli-main.js through a V8 compile cache. A cache must never
// change what a command does: these runs compare output with a run that has no cache at all.
// Needs `npm run build` first (like the hostile tests, which also run dist/cli.js).

const ROOT = path.resolve(__dirname, '../..');
const CLI = path.join(ROOT, 'dist/cli.js');
const MAIN = path.join(ROOT, 'dist/cli-main.js');

describe('CLI start-up: compile cache', function () {
  this.timeout(120_000);
  let dir: string;
  before(function () {
    if (!existsSync(CLI) || !existsSync(MAIN)) this.skip();
    dir = mkdtempSync(path.join(tmpdir(), 'steward-start-'));
  });
  after(() => dir && rmSync(dir, { recursive: true, force: true }));

  /** The cache file of `command` in the cache folder (one per command and installed bundle). */
  const cacheOf = (command: string) => {
    const list = readdirSync(path.join(dir, 'v8')).filter((f) => f.startsWith(`cli-main.${command}.`));
    assert.equal(list.length, 1, `one cache for ${command}: ${list.join(', ')}`);
    assert.match(list[0], new RegExp(`^cli-main\\.${command}\\.[0-9a-f]{8}\\.cache$`));
    return path.join(dir, 'v8', list[0]);
  };

  const run = (args: string[], env: Record<string, string> = {}, cli = CLI) => {
    const r = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', env: { ...process.env, STEWARD_CACHE_DIR: dir, NODE_DISABLE_COMPILE_CACHE: '', ...env } });
    return { status: r.status, stdout: r.stdout, stderr: r.stderr };
  };

  it('writes one cache per command, reuses it, and prints exactly what an uncached run prints', function () {
    const plain = run(['rules'], { NODE_DISABLE_COMPILE_CACHE: '1' });
    assert.equal(plain.status, 0, plain.stderr);
    assert.equal(existsSync(path.join(dir, 'v8')), false, 'NODE_DISABLE_COMPILE_CACHE=1 writes no cache');
    const first = run(['rules']);
    const cache = cacheOf('rules');
    const written = readFileSync(cache);
    const second = run(['rules']);
    assert.deepEqual([first, second], [plain, plain]);
    assert.ok(readFileSync(cache).equals(written), 'a cache that was accepted is not written again');
    assert.deepEqual(run(['--version']), run(['--version'], { NODE_DISABLE_COMPILE_CACHE: '1' }));
    cacheOf('other');
    assert.equal(readdirSync(path.join(dir, 'v8')).length, 2);
  });

  it('a damaged cache or a rebuilt bundle falls back to compiling, silently, and the cache is replaced', function () {
    const plain = run(['rules'], { NODE_DISABLE_COMPILE_CACHE: '1' });
    run(['rules']);
    const cache = cacheOf('rules');
    const header = readFileSync(cache).subarray(0, readFileSync(cache).indexOf(10) + 1);
    writeFileSync(cache, Buffer.concat([header, Buffer.from('not V8 data at all')]));
    assert.deepEqual(run(['rules']), plain);
    assert.ok(readFileSync(cache).length > 1000, 'the damaged cache was replaced');
    // A rebuilt bundle (new modification time) must not be run from the old cache: the header differs.
    const before = readFileSync(cache);
    const st = new Date();
    utimesSync(MAIN, st, new Date(st.getTime() + 1000));
    assert.deepEqual(run(['rules']), plain);
    assert.notEqual(readFileSync(cache).subarray(0, 200).toString('latin1'), before.subarray(0, 200).toString('latin1'));
  });

  it('two installs sharing one cache folder keep a cache each instead of replacing each other\'s every run', function () {
    // Two copies of the built CLI, as a global install and a checkout (or two work trees) would be.
    const copies = ['a', 'b'].map((n) => {
      const d = path.join(dir, `install-${n}`);
      mkdirSync(d);
      for (const f of ['cli.js', 'cli-main.js']) copyFileSync(path.join(ROOT, 'dist', f), path.join(d, f));
      return path.join(d, 'cli.js');
    });
    const shared = path.join(dir, 'shared-cache');
    const env = { STEWARD_CACHE_DIR: shared };
    const plain = run(['rules'], { NODE_DISABLE_COMPILE_CACHE: '1' });
    for (const cli of copies) assert.deepEqual(run(['rules'], env, cli), plain);
    const files = readdirSync(path.join(shared, 'v8'));
    assert.equal(files.length, 2, `one cache per install: ${files.join(', ')}`);
    const written = files.map((f) => statSync(path.join(shared, 'v8', f)).mtimeMs);
    // Each install's second run finds its own cache accepted: nothing is written again.
    for (const cli of copies) assert.deepEqual(run(['rules'], env, cli), plain);
    assert.deepEqual(files.map((f) => statSync(path.join(shared, 'v8', f)).mtimeMs), written);
  });

  it('writing a cache removes the caches of deleted or rebuilt installs and of older releases, and nothing else', function () {
    const install = (n: string) => {
      const d = path.join(dir, `prune-${n}`);
      mkdirSync(d);
      for (const f of ['cli.js', 'cli-main.js']) copyFileSync(path.join(ROOT, 'dist', f), path.join(d, f));
      return path.join(d, 'cli.js');
    };
    const shared = path.join(dir, 'prune-cache');
    const v8 = path.join(shared, 'v8');
    const env = { STEWARD_CACHE_DIR: shared };
    const plain = run(['rules'], { NODE_DISABLE_COMPILE_CACHE: '1' });
    const [live, gone, rebuilt] = ['live', 'gone', 'rebuilt'].map(install);
    for (const cli of [live, gone, rebuilt]) assert.deepEqual(run(['rules'], env, cli), plain);
    const byInstall = new Map(readdirSync(v8).map((f) => [readFileSync(path.join(v8, f)).toString('latin1').split('\n')[0], f]));
    const cacheOfInstall = (cli: string) => [...byInstall].find(([h]) => h.includes(JSON.stringify(path.join(path.dirname(cli), 'cli-main.js'))))![1];
    const [liveCache, goneCache, rebuiltCache] = [live, gone, rebuilt].map(cacheOfInstall);
    rmSync(path.dirname(gone), { recursive: true });
    utimesSync(path.join(path.dirname(rebuilt), 'cli-main.js'), new Date(), new Date(Date.now() + 5000));
    // An older release's cache (no install tag, a six-element header), and files that are not caches.
    writeFileSync(path.join(v8, 'cli-main.scan.cache'), '["v20.0.0","x64",[],1,2,3]\nold data');
    writeFileSync(path.join(v8, 'notes.txt'), 'not a cache');
    writeFileSync(path.join(v8, '.cli-main.rules.0000abcd.cache.tmp'), 'a half-written file of another run');
    // A run that finds its own cache accepted writes nothing and so removes nothing.
    assert.deepEqual(run(['rules'], env, live), plain);
    assert.ok(existsSync(path.join(v8, goneCache)) && existsSync(path.join(v8, 'cli-main.scan.cache')));
    // A new install's first run writes its cache, then prunes.
    const fresh = install('fresh');
    assert.deepEqual(run(['rules'], env, fresh), plain);
    const left = readdirSync(v8).sort();
    assert.ok(left.includes(liveCache), 'the cache of an install that is still there is kept');
    assert.ok(!left.includes(goneCache), 'the cache of a deleted install is removed');
    assert.ok(!left.includes(rebuiltCache), 'the cache of a rebuilt bundle is removed (it could never be used)');
    assert.ok(!left.includes('cli-main.scan.cache'), "an older release's cache is removed");
    assert.ok(left.includes('notes.txt') && left.includes('.cli-main.rules.0000abcd.cache.tmp'), 'files that are not caches are left alone');
    assert.equal(left.filter((f) => /^cli-main\./.test(f)).length, 2, left.join(', '));
    // The kept cache is still accepted: its install's next run writes nothing.
    const kept = statSync(path.join(v8, liveCache)).mtimeMs;
    assert.deepEqual(run(['rules'], env, live), plain);
    assert.equal(statSync(path.join(v8, liveCache)).mtimeMs, kept);
  });

  it('the bundle is built for the loader: one function expression, ASCII only (read as Latin-1, one copy)', () => {
    const bytes = readFileSync(MAIN);
    assert.ok(isAscii(bytes), 'dist/cli-main.js has non-ASCII bytes: the loader decodes it as UTF-8 (a second full-size copy)');
    assert.match(bytes.subarray(0, 200).toString('latin1'), /^(#![^\n]*\n)?\(function \(exports, require, module, __filename, __dirname\) \{\n/);
  });

  it('an unwritable cache folder changes nothing', () => {
    const file = path.join(dir, 'a-file');
    writeFileSync(file, 'x');
    const plain = run(['rules'], { NODE_DISABLE_COMPILE_CACHE: '1' });
    assert.deepEqual(run(['rules'], { STEWARD_CACHE_DIR: file }), plain);
  });
});
