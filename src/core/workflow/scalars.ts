import { isMap, isPair, isScalar, isSeq, type Scalar } from 'yaml';
import type { YamlFile } from '../yaml/parse';

/** Every scalar of a parsed file that holds `${{` (keys included), in source order, each once (aliases are not followed). */
export function expressionScalars(file: YamlFile): Scalar[] {
  return walkExpressionScalars(file, () => true);
}

/**
 * The walk of both functions: scalars holding `${{`, only below collections whose range `holds` says
 * yes to. A plain walk over maps, sequences and pairs: yaml's visit() builds a frozen ancestor path
 * for every node, which cost more than the rest of the check on large workflows.
 */
function walkExpressionScalars(file: YamlFile, holds: (range: [number, number, number] | null | undefined) => boolean): Scalar[] {
  const out: Scalar[] = [];
  const stack: unknown[] = [];
  for (const doc of file.docs) {
    stack.push(doc.contents);
    while (stack.length) {
      const node = stack.pop();
      if (isScalar(node)) {
        if (typeof node.value === 'string' && node.value.includes('${{') && holds(node.range)) out.push(node);
      } else if (isMap(node) || isSeq(node)) {
        if (holds(node.range)) for (const item of node.items) stack.push(item);
      } else if (isPair(node)) {
        stack.push(node.key, node.value);
      }
    }
  }
  return out.sort((a, b) => (a.range?.[0] ?? 0) - (b.range?.[0] ?? 0));
}

/**
 * The scalars of expressionScalars(file) that can hold `word` in their value, in source order: parts
 * of the file whose source holds no match of `word` (nor a backslash, which a double-quoted escape
 * could spell it with) are not walked. Decoding a scalar without escapes only drops indentation,
 * quotes and line breaks (folded to spaces), so a value matching `word` (letters, no spaces) has the
 * match in its own source, inside the ranges of every node above it. `word` must be global.
 * Callers test the value themselves: the list may hold scalars whose value does not match.
 */
export function expressionScalarsNear(file: YamlFile, word: RegExp): Scalar[] {
  const at: number[] = [];
  word.lastIndex = 0;
  for (let m = word.exec(file.text); m; m = word.exec(file.text)) at.push(m.index);
  for (let i = file.text.indexOf('\\'); i >= 0; i = file.text.indexOf('\\', i + 1)) at.push(i);
  at.sort((a, b) => a - b);
  // Whether a match or a backslash starts in [s, e).
  const holds = (range: [number, number, number] | null | undefined): boolean => {
    if (!range) return true;
    const [s, , e] = range;
    let lo = 0;
    let hi = at.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (at[mid] < s) lo = mid + 1;
      else hi = mid;
    }
    return lo < at.length && at[lo] < e;
  };
  if (!at.length) return [];
  return walkExpressionScalars(file, holds);
}
