import type { DepGraph } from '../graph';
import type { Ecosystem, ReadProblem } from '../model';

/** What one lockfile or manifest says: its graph (ROOT = the project) and what could not be read. */
export interface LockfileReading {
  file: string;
  ecosystem: Ecosystem;
  graph: DepGraph;
  problems: ReadProblem[];
}

/** Reads a file next to the lockfile (package.json beside yarn.lock, an included requirements file). */
export type SiblingReader = (relativePath: string) => Promise<string | undefined>;

/** A reader failure that names the file and what is wrong, in one line. */
export class LockfileError extends Error {
  constructor(
    readonly file: string,
    message: string,
  ) {
    super(`${file}: ${message}`);
    this.name = 'LockfileError';
  }
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function stringEntries(v: unknown): [string, string][] {
  if (!isRecord(v)) return [];
  return Object.entries(v).filter((e): e is [string, string] => typeof e[1] === 'string');
}

/** JSON.parse with a one-line message naming the file. */
export function parseJson(file: string, text: string): unknown {
  try {
    return JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (e) {
    throw new LockfileError(file, `is not valid JSON (${(e as Error).message.split('\n')[0]})`);
  }
}
