import type { CheckMeta, Finding } from '../../model';
import type { Check } from '../types';
import { finding, jobLabel, plural } from '../helpers';
import { deref, get, isMap, isScalar, isSeq, locationOf, scalarString, type Scalar } from '../../yaml/parse';
import type { JobModel, WorkflowModel } from '../../yaml/workflow';
import { matrixNodes, matrixPath } from '../unpinned-images/matrix';

export const meta: CheckMeta = {
  id: 'self-hosted-runner',
  title: 'Self-hosted runners and outside pull requests',
  category: 'workflows',
  severity: 'info',
  confidence: 'medium',
  fixable: false,
  docs: {
    summary:
      'A job runs on a self-hosted runner (`runs-on: self-hosted`, a label list or a `labels:`/`group:` mapping). This is informational, and rated higher when the workflow also runs for pull requests or comments from people outside the project.',
    whyItMatters:
      'A self-hosted runner is a machine you own. Unlike GitHub\'s throw-away virtual machines it usually keeps its state between jobs and sits inside your network. In a public repository, a workflow that runs for pull requests lets anyone who opens one run code on that machine: they can leave a backdoor for the next job, read credentials stored on it, or reach other systems on your network. GitHub itself advises against self-hosted runners for public repositories.',
    howToFix:
      'Run jobs triggered by pull requests, issues or comments on GitHub-hosted runners. If a job really needs your hardware, restrict it to trusted events (`push` to protected branches, `workflow_dispatch`), require approval for all outside contributors in the repository\'s Actions settings, and use ephemeral runners (`--ephemeral`, a fresh machine per job) in a runner group limited to this repository.',
    effort: 'needs a maintainer',
    fixSafety:
      'No automatic fix: moving a job to another runner can break builds that need special hardware, and the runner settings live outside the repository.',
  },
  references: {
    zizmor: 'self-hosted-runner',
    other: [{ title: 'GitHub Docs: Security hardening for self-hosted runners', url: 'https://docs.github.com/en/actions/reference/security/secure-use#hardening-for-self-hosted-runners' }],
  },
};

/** Events through which people outside the project make a workflow run code from or about their contribution. */
const PR_EVENTS = ['pull_request', 'pull_request_target', 'pull_request_review', 'pull_request_review_comment', 'issue_comment', 'workflow_run'];
const EXPOSED_SEVERITY = 'medium';

interface RunnerHit {
  node: unknown;
  how: string;
  confidence: 'high' | 'low';
}

function isSelfHostedLabel(v: string): boolean {
  return v.trim().toLowerCase() === 'self-hosted';
}

function labelsHit(node: unknown, wf: WorkflowModel): Scalar | undefined {
  const v = deref(node, wf.file);
  if (isScalar(v)) return isSelfHostedLabel(scalarString(v) ?? '') ? v : undefined;
  if (isSeq(v)) {
    for (const item of v.items) {
      const s = deref(item, wf.file);
      if (isScalar(s) && isSelfHostedLabel(scalarString(s) ?? '')) return s;
    }
  }
  return undefined;
}

function runnerHits(job: JobModel, wf: WorkflowModel): RunnerHit[] {
  if (!job.runsOn) return [];
  const value = deref(job.runsOn.value, wf.file);
  if (isMap(value)) {
    const label = labelsHit(get(value, 'labels', wf.file), wf);
    if (label) return [{ node: label, how: 'the self-hosted label', confidence: 'high' }];
    const group = deref(get(value, 'group', wf.file), wf.file);
    const name = scalarString(group);
    if (name && !name.includes('${{')) {
      return [{ node: group, how: `runner group '${name}' (groups hold self-hosted or larger GitHub-hosted runners)`, confidence: 'low' }];
    }
    return [];
  }
  if (isScalar(value)) {
    const path = matrixPath(scalarString(value) ?? '');
    if (path) {
      // Matrix entries may be a single label or a label list (`runner: [self-hosted, linux]`).
      const hits = (matrixNodes(job, path, wf.file) ?? []).map((n) => labelsHit(n, wf)).filter((n): n is Scalar => !!n);
      return hits.map((s) => ({ node: s, how: 'the self-hosted label (from the job matrix)', confidence: 'high' as const }));
    }
  }
  const hit = labelsHit(value, wf);
  return hit ? [{ node: hit, how: 'the self-hosted label', confidence: 'high' }] : [];
}

export const check: Check = {
  meta,
  fileKinds: ['workflow'],
  notApplicableReason: 'No workflows',
  checkFile(file) {
    const wf = file.workflow;
    if (!wf) return [];
    const exposing = wf.triggers.map((t) => t.name).filter((n) => PR_EVENTS.includes(n));
    const out: Finding[] = [];
    for (const job of wf.jobs) {
      for (const hit of runnerHits(job, wf)) {
        const base = `Job ${jobLabel(job)} runs on a self-hosted runner (${hit.how})`;
        out.push(
          finding(meta, {
            message: exposing.length
              ? `${base}, and the workflow runs for ${exposing.join(', ')}: in a public repository anyone who opens a pull request or comment can get code run on that machine`
              : base,
            severity: exposing.length ? EXPOSED_SEVERITY : 'info',
            confidence: hit.confidence,
            location: locationOf(file.yaml!, hit.node),
          }),
        );
      }
    }
    return out;
  },
  // Visibility is a repository fact, known only online: it raises or lowers the exposed findings here
  // rather than in checkFile, whose results are cached by file content alone.
  checkRepo(ctx, fileFindings) {
    if (ctx.byKind('workflow').length === 0) return { status: 'not-applicable', reason: 'No workflows', findings: [] };
    const visibility = ctx.facts?.visibility;
    for (const f of fileFindings) {
      if (f.severity !== EXPOSED_SEVERITY) continue;
      if (visibility === 'public') f.severity = 'high';
      else if (visibility === 'private' || visibility === 'internal') f.severity = 'low';
    }
    if (fileFindings.length === 0) return { status: 'pass', reason: 'All jobs run on GitHub-hosted runners', findings: [] };
    const exposed = fileFindings.filter((f) => f.severity !== 'info').length;
    const reason = `${plural(fileFindings.length, 'runner setting')} select self-hosted runners${exposed ? `, ${exposed} in workflows that run for outside pull requests or comments` : ''}`;
    return { status: 'fail', reason, findings: [...fileFindings] };
  },
};
