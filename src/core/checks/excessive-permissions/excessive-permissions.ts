import type { Pair } from 'yaml';
import type { CheckMeta, Finding } from '../../model';
import type { Check, SourceFile } from '../types';
import { finding, jobLabel } from '../helpers';
import { deref, isMap, isScalar, keyLocation, keyString, pairs, scalarString, locationOf } from '../../yaml/parse';
import type { WorkflowModel } from '../../yaml/workflow';
import { permissionsFix } from '../../permissions/fix';

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

export const check: Check = {
  meta,
  fileKinds: ['workflow'],
  notApplicableReason: 'No workflows',
  checkFile(file, ctx) {
    const wf = file.workflow;
    if (!wf) return [];
    const y = file.yaml!;
    const out: Finding[] = [];
    const top = wf.permissions;
    const topValue = top ? deref(top.value, y) : undefined;
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
        const single = wf.jobs.length <= 1;
        for (const w of writes) {
          out.push(
            finding(meta, {
              message: `\`${w.scope}: write\` is granted to every job at workflow level; grant it only on the job that needs it`,
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
        out.push(
          finding(meta, {
            message: `Job ${jobLabel(job)} runs with the repository's default token permissions: no \`permissions:\` on the job or the workflow`,
            location: keyLocation(y, job.pair),
          }),
        );
      }
    }
    if (out.length) {
      // One fix for the whole file, attached to each finding: the scopes of one job depend on what the
      // workflow-level block grants, so the file is fixed as a unit (identical edits apply once).
      const insertTop = !top && !onlyReusable(wf) && wf.jobs.some((j) => !j.permissions);
      const fix = permissionsFix(file, { files: ctx?.files }, { insertTop });
      if (fix) for (const f of out) f.fixes.push(fix);
    }
    return out;
  },
};
