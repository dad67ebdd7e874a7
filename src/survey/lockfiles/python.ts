import { parse as parseToml } from 'smol-toml';
import { DepGraph, ROOT } from '../graph';
import { isRecord, LockfileError, type LockfileReading, type SiblingReader } from './types';

// Python: requirements*.txt (with pip-compile's "# via" annotations, which give the graph),
// poetry.lock (direct dependencies from pyproject.toml) and uv.lock (the project is the package whose
// source is `editable`/`virtual`; its dependencies are the direct ones).

/** PEP 503 normalised name: what PyPI and every resolver compare. */
export function normalizePyName(name: string): string {
  return name.trim().toLowerCase().replace(/[-_.]+/g, '-');
}

/** The name of a PEP 508 requirement ("requests[socks]>=2; python_version>'3'" → requests). */
export function requirementName(req: string): string | undefined {
  const m = /^\s*([A-Za-z0-9][A-Za-z0-9._-]*)/.exec(req);
  return m ? normalizePyName(m[1]) : undefined;
}

function tomlOf(file: string, text: string): Record<string, unknown> {
  try {
    return parseToml(text.replace(/^\uFEFF/, '')) as Record<string, unknown>;
  } catch (e) {
    throw new LockfileError(file, `is not valid TOML (${(e as Error).message.split('\n')[0]})`);
  }
}

const MAX_INCLUDES = 20;

export async function readRequirements(file: string, text: string, sibling: SiblingReader): Promise<LockfileReading> {
  const graph = new DepGraph();
  const problems: LockfileReading['problems'] = [];
  let annotated = false;
  const pkgs = new Map<string, { version: string; via: string[]; viaFile: boolean }>();
  const seenFiles = new Set<string>([file]);
  const readOne = async (name: string, body: string, depth: number) => {
    // Joined continuation lines keep their "# via" comments separate: only backslash-newline joins.
    const lines = body.replace(/\\\r?\n/g, ' ').split(/\r?\n/);
    let last: { via: string[]; viaFile: boolean } | undefined;
    let inVia = false;
    for (const raw of lines) {
      const line = raw.trim();
      if (!line) continue;
      if (line.startsWith('#')) {
        const c = line.replace(/^#\s*/, '');
        if (last && /^via\b/.test(c)) {
          annotated = true;
          inVia = true;
          const rest = c.replace(/^via\s*/, '').trim();
          if (rest) {
            addVia(last, rest);
            inVia = false;
          }
        } else if (last && inVia && c) addVia(last, c);
        continue;
      }
      inVia = false;
      const incl = /^(?:-r|--requirement|-c|--constraint)\s*=?\s*(\S+)/.exec(line);
      if (incl) {
        if (depth >= 3 || seenFiles.size >= MAX_INCLUDES) continue;
        const target = incl[1];
        if (seenFiles.has(target)) continue;
        seenFiles.add(target);
        const t = await sibling(target);
        if (t === undefined) problems.push({ file: name, message: `includes ${target}, which could not be read` });
        else await readOne(target, t, depth + 1);
        continue;
      }
      // Editable installs, local paths, URLs and other options name no PyPI package.
      if (line.startsWith('-') || /^(?:\.|\/|[a-z+]+:\/\/)/i.test(line) || / @ /.test(line)) {
        last = undefined;
        continue;
      }
      const req = line.replace(/\s+#.*$/, '').split(/\s+--hash/)[0];
      const n = requirementName(req);
      if (!n) {
        last = undefined;
        continue;
      }
      const pinned = /===?\s*([^\s;,]+)/.exec(req);
      const entry = pkgs.get(n) ?? { version: pinned?.[1] ?? '', via: [], viaFile: false };
      if (!entry.version && pinned) entry.version = pinned[1];
      pkgs.set(n, entry);
      last = entry;
    }
  };
  const addVia = (entry: { via: string[]; viaFile: boolean }, what: string) => {
    if (/^-[rc]\s|^--requirement|^--constraint/.test(what) || /\.(?:in|txt)$|pyproject\.toml|setup\.(?:py|cfg)$/.test(what)) entry.viaFile = true;
    else {
      const n = requirementName(what);
      if (n) entry.via.push(n);
    }
  };
  await readOne(file, text, 0);
  for (const [n, e] of pkgs) graph.addNode(n, { name: n, version: e.version });
  for (const [n, e] of pkgs) {
    // Without pip-compile annotations every requirement is the project's own.
    if (!annotated || e.viaFile || !e.via.length) graph.addEdge(ROOT, n);
    for (const parent of e.via) if (pkgs.has(parent)) graph.addEdge(parent, n);
  }
  return { file, ecosystem: 'pypi', graph, problems };
}

/** Names of the project's own dependencies in pyproject.toml (Poetry tables and PEP 621). */
function pyprojectDeps(doc: Record<string, unknown>): string[] {
  const out = new Set<string>();
  const project = isRecord(doc.project) ? doc.project : undefined;
  const fromList = (v: unknown) => {
    if (Array.isArray(v)) for (const r of v) if (typeof r === 'string') {
      const n = requirementName(r);
      if (n) out.add(n);
    }
  };
  if (project) {
    fromList(project.dependencies);
    if (isRecord(project['optional-dependencies'])) for (const v of Object.values(project['optional-dependencies'])) fromList(v);
  }
  if (isRecord(doc['dependency-groups'])) for (const v of Object.values(doc['dependency-groups'])) fromList(v);
  const poetry = isRecord(doc.tool) && isRecord(doc.tool.poetry) ? doc.tool.poetry : undefined;
  if (poetry) {
    const tables: unknown[] = [poetry.dependencies, poetry['dev-dependencies']];
    if (isRecord(poetry.group)) for (const g of Object.values(poetry.group)) if (isRecord(g)) tables.push(g.dependencies);
    for (const t of tables) if (isRecord(t)) for (const k of Object.keys(t)) if (k.toLowerCase() !== 'python') out.add(normalizePyName(k));
  }
  return [...out];
}

export async function readPoetryLock(file: string, text: string, sibling: SiblingReader): Promise<LockfileReading> {
  const doc = tomlOf(file, text);
  const list = Array.isArray(doc.package) ? doc.package.filter(isRecord) : [];
  const graph = new DepGraph();
  const problems: LockfileReading['problems'] = [];
  for (const p of list) if (typeof p.name === 'string') graph.addNode(normalizePyName(p.name), { name: normalizePyName(p.name), version: String(p.version ?? '') });
  for (const p of list) {
    if (typeof p.name !== 'string') continue;
    const from = normalizePyName(p.name);
    for (const field of ['dependencies', 'extras']) {
      const deps = p[field];
      if (!isRecord(deps)) continue;
      if (field === 'dependencies') for (const k of Object.keys(deps)) {
        const to = normalizePyName(k);
        if (graph.has(to)) graph.addEdge(from, to);
      }
    }
  }
  const py = await sibling('pyproject.toml');
  if (py !== undefined) {
    let pdoc: Record<string, unknown> | undefined;
    try {
      pdoc = parseToml(py) as Record<string, unknown>;
    } catch {
      problems.push({ file, message: 'pyproject.toml beside it is not valid TOML: direct dependencies are guessed from the lockfile' });
    }
    if (pdoc) for (const n of pyprojectDeps(pdoc)) if (graph.has(n)) graph.addEdge(ROOT, n);
  }
  return { file, ecosystem: 'pypi', graph, problems };
}

export function readUvLock(file: string, text: string): LockfileReading {
  const doc = tomlOf(file, text);
  const list = Array.isArray(doc.package) ? doc.package.filter(isRecord) : [];
  const graph = new DepGraph();
  const isProject = (p: Record<string, unknown>) => isRecord(p.source) && ('editable' in p.source || 'virtual' in p.source);
  const versionsOf = new Map<string, string[]>();
  for (const p of list) {
    if (typeof p.name !== 'string' || isProject(p)) continue;
    const n = normalizePyName(p.name);
    const v = String(p.version ?? '');
    graph.addNode(`${n}@${v}`, { name: n, version: v });
    versionsOf.set(n, [...(versionsOf.get(n) ?? []), v]);
  }
  const target = (d: Record<string, unknown>): string[] => {
    if (typeof d.name !== 'string') return [];
    const n = normalizePyName(d.name);
    const vs = versionsOf.get(n) ?? [];
    // With several versions of one package (per-platform forks) uv names the one it means.
    if (typeof d.version === 'string' && vs.includes(d.version)) return [`${n}@${d.version}`];
    return vs.map((v) => `${n}@${v}`);
  };
  for (const p of list) {
    if (typeof p.name !== 'string') continue;
    const from = isProject(p) ? ROOT : `${normalizePyName(p.name)}@${String(p.version ?? '')}`;
    const groups: unknown[] = [p.dependencies];
    for (const field of ['optional-dependencies', 'dev-dependencies']) if (isRecord(p[field])) groups.push(...Object.values(p[field] as Record<string, unknown>));
    for (const g of groups) if (Array.isArray(g)) for (const d of g) if (isRecord(d)) for (const to of target(d)) graph.addEdge(from, to);
  }
  return { file, ecosystem: 'pypi', graph, problems: [] };
}
