import type { Pair } from 'yaml';
import type { CheckMeta, Finding, Fix } from '../../model';
import type { Check, SourceFile } from '../types';
import { finding, jobLabel } from '../helpers';
import { deref, isMap, isScalar, keyLocation, keyString, pairs, scalarString, locationOf } from '../../yaml/parse';
import type { JobModel, WorkflowModel } from '../../yaml/workflow';
import { parseUses } from '../../yaml/uses';
import { permissionsFix, planJob, sharedTopWrites } from '../../permissions/fix';
import { analyzeJob, type AnalyzeContext } from '../../permissions/analyze';
import { isUsable } from '../../repo/load';
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
      'A workflow job runs with the default GITHUB_TOKEN permissions (no `permissions:` block), or is granted `write-all`/`read-all`, or gets write scopes at workflow level that only some jobs need. A workflow-level block that every job replaces with its own reaches no job: `read-all` there is not reported, `write-all` is low (a trap for a job added later).',
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
  // Job-level `permissions:` replace the workflow's, so when every job has its own the workflow-level
  // block reaches no job today: read-all there is nothing to report, write-all only a trap for a job
  // added later.
  const noJobInherits = wf.jobs.length > 0 && wf.jobs.every((j) => j.permissions);
  if (top && isScalar(topValue)) {
    const s = scalarString(topValue);
    if (s === 'write-all' && noJobInherits) {
      out.push(
        finding(meta, {
          message: 'The workflow grants `write-all`, which no job uses today (every job sets its own `permissions:`), but a job added later without its own would get write access to everything the token can touch',
          severity: 'low',
          location: locationOf(y, topValue),
        }),
      );
    } else if (s === 'write-all') {
      out.push(finding(meta, { message: 'The workflow grants `write-all`: every job gets write access to everything the token can touch', severity: 'high', location: locationOf(y, topValue) }));
    } else if (s === 'read-all' && !noJobInherits) {
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
      const own = ownTokenOnly(job, file);
      const f = finding(meta, {
        message: `Job ${jobLabel(job)} runs with the repository's default token permissions: no \`permissions:\` on the job or the workflow${own ? `; its only steps are actions pinned to a commit and given their own token (${own}), and nothing in it reads the job's token, so the default rights are little exposed` : ''}`,
        location: keyLocation(y, job.pair),
        ...(own ? { severity: 'low' as const } : {}),
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

/**
 * What the analysis of one workflow read besides the workflow itself, and what it found. The engine keeps
 * a file's SourceFile object while its content is unchanged, so a re-check reuses an entry whose reads
 * still give the same answers: a save re-analyses the edited workflow (and those that read it), not
 * every workflow of the repository.
 */
interface Analysis {
  /** `files.get(path)` answers (loaded workflows and actions: callees, local composite actions). */
  files: Map<string, SourceFile | undefined>;
  /** Paths the analysis asked the text of that no loaded file has, with the text read from the snapshot (undefined: absent or unreadable). */
  texts: Map<string, string | undefined>;
  /** Never handed out: the engine edits the findings it is given (severity, suppression), so callers get copies. */
  findings: Finding[];
}

const analyses = new WeakMap<SourceFile, Analysis>();

/**
 * Analyses `file` with the texts in `texts` (scripts read so far), recording every read. Paths asked that
 * neither a loaded file nor `texts` has are returned in `missing`.
 */
function analyseRecorded(file: SourceFile, files: ReadonlyMap<string, SourceFile>, texts: ReadonlyMap<string, string>): { analysis: Analysis; missing: Set<string> } {
  const seen = new Map<string, SourceFile | undefined>();
  const missing = new Set<string>();
  const get = (p: string) => {
    const f = files.get(p);
    seen.set(p, f);
    return f;
  };
  // The analysis only looks files up by path (see AnalyzeContext).
  const recorded = { get, has: (p: string) => get(p) !== undefined } as ReadonlyMap<string, SourceFile>;
  const actx: AnalyzeContext = {
    files: recorded,
    readText: (p) => {
      const t = texts.get(p) ?? get(p)?.text;
      if (t === undefined) missing.add(p);
      return t;
    },
  };
  const findings = findingsFor(file, actx);
  return { analysis: { files: seen, texts: new Map(), findings }, missing };
}

const copies = (fs: readonly Finding[]): Finding[] => fs.map((f) => Object.assign({}, f));

const JOB_TOKEN = /\bgithub\.token\b|\bsecrets\s*(?:\.\s*GITHUB_TOKEN\b|\[\s*['"]GITHUB_TOKEN['"])|\bGITHUB_TOKEN\b/i;

/**
 * The secrets a job hands its actions instead of the job's token, when every step is an action pinned
 * to a commit SHA and given a token input from a secret (`token: ${{ secrets.WINGET_TOKEN }}`), and the
 * job never names its own token (judge1 F17, F39): such a job's default rights are reached by nothing
 * Steward can see, and nobody can swap the pinned code. Undefined otherwise.
 */
function ownTokenOnly(job: JobModel, file: SourceFile): string | undefined {
  const y = file.yaml!;
  if (job.uses || !job.steps.length) return undefined;
  const range = job.node.range;
  if (!range || JOB_TOKEN.test(file.text.slice(range[0], range[2]))) return undefined;
  const given: string[] = [];
  for (const step of job.steps) {
    if (step.run || !step.uses) return undefined;
    const u = parseUses(step.uses.value);
    if (u.kind !== 'repo' || !u.pinned) return undefined;
    const token = pairs(step.with).find((p) => /token/i.test(keyString(p) ?? ''));
    const v = token ? scalarString(deref(token.value, y)) : undefined;
    const m = v ? /^\s*\$\{\{\s*secrets\.([A-Za-z_][\w-]*)\s*\}\}\s*$/.exec(v) : null;
    if (!m) return undefined;
    given.push(`\`secrets.${m[1]}\``);
  }
  return [...new Set(given)].join(', ');
}

export const check: Check = {
  meta,
  fileKinds: ['workflow'],
  notApplicableReason: 'No workflows',
  checkFile(file, ctx) {
    // Without the repository scripts (a scan of single files): they count as unreadable. Kept as the
    // repository pass's first round: it is final when none of the scripts asked for exists.
    if (!ctx?.files) return findingsFor(file, {});
    const { analysis, missing } = analyseRecorded(file, ctx.files, new Map());
    for (const p of missing) analysis.texts.set(p, undefined);
    analyses.set(file, analysis);
    return copies(analysis.findings);
  },
  async checkRepo(ctx, fileFindings) {
    const workflows = ctx.byKind('workflow');
    if (!workflows.length) return { status: 'not-applicable', reason: 'No workflows', findings: [] };
    const exists = ctx.pathSet ?? new Set(ctx.paths);
    // Scripts that steps run, read from the snapshot once per scan whichever workflow asks.
    const reads = new Map<string, Promise<string | undefined>>();
    const textNow = (p: string): Promise<string | undefined> => {
      let r = reads.get(p);
      if (!r) {
        r = exists.has(p) ? ctx.read(p).then((sf) => (sf && !sf.problem ? sf.text : undefined)) : Promise.resolve(undefined);
        reads.set(p, r);
      }
      return r;
    };
    const still = async (a: Analysis): Promise<boolean> => {
      for (const [p, f] of a.files) if (ctx.files.get(p) !== f) return false;
      for (const [p, t] of a.texts) if ((await textNow(p)) !== t) return false;
      return true;
    };
    const findings: Finding[] = [];
    const redone = new Set<string>();
    for (const file of workflows) {
      if (!file.workflow || !file.yaml || !isUsable(file)) continue;
      redone.add(file.path);
      let a = analyses.get(file);
      if (!a || !(await still(a))) {
        // Scripts the steps run are read as the analysis asks for them, then it runs again with them
        // (a script may run another: four levels, as far as the analysis follows scripts).
        const texts = new Map<string, string>();
        const tried = new Map<string, string | undefined>();
        let r = analyseRecorded(file, ctx.files, texts);
        for (let round = 0; round < 4; round++) {
          const todo = [...r.missing].filter((p) => !tried.has(p));
          if (!todo.length) break;
          for (const p of todo) {
            const t = await textNow(p);
            tried.set(p, t);
            if (t !== undefined) texts.set(p, t);
          }
          r = analyseRecorded(file, ctx.files, texts);
        }
        a = r.analysis;
        for (const p of r.missing) if (!tried.has(p)) tried.set(p, await textNow(p));
        a.texts = tried;
        analyses.set(file, a);
      }
      findings.push(...copies(a.findings));
    }
    // Files the pass did not analyse keep what the per-file check found (none: it needs a usable workflow).
    for (const f of fileFindings) if (!f.location || !redone.has(f.location.file)) findings.push(f);
    return { status: findings.length ? 'fail' : 'pass', reason: '', findings };
  },
};
