import type { SourceFile } from '../checks/types';
import { deref, isMap, isScalar, keyString, pairs, scalarString, type YamlFile } from '../yaml/parse';
import { parseUses } from '../yaml/uses';
import type { JobModel, StepModel, WorkflowModel } from '../yaml/workflow';
import { isScope, lookupAction, runNeeds, scriptNeeds, TOKEN_EXPR, type Level, type Scope } from './knowledge';

// Computing what a job's token needs from its steps, with the reason for each scope. Anything that
// receives the token and is not understood ends up in `review`, which makes the fix unsafe.

export interface ScopeNeed {
  level: Level;
  /** "<source> <reason>" lines with the level each source needs. */
  reasons: { text: string; level: Level }[];
}

export interface JobNeeds {
  needs: Map<Scope, ScopeNeed>;
  review: string[];
}

const rank = (l: Level | undefined) => (l === 'write' ? 2 : l === 'read' ? 1 : 0);

export function addNeed(needs: Map<Scope, ScopeNeed>, scope: Scope, level: Level, reason: string): void {
  const have = needs.get(scope);
  if (!have) needs.set(scope, { level, reasons: [{ text: reason, level }] });
  else {
    if (rank(level) > rank(have.level)) have.level = level;
    if (!have.reasons.some((r) => r.text === reason)) have.reasons.push({ text: reason, level });
  }
}

/** The `# reason` for a grant at `level`: the sources that need exactly that level come first. */
export function reasonFor(n: ScopeNeed, level: Level): string {
  const same = n.reasons.filter((r) => r.level === level);
  const list = same.length ? same : n.reasons;
  return list.length > 1 ? `${list[0].text} (and ${list.length - 1} more)` : (list[0]?.text ?? '');
}

function mapText(map: unknown, file: YamlFile): Record<string, string> {
  const out: Record<string, string> = {};
  const m = deref(map, file);
  if (!isMap(m)) return out;
  for (const p of pairs(m)) {
    const k = keyString(p);
    const v = deref(p.value, file);
    if (k !== undefined) out[k] = isScalar(v) ? (scalarString(v) ?? '') : '';
  }
  return out;
}

const anyToken = (r: Record<string, string>) => Object.values(r).some((v) => TOKEN_EXPR.test(v));

export interface AnalyzeContext {
  /** Loaded files of the repository, for local composite actions and reusable workflows. */
  files?: ReadonlyMap<string, SourceFile>;
}

interface Walk {
  triggers: ReadonlySet<string>;
  ctx: AnalyzeContext;
  /** Files being walked, so a composite action that uses itself does not loop. */
  seen: Set<string>;
}

/** Deploy-looking steps that run code Steward cannot read may push with credentials checkout left behind. */
const DEPLOYISH = /\b(deploy|publish|release|gh-pages)\b/i;

function analyzeSteps(steps: readonly StepModel[], file: YamlFile, inheritedEnv: Record<string, string>, out: JobNeeds, w: Walk): void {
  let persisted = false;
  for (const step of steps) {
    const inputs = step.with ? mapText(step.with, file) : {};
    const env = { ...inheritedEnv, ...(step.env ? mapText(step.env, file) : {}) };
    const gets = anyToken(inputs) || anyToken(env);
    if (step.uses) {
      const u = parseUses(step.uses.value);
      if (u.kind === 'repo') {
        const name = `${u.owner}/${u.repo}${u.path ? '/' + u.path : ''}`;
        const k = lookupAction(u.owner, u.repo, u.path);
        if (!k) {
          if (gets) out.review.push(`unknown action ${name} receives the token`);
          continue;
        }
        const tok = k.tokenInput ? inputs[k.tokenInput] : undefined;
        if (k.action === 'actions/checkout' && !/^false$/i.test((inputs['persist-credentials'] ?? '').trim()) && !(tok && !TOKEN_EXPR.test(tok))) persisted = true;
        // The action was handed another credential (a PAT, an app token): it does not use GITHUB_TOKEN.
        if (tok !== undefined && tok.trim() !== '' && !TOKEN_EXPR.test(tok)) continue;
        const label = name.toLowerCase() === k.action || k.action.endsWith('/*') ? name : k.action;
        for (const gr of [...k.grants, ...(k.when?.({ inputs, triggers: w.triggers }) ?? [])]) addNeed(out.needs, gr.scope, gr.level, `${label} ${gr.reason}`);
        if (k.review) {
          const script = inputs.script;
          const sn = script !== undefined ? scriptNeeds(script) : undefined;
          for (const gr of sn?.grants ?? []) addNeed(out.needs, gr.scope, gr.level, `${label} ${gr.reason}`);
          out.review.push(sn && sn.recognised && !sn.review.length ? `${k.review}; Steward read the scopes from its calls` : k.review);
          out.review.push(...(sn?.review ?? []));
        }
      } else if (u.kind === 'local') {
        const dir = u.path.replace(/^\.\//, '').replace(/\/+$/, '');
        const at = (name: string) => w.ctx.files?.get(dir ? `${dir}/${name}` : name);
        const action = at('action.yml') ?? at('action.yaml');
        if (action?.action && action.yaml && !w.seen.has(action.path)) {
          w.seen.add(action.path);
          // Inside a composite action the token is reachable through `github.token` itself.
          analyzeSteps(action.action.steps, action.yaml, env, out, w);
          w.seen.delete(action.path);
        } else if (gets) out.review.push(`local action ${u.path} receives the token and Steward cannot read it`);
      } else if (gets) {
        out.review.push(`container action ${step.uses.value} receives the token`);
      }
      continue;
    }
    if (step.run) {
      const script = step.run.value;
      const rn = runNeeds(script, env);
      const where = step.name && !step.name.includes('${{') ? `step "${step.name}"` : 'a run step';
      for (const gr of rn.grants) addNeed(out.needs, gr.scope, gr.level, `${gr.source} ${gr.reason}`);
      for (const r of rn.review) out.review.push(`${where}: ${r}`);
      if (!rn.recognised && (gets || TOKEN_EXPR.test(script))) out.review.push(`${where} uses the token for something Steward cannot tell`);
      else if (!rn.recognised && persisted && (DEPLOYISH.test(step.name ?? '') || DEPLOYISH.test(script))) {
        out.review.push(`${where} may push with the credentials actions/checkout keeps`);
      }
    }
  }
}

/** Declared scopes of a `permissions:` value (a mapping), as needs. */
function declared(value: unknown, file: YamlFile, why: string, out: JobNeeds): boolean {
  const v = deref(value, file);
  if (isScalar(v)) {
    const s = scalarString(v);
    if (s === 'write-all' || s === 'read-all') {
      out.review.push(`${why} asks for \`${s}\``);
      return true;
    }
    return false;
  }
  if (!isMap(v)) return false;
  for (const p of pairs(v)) {
    const k = keyString(p);
    const l = scalarString(deref(p.value, file));
    if (k && isScope(k) && (l === 'read' || l === 'write')) addNeed(out.needs, k, l, `${why} declares it`);
  }
  return true;
}

function analyzeReusable(job: JobModel, out: JobNeeds, w: Walk): void {
  const u = parseUses(job.uses!.value);
  if (u.kind !== 'local') {
    out.review.push(`reusable workflow ${job.uses!.value} gets the token and Steward cannot see what it needs`);
    return;
  }
  const path = u.path.replace(/^\.\//, '');
  const callee = w.ctx.files?.get(path);
  if (!callee?.workflow || !callee.yaml || w.seen.has(path)) {
    out.review.push(`reusable workflow ${u.path} could not be read`);
    return;
  }
  w.seen.add(path);
  const wf = callee.workflow;
  const name = path.split('/').pop()!;
  for (const j of wf.jobs) {
    if (j.permissions && declared(j.permissions.value, callee.yaml, `${name} job ${j.id}`, out)) continue;
    if (wf.permissions && declared(wf.permissions.value, callee.yaml, name, out)) continue;
    if (j.uses) analyzeReusable(j, out, w);
    else analyzeSteps(j.steps, callee.yaml, { ...mapText(wf.env, callee.yaml), ...mapText(j.env, callee.yaml) }, out, { ...w, triggers: w.triggers });
  }
  w.seen.delete(path);
}

/** What the token of `job` needs, from its steps (or the reusable workflow it calls). */
export function analyzeJob(job: JobModel, wf: WorkflowModel, ctx: AnalyzeContext = {}): JobNeeds {
  const out: JobNeeds = { needs: new Map(), review: [] };
  const w: Walk = { triggers: new Set(wf.triggers.map((t) => t.name)), ctx, seen: new Set([wf.file.path]) };
  if (job.uses) analyzeReusable(job, out, w);
  else analyzeSteps(job.steps, wf.file, { ...mapText(wf.env, wf.file), ...mapText(job.env, wf.file) }, out, w);
  out.review = [...new Set(out.review)];
  return out;
}
