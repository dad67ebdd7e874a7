import { isMap, isPair, isScalar, isSeq, type Scalar } from 'yaml';
import type { YamlFile } from '../yaml/parse';

/** Every scalar of a parsed file that holds `${{` (keys included), in source order, each once (aliases are not followed). */
export function expressionScalars(file: YamlFile): Scalar[] {
  const out: Scalar[] = [];
  // A plain walk over maps, sequences and pairs: yaml's visit() builds a frozen ancestor path for
  // every node, which cost more than the rest of the check on large workflows.
  const stack: unknown[] = [];
  for (const doc of file.docs) {
    stack.push(doc.contents);
    while (stack.length) {
      const node = stack.pop();
      if (isScalar(node)) {
        if (typeof node.value === 'string' && node.value.includes('${{')) out.push(node);
      } else if (isMap(node) || isSeq(node)) {
        for (const item of node.items) stack.push(item);
      } else if (isPair(node)) {
        stack.push(node.key, node.value);
      }
    }
  }
  return out.sort((a, b) => (a.range?.[0] ?? 0) - (b.range?.[0] ?? 0));
}
