import type { SourceFile } from '../checks/types';
import { deref, getPair, isMap, isScalar, keyString, pairs, scalarString, type YamlFile } from '../yaml/parse';
import { parseUses } from '../yaml/uses';
import type { JobModel, StepModel, WorkflowModel } from '../yaml/workflow';
import { declaredPermissions } from './declared';
import { envHasToken, fileScriptNeeds, inExpression, isScope, isTokenText, lookupAction, runNeeds, scriptNeeds, TOKEN_EXPR, type Grant, type Level, type RunNeeds, type Scope, type TokenTest } from './knowledge';

// Computing what a job's token needs from its steps, with the reason for each scope. What Steward cannot
// account for (an unknown action, a script it cannot read that gets the token, a remote reusable
// workflow) is `opaque`: the fix keeps the job's existing scopes for it, or leaves the job alone.

export interface ScopeNeed {
  level: Level;
  /** "<source> <reason>" lines with the level each source needs. */
  reasons: { text: string; level: Level }[];
}

/** A need either of two scopes satisfies (the issues API serves pull requests too). */
export interface AltNeed {
  scopes: [Scope, Scope];
  level: Level;
  reason: string;
}

/** Something that may use the token in ways Steward cannot see. */
export interface Opaque {
  /** Plain words for the maintainer: "Steward cannot see what `./scripts/release.py` does with the token". */
  reason: string;
  /** The scopes it may use; undefined = any scope the job has. */
  scopes?: Scope[];
  /**
   * A possibility rather than a sign (a script Steward cannot read runs after checkout left its
   * credentials): explicit grants are kept for it, but it does not stop a fix under default permissions.
   */
  weak?: boolean;
}

export interface JobNeeds {
  needs: Map<Scope, ScopeNeed>;
  alts: AltNeed[];
  opaque: Opaque[];
  /** The job calls a local reusable workflow whose every job declares its own `permissions:`. */
  calleeCaps?: string;
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

function addGrant(out: JobNeeds, g: Pick<Grant, 'scope' | 'level' | 'alt'>, reason: string): void {
  if (g.alt && g.alt !== g.scope) out.alts.push({ scopes: [g.scope, g.alt], level: g.level, reason });
  else addNeed(out.needs, g.scope, g.level, reason);
}

/**
 * Turns either-or needs into scopes: one the job already needs, else one the job already has (so a
 * job granted `pull-requests: write` keeps using it for comments), else the first choice.
 */
export function resolveNeeds(n: JobNeeds, has: (s: Scope) => Level | undefined): Map<Scope, ScopeNeed> {
  const out = new Map<Scope, ScopeNeed>();
  for (const [s, v] of n.needs) out.set(s, { level: v.level, reasons: [...v.reasons] });
  for (const a of n.alts) {
    const ok = (s: Scope) => rank(out.get(s)?.level) >= rank(a.level);
    const pick = a.scopes.find(ok) ?? a.scopes.find((s) => rank(has(s)) >= rank(a.level)) ?? a.scopes[0];
    addNeed(out, pick, a.level, a.reason);
  }
  return out;
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

export interface AnalyzeContext {
  /** Loaded files of the repository, for local composite actions and reusable workflows. */
  files?: ReadonlyMap<string, SourceFile>;
  /** Text of any repository file (scripts that steps run), undefined when absent or unreadable. */
  readText?(path: string): string | undefined;
}

interface Walk {
  triggers: ReadonlySet<string>;
  ctx: AnalyzeContext;
  /** Files being walked, so a composite action that uses itself does not loop. */
  seen: Set<string>;
}

/** A github-script `script:` handed over in an expression (`${{ inputs.script }}`, `${{ steps.x.outputs.script }}`). */
const SCRIPT_FROM_CONTEXT = /\b(?:inputs|steps|needs)\.[\w.-]*script\b/i;

/** Deploy-looking steps that run code Steward cannot read may push with credentials checkout left behind. */
const DEPLOYISH = /\b(deploy|publish|release|gh-pages)\b/i;

const code = (s: string) => '`' + s.replace(/`/g, "'") + '`';

/** Normalises a script path as a step names it to a repository path. */
function repoPath(p: string, workdir: string | undefined): string {
  const parts: string[] = [];
  const base = workdir && !workdir.includes('${{') && !/^[/~$]/.test(workdir) ? workdir.replace(/\/+$/, '') + '/' : '';
  for (const seg of (base + p).split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') parts.pop();
    else parts.push(seg);
  }
  return parts.join('/');
}

function mergeRun(out: JobNeeds, rn: RunNeeds, where: string): void {
  for (const gr of rn.grants) addGrant(out, gr, `${gr.source} ${gr.reason}`);
  for (const r of rn.review) out.opaque.push({ reason: where ? `${r} (${where})` : r });
}

/** Reads repository scripts the commands run, following scripts they run in turn (three levels). */
function followScripts(out: JobNeeds, scripts: readonly string[], workdir: string | undefined, env: Record<string, string>, isToken: TokenTest, persisted: boolean, deployish: boolean, w: Walk, depth = 0): void {
  const tokenInEnv = envHasToken(env, isToken);
  for (const s of scripts) {
    const path = repoPath(s, workdir);
    if (!path || w.seen.has(path)) continue;
    const text = w.ctx.readText?.(path) ?? w.ctx.files?.get(path)?.text;
    if (text === undefined) {
      if (tokenInEnv) out.opaque.push({ reason: `Steward cannot see what ${code(s)} does with the token` });
      else if (persisted) {
        out.opaque.push({ reason: `Steward cannot see whether ${code(s)} pushes with the credentials actions/checkout keeps`, scopes: ['contents'], weak: !deployish && !DEPLOYISH.test(s) });
      }
      continue;
    }
    if (depth >= 3) continue;
    w.seen.add(path);
    const rn = fileScriptNeeds(path, text, env, isToken);
    // A push through the checkout's credentials only works when checkout kept them or the token is given.
    mergeRun(out, { ...rn, grants: rn.grants.filter((g) => persisted || tokenInEnv || g.reason !== 'pushes to the repository') }, '');
    const dir = path.includes('/') ? path.slice(0, path.lastIndexOf('/')) : '';
    // Scripts a script runs are named relative to the working directory, which is usually the root; a
    // JavaScript `require('./x')` is relative to the requiring file.
    const nested = rn.scripts.map((n) => (/\.(?:[cm]?js|ts)$/.test(path) && n.startsWith('.') ? repoPath(n, dir) : n));
    followScripts(out, nested, /\.(?:[cm]?js|ts)$/.test(path) ? undefined : workdir, env, isToken, persisted, deployish, w, depth + 1);
    w.seen.delete(path);
  }
}

function analyzeSteps(steps: readonly StepModel[], file: YamlFile, inheritedEnv: Record<string, string>, out: JobNeeds, w: Walk, isToken: TokenTest = isTokenText, jobWorkdir?: string): void {
  let persisted = false;
  const anyToken = (r: Record<string, string>) => Object.values(r).some((v) => isToken(v));
  for (const step of steps) {
    const inputs = step.with ? mapText(step.with, file) : {};
    // Steps without their own env share the job's object (copying it per step was quadratic).
    const stepEnv = step.env ? mapText(step.env, file) : undefined;
    const env = stepEnv ? { ...inheritedEnv, ...stepEnv } : inheritedEnv;
    const gets = anyToken(inputs) || (stepEnv !== undefined && anyToken(stepEnv));
    if (step.uses) {
      const u = parseUses(step.uses.value);
      if (u.kind === 'repo') {
        const name = `${u.owner}/${u.repo}${u.path ? '/' + u.path : ''}`;
        const k = lookupAction(u.owner, u.repo, u.path);
        if (!k) {
          // Its inputs may default to the token even when the step passes none: Steward cannot tell.
          out.opaque.push({ reason: gets ? `Steward cannot see what ${code(name)} does with the token` : `Steward does not know whether ${code(name)} uses the token` });
          continue;
        }
        const tok = k.tokenInput ? inputs[k.tokenInput] : undefined;
        if (k.action === 'actions/checkout' && !/^false$/i.test((inputs['persist-credentials'] ?? '').trim()) && !(tok && !isToken(tok))) persisted = true;
        // The action was handed another credential (a PAT, an app token): it does not use GITHUB_TOKEN.
        if (tok !== undefined && tok.trim() !== '' && !isToken(tok)) continue;
        const label = name.toLowerCase() === k.action || k.action.endsWith('/*') ? name : k.action;
        for (const gr of [...k.grants, ...(k.when?.({ inputs, triggers: w.triggers }) ?? [])]) addGrant(out, gr, `${label} ${gr.reason}`);
        if (k.review) {
          // github-script: every call is read from the script (and the local files it requires).
          const script = inputs.script ?? '';
          // An expression that is the whole script (or names a script to run) hides the code itself.
          if (/^\s*\$\{\{[^}]*\}\}\s*$/.test(script) || inExpression(script, SCRIPT_FROM_CONTEXT, true)) {
            out.opaque.push({ reason: `Steward cannot read the script of ${label}: it comes from an expression` });
          }
          const sn = scriptNeeds(script, label);
          mergeRun(out, sn, '');
          followScripts(out, sn.scripts, undefined, { GITHUB_TOKEN: '${{ github.token }}' }, isToken, persisted, false, w);
        }
        continue;
      }
      if (u.kind === 'local') {
        const dir = repoPath(u.path, undefined);
        const at = (n: string) => w.ctx.files?.get(dir ? `${dir}/${n}` : n);
        const action = at('action.yml') ?? at('action.yaml');
        if (!action?.action || !action.yaml) {
          out.opaque.push({ reason: `Steward cannot read the local action ${code(u.path)}` });
          continue;
        }
        if (w.seen.has(action.path)) continue;
        // Inputs that carry the token: passed it by this step, or defaulting to it.
        const carrying = new Set<string>();
        const ins = deref(action.action.inputs, action.yaml);
        if (isMap(ins)) {
          for (const p of pairs(ins)) {
            const key = keyString(p);
            if (!key) continue;
            const def = mapText(p.value, action.yaml).default;
            const given = inputs[key];
            if (given !== undefined ? isToken(given) : def !== undefined && TOKEN_EXPR.test(def)) carrying.add(key);
          }
        }
        const using = (action.action.using ?? '').toLowerCase();
        if (using !== 'composite') {
          if (gets || carrying.size) out.opaque.push({ reason: `Steward cannot see what the local action ${code(u.path)} does with the token` });
          continue;
        }
        const carried = [...carrying].map((k) => new RegExp(`\\binputs(?:\\.${k.replace(/[.*+?^${}()|[\]\\-]/g, '\\$&')}\\b|\\[['"]${k.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}['"]\\])`, 'i'));
        const inner: TokenTest = (t) => TOKEN_EXPR.test(t) || carried.some((re) => inExpression(t, re, false));
        w.seen.add(action.path);
        analyzeSteps(action.action.steps, action.yaml, env, out, w, inner);
        w.seen.delete(action.path);
        continue;
      }
      if (gets) out.opaque.push({ reason: `Steward cannot see what the container action ${code(step.uses.value)} does with the token` });
      continue;
    }
    if (step.run) {
      const script = step.run.value;
      const rn = runNeeds(script, env, isToken);
      const where = step.name && !step.name.includes('${{') ? `step "${step.name}"` : 'a run step';
      mergeRun(out, rn, where);
      const wd = getPair(step.node, 'working-directory', file);
      const workdir = wd ? scalarString(deref(wd.value, file)) : undefined;
      const deployish = DEPLOYISH.test(step.name ?? '') || DEPLOYISH.test(script);
      followScripts(out, rn.scripts, workdir ?? jobWorkdir, env, isToken, persisted, deployish, w);
      const tokenHere = gets || isToken(script);
      if (!rn.recognised && !rn.scripts.length && tokenHere) out.opaque.push({ reason: `Steward cannot tell what ${where} does with the token` });
      else if (!rn.recognised && !rn.scripts.length && persisted && deployish) {
        out.opaque.push({ reason: `${where} may push with the credentials actions/checkout keeps`, scopes: ['contents'] });
      }
    }
  }
}

/** Declared scopes of a `permissions:` value, as needs; false when there is none to read. */
function declared(value: unknown, file: YamlFile, why: string, out: JobNeeds): boolean {
  const d = declaredPermissions(value, file);
  if (d.kind === 'all') {
    out.opaque.push({ reason: `${why} asks for ${code(`${d.level}-all`)}`, ...(d.level === 'read' ? { weak: true } : {}) });
    return true;
  }
  if (d.kind !== 'map') return false;
  for (const { key, level } of d.entries) if (key && isScope(key) && (level === 'read' || level === 'write')) addNeed(out.needs, key, level, `${why} declares it`);
  return true;
}

function analyzeReusable(job: JobModel, out: JobNeeds, w: Walk): void {
  const u = parseUses(job.uses!.value);
  if (u.kind !== 'local') {
    out.opaque.push({ reason: `Steward cannot see what the reusable workflow ${code(job.uses!.value)} needs` });
    return;
  }
  const path = repoPath(u.path, undefined);
  const callee = w.ctx.files?.get(path);
  if (!callee?.workflow || !callee.yaml) {
    out.opaque.push({ reason: `Steward cannot read the reusable workflow ${code(u.path)}` });
    return;
  }
  if (w.seen.has(path)) return;
  w.seen.add(path);
  const wf = callee.workflow;
  const name = path.split('/').pop()!;
  let capsAll = wf.jobs.length > 0;
  for (const j of wf.jobs) {
    if (j.permissions && declared(j.permissions.value, callee.yaml, `${name} job ${j.id}`, out)) continue;
    if (wf.permissions && declared(wf.permissions.value, callee.yaml, name, out)) continue;
    capsAll = false;
    if (j.uses) analyzeReusable(j, out, w);
    else analyzeSteps(j.steps, callee.yaml, { ...mapText(wf.env, callee.yaml), ...mapText(j.env, callee.yaml) }, out, w);
  }
  if (capsAll) out.calleeCaps = u.path;
  w.seen.delete(path);
}

/**
 * analyzeJob() answers by context object, then job: the excessive-permissions check asks for the same
 * job of a workflow three or four times with one context (its findings, the shared workflow-level
 * writes, the fix's plans), and every answer but the first was the same walk again (issue 19). Keyed
 * by the context because what the walk reads (callees, scripts) comes from it; the answer is never
 * changed by its users (planJob copies what it resolves).
 */
const jobAnswers = new WeakMap<AnalyzeContext, WeakMap<JobModel, { wf: WorkflowModel; needs: JobNeeds }>>();

/** What the token of `job` needs, from its steps (or the reusable workflow it calls). Given the same `ctx` object, the same answer object. */
export function analyzeJob(job: JobModel, wf: WorkflowModel, ctx?: AnalyzeContext): JobNeeds {
  if (!ctx) return analyzeJobUncached(job, wf, {});
  let byJob = jobAnswers.get(ctx);
  if (!byJob) jobAnswers.set(ctx, (byJob = new WeakMap()));
  const hit = byJob.get(job);
  if (hit && hit.wf === wf) return hit.needs;
  const needs = analyzeJobUncached(job, wf, ctx);
  byJob.set(job, { wf, needs });
  return needs;
}

function analyzeJobUncached(job: JobModel, wf: WorkflowModel, ctx: AnalyzeContext): JobNeeds {
  const out: JobNeeds = { needs: new Map(), alts: [], opaque: [] };
  const w: Walk = { triggers: new Set(wf.triggers.map((t) => t.name)), ctx, seen: new Set([wf.file.path]) };
  if (job.uses) analyzeReusable(job, out, w);
  else {
    analyzeSteps(job.steps, wf.file, { ...mapText(wf.env, wf.file), ...mapText(job.env, wf.file) }, out, w);
  }
  const seen = new Set<string>();
  out.opaque = out.opaque.filter((o) => {
    const k = `${o.reason}\u0000${o.scopes?.join(',')}\u0000${o.weak}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
  return out;
}
