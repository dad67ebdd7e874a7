import type { Pair, YAMLMap } from 'yaml';
import type { TextEdit } from '../model';
import { isAlias, isMap, isScalar, keyString, nodeRange, parseYaml, type YamlFile } from '../yaml/parse';
import { detectEol } from '../yaml/text';

// Minimal edits inside workflow mappings: add entries to a child mapping of a step (`env:`, `with:`),
// creating it when absent, without touching any other line. Returns undefined whenever the result
// could not keep the file's formatting (aliases, merge keys, multi-line flow mappings, odd layouts):
// the caller then offers no fix rather than a guess.

export interface Entry {
  key: string;
  /** The string value; it is quoted as needed for where it lands (block or flow mapping). */
  value: string;
  /** Write `value` as it is (e.g. `false`), no quoting. */
  literal?: boolean;
}

function render(e: Entry, flow: boolean): string {
  return `${e.key}: ${e.literal ? e.value : yamlScalar(e.value, flow)}`;
}

/** The offset just past the line holding the last content character before `end` (or the text end). */
function afterLastContentLine(text: string, start: number, end: number): { at: number; needsEol: boolean } {
  let i = Math.min(end, text.length) - 1;
  while (i >= start && /\s/.test(text[i])) i--;
  let j = i + 1;
  while (j < text.length && text[j] !== '\n') j++;
  if (j >= text.length) return { at: text.length, needsEol: true };
  return { at: j + 1, needsEol: false };
}

/** Column (0-based) of an offset within its line, and whether only spaces precede it. */
function columnOf(text: string, offset: number): { col: number; clean: boolean } {
  let s = offset;
  while (s > 0 && text[s - 1] !== '\n' && text[s - 1] !== '\r') s--;
  const before = text.slice(s, offset);
  return { col: offset - s, clean: /^ *$/.test(before) };
}

function ownPair(map: YAMLMap, key: string): Pair | undefined {
  return (map.items as Pair[]).find((p) => keyString(p) === key);
}

/** Formats a string as a YAML scalar that reads back as exactly `value` on one line. */
export function yamlScalar(value: string, flow = false): string {
  // Each answer costs up to two parses; fixes ask for the same few values again on every scan (the
  // env entries of template-injection's fixes). A function of (value, flow) only: kept, bounded.
  const key = (flow ? 'f' : 'b') + value;
  let r = scalarForms.get(key);
  if (r === undefined) {
    if (scalarForms.size >= 4096) scalarForms.clear();
    scalarForms.set(key, (r = yamlScalarUncached(value, flow)));
  }
  return r;
}
const scalarForms = new Map<string, string>();

function yamlScalarUncached(value: string, flow: boolean): string {
  const probe = (s: string) => {
    const f = parseYaml('probe.yml', flow ? `{a: b, k: ${s}}\n` : `k: ${s}\n`);
    const root = f.docs[0]?.contents;
    if (f.errors.length || !isMap(root)) return false;
    const v = (root.items[flow ? 1 : 0] as Pair | undefined)?.value;
    return isScalar(v) && v.value === value && !/[\r\n]/.test(s);
  };
  if (probe(value)) return value;
  const single = `'${value.replace(/'/g, "''")}'`;
  if (probe(single)) return single;
  return JSON.stringify(value);
}

/**
 * Edits adding `entries` under `parent.<key>` (a block mapping), creating `<key>:` when it is missing.
 * `parent` is a step (or job) mapping of `file`.
 */
export function addMapEntries(file: YamlFile, parent: YAMLMap, key: string, entries: readonly Entry[]): TextEdit[] | undefined {
  const text = file.text;
  const eol = detectEol(text);
  const pr = nodeRange(parent);
  if (!pr || !entries.length) return undefined;
  const pair = ownPair(parent, key);
  if (!pair && (parent.items as Pair[]).some((p) => keyString(p) === '<<')) return undefined; // the key may come from a merge
  if (pair) {
    if (isAlias(pair.value)) return undefined; // editing an anchor would change every place that uses it
    const child = pair.value;
    if (!isMap(child)) return undefined;
    const cr = nodeRange(child);
    if (!cr) return undefined;
    if (child.flow) {
      const src = text.slice(cr[0], cr[1]);
      if (/[\r\n]/.test(src) || !src.endsWith('}')) return undefined;
      const inner = src.slice(1, -1);
      const items = entries.map((e) => render(e, true)).join(', ');
      const sep = inner.trim() === '' ? (inner.length ? '' : ' ') : ', ';
      const pad = inner.trim() === '' ? ' ' : inner.endsWith(' ') ? ' ' : '';
      // `{a: 1}` -> `{a: 1, k: v}`; `{ a: 1 }` -> `{ a: 1, k: v }`; `{}` -> `{ k: v }`
      const trimmedEnd = cr[1] - 1 - (inner.length - inner.trimEnd().length);
      return [{ file: file.path, start: trimmedEnd, end: trimmedEnd, newText: `${sep}${items}${pad}` }];
    }
    const items = child.items as Pair[];
    if (!items.length) return undefined;
    const firstKey = nodeRange(items[0].key);
    if (!firstKey) return undefined;
    const { col } = columnOf(text, firstKey[0]);
    const indent = ' '.repeat(col);
    const { at, needsEol } = afterLastContentLine(text, cr[0], cr[1]);
    const lines = entries.map((e) => `${indent}${render(e, false)}${eol}`).join('');
    return [{ file: file.path, start: at, end: at, newText: atEnd(lines, needsEol, eol) }];
  }
  if (parent.flow) {
    const src = text.slice(pr[0], pr[1]);
    if (/[\r\n]/.test(src) || !src.endsWith('}')) return undefined;
    const inner = src.slice(1, -1);
    const trimmedEnd = pr[1] - 1 - (inner.length - inner.trimEnd().length);
    const items = entries.map((e) => render(e, true)).join(', ');
    return [{ file: file.path, start: trimmedEnd, end: trimmedEnd, newText: `${inner.trim() ? ', ' : ''}${key}: {${items}}` }];
  }
  const firstPair = (parent.items as Pair[])[0];
  const fk = firstPair ? nodeRange(firstPair.key) : undefined;
  if (!fk) return undefined;
  const { col } = columnOf(text, fk[0]);
  const indent = ' '.repeat(col);
  const unit = childIndentUnit(file, parent, col) ?? fileIndentUnit(file) ?? '  ';
  const { at, needsEol } = afterLastContentLine(text, pr[0], pr[1]);
  const lines = `${indent}${key}:${eol}` + entries.map((e) => `${indent}${unit}${render(e, false)}${eol}`).join('');
  return [{ file: file.path, start: at, end: at, newText: atEnd(lines, needsEol, eol) }];
}

/** Lines inserted at the very end of a file without a final newline keep it without one. */
function atEnd(lines: string, needsEol: boolean, eol: string): string {
  return needsEol ? eol + lines.slice(0, -eol.length) : lines;
}

/** How far this file indents a nested mapping under a step key (from a sibling like `with:`), if visible. */
function childIndentUnit(file: YamlFile, parent: YAMLMap, col: number): string | undefined {
  for (const p of parent.items as Pair[]) {
    if (isMap(p.value) && !p.value.flow && p.value.items.length) {
      const r = nodeRange((p.value.items[0] as Pair).key);
      if (!r) continue;
      const c = columnOf(file.text, r[0]);
      if (c.clean && c.col > col) return ' '.repeat(c.col - col);
    }
  }
  return undefined;
}

/**
 * How this file indents a nested block mapping elsewhere: the step from a `with:` or `env:` key (or
 * any key, when there is none) to its first child on the next line. A file formatted with four spaces
 * (eslint's workflows, checked by prettier) then gets four spaces in a new `with:` too.
 */
export function fileIndentUnit(file: YamlFile): string | undefined {
  // Every fix of a file asks (one per job in a 34k-job workflow): scan each parsed file once. Keyed by
  // the parsed file rather than "the last text seen", so fixes that alternate between files do not
  // rescan, and the answer goes away with the file.
  if (indentUnits.has(file)) return indentUnits.get(file);
  const unit = scanIndentUnit(file.text);
  indentUnits.set(file, unit);
  return unit;
}
const indentUnits = new WeakMap<YamlFile, string | undefined>();

export function scanIndentUnit(text: string): string | undefined {
  // The lines of text.split(/\r\n|\r|\n/), split off only as far as the scan reads: it usually stops
  // at the first `with:` or `env:`, near the top (splitting every line was most of its cost).
  const lines: string[] = [];
  const breaks = /\r\n|\r|\n/g;
  let from = 0;
  const line = (k: number): string | undefined => {
    while (lines.length <= k && from >= 0) {
      const b = breaks.exec(text);
      lines.push(text.slice(from, b ? b.index : text.length));
      from = b ? b.index + b[0].length : -1;
    }
    return lines[k];
  };
  let any: string | undefined;
  for (let i = 0; line(i + 1) !== undefined; i++) {
    const m = /^( *)(?:- +)?([A-Za-z0-9_-]+):\s*(?:#.*)?$/.exec(lines[i]);
    if (!m) continue;
    const keyCol = lines[i].indexOf(m[2]);
    let j = i + 1;
    while (line(j) !== undefined && /^\s*(?:#.*)?$/.test(lines[j])) j++;
    const n = line(j) !== undefined ? /^( *)([^\s-]|-(?!\s))/.exec(lines[j]) : null;
    if (!n || n[1].length <= keyCol) continue;
    const unit = ' '.repeat(n[1].length - keyCol);
    if (m[2] === 'with' || m[2] === 'env') return unit;
    any ??= unit;
  }
  return any;
}

/**
 * Edit removing one entry of a block mapping (its whole lines), and the mapping's own key when it was
 * the only entry. Undefined when the entry shares a line with anything else.
 */
export function removeMapEntry(file: YamlFile, ownerPair: Pair, map: YAMLMap, entry: Pair): TextEdit[] | undefined {
  const text = file.text;
  if (map.flow) {
    // Only a mapping whose sole entry this is can go, and only as its whole `key: {…}` line.
    if (map.items.length !== 1) return undefined;
    return removeWholeLines(file, ownerPair);
  }
  if (map.items.length === 1) return removeWholeLines(file, ownerPair);
  return removeWholeLines(file, entry, text);
}

function removeWholeLines(file: YamlFile, pair: Pair, text = file.text): TextEdit[] | undefined {
  const r = nodeRange(pair);
  if (!r) return undefined;
  let s = r[0];
  while (s > 0 && text[s - 1] !== '\n') s--;
  if (!/^ *$/.test(text.slice(s, r[0]))) return undefined; // `- env: …` or `{…}` on the same line
  // The value's end, plus a trailing comment on the same line, up to and including the line break.
  let e = r[1];
  while (e > r[0] && /\s/.test(text[e - 1])) e--;
  while (e < text.length && text[e] !== '\n') e++;
  if (e < text.length) e++;
  return [{ file: file.path, start: s, end: e, newText: '' }];
}
