import { classifyPath, YAML_KINDS } from '../repo/classify';
import { parseYaml } from '../yaml/parse';

// What a fixed file must still be before anything is written. Fixes are planned per finding against
// the original text; two of them can each be fine alone and wrong together (a new Dependabot entry
// and a cooldown inserted at the same offset gave one entry two `cooldown:` keys). The whole result
// of a file is therefore parsed again: GitHub rejects YAML with duplicate keys, and so does this.

/** Why `after` is not a usable version of the file, or undefined when it is (or the file was broken before). */
export function fixedTextProblem(path: string, before: string | undefined, after: string): string | undefined {
  const kind = classifyPath(path);
  const yamlLike = YAML_KINDS.has(kind) || /\.ya?ml$/i.test(path);
  if (!yamlLike) return undefined;
  // A file that did not parse before is not made worse by a fix that leaves it unparseable.
  if (before !== undefined && parseYaml(path, before).errors.length) return undefined;
  const errors = parseYaml(path, after).errors;
  if (!errors.length) return undefined;
  const e = errors[0];
  return `the fixed ${path} would not parse (line ${e.line}: ${e.message})`;
}
