import { parse as parseYamlText } from 'yaml';
import { DepGraph, ROOT } from '../graph';
import { isRecord, LockfileError, type LockfileReading } from './types';
import { nestingBound } from '../../core/yaml/depth';
import { MAX_NESTING } from '../../core/yaml/parse';

// pnpm-lock.yaml, lockfile versions 5.x, 6.x and 9.x. The project's own dependencies are under
// `importers` (workspaces; one importer per package, "." for the root) or, for a single project in
// 5.x/6.x, at the top level. Packages are keyed "/name/1.0.0" (5.x), "/name@1.0.0" (6.x) or
// "name@1.0.0" (9.x, where the dependency lists moved to `snapshots`); a peer-resolved variant carries
// a suffix ("_react@18.2.0" in 5.x, "(react@18.2.0)" later) that is part of its identity.

const DEP_FIELDS = ['dependencies', 'optionalDependencies', 'devDependencies'];

/** name and version of a package key (without the leading slash). */
export function splitPnpmKey(key: string, v5: boolean): { name: string; version: string } | undefined {
  const k = key.replace(/^\//, '');
  if (v5) {
    const parts = k.split('/');
    if (k.startsWith('@') ? parts.length < 3 : parts.length < 2) return undefined;
    const nameParts = k.startsWith('@') ? 2 : 1;
    return { name: parts.slice(0, nameParts).join('/'), version: parts.slice(nameParts).join('/').replace(/_.*$/, '') };
  }
  const at = k.indexOf('@', k.startsWith('@') ? 1 : 0);
  if (at <= 0) return undefined;
  return { name: k.slice(0, at), version: k.slice(at + 1).replace(/\(.*$/, '') };
}

export function readPnpmLock(file: string, text: string): LockfileReading {
  let doc: unknown;
  if (nestingBound(text, MAX_NESTING) > MAX_NESTING) throw new LockfileError(file, `nests more than ${MAX_NESTING} levels deep; Steward does not parse it`);
  try {
    doc = parseYamlText(text, { maxAliasCount: 100, uniqueKeys: false });
  } catch (e) {
    throw new LockfileError(file, `is not valid YAML (${(e as Error).message.split('\n')[0]})`);
  }
  if (!isRecord(doc)) throw new LockfileError(file, 'is not a pnpm lockfile');
  const lv = String(doc.lockfileVersion ?? '');
  const major = parseInt(lv, 10);
  if (!major) throw new LockfileError(file, 'has no lockfileVersion');
  const v5 = major < 6;
  const graph = new DepGraph();
  const idOf = (name: string, version: string): string | undefined => {
    // link:, file: and workspace: versions point at the project's own folders.
    if (/^(link|file|workspace):/.test(version)) return undefined;
    // An aliased dependency ("npm:other@1.0.0" in 5.x/6.x, "other@1.0.0" in 9.x) names its own package.
    if (version.startsWith('npm:')) version = version.slice(4);
    const aliased = /^(@?[^@(]+)@(\d.*)$/.exec(version);
    if (aliased) return v5 ? `${aliased[1]}/${aliased[2]}` : `${aliased[1]}@${aliased[2]}`;
    if (version.startsWith('/')) return version.slice(1);
    return v5 ? `${name}/${version}` : `${name}@${version}`;
  };
  const packages = isRecord(doc.packages) ? doc.packages : {};
  const snapshots = isRecord(doc.snapshots) ? doc.snapshots : undefined;
  const lists = snapshots ?? packages;
  for (const key of Object.keys(lists)) {
    const id = key.replace(/^\//, '');
    const pkg = splitPnpmKey(id, v5);
    if (pkg) graph.addNode(id, pkg);
  }
  for (const [key, e] of Object.entries(lists)) {
    if (!isRecord(e)) continue;
    const from = key.replace(/^\//, '');
    for (const field of ['dependencies', 'optionalDependencies']) {
      if (!isRecord(e[field])) continue;
      for (const [n, v] of Object.entries(e[field] as Record<string, unknown>)) {
        const to = idOf(n, String(v));
        if (to && graph.has(to)) graph.addEdge(from, to);
      }
    }
  }
  const importers: Record<string, unknown>[] = isRecord(doc.importers)
    ? Object.values(doc.importers).filter(isRecord)
    : [doc];
  for (const imp of importers) {
    for (const field of DEP_FIELDS) {
      if (!isRecord(imp[field])) continue;
      for (const [n, v] of Object.entries(imp[field] as Record<string, unknown>)) {
        // 6.x/9.x: { specifier, version }; 5.x: the version itself.
        const version = isRecord(v) ? String(v.version ?? '') : String(v);
        const to = idOf(n, version);
        if (to && graph.has(to)) graph.addEdge(ROOT, to);
      }
    }
  }
  return { file, ecosystem: 'npm', graph, problems: [] };
}
