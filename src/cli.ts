#!/usr/bin/env node
import { main } from './cli/main';

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
    // A network lookup that was given up on (see src/cli/online.ts) may still hold a socket: once the
    // command is done, exit as soon as stdout has been flushed instead of waiting for it.
    process.stdout.write('', () => process.exit(code));
  },
  (e) => {
    process.stderr.write(`steward: internal error: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 3;
  },
);
