import { promises as fs, constants as FS, closeSync, lstatSync, openSync, rmSync, unlinkSync, writeSync, type Stats } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { escapeTerminal } from '../report/escape';

// The one write path. Every file Steward creates or changes goes through this module, and a test
// (test/unit/no-other-writers.test.ts) fails when anything else in src/ calls a file-system write.
//
// Repositories are untrusted: a committed symlink (`SECURITY.md -> ../x`, `.github -> /etc`) must never
// make Steward write, create or read outside the repository, and a FIFO or device must never block it.
// So every component below the root is lstat'ed (never stat'ed), links are refused rather than followed,
// folders are created one level at a time and checked again after creation, and the data goes to a
// temporary file in the target's folder that is renamed over the target (rename replaces a link that
// appeared in between instead of following it). The temporary file is removed on every failure path and
// when the process is interrupted (SIGINT, SIGTERM, SIGHUP) or exits between the write and the rename.

/** A write (or a read before overwriting) that Steward refuses to do; the message is one line. */
export class WriteRefused extends Error {
  constructor(
    readonly target: string,
    readonly reason: string,
  ) {
    super(`refused to write ${escapeTerminal(target)}: ${reason}`);
    this.name = 'WriteRefused';
  }
}

/** What a non-regular file is, in words, or undefined for a regular file. */
function oddKind(st: Stats): string | undefined {
  if (st.isSymbolicLink()) return 'it is a symbolic link';
  if (st.isFIFO()) return 'it is a named pipe (FIFO)';
  if (st.isSocket()) return 'it is a socket';
  if (st.isCharacterDevice() || st.isBlockDevice()) return 'it is a device';
  if (st.isDirectory()) return 'it is a folder';
  if (!st.isFile()) return 'it is not a regular file';
  return undefined;
}

async function lstatOrUndefined(p: string): Promise<Stats | undefined> {
  try {
    return await fs.lstat(p);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}

// A backslash is an ordinary file-name character on POSIX (`back\\slash.yml`), a separator on Windows.
const SEPARATORS = process.platform === 'win32' ? /[\\/]+/ : /\/+/;

/**
 * The segments of a repository-relative path, refusing anything that could leave the root by name
 * (absolute paths, `..`, NUL). `a/./b` and doubled slashes are tolerated; `..` never is, even when it
 * would land inside again, because the folder it climbs out of may itself be a link.
 */
function segmentsOf(rel: string): string[] {
  const shown = rel;
  if (typeof rel !== 'string' || rel === '') throw new WriteRefused(String(rel), 'empty path');
  if (rel.includes('\0')) throw new WriteRefused(shown, 'the path contains a NUL character');
  if (path.isAbsolute(rel) || path.posix.isAbsolute(rel)) throw new WriteRefused(shown, 'the path is absolute, not inside the repository');
  const segs = rel.split(SEPARATORS).filter((s) => s !== '' && s !== '.');
  if (segs.some((s) => s === '..')) throw new WriteRefused(shown, 'the path leaves the repository (..)');
  if (!segs.length) throw new WriteRefused(shown, 'the path names the repository folder itself');
  return segs;
}

/**
 * Walks the parent folders of `segs` below `rootReal` with lstat: a link anywhere is refused, a file
 * in the way is refused. Missing folders are created when `create` is set (one level at a time, each
 * checked again after mkdir so a link raced into place is caught), else the walk stops and returns
 * undefined. Returns the real folder path.
 */
async function parentFolder(rootReal: string, segs: readonly string[], shown: string, create: boolean): Promise<string | undefined> {
  let cur = rootReal;
  for (let i = 0; i < segs.length - 1; i++) {
    cur = path.join(cur, segs[i]);
    let st = await lstatOrUndefined(cur);
    if (!st) {
      if (!create) return undefined;
      try {
        await fs.mkdir(cur);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      }
      st = await fs.lstat(cur);
    }
    const sub = segs.slice(0, i + 1).join('/');
    if (st.isSymbolicLink()) throw new WriteRefused(shown, `${escapeTerminal(sub)} is a symbolic link`);
    if (!st.isDirectory()) throw new WriteRefused(shown, `${escapeTerminal(sub)} is not a folder`);
  }
  // Belt and braces: the folder reached by name must be the same folder when its real path is taken.
  const real = await fs.realpath(cur);
  if (real !== cur) throw new WriteRefused(shown, 'a folder on the path is a symbolic link');
  return cur;
}

// --- temporary files and signals -------------------------------------------------------------------

const pending = new Set<string>();
const SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
let installed = false;

function removePendingSync(): void {
  for (const p of pending) {
    try {
      unlinkSync(p);
    } catch {
      // Already renamed or removed.
    }
  }
  pending.clear();
}

function onSignal(signal: NodeJS.Signals): void {
  removePendingSync();
  uninstall();
  // Only this module was listening: let the signal do what it would have done without us.
  if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
}

function onExit(): void {
  removePendingSync();
}

function install(): void {
  if (installed) return;
  installed = true;
  for (const s of SIGNALS) process.on(s, onSignal);
  process.on('exit', onExit);
}

function uninstall(): void {
  if (!installed) return;
  installed = false;
  for (const s of SIGNALS) process.removeListener(s, onSignal);
  process.removeListener('exit', onExit);
}

function track(p: string): void {
  pending.add(p);
  install();
}

function untrack(p: string): void {
  pending.delete(p);
  if (!pending.size) uninstall();
}

/** Temporary files currently awaiting their rename (for tests). */
export function pendingTempFiles(): string[] {
  return [...pending];
}

function tempName(dir: string, base: string): string {
  return path.join(dir, `.${base}.steward-${process.pid}-${Math.random().toString(36).slice(2, 10)}.tmp`);
}

function bytesOf(data: string | Uint8Array): Uint8Array {
  return typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
}

/**
 * Writes `data` to a fresh temporary file in `dir` (O_EXCL: never reuses or follows anything there),
 * then renames it to `target`. `check` runs right before the rename. Removes the temporary file on
 * any failure.
 */
async function atomicWrite(dir: string, target: string, data: Uint8Array, mode: number, check?: () => Promise<void>): Promise<void> {
  const tmp = tempName(dir, path.basename(target));
  track(tmp);
  try {
    const fh = await fs.open(tmp, FS.O_WRONLY | FS.O_CREAT | FS.O_EXCL | (FS.O_NOFOLLOW ?? 0), mode);
    try {
      await fh.writeFile(data);
      // The umask applied to open(); an overwritten file keeps exactly its old mode.
      await fh.chmod(mode);
    } finally {
      await fh.close();
    }
    if (check) await check();
    await fs.rename(tmp, target);
    pending.delete(tmp);
  } finally {
    if (pending.has(tmp)) await fs.rm(tmp, { force: true }).catch(() => undefined);
    untrack(tmp);
  }
}

function defaultMode(): number {
  // What fs.writeFile would create: 0666 minus the umask. process.umask() without an argument is a
  // read that Node deprecates only for workers; fall back to the usual 022.
  let mask = 0o022;
  try {
    mask = process.umask();
  } catch {
    mask = 0o022;
  }
  return 0o666 & ~mask;
}

/**
 * Creates or replaces `rel` inside the repository at `root`. The root itself may be a symlink (it is
 * resolved once); below it, any link, `..`, FIFO, socket or device is refused with a WriteRefused.
 * Missing parent folders are created. An existing file keeps its mode unless `opts.mode` is given.
 * Bytes are written as given: line breaks and BOMs are the caller's.
 */
export async function writeRepoFile(root: string, rel: string, data: string | Uint8Array, opts: { mode?: number } = {}): Promise<void> {
  const segs = segmentsOf(rel);
  const rootReal = await fs.realpath(root);
  const dir = (await parentFolder(rootReal, segs, rel, true))!;
  const target = path.join(dir, segs[segs.length - 1]);
  const st = await lstatOrUndefined(target);
  if (st) {
    const odd = oddKind(st);
    if (odd) throw new WriteRefused(rel, odd);
  }
  const mode = opts.mode ?? (st ? st.mode & 0o7777 : defaultMode());
  await atomicWrite(dir, target, bytesOf(data), mode, async () => {
    const now = await lstatOrUndefined(target);
    const odd = now && oddKind(now);
    if (odd) throw new WriteRefused(rel, odd);
  });
}

/**
 * Says whether writeRepoFile(root, rel) would be refused, without writing or creating anything (for
 * dry runs that promise to change nothing and must not promise a write that cannot happen).
 * Throws the WriteRefused the write would throw; a missing folder on the way is fine (it would be made).
 */
export async function checkRepoWrite(root: string, rel: string): Promise<void> {
  const segs = segmentsOf(rel);
  const rootReal = await fs.realpath(root);
  const dir = await parentFolder(rootReal, segs, rel, false);
  if (dir === undefined) return;
  const st = await lstatOrUndefined(path.join(dir, segs[segs.length - 1]));
  const odd = st && oddKind(st);
  if (odd) throw new WriteRefused(rel, odd);
}

/**
 * Reads `rel` inside the repository before it is overwritten or diffed: undefined when it (or a
 * parent folder) does not exist; WriteRefused for a link anywhere on the path or a file that is not a
 * regular file. Never follows a link and never blocks on a FIFO (opened non-blocking, checked again
 * on the open handle).
 */
export async function readRepoFileForOverwrite(root: string, rel: string): Promise<Buffer | undefined> {
  const segs = segmentsOf(rel);
  const rootReal = await fs.realpath(root);
  const dir = await parentFolder(rootReal, segs, rel, false);
  if (dir === undefined) return undefined;
  const target = path.join(dir, segs[segs.length - 1]);
  const st = await lstatOrUndefined(target);
  if (!st) return undefined;
  const odd = oddKind(st);
  if (odd) throw new WriteRefused(rel, odd);
  return readRegular(target, rel);
}

async function readRegular(abs: string, shown: string): Promise<Buffer> {
  const fh = await fs.open(abs, FS.O_RDONLY | (FS.O_NOFOLLOW ?? 0) | (FS.O_NONBLOCK ?? 0));
  try {
    const st = await fh.stat();
    const odd = oddKind(st);
    if (odd) throw new WriteRefused(shown, odd);
    return await fh.readFile();
  } finally {
    await fh.close();
  }
}

/**
 * Where a write to a file the user named lands: the user's own link (e.g. a report file kept elsewhere)
 * is followed to its target; a dangling link, or anything there but a regular file, is refused.
 * `st` is the target's lstat, undefined when it does not exist yet.
 */
async function outputTarget(abs: string): Promise<{ target: string; st: Stats | undefined }> {
  let target = path.resolve(abs);
  const lst = await lstatOrUndefined(target);
  if (lst?.isSymbolicLink()) {
    try {
      target = await fs.realpath(target);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
      throw new WriteRefused(abs, 'it is a dangling symbolic link');
    }
  }
  const st = lst?.isSymbolicLink() ? await lstatOrUndefined(target) : lst;
  const odd = st && oddKind(st);
  if (odd) throw new WriteRefused(abs, odd);
  return { target, st };
}

/**
 * Writes a file the user named (--output, --body-out, a cache file under the user's cache folder):
 * no confinement to a repository, but atomic, and a FIFO, socket, device or folder there is refused
 * (a link the user made is followed to its target, which must then be a regular file or absent).
 * The parent folder must exist (makeOutputDir creates one).
 */
export async function writeOutputFile(abs: string, data: string | Uint8Array): Promise<void> {
  const { target, st } = await outputTarget(abs);
  const dir = path.dirname(target);
  const mode = st ? st.mode & 0o7777 : defaultMode();
  await atomicWrite(dir, target, bytesOf(data), mode, async () => {
    const now = await lstatOrUndefined(target);
    const odd = now && oddKind(now);
    if (odd) throw new WriteRefused(abs, odd);
  });
}

/**
 * Appends to a file the user named (the survey's JSON-lines results, written as each result completes
 * so an interrupted run loses nothing): the same refusals as writeOutputFile, the user's own link
 * followed, created when absent. Not atomic by design: a reader must tolerate a cut-off last line.
 */
export async function appendOutputFile(abs: string, data: string | Uint8Array): Promise<void> {
  const { target } = await outputTarget(abs);
  const fh = await fs.open(target, FS.O_WRONLY | FS.O_APPEND | FS.O_CREAT | (FS.O_NOFOLLOW ?? 0) | (FS.O_NONBLOCK ?? 0), defaultMode());
  try {
    const now = await fh.stat();
    const again = oddKind(now);
    if (again) throw new WriteRefused(abs, again);
    await fh.writeFile(bytesOf(data));
  } finally {
    await fh.close();
  }
}

/** Creates a folder the user named (and its parents); something other than a folder there is refused. */
export async function makeOutputDir(abs: string): Promise<void> {
  const target = path.resolve(abs);
  try {
    await fs.mkdir(target, { recursive: true });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST' && (e as NodeJS.ErrnoException).code !== 'ENOTDIR') throw e;
  }
  const st = await fs.stat(target).catch(() => undefined);
  if (!st?.isDirectory()) throw new WriteRefused(abs, 'something other than a folder is in the way');
}

/**
 * Reads a file the user named before it is overwritten (the counterpart of writeOutputFile): follows
 * the user's own link, undefined when absent, WriteRefused for anything but a regular file, and never
 * blocks on a FIFO.
 */
export async function readOutputFileForOverwrite(abs: string): Promise<Buffer | undefined> {
  const target = path.resolve(abs);
  let st: Stats;
  try {
    st = await fs.stat(target);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
  const odd = oddKind(st);
  if (odd) throw new WriteRefused(abs, odd);
  const fh = await fs.open(target, FS.O_RDONLY | (FS.O_NONBLOCK ?? 0));
  try {
    const now = await fh.stat();
    const again = oddKind(now);
    if (again) throw new WriteRefused(abs, again);
    return await fh.readFile();
  } finally {
    await fh.close();
  }
}

/** True when `rel` (relative to a repository root, `/`-separated) stays inside it by name. */
export function isInsideByName(rel: string): boolean {
  return rel !== '' && !path.isAbsolute(rel) && !rel.split(SEPARATORS).includes('..');
}

// --- Steward's own files, never a repository's content ----------------------------------------------
// The contribution flow's lock and temporary index live in the clone's git directory; the scratch
// repositories of network commands in the system temporary folder. They are Steward's (or git's) own
// files, so they need no atomic rename, but a lock must be created only when nothing is at its name
// (which a rename cannot promise), and removing them must never reach past what Steward made.
// Synchronous: signal and exit handlers call them right before the process ends.

/**
 * Creates `abs` holding `data` only when nothing is at that name (O_CREAT|O_EXCL: a link there, even a
 * dangling one, counts as taken and is never followed). System errors are thrown as they are (`code`
 * EEXIST when taken), so a lock can tell "held" from "cannot create". A failed write leaves no file.
 */
export function createExclusiveFileSync(abs: string, data: string, mode = 0o644): void {
  const fd = openSync(abs, FS.O_WRONLY | FS.O_CREAT | FS.O_EXCL | (FS.O_NOFOLLOW ?? 0), mode);
  try {
    writeSync(fd, data);
  } catch (e) {
    closeSync(fd);
    unlinkSync(abs);
    throw e;
  }
  closeSync(fd);
}

/**
 * Removes a file Steward made (the lock, a temporary index). Absent is fine; a link at the name is
 * removed itself, never its target; a folder is refused (WriteRefused), not emptied.
 */
export function removeOwnFileSync(abs: string): void {
  let st: Stats;
  try {
    st = lstatSync(abs);
  } catch {
    return;
  }
  if (st.isDirectory()) throw new WriteRefused(abs, 'it is a folder, not a file Steward made');
  try {
    unlinkSync(abs);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
}

/**
 * Removes a folder Steward made directly in the system temporary folder (named `steward-…`, such as
 * a scratch git repository) with everything in it; links inside are removed, never followed. Any
 * other path, or a link at that name, is refused with a WriteRefused.
 */
export function removeOwnTempDirSync(abs: string): void {
  const dir = path.resolve(abs);
  if (path.dirname(dir) !== path.resolve(os.tmpdir()) || !path.basename(dir).startsWith('steward-')) {
    throw new WriteRefused(abs, 'not a folder Steward made in the temporary folder');
  }
  let st: Stats;
  try {
    st = lstatSync(dir);
  } catch {
    return;
  }
  if (!st.isDirectory()) throw new WriteRefused(abs, 'it is not a folder');
  rmSync(dir, { recursive: true, force: true });
}
