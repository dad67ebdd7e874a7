import { existsSync, readdirSync } from 'node:fs';
import * as path from 'node:path';

// The real-repository corpora live beside the checkout (../shared/corpus), never inside it, so these
// tests run only in `npm run test:corpus`. A missing corpus is a failure there, not a silent skip:
// a suite that skips everything would pass while checking nothing.

/** Where the corpora are expected: `<checkout>/../shared/corpus`, or STEWARD_CORPUS when set. */
export const CORPUS_ROOT = process.env.STEWARD_CORPUS ? path.resolve(process.env.STEWARD_CORPUS) : path.resolve(__dirname, '../../../shared/corpus');

/** One corpus folder (`real`, `real-b`), or a one-line error naming where it was looked for. */
export function corpusDir(name: string): string {
  const dir = path.join(CORPUS_ROOT, name);
  if (!existsSync(dir) || readdirSync(dir).length === 0) throw new Error(`corpus "${name}" is missing: expected repositories in ${dir}`);
  return dir;
}
