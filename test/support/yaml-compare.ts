import type { Document } from 'yaml';

/**
 * Where two parsed YAML documents differ, or undefined when nothing a check could look at does: the
 * same classes (prototypes), the same own properties (symbols included: the yaml package's node types)
 * with the same values, every range and comment. A collection's `schema` must be its document's.
 */
export function yamlDocDiff(a: Document.Parsed, b: Document.Parsed): string | undefined {
  return diff(a, b, '$', a, b);
}

function diff(a: unknown, b: unknown, at: string, docA: Document.Parsed, docB: Document.Parsed): string | undefined {
  if (a === b) return undefined;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== 'object') return `${at}: ${show(a)} != ${show(b)}`;
  if (Array.isArray(a) !== Array.isArray(b)) return `${at}: array vs non-array`;
  if (Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return `${at}: class ${(a as object).constructor?.name} != ${(b as object).constructor?.name}`;
  const ka = Reflect.ownKeys(a as object);
  const kb = Reflect.ownKeys(b as object);
  const sa = ka.map(String).sort().join(',');
  const sb = kb.map(String).sort().join(',');
  if (sa !== sb) return `${at}: properties [${sa}] != [${sb}]`;
  for (const k of ka) {
    const va = (a as Record<PropertyKey, unknown>)[k];
    const vb = (b as Record<PropertyKey, unknown>)[k];
    if (k === 'schema') {
      // Each document has its own Schema object; what matters is that nodes use their document's.
      const want = at === '$' ? undefined : [docA.schema, docB.schema];
      if (want && (va !== want[0] || vb !== want[1])) return `${at}.schema: not the document's schema`;
      continue;
    }
    const d = diff(va, vb, `${at}.${String(k)}`, docA, docB);
    if (d) return d;
  }
  const da = Object.getOwnPropertyDescriptors(a);
  const db = Object.getOwnPropertyDescriptors(b);
  for (const k of Reflect.ownKeys(da)) {
    const x = da[k as string];
    const y = db[k as string];
    if (x.enumerable !== y.enumerable || x.writable !== y.writable || x.configurable !== y.configurable) return `${at}.${String(k)}: property flags differ`;
  }
  return undefined;
}

function show(v: unknown): string {
  return typeof v === 'string' ? JSON.stringify(v.length > 60 ? v.slice(0, 60) + '…' : v) : String(v);
}
