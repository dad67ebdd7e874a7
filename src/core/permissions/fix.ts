import type { Pair, YAMLMap } from 'yaml';
import type { SourceFile } from '../checks/types';
import type { Fix, TextEdit } from '../model';
import { deref, getPair, isMap, isScalar, keyString, pairs, scalarString } from '../yaml/parse';
import { detectEol, indentOf } from '../yaml/text';
import type { JobModel } from '../yaml/workflow';
import { declaredPermissions } from './declared';
import { analyzeJob, reasonFor, resolveNeeds, type AnalyzeContext, type JobNeeds, type ScopeNeed } from './analyze';
import { isScope, SCOPES, type Level, type Scope } from './knowledge';

// The least-privilege fix for a workflow: a workflow-level baseline (`contents: read`, or `{}` when no
// job reads the code) and a `permissions:` block with `# reason` comments on each job that needs more.
// Only the lines that must change are touched: blocks are inserted, scalars replaced, write lines
// removed; the file is never re-serialized. When a step we do not understand gets the token, the fix is
// offered as unsafe and says which step.

type Grants = Map<Scope, Level>;
const rank = (l: Level | undefined) => (l === 'write' ? 2 : l === 'read' ? 1 : 0);

export interface Mode {
  kind: 'default' | 'write-all' | 'read-all' | 'map';
  /** Explicit workflow-level grants (map mode). */
  grants?: Grants;
  pair?: Pair;
}

function grantsOf(value: unknown, file: SourceFile): Grants | undefined {
  const d = declaredPermissions(value, file.yaml!);
  if (d.kind !== 'map') return undefined;
  const out: Grants = new Map();
  for (const { key, level } of d.entries) {
    if (!key || !isScope(key) || (level !== 'read' && level !== 'write')) return undefined;
    out.set(key, level);
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

/** How the token of one job ends up after the fix, and why. */
export interface JobPlan {
  job: JobModel;
  analysis: JobNeeds;
  /** Scopes the job keeps or needs under the current grants (alternatives resolved, capped). */
  need: Map<Scope, ScopeNeed>;
  /** Scopes kept only because something Steward cannot see may use them, with the `# kept:` reason. */
  kept: Map<Scope, string>;
  /** Default permissions and something Steward cannot account for: the fix leaves this job as it is. */
  untouched?: string;
}

/** The workflow's current workflow-level `permissions:`. */
export function topMode(file: SourceFile): Mode | undefined {
  const wf = file.workflow!;
  const y = file.yaml!;
  const top = wf.permissions;
  const topValue = top ? deref(top.value, y) : undefined;
  if (!top) return { kind: 'default' };
  if (isScalar(topValue) && scalarString(topValue) === 'write-all') return { kind: 'write-all', pair: top };
  if (isScalar(topValue) && scalarString(topValue) === 'read-all') return { kind: 'read-all', pair: top };
  const grants = grantsOf(top.value, file);
  return grants ? { kind: 'map', grants, pair: top } : undefined;
}

function hasUnder(mode: Mode): (s: Scope) => Level | undefined {
  if (mode.kind === 'map') return (s) => mode.grants!.get(s);
  if (mode.kind === 'read-all') return (s) => (s === 'id-token' ? undefined : 'read');
  if (mode.kind === 'write-all') return () => 'write';
  return () => undefined;
}

/** Plans one job that follows the workflow-level block (or has `write-all` itself, with `mode` write-all). */
export function planJob(job: JobModel, wf: SourceFile, ctx: AnalyzeContext, mode: Mode): JobPlan {
  const analysis = analyzeJob(job, wf.workflow!, ctx);
  const need = capped(resolveNeeds(analysis, hasUnder(mode)), mode);
  const kept = new Map<Scope, string>();
  const plan: JobPlan = { job, analysis, need, kept };
  for (const o of analysis.opaque) {
    if (mode.kind === 'default') {
      if (!o.weak && !plan.untouched) plan.untouched = o.reason;
      continue;
    }
    const scopes: Scope[] = o.scopes ?? (mode.kind === 'map' ? [...mode.grants!.keys()] : []);
    for (const sc of scopes) {
      const level = hasUnder(mode)(sc);
      if (!level) continue;
      if (rank(need.get(sc)?.level) >= rank(level)) continue;
      need.set(sc, { level, reasons: [{ text: `kept: ${o.reason}`, level }] });
      if (!kept.has(sc)) kept.set(sc, o.reason);
    }
  }
  return plan;
}

/** Why the fix cannot prove a job keeps working (write-all/read-all replaced, something unseen uses any scope). */
function unprovable(plan: JobPlan, mode: Mode): string[] {
  if (mode.kind === 'map' || mode.kind === 'default') return [];
  return plan.analysis.opaque.filter((o) => !o.scopes && !o.weak).map((o) => o.reason);
}

/** Scopes granted for writing at workflow level that every job following it needs (or keeps): moving them is churn. */
export function sharedTopWrites(file: SourceFile, ctx: AnalyzeContext): { mode?: Mode; shared: Set<Scope>; plans: JobPlan[] } {
  const wf = file.workflow!;
  const mode = topMode(file);
  const shared = new Set<Scope>();
  if (!mode || mode.kind !== 'map') return { mode, shared, plans: [] };
  const followers = wf.jobs.filter((j) => !j.permissions);
  const plans = followers.map((j) => planJob(j, file, ctx, mode));
  for (const [s, l] of mode.grants!) {
    if (l !== 'write') continue;
    if (plans.length && plans.every((p) => p.need.get(s)?.level === 'write')) shared.add(s);
  }
  return { mode, shared, plans };
}

export interface PermissionsFixOptions {
  /** Add a workflow-level block (the workflow has none and jobs without one are flagged). */
  insertTop: boolean;
}

/** The maintainer's `# comment` on a scope line of the workflow-level mapping, by scope. */
function topComments(mode: Mode, file: SourceFile): Map<Scope, string> {
  const out = new Map<Scope, string>();
  if (mode.kind !== 'map' || !mode.pair) return out;
  const map = deref(mode.pair.value, file.yaml!);
  if (!isMap(map) || map.flow) return out;
  for (const p of pairs(map)) {
    const v = deref(p.value, file.yaml!) as { range?: [number, number, number] } | undefined;
    const k = keyString(p);
    if (!v?.range || !k || !isScope(k)) continue;
    const line = file.lines.position(v.range[0]).line;
    const rest = file.text.slice(v.range[1], file.lines.lineEnd(line));
    const m = /^\s*#\s?(.*)$/.exec(rest);
    if (m && m[1].trim()) out.set(k, m[1].trim());
  }
  return out;
}

/** Builds the fix for every permissions finding of a workflow file, or undefined when it cannot keep formatting. */
export function permissionsFix(file: SourceFile, ctx: AnalyzeContext, opts: PermissionsFixOptions): (Fix & { untouched: Set<JobModel> }) | undefined {
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

  const mode = topMode(file);
  if (!mode) return undefined;
  const topWrites = mode.kind === 'map' ? [...mode.grants!].filter(([, l]) => l === 'write').map(([s]) => s) : [];
  const { shared } = sharedTopWrites(file, ctx);
  const movable = topWrites.filter((s) => !shared.has(s));
  const comments = topComments(mode, file);

  const edits: TextEdit[] = [];
  const review: string[] = [];
  const edit = (start: number, end: number, newText: string) => edits.push({ file: file.path, start, end, newText });
  const multi = wf.jobs.length > 1;
  const inJob = (r: string, j: JobModel) => (multi ? `${r} (job ${j.id})` : r);

  // Jobs that follow the workflow-level block, and what they need.
  const wantTop = mode.kind === 'default' ? opts.insertTop : mode.kind !== 'map' || movable.length > 0;
  const followers = wantTop ? wf.jobs.filter((j) => !j.permissions) : [];
  const plans = new Map<JobModel, JobPlan>();
  for (const j of followers) plans.set(j, planJob(j, file, ctx, mode));
  const untouched = new Set([...plans.values()].filter((p) => p.untouched).map((p) => p.job));
  // Under default permissions a job Steward cannot account for keeps them: no workflow-level block then
  // (it would cap that job too); each job Steward understands gets its own block instead.
  const perJobOnly = mode.kind === 'default' && untouched.size > 0;
  const changeTop = wantTop && !perJobOnly;
  const writeAllJobs = wf.jobs.filter((j) => {
    const v = j.permissions ? deref(j.permissions.value, y) : undefined;
    return isScalar(v) && scalarString(v) === 'write-all';
  });
  const writeAllPlans = new Map<JobModel, JobPlan>();
  for (const j of writeAllJobs) writeAllPlans.set(j, planJob(j, file, ctx, { kind: 'write-all' }));
  for (const [j, p] of plans) if (!p.untouched) for (const r of unprovable(p, mode)) review.push(inJob(r, j));
  for (const [j, p] of writeAllPlans) for (const r of unprovable(p, { kind: 'write-all' })) review.push(inJob(r, j));

  // The new workflow-level baseline.
  const active = [...plans.values()].filter((p) => !p.untouched);
  const contentsNeed = active.map((p) => (p.kept.has('contents') ? undefined : p.need.get('contents'))).find((n) => n);
  let baseline: Grants = new Map();
  if (perJobOnly) baseline = new Map();
  else if (mode.kind === 'map') {
    for (const [s, l] of mode.grants!) {
      if (l === 'read') baseline.set(s, 'read');
      else if (shared.has(s)) baseline.set(s, 'write');
      else if (s === 'contents' && contentsNeed) baseline.set(s, 'read');
    }
  } else if (contentsNeed) baseline = new Map([['contents', 'read']]);

  const why = (s: Scope, n: ScopeNeed | undefined, level: Level, fallback: string): string => {
    const theirs = comments.get(s);
    if (theirs && mode.grants?.get(s) === level) return theirs;
    return comment(n, fallback, level);
  };

  // Per-job blocks for followers that need more than the baseline.
  const blocks = new Map<JobModel, Map<Scope, { level: Level; why: string }>>();
  const grantedSomewhere = new Set<Scope>();
  for (const p of active) {
    const j = p.job;
    for (const [s, n] of p.need) if (n.level === 'write') grantedSomewhere.add(s);
    const exceeds = [...p.need].some(([s, n]) => rank(n.level) > rank(baseline.get(s)));
    if (!exceeds && !perJobOnly) continue;
    const block = new Map<Scope, { level: Level; why: string }>();
    // A job block replaces the workflow-level one for that job: keep its reads, add what it needs.
    if (mode.kind === 'map') for (const [s, l] of baseline) block.set(s, { level: l, why: why(s, p.need.get(s), l, 'as granted at workflow level') });
    for (const [s, n] of p.need) {
      const have = block.get(s);
      if (!have || rank(n.level) > rank(have.level)) block.set(s, { level: n.level, why: why(s, n, n.level, '') });
    }
    blocks.set(j, block);
  }
  const dropped = movable.filter((s) => !grantedSomewhere.has(s) && !(s === 'contents' && baseline.has('contents')));
  // A scope whose only use is also authorised by a scope the job keeps (a pull request comment through
  // the issues API, with pull-requests: write granted) is explained; any other drop needs a person.
  const explained = new Map<Scope, Scope>();
  for (const s of dropped) {
    for (const p of active) {
      const alt = p.analysis.alts.find((a) => a.scopes.includes(s));
      const other = alt?.scopes.find((x) => x !== s);
      if (other && rank(p.need.get(other)?.level) >= rank(alt!.level)) explained.set(s, other);
    }
  }
  for (const s of dropped) {
    if (!explained.has(s)) review.push(`no step Steward can see uses ${'`'}${s}: write${'`'}, which the workflow grants: check why it was granted before removing it`);
  }

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
          if (mode.grants!.get(s) !== 'write' || baseline.get(s) === 'write') continue;
          const v = deref(p.value, y) as { range?: [number, number, number] };
          const k = p.key as { range?: [number, number, number] };
          if (!v?.range || !k.range) return undefined;
          if (baseline.get(s) === 'read') {
            // Keep the file's quoting: `"contents": "write"` becomes `"contents": "read"`.
            const q = /^["']/.exec(text.slice(v.range[0], v.range[1]))?.[0] ?? '';
            edit(v.range[0], v.range[1], `${q}read${q}`);
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
    const body = block.size ? [`${pad(indent)}permissions:`, ...entryLines(indent + unit, block)] : [`${pad(indent)}permissions: {}`];
    if (!insertBefore(anchor, body, false)) return undefined;
  }
  for (const [j, p] of writeAllPlans) {
    const m = new Map<Scope, { level: Level; why: string }>();
    for (const [s, n] of p.need) m.set(s, { level: n.level, why: comment(n, '') });
    if (!replaceValue(j.permissions!, m)) return undefined;
  }
  if (!edits.length) return undefined;

  const unique = [...new Set(review)];
  const keptAny = [...plans.values(), ...writeAllPlans.values()].some((p) => p.kept.size);
  const left = [...untouched].map((j) => j.id);
  const notes: string[] = [];
  for (const [s, other] of explained) notes.push(`\`${s}: write\` is removed: the calls that could use it are authorised by \`${other}: write\`, which stays.`);
  if (keptAny) notes.push('Scopes marked `# kept:` stay because Steward cannot see whether they are used.');
  if (left.length) notes.push(`Left as they are, because Steward cannot account for what they do with the token: ${left.map((id) => `job ${id}`).join(', ')}.`);
  return {
    title: 'Grant the workflow token only the scopes each job needs',
    safe: unique.length === 0,
    ...(unique.length ? { reviewReason: unique.length > 1 ? `${unique[0]}; and ${unique.length - 1} more: ${unique.slice(1).join('; ')}` : unique[0] } : {}),
    edits,
    caveat: [
      unique.length ? `Review before applying: ${unique.join('; ')}.` : 'Scopes come from the steps Steward can see; a job that needs more fails with "Resource not accessible by integration".',
      ...notes,
    ].join(' '),
    untouched,
  };
}
