import type { Location } from '../../model';
import type { SourceFile } from '../types';
import type { JobModel, StepModel } from '../../yaml/workflow';
import { rangeLocation, type Scalar, type YamlFile } from '../../yaml/parse';

// Helpers for checks that read `run:` scripts: iterate them, split them into logical command lines
// (backslash continuations joined, comments dropped) and map a match inside a script value back to
// the line and column in the YAML source, so a finding points at the command itself.

export interface RunSite {
  step: StepModel;
  job?: JobModel;
  script: string;
  node: Scalar;
}

/** Every `run:` script of a workflow's jobs or a composite action. */
export function runSites(file: SourceFile): RunSite[] {
  const out: RunSite[] = [];
  const add = (step: StepModel, job?: JobModel) => {
    if (step.run) out.push({ step, job, script: step.run.value, node: step.run.node });
  };
  if (file.workflow) for (const job of file.workflow.jobs) for (const step of job.steps) add(step, job);
  else if (file.action) for (const step of file.action.steps) add(step);
  return out;
}

export interface ScriptLine {
  /** The logical line with continuations blanked and any trailing comment removed. */
  text: string;
  /** Offset of `text[0]` in the script. */
  offset: number;
}

/**
 * Logical lines of a shell script. A backslash-newline is replaced by spaces of the same length, so an
 * index into a logical line plus its offset is still an index into the original script.
 */
export function scriptLines(script: string): ScriptLine[] {
  const joined = script.replace(/\\\r?\n/g, (m) => ' '.repeat(m.length));
  const out: ScriptLine[] = [];
  let offset = 0;
  for (const raw of joined.split('\n')) {
    const start = offset;
    offset += raw.length + 1;
    const text = stripComment(raw.replace(/\r$/, ''));
    if (text.trim()) out.push({ text, offset: start });
  }
  return out;
}

/** Drops a shell comment: `#` at the start of a word, outside quotes. */
function stripComment(line: string): string {
  let quote: string | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quote) {
      if (c === quote) quote = undefined;
      else if (c === '\\' && quote === '"') i++;
      continue;
    }
    if (c === '\\') {
      i++;
      continue;
    }
    if (c === '"' || c === "'") quote = c;
    else if (c === '#' && (i === 0 || /\s/.test(line[i - 1]))) return line.slice(0, i);
  }
  return line;
}

/**
 * Location of `length` characters at `index` of a scalar's value. Literal blocks map line by line;
 * other styles are searched for the matched text; when nothing maps, the whole scalar is returned.
 */
export function locateInScalar(yaml: YamlFile, node: Scalar, index: number, length: number): Location {
  const value = typeof node.value === 'string' ? node.value : String(node.value ?? '');
  const range = node.range;
  if (!range) return rangeLocation(yaml, 0, 0);
  const lineIdx = countNewlines(value, index);
  const lineStartInValue = value.lastIndexOf('\n', index - 1) + 1;
  const lineEndInValue = value.indexOf('\n', index);
  const valueLine = value.slice(lineStartInValue, lineEndInValue < 0 ? undefined : lineEndInValue);
  const col = index - lineStartInValue;
  const segLen = Math.max(1, Math.min(length, valueLine.length - col));
  if (node.type === 'BLOCK_LITERAL') {
    const headerLine = yaml.lines.position(range[0]).line;
    const srcLine = headerLine + 1 + lineIdx;
    if (srcLine <= yaml.lines.lineCount) {
      const text = yaml.lines.lineText(srcLine);
      const at = valueLine ? text.indexOf(valueLine) : -1;
      if (at >= 0) {
        const start = yaml.lines.lineStart(srcLine) + at + col;
        return rangeLocation(yaml, start, start + segLen);
      }
    }
  }
  // Plain, quoted and folded scalars: find the n-th occurrence of the matched text in the source.
  const seg = valueLine.slice(col, col + segLen);
  const nth = countOccurrences(value.slice(0, index), seg);
  const src = yaml.text.slice(range[0], range[1]);
  let at = -1;
  for (let i = 0, from = 0; i <= nth; i++) {
    at = src.indexOf(seg, from);
    if (at < 0) break;
    from = at + 1;
  }
  if (at >= 0) return rangeLocation(yaml, range[0] + at, range[0] + at + seg.length);
  return rangeLocation(yaml, range[0], range[1]);
}

function countNewlines(s: string, end: number): number {
  let n = 0;
  for (let i = 0; i < end; i++) if (s.charCodeAt(i) === 10) n++;
  return n;
}

function countOccurrences(haystack: string, needle: string): number {
  if (!needle) return 0;
  let n = 0;
  for (let at = haystack.indexOf(needle); at >= 0; at = haystack.indexOf(needle, at + 1)) n++;
  return n;
}
