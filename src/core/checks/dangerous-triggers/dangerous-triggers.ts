import type { CheckMeta, Finding, RelatedLocation, Severity, Confidence } from '../../model';
import type { Check, RepoContext, SourceFile } from '../types';
import { isUsable } from '../../repo/load';
import { finding, jobLabel } from '../helpers';
import { deref, get, isScalar, locationOf, pairs, scalarString, type YamlFile } from '../../yaml/parse';
import type { JobModel, StepModel, TriggerModel, WorkflowModel } from '../../yaml/workflow';
import { parseUses } from '../../yaml/uses';
import { actionVersion, atLeast, type ActionVersion } from '../../workflow/versions';
import { outsiderReach } from '../../workflow/guards';
import { GIT_COMMAND } from '../../workflow/git-command';

export const meta: CheckMeta = {
  id: 'dangerous-triggers',
  title: 'Privileged triggers used safely',
  category: 'workflows',
  severity: 'high',
  confidence: 'high',
  fixable: false,
  essential: true,
  docs: {
    summary:
      'A workflow runs on `pull_request_target` or `workflow_run`. These triggers run with the repository\'s secrets and a token that can write, even for pull requests from forks. Rated high when a job then checks out the pull request\'s code (or the triggering run\'s branch) and so may run it, or sets actions/checkout\'s `allow-unsafe-pr-checkout: true` (the explicit opt-in, needed from checkout v7 and v6.1 on) and runs what it checked out. Job and step `if:` conditions are evaluated, not matched as text: a guard counts only when it keeps forks out on every path.',
    whyItMatters:
      'Normal `pull_request` workflows from forks get no secrets and a read-only token, so a malicious pull request can do little. `pull_request_target` and `workflow_run` exist for the few jobs that need more (labelling, commenting, deploying previews) — but if such a job checks out the pull request and runs its build, tests or scripts, the attacker\'s code runs with your secrets and write access. This "pwn request" pattern has been used to steal publishing tokens and push malicious commits.',
    howToFix:
      'Prefer `pull_request` when the job only builds and tests. If you need `pull_request_target` or `workflow_run`, do not check out or run the pull request\'s code in that job: keep the privileged part (commenting, labelling) separate, pass results through artifacts that are treated as data, and if you must check out the code, gate the job on a maintainer-applied label or environment approval and never run its scripts.',
    effort: 'an hour',
    fixSafety:
      'No automatic fix: the right change depends on what the workflow is for. Splitting it into an unprivileged `pull_request` build and a small privileged follow-up is the usual pattern.',
  },
  references: {
    zizmor: 'dangerous-triggers',
    scorecard: 'Dangerous-Workflow',
    osps: ['OSPS-BR-01.03'],
    other: [{ title: 'GitHub Security Lab: Preventing pwn requests', url: 'https://securitylab.github.com/resources/github-actions-preventing-pwn-requests/' }],
  },
};

const DANGEROUS = new Set(['pull_request_target', 'workflow_run']);

// What points a checkout at the untrusted side: the PR head, its merge ref, or the triggering run's head.
const HEAD_REF = /github\.event\.pull_request\.head\.(sha|ref)|github\.head_ref|refs\/pull\/|github\.event\.pull_request\.merge_commit_sha|github\.event\.workflow_run\.head_(sha|branch)|github\.event\.workflow_run\.pull_requests|github\.event\.pull_request\.number|github\.event\.number/i;
const HEAD_REPO = /github\.event\.pull_request\.head\.repo\.(full_name|clone_url|html_url)|github\.event\.workflow_run\.head_repository\.(full_name|clone_url)/i;
// `gh pr checkout`, or git fetching or checking out the head (`git -C dir fetch …` too: git's global
// options may come before the subcommand), the head named later on the same line.
const GH_PR_CHECKOUT = /\bgh\s+pr\s+checkout\b/i;
const GIT_FETCHES = new RegExp(String.raw`${GIT_COMMAND}(?:fetch|pull|checkout|switch)\b`, 'i');
const HEAD_NAMED = /pull\/|refs\/pull|head_ref|HEAD_REF|head\.sha|head\.ref|head_sha|head_branch|PR_REF|PR_SHA|HEAD_SHA/i;

/**
 * Whether a run script checks out the pull request's head. The head is looked for once per line,
 * after the line's first git fetch or checkout: looked for after each, as one regular expression
 * did, a hostile line of many `git fetch` cost time in the square of its length.
 */
function runChecksOutHead(script: string): boolean {
  if (GH_PR_CHECKOUT.test(script)) return true;
  if (!/git/i.test(script)) return false;
  for (const line of script.split('\n')) {
    const m = GIT_FETCHES.exec(line);
    if (m && HEAD_NAMED.test(line.slice(m.index + m[0].length))) return true;
  }
  return false;
}

interface HeadCheckout {
  job: JobModel;
  /** Absent when a reusable workflow is handed the head ref (it checks out and runs it there). */
  step?: StepModel;
  /** The node to point at (the `ref:` value, or the run script). */
  node: unknown;
  runsAfter: StepModel[];
  guarded: boolean;
  /** The head ref is passed to a reusable workflow. */
  calls?: boolean;
  /** Gated on a maintainer's action (a label or an environment with reviewers) rather than on the source. */
  approval: boolean;
  /** actions/checkout with `allow-unsafe-pr-checkout: true`: the explicit opt-in to checking out fork code. */
  optIn?: boolean;
  /** actions/checkout at a version that refuses fork code under these triggers (and no opt-in). */
  refused?: { version: string };
  /** actions/checkout at a version Steward cannot tell (a SHA without a version comment). */
  unknownVersion?: boolean;
}

// actions/checkout refuses to check out a fork's pull request under pull_request_target and
// PR-triggered workflow_run unless `allow-unsafe-pr-checkout: true` (actions/checkout#2454, released
// in v7.0.0 and backported to v6 in v6.1.0, actions/checkout#2500).
function checkoutRefusesForks(v: ActionVersion | undefined): boolean | undefined {
  if (!v) return undefined;
  return atLeast(v, 7) === true || (v.major === 6 && atLeast(v, 6, 1) === true);
}

/** Steps that execute what was checked out: scripts, local actions (`./x`, `$/x`), and anything after that. */
function executes(s: StepModel): boolean {
  if (s.run) return true;
  return !!s.uses && parseUses(s.uses.value).kind === 'local';
}


function isAction(step: StepModel, owner: string, repo: string): boolean {
  if (!step.uses) return false;
  const u = parseUses(step.uses.value);
  return u.kind === 'repo' && u.owner.toLowerCase() === owner && u.repo.toLowerCase() === repo;
}

function ifText(node: unknown): string {
  return isScalar(node) ? String(node.value ?? '') : '';
}

function headCheckouts(wf: WorkflowModel, y: YamlFile, trigger: string): HeadCheckout[] {
  const out: HeadCheckout[] = [];
  const prt = wf.triggers.find((t) => t.name === 'pull_request_target');
  const types = prt ? deref(get(prt.config, 'types', y), y) : undefined;
  const labelOnly = !!types && JSON.stringify((types as { toJSON?: () => unknown }).toJSON?.() ?? '') === '["labeled"]';
  for (const job of wf.jobs) {
    // Conditions are evaluated over the facts of an outsider's run (see workflow/guards.ts): a guard
    // counts only when it keeps that run out on every path, not when its text merely appears.
    const jobReach = outsiderReach([ifText(job.if?.node)], trigger);
    const jobGuard = jobReach === 'blocked';
    // A maintainer approves each run: a label they apply, a merge, or a deployment environment (which can require reviewers).
    const approval = labelOnly || jobReach === 'approval' || !!job.environment;
    if (job.uses && job.with) {
      // A reusable workflow given the pull request's head: it will check it out with this run's privileges.
      for (const p of pairs(job.with)) {
        const v = deref(p.value, y);
        if (isScalar(v) && HEAD_REF.test(scalarString(v) ?? '')) {
          out.push({ job, node: v, runsAfter: [], calls: true, guarded: jobGuard, approval: !jobGuard && approval });
          break;
        }
      }
    }
    job.steps.forEach((step, i) => {
      let node: unknown;
      let extra: Pick<HeadCheckout, 'optIn' | 'refused' | 'unknownVersion'> = {};
      if (isAction(step, 'actions', 'checkout') && step.with) {
        const ref = deref(get(step.with, 'ref', y), y);
        const repo = deref(get(step.with, 'repository', y), y);
        if (isScalar(ref) && HEAD_REF.test(scalarString(ref) ?? '')) node = ref;
        else if (isScalar(repo) && HEAD_REPO.test(scalarString(repo) ?? '')) node = repo;
        if (node) {
          const optIn = /^true$/i.test((scalarString(deref(get(step.with, 'allow-unsafe-pr-checkout', y), y)) ?? '').trim());
          const v = actionVersion(y, step);
          const refuses = checkoutRefusesForks(v);
          if (optIn) extra = { optIn };
          else if (refuses) extra = { refused: { version: `v${v!.major}${v!.minor !== undefined ? `.${v!.minor}` : ''}` } };
          else if (refuses === undefined) extra = { unknownVersion: true };
        }
      } else if (step.run && runChecksOutHead(step.run.value)) node = step.run.node;
      if (!node) return;
      const runsAfter = job.steps.slice(i + 1).filter(executes);
      const reach = outsiderReach([ifText(job.if?.node), ifText(step.if?.node)], trigger);
      const guarded = reach === 'blocked';
      out.push({ job, step, node, runsAfter, guarded, approval: !guarded && (approval || reach === 'approval'), ...extra });
    });
  }
  return out;
}

/** Local composite actions by their `uses:` path (`./.github/actions/x`), for following downloads into them. */
export type LocalActions = ReadonlyMap<string, { steps: readonly StepModel[]; yaml: YamlFile }>;

// Fetching another run's artifacts: the REST call from github-script, the gh CLI, the API by URL.
const SCRIPT_DOWNLOAD = /\bdownloadArtifact\s*\(|\blistWorkflowRunArtifacts\s*\(/;
const RUN_DOWNLOAD = /\bgh\s+run\s+download\b|actions\/runs\/[^\s]*\/artifacts|actions\/artifacts\/[^\s]*\/zip/;

function stepDownloads(step: StepModel, y: YamlFile, local: LocalActions | undefined, depth = 0): boolean {
  if (isAction(step, 'dawidd6', 'action-download-artifact')) return true;
  if (isAction(step, 'actions', 'download-artifact') && step.with && get(step.with, 'run-id', y) !== undefined) return true;
  if (step.run && RUN_DOWNLOAD.test(step.run.value)) return true;
  if (isAction(step, 'actions', 'github-script') && step.with) {
    const script = scalarString(deref(get(step.with, 'script', y), y)) ?? '';
    if (SCRIPT_DOWNLOAD.test(script)) return true;
  }
  if (step.uses && local && depth < 4) {
    const u = parseUses(step.uses.value);
    const action = u.kind === 'local' ? local.get(u.path.replace(/^\.\//, '').replace(/\/+$/, '')) : undefined;
    if (action?.steps.some((s) => stepDownloads(s, action.yaml, local, depth + 1))) return true;
  }
  return false;
}

function downloadsArtifacts(wf: WorkflowModel, y: YamlFile, local?: LocalActions): StepModel[] {
  const out: StepModel[] = [];
  for (const job of wf.jobs) for (const step of job.steps) if (stepDownloads(step, y, local)) out.push(step);
  return out;
}

function describe(t: string): string {
  return t === 'pull_request_target'
    ? '`pull_request_target` runs with this repository\'s secrets and a token that can write, even for pull requests from forks'
    : '`workflow_run` runs with this repository\'s secrets and a token that can write, even when the run that triggered it came from a fork\'s pull request';
}

function assess(trigger: TriggerModel, wf: WorkflowModel, y: YamlFile, local?: LocalActions): { severity: Severity; confidence: Confidence; message: string; related: RelatedLocation[] } {
  const heads = headCheckouts(wf, y, trigger.name);
  const related: RelatedLocation[] = [];
  const what = trigger.name === 'pull_request_target' ? "the pull request's code" : "the triggering run's branch";
  if (heads.length) {
    for (const h of heads) {
      const loc = locationOf(y, h.node);
      if (loc) {
        related.push({
          ...loc,
          message: h.calls
            ? `job ${jobLabel(h.job)} passes ${what} to a reusable workflow here`
            : `job ${jobLabel(h.job)} checks out ${what} here${h.runsAfter.length ? ` and runs ${h.runsAfter.length} step(s) after it` : ''}`,
        });
      }
    }
    const approved = heads.filter((h) => h.approval);
    if (approved.length && approved.length === heads.filter((h) => !h.guarded).length && heads.some((h) => !h.guarded)) {
      const jobs = [...new Set(approved.map((h) => jobLabel(h.job)))].join(', ');
      return {
        severity: 'medium',
        confidence: 'medium',
        message: `${describe(trigger.name)}; job ${jobs} checks out ${what} only after a maintainer's approval (a label or a deployment environment) — but commits pushed after the approval run too, so review must happen right before each run; prefer \`pull_request\` for building and testing`,
        related,
      };
    }
    const unguarded = heads.filter((h) => !h.guarded && !h.approval);
    const jobs = [...new Set((unguarded.length ? unguarded : heads).map((h) => jobLabel(h.job)))].join(', ');
    if (!unguarded.length) {
      return {
        severity: 'medium',
        confidence: 'medium',
        message: `${describe(trigger.name)}; job ${jobs} checks out ${what}, but its conditions keep forks' and outsiders' runs out on every path — keep that guard, and prefer \`pull_request\` if the job only builds`,
        related,
      };
    }
    // Checkouts that the action itself refuses for a fork's code (checkout v7, v6.1) cannot run outsiders' code.
    const open = unguarded.filter((h) => !h.refused);
    if (!open.length) {
      const versions = [...new Set(unguarded.map((h) => h.refused!.version))].join(', ');
      return {
        severity: 'medium',
        confidence: 'medium',
        message: `${describe(trigger.name)}; job ${jobs} checks out ${what}, but actions/checkout ${versions} refuses a fork's code under \`${trigger.name}\` unless \`allow-unsafe-pr-checkout: true\` is set, so runs for forks' pull requests stop at that step — do not add that input to make them pass: build and test forks' code with \`pull_request\` instead`,
        related,
      };
    }
    const running = open.filter((h) => h.runsAfter.length || h.calls);
    const openJobs = [...new Set(open.map((h) => jobLabel(h.job)))].join(', ');
    const optIn = open.filter((h) => h.optIn);
    if (optIn.length) {
      const runs = optIn.some((h) => h.runsAfter.length);
      return {
        severity: runs ? 'high' : 'medium',
        confidence: 'high',
        message: `${describe(trigger.name)}, and job ${[...new Set(optIn.map((h) => jobLabel(h.job)))].join(', ')} sets \`allow-unsafe-pr-checkout: true\`, the explicit opt-in to checking out a fork's code here${runs ? ', and then runs scripts from it: a pull request from a fork can run its own code with those secrets and that token' : ': nothing runs it afterwards as written, but any later tool that reads those files (a build, a config file, a hook) runs with this token'}`,
        related,
      };
    }
    const checkoutSteps = open.filter((h) => h.step && isAction(h.step, 'actions', 'checkout'));
    const note = !checkoutSteps.length
      ? ''
      : checkoutSteps.some((h) => h.unknownVersion)
        ? " (actions/checkout v7 and v6.1 refuse a fork's code here unless `allow-unsafe-pr-checkout: true`; this pin's version is not shown)"
        : ` (the actions/checkout version used here does not stop it; v7 and v6.1 refuse a fork's code unless \`allow-unsafe-pr-checkout: true\`)`;
    return {
      severity: 'high',
      confidence: running.length ? 'high' : 'medium',
      message: `${describe(trigger.name)}, and job ${openJobs} ${open.every((h) => h.calls) ? `hands ${what} to a reusable workflow` : `checks out ${what}`}${running.length && !open.every((h) => h.calls) ? ' and then runs scripts from it' : ''}: a pull request from a fork can run its own code with those secrets and that token${note}`,
      related,
    };
  }
  if (trigger.name === 'workflow_run') {
    const dl = downloadsArtifacts(wf, y, local);
    if (dl.length) {
      for (const s of dl) {
        const loc = locationOf(y, s.uses?.node ?? s.run?.node);
        if (loc) related.push({ ...loc, message: 'downloads artifacts of the triggering run' });
      }
      return {
        severity: 'medium',
        confidence: 'medium',
        message: `${describe(trigger.name)}, and it downloads artifacts of the triggering run (however they are fetched, those files can come from a fork's pull request): treat them strictly as data — never run, source or unpack them into the workspace's scripts`,
        related,
      };
    }
  }
  return {
    severity: 'low',
    confidence: 'high',
    message: `${describe(trigger.name)}. As written, no job checks out or runs ${what}, which is the safe way to use it — keep it that way, and keep the token's permissions minimal`,
    related,
  };
}

export function analyze(file: SourceFile, local?: LocalActions): Finding[] {
  const wf = file.workflow;
  const y = file.yaml;
  if (!wf || !y) return [];
  const out: Finding[] = [];
  for (const t of wf.triggers) {
    if (!DANGEROUS.has(t.name)) continue;
    const a = assess(t, wf, y, local);
    out.push(finding(meta, { message: a.message, severity: a.severity, confidence: a.confidence, location: locationOf(y, t.node), related: a.related.length ? a.related : undefined }));
  }
  return out;
}

/** The repository's composite actions, by folder (`.github/actions/x`). */
function localActions(ctx: RepoContext): Map<string, { steps: readonly StepModel[]; yaml: YamlFile }> {
  const out = new Map<string, { steps: readonly StepModel[]; yaml: YamlFile }>();
  for (const f of ctx.byKind('action')) {
    if (!f.action || !f.yaml || !isUsable(f)) continue;
    out.set(f.path.replace(/\/?action\.ya?ml$/, ''), { steps: f.action.steps, yaml: f.yaml });
  }
  return out;
}

export const check: Check = {
  meta,
  fileKinds: ['workflow'],
  notApplicableReason: 'No workflows',
  checkFile(file) {
    return analyze(file);
  },
  // workflow_run workflows that use local composite actions are checked again with those actions
  // read: a download of the triggering run's artifacts inside one counts like one in the workflow.
  checkRepo(ctx, fileFindings) {
    const local = localActions(ctx);
    const redo = ctx.byKind('workflow').filter((f) => isUsable(f) && f.workflow && f.workflow.triggers.some((t) => t.name === 'workflow_run') && f.workflow.jobs.some((j) => j.steps.some((s) => s.uses && parseUses(s.uses.value).kind === 'local')));
    const paths = new Set(redo.map((f) => f.path));
    const findings = [...fileFindings.filter((f) => !f.location || !paths.has(f.location.file)), ...redo.flatMap((f) => analyze(f, local))];
    const any = ctx.byKind('workflow').length > 0;
    return { status: !any ? 'not-applicable' : findings.length ? 'fail' : 'pass', reason: any ? '' : 'No workflows', findings };
  },
};
