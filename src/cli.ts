#!/usr/bin/env node
import { main } from './cli/main';
import { whenFlushed } from './cli/io';

/**
 * Runs the CLI with `argv` and exits. `beforeExit` runs once the command is done and before the
 * process exits (the start-up loader in src/cli/start.ts saves its compile cache there).
 */
export function start(argv: string[], beforeExit: () => Promise<void> = async () => undefined): void {
  main(argv).then(
    async (code) => {
      process.exitCode = code;
      await beforeExit().catch(() => undefined);
      // A network lookup that was given up on (see src/cli/online.ts) may still hold a socket: once the
      // command is done, exit as soon as stdout has been flushed instead of waiting for it.
      whenFlushed(() => process.exit(code));
    },
    (e) => {
      process.stderr.write(`steward: internal error: ${e instanceof Error ? e.message : String(e)}\n`);
      process.exitCode = 3;
    },
  );
}

// Run directly (`node --require tsx/cjs src/cli.ts`, tests): start at once. Bundled, dist/cli.js
// (src/cli/start.ts) loads this as dist/cli-main.js and calls start() itself.
if (require.main === module) start(process.argv.slice(2));
