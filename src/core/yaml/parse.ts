import { nestingBound } from './depth';
import { parseAllDocuments, isMap, isSeq, isScalar, isPair, isAlias, isNode, Scalar, YAMLMap, YAMLSeq, Pair, Document } from 'yaml';
import type { Node as YamlNode, ParsedNode } from 'yaml';
import type { Location } from '../model';
import { LineIndex } from './text';
import { fastParse, stripComments } from './fast';

export { isMap, isSeq, isScalar, isPair, isAlias, Scalar, YAMLMap, YAMLSeq, Pair };
export type { YamlNode, ParsedNode };

/** Files bigger than this are reported as too large instead of parsed (a 20 MB workflow is an attack, not a workflow). */
export const MAX_YAML_BYTES = 4 * 1024 * 1024;

export interface YamlProblem {
  message: string;
  offset: number;
  line: number;
  column: number;
}

/** A YAML file parsed once and shared by every check. */
export interface YamlFile {
  path: string;
  text: string;
  lines: LineIndex;
  docs: Document.Parsed[];
  /** Parse errors; when non-empty the checks skip the file and the engine reports it. */
  errors: YamlProblem[];
}

/** The options every parse uses (the incremental re-parse in incremental.ts too). */
export const YAML_OPTIONS = { prettyErrors: false, strict: false, uniqueKeys: false } as const;

export function parseYaml(path: string, text: string, lines = new LineIndex(text)): YamlFile {
  const errors: YamlProblem[] = [];
  let docs: Document.Parsed[] = [];
  try {
    // YAML 1.2 core schema is what GitHub uses in practice (`on` stays a string). uniqueKeys stays on:
    // GitHub rejects workflows with duplicate keys, so they are a parse problem here too.
    // YAML counts a lone CR (old Mac line ends) as a line break; the parser does not. Swapping it for LF
    // keeps every offset (one character for one), so locations still point into the original text.
    const source = text.includes('\r') ? text.replace(/\r(?!\n)/g, '\n') : text;
    // uniqueKeys is checked below instead: the parser compares each new key with every earlier key of
    // the mapping, which made a 34k-job workflow take minutes; a set per mapping is linear.
    // The fast front end first (issue 19): fast.ts (js-yaml 5 events -> the same yaml nodes) gives
    // identical trees for the files it takes (test/corpus/yaml-fast-corpus.test.ts and the unit
    // properties), 533 of the 543 corpus files a scan parses; with this parser for the rest it costs 38 %
    // of parseAllDocuments (bench yaml part, --rounds=5: 137 vs 366 ms CPU, same run). It leaves comments
    // out, so the fallback drops them too (stripComments): every parse has the same shape whichever path
    // took it, the incremental re-parse included, and no consumer reads comments from the tree. Adopted
    // at 417f197 + this change: bench --quick before/after (two runs minutes apart, not one run): warm
    // scan of the sampled corpus 688 -> 351 ms CPU, cold scans of its 12 repositories 4737 -> 3785 ms CPU.
    // Refused before parsing: the parser's recursion on a hostile depth can end the process (depth.ts).
    if (nestingBound(source, MAX_NESTING) > MAX_NESTING) {
      errors.push({ message: `structures are nested more than ${MAX_NESTING} levels deep; Steward does not follow them`, offset: 0, line: 1, column: 1 });
      return { path, text, lines, docs, errors };
    }
    docs = parseDocs(source);
    for (const d of docs) {
      for (const e of d.errors) {
        const offset = e.pos?.[0] ?? 0;
        const p = lines.position(offset);
        // The parser recurses per nesting level and records a stack overflow as an ordinary error.
        const message = e.message.includes('call stack') ? TOO_DEEP : e.message.split('\n')[0];
        errors.push({ message, offset, line: p.line, column: p.column });
      }
    }
    if (errors.length === 0) {
      for (const d of docs) {
        const bad = structureProblem(d.contents);
        if (bad) {
          const p = lines.position(bad.offset);
          errors.push({ message: bad.message, offset: bad.offset, line: p.line, column: p.column });
          break;
        }
      }
    }
  } catch (e) {
    const message = e instanceof RangeError ? TOO_DEEP : e instanceof Error ? e.message : String(e);
    errors.push({ message, offset: 0, line: 1, column: 1 });
  }
  return { path, text, lines, docs, errors };
}

/** The documents of `text`, without comments: the fast front end's, else yaml's with comments dropped. */
export function parseDocs(text: string): Document.Parsed[] {
  const fast = fastParse(text, YAML_OPTIONS);
  if (fast) return fast;
  const docs = parseAllDocuments(text, YAML_OPTIONS) as Document.Parsed[];
  return Array.isArray(docs) ? stripComments(docs) : [];
}

/**
 * Deeper nesting than this is refused like a syntax error. Real workflows stay under 15 levels; checks
 * that walk the tree recursively can then never overflow the stack on a hostile file.
 */
export const MAX_NESTING = 256;
const TOO_DEEP = 'structures are nested too deeply to parse';

/**
 * Walks a document once, without recursion: the first node deeper than MAX_NESTING, else the first
 * (in source order) mapping key that repeats an earlier key of the same mapping — the parser's own
 * check, `Map keys must be unique`, done with a set per mapping so it stays linear.
 */
export function structureProblem(root: unknown): { offset: number; message: string } | undefined {
  const stack: [unknown, number][] = [[root, 0]];
  let dup: number | undefined;
  while (stack.length) {
    const [node, depth] = stack.pop()!;
    if (isMap(node) || isSeq(node)) {
      if (depth >= MAX_NESTING) {
        return { offset: (node as YAMLMap).range?.[0] ?? 0, message: `structures are nested more than ${MAX_NESTING} levels deep; Steward does not follow them` };
      }
      const seen = isMap(node) ? new Set<unknown>() : undefined;
      for (const item of (node as YAMLMap | YAMLSeq).items) {
        if (isPair(item)) {
          if (seen && isScalar(item.key)) {
            const v = item.key.value;
            if (seen.has(v)) {
              const at = item.key.range?.[0] ?? 0;
              if (dup === undefined || at < dup) dup = at;
            } else seen.add(v);
          }
          if (item.key && typeof item.key === 'object') stack.push([item.key, depth + 1]);
          if (item.value && typeof item.value === 'object') stack.push([item.value, depth + 1]);
        } else if (item && typeof item === 'object') stack.push([item, depth + 1]);
      }
    }
  }
  return dup === undefined ? undefined : { offset: dup, message: 'Map keys must be unique' };
}

/** The first document's root mapping, the only shape the GitHub files we check can have. */
export function rootMap(file: YamlFile): YAMLMap | undefined {
  const d = file.docs.find((doc) => doc.contents !== null);
  return d && isMap(d.contents) ? (d.contents as YAMLMap) : undefined;
}

/** Follows an alias to its anchor (one level; anchors cannot point at aliases). */
export function deref(node: unknown, file: YamlFile): unknown {
  if (isAlias(node)) {
    for (const d of file.docs) {
      try {
        const r = node.resolve(d);
        if (r) return r;
      } catch {
        /* an alias that resolves nowhere is treated as absent */
      }
    }
    return undefined;
  }
  return node;
}

function keyText(k: unknown): string | undefined {
  if (isScalar(k)) return k.value === null ? '' : String(k.value);
  return undefined;
}

export function pairs(map: YAMLMap | undefined): Pair[] {
  return map ? (map.items as Pair[]) : [];
}

/** The pair for `key` in a mapping (keys compared as strings; merge keys `<<` are followed). */
export function getPair(map: unknown, key: string, file?: YamlFile): Pair | undefined {
  if (!isMap(map)) return undefined;
  const items = map.items as Pair[];
  if (items.length > INDEXED_FROM) {
    const ix = keyIndex(items);
    const direct = ix.first.get(key);
    if (direct || !file) return direct;
    for (const p of ix.merges) {
      const src = deref(p.value, file);
      const m = isMap(src) ? getPair(src, key, file) : undefined;
      if (m) return m;
    }
    return undefined;
  }
  let merged: Pair | undefined;
  for (const p of items) {
    const k = keyText(p.key);
    if (k === key) return p;
    if (k === '<<' && file && !merged) {
      const src = deref(p.value, file);
      const m = isMap(src) ? getPair(src, key, file) : undefined;
      if (m) merged = m;
    }
  }
  return merged;
}

// Lookups in a large mapping go through an index built once: checks look keys up per job and per
// step (a job id in `jobs`, a variable in a job's `env`), which walked a hostile 34k-entry mapping
// once per lookup. Small mappings keep the plain walk (cheaper than an index).
const INDEXED_FROM = 16;
interface KeyIndex {
  length: number;
  first: Map<string, Pair>;
  merges: Pair[];
}
const keyIndexes = new WeakMap<Pair[], KeyIndex>();

function keyIndex(items: Pair[]): KeyIndex {
  let ix = keyIndexes.get(items);
  // A mapping that gained or lost entries since (an edited document) is indexed again.
  if (ix && ix.length === items.length) return ix;
  ix = { length: items.length, first: new Map(), merges: [] };
  for (const p of items) {
    const k = keyText(p.key);
    if (k === undefined) continue;
    if (!ix.first.has(k)) ix.first.set(k, p);
    if (k === '<<') ix.merges.push(p);
  }
  keyIndexes.set(items, ix);
  return ix;
}

export function get(map: unknown, key: string, file?: YamlFile): unknown {
  const p = getPair(map, key, file);
  if (!p) return undefined;
  return file ? deref(p.value, file) : p.value;
}

export function getMap(map: unknown, key: string, file?: YamlFile): YAMLMap | undefined {
  const v = get(map, key, file);
  return isMap(v) ? v : undefined;
}

export function getSeq(map: unknown, key: string, file?: YamlFile): YAMLSeq | undefined {
  const v = get(map, key, file);
  return isSeq(v) ? v : undefined;
}

export function getScalar(map: unknown, key: string, file?: YamlFile): Scalar | undefined {
  const v = get(map, key, file);
  return isScalar(v) ? v : undefined;
}

/** A scalar's value as a string (numbers and booleans as written), or undefined for non-scalars. */
export function scalarString(node: unknown): string | undefined {
  if (!isScalar(node)) return undefined;
  if (node.value === null || node.value === undefined) return '';
  return typeof node.value === 'string' ? node.value : String(node.value);
}

export function getString(map: unknown, key: string, file?: YamlFile): string | undefined {
  return scalarString(get(map, key, file));
}

export function keyString(p: Pair): string | undefined {
  return keyText(p.key);
}

/** [start, end) of a node's source, excluding trailing comments and whitespace. */
export function nodeRange(node: unknown): [number, number] | undefined {
  if (isNode(node) && node.range) return [node.range[0], node.range[1]];
  if (isPair(node)) {
    const k = nodeRange(node.key);
    const v = nodeRange(node.value);
    if (k && v) return [k[0], v[1]];
    return k ?? v;
  }
  return undefined;
}

export function locationOf(file: YamlFile, node: unknown): Location | undefined {
  const r = nodeRange(node);
  if (!r) return undefined;
  return rangeLocation(file, r[0], r[1]);
}

export function rangeLocation(file: { path: string; lines: LineIndex }, start: number, end: number): Location {
  return { file: file.path, start: file.lines.position(start), end: file.lines.position(end) };
}

/** Location of a mapping key (e.g. the `permissions` word), the usual place to point a finding at. */
export function keyLocation(file: YamlFile, pair: Pair): Location | undefined {
  return locationOf(file, pair.key) ?? locationOf(file, pair.value);
}
