import * as os from 'node:os';
import * as path from 'node:path';
import { promises as fs } from 'node:fs';
import { makeOutputDir, writeOutputFile } from '../core/fs/safe-write';

// A small key → JSON cache with a time-to-live. The resolver keeps ls-remote results here so a second
// run (and the editor's hovers) need no network. Values never contain tokens.

export interface CacheEntry<T> {
  value: T;
  storedAt: number;
}

export interface CacheStore {
  get<T>(key: string): Promise<CacheEntry<T> | undefined>;
  set<T>(key: string, value: T, storedAt: number): Promise<void>;
}

export class MemoryCache implements CacheStore {
  private readonly map = new Map<string, CacheEntry<unknown>>();
  async get<T>(key: string): Promise<CacheEntry<T> | undefined> {
    return this.map.get(key) as CacheEntry<T> | undefined;
  }
  async set<T>(key: string, value: T, storedAt: number): Promise<void> {
    this.map.set(key, { value, storedAt });
  }
}

/** One JSON file per key under `dir` (keys are path-like: refs/github.com/actions/checkout). */
export class JsonFileCache implements CacheStore {
  constructor(readonly dir: string) {}

  private file(key: string): string {
    const safe = key
      .split('/')
      .map((seg) => seg.replace(/[^A-Za-z0-9._-]/g, '_').replace(/^\.+/, '_'))
      .filter(Boolean);
    return path.join(this.dir, ...safe) + '.json';
  }

  async get<T>(key: string): Promise<CacheEntry<T> | undefined> {
    try {
      const parsed = JSON.parse(await fs.readFile(this.file(key), 'utf8')) as CacheEntry<T>;
      return typeof parsed?.storedAt === 'number' ? parsed : undefined;
    } catch {
      // Missing or corrupt (e.g. a concurrent writer on another OS): treat as a miss.
      return undefined;
    }
  }

  async set<T>(key: string, value: T, storedAt: number): Promise<void> {
    const f = this.file(key);
    try {
      // The cache folder is the user's (not a repository's): an output path, written atomically.
      await makeOutputDir(path.dirname(f));
      await writeOutputFile(f, JSON.stringify({ value, storedAt }));
    } catch {
      // A read-only or full cache directory must not break resolving; the memory layer still works.
    }
  }
}

/** Memory in front of disk: repeated lookups in one process do not touch the file system. */
export class LayeredCache implements CacheStore {
  private readonly mem = new MemoryCache();
  constructor(private readonly disk?: CacheStore) {}
  async get<T>(key: string): Promise<CacheEntry<T> | undefined> {
    const m = await this.mem.get<T>(key);
    if (m) return m;
    const d = await this.disk?.get<T>(key);
    if (d) await this.mem.set(key, d.value, d.storedAt);
    return d;
  }
  async set<T>(key: string, value: T, storedAt: number): Promise<void> {
    await this.mem.set(key, value, storedAt);
    await this.disk?.set(key, value, storedAt);
  }
}

/** CLI cache folder: STEWARD_CACHE_DIR, else $XDG_CACHE_HOME/steward, else ~/.cache/steward. */
export function defaultCacheDir(env: NodeJS.ProcessEnv): string {
  if (env.STEWARD_CACHE_DIR?.trim()) return path.resolve(env.STEWARD_CACHE_DIR.trim());
  if (env.XDG_CACHE_HOME?.trim()) return path.join(env.XDG_CACHE_HOME.trim(), 'steward');
  return path.join(env.HOME || os.homedir(), '.cache', 'steward');
}
