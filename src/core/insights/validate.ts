import { isMap, isSeq, type Document } from 'yaml';
import type { Location } from '../model';
import { getPair, keyLocation, locationOf, rangeLocation, scalarString, type YamlFile } from '../yaml/parse';
import { SecurityInsights, type SecurityInsightsDoc } from './schema';
import { FILL_IN, isPlaceholder } from './placeholder';
import { localeOrder } from '../repo/order';

// Validation of a security-insights.yml against the 2.0 schema, with each failing field located in
// the file (the key or value that is wrong, or the parent whose field is missing).

export interface InsightsProblem {
  /** Dotted path, e.g. `repository.license.expression` or `project.administrators[0].email`. */
  path: string;
  message: string;
  location: Location;
}

export interface InsightsValidation {
  /** The schema-version the file declares, when it declares one. */
  schemaVersion?: string;
  problems: InsightsProblem[];
  doc?: SecurityInsightsDoc;
}

function pathText(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : out ? `.${String(p)}` : String(p);
  return out;
}

/** The node at `path`, or the deepest ancestor that exists (and whether the whole path was found). */
function locate(file: YamlFile, doc: Document.Parsed, path: readonly PropertyKey[]): { location: Location; found: boolean } {
  let node: unknown = doc.contents;
  let loc = locationOf(file, node) ?? rangeLocation(file, 0, 0);
  // Point at the first line only for big parents: a whole mapping as the range is noise in an editor.
  const firstLine = (l: Location): Location => (l.end.line > l.start.line ? { ...l, end: { line: l.start.line, column: file.lines.lineText(l.start.line).length + 1 } } : l);
  loc = firstLine(loc);
  for (const seg of path) {
    if (typeof seg === 'number' && isSeq(node)) {
      const item = node.items[seg];
      if (item === undefined) return { location: loc, found: false };
      node = item;
      loc = firstLine(locationOf(file, node) ?? loc);
    } else if (typeof seg === 'string' && isMap(node)) {
      const pair = getPair(node, seg);
      if (!pair) return { location: loc, found: false };
      loc = keyLocation(file, pair) ?? loc;
      node = pair.value;
    } else {
      return { location: loc, found: false };
    }
  }
  return { location: loc, found: true };
}

export function validateInsights(file: YamlFile): InsightsValidation {
  const doc = file.docs[0];
  if (!doc) return { problems: [{ path: '', message: 'the file is empty; it needs at least a `header`', location: rangeLocation(file, 0, 0) }] };
  const header = isMap(doc.contents) ? getPair(doc.contents, 'header') : undefined;
  const versionPair = header && isMap(header.value) ? getPair(header.value, 'schema-version') : undefined;
  const schemaVersion = versionPair ? scalarString(versionPair.value) : undefined;
  if (schemaVersion && /^1\./.test(schemaVersion)) {
    return {
      schemaVersion,
      problems: [
        {
          path: 'header.schema-version',
          message: `declares schema ${schemaVersion}; version 2.0.0 reorganised the file (header / project / repository), so this file cannot be read as 2.0`,
          location: locationOf(file, versionPair!.value) ?? rangeLocation(file, 0, 0),
        },
      ],
    };
  }
  const value = doc.toJS({ maxAliasCount: 100 }) as unknown;
  // Values still Steward's "FILL IN: …" placeholder: the file is not finished until a maintainer
  // answers them. Reported as that, not as the type error a placeholder in a boolean field also is.
  const placeholders: { path: PropertyKey[]; text: string }[] = [];
  const walk = (v: unknown, at: PropertyKey[]) => {
    if (isPlaceholder(v)) placeholders.push({ path: at, text: v.trim().slice(FILL_IN.trim().length).trim() });
    else if (Array.isArray(v)) v.forEach((x, i) => walk(x, [...at, i]));
    else if (v && typeof v === 'object' && !(v instanceof Date)) for (const [k, x] of Object.entries(v)) walk(x, [...at, k]);
  };
  walk(value, []);
  const held = new Set(placeholders.map((p) => pathText(p.path)));
  const r = SecurityInsights.safeParse(value ?? {});
  if (r.success && !placeholders.length) return { schemaVersion, problems: [], doc: r.data };
  const problems: InsightsProblem[] = placeholders.map((p) => {
    const at = locate(file, doc, p.path);
    const node: unknown = at.found ? doc.getIn(p.path as (string | number)[], true) : undefined;
    const location: Location = (node ? locationOf(file, node) : undefined) ?? at.location;
    return { path: pathText(p.path), message: `is left for a maintainer to fill in: ${p.text}`, location };
  });
  for (const issue of r.success ? [] : r.error.issues) {
    if (held.has(pathText(issue.path))) continue;
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        const at = locate(file, doc, [...issue.path, key]);
        problems.push({ path: pathText([...issue.path, key]), message: 'is not a field of the Security Insights 2.0 schema (misspelt, or from another version?)', location: at.location });
      }
      continue;
    }
    const at = locate(file, doc, issue.path);
    const missing = !at.found && issue.code === 'invalid_type';
    problems.push({
      path: pathText(issue.path),
      message: missing ? 'is required but missing' : issue.code === 'invalid_union' ? 'must be a date written YYYY-MM-DD' : issue.message.replace(/^Invalid input: /, '').replace(/^Invalid option: expected/, 'must be'),
      location: at.location,
    });
  }
  problems.sort((a, b) => a.location.start.line - b.location.start.line || a.location.start.column - b.location.start.column || localeOrder(a.path, b.path));
  return { schemaVersion, problems };
}
