import * as path from 'node:path';
import { fstatSync, lstatSync, writeSync } from 'node:fs';
import { DiskSnapshot, pathKind } from '../core/repo/disk';
import { MemorySnapshot, type RepoSnapshot } from '../core/repo/snapshot';
import { classifyLoose, type FileKind } from '../core/repo/classify';
import { decodeText } from '../core/yaml/text';
import { COLORS, NO_COLORS, type Colors } from '../core/report/text';
import { UsageError } from './errors';
import { escapeTerminal } from '../core/report/escape';
import { writeOutputFile as writeUserFile, writeRepoFile, WriteRefused } from '../core/fs/safe-write';

export interface Output {
  out(s: string): void;
  err(s: string): void;
  isTTY: boolean;
  env: NodeJS.ProcessEnv;
  cwd: string;
}

/** Set once output went through process.stdout/stderr: the exit then waits for them (see whenFlushed). */
let streamsUsed = false;

/**
 * Writes straight to the file descriptor where that is what the stream would do: on Linux and macOS,
 * writes to files, pipes and terminals through process.stdout are synchronous anyway, and creating
 * process.stdout loads Node's stream machinery, a few milliseconds of every command (issue 19). A pipe
 * someone made non-blocking (EAGAIN) gets the rest through the stream; a reader that went away (EPIPE)
 * gets nothing more, as with the stream. Windows keeps the streams (console encoding).
 */
function writeOut(fd: 1 | 2, s: string): void {
  let rest: string | Buffer = s;
  if (!streamsUsed && process.platform !== 'win32') {
    const b = Buffer.from(s, 'utf8');
    let off = 0;
    try {
      while (off < b.length) off += writeSync(fd, b, off, b.length - off);
      return;
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EPIPE') return;
      if (code !== 'EAGAIN') throw e;
      rest = b.subarray(off);
    }
  }
  streamsUsed = true;
  (fd === 1 ? process.stdout : process.stderr).write(rest);
}

/** Calls `done` once everything written through processOutput has reached the operating system. */
export function whenFlushed(done: () => void): void {
  if (streamsUsed) process.stdout.write('', () => process.stderr.write('', done));
  else done();
}

/**
 * Whether `fd` is a terminal. A terminal is a character device, so anything else (a file, a pipe: what
 * every scripted run has) is answered from one fstat; only a character device asks node:tty, whose
 * loading pulls in net and the stream machinery (several milliseconds of every start, issue 19).
 * Not process.stdout.isTTY: asking the stream creates it.
 */
export function fdIsTerminal(fd: number): boolean {
  try {
    if (!fstatSync(fd).isCharacterDevice()) return false;
  } catch {
    return false;
  }
  return (require('node:tty') as typeof import('node:tty')).isatty(fd);
}

let stdoutIsTTY: boolean | undefined;

export const processOutput: Output = {
  out: (s) => writeOut(1, s),
  err: (s) => writeOut(2, s),
  // Asked when a command needs it (colours), once.
  get isTTY() {
    stdoutIsTTY ??= fdIsTerminal(1);
    return stdoutIsTTY;
  },
  env: process.env,
  cwd: process.cwd(),
};

export function colorsFor(o: Output): Colors {
  if (o.env.NO_COLOR !== undefined && o.env.NO_COLOR !== '') return NO_COLORS;
  if (o.env.FORCE_COLOR && o.env.FORCE_COLOR !== '0') return COLORS;
  return o.isTTY ? COLORS : NO_COLORS;
}

const toPosix = (p: string) => p.split(path.sep).join('/');

const FS_ERRORS: Record<string, string> = {
  ENOENT: 'no such file',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EISDIR: 'it is a folder',
  ENOTDIR: 'a part of the path is not a folder',
  EEXIST: 'a file is in the way of a folder',
};

/** A file-system error in words (`no such file`), not an errno code, for one-line CLI messages. */
export function fsErrorText(e: unknown): string {
  const code = (e as NodeJS.ErrnoException)?.code;
  return (code && FS_ERRORS[code]) ?? code ?? (e instanceof Error ? e.message : String(e));
}

/** A write failure as one line naming the file as the user sees it (`shown`). */
export function writeErrorText(e: unknown, shown: string): string {
  if (e instanceof WriteRefused) return `refused to write ${escapeTerminal(shown)}: ${e.reason}`;
  return `cannot write ${shown}: ${fsErrorText(e)}`;
}

/** Writes an output file named on the command line (relative to the working directory); a failure is one line. */
export async function writeOutputFile(o: Output, file: string, text: string): Promise<void> {
  try {
    await writeUserFile(path.resolve(o.cwd, file), text);
  } catch (e) {
    throw new UsageError(writeErrorText(e, file));
  }
}

/**
 * Writes `rel` inside the repository at `root` through the one write path (no links, no `..`, no
 * FIFOs, atomic, parents created); a failure or refusal is a one-line UsageError.
 */
export async function writeRepoText(root: string, rel: string, text: string): Promise<void> {
  try {
    await writeRepoFile(root, rel, text);
  } catch (e) {
    throw new UsageError(writeErrorText(e, rel));
  }
}

/**
 * The one repository folder a command works on (its PATH argument, default `.`), resolved against
 * the working directory. A missing or wrong path is a user mistake: a one-line UsageError (exit 2).
 */
export async function repoFolderArg(positionals: readonly string[], cwd: string, command: string): Promise<string> {
  if (positionals.length > 1) throw new UsageError(`steward ${command} takes one repository folder (got ${positionals.length} paths)`);
  const rel = positionals[0] ?? '.';
  const root = path.resolve(cwd, rel);
  const kind = await pathKind(root);
  if (kind === 'missing') throw new UsageError(`no such folder: ${rel}`);
  if (kind !== 'dir') throw new UsageError(`not a folder: ${rel}`);
  return root;
}

/**
 * Turns the PATH arguments into snapshots: each folder is a repository; loose files are scanned
 * together as one partial snapshot (classified by name and content).
 */
export async function snapshotsFor(args: readonly string[], cwd: string): Promise<RepoSnapshot[]> {
  const targets = args.length ? args : ['.'];
  const snaps: RepoSnapshot[] = [];
  const loose: { rel: string; abs: string }[] = [];
  for (const t of targets) {
    const abs = path.resolve(cwd, t);
    const kind = await pathKind(abs);
    if (kind === 'missing') throw new UsageError(`no such file or folder: ${t}`);
    if (kind === 'dir') snaps.push(new DiskSnapshot(abs));
    else loose.push({ rel: toPosix(path.relative(cwd, abs)) || path.basename(abs), abs });
  }
  if (loose.length) {
    const files: Record<string, Uint8Array> = {};
    const kinds: Record<string, FileKind> = {};
    for (const f of loose) {
      // Read by the same rules as a folder scan (no link out of the repository, no FIFO), so
      // `fix .github/workflows/ci.yml` and `fix .` see, and refuse, the same files.
      const at = await looseLocation(f.abs, cwd);
      const disk = new DiskSnapshot(at.root);
      let bytes: Uint8Array | undefined;
      try {
        bytes = await disk.readFile(at.rel);
      } catch (e) {
        throw new UsageError(`cannot read ${f.rel}: ${fsErrorText(e)}`);
      }
      if (!bytes) throw new UsageError(`cannot read ${f.rel}: ${disk.readError(at.rel) ?? 'it is not a regular file'}`);
      const rel = f.rel.startsWith('../') ? toPosix(path.basename(f.abs)) : f.rel;
      files[rel] = bytes;
      kinds[rel] = classifyLoose(rel, decodeText(bytes.subarray(0, 200_000)).text);
    }
    snaps.push(new MemorySnapshot('files', files, [], cwd, kinds, true));
  }
  return snaps;
}

/**
 * The repository a loose file belongs to, and its path there: the nearest folder above it (by name,
 * not following links) that has a `.git`, else the working directory when the file is under it, else
 * the file's own folder. Reads and writes of the file are confined to that root, so a link among its
 * parent folders (`.github -> /elsewhere`) is refused as it is in a folder scan.
 */
function exists(p: string): boolean {
  try {
    return lstatSync(p, { throwIfNoEntry: false }) !== undefined;
  } catch {
    return false;
  }
}

export async function looseLocation(abs: string, cwd: string): Promise<{ root: string; rel: string }> {
  const file = path.resolve(abs);
  for (let dir = path.dirname(file); ; dir = path.dirname(dir)) {
    if (exists(path.join(dir, '.git'))) return { root: dir, rel: toPosix(path.relative(dir, file)) };
    if (path.dirname(dir) === dir) break;
  }
  const base = path.resolve(cwd);
  const inCwd = path.relative(base, file);
  if (inCwd && !inCwd.startsWith('..') && !path.isAbsolute(inCwd)) return { root: base, rel: toPosix(inCwd) };
  return { root: path.dirname(file), rel: path.basename(file) };
}
