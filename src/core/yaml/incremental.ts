import { isAlias, isMap, isPair, isScalar, isSeq, Pair, Scalar as ScalarClass, YAMLMap as MapClass, YAMLSeq as SeqClass } from 'yaml';
import type { Document, YAMLMap, Scalar } from 'yaml';
import type { LineIndex } from './text';
import { MAX_NESTING, parseDocs, structureProblem, type YamlFile } from './parse';
import { nestingBound } from './depth';

/*
 * Re-parsing a YAML file after an edit, one part of it instead of the whole file (the editor's
 * re-check after a save: a 500-line workflow took 10 ms to parse, one job of it well under one).
 *
 * The file is cut into units at the keys of one block mapping: the entries of `jobs` (second level)
 * or else the top-level keys. A unit runs from its key's line to the next key's line, trailing blank
 * and comment lines included. The units the edit touches are parsed alone, inside a small wrapper that
 * gives them the context they have in the file (the mapping's key line and indentation, an entry before
 * them, an entry or the end of the file after them); the other units' nodes are reused, those after the
 * edit copied with their ranges moved. The result is a Document the checks cannot tell from a full parse
 * (same node classes, ranges, comments; test/unit/yaml-incremental.test.ts compares them node by node).
 *
 * Whenever the cut is not provably safe the answer is undefined and the caller parses the whole file:
 * a previous parse with errors or warnings, several documents, anchors or aliases anywhere, lone CRs,
 * a unit key that is not a plain key at the start of its line, document markers or directives in the
 * edited text, a part that does not parse cleanly into whole entries, or a duplicate key.
 */

const anchorFree = new WeakMap<Document.Parsed, boolean>();

/** True when no node of the document has an anchor and none is an alias (memoised per document). */
function hasNoAnchors(doc: Document.Parsed): boolean {
  let v = anchorFree.get(doc);
  if (v === undefined) {
    v = subtreeAnchorFree(doc.contents);
    anchorFree.set(doc, v);
  }
  return v;
}

function subtreeAnchorFree(root: unknown): boolean {
  const stack: unknown[] = [root];
  while (stack.length) {
    const n = stack.pop();
    if (!n || typeof n !== 'object') continue;
    if (isAlias(n)) return false;
    if (isPair(n)) {
      stack.push(n.key, n.value);
      continue;
    }
    if ((n as Scalar).anchor !== undefined) return false;
    if (isMap(n) || isSeq(n)) for (const it of n.items) stack.push(it);
  }
  return true;
}

/** A line that starts or ends a document, or a directive: never inside an edited part. */
const DOC_MARKER = /^(?:---|\.\.\.|%)/m;

interface Units {
  /** The mapping whose entries are the units. */
  map: YAMLMap;
  indent: number;
  /** Start of each unit (the start of its key's line) in the old text. */
  starts: number[];
  /** End of the last unit in the old text, when the mapping runs to the end of the file; else undefined. */
  lastEnd: number | undefined;
}

function unitsOf(map: YAMLMap, text: string, indent: number, runsToEnd: boolean): Units | undefined {
  if (map.flow || map.items.length === 0) return undefined;
  const starts: number[] = [];
  for (const p of map.items as Pair[]) {
    const k = p.key;
    // An empty key (`: x`) has a range that starts at the comment lines before it: not a unit start.
    if (!isScalar(k) || k.type !== 'PLAIN' || !k.range || k.range[1] <= k.range[0] || !p.value) return undefined;
    const at = k.range[0];
    const ls = at - indent;
    if (ls < 0 || (ls > 0 && text.charCodeAt(ls - 1) !== 10)) return undefined;
    for (let i = ls; i < at; i++) if (text.charCodeAt(i) !== 32) return undefined;
    starts.push(ls);
  }
  return { map, indent, starts, lastEnd: runsToEnd ? text.length : undefined };
}

const SCALAR_PROTO = ScalarClass.prototype;
const MAP_PROTO = MapClass.prototype;
const SEQ_PROTO = SeqClass.prototype;
const PAIR_PROTO = Pair.prototype;

/**
 * A node and everything under it copied, every range moved by `d`. Made with the node's own class
 * constructor and its own enumerable properties assigned in their order (Object.assign), as the parser
 * makes them: the copy has the parser's hidden classes (a copy made from property descriptors is
 * several times slower to make and to read). The constructor's own property (the node type, and a
 * collection's `schema`) is the one cost no copy avoids; Object.assign and a plain loop over the items
 * made this a quarter cheaper than a copy property by property (Object.keys, a keyed store each).
 */
function cloneShift<T>(node: T, d: number): T {
  if (!node || typeof node !== 'object') return node;
  const proto = Object.getPrototypeOf(node);
  const src = node as unknown as { value?: unknown; schema?: unknown; range?: number[]; items?: unknown[] };
  let c: { range?: number[] | null; items?: unknown[] };
  if (proto === SCALAR_PROTO) c = Object.assign(new ScalarClass(src.value), node) as typeof c;
  else if (proto === PAIR_PROTO || (proto !== MAP_PROTO && proto !== SEQ_PROTO && isPair(node))) {
    const p = node as unknown as Pair;
    return new Pair(cloneShift(p.key, d), cloneShift(p.value, d)) as T;
  } else if (proto === MAP_PROTO || proto === SEQ_PROTO) {
    c = Object.assign(proto === MAP_PROTO ? new MapClass(src.schema as never) : new SeqClass(src.schema as never), node) as typeof c;
    const its = src.items!;
    const n = its.length;
    const out = new Array<unknown>(n);
    for (let i = 0; i < n; i++) out[i] = cloneShift(its[i], d);
    c.items = out;
  } else {
    // Another class (none of the parses makes one today): a copy from its descriptors.
    c = Object.create(proto, Object.getOwnPropertyDescriptors(node));
    if (Array.isArray(src.items)) c.items = src.items.map((it) => cloneShift(it, d));
  }
  const r = src.range;
  if (r) c.range = [r[0] + d, r[1] + d, r[2] + d];
  return c as T;
}

/** Moves every range under a freshly parsed node by `d` in place and gives its collections `schema`. */
function shiftInPlace(root: unknown, d: number, schema: unknown): void {
  const stack: unknown[] = [root];
  while (stack.length) {
    const n = stack.pop() as { range?: number[]; items?: unknown[]; schema?: unknown } | null;
    if (!n || typeof n !== 'object') continue;
    if (isPair(n)) {
      stack.push(n.key, n.value);
      continue;
    }
    if (n.range) n.range = [n.range[0] + d, n.range[1] + d, n.range[2] + d];
    if (isMap(n) || isSeq(n)) {
      (n as { schema?: unknown }).schema = schema;
      for (const it of n.items!) stack.push(it);
    }
  }
}

/**
 * A shallow copy of a block mapping, made as cloneShift makes one (its class constructor, then its own
 * enumerable properties in their order): the same prototype and own properties as shallow() gives,
 * without reading every property descriptor.
 */
function shallowCollection(map: YAMLMap): YAMLMap {
  if (Object.getPrototypeOf(map) !== MAP_PROTO) return shallow(map);
  return Object.assign(new MapClass((map as unknown as { schema: never }).schema), map);
}

/** A shallow copy of a node (or document) with the same prototype and own properties. */
function shallow<T extends object>(o: T): T {
  return Object.create(Object.getPrototypeOf(o), Object.getOwnPropertyDescriptors(o)) as T;
}

function setProp(target: object, key: 'comment' | 'commentBefore' | 'spaceBefore', from: object): void {
  const t = target as Record<string, unknown>;
  if (Object.prototype.hasOwnProperty.call(from, key)) t[key] = (from as Record<string, unknown>)[key];
  else delete t[key];
}

function sameRange(r: readonly number[] | null | undefined, a: number, b: number): boolean {
  return !!r && r[0] === a && r[1] === b;
}

/**
 * The parse of `text` made from `prev` (the parse of an earlier version of the same file), or
 * undefined when a full parse is needed. `lines` indexes `text`.
 */
export function reparseYaml(prev: YamlFile, path: string, text: string, lines: LineIndex): YamlFile | undefined {
  const old = prev.text;
  if (old === text || prev.errors.length || prev.docs.length !== 1) return undefined;
  if ((text.includes('\r') && /\r(?!\n)/.test(text)) || (old.includes('\r') && /\r(?!\n)/.test(old))) return undefined;
  const doc = prev.docs[0];
  if (doc.errors.length || doc.warnings.length) return undefined;
  const root = doc.contents;
  if (!isMap(root) || root.flow || !doc.range || !root.range || !hasNoAnchors(doc)) return undefined;

  // The edit: the text before `p` and after `old.length - s` is the same in both versions.
  const max = Math.min(old.length, text.length);
  const p = commonPrefix(old, text, max);
  const s = commonSuffix(old, text, max - p);
  const oldEnd = old.length - s;
  const delta = text.length - old.length;

  const rootUnits = unitsOf(root, old, 0, true);
  if (!rootUnits) return undefined;
  // Second level first: an edit inside one job re-parses that job.
  const jobsIx = (root.items as Pair[]).findIndex((x) => isScalar(x.key) && x.key.value === 'jobs');
  const jobsPair = jobsIx >= 0 ? (root.items[jobsIx] as Pair) : undefined;
  if (jobsPair && isMap(jobsPair.value)) {
    const jobs = jobsPair.value as YAMLMap;
    const indent = jobs.items.length && isScalar((jobs.items[0] as Pair).key) ? ((jobs.items[0] as Pair).key as Scalar).range![0] - lineStart(old, ((jobs.items[0] as Pair).key as Scalar).range![0]) : -1;
    const units = indent > 0 ? unitsOf(jobs, old, indent, jobsIx === root.items.length - 1) : undefined;
    if (units && p >= units.starts[0]) {
      const r = reparseUnits(doc, old, text, lines, path, p, oldEnd, delta, units, `jobs:\n`, [root, jobsIx]);
      if (r) return r;
    }
  }
  if (p < rootUnits.starts[0]) return undefined;
  return reparseUnits(doc, old, text, lines, path, p, oldEnd, delta, rootUnits, '', undefined);
}

/** Compared a block at a time first (a string comparison is a native memcmp), then a character at a time. */
const BLOCK = 256;

/** The length of the longest common prefix of `a` and `b`, at most `max`. */
export function commonPrefix(a: string, b: string, max: number): number {
  let p = 0;
  while (p + BLOCK <= max && a.slice(p, p + BLOCK) === b.slice(p, p + BLOCK)) p += BLOCK;
  while (p < max && a.charCodeAt(p) === b.charCodeAt(p)) p++;
  return p;
}

/** The length of the longest common suffix of `a` and `b`, at most `max`. */
export function commonSuffix(a: string, b: string, max: number): number {
  let s = 0;
  const la = a.length;
  const lb = b.length;
  while (s + BLOCK <= max && a.slice(la - s - BLOCK, la - s) === b.slice(lb - s - BLOCK, lb - s)) s += BLOCK;
  while (s < max && a.charCodeAt(la - 1 - s) === b.charCodeAt(lb - 1 - s)) s++;
  return s;
}

function lineStart(text: string, at: number): number {
  return text.lastIndexOf('\n', at - 1) + 1;
}

/**
 * Re-parses the units of `units.map` that the edit [p, oldEnd) touches. `head` is the wrapper text
 * that opens the mapping (`jobs:\n` for the jobs, nothing at the top level); `parent` is the root
 * mapping and the index of the pair holding `units.map` when it is not the root itself.
 */
function reparseUnits(
  doc: Document.Parsed,
  old: string,
  text: string,
  lines: LineIndex,
  path: string,
  p: number,
  oldEnd: number,
  delta: number,
  units: Units,
  head: string,
  parent: [YAMLMap, number] | undefined,
): YamlFile | undefined {
  const { starts, indent, map } = units;
  const n = starts.length;
  // i: the unit holding p; j: the last unit the edit reaches (an edit ending right at a unit's start
  // does not reach it).
  let i = 0;
  while (i + 1 < n && starts[i + 1] <= p) i++;
  let j = i;
  while (j + 1 < n && starts[j + 1] < oldEnd) j++;
  const last = j === n - 1;
  if (last && units.lastEnd === undefined) return undefined;
  const chunkStart = starts[i];
  const oldChunkEnd = last ? units.lastEnd! : starts[j + 1];
  const newChunkEnd = oldChunkEnd + delta;
  if (newChunkEnd <= chunkStart) return undefined;
  const chunk = text.slice(chunkStart, newChunkEnd);
  if (DOC_MARKER.test(chunk) || DOC_MARKER.test(old.slice(chunkStart, oldChunkEnd))) return undefined;

  const pad = ' '.repeat(indent);
  const before = i > 0 ? `${head}${pad}_: 0\n` : head;
  const after = last ? '' : `${pad}_z: 0\n`;
  // the same parse as a full one (parseDocs: no comments), so that the reused and fresh nodes agree;
  // a chunk that may nest too deeply goes to the full parse, which refuses it without parsing
  const source = before + chunk + after;
  if (nestingBound(source, MAX_NESTING) > MAX_NESTING) return undefined;
  const wrapped = parseDocs(source);
  if (!Array.isArray(wrapped) || wrapped.length !== 1) return undefined;
  const w = wrapped[0];
  if (w.errors.length || w.warnings.length || !isMap(w.contents) || w.contents.flow || !w.range) return undefined;
  if (structureProblem(w.contents)) return undefined;
  let wMap = w.contents as YAMLMap;
  if (parent) {
    if (wMap.items.length !== 1) return undefined;
    const v = (wMap.items[0] as Pair).value;
    if (!isMap(v) || v.flow) return undefined;
    wMap = v;
  }
  const items = wMap.items as Pair[];
  const lead = i > 0 ? 1 : 0;
  const trail = last ? 0 : 1;
  const got = items.length - lead - trail;
  if (got < 1) return undefined;
  const shift = chunkStart - before.length;
  // The wrapper's entries must be exactly: the dummy before, the chunk's entries (the first at the
  // chunk's first line), the dummy after (right where the chunk ends).
  if (lead && !(isScalar(items[0].key) && items[0].key.value === '_' && sameRange(items[0].key.range, before.length - 5, before.length - 4))) return undefined;
  const first = items[lead].key;
  if (!isScalar(first) || first.type !== 'PLAIN' || !first.range || first.range[0] !== before.length + indent) return undefined;
  const z = trail ? items[items.length - 1] : undefined;
  const zAt = before.length + chunk.length + indent;
  if (z && !(isScalar(z.key) && z.key.value === '_z' && sameRange(z.key.range, zAt, zAt + 2))) return undefined;
  const fresh = items.slice(lead, items.length - trail);
  for (const x of fresh) if (!subtreeAnchorFree(x)) return undefined;
  // An empty key's range starts at the blank and comment lines before it, which the wrapper parse
  // does not see the same way (seed 1051599590): a full parse says where it is.
  for (const x of fresh) if (!isScalar(x.key) || !x.key.range || x.key.range[1] <= x.key.range[0]) return undefined;

  // Keys must stay unique across the mapping (the full parse's check; on a repeat it reports it).
  const oldItems = map.items as Pair[];
  const keep = new Set<unknown>();
  for (let k = 0; k < n; k++) if (k < i || k > j) keep.add((oldItems[k].key as Scalar).value);
  for (const x of fresh) {
    if (!isScalar(x.key)) continue;
    if (keep.has(x.key.value)) return undefined;
  }

  const schema = (map as unknown as { schema: unknown }).schema;
  for (const x of fresh) shiftInPlace(x, shift, schema);
  // The blank and comment lines before the first re-parsed key are the previous unit's text; whatever
  // of them the full parse gives that key, it gave the old key at the same place.
  const oldFirstKey = oldItems[i].key as Scalar;
  for (const k of ['commentBefore', 'spaceBefore'] as const) setProp(fresh[0].key as Scalar, k, oldFirstKey);

  const tail = oldItems.slice(j + 1).map((x) => cloneShift(x, delta));
  if (z && tail.length) {
    // What the re-parsed part's trailing lines give the next key, the wrapper gave its dummy.
    for (const k of ['commentBefore', 'spaceBefore'] as const) setProp(tail[0].key as Scalar, k, z.key as Scalar);
  }
  const newMap = shallowCollection(map);
  newMap.items = [...oldItems.slice(0, i), ...fresh, ...tail];
  const mr = map.range!;
  const wr = wMap.range!;
  newMap.range = last ? [mr[0], wr[1] + shift, wr[2] + shift] : [mr[0], mr[1] + delta, mr[2] + delta];
  if (last) setProp(newMap, 'comment', wMap);

  let newRoot: YAMLMap = newMap;
  const wRoot = w.contents as YAMLMap;
  if (parent) {
    const [root, ix] = parent;
    newRoot = shallowCollection(root);
    const rootItems = root.items as Pair[];
    const jp = rootItems[ix];
    newRoot.items = [...rootItems.slice(0, ix), new Pair(jp.key, newMap), ...rootItems.slice(ix + 1).map((x) => cloneShift(x, delta))];
    const rr = root.range!;
    const wrr = wRoot.range!;
    newRoot.range = last ? [rr[0], wrr[1] + shift, wrr[2] + shift] : [rr[0], rr[1] + delta, rr[2] + delta];
    if (last) setProp(newRoot, 'comment', wRoot);
  }
  const nd = shallow(doc);
  nd.contents = newRoot as Document.Parsed['contents'];
  nd.errors = [];
  nd.warnings = [];
  const dr = doc.range!;
  nd.range = last ? [dr[0], w.range[1] + shift, w.range[2] + shift] : [dr[0], dr[1] + delta, dr[2] + delta];
  if (last) setProp(nd, 'comment', w);
  anchorFree.set(nd, true);
  return { path, text, lines, docs: [nd], errors: [] };
}
