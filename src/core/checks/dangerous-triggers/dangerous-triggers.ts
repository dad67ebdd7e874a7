import type { CheckMeta, Finding, RelatedLocation, Severity, Confidence } from '../../model';
import type { Check } from '../types';
import { finding, jobLabel } from '../helpers';
import { deref, get, isScalar, locationOf, pairs, scalarString, type YamlFile } from '../../yaml/parse';
import type { JobModel, StepModel, TriggerModel, WorkflowModel } from '../../yaml/workflow';
import { parseUses } from '../../yaml/uses';
import { outsiderReach } from '../../workflow/guards';

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
      'A workflow runs on `pull_request_target` or `workflow_run`. These triggers run with the repository\'s secrets and a token that can write, even for pull requests from forks. Rated high when a job then checks out the pull request\'s code (or the triggering run\'s branch) and so may run it.',
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
const RUN_CHECKOUT = /\bgh\s+pr\s+checkout\b|\bgit\s+(fetch|pull|checkout|switch)\b[^\n]*(pull\/|refs\/pull|head_ref|HEAD_REF|head\.sha|head\.ref|head_sha|head_branch|PR_REF|PR_SHA|HEAD_SHA)/i;

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
      if (isAction(step, 'actions', 'checkout') && step.with) {
        const ref = deref(get(step.with, 'ref', y), y);
        const repo = deref(get(step.with, 'repository', y), y);
        if (isScalar(ref) && HEAD_REF.test(scalarString(ref) ?? '')) node = ref;
        else if (isScalar(repo) && HEAD_REPO.test(scalarString(repo) ?? '')) node = repo;
      } else if (step.run && RUN_CHECKOUT.test(step.run.value)) node = step.run.node;
      if (!node) return;
      // Steps that execute what was checked out: scripts, local actions, and anything after that.
      const runsAfter = job.steps.slice(i + 1).filter((s) => s.run || (s.uses && s.uses.value.startsWith('./')));
      const reach = outsiderReach([ifText(job.if?.node), ifText(step.if?.node)], trigger);
      const guarded = reach === 'blocked';
      out.push({ job, step, node, runsAfter, guarded, approval: !guarded && (approval || reach === 'approval') });
    });
  }
  return out;
}

function downloadsArtifacts(wf: WorkflowModel, y: YamlFile): StepModel[] {
  const out: StepModel[] = [];
  for (const job of wf.jobs) {
    for (const step of job.steps) {
      if (isAction(step, 'dawidd6', 'action-download-artifact')) out.push(step);
      else if (isAction(step, 'actions', 'download-artifact') && step.with && get(step.with, 'run-id', y) !== undefined) out.push(step);
      else if (step.run && /\bgh\s+run\s+download\b|actions\/runs\/[^\s]*\/artifacts/.test(step.run.value)) out.push(step);
    }
  }
  return out;
}

function describe(t: string): string {
  return t === 'pull_request_target'
    ? '`pull_request_target` runs with this repository\'s secrets and a token that can write, even for pull requests from forks'
    : '`workflow_run` runs with this repository\'s secrets and a token that can write, even when the run that triggered it came from a fork\'s pull request';
}

function assess(trigger: TriggerModel, wf: WorkflowModel, y: YamlFile): { severity: Severity; confidence: Confidence; message: string; related: RelatedLocation[] } {
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
    const running = unguarded.filter((h) => h.runsAfter.length || h.calls);
    const jobs = [...new Set((unguarded.length ? unguarded : heads).map((h) => jobLabel(h.job)))].join(', ');
    if (!unguarded.length) {
      return {
        severity: 'medium',
        confidence: 'medium',
        message: `${describe(trigger.name)}; job ${jobs} checks out ${what}, but only when it comes from this repository (not a fork) — keep that guard, and prefer \`pull_request\` if the job only builds`,
        related,
      };
    }
    return {
      severity: 'high',
      confidence: running.length ? 'high' : 'medium',
      message: `${describe(trigger.name)}, and job ${jobs} ${unguarded.every((h) => h.calls) ? `hands ${what} to a reusable workflow` : `checks out ${what}`}${running.length && !unguarded.every((h) => h.calls) ? ' and then runs scripts from it' : ''}: a pull request from a fork can run its own code with those secrets and that token`,
      related,
    };
  }
  if (trigger.name === 'workflow_run') {
    const dl = downloadsArtifacts(wf, y);
    if (dl.length) {
      for (const s of dl) {
        const loc = locationOf(y, s.uses?.node ?? s.run?.node);
        if (loc) related.push({ ...loc, message: 'downloads artifacts of the triggering run' });
      }
      return {
        severity: 'medium',
        confidence: 'medium',
        message: `${describe(trigger.name)}, and it downloads artifacts of the triggering run: those files can come from a fork's pull request, so treat them strictly as data (never run, source or unpack them into the workspace's scripts)`,
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

export const check: Check = {
  meta,
  fileKinds: ['workflow'],
  notApplicableReason: 'No workflows',
  checkFile(file) {
    const wf = file.workflow;
    const y = file.yaml;
    if (!wf || !y) return [];
    const out: Finding[] = [];
    for (const t of wf.triggers) {
      if (!DANGEROUS.has(t.name)) continue;
      const a = assess(t, wf, y);
      out.push(finding(meta, { message: a.message, severity: a.severity, confidence: a.confidence, location: locationOf(y, t.node), related: a.related.length ? a.related : undefined }));
    }
    return out;
  },
};
