import { visit, isScalar, type Scalar } from 'yaml';
import type { YamlFile } from '../yaml/parse';

/** Every scalar of a parsed file that holds `${{` (keys included), in source order, each once (aliases are not followed). */
export function expressionScalars(file: YamlFile): Scalar[] {
  const out: Scalar[] = [];
  for (const doc of file.docs) {
    visit(doc, {
      Scalar(_key, node) {
        if (isScalar(node) && typeof node.value === 'string' && node.value.includes('${{')) out.push(node);
      },
    });
  }
  return out.sort((a, b) => (a.range?.[0] ?? 0) - (b.range?.[0] ?? 0));
}
