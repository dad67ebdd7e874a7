import { deref, isMap, isScalar, keyString, pairs, scalarString, type YamlFile } from '../yaml/parse';

// The one reader of a `permissions:` value as written, shared by the permissions analysis, its fix and
// the checks that grade a job by what its token may do (unpinned-actions), so they agree on what a
// block grants.

export type DeclaredPermissions =
  /** `permissions: read-all` / `write-all`. */
  | { kind: 'all'; level: 'read' | 'write' }
  /** A mapping: every entry as written (not validated); key undefined for a key that is not plain text. */
  | { kind: 'map'; entries: { key: string | undefined; level: string | undefined }[] }
  /** Any other scalar or shape (an empty value, a list, an expression). */
  | { kind: 'other' };

export function declaredPermissions(value: unknown, file: YamlFile): DeclaredPermissions {
  const v = deref(value, file);
  if (isScalar(v)) {
    const s = scalarString(v);
    return s === 'write-all' ? { kind: 'all', level: 'write' } : s === 'read-all' ? { kind: 'all', level: 'read' } : { kind: 'other' };
  }
  if (!isMap(v)) return { kind: 'other' };
  const entries = pairs(v).map((p) => ({ key: keyString(p), level: scalarString(deref(p.value, file)) }));
  return { kind: 'map', entries };
}
