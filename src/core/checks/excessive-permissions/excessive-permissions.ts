import type { Pair } from 'yaml';
import type { CheckMeta, Finding, Fix } from '../../model';
import type { Check, SourceFile } from '../types';
import { finding, jobLabel } from '../helpers';
import { deref, isMap, isScalar, keyLocation, keyString, pairs, scalarString, locationOf } from '../../yaml/parse';
import type { JobModel, WorkflowModel } from '../../yaml/workflow';
import { permissionsFix, planJob, sharedTopWrites, topMode } from '../../permissions/fix';
import { analyzeJob, type AnalyzeContext } from '../../permissions/analyze';
import type { Scope } from '../../permissions/knowledge';

export const meta: CheckMeta = {
  id: 'excessive-permissions',
  title: 'Least-privilege workflow token',
  category: 'workflows',
  severity: 'medium',
  confidence: 'high',
  fixable: true,
  essential: true,
  docs: {
    summary:
      'A workflow job runs with the default GITHUB_TOKEN permissions (no `permissions:` block), or is granted `write-all`/`read-all`, or gets write scopes at workflow level that only some jobs need.',
    whyItMatters:
      'Every job gets a GITHUB_TOKEN. Without a `permissions:` block its rights are whatever the repository default is — on older repositories and many organisations that is write access to code, releases and packages. If any step in the job is compromised (a malicious dependency, an injected script), the attacker inherits those rights and can push code or publish releases. Declaring the few scopes a job needs limits the damage to almost nothing.',
    howToFix:
      'Add `permissions: contents: read` at the top of the workflow, and give each job that needs more (for example `pull-requests: write` to comment) exactly those scopes on the job itself.',
    effort: 'minutes',
    fixSafety:
      'Review before merging: a job that needs a scope you did not grant will fail with "Resource not accessible by integration". Steward computes the scopes from the steps it recognises and says when it is unsure.',
  },
  references: { zizmor: 'excessive-permissions', scorecard: 'Token-Permissions', osps: ['OSPS-AC-04.01', 'OSPS-AC-04.02'] },
};

/** A `permissions:` value's scopes with write access (or 'write-all'). */
export function writeScopes(value: unknown, file: SourceFile): { scope: string; pair?: Pair }[] {
  const v = deref(value, file.yaml!);
  if (isScalar(v)) return scalarString(v) === 'write-all' ? [{ scope: 'write-all' }] : [];
  if (!isMap(v)) return [];
  return pairs(v)
    .filter((p) => scalarString(deref(p.value, file.yaml!)) === 'write')
    .map((p) => ({ scope: keyString(p) ?? '?', pair: p }));
}

function onlyReusable(wf: WorkflowModel): boolean {
  return wf.triggers.length > 0 && wf.triggers.every((t) => t.name === 'workflow_call');
}

/** Findings (with the file's fix) for one workflow; `actx` says which other files Steward can read. */
function findingsFor(file: SourceFile, actx: AnalyzeContext): Finding[] {
  const wf = file.workflow;
  if (!wf) return [];
  const y = file.yaml!;
  const out: Finding[] = [];
  const top = wf.permissions;
  const topValue = top ? deref(top.value, y) : undefined;
  const defaultJobs = new Map<Finding, JobModel>();
  if (top && isScalar(topValue)) {
    const s = scalarString(topValue);
    if (s === 'write-all') {
      out.push(finding(meta, { message: 'The workflow grants `write-all`: every job gets write access to everything the token can touch', severity: 'high', location: locationOf(y, topValue) }));
    } else if (s === 'read-all') {
      out.push(finding(meta, { message: 'The workflow grants `read-all`: grant only the scopes the jobs read (usually `contents: read`)', severity: 'low', location: locationOf(y, topValue) }));
    }
  } else if (top && isMap(topValue)) {
    const writes = writeScopes(topValue, file);
    if (writes.length) {
      const { shared, plans } = sharedTopWrites(file, actx);
      const single = plans.length <= 1;
      for (const w of writes) {
        // Every job that follows the block needs it (or nothing follows it): it is where it belongs.
        if (!plans.length || shared.has(w.scope as Scope)) continue;
        const users = plans.filter((p) => p.need.get(w.scope as Scope)?.level === 'write').map((p) => p.job);
        const where = users.length === 0 ? 'no job Steward can see needs it' : `only ${users.map((j) => `job ${jobLabel(j)}`).join(', ')} need${users.length === 1 ? 's' : ''} it`;
        out.push(
          finding(meta, {
            message: `\`${w.scope}: write\` is granted to every job at workflow level, but ${where}; ${users.length ? `grant it on the job${users.length === 1 ? '' : 's'} that need${users.length === 1 ? 's' : ''} it` : 'leave it out'}`,
            severity: single ? 'low' : 'medium',
            location: w.pair ? keyLocation(y, w.pair) : keyLocation(y, top),
          }),
        );
      }
    }
  }
  for (const job of wf.jobs) {
    const jp = job.permissions ? deref(job.permissions.value, y) : undefined;
    if (isScalar(jp) && scalarString(jp) === 'write-all') {
      out.push(finding(meta, { message: `Job ${jobLabel(job)} grants \`write-all\`: list only the scopes it needs`, severity: 'high', location: locationOf(y, jp) }));
    }
    if (!top && !job.permissions && !onlyReusable(wf)) {
      // A local reusable workflow whose jobs all declare their permissions caps the token itself.
      if (job.uses && analyzeJob(job, wf, actx).calleeCaps) continue;
      const f = finding(meta, {
        message: `Job ${jobLabel(job)} runs with the repository's default token permissions: no \`permissions:\` on the job or the workflow`,
        location: keyLocation(y, job.pair),
      });
      out.push(f);
      defaultJobs.set(f, job);
    }
  }
  if (out.length) {
    // One fix for the whole file, attached to each finding it resolves: the scopes of one job depend on
    // what the workflow-level block grants, so the file is fixed as a unit (identical edits apply once).
    const insertTop = !top && !onlyReusable(wf) && wf.jobs.some((j) => !j.permissions);
    const fix = permissionsFix(file, actx, { insertTop });
    const { untouched: _u, ...plain } = fix ?? { untouched: undefined };
    void _u;
    for (const f of out) {
      const j = defaultJobs.get(f);
      const left = j ? planJob(j, file, actx, { kind: 'default' }).untouched : undefined;
      if (left) {
        // The fix leaves this job on the default permissions: say why, offer nothing for it.
        f.details = [`Steward leaves this job as it is: ${left}`];
        continue;
      }
      if (fix) f.fixes.push(plain as Fix);
    }
  }
  return out;
}

/** Repository files the permission analysis of `file` asks for that the scan has not loaded. */
function wanted(file: SourceFile, actx: AnalyzeContext): Set<string> {
  const asked = new Set<string>();
  const probe: AnalyzeContext = {
    files: actx.files,
    readText: (p) => {
      const t = actx.readText?.(p);
      if (t === undefined) asked.add(p);
      return t;
    },
  };
  const wf = file.workflow!;
  const mode = topMode(file) ?? { kind: 'default' as const };
  for (const j of wf.jobs) planJob(j, file, probe, mode);
  return asked;
}

export const check: Check = {
  meta,
  fileKinds: ['workflow'],
  notApplicableReason: 'No workflows',
  checkFile(file, ctx) {
    // Without the repository scripts (a scan of single files): they count as unreadable.
    return findingsFor(file, { files: ctx?.files });
  },
  async checkRepo(ctx, fileFindings) {
    // Scripts that steps run are read on demand, then the workflows that run them are analysed again.
    const texts = new Map<string, string>();
    const exists = ctx.pathSet ?? new Set(ctx.paths);
    const actx: AnalyzeContext = { files: ctx.files, readText: (p) => texts.get(p) ?? ctx.files.get(p)?.text };
    const findings = [...fileFindings];
    const workflows = ctx.byKind('workflow');
    if (!workflows.length) return { status: 'not-applicable', reason: 'No workflows', findings: [] };
    for (const file of workflows) {
      if (!file.workflow || !file.yaml) continue;
      let loaded = false;
      for (let round = 0; round < 4; round++) {
        const todo = [...wanted(file, actx)].filter((p) => exists.has(p) && !texts.has(p));
        if (!todo.length) break;
        for (const p of todo) {
          const sf = await ctx.read(p);
          if (sf && !sf.problem) {
            texts.set(p, sf.text);
            loaded = true;
          }
        }
      }
      if (!loaded) continue;
      const again = findingsFor(file, actx);
      const kept = findings.filter((f) => f.location?.file !== file.path);
      findings.length = 0;
      findings.push(...kept, ...again);
    }
    return { status: findings.length ? 'fail' : 'pass', reason: '', findings };
  },
};
