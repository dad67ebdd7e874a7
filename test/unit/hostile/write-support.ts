import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { main } from '../../../src/cli/main';
import type { Output } from '../../../src/cli/io';

// Shared by the hostile write/encoding/escape tests: a repository inside a temporary parent folder,
// next to a "victim" file the repository's links point at. Everything outside the repository is
// hashed before and after each run, so a write (or a created file) outside it fails the test.

export interface HostileRepo {
  parent: string;
  root: string;
  victim: string;
  /** Creates files (text or bytes) inside the repository. */
  files(spec: Record<string, string | Uint8Array>): void;
  /** Hashes of everything under the parent except the repository. */
  outside(): Record<string, string>;
  cleanup(): void;
}

export const VICTIM_TEXT = 'root:x:0:0:precious victim file\n';

export function hostileRepo(prefix = 'steward-hostile-'): HostileRepo {
  const parent = mkdtempSync(path.join(tmpdir(), prefix));
  const root = path.join(parent, 'repo');
  mkdirSync(path.join(root, '.git'), { recursive: true });
  writeFileSync(path.join(root, '.git/config'), '[remote "origin"]\n\turl = https://github.com/octo/widget.git\n');
  const victim = path.join(parent, 'victim.txt');
  writeFileSync(victim, VICTIM_TEXT);
  writeFileSync(path.join(parent, 'neighbour.md'), '# not part of the repository\n');
  return {
    parent,
    root,
    victim,
    files(spec) {
      for (const [rel, data] of Object.entries(spec)) {
        const abs = path.join(root, rel);
        mkdirSync(path.dirname(abs), { recursive: true });
        writeFileSync(abs, data);
      }
    },
    outside: () => hashTree(parent, (rel) => rel === 'repo' || rel.startsWith('repo' + path.sep)),
    cleanup: () => rmSync(parent, { recursive: true, force: true }),
  };
}

/** Every entry under `dir` with a hash of its content (a link by its target), skipping `skip`. */
export function hashTree(dir: string, skip: (rel: string) => boolean = () => false): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const abs = path.join(d, name);
      const rel = path.relative(dir, abs);
      if (skip(rel)) continue;
      const st = lstatSync(abs);
      if (st.isSymbolicLink()) out[rel] = `link ${readlinkSync(abs)}`;
      else if (st.isDirectory()) {
        out[rel + '/'] = `dir ${st.mode & 0o7777}`;
        walk(abs);
      } else if (st.isFile()) out[rel] = `file ${st.mode & 0o7777} ${createHash('sha256').update(readFileSync(abs)).digest('hex')}`;
      else out[rel] = 'special';
    }
  };
  walk(dir);
  return out;
}

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the real CLI in-process (as src/cli/main.test.ts does) with stdout/stderr captured. */
export async function cli(cwd: string, argv: string[], env: NodeJS.ProcessEnv = {}): Promise<CliRun> {
  const o: Output & { stdout: string; stderr: string } = {
    stdout: '',
    stderr: '',
    isTTY: false,
    env: { NO_COLOR: '1', STEWARD_CACHE_DIR: path.join(cwd, '.git', 'steward-test-cache'), ...env },
    cwd,
    out: (s: string) => void (o.stdout += s),
    err: (s: string) => void (o.stderr += s),
  };
  const code = await main(argv, o);
  return { code, stdout: o.stdout, stderr: o.stderr };
}

/** Asserts a refusal: exit 2, one `steward: ...` line on stderr matching `message`, no stack trace. */
export function assertRefused(r: CliRun, message: RegExp, what: string): void {
  assert.equal(r.code, 2, `${what}: exit ${r.code}\n${r.stderr}`);
  const err = r.stderr.replace(/^note: [^\n]*\n/gm, '');
  assert.match(err, /^steward: [^\n]+\n$/, `${what}: not one line: ${JSON.stringify(r.stderr)}`);
  assert.match(err, message, what);
  assert.doesNotMatch(r.stderr + r.stdout, /internal error|\n\s+at |Error:/, what);
}
