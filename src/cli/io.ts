import * as path from 'node:path';
import { promises as fs } from 'node:fs';
import { DiskSnapshot, pathKind } from '../core/repo/disk';
import { MemorySnapshot, type RepoSnapshot } from '../core/repo/snapshot';
import { classifyLoose, type FileKind } from '../core/repo/classify';
import { decodeText } from '../core/yaml/text';
import { COLORS, NO_COLORS, type Colors } from '../core/report/text';
import { UsageError } from './errors';

export interface Output {
  out(s: string): void;
  err(s: string): void;
  isTTY: boolean;
  env: NodeJS.ProcessEnv;
  cwd: string;
}

export const processOutput: Output = {
  out: (s) => process.stdout.write(s),
  err: (s) => process.stderr.write(s),
  isTTY: !!process.stdout.isTTY,
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

/** Writes an output file named on the command line (relative to the working directory); a failure is one line. */
export async function writeOutputFile(o: Output, file: string, text: string): Promise<void> {
  await writeTextFile(path.resolve(o.cwd, file), text, file);
}

/**
 * Writes `text` to `abs` (creating its folder with `mkdir`); a failure (no such folder, no
 * permission) is a one-line UsageError naming the file as the user wrote it (`shown`).
 */
export async function writeTextFile(abs: string, text: string, shown: string, opts: { mkdir?: boolean } = {}): Promise<void> {
  try {
    if (opts.mkdir) await fs.mkdir(path.dirname(abs), { recursive: true });
    await fs.writeFile(abs, text);
  } catch (e) {
    throw new UsageError(`cannot write ${shown}: ${fsErrorText(e)}`);
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
      let bytes: Uint8Array;
      try {
        bytes = await fs.readFile(f.abs);
      } catch (e) {
        throw new UsageError(`cannot read ${f.rel}: ${fsErrorText(e)}`);
      }
      const rel = f.rel.startsWith('../') ? toPosix(path.basename(f.abs)) : f.rel;
      files[rel] = bytes;
      kinds[rel] = classifyLoose(rel, decodeText(bytes.subarray(0, 200_000)).text);
    }
    snaps.push(new MemorySnapshot('files', files, [], cwd, kinds, true));
  }
  return snaps;
}
