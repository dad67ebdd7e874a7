import { parse as parseToml } from 'smol-toml';
import { DepGraph, ROOT } from '../graph';
import { isRecord, LockfileError, type LockfileReading } from './types';

// Cargo.lock: every [[package]] with its `dependencies` as "name", "name version" or
// "name version (source)". Packages without a `source` are the workspace's own crates (and path
// dependencies): they stand for the project, so their dependencies are the direct ones.

export function readCargoLock(file: string, text: string): LockfileReading {
  let doc: Record<string, unknown>;
  try {
    doc = parseToml(text.replace(/^\uFEFF/, '')) as Record<string, unknown>;
  } catch (e) {
    throw new LockfileError(file, `is not valid TOML (${(e as Error).message.split('\n')[0]})`);
  }
  const list = Array.isArray(doc.package) ? doc.package.filter(isRecord) : [];
  const graph = new DepGraph();
  const local = new Set<string>();
  const byName = new Map<string, string[]>();
  for (const p of list) {
    if (typeof p.name !== 'string') continue;
    const v = String(p.version ?? '');
    const id = `${p.name}@${v}`;
    if (typeof p.source !== 'string') local.add(id);
    else graph.addNode(id, { name: p.name, version: v });
    byName.set(p.name, [...(byName.get(p.name) ?? []), v]);
  }
  const resolve = (spec: string): string | undefined => {
    const [name, version] = spec.trim().split(/\s+/);
    const vs = byName.get(name) ?? [];
    const v = version && vs.includes(version) ? version : vs.length === 1 ? vs[0] : undefined;
    return v === undefined ? undefined : `${name}@${v}`;
  };
  for (const p of list) {
    if (typeof p.name !== 'string' || !Array.isArray(p.dependencies)) continue;
    const self = `${p.name}@${String(p.version ?? '')}`;
    const from = local.has(self) ? ROOT : self;
    for (const d of p.dependencies) {
      if (typeof d !== 'string') continue;
      const to = resolve(d);
      if (to && !local.has(to)) graph.addEdge(from, to);
    }
  }
  return { file, ecosystem: 'cargo', graph, problems: [] };
}
