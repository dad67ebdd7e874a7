import { DepGraph, ROOT } from '../graph';
import { isRecord, LockfileError, parseJson, stringEntries, type LockfileReading, type SiblingReader } from './types';

// package-lock.json / npm-shrinkwrap.json. Version 2 and 3 list every installed folder under
// `packages` ("node_modules/a/node_modules/b"); a dependency resolves the way Node does, from the
// package's own node_modules up to the top. Version 1 nests `dependencies` with `requires` maps and
// says nothing about the project's own dependencies: those come from the package.json beside it.

const NM = 'node_modules/';

function nameOfKey(key: string): string {
  const i = key.lastIndexOf(NM);
  return i >= 0 ? key.slice(i + NM.length) : key;
}

/** The folder a dependency `dep` of the package at `key` resolves to, or undefined. */
function resolveFrom(key: string, dep: string, has: (k: string) => boolean): string | undefined {
  let base = key;
  for (;;) {
    const cand = base ? `${base}/${NM}${dep}` : `${NM}${dep}`;
    if (has(cand)) return cand;
    if (!base) return undefined;
    const i = base.lastIndexOf(`/${NM}`);
    // A workspace folder ("packages/x") or a top-level package: the next place to look is the root.
    base = i >= 0 ? base.slice(0, i) : '';
    if (base && !base.includes(NM) && !has(base)) base = '';
  }
}

function depNames(entry: Record<string, unknown>, withDev: boolean): string[] {
  const out = new Set<string>();
  for (const field of ['dependencies', 'optionalDependencies', 'peerDependencies', ...(withDev ? ['devDependencies'] : [])]) {
    for (const [n] of stringEntries(entry[field])) out.add(n);
  }
  return [...out];
}

export async function readPackageLock(file: string, text: string, sibling: SiblingReader): Promise<LockfileReading> {
  const doc = parseJson(file, text);
  if (!isRecord(doc)) throw new LockfileError(file, 'is not a package-lock object');
  const graph = new DepGraph();
  const problems: LockfileReading['problems'] = [];
  const version = typeof doc.lockfileVersion === 'number' ? doc.lockfileVersion : 1;
  if (isRecord(doc.packages) && version >= 2) {
    const pkgs = doc.packages;
    const has = (k: string) => Object.prototype.hasOwnProperty.call(pkgs, k);
    // Workspace folders and links to them are the project itself: their dependencies are direct.
    const alias = (k: string): string | undefined => {
      const e = pkgs[k];
      if (k === '') return ROOT;
      if (!isRecord(e)) return undefined;
      if (e.link === true) return ROOT;
      if (!k.includes(NM)) return ROOT;
      return k;
    };
    for (const [key, e] of Object.entries(pkgs)) {
      if (!isRecord(e)) continue;
      const id = alias(key);
      if (id === undefined || id === ROOT) continue;
      const name = typeof e.name === 'string' ? e.name : nameOfKey(key);
      graph.addNode(id, { name, version: typeof e.version === 'string' ? e.version : '' });
    }
    for (const [key, e] of Object.entries(pkgs)) {
      if (!isRecord(e) || e.link === true) continue;
      const from = alias(key);
      if (from === undefined) continue;
      for (const dep of depNames(e, from === ROOT)) {
        const to = resolveFrom(key, dep, has);
        if (!to) continue; // an optional or peer dependency that is not installed
        const target = alias(to);
        if (target !== undefined && target !== ROOT) graph.addEdge(from, target);
      }
    }
    return { file, ecosystem: 'npm', graph, problems };
  }
  if (!isRecord(doc.dependencies)) throw new LockfileError(file, 'has neither `packages` nor `dependencies`');
  // Version 1: ids are nesting paths joined with '/node_modules/', like the v2 keys.
  const entries = new Map<string, Record<string, unknown>>();
  const walk = (deps: Record<string, unknown>, prefix: string, depth: number) => {
    if (depth > 200) return;
    for (const [name, e] of Object.entries(deps)) {
      if (!isRecord(e)) continue;
      const key = `${prefix}${NM}${name}`;
      entries.set(key, e);
      if (isRecord(e.dependencies)) walk(e.dependencies, `${key}/`, depth + 1);
    }
  };
  walk(doc.dependencies, '', 0);
  const has = (k: string) => entries.has(k);
  for (const [key, e] of entries) graph.addNode(key, { name: nameOfKey(key), version: typeof e.version === 'string' ? e.version : '' });
  for (const [key, e] of entries) {
    for (const [dep] of stringEntries(e.requires)) {
      const to = resolveFrom(key, dep, has);
      if (to) graph.addEdge(key, to);
    }
  }
  const manifest = await sibling('package.json');
  if (manifest !== undefined) {
    let pj: unknown;
    try {
      pj = JSON.parse(manifest);
    } catch {
      problems.push({ file, message: 'package.json beside it is not valid JSON: direct dependencies are guessed from the lockfile' });
    }
    if (isRecord(pj)) for (const dep of depNames(pj, true)) if (has(`${NM}${dep}`)) graph.addEdge(ROOT, `${NM}${dep}`);
  }
  // Without package.json, top-level entries nothing requires are the project's own (graph.reach()).
  return { file, ecosystem: 'npm', graph, problems };
}
