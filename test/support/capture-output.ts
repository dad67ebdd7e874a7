import type { Output } from '../../src/cli/io';

/** An Output for calling the CLI's main in-process: collects what it prints, with no terminal. */
export function captureOutput(env: NodeJS.ProcessEnv, cwd: string): Output & { stdout: string; stderr: string } {
  const o = {
    stdout: '',
    stderr: '',
    out(s: string) {
      o.stdout += s;
    },
    err(s: string) {
      o.stderr += s;
    },
    isTTY: false,
    env,
    cwd,
  };
  return o;
}
