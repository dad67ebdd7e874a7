// The read-and-parse floor of `npm run bench`: the least any YAML tool must do with a repository —
// find its files, read the ones the scan parses (the YAML kinds of src/core/repo/classify.ts), decode
// them and parse them with the same `yaml` and the same options as src/core/yaml/parse.ts. Bundled
// on its own (dist/bench-floor.js) so a cold run of it is a fresh process that loads only `yaml`:
//   node dist/bench-floor.js REPO...
// The benchmark also calls floor() in-process for the warm comparison: the same work both ways.
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { classifyPath, YAML_KINDS } from '../src/core/repo/classify';

const SKIP = new Set(['.git', 'node_modules']);

/** Repository-relative paths of the files the scan would parse, by a plain synchronous walk. */
export function yamlPathsOf(root: string): string[] {
  const out: string[] = [];
  const queue = [''];
  for (let i = 0; i < queue.length; i++) {
    const rel = queue[i];
    for (const e of readdirSync(rel ? path.join(root, rel) : root, { withFileTypes: true })) {
      const p = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) {
        if (!SKIP.has(e.name)) queue.push(p);
      } else if (e.isFile() && YAML_KINDS.has(classifyPath(p))) out.push(p);
    }
  }
  return out;
}

/** Walk, read, decode and parse one repository (with `yaml`, or `parse`); returns the number of documents (so nothing is optimised away). */
export function floor(root: string, parse: (text: string) => readonly unknown[] = plainYaml): number {
  const dec = new TextDecoder();
  let docs = 0;
  for (const p of yamlPathsOf(root)) docs += parse(dec.decode(readFileSync(path.join(root, p)))).length;
  return docs;
}

function plainYaml(text: string): readonly unknown[] {
  return parseAllDocuments(text, { prettyErrors: false, strict: false, uniqueKeys: false });
}

// Bundled into dist/bench.js too (for floor()): run only as its own entry point.
if (require.main === module && /bench-floor\.[jt]s$/.test(__filename)) {
  let docs = 0;
  for (const dir of process.argv.slice(2)) docs += floor(dir);
  process.stdout.write(`${docs}\n`);
}
