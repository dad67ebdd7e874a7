import { parseAllDocuments } from 'yaml';
import type { Document } from 'yaml';
import { fastParse } from '../../src/core/yaml/fast';
import { YAML_OPTIONS } from '../../src/core/yaml/parse';
import { yamlDocDiff } from './yaml-compare';

/** Comments are the one thing the fast front end leaves out (no scan consumer reads them). */
function stripComments(doc: Document.Parsed): void {
  const seen = new Set<unknown>();
  const stack: unknown[] = [doc.contents];
  while (stack.length) {
    const n = stack.pop() as Record<string, unknown> | null;
    if (!n || typeof n !== 'object' || seen.has(n)) continue;
    seen.add(n);
    delete n.comment;
    delete n.commentBefore;
    delete n.spaceBefore;
    for (const k of ['key', 'value', 'items']) {
      const v = n[k];
      if (Array.isArray(v)) stack.push(...v);
      else if (v && typeof v === 'object') stack.push(v);
    }
  }
  doc.comment = null;
  doc.commentBefore = null;
}

/** 'declined', or where fastParse and parseAllDocuments differ, or undefined when they agree. */
export function fastVsYaml(text: string): string | undefined {
  const fast = fastParse(text, YAML_OPTIONS);
  if (!fast) return 'declined';
  const slow = parseAllDocuments(text, YAML_OPTIONS) as Document.Parsed[];
  if (!Array.isArray(slow)) return 'yaml gave no documents';
  if (slow.some((d) => d.errors.length || d.warnings.length)) return 'fast accepted what yaml reports errors for';
  if (slow.length !== fast.length) return `documents: ${fast.length} != ${slow.length}`;
  for (let i = 0; i < slow.length; i++) {
    stripComments(slow[i]);
    const d = yamlDocDiff(fast[i], slow[i]);
    if (d) return d;
  }
  return undefined;
}
