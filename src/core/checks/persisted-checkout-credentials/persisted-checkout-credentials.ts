import type { CheckMeta, Finding, Fix, Severity } from '../../model';
import type { Check, SourceFile } from '../types';
import { finding, jobLabel } from '../helpers';
import { deref, get, getPair, isScalar, locationOf, scalarString, type YamlFile } from '../../yaml/parse';
import type { JobModel, StepModel } from '../../yaml/workflow';
import { parseUses } from '../../yaml/uses';
import { addMapEntries } from '../../workflow/edit';

export const meta: CheckMeta = {
  id: 'persisted-checkout-credentials',
  title: 'Checkout does not leave the token on disk',
  category: 'workflows',
  severity: 'medium',
  confidence: 'high',
  fixable: true,
  docs: {
    summary:
      '`actions/checkout` is used without `persist-credentials: false`, so the job\'s GITHUB_TOKEN is saved on disk (in `.git/config`; from checkout v6 on, in a file in the runner\'s temporary folder) and stays there for every later step. Rated higher when the job later uploads an artifact.',
    whyItMatters:
      'By default checkout saves the token so that later `git push` commands work. Every later step — including third-party actions and the build scripts of your dependencies — can read it, and with checkout before v6, where it sits in `.git/config` inside the workspace, an artifact upload of the workspace can publish it to anyone who can download the artifact. Most jobs never push, so the saved token is pure risk.',
    howToFix:
      'Add `persist-credentials: false` under the checkout step\'s `with:`. If a later step really pushes, give that step the token explicitly (for example `git push https://x-access-token:${GITHUB_TOKEN}@github.com/...` with `env: GITHUB_TOKEN: ${{ github.token }}`) or keep the default only in that job.',
    effort: 'minutes',
    fixSafety:
      'Safe when no later step in the job pushes, pulls or fetches with git using the saved token; Steward marks the fix for review when it sees `git push`, `git fetch`, `gh pr create` or a known pushing action after the checkout. Scripts that push indirectly (a release script) cannot be seen — check those.',
  },
  references: {
    zizmor: 'artipacked',
    other: [{ title: 'actions/checkout: persist-credentials', url: 'https://github.com/actions/checkout#usage' }],
  },
};

// Later steps that need the saved credentials: git network commands and actions that push with them.
const GIT_NEEDS_TOKEN = /\bgit\s+(?:-[cC]\s+\S+\s+)*(push|pull|fetch|submodule|ls-remote|remote\s+update)\b|\bgh\s+pr\s+create\b|\bgit\s+commit\b[\s\S]*\bgit\s+push\b/;
const PUSHING_ACTIONS = new Set([
  'stefanzweifel/git-auto-commit-action',
  'endbug/add-and-commit',
  'ad-m/github-push-action',
  'changesets/action',
  'peter-evans/create-pull-request',
  'github-actions-x/commit',
  'devops-infra/action-commit-push',
  'planetscale/ghcommit-action',
  'release-drafter/release-drafter',
  'actions-js/push',
]);

function actionName(step: StepModel): string | undefined {
  if (!step.uses) return undefined;
  const u = parseUses(step.uses.value);
  return u.kind === 'repo' ? `${u.owner}/${u.repo}${u.path ? '/' + u.path : ''}`.toLowerCase() : undefined;
}

function isCheckout(step: StepModel): boolean {
  const n = actionName(step);
  return n === 'actions/checkout';
}

function laterPushers(steps: readonly StepModel[], from: number): string[] {
  const out: string[] = [];
  for (const s of steps.slice(from + 1)) {
    const n = actionName(s);
    if (n && PUSHING_ACTIONS.has(n.split('/').slice(0, 2).join('/'))) out.push(`\`${n}\``);
    else if (s.run && GIT_NEEDS_TOKEN.test(s.run.value)) {
      const m = /\bgit\s+(?:-[cC]\s+\S+\s+)*(push|pull|fetch|submodule|ls-remote|remote\s+update)\b|\bgh\s+pr\s+create\b/.exec(s.run.value);
      out.push(`\`${m ? (m[1] ? `git ${m[1]}` : 'gh pr create') : 'git'}\``);
    }
  }
  return [...new Set(out)];
}

function uploadAfter(steps: readonly StepModel[], from: number, y: YamlFile): { step: StepModel; wide: boolean } | undefined {
  for (const s of steps.slice(from + 1)) {
    if (actionName(s) !== 'actions/upload-artifact') continue;
    const path = scalarString(deref(get(s.with, 'path', y), y)) ?? '';
    const hidden = scalarString(deref(get(s.with, 'include-hidden-files', y), y)) === 'true';
    const wide = hidden && path.split(/\r?\n/).some((p) => /^(\.|\.\/|\*\*?|\$\{\{\s*github\.workspace\s*\}\}\/?)$/.test(p.trim()));
    return { step: s, wide };
  }
  return undefined;
}

function fixFor(file: SourceFile, step: StepModel, pushers: string[], explicitTrue: unknown): Fix | undefined {
  const y = file.yaml!;
  let edits;
  if (explicitTrue !== undefined) {
    const r = (explicitTrue as { range?: [number, number, number] }).range;
    if (!r) return undefined;
    edits = [{ file: file.path, start: r[0], end: r[1], newText: 'false' }];
  } else {
    edits = addMapEntries(y, step.node, 'with', [{ key: 'persist-credentials', value: 'false', literal: true }]);
  }
  if (!edits) return undefined;
  const unsafe = pushers.length > 0 || explicitTrue !== undefined;
  return {
    title: 'Set `persist-credentials: false` on this checkout',
    safe: !unsafe,
    caveat: pushers.length
      ? `A later step (${pushers.join(', ')}) may rely on the saved token; give it the token explicitly before applying.`
      : explicitTrue !== undefined
        ? 'The workflow asks for the saved token explicitly; check which later step needs it.'
        : undefined,
    edits,
  };
}

export const check: Check = {
  meta,
  fileKinds: ['workflow', 'action'],
  notApplicableReason: 'No workflows or actions',
  checkFile(file) {
    const y = file.yaml;
    if (!y) return [];
    const groups: { job?: JobModel; steps: StepModel[] }[] = file.workflow
      ? file.workflow.jobs.map((job) => ({ job, steps: job.steps }))
      : file.action
        ? [{ steps: file.action.steps }]
        : [];
    const out: Finding[] = [];
    for (const { job, steps } of groups) {
      steps.forEach((step, i) => {
        if (!isCheckout(step) || !step.uses) return;
        const pc = step.with ? getPair(step.with, 'persist-credentials', y) : undefined;
        const pcNode = pc ? deref(pc.value, y) : undefined;
        const pcValue = isScalar(pcNode) ? (scalarString(pcNode) ?? '').trim().toLowerCase() : undefined;
        if (pcValue === 'false') return;
        if (pcValue !== undefined && pcValue.includes('${{')) return; // decided at run time; cannot tell
        const explicitTrue = pcValue === 'true' ? pcNode : undefined;
        const up = uploadAfter(steps, i, y);
        // An explicit `true` is a deliberate choice (usually a later push); only an upload makes it a finding.
        if (explicitTrue && !up) return;
        const pushers = laterPushers(steps, i);
        let severity: Severity = 'low';
        if (up) severity = up.wide ? 'high' : 'medium';
        const where = job ? ` in job ${jobLabel(job)}` : '';
        const base = explicitTrue
          ? `This checkout${where} sets \`persist-credentials: true\`: the job's token stays in .git/config for every later step`
          : `This checkout${where} leaves the job's token in .git/config for every later step (no \`persist-credentials: false\`)`;
        const tail = up
          ? up.wide
            ? '; a later step uploads the workspace including hidden files, which can publish the token in an artifact'
            : '; a later step uploads an artifact, which publishes the token if its files include the .git folder (older upload-artifact versions, or a broad path with hidden files)'
          : pushers.length
            ? `; a later step (${pushers.join(', ')}) may push with it — give that step the token explicitly instead`
            : '';
        const related = up ? [{ ...locationOf(y, up.step.uses!.node)!, message: 'artifact upload after the checkout' }] : undefined;
        const fix = fixFor(file, step, pushers, explicitTrue);
        out.push(finding(meta, { message: base + tail, severity, location: locationOf(y, step.uses.node), related, fixes: fix ? [fix] : [] }));
      });
    }
    return out;
  },
};
