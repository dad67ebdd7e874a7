#!/usr/bin/env node
// dist/cli.js: the CLI's entry point. It runs the CLI itself (dist/cli-main.js, from src/cli.ts) with a
// V8 compile cache, so a run does not parse and compile the whole bundle again: compiling it is most of
// the start-up cost of a short command. The cache is V8's cached data, kept in the user's cache folder
// (on every Node version: Node 22's module.enableCompileCache would need the bundle loaded by require).
// Any problem with the cache falls back to compiling, silently: a cache is never a reason for a command
// to fail. NODE_DISABLE_COMPILE_CACHE=1 turns it off.
// dist/cli-main.js is built as one function expression, `(function (exports, require, module,
// __filename, __dirname) {...})` (esbuild.mjs), and only this loader runs it: V8 compiles the file's
// text as it is read, where wrapping it here made V8 copy the whole 1.6 MB once more (issue 19).
// This file imports only Node built-ins and the write helpers: whatever it imports, every run pays for.
import Module from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import { isAscii } from 'node:buffer';
import { closeSync, openSync, readdirSync, readFileSync, readSync, statSync, unlinkSync } from 'node:fs';
import * as vm from 'node:vm';
import { makeOutputDir, writeOutputFile } from '../core/fs/safe-write';

type Start = (argv: string[], beforeExit?: () => Promise<void>) => void;

const BUNDLE = path.join(__dirname, 'cli-main.js');
const argv = process.argv.slice(2);
const CACHED_COMMANDS = new Set(['scan', 'fix', 'rules', 'explain', 'insights', 'security-md', 'settings-request', 'pr', 'verify', 'demo', 'corpus-report']);

/** Same folder rule as the GitHub cache (src/github/cache.ts), with a sub-folder of its own. */
function cacheFolder(env: NodeJS.ProcessEnv): string {
  if (env.STEWARD_CACHE_DIR?.trim()) return path.join(env.STEWARD_CACHE_DIR.trim(), 'v8');
  if (env.XDG_CACHE_HOME?.trim()) return path.join(env.XDG_CACHE_HOME.trim(), 'steward', 'v8');
  return path.join(env.HOME || os.homedir(), '.cache', 'steward', 'v8');
}

/** A short tag for a file's path (FNV-1a, 32 bits, hex): names its cache without loading node:crypto. */
function pathTag(p: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < p.length; i++) h = Math.imul(h ^ p.charCodeAt(i), 0x01000193);
  return (h >>> 0).toString(16).padStart(8, '0');
}

/**
 * Loads the bundle through vm.Script with V8 cached data. V8 checks that the cached data fits this V8
 * and these flags, but of the source it checks only the length: the header line ties the cache to this
 * bundle file (size, modification time, inode) and this Node, so a rebuilt bundle never runs stale code.
 */
function loadWithCodeCache(): { start: Start; save: () => Promise<void> } {
  const st = statSync(BUNDLE);
  // The bundle's own path is the key's last element: pruning (below) reads it to tell whether the
  // install a cache belongs to is still there.
  const key = JSON.stringify([process.version, process.arch, process.execArgv, st.size, st.mtimeMs, st.ino, BUNDLE]);
  const dir = cacheFolder(process.env);
  // One cache per command: V8 caches the functions the run that wrote it compiled, and a scan uses
  // other functions than `--help` does. And one per installed bundle: two installs (a global one and a
  // checkout, several work trees) sharing one file would each find the other's cache, reject it,
  // compile everything and overwrite it, every run.
  const file = path.join(dir, `cli-main.${CACHED_COMMANDS.has(argv[0]) ? argv[0] : 'other'}.${pathTag(BUNDLE)}.cache`);
  let cached: Buffer | undefined;
  try {
    const raw = readFileSync(file);
    const nl = raw.indexOf(10);
    if (nl > 0 && raw.subarray(0, nl).toString('utf8') === key) cached = raw.subarray(nl + 1);
  } catch {
    /* no cache yet */
  }
  const script = new vm.Script(readSource(), { filename: BUNDLE, cachedData: cached });
  const start = runBundle(script);
  const stale = !cached || script.cachedDataRejected === true;
  return {
    start,
    // Written after the command ran: the cache then also holds the functions this run compiled.
    save: async () => {
      if (!stale) return;
      const data = script.createCachedData();
      await makeOutputDir(dir);
      await writeOutputFile(file, Buffer.concat([Buffer.from(key + '\n'), data]));
      pruneCaches(dir, file);
    },
  };
}

/** Cache files this loader names: `cli-main.COMMAND.TAG.cache`, and `cli-main.COMMAND.cache` of old releases. */
const CACHE_NAME = /^cli-main\.[a-z-]+(\.[0-9a-f]{8})?\.cache$/;

/**
 * Removes the caches no install can use any more, so the folder does not grow by a megabyte or more
 * per command with every release, npx run or deleted checkout: a cache whose bundle is gone or was
 * rebuilt (its header no longer matches the file), and every cache in an older release's format. A
 * cache of another install that is still there is kept. Runs only after this run wrote its own cache
 * (the first run after an install or a rebuild), so a run that found its cache pays nothing. Any
 * problem leaves the file alone.
 */
function pruneCaches(dir: string, own: string): void {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  const head = Buffer.alloc(65536);
  for (const name of names) {
    const file = path.join(dir, name);
    if (!CACHE_NAME.test(name) || file === own) continue;
    try {
      const fd = openSync(file, 'r');
      let n: number;
      try {
        n = readSync(fd, head, 0, head.length, 0);
      } finally {
        closeSync(fd);
      }
      const nl = head.subarray(0, n).indexOf(10);
      if (nl < 0 && n === head.length) continue; // a header longer than we read: not ours to judge
      if (!cacheStillUsable(nl > 0 ? head.subarray(0, nl).toString('utf8') : '')) unlinkSync(file);
    } catch {
      /* unreadable or already gone: leave it */
    }
  }
}

/** Whether a cache's header line names a bundle that is still there, unchanged since the cache was written. */
function cacheStillUsable(header: string): boolean {
  let k: unknown;
  try {
    k = JSON.parse(header);
  } catch {
    return false;
  }
  if (!Array.isArray(k) || k.length !== 7 || typeof k[6] !== 'string' || !path.isAbsolute(k[6])) return false;
  let st: ReturnType<typeof statSync>;
  try {
    st = statSync(k[6]);
  } catch (e) {
    // Only a bundle that is certainly gone makes its cache garbage; a folder we may not read keeps it.
    return (e as NodeJS.ErrnoException).code !== 'ENOENT' && (e as NodeJS.ErrnoException).code !== 'ENOTDIR';
  }
  return st.size === k[3] && st.mtimeMs === k[4] && st.ino === k[5];
}

/**
 * The bundle's text. The build leaves it ASCII (esbuild.mjs): then it becomes a string in one Latin-1
 * copy, where UTF-8 decoding went through a second full-size buffer (~450 page faults of every start).
 */
function readSource(): string {
  const raw = readFileSync(BUNDLE);
  return isAscii(raw) ? raw.toString('latin1') : raw.toString('utf8');
}

/** Runs the compiled bundle as the CommonJS module dist/cli-main.js and returns its start(). */
function runBundle(script: vm.Script): Start {
  const mod = new Module(BUNDLE, module);
  mod.filename = BUNDLE;
  const M = Module as unknown as { _nodeModulePaths(dir: string): string[]; _resolveFilename(req: string, parent: Module): string; _cache: Record<string, Module> };
  mod.paths = M._nodeModulePaths(path.dirname(BUNDLE));
  const req = ((id: string) => mod.require(id)) as NodeJS.Require;
  req.resolve = ((r: string) => M._resolveFilename(r, mod)) as NodeJS.RequireResolve;
  req.main = require.main;
  req.cache = M._cache;
  M._cache[BUNDLE] = mod;
  try {
    (script.runInThisContext() as (...a: unknown[]) => void).call(mod.exports, mod.exports, req, mod, BUNDLE, path.dirname(BUNDLE));
  } catch (e) {
    delete M._cache[BUNDLE];
    throw e;
  }
  mod.loaded = true;
  return (mod.exports as { start: Start }).start;
}

function run(): void {
  if (process.env.NODE_DISABLE_COMPILE_CACHE !== '1') {
    let loaded: ReturnType<typeof loadWithCodeCache> | undefined;
    try {
      loaded = loadWithCodeCache();
    } catch {
      loaded = undefined;
    }
    if (loaded) {
      loaded.start(argv, loaded.save);
      return;
    }
  }
  runBundle(new vm.Script(readSource(), { filename: BUNDLE }))(argv);
}

run();
