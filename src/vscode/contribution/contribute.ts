import { diffLines } from 'diff';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Concern } from '../../contribution/concerns';
import { ContributionFlow, FlowError, type FlowGitHub, type FlowPlan, type FlowResult } from '../../contribution/flow';
import { FlowGit, FlowGitError } from '../../contribution/git';
import { PortFlowGitHub } from '../../contribution/github';
import { describeChannel, findingLabel } from '../../contribution/private-report';
import { GitTreeSnapshot } from '../../contribution/tree-snapshot';
import { applyEdits, dedupeEdits } from '../../core/fix/apply';
import { DeferredFixRegistry } from '../../core/fix/deferred';
import type { TextEdit } from '../../core/model';
import { decodeText } from '../../core/yaml/text';
import { GitHubError } from '../../github/errors';
import { tokenHeader } from '../../github/git';
import { RESTRICTED_REASON } from '../fixes/fixes';
import { githubAccess, onlineBlocked, type OnlineAccess, type OnlineOverride } from '../online/onlineAccess';
import { closePreviews, ensurePreviewProvider, previewUri } from '../shared/preview';
import { BACK, runSteps, VsCodePrompter, type Back, type PickItem, type Prompter } from '../shared/prompter';
import type { HandlerFactory, Services } from '../shared/services';
import { chooseFolder, uriOf, type FolderArg } from '../shared/workspaceFolder';

// `Steward: Prepare security contribution…`: the contribution flow (src/contribution) as a guided
// five-step dialog — preflight, one concern, the full diff and PR text, where to publish, a final
// confirmation — then the flow runs with progress, and the user opens the draft PR or, without GitHub
// access, copies the PR text or exports the commits as a patch series. The flow works with git plumbing
// on its own branch and never touches the work tree, the index or the current branch, so uncommitted
// changes need no stash and no question.

export interface ContributeOptions extends FolderArg {
  /** Pre-selects the concern that covers this check (the Explain view passes it). */
  checkId?: string;
  /** Pre-selects a concern by id. */
  concern?: string;
  prompter?: Prompter;
  /** Tests: GitHub base URL and token source instead of the editor sign-in; false: no GitHub access. */
  online?: OnlineOverride | false;
  smallPrLines?: number;
  /** Tests: how long to wait between checks that a new fork exists. */
  forkWaitMs?: number;
}

export interface ContributeResult {
  outcome: 'pr-opened' | 'pr-updated' | 'committed' | 'pushed' | 'reported-privately' | 'cancelled' | 'refused' | 'failed' | 'nothing';
  branch?: string;
  commits?: string[];
  prUrl?: string;
  pushedTo?: string;
  body?: string;
  patches?: string[];
  copied?: boolean;
  error?: string;
  /** What the preview showed (tests compare it with what was committed). */
  diff?: string;
}

const TOTAL = 5;

/** The concern a check belongs to (its rule is one of the concern's rules, or the concern is the rule). */
export function concernForCheck(concerns: readonly Concern[], checkId: string | undefined): Concern | undefined {
  if (!checkId) return undefined;
  return concerns.find((c) => c.def.id === checkId) ?? concerns.find((c) => c.def.rules.includes(checkId));
}

export interface ConcernSize {
  files: number;
  added: number;
  removed: number;
  /** Fixes whose change is only known after resolving online (e.g. the commit SHA of a tag). */
  deferred: number;
}

/** Size of a concern's change against the base text, before planning it (deferred fixes counted apart). */
export async function concernSize(concern: Concern, read: (file: string) => Promise<string | undefined>): Promise<ConcernSize> {
  const byFile = new Map<string, TextEdit[]>();
  let deferred = 0;
  for (const { fix } of concern.fixes) {
    if (fix.deferred) {
      deferred++;
      continue;
    }
    for (const e of fix.edits) byFile.set(e.file, [...(byFile.get(e.file) ?? []), e]);
  }
  let added = 0;
  let removed = 0;
  const files = new Set<string>(concern.fixes.filter((f) => f.fix.deferred).map((f) => (f.fix.deferred?.data.file as string | undefined) ?? f.finding.location?.file ?? ''));
  for (const [file, edits] of byFile) {
    const create = edits.some((e) => e.create);
    const before = create ? '' : ((await read(file)) ?? '');
    let after: string;
    try {
      after = applyEdits(before, dedupeEdits(edits));
    } catch {
      continue; // overlapping fixes: the plan leaves one out and says so
    }
    files.add(file);
    for (const part of diffLines(before, after)) {
      if (part.added) added += part.count ?? 0;
      else if (part.removed) removed += part.count ?? 0;
    }
  }
  files.delete('');
  return { files: files.size, added, removed, deferred };
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function firstLine(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).split('\n').find((l) => l.trim()) ?? 'unknown error';
}

/** One clear sentence for the errors the flow and git report; undefined for unexpected ones. */
function knownError(e: unknown): string | undefined {
  if (e instanceof FlowError || e instanceof FlowGitError || e instanceof GitHubError) return firstLine(e);
  return undefined;
}

interface Session {
  svc: Services;
  prompter: Prompter;
  opts: ContributeOptions;
  dir: string;
  git: FlowGit;
  access?: OnlineAccess;
  github?: FlowGitHub;
  providers?: DeferredFixRegistry;
  /** Authorization header for git pushes to the GitHub host (signed in only; never on argv or in a URL). */
  gitAuth?: { url: string; value: string };
  previews: vscode.Uri[];
}

async function connect(s: Session, interactive: boolean): Promise<void> {
  if (s.opts.online === false || onlineBlocked()) return;
  s.access = await githubAccess(s.svc, { interactive, override: s.opts.online });
  if (!s.access) return;
  s.providers = new DeferredFixRegistry();
  s.providers.register(s.access.services.pinProvider);
  s.github = s.access.signedIn ? new PortFlowGitHub(s.access.services.github, { forkWaitMs: s.opts.forkWaitMs }) : undefined;
  const token = s.access.signedIn ? await s.access.tokenProvider.getToken() : undefined;
  s.gitAuth = token ? { url: s.access.services.endpoints.web, value: tokenHeader(token) } : undefined;
}

function flowFor(s: Session, extra: { concern?: string; push?: boolean; remote?: string; public?: boolean; log?: (l: string) => void } = {}): ContributionFlow {
  return new ContributionFlow({
    dir: s.dir,
    github: s.github,
    providers: s.providers,
    gitAuth: s.gitAuth,
    smallPrLines: s.opts.smallPrLines,
    ...extra,
  });
}

function progress<T>(title: string, task: (report: (message: string) => void) => Promise<T>): Promise<T> {
  return Promise.resolve(vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Steward: ${title}` }, (p) => task((message) => p.report({ message }))));
}

/**
 * Before anything else: no unfinished merge or rebase (the branch and remotes it reads are in flux).
 * Uncommitted changes are fine: the flow builds its commits from the base branch with plumbing.
 */
async function guardWorkingTree(s: Session): Promise<'ok' | 'refused'> {
  const state = await s.git.state();
  if (state) {
    void vscode.window.showErrorMessage(`Steward: a ${state} is in progress in ${path.basename(s.git.root)}. Finish or abort it first; nothing was changed.`);
    return 'refused';
  }
  return 'ok';
}

async function showPreview(s: Session, plan: FlowPlan): Promise<void> {
  const diffDoc = previewUri(`${plan.branch.replace(/\//g, '-')}.diff`, plan.diff);
  const prDoc = previewUri(`PR-${plan.concern!.def.id}.md`, `# ${plan.title}\n\n${plan.body}`);
  s.previews.push(diffDoc, prDoc);
  await vscode.window.showTextDocument(diffDoc, { preview: false, preserveFocus: true, viewColumn: vscode.ViewColumn.One });
  try {
    await vscode.commands.executeCommand('markdown.showPreviewToSide', prDoc);
  } catch {
    await vscode.window.showTextDocument(prDoc, { preview: false, preserveFocus: true, viewColumn: vscode.ViewColumn.Beside });
  }
}

async function showFileDiffs(s: Session, plan: FlowPlan, base: GitTreeSnapshot): Promise<void> {
  for (const [file, after] of plan.contents) {
    const bytes = await base.readFile(file);
    const left = previewUri(`base/${file}`, bytes ? decodeText(bytes).text : '');
    const right = previewUri(`${plan.branch.replace(/\//g, '-')}/${file}`, after);
    s.previews.push(left, right);
    await vscode.commands.executeCommand('vscode.diff', left, right, `${file} (${plan.baseBranch} ↔ ${plan.branch})`, { preview: false, preserveFocus: true });
  }
}

interface Publish {
  push: boolean;
  remote?: string;
  /** Publish an exploitable finding in a public PR anyway (the flow reports it privately otherwise). */
  public?: boolean;
}

export async function runContribution(svc: Services, arg: unknown): Promise<ContributeResult> {
  const opts = (arg && typeof arg === 'object' && !(arg instanceof vscode.Uri) ? arg : {}) as ContributeOptions;
  const prompter = opts.prompter ?? new VsCodePrompter();
  if (!vscode.workspace.isTrusted) {
    const a = await prompter.notify({ id: 'restricted', level: 'warning', message: `Steward: preparing a contribution runs git and may use the network. ${RESTRICTED_REASON}`, actions: ['Manage Workspace Trust'] });
    if (a) void vscode.commands.executeCommand('workbench.trust.manage');
    return { outcome: 'refused' };
  }
  ensurePreviewProvider(svc.context.subscriptions);
  const target = await chooseFolder(arg, prompter, 'Prepare security contribution');
  if (!target) return { outcome: 'cancelled' };
  const folder = uriOf(target);
  if (folder.scheme !== 'file') {
    void vscode.window.showErrorMessage('Steward: preparing a contribution needs git on a local folder; this workspace is virtual or remote.');
    return { outcome: 'refused' };
  }
  let git: FlowGit;
  try {
    git = await FlowGit.open(folder.fsPath);
  } catch (e) {
    void vscode.window.showErrorMessage(`Steward: ${firstLine(e)}: clone the project with git to contribute to it.`);
    return { outcome: 'refused' };
  }
  const s: Session = { svc, prompter, opts, dir: git.root, git, previews: [] };
  try {
    return await contribute(s);
  } catch (e) {
    const known = knownError(e);
    if (!known) svc.log.error(`prepare contribution failed: ${e instanceof Error ? e.stack : String(e)}`);
    const message = known ?? firstLine(e);
    void vscode.window.showErrorMessage(`Steward: ${message}`);
    return { outcome: 'failed', error: message };
  } finally {
    await closePreviews(s.previews);
  }
}

async function contribute(s: Session): Promise<ContributeResult> {
  const { prompter } = s;
  if ((await guardWorkingTree(s)) === 'refused') return { outcome: 'refused' };
  await connect(s, false);
  const overview = await progress('Reading the project’s contribution rules…', () => flowFor(s).plan(s.git));
  if (!overview.concerns.length) {
    await prompter.notify({ id: 'nothing', message: `Steward found nothing it can fix on ${overview.upstreamRemote}/${overview.baseBranch}: there is no contribution to prepare.`, actions: [] });
    return { outcome: 'nothing' };
  }
  const upstreamLabel = overview.upstream ? `${overview.upstream.owner}/${overview.upstream.repo}` : overview.upstreamRemote;
  const base = new GitTreeSnapshot(s.git, overview.baseCommit, upstreamLabel, s.git.root);
  const readBase = async (f: string) => {
    const b = await base.readFile(f);
    return b ? decodeText(b).text : undefined;
  };
  const sizes = new Map<string, ConcernSize>();
  for (const c of overview.concerns) sizes.set(c.def.id, await concernSize(c, readBase));
  let canPush: boolean | undefined;
  if (s.github && overview.upstream) canPush = await s.github.repo(overview.upstream).then((r) => r.canPush, () => undefined);

  let concern: Concern | undefined = overview.concerns.find((c) => c.def.id === s.opts.concern) ?? concernForCheck(overview.concerns, s.opts.checkId);
  let plan: FlowPlan | undefined;
  let publish: Publish | undefined;
  const title = `Prepare security contribution to ${upstreamLabel}`;
  const limit = s.opts.smallPrLines ?? 150;

  const steps: (() => Promise<'next' | 'skip' | Back | undefined>)[] = [
    // 1. Preflight: what the project asks of contributors, and what it means for this PR.
    async () => {
      for (;;) {
        const blocker = overview.preflight.find((i) => i.level === 'blocker');
        const items: PickItem<string>[] = [
          { label: blocker ? '$(warning) Continue anyway' : '$(arrow-right) Continue', description: blocker ? blocker.meaning : 'choose what to fix', value: 'continue', picked: true },
        ];
        for (const i of overview.preflight) {
          const icon = i.level === 'blocker' ? '$(error)' : i.level === 'warning' ? '$(warning)' : '$(info)';
          items.push({ label: `${icon} ${i.label}: ${i.found}`, detail: i.meaning, value: `item:${i.id}`, separator: i === overview.preflight[0] ? 'What Steward found' : undefined });
        }
        if (!overview.preflightFiles.requiresSignoff) items.push({ label: '$(info) Sign-off (DCO): not required', detail: 'No DCO file or sign-off rule found; your commits carry no Signed-off-by line.', value: 'item:no-dco' });
        items.push(
          canPush === true
            ? { label: `$(info) Your access: you can push to ${upstreamLabel}`, detail: 'The branch still goes to your fork or a remote you choose, never to the default branch.', value: 'item:access' }
            : canPush === false
              ? { label: `$(info) Your access: read-only on ${upstreamLabel}`, detail: 'The branch is pushed to your fork (found, or created for you), and the PR is opened from there.', value: 'item:access' }
              : { label: '$(info) Your access: not checked', detail: 'Not signed in to GitHub: you can push to a remote you name, or copy the PR text / export patches.', value: 'item:access' },
        );
        items.push(
          s.github
            ? { label: '$(info) Open pull requests: checked for overlap', detail: 'After you choose a concern, Steward lists open PRs that touch the same files.', value: 'item:prs' }
            : { label: '$(info) Open pull requests: not checked', detail: 'Sign in to GitHub to see whether an open PR already changes the same files.', value: 'item:prs' },
        );
        if (overview.preflightFiles.contributing) items.push({ label: `$(book) Read ${overview.preflightFiles.contributing.path}`, value: 'open:contributing' });
        if (overview.preflightFiles.prTemplate) items.push({ label: `$(book) Read ${overview.preflightFiles.prTemplate.path}`, value: 'open:template' });
        const r = await prompter.pick({ id: 'preflight', title, step: 1, totalSteps: TOTAL, placeholder: `Before you start: what ${upstreamLabel} asks of contributors`, items });
        if (r === BACK || r === undefined) return r;
        if (r === 'continue') return 'next';
        const f = r === 'open:contributing' ? overview.preflightFiles.contributing : r === 'open:template' ? overview.preflightFiles.prTemplate : undefined;
        if (f) {
          const u = previewUri(path.posix.basename(f.path), f.text);
          s.previews.push(u);
          await vscode.window.showTextDocument(u, { preview: true, preserveFocus: true });
        }
      }
    },
    // 2. One concern per pull request, with its size.
    async () => {
      const items: PickItem<Concern>[] = overview.concerns.map((c) => {
        const z = sizes.get(c.def.id)!;
        const size = `${plural(z.files, 'file')} · +${z.added} −${z.removed} lines${z.deferred ? ` + ${plural(z.deferred, 'change')} resolved online` : ''}`;
        const notes = [c.files.join(', ')];
        if (z.added + z.removed > limit) notes.push(`above the small-PR threshold (${limit} lines): consider splitting`);
        if (z.deferred && !s.providers) notes.push(`${plural(z.deferred, 'change')} need online access and will be left out`);
        if (c.unavailable.length) notes.push(`${plural(c.unavailable.length, 'finding')} have only an unsafe fix and are left out`);
        return { label: c.def.title, description: size, detail: notes.filter(Boolean).join(' — '), value: c, picked: c === concern };
      });
      const r = await prompter.pick({ id: 'concern', title, step: 2, totalSteps: TOTAL, back: true, placeholder: 'Choose ONE concern: one focused pull request is what maintainers merge', items });
      if (r === BACK || r === undefined) return r;
      if (r !== concern) plan = undefined;
      concern = r;
      return 'next';
    },
    // 3. The full diff and the PR text, before anything is written.
    async () => {
      if (!plan) {
        const id = concern!.def.id;
        plan = await progress(`Planning “${concern!.def.title}”…`, () => flowFor(s, { concern: id }).plan(s.git));
      }
      await showPreview(s, plan);
      for (;;) {
        const items: PickItem<string>[] = [
          { label: '$(check) The change looks right: continue', description: `${plural(plan.changes.length, 'commit')} on ${plan.branch}`, value: 'continue', picked: true },
          { label: '$(diff) Show each file as a side-by-side diff', value: 'files' },
        ];
        for (const [i, c] of plan.changes.entries()) items.push({ label: `$(git-commit) ${c.title}`, description: `+${c.added} −${c.removed}`, value: `change:${i}`, separator: i === 0 ? 'Commits (one per change)' : undefined });
        for (const [i, w] of plan.warnings.entries()) items.push({ label: `$(warning) ${w}`, value: `warning:${i}`, separator: i === 0 ? 'Warnings' : undefined });
        const r = await prompter.pick({ id: 'preview', title, step: 3, totalSteps: TOTAL, back: true, placeholder: 'Review the diff and the pull request text (opened in the editor)', items });
        if (r === BACK || r === undefined) return r;
        if (r === 'continue') return 'next';
        if (r === 'files') await showFileDiffs(s, plan, base);
      }
    },
    // 4. Where the branch goes.
    async () => {
      for (;;) {
        const remotes = (await s.git.remotes()).filter((r) => r.name !== plan!.upstreamRemote);
        const items: PickItem<Publish | 'sign-in'>[] = [];
        // An exploitable finding: the same choice as `steward pr`, explained — private first.
        const exploit = plan!.exploitable[0];
        if (exploit) {
          items.push({
            label: '$(shield) Report it privately (recommended)',
            detail: `People outside the project can exploit this today (${findingLabel(exploit)}). A public pull request would show everyone how before it is fixed, so Steward sends a private report instead: through GitHub private vulnerability reporting, else the contact in SECURITY.md (an e-mail draft), else an issue that asks for a private channel without details. Nothing is pushed.`,
            value: { push: true },
            separator: 'This is a vulnerability',
          });
          items.push({ label: '$(warning) Publish a public pull request anyway', detail: 'Only if the maintainers asked for it or the problem is already public.', value: { push: true, remote: s.github && plan!.upstream ? undefined : remotes[0]?.name, public: true } });
        } else if (s.github && plan!.upstream) items.push({ label: '$(repo-forked) Push to your fork and open a draft pull request', detail: 'Steward uses your existing fork of the project or creates one.', value: { push: true } });
        for (const r of exploit ? [] : remotes) {
          items.push({ label: `$(cloud-upload) Push to remote “${r.name}”${s.github ? ' and open a draft pull request' : ''}`, detail: r.url, value: { push: true, remote: r.name } });
        }
        if (!s.github && s.opts.online !== false && !onlineBlocked()) items.push({ label: '$(github) Sign in to GitHub…', detail: 'To push to your fork and open a draft pull request for you.', value: 'sign-in' });
        items.push({ label: '$(git-commit) Only create the commits locally', detail: 'Afterwards copy the PR text or export the commits as a patch series.', value: { push: false } });
        const r = await prompter.pick({ id: 'publish', title, step: 4, totalSteps: TOTAL, back: true, placeholder: `Where should ${plan!.branch} go? (never to ${plan!.baseBranch} of the project)`, items });
        if (r === BACK || r === undefined) return r;
        if (r === 'sign-in') {
          await connect(s, true);
          if (!s.github) void vscode.window.showWarningMessage('Steward: not signed in to GitHub; choose a remote or create the commits locally.');
          continue;
        }
        publish = r;
        return 'next';
      }
    },
    // 5. Final confirmation (modal): what will happen, exactly.
    async () => {
      const p = plan!;
      const where = publish!.push && p.exploitable.length && !publish!.public ? 'Then the finding is reported privately; nothing is pushed and no pull request is opened.' : !publish!.push ? `The commits stay on the local branch ${p.branch}.` : publish!.remote ? `Then ${p.branch} is pushed to remote “${publish!.remote}”${s.github ? ' and a draft pull request is opened' : ''}.` : `Then ${p.branch} is pushed to your fork and a draft pull request is opened.`;
      const detail = [
        `Branch ${p.branch} from ${p.upstreamRemote}/${p.baseBranch}, ${plural(p.changes.length, 'commit')} authored as you${p.preflightFiles.requiresSignoff ? ', each signed off (the project requires it)' : ''}:`,
        ...p.changes.map((c) => `• ${c.title} (+${c.added} −${c.removed})`),
        '',
        where,
        'Your current branch, the files in your work tree and your uncommitted changes are not touched.',
        ...(p.warnings.length ? ['', ...p.warnings.map((w) => `⚠ ${w}`)] : []),
      ].join('\n');
      const action = publish!.push ? (s.github ? 'Create commits and open draft PR' : 'Create commits and push') : 'Create commits';
      const r = await prompter.confirm({ id: 'confirm', message: `Prepare “${p.title}”?`, detail, actions: [action] });
      return r === action ? 'next' : undefined;
    },
  ];
  if (!(await runSteps(steps))) return { outcome: 'cancelled' };

  const p = plan!;
  const result: FlowResult = await progress(`Preparing ${p.branch}`, (report) => flowFor(s, { concern: concern!.def.id, push: publish!.push, remote: publish!.remote, public: publish!.public, log: report }).run());
  await closePreviews(s.previews);
  const body = result.plan.body ?? p.body ?? '';
  const out: ContributeResult = {
    outcome: result.privateReport ? 'reported-privately' : result.pr ? (result.pr.updated ? 'pr-updated' : 'pr-opened') : result.pushedTo ? 'pushed' : 'committed',
    branch: result.plan.branch,
    commits: result.committed,
    prUrl: result.pr?.url,
    pushedTo: result.pushedTo,
    body,
    diff: p.diff,
  };
  if (result.privateReport) {
    const c = result.privateReport.channel;
    const link = c.kind === 'advisory' || c.kind === 'advisory-form' ? c.url : c.kind === 'email' ? c.mailto : c.url;
    const a = await prompter.notify({ id: 'done', message: `Steward: ${describeChannel(result.privateReport).filter((l) => !l.startsWith('mailto:')).join(' ')}`, actions: link ? [c.kind === 'email' ? 'Write the e-mail' : 'Open'] : [] });
    if (a && link) await vscode.env.openExternal(vscode.Uri.parse(link));
    return out;
  }
  const headline = result.pr
    ? `Steward ${result.pr.updated ? 'updated' : 'opened'} draft pull request #${result.pr.number} with ${plural(result.committed.length, 'commit')}.`
    : `Steward committed ${plural(result.committed.length, 'change')} on ${result.plan.branch}${result.pushedTo ? ` and pushed it${result.upToDate ? ' (already up to date)' : ''}` : ''}; your work tree is as it was.`;
  const actions = result.pr ? ['Open draft PR', 'Copy PR text'] : ['Copy PR text', 'Export patch series…'];
  for (;;) {
    const a = await prompter.notify({ id: 'done', message: headline, actions });
    if (a === 'Open draft PR' && result.pr) {
      await vscode.env.openExternal(vscode.Uri.parse(result.pr.url));
      return out;
    }
    if (a === 'Copy PR text') {
      await vscode.env.clipboard.writeText(`${result.plan.title}\n\n${body}`);
      vscode.window.setStatusBarMessage('$(check) Steward copied the pull request text', 5000);
      out.copied = true;
      if (result.pr) return out;
      continue; // the patch export may still be wanted
    }
    if (a === 'Export patch series…') {
      const dir = await prompter.chooseFolder({ id: 'patches', title: 'Export the commits as a patch series (cover letter first)', openLabel: 'Export here' });
      if (!dir) continue;
      out.patches = await s.git.formatPatch(`${result.plan.baseCommit}..refs/heads/${result.plan.branch}`, dir.fsPath, { subject: result.plan.title ?? p.title ?? '', body });
      void vscode.window.showInformationMessage(`Steward wrote ${plural(out.patches.length, 'patch file')} to ${dir.fsPath} (send them with git send-email, or attach them to an issue).`);
      return out;
    }
    return out;
  }
}

export const prepareContribution: HandlerFactory = (svc) => (arg?: unknown) => runContribution(svc, arg);
