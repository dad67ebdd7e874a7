#!/usr/bin/env node
// dist/cli.js: the CLI's entry point. It loads the CLI itself (dist/cli-main.js, from src/cli.ts) with a
// V8 compile cache, so a run does not parse and compile the whole bundle again: compiling it is most of
// the start-up cost of a short command. On Node versions with module.enableCompileCache (22.1+) Node
// keeps the cache; on older ones (20.x) this file keeps V8's code cache itself, in the user's cache
// folder. Any problem with the cache falls back to a plain require, silently: a cache is never a
// reason for a command to fail. NODE_DISABLE_COMPILE_CACHE=1 turns both off.
// This file imports only Node built-ins and the write helpers: whatever it imports, every run pays for.
import Module from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import { readFileSync, statSync } from 'node:fs';
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
  const key = JSON.stringify([process.version, process.arch, process.execArgv, st.size, st.mtimeMs, st.ino]);
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
  let source = readFileSync(BUNDLE, 'utf8');
  if (source.startsWith('#!')) source = '//' + source.slice(2);
  const script = new vm.Script(Module.wrap(source), { filename: BUNDLE, cachedData: cached });
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
  const stale = !cached || script.cachedDataRejected === true;
  return {
    start: (mod.exports as { start: Start }).start,
    // Written after the command ran: the cache then also holds the functions this run compiled.
    save: async () => {
      if (!stale) return;
      const data = script.createCachedData();
      await makeOutputDir(dir);
      await writeOutputFile(file, Buffer.concat([Buffer.from(key + '\n'), data]));
    },
  };
}

function run(): void {
  const disabled = process.env.NODE_DISABLE_COMPILE_CACHE === '1';
  const nodeCache = (Module as unknown as { enableCompileCache?: () => unknown }).enableCompileCache;
  if (!disabled && typeof nodeCache === 'function') {
    try {
      nodeCache();
    } catch {
      /* no cache: fine */
    }
  } else if (!disabled) {
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
  (require(BUNDLE) as { start: Start }).start(argv);
}

run();
