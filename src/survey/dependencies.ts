import * as path from 'node:path';
import { DiskSnapshot } from '../core/repo/disk';
import { decodeText } from '../core/yaml/text';
import { classifyPath } from '../core/repo/classify';
import { readActionUses } from './lockfiles/actions';
import { readCargoLock } from './lockfiles/cargo';
import { readGoMod } from './lockfiles/gomod';
import { readPackageLock } from './lockfiles/npm';
import { readPnpmLock } from './lockfiles/pnpm';
import { readPoetryLock, readRequirements, readUvLock } from './lockfiles/python';
import { LockfileError, type LockfileReading, type SiblingReader } from './lockfiles/types';
import { readYarnLock } from './lockfiles/yarn';
import { PATHS_CAP, packageKey, type Dependency, type ReadProblem } from './model';

// The project's dependencies from every lockfile and manifest under PATH (node_modules, .git and
// virtual environments are never walked), merged per package: a package listed by two lockfiles
// counts the paths of both.

/** Lockfiles read per survey: a monorepo has dozens, a vendored tree can have thousands. */
export const MAX_LOCKFILES = 500;
/** Bigger lockfiles are reported, not read (the largest real ones are a few tens of MB). */
export const MAX_LOCKFILE_BYTES = 64 * 1024 * 1024;

type Reader = (file: string, text: string, sibling: SiblingReader) => LockfileReading | Promise<LockfileReading>;

function readerFor(rel: string): Reader | undefined {
  const base = rel.split('/').pop()!.toLowerCase();
  if (base === 'package-lock.json' || base === 'npm-shrinkwrap.json') return readPackageLock;
  if (base === 'pnpm-lock.yaml') return (f, t) => readPnpmLock(f, t);
  if (base === 'yarn.lock') return readYarnLock;
  if (base === 'poetry.lock') return readPoetryLock;
  if (base === 'uv.lock') return (f, t) => readUvLock(f, t);
  if (base === 'cargo.lock') return (f, t) => readCargoLock(f, t);
  if (base === 'go.mod') return (f, t) => readGoMod(f, t);
  if (/^requirements[^/]*\.txt$/.test(base)) return readRequirements;
  return undefined;
}

export interface ProjectDependencies {
  dependencies: Dependency[];
  /** Every lockfile and manifest read (project-relative). */
  files: string[];
  problems: ReadProblem[];
}

/** Merges lockfile readings into one dependency per package (sorted by ecosystem and name). */
export function mergeReadings(readings: readonly LockfileReading[]): Dependency[] {
  const byKey = new Map<string, Dependency>();
  for (const r of readings) {
    const reach = r.graph.reach();
    for (const n of r.graph.packages()) {
      const at = reach.get(n.id);
      if (!at || !n.pkg) continue;
      const key = packageKey({ ecosystem: r.ecosystem, name: n.pkg.name });
      let d = byKey.get(key);
      if (!d) {
        d = { ecosystem: r.ecosystem, name: n.pkg.name, version: n.pkg.version, versions: [], direct: false, depth: at.depth, paths: 0, sources: [] };
        byKey.set(key, d);
      }
      if (n.pkg.version && !d.versions.includes(n.pkg.version)) d.versions.push(n.pkg.version);
      d.direct ||= at.direct;
      d.depth = Math.min(d.depth, at.depth);
      d.paths = Math.min(PATHS_CAP, d.paths + at.paths);
      if (!d.sources.includes(r.file)) d.sources.push(r.file);
    }
  }
  const out = [...byKey.values()];
  for (const d of out) {
    d.versions.sort();
    d.version = d.versions[0] ?? '';
    d.sources.sort();
  }
  return out.sort((a, b) => (a.ecosystem < b.ecosystem ? -1 : a.ecosystem > b.ecosystem ? 1 : a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** Reads every lockfile, manifest and workflow under `root`. Unreadable files become problems. */
export async function readProjectDependencies(root: string): Promise<ProjectDependencies> {
  const snap = new DiskSnapshot(root);
  const all = await snap.listFiles();
  const problems: ReadProblem[] = [];
  const lockfiles = all.filter((p) => readerFor(p) && !/(^|\/)(vendor|third_party|testdata|fixtures?)\//.test(p));
  if (lockfiles.length > MAX_LOCKFILES) problems.push({ file: '.', message: `${lockfiles.length} lockfiles found; only the first ${MAX_LOCKFILES} were read` });
  const readings: LockfileReading[] = [];
  const textOf = async (rel: string): Promise<string | undefined> => {
    const bytes = await snap.readFile(rel);
    if (!bytes) return undefined;
    if (bytes.byteLength > MAX_LOCKFILE_BYTES) throw new LockfileError(rel, `is too large to read (${(bytes.byteLength / 1048576).toFixed(0)} MB)`);
    const d = decodeText(bytes);
    return d.problem && d.problem.startsWith('is a binary') ? undefined : d.text;
  };
  for (const rel of lockfiles.slice(0, MAX_LOCKFILES)) {
    const dir = path.posix.dirname(rel);
    const sibling: SiblingReader = async (name) => {
      const p = path.posix.normalize(dir === '.' ? name : `${dir}/${name}`);
      if (p.startsWith('../') || path.posix.isAbsolute(p)) return undefined;
      return textOf(p).catch(() => undefined);
    };
    try {
      const text = await textOf(rel);
      if (text === undefined) {
        problems.push({ file: rel, message: snap.readError(rel) ?? 'could not be read' });
        continue;
      }
      readings.push(await readerFor(rel)!(rel, text, sibling));
      problems.push(...readings[readings.length - 1].problems);
    } catch (e) {
      problems.push({ file: rel, message: e instanceof LockfileError ? e.message.slice(rel.length + 2) : `could not be read (${e instanceof Error ? e.message : String(e)})` });
    }
  }
  const workflowFiles: { path: string; bytes: Uint8Array }[] = [];
  for (const p of all) {
    const k = classifyPath(p);
    if (k !== 'workflow' && k !== 'action') continue;
    const bytes = await snap.readFile(p);
    if (bytes) workflowFiles.push({ path: p, bytes });
  }
  if (workflowFiles.length) {
    const r = readActionUses(workflowFiles);
    readings.push(r);
    problems.push(...r.problems);
  }
  return { dependencies: mergeReadings(readings), files: readings.map((r) => r.file), problems };
}
