import type { SourceFile } from '../checks/types';
import { classifyPath, YAML_KINDS, type FileKind } from './classify';
import { decodeText, LineIndex } from '../yaml/text';
import { getMap, getSeq, isMap, MAX_YAML_BYTES, pairs, parseYaml, rootMap, type YamlFile } from '../yaml/parse';
import { readAction, readWorkflow } from '../yaml/workflow';
import { reparseYaml } from '../yaml/incremental';

/**
 * Decodes and (for YAML kinds) parses a file once; every check shares the result. `previous` is the
 * same file as loaded before an edit: only the part of it the edit touched is parsed again, when that
 * is provably the same as parsing everything (src/core/yaml/incremental.ts).
 */
export function loadSourceFile(path: string, bytes: Uint8Array, kind: FileKind = classifyPath(path), previous?: SourceFile): SourceFile {
  const size = bytes.byteLength;
  if (YAML_KINDS.has(kind) && size > MAX_YAML_BYTES) {
    const lines = new LineIndex('');
    return { path, kind, size, text: '', lines, hadBom: false, problem: `is too large to check (${(size / 1048576).toFixed(1)} MB; the limit is ${MAX_YAML_BYTES / 1048576} MB)` };
  }
  const { text, problem, hadBom } = decodeText(bytes);
  const lines = new LineIndex(text);
  const sf: SourceFile = { path, kind, size, text, lines, hadBom, problem };
  if (YAML_KINDS.has(kind) && !(problem && problem.startsWith('is a binary'))) {
    const before = previous?.yaml && previous.kind === kind && previous.path === path ? previous.yaml : undefined;
    sf.yaml = (before && reparseYaml(before, path, text, lines)) || parseYaml(path, text, lines);
    const tooBig = sf.yaml.errors.length === 0 && (kind === 'workflow' || kind === 'action') ? tooManyParts(sf.yaml) : undefined;
    if (tooBig) sf.problem = tooBig;
    else if (sf.yaml.errors.length === 0) {
      if (kind === 'workflow') sf.workflow = readWorkflow(sf.yaml);
      else if (kind === 'action') sf.action = readAction(sf.yaml);
    }
  }
  return sf;
}

/**
 * Bounds on one workflow or action. GitHub will not even start a workflow file over 500 KB, so these
 * are far above anything that runs; past them the file is reported as too large to check instead of
 * giving every check (and every fix round) an unbounded amount of work.
 */
export const WORKFLOW_LIMITS = { jobs: 50_000, steps: 200_000 } as const;

function tooManyParts(yaml: YamlFile): string | undefined {
  const root = rootMap(yaml);
  if (!root) return undefined;
  const jobs = pairs(getMap(root, 'jobs', yaml));
  if (jobs.length > WORKFLOW_LIMITS.jobs) {
    return `is too large to check (${jobs.length} jobs; the limit is ${WORKFLOW_LIMITS.jobs})`;
  }
  let steps = getSeq(getMap(root, 'runs', yaml), 'steps', yaml)?.items.length ?? 0;
  for (const j of jobs) if (isMap(j.value)) steps += getSeq(j.value, 'steps', yaml)?.items.length ?? 0;
  if (steps > WORKFLOW_LIMITS.steps) return `is too large to check (${steps} steps; the limit is ${WORKFLOW_LIMITS.steps})`;
  return undefined;
}

/** A file the checks can use: text that decoded and, for YAML, parsed without errors. */
export function isUsable(sf: SourceFile): boolean {
  if (sf.problem && !sf.problem.startsWith('is not valid UTF-8')) return false;
  if (sf.yaml && sf.yaml.errors.length) return false;
  return true;
}

const memos = new WeakMap<SourceFile, Map<string, unknown>>();

/**
 * Per-file memo for work a repository-level check (checkRepo) does on every file: the engine keeps
 * the same SourceFile object while a file's content is unchanged, across incremental and full
 * re-scans, so keying on it makes a re-check after a save cost one file, not every file.
 * `key` names the computation (use the check id); `compute` must depend on the file only.
 */
export function fileMemo<T>(file: SourceFile, key: string, compute: (file: SourceFile) => T): T {
  let m = memos.get(file);
  if (!m) {
    m = new Map();
    memos.set(file, m);
  }
  // one lookup when the value is there (has() only for a kept undefined)
  const had = m.get(key);
  if (had !== undefined || m.has(key)) return had as T;
  const v = compute(file);
  m.set(key, v);
  return v;
}
