import type { Scalar } from 'yaml';
import type { JobModel } from '../../yaml/workflow';
import { deref, get, getMap, isMap, isScalar, isSeq, type YamlFile } from '../../yaml/parse';

// Static values a `${{ matrix.x.y }}` expression can take, read from the job's `strategy.matrix`
// (lists and `include:` entries). Used where a job setting is written as a matrix reference, so the
// finding can point at the concrete value in the matrix instead of giving up on the expression.

/** `${{ matrix.a.b }}` (the whole value) -> ['a', 'b']; anything else -> undefined. */
export function matrixPath(value: string): string[] | undefined {
  const m = /^\$\{\{\s*matrix((?:\.[A-Za-z_][\w-]*)+)\s*\}\}$/.exec(value.trim());
  return m ? m[1].slice(1).split('.') : undefined;
}

/** The nodes (scalars, lists, maps) the matrix path can resolve to; undefined when the matrix is not static. */
export function matrixNodes(job: JobModel, path: readonly string[], file: YamlFile): unknown[] | undefined {
  const matrix = deref(get(getMap(job.node, 'strategy', file), 'matrix', file), file);
  if (!isMap(matrix)) return undefined;
  const [head, ...rest] = path;
  const roots: unknown[] = [];
  const axis = deref(get(matrix, head, file), file);
  if (isSeq(axis)) roots.push(...axis.items.map((i) => deref(i, file)));
  else if (axis !== undefined) return undefined;
  const include = deref(get(matrix, 'include', file), file);
  if (isSeq(include)) {
    for (const item of include.items) {
      const v = deref(get(deref(item, file), head, file), file);
      if (v !== undefined) roots.push(v);
    }
  } else if (include !== undefined) return undefined;
  const out: unknown[] = [];
  for (const root of roots) {
    let node: unknown = root;
    for (const key of rest) node = isMap(node) ? deref(get(node, key, file), file) : undefined;
    if (node !== undefined) out.push(node);
  }
  return out;
}

/** The scalar nodes the matrix path can resolve to; undefined when some value is not a static scalar. */
export function matrixValues(job: JobModel, path: readonly string[], file: YamlFile): Scalar[] | undefined {
  const nodes = matrixNodes(job, path, file);
  if (!nodes || !nodes.every(isScalar)) return undefined;
  return nodes as Scalar[];
}
