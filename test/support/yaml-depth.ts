/** A parsed YAML node's depth: collections nested in collections (a scalar is 0). */
export function treeDepth(n: unknown): number {
  const items = (n as { items?: unknown[] })?.items;
  if (!Array.isArray(items)) return 0;
  let d = 0;
  for (const it of items) {
    const p = it as { key?: unknown; value?: unknown };
    d = Math.max(d, p && typeof p === 'object' && 'value' in p ? Math.max(treeDepth(p.key), treeDepth(p.value)) : treeDepth(it));
  }
  return d + 1;
}
