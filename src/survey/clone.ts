import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { redact } from '../github/errors';
import { runLockedDownGit } from '../github/git';

// A shallow clone of a surveyed repository into a folder the user picked, for "Open posture" and
// "Prepare contribution": one locked-down git (no hooks, no credential helpers, no filter drivers of
// any configuration, only https/http/ssh transports unless file:// is allowed for tests), depth 1,
// the default branch only. git runs in the temporary folder, never in the user's folder, so a
// repository around the destination has no say in how it runs. A destination that already holds a
// clone of the same repository is reused (picking the same folder twice is not an error).

export type CloneErrorKind = 'network' | 'gone' | 'exists' | 'failed';

export class CloneError extends Error {
  constructor(
    readonly kind: CloneErrorKind,
    message: string,
  ) {
    super(message);
    this.name = 'CloneError';
  }
}

export interface CloneOptions {
  /** What to clone (https://host/owner/repo.git). */
  url: string;
  /** The new folder (must not exist, or be empty, or already be a clone of `url`). */
  dest: string;
  /** Shown in messages ("owner/repo"). */
  label: string;
  env?: NodeJS.ProcessEnv;
  /** Tests: let git read repositories on disk (file://). */
  allowFile?: boolean;
  timeoutMs?: number;
}

export interface CloneResult {
  dir: string;
  /** The folder was already a clone of this repository. */
  reused: boolean;
}

const sameRemote = (a: string, b: string) => a.replace(/\.git$/, '').replace(/\/+$/, '').toLowerCase() === b.replace(/\.git$/, '').replace(/\/+$/, '').toLowerCase();

async function existing(o: CloneOptions): Promise<'absent' | 'empty' | 'same' | 'other'> {
  let entries: string[];
  try {
    entries = await fs.readdir(o.dest);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return 'absent';
    if (code === 'ENOTDIR') return 'other';
    throw new CloneError('failed', `cannot read ${o.dest}: ${code ?? (e as Error).message}`);
  }
  if (!entries.length) return 'empty';
  if (!entries.includes('.git')) return 'other';
  const r = await runLockedDownGit(o.dest, ['config', '--get', 'remote.origin.url'], { env: o.env, allowFile: o.allowFile, timeoutMs: 10_000 });
  return r.code === 0 && sameRemote(r.stdout.toString('utf8').trim(), o.url) ? 'same' : 'other';
}

/** One sentence for git's complaint (the URL host named, never a token: none is sent). */
export function cloneFailure(stderr: string, o: Pick<CloneOptions, 'url' | 'label'>): CloneError {
  const text = redact(stderr).trim();
  let host = o.url;
  try {
    host = new URL(o.url).host;
  } catch {
    // a path (tests): keep it
  }
  if (/could not resolve host|failed to connect|connection refused|couldn't connect|timed out|network is unreachable|unable to access/i.test(text) && !/\b(404|not found)\b/i.test(text)) {
    return new CloneError('network', `cannot reach ${host} to clone ${o.label} (offline?)`);
  }
  if (/repository .* not found|not found|does not appear to be a git repository|\b404\b|does not exist/i.test(text)) {
    return new CloneError('gone', `${o.label} cannot be cloned: the repository does not exist any more (or is private)`);
  }
  const last = text.split('\n').map((l) => l.replace(/^(fatal|error): /, '').trim()).filter(Boolean).pop() ?? 'unknown error';
  return new CloneError('failed', `cloning ${o.label} failed: ${last}`);
}

export async function shallowClone(o: CloneOptions): Promise<CloneResult> {
  const dest = path.resolve(o.dest);
  const state = await existing({ ...o, dest });
  if (state === 'same') return { dir: dest, reused: true };
  if (state === 'other') throw new CloneError('exists', `${dest} already exists and is not an empty folder: pick a new or empty folder`);
  const r = await runLockedDownGit(os.tmpdir(), ['clone', '--depth', '1', '--single-branch', '--no-tags', '--quiet', '--', o.url, dest], {
    env: o.env,
    allowFile: o.allowFile,
    timeoutMs: o.timeoutMs ?? 120_000,
  });
  if (r.code !== 0) {
    // git removes the folder it created; an empty folder the user picked stays as it was.
    throw cloneFailure(r.stderr, o);
  }
  return { dir: dest, reused: false };
}
