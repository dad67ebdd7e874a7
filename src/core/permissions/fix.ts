import type { Pair, YAMLMap } from 'yaml';
import type { SourceFile } from '../checks/types';
import type { Fix, TextEdit } from '../model';
import { deref, getPair, isMap, isScalar, keyString, pairs, scalarString } from '../yaml/parse';
import { detectEol, indentOf } from '../yaml/text';
import type { JobModel } from '../yaml/workflow';
import { analyzeJob, reasonFor, type AnalyzeContext, type JobNeeds, type ScopeNeed } from './analyze';
import { isScope, SCOPES, type Level, type Scope } from './knowledge';

// The least-privilege fix for a workflow: a workflow-level baseline (`contents: read`, or `{}` when no
// job reads the code) and a `permissions:` block with `# reason` comments on each job that needs more.
// Only the lines that must change are touched: blocks are inserted, scalars replaced, write lines
// removed; the file is never re-serialized. When a step we do not understand gets the token, the fix is
// offered as unsafe and says which step.

type Grants = Map<Scope, Level>;
const rank = (l: Level | undefined) => (l === 'write' ? 2 : l === 'read' ? 1 : 0);

interface Mode {
  kind: 'default' | 'write-all' | 'read-all' | 'map';
  /** Explicit workflow-level grants (map mode). */
  grants?: Grants;
  pair?: Pair;
}

function grantsOf(value: unknown, file: SourceFile): Grants | undefined {
  const v = deref(value, file.yaml!);
  if (!isMap(v)) return undefined;
  const out: Grants = new Map();
  for (const p of pairs(v)) {
    const k = keyString(p);
    const l = scalarString(deref(p.value, file.yaml!));
    if (!k || !isScope(k) || (l !== 'read' && l !== 'write')) return undefined;
    out.set(k, l);
  }
  return out;
}

/** The needs a job can keep under its current grant: the fix never grants more than a job had. */
function capped(needs: JobNeeds['needs'], mode: Mode): Map<Scope, ScopeNeed> {
  const out = new Map<Scope, ScopeNeed>();
  for (const [scope, n] of needs) {
    let max: Level | undefined = 'write';
    if (mode.kind === 'read-all') max = scope === 'id-token' ? undefined : 'read';
    else if (mode.kind === 'map') max = mode.grants!.get(scope);
    if (!max) continue;
    out.set(scope, { level: rank(n.level) <= rank(max) ? n.level : max, reasons: n.reasons });
  }
  return out;
}

function comment(n: ScopeNeed | undefined, fallback: string, level?: Level): string {
  if (!n) return fallback;
  return reasonFor(n, level ?? n.level);
}

function sortScopes<T>(m: Map<Scope, T>): [Scope, T][] {
  return [...m].sort(([a], [b]) => SCOPES.indexOf(a) - SCOPES.indexOf(b));
}

export interface PermissionsFixOptions {
  /** Add a workflow-level block (the workflow has none and jobs without one are flagged). */
  insertTop: boolean;
}

/** Builds the fix for every permissions finding of a workflow file, or undefined when it cannot keep formatting. */
export function permissionsFix(file: SourceFile, ctx: AnalyzeContext, opts: PermissionsFixOptions): Fix | undefined {
  const wf = file.workflow;
  const y = file.yaml;
  if (!wf || !y) return undefined;
  const text = file.text;
  const lines = file.lines;
  const eol = detectEol(text);
  if (wf.root.flow) return undefined;
  const jobsPair = getPair(wf.root, 'jobs', y);
  const jobsMap = jobsPair ? deref(jobsPair.value, y) : undefined;
  if (!jobsPair || !isMap(jobsMap) || jobsMap.flow) return undefined;

  const col = (offset: number) => lines.position(offset).column - 1;
  const firstJobKey = (jobsMap.items[0] as Pair | undefined)?.key as { range?: [number, number, number] } | undefined;
  const unit = firstJobKey?.range ? Math.max(1, col(firstJobKey.range[0]) - col((jobsPair.key as { range: number[] }).range[0])) : 2;
  const pad = (n: number) => ' '.repeat(n);

  // Current workflow-level state.
  const top = wf.permissions;
  const topValue = top ? deref(top.value, y) : undefined;
  let mode: Mode;
  if (!top) mode = { kind: 'default' };
  else if (isScalar(topValue) && scalarString(topValue) === 'write-all') mode = { kind: 'write-all', pair: top };
  else if (isScalar(topValue) && scalarString(topValue) === 'read-all') mode = { kind: 'read-all', pair: top };
  else {
    const grants = grantsOf(top.value, file);
    if (!grants) return undefined;
    mode = { kind: 'map', grants, pair: top };
  }
  const topWrites = mode.kind === 'map' ? [...mode.grants!].filter(([, l]) => l === 'write').map(([s]) => s) : [];
  const changeTop = mode.kind === 'default' ? opts.insertTop : mode.kind !== 'map' || topWrites.length > 0;

  const edits: TextEdit[] = [];
  const review: string[] = [];
  const edit = (start: number, end: number, newText: string) => edits.push({ file: file.path, start, end, newText });

  // Jobs that follow the workflow-level block, and what they need.
  const followers = changeTop ? wf.jobs.filter((j) => !j.permissions) : [];
  const analysed = new Map<JobModel, JobNeeds>();
  for (const j of followers) analysed.set(j, analyzeJob(j, wf, ctx));
  const writeAllJobs = wf.jobs.filter((j) => {
    const v = j.permissions ? deref(j.permissions.value, y) : undefined;
    return isScalar(v) && scalarString(v) === 'write-all';
  });
  for (const j of writeAllJobs) analysed.set(j, analyzeJob(j, wf, ctx));
  for (const [j, a] of analysed) for (const r of a.review) review.push(wf.jobs.length > 1 ? `${r} in job ${j.id}` : r);

  // The new workflow-level baseline.
  const contentsNeed = followers.map((j) => capped(analysed.get(j)!.needs, mode).get('contents')).find((n) => n);
  let baseline: Grants = new Map();
  if (mode.kind === 'map') {
    for (const [s, l] of mode.grants!) {
      if (l === 'read') baseline.set(s, 'read');
      else if (s === 'contents' && contentsNeed) baseline.set(s, 'read');
    }
  } else if (contentsNeed) baseline = new Map([['contents', 'read']]);

  // Per-job blocks for followers that need more than the baseline.
  const blocks = new Map<JobModel, Map<Scope, { level: Level; why: string }>>();
  const grantedSomewhere = new Set<Scope>();
  for (const j of followers) {
    const need = capped(analysed.get(j)!.needs, mode);
    for (const [s, n] of need) if (n.level === 'write') grantedSomewhere.add(s);
    const exceeds = [...need].some(([s, n]) => rank(n.level) > rank(baseline.get(s)));
    if (!exceeds) continue;
    const block = new Map<Scope, { level: Level; why: string }>();
    // A job block replaces the workflow-level one for that job: keep its reads, add what it needs.
    if (mode.kind === 'map') for (const [s, l] of baseline) block.set(s, { level: l, why: comment(need.get(s), 'as granted at workflow level', l) });
    for (const [s, n] of need) {
      const have = block.get(s);
      if (!have || rank(n.level) > rank(have.level)) block.set(s, { level: n.level, why: comment(n, '') });
    }
    blocks.set(j, block);
  }
  const dropped = topWrites.filter((s) => !grantedSomewhere.has(s) && !(s === 'contents' && baseline.has('contents')));
  for (const s of dropped) review.push(`no step Steward recognises needs \`${s}: write\`, which the workflow grants; check why it was granted`);

  const entryLines = (indent: number, m: Map<Scope, { level: Level; why: string }>) =>
    sortScopes(m).map(([s, v]) => `${pad(indent)}${s}: ${v.level}${v.why ? ` # ${v.why}` : ''}`);
  const baselineEntries = () => {
    const m = new Map<Scope, { level: Level; why: string }>();
    for (const [s, l] of baseline) m.set(s, { level: l, why: s === 'contents' && contentsNeed ? comment(contentsNeed, '', 'read') : '' });
    return m;
  };

  /** Replaces `: <value>` of a block-style pair (to the end of the value's line) with a fresh mapping. */
  const replaceValue = (pair: Pair, entries: Map<Scope, { level: Level; why: string }>): boolean => {
    const key = pair.key as { range?: [number, number, number] };
    const value = deref(pair.value, y) as { range?: [number, number, number] } | undefined;
    if (!key.range || !value?.range) return false;
    const keyEnd = key.range[1];
    const keyLine = lines.position(key.range[0]).line;
    const lastLine = lines.position(Math.max(value.range[0], value.range[1] - 1)).line;
    const lineEnd = lines.lineEnd(lastLine);
    // The key line's own comment (`permissions: write-all # why`) stays on the key line.
    const keyLineEnd = lines.lineEnd(keyLine);
    const afterValueOnKeyLine = lastLine === keyLine ? text.slice(value.range[1], keyLineEnd) : text.slice(keyEnd, keyLineEnd).replace(/^\s*:/, '');
    const trailing = afterValueOnKeyLine.trim();
    if (trailing && !trailing.startsWith('#')) return false;
    const keep = trailing.startsWith('#') ? ` ${trailing}` : '';
    const indent = col(key.range[0]) + unit;
    const body = entryLines(indent, entries);
    edit(keyEnd, lineEnd, body.length ? `:${keep}${eol}${body.join(eol)}` : `: {}${keep}`);
    return true;
  };

  /** Inserts lines before a pair of a block mapping, above any comment lines that belong to it. */
  const insertBefore = (pair: Pair, block: string[], blankAround: boolean): boolean => {
    const key = pair.key as { range?: [number, number, number] };
    if (!key.range) return false;
    const start = key.range[0];
    let line = lines.position(start).line;
    if (text.slice(lines.lineStart(line), start).trim() !== '') return false;
    const indent = col(start);
    while (line > 1) {
      const prev = lines.lineText(line - 1);
      if (prev.trim().startsWith('#') && indentOf(prev).length === indent) line--;
      else break;
    }
    const prevBlank = line > 1 && lines.lineText(line - 1).trim() === '';
    const body = block.join(eol) + eol + (blankAround && prevBlank ? eol : '');
    edit(lines.lineStart(line), lines.lineStart(line), body);
    return true;
  };

  // Workflow-level edit.
  if (changeTop) {
    if (mode.kind === 'default') {
      const entries = entryLines(unit, baselineEntries());
      const block = entries.length ? ['permissions:', ...entries] : ['permissions: {}'];
      if (!insertBefore(jobsPair, block, true)) return undefined;
    } else if (mode.kind === 'write-all' || mode.kind === 'read-all') {
      if (!replaceValue(mode.pair!, baselineEntries())) return undefined;
    } else {
      const map = deref(mode.pair!.value, y) as YAMLMap;
      if (map.flow) {
        const r = (map as { range?: [number, number, number] }).range;
        if (!r) return undefined;
        const inner = sortScopes(baseline).map(([s, l]) => `${s}: ${l}`);
        edit(r[0], r[1], inner.length ? `{ ${inner.join(', ')} }` : '{}');
      } else if (baseline.size === 0) {
        if (!replaceValue(mode.pair!, new Map())) return undefined;
      } else {
        for (const p of pairs(map)) {
          const s = keyString(p) as Scope;
          if (mode.grants!.get(s) !== 'write') continue;
          const v = deref(p.value, y) as { range?: [number, number, number] };
          const k = p.key as { range?: [number, number, number] };
          if (!v?.range || !k.range) return undefined;
          if (baseline.get(s) === 'read') {
            edit(v.range[0], v.range[1], 'read');
            continue;
          }
          const first = lines.position(k.range[0]).line;
          const last = lines.position(v.range[1]).line;
          if (text.slice(lines.lineStart(first), k.range[0]).trim() !== '') return undefined;
          const end = last < lines.lineCount ? lines.lineStart(last + 1) : text.length;
          edit(lines.lineStart(first), end, '');
        }
      }
    }
  }

  // Job-level edits.
  for (const [j, block] of blocks) {
    const jobMap = j.node;
    if (jobMap.flow || !jobMap.items.length) return undefined;
    const firstKey = (jobMap.items[0] as Pair).key as { range?: [number, number, number] };
    if (!firstKey.range) return undefined;
    const indent = col(firstKey.range[0]);
    const anchor = getPair(jobMap, 'steps') ?? getPair(jobMap, 'uses') ?? (jobMap.items[0] as Pair);
    if (!insertBefore(anchor, [`${pad(indent)}permissions:`, ...entryLines(indent + unit, block)], false)) return undefined;
  }
  for (const j of writeAllJobs) {
    const need = analysed.get(j)!.needs;
    const m = new Map<Scope, { level: Level; why: string }>();
    for (const [s, n] of need) m.set(s, { level: n.level, why: comment(n, '') });
    if (!replaceValue(j.permissions!, m)) return undefined;
  }
  if (!edits.length) return undefined;

  const unique = [...new Set(review)];
  const base = 'Grant the workflow token only the scopes each job needs';
  const title = unique.length ? `${base} (review: ${unique[0]}${unique.length > 1 ? `; ${unique.length - 1} more` : ''})` : base;
  return {
    title,
    safe: unique.length === 0,
    edits,
    caveat: unique.length
      ? `Review before applying: ${unique.join('; ')}.`
      : 'Scopes come from the steps Steward recognises; a job that needs more fails with "Resource not accessible by integration".',
  };
}
