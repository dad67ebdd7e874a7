import type { Scalar } from 'yaml';
import type { CheckMeta, Confidence, Finding, Severity } from '../../model';
import type { Check, SourceFile } from '../types';
import { finding, jobLabel } from '../helpers';
import { deref, isScalar, locationOf, rangeLocation, scalarString } from '../../yaml/parse';
import { triggerNames, type JobModel, type StepModel } from '../../yaml/workflow';
import { findExpressions, flowingRefs } from '../../yaml/expressions';
import { classifyContext, outsiderCanSupply, rank, type TaintScope, type TaintVerdict } from '../../workflow/taint';
import { outsiderReach } from '../../workflow/guards';

export const meta: CheckMeta = {
  id: 'github-env',
  title: 'No untrusted text in GITHUB_ENV or GITHUB_PATH',
  category: 'workflows',
  severity: 'high',
  confidence: 'medium',
  fixable: false,
  docs: {
    summary:
      'A `run:` step appends text that outsiders choose (a pull request description, a comment, a branch name — directly as `${{ … }}` or through an `env:` variable) to `$GITHUB_ENV` or `$GITHUB_PATH`: `echo "X=$BODY" >> "$GITHUB_ENV"`, `tee -a $GITHUB_ENV`, PowerShell `Out-File`/`Add-Content $env:GITHUB_ENV`. High when outsiders can start the workflow and no condition keeps them out; medium when a condition does, or when the text cannot hold a line break (titles and branch names only set the value of the one variable); low for manual-run and caller inputs.',
    whyItMatters:
      'Every line in `$GITHUB_ENV` becomes an environment variable of all later steps, and every line in `$GITHUB_PATH` a directory searched for programs. Text with a line break in it adds lines of the attacker\'s choice: `BASH_ENV=/tmp/x`, `NODE_OPTIONS=--require …` or `LD_PRELOAD=…` run their code in the next step, with the job\'s token and secrets. Quoting does not help here: the shell writes the text faithfully, and the runner reads it as new variables.',
    howToFix:
      'Do not put outsiders\' text into the environment file. Pass it to the step that needs it through that step\'s own `env:` (`env: BODY: ${{ github.event.pull_request.body }}`), or write it to a file and read the file. If a value must travel between steps, use a step output (`$GITHUB_OUTPUT`) and reference it as `${{ steps.x.outputs.y }}` in an `env:` entry, or validate it first (for example only `[A-Za-z0-9._-]`).',
    effort: 'minutes',
    fixSafety: 'No automatic fix: where the value should go instead depends on the steps that use it.',
  },
  references: {
    zizmor: 'github-env',
    other: [{ title: 'GitHub Docs: Setting an environment variable (GITHUB_ENV) and multiline strings', url: 'https://docs.github.com/en/actions/reference/workflows-and-actions/workflow-commands#setting-an-environment-variable' }],
  },
};

type Lang = 'posix' | 'pwsh';

/** A line (or lines: a `{ … } >> file` group, a here-document) that appends to one of the files. */
interface Write {
  file: 'GITHUB_ENV' | 'GITHUB_PATH';
  /** The statement's text as the shell receives it. */
  text: string;
  /** The first line of the statement, to point at. */
  first: string;
  /** Text inside a quoted here-document: only `${{ }}` expands there. */
  literal?: string;
}

const POSIX_TARGET = /(?:>>?|\btee\b(?:\s+-[a-z-]+)*)\s*["']?\$\{?(GITHUB_ENV|GITHUB_PATH)\b/;
const PWSH_TARGET = /(?:>>?|\b(?:Out-File|Add-Content|Set-Content)\b[^\n|;]*?)\s*["']?\$env:(GITHUB_ENV|GITHUB_PATH)\b/i;

/** Splits a script into logical lines (joining `\` or PowerShell backtick continuations). Linear. */
function logicalLines(script: string, lang: Lang): string[] {
  const out: string[] = [];
  let cur = '';
  for (const raw of script.split('\n')) {
    const line = raw.replace(/\r$/, '');
    const cont = lang === 'posix' ? /\\$/.test(line) : /`$/.test(line);
    if (cont) {
      cur += line.slice(0, -1) + ' ';
      continue;
    }
    out.push(cur + line);
    cur = '';
  }
  if (cur) out.push(cur);
  return out;
}

function writesOf(script: string, lang: Lang): Write[] {
  const lines = logicalLines(script, lang);
  const out: Write[] = [];
  const target = lang === 'posix' ? POSIX_TARGET : PWSH_TARGET;
  let groupStart = -1;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const t = line.trim();
    if (t.startsWith('#')) continue;
    if (lang === 'posix' && /^\{\s*$|^\{\s+[^}]*$/.test(t)) groupStart = i;
    const m = target.exec(line);
    if (!m) {
      if (lang === 'posix' && /^\}/.test(t)) groupStart = -1;
      continue;
    }
    const file = m[1].toUpperCase() as Write['file'];
    // `{ echo a; echo b; } >> "$GITHUB_ENV"` over several lines: the whole group is written.
    if (lang === 'posix' && /^\}/.test(t) && groupStart >= 0) {
      out.push({ file, text: lines.slice(groupStart, i + 1).join('\n'), first: lines[groupStart] });
      groupStart = -1;
      continue;
    }
    // `cat >> "$GITHUB_ENV" <<EOF … EOF`: the here-document is what is written.
    const h = lang === 'posix' ? /<<-?\s*(['"]?)([A-Za-z0-9_.-]+)\1/.exec(line) : undefined;
    if (h) {
      let j = i + 1;
      while (j < lines.length && lines[j].trim() !== h[2]) j++;
      const body = lines.slice(i + 1, j).join('\n');
      out.push(h[1] ? { file, text: line, first: line, literal: body } : { file, text: `${line}\n${body}`, first: line });
      i = j;
      continue;
    }
    out.push({ file, text: line, first: line });
  }
  return out;
}

/** Shell variables a statement expands (not inside single quotes): `$X`, `${X}`, `${X#…}`, `$env:X`. */
function expandedVariables(text: string, lang: Lang): string[] {
  const out: string[] = [];
  let single = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (single) {
      if (c === "'") single = false;
      continue;
    }
    if (c === "'") {
      single = true;
      continue;
    }
    if ((lang === 'posix' && c === '\\') || (lang === 'pwsh' && c === '`')) {
      i++;
      continue;
    }
    if (c !== '$') continue;
    const rest = text.slice(i + 1, i + 80);
    const m = lang === 'posix' ? /^\{?([A-Za-z_][A-Za-z0-9_]*)/.exec(rest) : /^(?:env:|\{env:)([A-Za-z_][A-Za-z0-9_]*)/i.exec(rest);
    if (m) out.push(m[1]);
  }
  return out;
}

// Variables the runner sets that carry outsiders' text, by the context they mirror.
const DEFAULT_VARIABLES: Readonly<Record<string, string>> = { GITHUB_HEAD_REF: 'github.head_ref' };

function langOf(step: StepModel, job: JobModel | undefined, file: SourceFile): Lang | undefined {
  const shell = (step.shell ?? job?.defaultShell)?.trim().split(/\s+/)[0]?.toLowerCase().replace(/^.*[\\/]/, '').replace(/\.exe$/, '');
  if (!shell) {
    if (file.action) return undefined;
    const runsOn = job?.runsOn ? JSON.stringify(deref(job.runsOn.value, file.yaml!) ?? '') : '';
    return /windows/i.test(runsOn) && !runsOn.includes('${{') ? 'pwsh' : 'posix';
  }
  if (['bash', 'sh', 'zsh', 'dash', 'ksh', 'msys2'].includes(shell)) return 'posix';
  if (['pwsh', 'powershell'].includes(shell)) return 'pwsh';
  return undefined;
}

/** The worst source of text in one write, with how it got there. */
function writeTaint(w: Write, lang: Lang, scope: TaintScope): { verdict: TaintVerdict; through: string } | undefined {
  let best: { verdict: TaintVerdict; through: string } | undefined;
  const consider = (verdict: TaintVerdict, through: string) => {
    if (verdict.taint !== 'attacker' && verdict.taint !== 'input') return;
    if (!best || rank(verdict.taint) > rank(best.verdict.taint) || (verdict.multiline && !best.verdict.multiline && verdict.taint === best.verdict.taint)) best = { verdict, through };
  };
  for (const text of [w.text, w.literal ?? '']) {
    for (const span of findExpressions(text)) {
      for (const ref of flowingRefs(span.inner)) consider(classifyContext(ref.path, scope, 0, ref.segments), `\`\${{ ${span.inner.trim()} }}\``);
    }
  }
  for (const name of expandedVariables(w.text.replace(/\$\{\{[\s\S]*?\}\}/g, ''), lang)) {
    const upper = name.toUpperCase();
    if (upper === 'GITHUB_ENV' || upper === 'GITHUB_PATH') continue;
    const mirrored = DEFAULT_VARIABLES[upper];
    const verdict = mirrored ? classifyContext(mirrored, scope) : classifyContext(`env.${name.toLowerCase()}`, scope, 0, ['env', name]);
    consider(verdict, lang === 'posix' ? `\`$${name}\`` : `\`$env:${name}\``);
  }
  return best;
}

function conditionText(node: unknown): string | undefined {
  return isScalar(node) ? scalarString(node) : undefined;
}

/** Where the statement's first line sits in the file: found in the scalar's source text, else the scalar. */
function pointAt(file: SourceFile, node: Scalar, first: string, from: { offset: number }): ReturnType<typeof locationOf> {
  const y = file.yaml!;
  const r = node.range;
  const needle = first.trim();
  if (r && needle) {
    const at = y.text.indexOf(needle, Math.max(from.offset, r[0]));
    if (at >= 0 && at < r[1]) {
      from.offset = at + needle.length;
      return rangeLocation(y, at, at + needle.length);
    }
  }
  return locationOf(y, node);
}

export const check: Check = {
  meta,
  fileKinds: ['workflow', 'action'],
  notApplicableReason: 'No workflows or actions',
  checkFile(file) {
    if (!file.yaml) return [];
    const wf = file.workflow;
    const triggers = wf ? triggerNames(wf) : new Set<string>();
    const groups: { job?: JobModel; steps: StepModel[] }[] = wf ? wf.jobs.map((job) => ({ job, steps: job.steps })) : file.action ? [{ steps: file.action.steps }] : [];
    const out: Finding[] = [];
    const seen = new Set<Scalar>();
    for (const { job, steps } of groups) {
      for (const step of steps) {
        const run = step.run;
        if (!run || seen.has(run.node) || !/GITHUB_(?:ENV|PATH)/i.test(run.value)) continue;
        seen.add(run.node);
        const lang = langOf(step, job, file);
        if (!lang) continue;
        const scope: TaintScope = { file: file.yaml, workflow: wf, job, step, steps };
        const conditions = [job?.if ? conditionText(job.if.node) : undefined, step.if ? conditionText(step.if.node) : undefined];
        const from = { offset: 0 };
        for (const w of writesOf(run.value, lang)) {
          const hit = writeTaint(w, lang, scope);
          if (!hit) continue;
          const { verdict, through } = hit;
          const where = `step ${step.name ?? step.id ?? step.index + 1}${job ? ` of job ${jobLabel(job)}` : ''}`;
          const whole = new RegExp(`^\\s*(?:echo|printf|Write-Output)?\\s*(?:-[a-zA-Z]+\\s+)*["']?${through.replace(/^`|`$/g, '').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`).test(w.text.trim());
          let severity: Severity;
          let confidence: Confidence = 'medium';
          let says: string;
          if (verdict.taint === 'input') {
            severity = 'low';
            says = wf
              ? `${verdict.what} is chosen by whoever runs or calls the workflow — people with write access — so this is hygiene: a value with a line break in it would add variables of its own`
              : `${verdict.what} is set by the workflow that uses this action, so this is hygiene unless that workflow passes outsiders' text: a value with a line break in it would add variables of its own`;
          } else {
            const open = [...triggers].filter((t) => outsiderCanSupply(verdict, new Set([t])) && outsiderReach(conditions, t) === 'open');
            const lineBreak = verdict.multiline || w.file === 'GITHUB_PATH' || whole || !!w.literal;
            if (!open.length) {
              severity = 'medium';
              says = wf
                ? `${verdict.what} comes from people who are not necessarily maintainers, though no trigger here lets outsiders start the job unchecked`
                : `${verdict.what} reaches this action from the workflow that uses it; whether outsiders write it depends on that workflow's triggers`;
            } else if (!lineBreak) {
              severity = 'medium';
              confidence = 'low';
              says = `outsiders choose ${verdict.what}; it cannot hold a line break, so it sets only this variable's value (not new variables) — but every later step now receives their text`;
            } else {
              severity = 'high';
              confidence = 'high';
              says = `outsiders choose ${verdict.what} (${open.join(', ')}), and a line break in it adds environment variables of their choice (\`BASH_ENV\`, \`NODE_OPTIONS\`, \`LD_PRELOAD\`) that run code in every later step`;
            }
          }
          out.push(
            finding(meta, {
              message: `The ${where} writes ${through}${verdict.via && !through.includes(verdict.via.replace(/^env\./, '')) ? ` (from \`${verdict.via}\`)` : ''} to \`$${w.file}\`: ${says}`,
              severity,
              confidence,
              location: pointAt(file, run.node, w.first, from),
            }),
          );
        }
      }
    }
    return out;
  },
};
