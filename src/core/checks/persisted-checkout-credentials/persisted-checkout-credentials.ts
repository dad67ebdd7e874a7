import type { CheckMeta, Finding, Fix, Severity } from '../../model';
import type { Check, RepoContext, SourceFile } from '../types';
import { finding, jobLabel } from '../helpers';
import { deref, get, getPair, isScalar, isSeq, locationOf, scalarString, type YamlFile } from '../../yaml/parse';
import type { JobModel, StepModel } from '../../yaml/workflow';
import { actionName as actionNameOf } from '../../yaml/uses';
import { addMapEntries } from '../../workflow/edit';
import { pushingAction, pushingTool } from '../../workflow/pushing-actions';
import { GIT_COMMAND, PUSH_SUBCOMMAND } from '../../workflow/git-command';
import { actionVersion, atLeast } from '../../workflow/versions';
import { fileMemo, isUsable } from '../../repo/load';

export const meta: CheckMeta = {
  id: 'persisted-checkout-credentials',
  title: 'Checkout does not leave the token on disk',
  category: 'workflows',
  severity: 'medium',
  confidence: 'high',
  fixable: true,
  docs: {
    summary:
      '`actions/checkout` is used without `persist-credentials: false`, so the job\'s GITHUB_TOKEN is saved on disk for every later step: in `.git/config` before checkout v6, and from v6 on in a credentials file in the runner\'s temporary folder that `.git/config` includes. Rated higher when a later upload contains the checkout\'s `.git` folder while the token is in it (checkout before v6).',
    whyItMatters:
      'By default checkout saves the token so that later `git push` commands work. Every later step — including third-party actions and the build scripts of your dependencies — can read it, and with checkout before v6, where it sits in `.git/config` inside the workspace, an artifact upload of the checkout with its hidden files publishes it to anyone who can download the artifact. Most jobs never push, so the saved token is pure risk.',
    howToFix:
      'Add `persist-credentials: false` under the checkout step\'s `with:`. If a later step really pushes, give that step the token explicitly (for example `git push https://x-access-token:${GITHUB_TOKEN}@github.com/...` with `env: GITHUB_TOKEN: ${{ github.token }}`) or keep the default only in that job.',
    effort: 'minutes',
    fixSafety:
      'Safe when nothing later in the job uses the saved token. Not offered when something later in the job pushes with it: `git push` in a step, a repository script the job runs that pushes (Steward reads the script: `git push` through a subprocess, `repo.push(...)`), a known pushing action (create-pull-request, git-auto-commit, gh-pages deploys and others) or a tool that pushes (mkdocs gh-deploy, semantic-release) — that step must first get the token explicitly, which is the maintainers\' change. Marked for review, with the reason, when a later step runs `git fetch` or `git pull` (they need the token only for a private repository), or when the job runs a repository script Steward cannot read.',
  },
  references: {
    zizmor: 'artipacked',
    other: [
      { title: 'actions/checkout: persist-credentials', url: 'https://github.com/actions/checkout#usage' },
      { title: 'actions/checkout v6.0.0: persist credentials to a separate file (#2286)', url: 'https://github.com/actions/checkout/pull/2286' },
    ],
  },
};

// Git commands that talk to the remote with the saved credentials; a push always needs them.
const GIT_PUSH = new RegExp(String.raw`${GIT_COMMAND}${PUSH_SUBCOMMAND}[^\n]*`, 'g');
// A push to a URL that carries its own credentials (`https://x-access-token:${TOKEN}@github.com/…`)
// does not use the saved ones.
const OWN_CREDENTIALS = /:\/\/[^\s'"]*@/;
const GIT_REMOTE = new RegExp(String.raw`${GIT_COMMAND}(?:(?:subtree|lfs)\s+)?(push|pull|fetch|submodule\s+update|ls-remote|remote\s+update)\b`);
// In a repository script: git run through a subprocess, or a Git library's push.
const SCRIPT_REMOTE = new RegExp(String.raw`${GIT_COMMAND}(?:(?:subtree|lfs)\s+)?(push|pull|fetch)\b|` + String.raw`["']git["']\s*,\s*["'](push|pull|fetch)["']|\b(?:repo|origin|remote|git_repo|repository)\w*(?:\.remote\([^)]*\))?\.(push|pull|fetch)\s*\(|\bremote\([^)]*\)\.(push|pull|fetch)\s*\(`);
// Commands that run a repository script: an interpreter given a script file (`python x.py`, `node
// y.js`, `bash z.sh`), or a path at the start of a command (`./tools/release.sh`, `./configure`).
const INTERPRETED = /(?:^|[\s;&|(`])(?:python3?|node|bash|sh|zsh|ruby|perl|pwsh|tsx|ts-node|bun|deno\s+run)\s+(?:-\S+\s+)*((?:\.{1,2}\/)?[\w.-]+(?:\/[\w.-]+)*\.(?:py|js|mjs|cjs|ts|sh|rb|pl|ps1))(?=[\s;)]|$)/gm;
const DIRECT = /(?:^|[;&|(]|\bthen|\bdo)[ \t]*(\.{1,2}\/[\w.-]+(?:\/[\w.-]+)*)(?=[\s;)]|$)/gm;
// A command word with a slash runs that file even without `./` (`run: scripts/publish`).
const DIRECT_BARE = /(?:^|[;&|(]|\bthen|\bdo)[ \t]*((?:[\w.-]+\/)+[\w.-]+)(?=[ \t]|[;)]|$)/gm;
const SCRIPT_EXT_ANY = /\.(?:py|js|mjs|cjs|ts|sh|rb|pl|ps1)/;
const SCRIPT_EXT = /\.(?:py|js|mjs|cjs|ts|sh|rb|pl|ps1)$/;
// Build output and dependency folders: what runs from there was built by the job, not checked in.
const BUILT = /^(?:target|dist|build|out|bin\/Release|node_modules|\.venv|venv)\//;

function actionName(step: StepModel): string | undefined {
  if (!step.uses) return undefined;
  // Asked about four times per step and scan (which steps check out, the backward walk, token uses):
  // kept per step model, which the engine builds anew whenever the file's content changes.
  let n = actionNames.get(step);
  if (n === undefined) {
    actionNames.set(step, (n = actionNameOf(step.uses.value) ?? null));
  }
  return n ?? undefined;
}

const actionNames = new WeakMap<StepModel, string | null>();

const isCheckout = (step: StepModel) => actionName(step) === 'actions/checkout';

/**
 * Repository paths of the scripts a run step executes (relative to its working directory, when
 * given). `maybe` marks paths without a script extension run directly (`./configure`): they count only
 * when the snapshot has them (otherwise they are built by the job).
 */
export function scriptsRun(step: StepModel, file: YamlFile, jobDir?: string): readonly { path: string; maybe: boolean }[] {
  if (!step.run) return [];
  // Each step is asked twice per scan (the scripts to read, then its token uses): the answer depends
  // on the step, its file and the job's working directory only.
  let byDir = scriptsMemo.get(step);
  if (!byDir) scriptsMemo.set(step, (byDir = new Map()));
  const key = jobDir ?? '\u0000';
  let r = byDir.get(key);
  if (!r) byDir.set(key, (r = scriptsRunUncached(step, file, jobDir)));
  return r;
}

const scriptsMemo = new WeakMap<StepModel, Map<string, readonly { path: string; maybe: boolean }[]>>();

function scriptsRunUncached(step: StepModel, file: YamlFile, jobDir: string | undefined): readonly { path: string; maybe: boolean }[] {
  // The step's working directory is looked up at the first script found: most run steps run none,
  // and the lookup was a fifth of this check on a re-check of a 500-line workflow (issue 19).
  let dir: string | undefined;
  const out = new Map<string, boolean>();
  // DIRECT and DIRECT_BARE match only paths with a slash.
  const run = step.run!.value;
  // Each pattern only where the text it needs is there: INTERPRETED needs a script extension, DIRECT
  // `./`, DIRECT_BARE a slash (most run steps have none; each pattern is tried at every position).
  const res = SCRIPT_EXT_ANY.test(run) ? [INTERPRETED] : [];
  if (run.includes('/')) {
    if (run.includes('./')) res.push(DIRECT);
    res.push(DIRECT_BARE);
  }
  for (const re of res) {
    for (const m of run.matchAll(re)) {
      const p = m[1];
      if (p.includes('${{')) continue;
      dir ??= scalarString(deref(get(step.node, 'working-directory', file), file)) ?? jobDir ?? '';
      const joined = (dir && !dir.includes('${{') ? `${dir.replace(/\/+$/, '')}/${p}` : p).replace(/^(?:\.\/)+/, '');
      const norm: string[] = [];
      for (const seg of joined.split('/')) {
        if (seg === '..') norm.pop();
        else if (seg !== '.' && seg) norm.push(seg);
      }
      const path = norm.join('/');
      if (!path || BUILT.test(path)) continue;
      const maybe = !SCRIPT_EXT.test(path);
      out.set(path, (out.get(path) ?? true) && maybe);
    }
  }
  return [...out].map(([path, maybe]) => ({ path, maybe }));
}

/** What Steward knows of repository scripts: their text, or null when the path is not in the snapshot. */
export type ScriptView = ReadonlyMap<string, string | null>;

export interface TokenUse {
  /** Words for the reason: "`git push` in a later step", "`./release.py`, which runs git push". */
  what: string;
  /** Steward cannot see whether it uses the token. */
  unseen?: boolean;
  /** It pushes with the saved token: turning persistence off breaks it. */
  pushes?: boolean;
}

function pushIn(run: string): boolean {
  for (const m of run.matchAll(GIT_PUSH)) if (!OWN_CREDENTIALS.test(m[0])) return true;
  return false;
}

/** What one step does with the saved token (the pieces of a later checkout's reason), in order. */
export function stepTokenUses(s: StepModel, y: YamlFile, scripts: ScriptView | undefined, jobDir: string | undefined): TokenUse[] {
  const out: TokenUse[] = [];
  const n = actionName(s);
  const pushes = n ? pushingAction(n.split('/').slice(0, 2).join('/')) : undefined;
  if (n && pushes) out.push({ what: `\`${n.split('/').slice(0, 2).join('/')}\` (${pushes})`, pushes: true });
  if (!s.run) return out;
  // GIT_REMOTE and GIT_PUSH match only text with `git` in it (pushingTool gates its own rules).
  const git = s.run.value.includes('git');
  const m = git ? GIT_REMOTE.exec(s.run.value) : null;
  const tool = pushingTool(s.run.value);
  if (git && pushIn(s.run.value)) out.push({ what: '`git push` in a later step', pushes: true });
  else if (m && m[1] !== 'push') out.push({ what: `\`git ${m[1].replace(/\s+/g, ' ')}\` in a later step` });
  else if (tool) out.push({ what: `\`${tool.text}\` in a later step (it pushes with Git)`, pushes: true });
  else if (/\bgh\s+pr\s+create\b/.test(s.run.value) && /\bgit\s+commit\b/.test(s.run.value)) out.push({ what: '`gh pr create` after a commit in a later step', pushes: true });
  for (const { path: p, maybe } of scriptsRun(s, y, jobDir)) {
    const text = scripts?.get(p);
    // null: the repository has the file but Steward could not read it; undefined: not in the
    // repository (a path without a script extension is then most likely built by the job).
    if (text === null || (text === undefined && !maybe)) out.push({ what: `\`${p}\``, unseen: true });
    else if (text !== undefined) {
      const sm = SCRIPT_REMOTE.exec(text);
      const tool = pushingTool(text);
      if (sm) {
        const verb = sm[1] ?? sm[2] ?? sm[3] ?? sm[4];
        out.push({ what: `\`${p}\`, which runs ${sm[1] || sm[2] ? `git ${verb}` : `a Git library's ${verb}`}`, ...(verb === 'push' || pushIn(text) ? { pushes: true as const } : {}) });
      } else if (tool) out.push({ what: `\`${p}\`, which runs \`${tool.text}\` (it pushes with Git)`, pushes: true });
    }
  }
  return out;
}

/** Token uses a reason names at most; more are counted ("and 12 more"). */
export const USES_LISTED = 10;

/** An upload's paths, reduced to the checkout roots whose `.git` folder it includes. */
interface UploadReach {
  /** It uploads the whole workspace with hidden files: every checkout's `.git`. */
  all: boolean;
  roots: Set<string>;
}

function uploadReach(s: StepModel, y: YamlFile): UploadReach {
  const reach: UploadReach = { all: false, roots: new Set() };
  const pathNode = deref(get(s.with, 'path', y), y);
  const paths = isSeq(pathNode) ? pathNode.items.map((i) => scalarString(deref(i, y)) ?? '') : (scalarString(pathNode) ?? '').split(/\r?\n/);
  const v = actionVersion(y, s);
  // upload-artifact v4.4.0 stopped uploading hidden files (`.git` included) unless include-hidden-files is true.
  const hidden = scalarString(deref(get(s.with, 'include-hidden-files', y), y))?.trim().toLowerCase() === 'true' || atLeast(v, 4, 4) === false;
  // Even a path naming .git uploads nothing of it while hidden files are excluded.
  if (!hidden) return reach;
  for (const raw of paths) {
    const p = raw.trim().replace(/^\$\{\{\s*github\.workspace\s*\}\}\/?/, '').replace(/^\.(?:\/|$)/, '').replace(/\/+$/, '');
    if (!p || p.startsWith('!')) {
      if (!p && raw.trim()) reach.all = true; // `.`, `./` or the workspace itself
      continue;
    }
    // The checkout roots R for which this path is R itself, R/.git, R/.git/…, R/* or R/** (R may be
    // the workspace, ''): the same test as matching each checkout against each path, done once.
    reach.roots.add(p);
    if (p === '.git' || p.startsWith('.git/') || p === '*' || p === '**') reach.roots.add('');
    const star = /\/\*\*?$/.exec(p);
    if (star && star.index > 0) reach.roots.add(p.slice(0, star.index));
    for (let i = p.indexOf('/.git'); i >= 0; i = p.indexOf('/.git', i + 1)) {
      const after = p[i + 5];
      if (i > 0 && (after === undefined || after === '/')) reach.roots.add(p.slice(0, i));
    }
  }
  return reach;
}

export interface Later {
  /** Distinct token uses in the steps after it, in step order (at most USES_LISTED, then a count). */
  uses: TokenUse[];
  /** The first later upload that includes its `.git` folder. */
  upload?: StepModel;
  /** The first later token use that pushes (listed or not). */
  push?: TokenUse;
}

/**
 * For every checkout of a job, what the later steps do with the token and the first later upload of
 * its `.git` folder, in one backward walk of the steps (a job of many checkouts and many steps used
 * to walk the rest of the job once per checkout).
 */
export function laterFacts(steps: readonly StepModel[], y: YamlFile, scripts: ScriptView | undefined, jobDir: string | undefined): Map<number, Later> {
  const out = new Map<number, Later>();
  // The distinct uses seen so far, the earliest step's first: a move-to-front list.
  interface Node { use: TokenUse; prev?: Node; next?: Node }
  const byWhat = new Map<string, Node>();
  let head: Node | undefined;
  const toFront = (use: TokenUse) => {
    let n = byWhat.get(use.what);
    if (n) {
      n.use = use;
      if (n === head) return;
      if (n.prev) n.prev.next = n.next;
      if (n.next) n.next.prev = n.prev;
      n.prev = undefined;
    } else {
      n = { use };
      byWhat.set(use.what, n);
    }
    n.next = head;
    if (head) head.prev = n;
    head = n;
  };
  // The first later upload that reaches each checkout root, and the first that reaches all.
  const uploadFor = new Map<string, { at: number; step: StepModel }>();
  let uploadAll: { at: number; step: StepModel } | undefined;
  let push: TokenUse | undefined;
  for (let i = steps.length - 1; i >= 0; i--) {
    const s = steps[i];
    const name = actionName(s);
    if (name === 'actions/checkout') {
      const uses: TokenUse[] = [];
      for (let n = head; n && uses.length < USES_LISTED; n = n.next) uses.push(n.use);
      if (byWhat.size > uses.length) uses.push({ what: `${byWhat.size - uses.length} more` });
      const checkoutPath = scalarString(deref(get(s.with, 'path', y), y)) ?? '';
      const root = checkoutPath.replace(/^\.(?:\/|$)/, '').replace(/\/+$/, '');
      const byRoot = uploadFor.get(root);
      const up = byRoot && uploadAll ? (byRoot.at < uploadAll.at ? byRoot : uploadAll) : (byRoot ?? uploadAll);
      out.set(i, { uses, upload: up?.step, push });
    }
    const here = stepTokenUses(s, y, scripts, jobDir);
    push = here.find((u) => u.pushes) ?? push;
    for (let k = here.length - 1; k >= 0; k--) toFront(here[k]);
    if (name === 'actions/upload-artifact') {
      const reach = uploadReach(s, y);
      if (reach.all) uploadAll = { at: i, step: s };
      for (const r of reach.roots) uploadFor.set(r, { at: i, step: s });
    }
  }
  return out;
}

function fixFor(file: SourceFile, step: StepModel, uses: TokenUse[], explicitTrue: unknown, push: TokenUse | undefined): Fix | undefined {
  // A later push needs the saved token: without it the job breaks (judge1 D22). Giving that step the
  // token explicitly is the maintainers' change to make; the finding says so.
  if (push) return undefined;
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
  const seen = uses.filter((u) => !u.unseen);
  const unseen = uses.filter((u) => u.unseen);
  const reasons: string[] = [];
  if (seen.length) reasons.push(`${seen.map((u) => u.what).join(', ')} may need the saved token: give that step the token explicitly before applying`);
  if (unseen.length) reasons.push(`Steward cannot see what ${unseen.map((u) => u.what).join(', ')} ${unseen.length === 1 ? 'does' : 'do'} with the token`);
  if (explicitTrue !== undefined) reasons.push('the workflow asks for the saved token explicitly; check which later step needs it');
  const reason = reasons.length ? reasons.join('; ').replace(/^./, (c) => c.toUpperCase()) + '.' : undefined;
  return {
    title: 'Set `persist-credentials: false` on this checkout',
    safe: !reason,
    reviewReason: reason,
    edits,
  };
}

/** Findings for one file; `scripts` holds the repository scripts its run steps execute (from the snapshot), when read. */
export function analyze(file: SourceFile, scripts?: ScriptView): Finding[] {
  const y = file.yaml;
  if (!y) return [];
  const groups: { job?: JobModel; steps: StepModel[] }[] = file.workflow
    ? file.workflow.jobs.map((job) => ({ job, steps: job.steps }))
    : file.action
      ? [{ steps: file.action.steps }]
      : [];
  const out: Finding[] = [];
  for (const { job, steps } of groups) {
    const jobDir = job ? scalarString(deref(get(get(get(job.node, 'defaults', y), 'run', y), 'working-directory', y), y)) : undefined;
    const later = steps.some(isCheckout) ? laterFacts(steps, y, scripts, jobDir) : new Map<number, Later>();
    steps.forEach((step, i) => {
      if (!isCheckout(step) || !step.uses) return;
      const pc = step.with ? getPair(step.with, 'persist-credentials', y) : undefined;
      const pcNode = pc ? deref(pc.value, y) : undefined;
      const pcValue = isScalar(pcNode) ? (scalarString(pcNode) ?? '').trim().toLowerCase() : undefined;
      if (pcValue === 'false') return;
      if (pcValue !== undefined && pcValue.includes('${{')) return; // decided at run time; cannot tell
      const explicitTrue = pcValue === 'true' ? pcNode : undefined;
      const version = actionVersion(y, step);
      const separate = atLeast(version, 6); // v6.0.0: "Persist creds to a separate file" (actions/checkout#2286)
      // The token is in `.git/config` only before v6, so only then does uploading `.git` publish it.
      const up = separate === true ? undefined : later.get(i)?.upload;
      // An explicit `true` is a deliberate choice (usually a later push); only an upload makes it a finding.
      if (explicitTrue && !up) return;
      const uses = later.get(i)?.uses ?? [];
      const push = later.get(i)?.push;
      const severity: Severity = up ? (separate === false ? 'high' : 'medium') : 'low';
      const where = job ? ` in job ${jobLabel(job)}` : '';
      const store =
        separate === true
          ? "in a credentials file in the runner's temporary folder (checkout v6 and later), where every later step can read it"
          : separate === false
            ? 'in .git/config (checkout before v6) for every later step'
            : "on disk for every later step (in .git/config before checkout v6, in a file in the runner's temporary folder from v6 on)";
      const base = explicitTrue
        ? `This checkout${where} sets \`persist-credentials: true\`: the job's token stays ${store}`
        : `This checkout${where} leaves the job's token ${store} (no \`persist-credentials: false\`)`;
      const seen = uses.filter((u) => !u.unseen);
      const noFix = push
        ? `. No fix offered: the job later pushes with the saved token (${push.what}), so \`persist-credentials: false\` alone would break it — the change is to give that step the token explicitly (for example a push URL with \`\${{ github.token }}\`), which the maintainers should choose`
        : '';
      const tail = up
        ? `; a later upload includes the checkout's .git folder, which publishes the token in the artifact${separate === undefined ? ' if this checkout is older than v6' : ''}${noFix}`
        : push
          ? noFix
          : seen.length
            ? `; ${seen.map((u) => u.what).join(', ')} may use it — give that step the token explicitly instead`
            : '';
      const related = up ? [{ ...locationOf(y, up.uses!.node)!, message: "artifact upload that includes the checkout's .git folder" }] : undefined;
      const fix = fixFor(file, step, uses, explicitTrue, push);
      out.push(finding(meta, { message: base + tail, severity, location: locationOf(y, step.uses.node), related, fixes: fix ? [fix] : [] }));
    });
  }
  return out;
}

/** The repository scripts run by the jobs of `file` that check out (empty for most files). */
function scriptPaths(file: SourceFile): string[] {
  const y = file.yaml!;
  const groups = file.workflow ? file.workflow.jobs.map((j) => j.steps) : file.action ? [file.action.steps] : [];
  return [...new Set(groups.filter((steps) => steps.some(isCheckout)).flatMap((steps) => steps.flatMap((s) => scriptsRun(s, y).map((r) => r.path))))];
}

/** Files whose jobs check out and run repository scripts, with the scripts' paths. */
function scriptUsers(ctx: RepoContext): Map<SourceFile, string[]> {
  const out = new Map<SourceFile, string[]>();
  for (const file of [...ctx.byKind('workflow'), ...ctx.byKind('action')]) {
    if (!file.yaml || !isUsable(file)) continue;
    // Kept per file content: a re-check after a save looks at the edited file's steps only.
    const paths = fileMemo(file, 'persisted-checkout-credentials:scripts', scriptPaths);
    if (paths.length) out.set(file, paths);
  }
  return out;
}

/** A user file's findings with its scripts, and the scripts' texts they rest on (null: unreadable, undefined: absent). */
interface WithScripts {
  scripts: Map<string, string | null | undefined>;
  /** Never handed out (the engine edits findings): callers get copies. */
  findings: Finding[];
}

const withScripts = new WeakMap<SourceFile, WithScripts>();

export const check: Check = {
  meta,
  fileKinds: ['workflow', 'action'],
  notApplicableReason: 'No workflows or actions',
  // Without the repository (a single file), scripts a job runs are unseen, so their fixes are review.
  checkFile(file) {
    return analyze(file);
  },
  // With the repository, the files whose jobs run repository scripts are checked again with those
  // scripts read from the snapshot: a fix is safe when none of them pushes, fetches or pulls.
  async checkRepo(ctx, fileFindings) {
    const users = scriptUsers(ctx);
    const scripts = new Map<string, string | null>();
    const all = ctx.pathSet ?? new Set(ctx.paths);
    for (const p of new Set([...users.values()].flat())) {
      if (!all.has(p)) continue;
      const sf = await ctx.read(p);
      scripts.set(p, sf && !sf.problem ? sf.text : null);
    }
    const redo = new Set([...users.keys()].map((f) => f.path));
    const again: Finding[] = [];
    for (const f of users.keys()) {
      let w = withScripts.get(f);
      if (!w || [...w.scripts].some(([p, t]) => scripts.get(p) !== t)) {
        // Every script the analysis looks up is recorded (with a job's working directory it may look up
        // paths another file's steps name), so the entry is reused only while all of them are unchanged.
        const read = new Map<string, string | null | undefined>();
        const view = { get: (p: string) => { const t = scripts.get(p); read.set(p, t); return t; } } as ScriptView;
        w = { scripts: read, findings: analyze(f, view) };
        withScripts.set(f, w);
      }
      for (const x of w.findings) again.push(Object.assign({}, x));
    }
    const findings = [...fileFindings.filter((f) => !f.location || !redo.has(f.location.file)), ...again];
    const any = ctx.byKind('workflow').length + ctx.byKind('action').length > 0;
    return { status: !any ? 'not-applicable' : findings.length ? 'fail' : 'pass', reason: any ? '' : 'No workflows or actions', findings };
  },
};
