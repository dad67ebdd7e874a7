import type { Scalar } from 'yaml';
import { contextRefs, findExpressions, normalizeExpression, type ContextRef, type ExpressionSpan } from '../yaml/expressions';
import type { YamlFile } from '../yaml/parse';

// Expressions inside one YAML scalar, seen twice: in the decoded value (what GitHub evaluates, so what
// we analyse) and in the raw source (where a finding points and where a fix edits). Block scalars,
// folded plain scalars and quoted scalars all decode differently, so offsets are never converted; the
// i-th expression of the value is paired with the i-th `${{` of the source instead.

export interface ScalarExpression {
  /** Span in the decoded value. */
  value: ExpressionSpan;
  /** Span in the file text (absolute offsets), when the source could be paired with the value. */
  raw?: ExpressionSpan;
  /** The inner expression with whitespace collapsed. */
  expr: string;
  refs: ContextRef[];
}

export function scalarValue(node: Scalar): string {
  const v = node.value;
  return v === null || v === undefined ? '' : String(v);
}

export function scalarExpressions(file: YamlFile, node: Scalar): ScalarExpression[] {
  const value = scalarValue(node);
  const inValue = findExpressions(value);
  if (!inValue.length) return [];
  let inRaw: ExpressionSpan[] | undefined;
  if (node.range) {
    const [s, e] = node.range;
    const raw = findExpressions(file.text.slice(s, e)).map((x) => ({ ...x, start: x.start + s, end: x.end + s, innerStart: x.innerStart + s }));
    if (raw.length === inValue.length) inRaw = raw;
  }
  return inValue.map((v, i) => ({ value: v, raw: inRaw?.[i], expr: normalizeExpression(v.inner), refs: contextRefs(v.inner) }));
}
