import type { Pair, YAMLMap } from 'yaml';
import { deref, get, getMap, getPair, isMap, isScalar, isSeq, keyString, pairs, type YamlFile } from '../yaml/parse';
import { OUTSIDER_TRIGGERS, type JobModel, type StepModel, type WorkflowModel } from '../yaml/workflow';
import { findExpressions, flowingRefs } from '../yaml/expressions';
import { actionName } from '../yaml/uses';

// Which expression contexts carry data that someone outside the project can choose. The model is a
// list of known attacker-controllable event fields (free text people type or name: titles, bodies,
// branch names, commit messages and authors), each with the triggers whose events carry it, plus
// lookups for the contexts whose content depends on the workflow itself (env, matrix, step outputs).
// Everything else (numbers, SHAs, ids, logins, repository names, secrets, vars) is treated as safe:
// those values are either fixed by GitHub's formats or chosen by maintainers.

export type Taint = 'attacker' | 'input' | 'unknown' | 'safe';

export interface TaintVerdict {
  taint: Taint;
  /** Plain-language description of the data, for messages (e.g. "the issue title"). */
  what: string;
  /** Triggers whose events carry this data (attacker taint only; empty = any). */
  carriedBy?: readonly string[];
  /** For derived taint (env, matrix): the context that was followed, e.g. `env.TITLE`. */
  via?: string;
  /** For input taint: the input's name and where inputs of that name are declared. */
  input?: { name: string; declaredBy: ('workflow_dispatch' | 'workflow_call' | 'action')[] };
  /**
   * Attacker taint: the text can hold line breaks (bodies, comments, commit messages, whole objects).
   * Titles and branch names cannot (git refs forbid control characters), which matters where a line
   * break is what the attack needs (a second `NAME=value` line in $GITHUB_ENV).
   */
  multiline?: boolean;
}

interface Source {
  pattern: string;
  what: string;
  carriedBy: readonly string[];
}

const PR_EVENTS = ['pull_request', 'pull_request_target', 'pull_request_review', 'pull_request_review_comment'];
const ISSUE_EVENTS = ['issues', 'issue_comment'];
const COMMENT_EVENTS = ['issue_comment', 'pull_request_review_comment', 'commit_comment', 'discussion_comment'];
const PUSH_EVENTS = ['push'];

// `*` matches one segment; `**` at the end matches the rest of the path (any field of that object).
const SOURCES: Source[] = [
  { pattern: 'github.event.issue.title', what: 'the issue title', carriedBy: ISSUE_EVENTS },
  { pattern: 'github.event.issue.body', what: 'the issue body', carriedBy: ISSUE_EVENTS },
  { pattern: 'github.event.pull_request.title', what: 'the pull request title', carriedBy: PR_EVENTS },
  { pattern: 'github.event.pull_request.body', what: 'the pull request description', carriedBy: PR_EVENTS },
  { pattern: 'github.event.pull_request.head.ref', what: "the pull request's branch name", carriedBy: PR_EVENTS },
  { pattern: 'github.event.pull_request.head.label', what: "the pull request's branch label", carriedBy: PR_EVENTS },
  { pattern: 'github.event.pull_request.head.repo.default_branch', what: "the fork's default branch name", carriedBy: PR_EVENTS },
  { pattern: 'github.event.pull_request.head.repo.description', what: "the fork's description", carriedBy: PR_EVENTS },
  { pattern: 'github.event.pull_request.head.repo.homepage', what: "the fork's homepage", carriedBy: PR_EVENTS },
  { pattern: 'github.head_ref', what: "the pull request's branch name", carriedBy: PR_EVENTS },
  { pattern: 'github.event.comment.body', what: 'the comment text', carriedBy: COMMENT_EVENTS },
  { pattern: 'github.event.review.body', what: 'the review text', carriedBy: ['pull_request_review'] },
  { pattern: 'github.event.review_comment.body', what: 'the review comment text', carriedBy: ['pull_request_review_comment'] },
  { pattern: 'github.event.discussion.title', what: 'the discussion title', carriedBy: ['discussion', 'discussion_comment'] },
  { pattern: 'github.event.discussion.body', what: 'the discussion body', carriedBy: ['discussion', 'discussion_comment'] },
  { pattern: 'github.event.pages.*.page_name', what: 'a wiki page name', carriedBy: ['gollum'] },
  { pattern: 'github.event.pages.*.title', what: 'a wiki page title', carriedBy: ['gollum'] },
  { pattern: 'github.event.commits.*.message', what: 'a commit message', carriedBy: PUSH_EVENTS },
  { pattern: 'github.event.commits.*.author.**', what: 'a commit author name or email', carriedBy: PUSH_EVENTS },
  { pattern: 'github.event.commits.*.committer.**', what: 'a commit committer name or email', carriedBy: PUSH_EVENTS },
  { pattern: 'github.event.head_commit.message', what: 'the head commit message', carriedBy: PUSH_EVENTS },
  { pattern: 'github.event.head_commit.author.**', what: 'the head commit author name or email', carriedBy: PUSH_EVENTS },
  { pattern: 'github.event.head_commit.committer.**', what: 'the head commit committer name or email', carriedBy: PUSH_EVENTS },
  { pattern: 'github.event.workflow_run.head_branch', what: "the triggering run's branch name", carriedBy: ['workflow_run'] },
  { pattern: 'github.event.workflow_run.display_title', what: "the triggering run's title (often a PR title)", carriedBy: ['workflow_run'] },
  { pattern: 'github.event.workflow_run.head_commit.message', what: "the triggering run's commit message", carriedBy: ['workflow_run'] },
  { pattern: 'github.event.workflow_run.head_commit.author.**', what: "the triggering run's commit author", carriedBy: ['workflow_run'] },
  { pattern: 'github.event.workflow_run.head_commit.committer.**', what: "the triggering run's commit committer", carriedBy: ['workflow_run'] },
  { pattern: 'github.event.workflow_run.head_repository.description', what: "the triggering run's repository description", carriedBy: ['workflow_run'] },
  { pattern: 'github.event.workflow_run.pull_requests.*.head.ref', what: "the triggering run's pull request branch", carriedBy: ['workflow_run'] },
  { pattern: 'github.event.check_suite.head_branch', what: 'the checked branch name', carriedBy: ['check_suite'] },
  { pattern: 'github.event.check_run.check_suite.head_branch', what: 'the checked branch name', carriedBy: ['check_run'] },
  { pattern: 'github.event.merge_group.head_commit.message', what: 'the merge group commit message', carriedBy: ['merge_group'] },
  { pattern: 'github.event.merge_group.head_commit.author.**', what: 'the merge group commit author', carriedBy: ['merge_group'] },
  { pattern: 'github.event.changes.title.from', what: 'the previous title', carriedBy: [...ISSUE_EVENTS, ...PR_EVENTS, 'discussion'] },
  { pattern: 'github.event.changes.body.from', what: 'the previous body', carriedBy: [...ISSUE_EVENTS, ...PR_EVENTS, 'discussion', 'discussion_comment'] },
];

// Sources whose text can span lines: bodies, comments, commit messages, descriptions, previous
// versions of those; author fields (`**`) are treated as possibly multi-line too (not sure they cannot be).
/** Each source pattern split at its dots, once (matches() split both sides for every source and reference). */
const SOURCE_SEGMENTS: readonly (readonly string[])[] = SOURCES.map((s) => s.pattern.split('.'));

const MULTILINE = /\.(?:body|message|description|from|\*\*)$/;

// Fields inside an attacker-controlled object that are still safe (numbers, booleans, timestamps, ids).
const SAFE_LEAF = /^(id|node_id|number|size|fork|private|archived|disabled|sha|login|username|.*_count|.*_at|.*_id|.*_url)$/;

/** Triggers through which data from outside the project reaches the workflow (adds gollum and fork PRs). */
export const OUTSIDE_DATA_TRIGGERS = new Set([...OUTSIDER_TRIGGERS, 'pull_request', 'gollum']);

function matches(p: readonly string[], s: readonly string[]): 'exact' | 'contains' | undefined {
  for (let i = 0; i < p.length; i++) {
    if (p[i] === '**') {
      if (i >= s.length) return 'contains';
      return SAFE_LEAF.test(s[s.length - 1]) ? undefined : 'exact';
    }
    if (i >= s.length) return 'contains'; // the path is an object that holds the field
    if (p[i] !== '*' && s[i] !== '*' && p[i] !== s[i]) return undefined;
  }
  return s.length === p.length ? 'exact' : undefined;
}

/** Where to look up `env`, `matrix` and `steps` when following derived data. */
export interface TaintScope {
  file: YamlFile;
  workflow?: WorkflowModel;
  job?: JobModel;
  step?: StepModel;
  /** Steps before this one, in the same job or action (for `steps.<id>.outputs`). */
  steps?: readonly StepModel[];
}

const SAFE: TaintVerdict = { taint: 'safe', what: 'a value GitHub or the maintainers control' };

// Environment variable names are case-insensitive here (as on Windows runners): the first pair of each
// lower-cased name, indexed once per env mapping. Every `env.X` of every step looked the mapping up
// from the start, which made a workflow env of n variables used by n jobs cost n².
const envPairIndexes = new WeakMap<YAMLMap, Map<string, Pair>>();

function envValue(map: YAMLMap | undefined, name: string, file: YamlFile): { found: boolean; text?: string } {
  if (!map) return { found: false };
  let index = envPairIndexes.get(map);
  if (!index) {
    index = new Map();
    for (const p of pairs(map)) {
      const k = keyString(p)?.toLowerCase();
      if (k !== undefined && !index.has(k)) index.set(k, p);
    }
    envPairIndexes.set(map, index);
  }
  const p = index.get(name.toLowerCase());
  if (!p) return { found: false };
  const v = deref(p.value, file);
  return { found: true, text: isScalar(v) ? String(v.value ?? '') : undefined };
}

/** Worst verdict over the expressions in a text (an env value, a matrix entry). */
export function textTaint(text: string, scope: TaintScope, depth: number): TaintVerdict {
  let worst: TaintVerdict = SAFE;
  for (const span of findExpressions(text)) {
    // Only what can become the value counts: `a == b`, `!a` and the left side of `a && b` give no text.
    for (const ref of flowingRefs(span.inner)) {
      const v = classifyContext(ref.path, scope, depth + 1, ref.segments);
      if (rank(v.taint) > rank(worst.taint)) worst = v;
    }
  }
  return worst;
}

export function rank(t: Taint): number {
  return t === 'attacker' ? 3 : t === 'input' ? 2 : t === 'unknown' ? 1 : 0;
}

function matrixTaint(name: string, scope: TaintScope, depth: number): TaintVerdict {
  const { job, file } = scope;
  const strategy = job ? getMap(job.node, 'strategy', file) : undefined;
  const matrixNode = strategy ? get(strategy, 'matrix', file) : undefined;
  if (!matrixNode) return { taint: 'unknown', what: `matrix value \`${name}\` (no matrix found)` };
  if (isScalar(matrixNode)) {
    const t = textTaint(String(matrixNode.value ?? ''), scope, depth);
    return t.taint === 'safe' ? { taint: 'unknown', what: `matrix value \`${name}\` (the matrix is computed at run time)` } : { ...t, via: `matrix.${name}` };
  }
  if (!isMap(matrixNode)) return { taint: 'unknown', what: `matrix value \`${name}\`` };
  let worst: TaintVerdict = SAFE;
  const consider = (v: unknown, level = 0): void => {
    // Every scalar under a matrix value (lists and nested objects included) decides its taint.
    const n = deref(v, file);
    if (isScalar(n)) {
      const t = textTaint(String(n.value ?? ''), scope, depth);
      if (rank(t.taint) > rank(worst.taint)) worst = t;
    } else if ((isSeq(n) || isMap(n)) && level < 4) {
      for (const i of n.items) consider(isMap(n) ? (i as { value: unknown }).value : i, level + 1);
    } else if (rank('unknown') > rank(worst.taint)) worst = { taint: 'unknown', what: `matrix value \`${name}\`` };
  };
  const direct = getPair(matrixNode, name, file);
  if (direct) consider(direct.value);
  for (const key of ['include', 'exclude']) {
    const list = get(matrixNode, key, file);
    if (isScalar(list)) consider(list);
    else if (isSeq(list)) for (const entry of list.items) {
      const e = deref(entry, file);
      if (isMap(e)) {
        const p = getPair(e, name, file);
        if (p) consider(p.value);
      } else consider(e);
    }
  }
  if (worst.taint === 'safe') return { taint: 'safe', what: `matrix value \`${name}\` from a fixed list` };
  return { ...worst, via: `matrix.${name}` };
}

// Outputs of common actions that cannot carry someone else's text: SHAs, flags, versions, paths, tokens.
const SAFE_OUTPUTS: Record<string, string[]> = {
  'actions/checkout': ['commit'],
  'actions/cache': ['cache-hit'],
  'actions/cache/restore': ['cache-hit', 'cache-primary-key', 'cache-matched-key'],
  'actions/setup-python': ['python-version', 'python-path', 'cache-hit'],
  'actions/setup-node': ['node-version', 'cache-hit'],
  'actions/setup-go': ['go-version', 'cache-hit'],
  'actions/setup-java': ['version', 'path', 'cache-hit'],
  'actions/create-github-app-token': ['token', 'installation-id', 'app-slug'],
  'actions/upload-artifact': ['artifact-id', 'artifact-url', 'artifact-digest'],
  'actions/download-artifact': ['download-path'],
  'actions/attest-build-provenance': ['bundle-path', 'attestation-id', 'attestation-url'],
};

function knownSafeOutput(stepId: string | undefined, output: string | undefined, scope: TaintScope): boolean {
  if (!stepId || !output || !scope.steps) return false;
  const step = scope.steps.find((s) => s.id?.toLowerCase() === stepId.toLowerCase());
  const uses = step?.uses ? actionName(step.uses.value) : undefined;
  return !!uses && (SAFE_OUTPUTS[uses] ?? []).includes(output.toLowerCase());
}

/**
 * What a `run:` step writes to an output, when the script shows it: the text after `NAME=` on the line
 * that appends to $GITHUB_OUTPUT (or the body of a `NAME<<EOF` block). Expressions in it, and
 * environment variables it expands from the step's `env:`, decide the taint. Only a positive answer is
 * used; anything else stays "cannot tell".
 */
// Steps that fetch the triggering run's artifacts (files a fork's pull request may have written).
function fetchesRunArtifacts(step: StepModel): boolean {
  const uses = step.uses ? actionName(step.uses.value) : undefined;
  if (uses === 'dawidd6/action-download-artifact') return true;
  if (uses === 'actions/download-artifact' && /run-id/.test(JSON.stringify(step.with?.toJSON() ?? {}))) return true;
  if (uses === 'actions/github-script' && /downloadArtifact\s*\(/.test(JSON.stringify(step.with?.toJSON() ?? {}))) return true;
  return !!step.run && /\bgh\s+run\s+download\b|actions\/runs\/[^\s]*\/artifacts/.test(step.run.value);
}

/**
 * An output a step sets from files it reads (`$(cat pr/number)`, `readFileSync`), after an earlier
 * step of the job fetched the triggering run's artifacts under workflow_run: a fork's pull request
 * wrote those files, so the output is outsiders' text.
 */
function artifactOutput(step: StepModel, scope: TaintScope): TaintVerdict | undefined {
  if (!scope.workflow?.triggers.some((t) => t.name === 'workflow_run') || !scope.steps) return undefined;
  const before = scope.steps.slice(0, scope.steps.indexOf(step));
  if (!before.some(fetchesRunArtifacts)) return undefined;
  const text = step.run?.value ?? JSON.stringify(step.with?.toJSON() ?? {});
  if (!/GITHUB_OUTPUT|core\.setOutput|set-output/.test(text)) return undefined;
  // The files it reads: `$(cat f)`, `$(<f)`, `$(jq … f)`, `readFileSync('f')`.
  const files: string[] = [];
  for (const m of text.matchAll(/\$\(\s*(?:<\s*|(?:cat|head|unzip\s+-p)\s+(?:-\S+\s+)*)["']?([\w./-]+)/g)) files.push(m[1]);
  for (const m of text.matchAll(/\$\(\s*jq\b[^)]*?\s["']?([\w./-]+\.\w+)["']?\s*\)/g)) files.push(m[1]);
  for (const m of text.matchAll(/readFileSync\(\s*\\?["'`]([\w./-]+)/g)) files.push(m[1]);
  // A file an earlier step of the job wrote (`… | tee out.json`, `> out.json`) is the job's own, not the artifact's.
  const written = (f: string) => before.some((b) => b.run && new RegExp(`(?:>|tee\\s+(?:-a\\s+)?|-o\\s+|--output[= ])\\s*["']?(?:\\./)?${f.replace(/^\.\//, '').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\b`).test(b.run.value));
  const fromArtifact = files.filter((f) => !written(f));
  return fromArtifact.length ? { taint: 'attacker', what: `text read from \`${fromArtifact[0]}\`, a file of the triggering run's artifacts (a fork's pull request can write it)`, carriedBy: ['workflow_run'], multiline: true } : undefined;
}

function stepOutputTaint(stepId: string | undefined, output: string | undefined, scope: TaintScope, depth: number): TaintVerdict | undefined {
  if (!stepId || !output || output === '*' || !scope.steps) return undefined;
  const want = stepId.toLowerCase();
  const step = scope.steps.find((st) => st.id?.toLowerCase() === want);
  if (!step) return undefined;
  const fromArtifact = artifactOutput(step, scope);
  if (fromArtifact) return fromArtifact;
  if (!step.run) return undefined;
  const script = step.run.value;
  if (!/GITHUB_OUTPUT/.test(script)) return undefined;
  const name = output.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const pieces: string[] = [];
  for (const m of script.matchAll(new RegExp(`(?:^|[\\s"'])${name}=([^\\n]*)`, 'gi'))) pieces.push(m[1].replace(/["']?\s*>>.*$/, ''));
  for (const m of script.matchAll(new RegExp(`${name}<<["']?(\\w+)["']?[^\\n]*\\n([\\s\\S]*?)\\n[^\\n]*\\1`, 'gi'))) pieces.push(m[2]);
  if (!pieces.length) return undefined;
  const stepScope: TaintScope = { ...scope, step };
  let worst: TaintVerdict | undefined;
  for (const text of pieces) {
    const direct = textTaint(text, stepScope, depth);
    if (!worst || rank(direct.taint) > rank(worst.taint)) worst = direct;
    for (const v of text.matchAll(/\$\{?([A-Za-z_][A-Za-z0-9_]*)/g)) {
      const env = envValue(step.env, v[1], scope.file);
      if (!env.found || env.text === undefined) continue;
      const t = textTaint(env.text, stepScope, depth);
      if (!worst || rank(t.taint) > rank(worst.taint)) worst = t;
    }
  }
  // A literal value (`n=1`, `ok=true`) with nothing expanded is known to be safe.
  if (worst && worst.taint === 'safe' && pieces.every((t) => !/[$`]/.test(t))) return { taint: 'safe', what: `output \`${output}\` of step \`${stepId}\` (a fixed value)` };
  return worst && worst.taint !== 'safe' ? worst : undefined;
}

/** A job output (`jobs.<id>.outputs.<name>`) follows to the step output it is defined from. */
function jobOutputTaint(jobId: string | undefined, output: string | undefined, scope: TaintScope, depth: number): TaintVerdict | undefined {
  if (!jobId || !output || !scope.workflow) return undefined;
  const job = scope.workflow.jobs.find((j) => j.id.toLowerCase() === jobId.toLowerCase());
  const outputs = job ? getMap(job.node, 'outputs', scope.file) : undefined;
  const found = envValue(outputs, output, scope.file);
  if (!job || !found.found || found.text === undefined) return undefined;
  return textTaint(found.text, { file: scope.file, workflow: scope.workflow, job, steps: job.steps }, depth);
}

/** An input is safe when its declared type cannot carry text: boolean, number, or a fixed choice. */
function inputTaint(name: string | undefined, scope: TaintScope): TaintVerdict {
  const what = `input \`${name ?? '*'}\``;
  const { file, workflow } = scope;
  const declaredBy: ('workflow_dispatch' | 'workflow_call' | 'action')[] = [];
  if (!workflow) declaredBy.push('action');
  else for (const t of workflow.triggers) if (t.name === 'workflow_dispatch' || t.name === 'workflow_call') declaredBy.push(t.name);
  if (!name || name === '*') return { taint: 'input', what, input: { name: '*', declaredBy } };
  const decls: unknown[] = [];
  if (workflow) {
    for (const t of workflow.triggers) {
      if (t.name !== 'workflow_dispatch' && t.name !== 'workflow_call') continue;
      const inputs = getMap(t.config, 'inputs', file);
      if (inputs) decls.push(...pairs(inputs).filter((p) => keyString(p)?.toLowerCase() === name.toLowerCase()).map((p) => deref(p.value, file)));
    }
  } else {
    // A composite action's inputs are declared at the top of action.yml; they carry no type.
    return { taint: 'input', what, input: { name, declaredBy } };
  }
  if (decls.length && decls.every((d) => ['boolean', 'number', 'choice', 'environment'].includes(String(get(d, 'type', file) ? (deref(get(d, 'type', file), file) as { value?: unknown })?.value : '')))) {
    return { taint: 'safe', what: `${what} (a boolean, number, fixed choice or environment name)` };
  }
  return { taint: 'input', what, input: { name, declaredBy } };
}

/**
 * Classifies one context path (as produced by `contextRefs`) in a scope. `depth` bounds how far env
 * indirection is followed (an env value may refer to another env value).
 */
export function classifyContext(path: string, scope: TaintScope, depth = 0, written?: readonly string[]): TaintVerdict {
  // Lookups compare case-insensitively (as GitHub does); messages use the names as written.
  const segs = written && written.length === path.split('.').length ? [...written] : path.split('.');
  const root = segs[0].toLowerCase();
  if (root === 'github') {
    if (path === 'github' || path === 'github.event' || path === 'github.event.*') {
      return { taint: 'attacker', what: 'the whole event payload (includes titles, bodies and branch names)', carriedBy: [], multiline: true };
    }
    if (path.startsWith('github.event.inputs.') || path === 'github.event.inputs') return inputTaint(segs[3], scope);
    let contains: Source | undefined;
    const split = path.split('.');
    for (let i = 0; i < SOURCES.length; i++) {
      const s = SOURCES[i];
      const m = matches(SOURCE_SEGMENTS[i], split);
      if (m === 'exact') return { taint: 'attacker', what: s.what, carriedBy: s.carriedBy, multiline: MULTILINE.test(s.pattern) };
      if (m === 'contains' && !contains) contains = s;
    }
    if (contains) return { taint: 'attacker', what: `an object that includes ${contains.what}`, carriedBy: contains.carriedBy, multiline: true };
    return SAFE;
  }
  if (root === 'inputs') return inputTaint(segs[1], scope);
  if (root === 'env') {
    const name = segs[1];
    if (!name || name === '*') return { taint: 'unknown', what: 'an environment variable' };
    if (depth > 4) return { taint: 'unknown', what: `environment variable \`${name}\`` };
    const { file } = scope;
    for (const map of [scope.step?.env, scope.job?.env, scope.workflow?.env]) {
      const found = envValue(map, name, file);
      if (!found.found) continue;
      if (found.text === undefined) return { taint: 'unknown', what: `environment variable \`${name}\`` };
      const t = textTaint(found.text, scope, depth);
      return t.taint === 'safe' ? { taint: 'safe', what: `environment variable \`${name}\` (a fixed or safe value)` } : { ...t, via: `env.${name}` };
    }
    return { taint: 'unknown', what: `environment variable \`${name}\` (set outside this file or at run time)` };
  }
  if (root === 'matrix') {
    const name = segs[1];
    if (!name || name === '*') return { taint: 'unknown', what: 'the matrix' };
    return matrixTaint(name, scope, depth);
  }
  if (root === 'steps' && segs[2]?.toLowerCase() === 'outputs' && knownSafeOutput(segs[1], segs[3], scope)) {
    return { taint: 'safe', what: `output \`${segs[3]}\` of step \`${segs[1]}\` (a SHA, flag, path or token)` };
  }
  if (root === 'steps' && segs[2]?.toLowerCase() === 'outputs') {
    const what = `output \`${segs[3] ?? '*'}\` of step \`${segs[1]}\``;
    const derived = depth <= 4 ? stepOutputTaint(segs[1], segs[3], scope, depth) : undefined;
    if (derived?.taint === 'safe') return derived;
    return derived && rank(derived.taint) >= rank('input') ? { ...derived, via: `steps.${segs[1]}.outputs.${segs[3]}` } : { taint: 'unknown', what };
  }
  if (root === 'needs' && segs[2]?.toLowerCase() === 'outputs') {
    const what = `output \`${segs[3] ?? '*'}\` of job \`${segs[1]}\``;
    const derived = depth <= 4 ? jobOutputTaint(segs[1], segs[3], scope, depth) : undefined;
    // A job output defined from safe values only (a ref name, a literal) is safe, as for step outputs.
    if (derived?.taint === 'safe') return { taint: 'safe', what: `${what} (defined from fixed or safe values)` };
    return derived && rank(derived.taint) >= rank('input') ? { ...derived, via: `needs.${segs[1]}.outputs.${segs[3]}` } : { taint: 'unknown', what };
  }
  return SAFE;
}

/** Whether any of the workflow's triggers lets outsiders supply data described by `carriedBy`. */
export function outsiderCanSupply(verdict: TaintVerdict, triggers: ReadonlySet<string>): boolean {
  const carried = verdict.carriedBy ?? [];
  for (const t of triggers) {
    if (!OUTSIDE_DATA_TRIGGERS.has(t)) continue;
    if (carried.length === 0 || carried.includes(t)) return true;
  }
  return false;
}
