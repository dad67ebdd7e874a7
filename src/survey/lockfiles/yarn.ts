import { parse as parseYamlText } from 'yaml';
import { DepGraph, ROOT } from '../graph';
import { isRecord, LockfileError, stringEntries, type LockfileReading, type SiblingReader } from './types';
import { nestingBound } from '../../core/yaml/depth';
import { MAX_NESTING } from '../../core/yaml/parse';

// yarn.lock in both of its formats. Classic (v1) is yarn's own indented format: entries headed by one
// or more descriptors ("a@^1.0.0", "a@^1.1.0":) with `version` and a `dependencies` block. Berry (v2+)
// is YAML with a `__metadata` entry; descriptors carry a protocol ("a@npm:^1.0.0") and the project's
// workspaces are entries of their own ("app@workspace:."), whose dependencies are the direct ones.
// Classic lockfiles do not say which dependencies are the project's: the package.json beside it does.

interface Entry {
  descriptors: string[];
  name: string;
  version: string;
  deps: [string, string][];
  workspace: boolean;
}

function unquote(s: string): string {
  const t = s.trim();
  return t.length >= 2 && t.startsWith('"') && t.endsWith('"') ? t.slice(1, -1) : t;
}

/** "a@^1.0.0" → "a"; "@s/a@npm:^1" → "@s/a". */
export function descriptorName(d: string): string {
  const at = d.indexOf('@', d.startsWith('@') ? 1 : 0);
  return at > 0 ? d.slice(0, at) : d;
}

/** Splits a classic header line (without its trailing colon) into descriptors, honouring quotes. */
function splitHeader(h: string): string[] {
  const out: string[] = [];
  let cur = '';
  let q = false;
  for (const c of h) {
    if (c === '"') q = !q;
    else if (c === ',' && !q) {
      out.push(cur.trim());
      cur = '';
    } else cur += c;
  }
  if (cur.trim()) out.push(cur.trim());
  return out.map(unquote).filter(Boolean);
}

function parseClassic(file: string, text: string): Entry[] {
  const entries: Entry[] = [];
  let cur: Entry | undefined;
  let inDeps = false;
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (!line.trim() || line.trimStart().startsWith('#')) continue;
    const indent = line.length - line.trimStart().length;
    if (indent === 0) {
      if (!line.trimEnd().endsWith(':')) throw new LockfileError(file, `line ${i + 1} is not an entry header`);
      const descriptors = splitHeader(line.trimEnd().slice(0, -1));
      cur = { descriptors, name: descriptorName(descriptors[0] ?? ''), version: '', deps: [], workspace: false };
      entries.push(cur);
      inDeps = false;
      continue;
    }
    if (!cur) continue;
    const body = line.trim();
    if (indent === 2) {
      inDeps = body === 'dependencies:' || body === 'optionalDependencies:';
      const m = /^version\s+(.+)$/.exec(body);
      if (m) cur.version = unquote(m[1]);
      continue;
    }
    if (indent >= 4 && inDeps) {
      const m = /^("(?:[^"]+)"|\S+)\s+(.+)$/.exec(body);
      if (m) cur.deps.push([unquote(m[1]), unquote(m[2])]);
    }
  }
  return entries;
}

function parseBerry(file: string, text: string): Entry[] {
  let doc: unknown;
  if (nestingBound(text, MAX_NESTING) > MAX_NESTING) throw new LockfileError(file, `nests more than ${MAX_NESTING} levels deep; Steward does not parse it`);
  try {
    doc = parseYamlText(text, { maxAliasCount: 100, uniqueKeys: false });
  } catch (e) {
    throw new LockfileError(file, `is not valid YAML (${(e as Error).message.split('\n')[0]})`);
  }
  if (!isRecord(doc)) throw new LockfileError(file, 'is not a yarn lockfile');
  const entries: Entry[] = [];
  for (const [header, e] of Object.entries(doc)) {
    if (header === '__metadata' || !isRecord(e)) continue;
    const descriptors = header.split(',').map((s) => s.trim()).filter(Boolean);
    const resolution = typeof e.resolution === 'string' ? e.resolution : descriptors[0] ?? '';
    const workspace = /@workspace:/.test(resolution);
    // A patched package ("a@patch:a@npm%3A1.0.0#...") is the same package as the one it patches.
    const name = descriptorName(resolution.replace(/^(.+?)@patch:.*$/, '$1@x'));
    const deps = [...stringEntries(e.dependencies), ...stringEntries(e.optionalDependencies)];
    entries.push({ descriptors, name, version: String(e.version ?? ''), deps, workspace });
  }
  return entries;
}

export async function readYarnLock(file: string, text: string, sibling: SiblingReader): Promise<LockfileReading> {
  const berry = /^__metadata:/m.test(text);
  const entries = berry ? parseBerry(file, text) : parseClassic(file, text);
  const graph = new DepGraph();
  const byDescriptor = new Map<string, string>();
  for (const e of entries) {
    const id = e.workspace ? ROOT : `${e.name}@${e.version}`;
    if (!e.workspace) graph.addNode(id, { name: e.name, version: e.version });
    for (const d of e.descriptors) byDescriptor.set(d, id);
  }
  const lookup = (name: string, range: string): string | undefined =>
    byDescriptor.get(`${name}@${range}`) ?? (berry && !range.includes(':') ? byDescriptor.get(`${name}@npm:${range}`) : undefined);
  for (const e of entries) {
    const from = e.workspace ? ROOT : `${e.name}@${e.version}`;
    for (const [n, r] of e.deps) {
      const to = lookup(n, r);
      if (to !== undefined && to !== ROOT) graph.addEdge(from, to);
    }
  }
  const problems: LockfileReading['problems'] = [];
  if (!berry) {
    const manifest = await sibling('package.json');
    let pj: unknown;
    if (manifest !== undefined) {
      try {
        pj = JSON.parse(manifest);
      } catch {
        problems.push({ file, message: 'package.json beside it is not valid JSON: direct dependencies are guessed from the lockfile' });
      }
    }
    if (isRecord(pj)) {
      for (const field of ['dependencies', 'devDependencies', 'optionalDependencies']) {
        for (const [n, r] of stringEntries(pj[field])) {
          const to = lookup(n, r);
          if (to) graph.addEdge(ROOT, to);
        }
      }
    }
  }
  return { file, ecosystem: 'npm', graph, problems };
}
