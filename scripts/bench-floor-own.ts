// The read-and-parse floor once more, parsed the way Steward's scan parses: parseDocs of
// src/core/yaml/parse.ts (the fast front end of fast.ts, falling back to `yaml` for what it declines).
// The benchmark's goals are against the plain `yaml` floor (bench-floor.ts); this one shows how much of
// a ratio below it comes from the faster parser and how much from the rest of the scan:
//   node dist/bench-floor-own.js REPO...
import { parseDocs } from '../src/core/yaml/parse';
import { floor } from './bench-floor';

/** Walk, read, decode and parse one repository with Steward's parser; returns the number of documents. */
export function floorOwn(root: string): number {
  return floor(root, parseDocs);
}

// Bundled into dist/bench.js too (for floorOwn()): run only as its own entry point.
if (require.main === module && /bench-floor-own\.[jt]s$/.test(__filename)) {
  let docs = 0;
  for (const dir of process.argv.slice(2)) docs += floorOwn(dir);
  process.stdout.write(`${docs}\n`);
}
