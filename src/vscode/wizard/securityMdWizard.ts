import * as vscode from 'vscode';
import { checkRepoWrite, WriteRefused, writeRepoFile } from '../../core/fs/safe-write';
import { DiskSnapshot } from '../../core/repo/disk';
import type { RepoSnapshot } from '../../core/repo/snapshot';
import {
  AnswersError,
  evaluatePolicy,
  parseAnswers,
  proposeForSnapshot,
  planSecurityMd,
  pvrLink,
  type Proposal,
  type SecurityMdAnswers,
  type SupportStatus,
} from '../../core/security-md';
import { RESTRICTED_REASON } from '../fixes/fixes';
import { githubAccess, repoFactsFor, type OnlineOverride } from '../online/onlineAccess';
import { closePreviews, ensurePreviewProvider, previewUri } from '../shared/preview';
import { BACK, runSteps, VsCodePrompter, type Back, type Prompter } from '../shared/prompter';
import type { HandlerFactory, Services } from '../shared/services';
import { chooseFolder, gitTags, uriOf, type FolderArg } from '../shared/workspaceFolder';
import { WorkspaceSnapshot } from '../shared/workspaceSnapshot';

// `Steward: Generate SECURITY.md`: a few questions pre-filled from the repository (remote URL, package
// metadata contacts, release tags, and — signed in — whether private vulnerability reporting is on),
// a preview of the file (or a diff against the existing one), and a write only after the user says so.

export interface SecurityMdWizardOptions extends FolderArg {
  prompter?: Prompter;
  /** Tests: GitHub base URL and token source instead of the sign-in; false: stay offline. */
  online?: OnlineOverride | false;
}

export interface SecurityMdWizardResult {
  outcome: 'written' | 'unchanged' | 'cancelled' | 'refused';
  path?: string;
  text?: string;
}

const EMAIL_RE = /^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/;
const URL_RE = /^https?:\/\/[^\s/]+\S*$/;

type ChannelKind = 'github-pvr' | 'email' | 'url';

interface Draft {
  kinds: ChannelKind[];
  email: string;
  emailName?: string;
  url: string;
  pvrUrl?: string;
  ack: number;
  assess: number;
  custom: boolean;
  policy: 'coordinated' | 'after-fix';
  embargo: number;
  inScope: string;
  outOfScope: string;
  support: SupportStatus;
  versions: string;
  contributorFixes: boolean;
  safeHarbor: boolean;
}

const RESPONSE_PRESETS: { label: string; ack: number; assess: number; detail: string }[] = [
  { label: 'Within 7 days, assessment within 30 days', ack: 7, assess: 30, detail: 'A common promise for projects with active maintainers' },
  { label: 'Within 3 days, assessment within 14 days', ack: 3, assess: 14, detail: 'For projects with a team that watches reports closely' },
  { label: 'Within 14 days, assessment within 60 days', ack: 14, assess: 60, detail: 'Honest for projects run by volunteers in their spare time' },
];

export function formatVersions(rows: SecurityMdAnswers['supportedVersions']): string {
  return rows.map((r) => `${r.version} = ${r.supported ? 'yes' : 'no'}`).join('; ');
}

/** "1.4.x = yes; < 1.4 = no" → rows; undefined with a message when it cannot be read. */
export function parseVersions(text: string): { rows?: SecurityMdAnswers['supportedVersions']; error?: string } {
  const rows: SecurityMdAnswers['supportedVersions'] = [];
  for (const part of text.split(';').map((s) => s.trim()).filter(Boolean)) {
    const m = /^(.+?)\s*=\s*(yes|no|y|n|true|false)$/i.exec(part);
    if (!m) return { error: `"${part}": write each line as VERSION = yes or VERSION = no, separated by ";"` };
    rows.push({ version: m[1].trim(), supported: /^(yes|y|true)$/i.test(m[2]) });
  }
  if (!rows.length) return { error: 'list at least one version line, e.g. "2.x = yes; < 2.0 = no"' };
  if (!rows.some((r) => r.supported)) return { error: 'mark at least one version line as supported (= yes)' };
  return { rows };
}

function splitList(s: string): string[] {
  return s
    .split(';')
    .map((x) => x.trim())
    .filter(Boolean);
}

function draftFrom(p: Proposal): Draft {
  const a = p.answers;
  const pvr = a.channels.find((c) => c.type === 'github-pvr');
  const email = a.channels.find((c) => c.type === 'email');
  return {
    kinds: a.channels.map((c) => c.type),
    email: email?.type === 'email' ? email.address : '',
    emailName: email?.type === 'email' ? email.name : undefined,
    url: '',
    pvrUrl: pvr?.type === 'github-pvr' ? pvr.url : undefined,
    // Unanswered in the proposal (Steward never invents them): the wizard's first preset is only a
    // starting point that the person picks or changes.
    ack: a.responseTimes?.acknowledgeDays ?? 7,
    assess: a.responseTimes?.assessmentDays ?? 30,
    custom: false,
    policy: a.disclosure.policy,
    embargo: a.disclosure.embargoDays ?? 90,
    inScope: a.scope.inScope.join('; '),
    outOfScope: a.scope.outOfScope.join('; '),
    support: a.supportStatus,
    versions: formatVersions(a.supportedVersions),
    contributorFixes: a.contributorFixes.welcome,
    safeHarbor: a.safeHarbor,
  };
}

function answersFrom(d: Draft, p: Proposal): SecurityMdAnswers {
  const channels: SecurityMdAnswers['channels'] = [];
  for (const k of d.kinds) {
    if (k === 'github-pvr' && d.pvrUrl) channels.push({ type: 'github-pvr', url: d.pvrUrl });
    if (k === 'email') channels.push({ type: 'email', address: d.email.trim(), ...(d.emailName && d.email.trim() === (p.answers.channels.find((c) => c.type === 'email') as { address?: string } | undefined)?.address ? { name: d.emailName } : {}) });
    if (k === 'url') channels.push({ type: 'url', url: d.url.trim() });
  }
  return parseAnswers({
    projectName: p.answers.projectName,
    ...(p.answers.repositoryUrl ? { repositoryUrl: p.answers.repositoryUrl } : {}),
    channels,
    responseTimes: { acknowledgeDays: d.ack, assessmentDays: d.assess },
    disclosure: { policy: d.policy, embargoDays: d.embargo },
    scope: { inScope: splitList(d.inScope), outOfScope: splitList(d.outOfScope) },
    supportStatus: d.support,
    supportedVersions: parseVersions(d.versions).rows ?? p.answers.supportedVersions,
    contributorFixes: { welcome: d.contributorFixes },
    safeHarbor: d.safeHarbor,
  });
}

function intIn(min: number, max: number, what: string) {
  return (v: string) => (/^\d+$/.test(v.trim()) && Number(v) >= min && Number(v) <= max ? undefined : `${what}: a whole number from ${min} to ${max}`);
}

/** Asks the questions; resolves with validated answers or undefined when cancelled. */
export async function askSecurityMdAnswers(prompter: Prompter, proposal: Proposal, facts: { pvrEnabled?: boolean; repoLabel: string }): Promise<SecurityMdAnswers | undefined> {
  const d = draftFrom(proposal);
  const title = `Generate SECURITY.md for ${facts.repoLabel}`;
  // Step numbers follow the questions that apply: the address steps only for the channels chosen, and
  // every question its own number (no two steps share one).
  const groups = () => ['channels', ...(d.kinds.includes('email') ? ['contact'] : []), ...(d.kinds.includes('url') ? ['page'] : []), 'response', 'disclosure', 'embargo', 'scope', 'out-of-scope', 'support', 'versions', 'fixes', 'harbor'];
  const at = (g: string) => ({ step: groups().indexOf(g) + 1, totalSteps: groups().length, title, back: g !== 'channels' });
  const done = (r: unknown): 'next' | Back | undefined => (r === BACK ? BACK : r === undefined ? undefined : 'next');

  const pvrState = facts.pvrEnabled === true ? 'enabled on GitHub' : facts.pvrEnabled === false ? 'currently OFF: a maintainer must enable it' : 'not checked: a maintainer must make sure it is on';
  const steps: (() => Promise<'next' | 'skip' | Back | undefined>)[] = [
    async () => {
      for (;;) {
        const items: { label: string; description?: string; detail?: string; value: ChannelKind; picked?: boolean }[] = [];
        if (d.pvrUrl) items.push({ label: 'GitHub private vulnerability reporting', description: pvrState, detail: d.pvrUrl, value: 'github-pvr', picked: d.kinds.includes('github-pvr') });
        items.push({ label: 'E-mail', description: d.email || 'you give the address next', detail: proposal.notes.find((n) => n.startsWith('The e-mail address comes from')), value: 'email', picked: d.kinds.includes('email') });
        items.push({ label: 'A reporting page (bug bounty, web form)', description: 'you give the URL next', value: 'url', picked: d.kinds.includes('url') });
        const r = await prompter.pickMany({ id: 'channels', ...at('channels'), placeholder: 'How should people report a vulnerability privately? (choose one or more)', items });
        if (r === BACK || r === undefined) return r;
        if (r.length) {
          d.kinds = r;
          return 'next';
        }
        void vscode.window.showWarningMessage('Steward: choose at least one private way to report a vulnerability.');
      }
    },
    async () => {
      if (!d.kinds.some((k) => k !== 'github-pvr')) return 'skip';
      if (d.kinds.includes('email')) {
        const r = await prompter.input({ id: 'email', ...at('contact'), prompt: 'E-mail address for security reports (read by the maintainers)', value: d.email, placeholder: 'security@example.org', validate: (v) => (EMAIL_RE.test(v.trim()) ? undefined : 'an e-mail address, e.g. security@example.org') });
        if (r === BACK || r === undefined) return r;
        d.email = r.trim();
      }
      if (d.kinds.includes('url')) {
        const r = await prompter.input({ id: 'url', ...at('page'), prompt: 'Address of the reporting page', value: d.url, placeholder: 'https://example.org/security/report', validate: (v) => (URL_RE.test(v.trim()) ? undefined : 'an http(s) address') });
        if (r === BACK || r === undefined) return r;
        d.url = r.trim();
      }
      return 'next';
    },
    async () => {
      const items = [
        ...RESPONSE_PRESETS.map((p) => ({ label: p.label, detail: p.detail, value: p as (typeof RESPONSE_PRESETS)[number] | 'custom', picked: !d.custom && p.ack === d.ack && p.assess === d.assess })),
        { label: 'Other response times…', detail: 'Type the number of days yourself', value: 'custom' as const, picked: d.custom },
      ];
      const r = await prompter.pick({ id: 'response', ...at('response'), placeholder: 'How quickly will the maintainers acknowledge a report and assess it?', items });
      if (r === BACK || r === undefined) return r;
      if (r !== 'custom') {
        d.custom = false;
        d.ack = r.ack;
        d.assess = r.assess;
        return 'next';
      }
      d.custom = true;
      const ack = await prompter.input({ id: 'ack-days', ...at('response'), prompt: 'Acknowledge a report within how many days?', value: String(d.ack), validate: intIn(1, 90, 'days to acknowledge') });
      if (ack === BACK || ack === undefined) return ack;
      const assess = await prompter.input({ id: 'assess-days', ...at('response'), prompt: 'Give a first assessment within how many days?', value: String(d.assess), validate: intIn(1, 365, 'days to assess') });
      if (assess === BACK || assess === undefined) return assess;
      d.ack = Number(ack);
      d.assess = Number(assess);
      return 'next';
    },
    async () =>
      done(
        await prompter
          .pick({
            id: 'disclosure',
            ...at('disclosure'),
            placeholder: 'When may details of a vulnerability become public?',
            items: [
              { label: 'Coordinated disclosure (recommended)', detail: 'The reporter keeps it private until the fix is out, or until the embargo ends', value: 'coordinated' as const, picked: d.policy === 'coordinated' },
              { label: 'With the fixed release', detail: 'Details go public together with the release that fixes it', value: 'after-fix' as const, picked: d.policy === 'after-fix' },
            ],
          })
          .then((r) => (r !== BACK && r !== undefined ? ((d.policy = r), r) : r)),
      ),
    async () =>
      done(
        await prompter
          .input({ id: 'embargo', ...at('embargo'), prompt: 'Longest time (in days) a reporter should wait before going public if no fix is released', value: String(d.embargo), validate: intIn(1, 365, 'embargo') })
          .then((r) => (r !== BACK && r !== undefined ? ((d.embargo = Number(r)), r) : r)),
      ),
    async () => {
      const inS = await prompter.input({ id: 'in-scope', ...at('scope'), prompt: 'Optional: what counts as a vulnerability here? Separate items with ";" (empty = no scope section)', value: d.inScope, placeholder: 'e.g. code execution from a crafted input file; bypass of the sandbox option' });
      if (inS === BACK || inS === undefined) return inS;
      d.inScope = inS;
      const outS = await prompter.input({ id: 'out-of-scope', ...at('out-of-scope'), prompt: 'Optional: what is NOT a vulnerability here? Separate items with ";"', value: d.outOfScope, placeholder: 'e.g. denial of service with very large inputs; problems in the example scripts' });
      if (outS === BACK || outS === undefined) return outS;
      d.outOfScope = outS;
      return 'next';
    },
    async () =>
      done(
        await prompter
          .pick({
            id: 'support',
            ...at('support'),
            placeholder: 'How is the project looked after?',
            items: [
              { label: 'Actively maintained', detail: 'Security fixes go into a new release as soon as they are ready', value: 'active' as const, picked: d.support === 'active' },
              { label: 'Maintenance only', detail: 'No new features, but security problems in supported versions are fixed', value: 'maintenance-only' as const, picked: d.support === 'maintenance-only' },
              { label: 'Best effort by volunteers', detail: 'Reports are taken seriously and fixed as time allows', value: 'best-effort-volunteers' as const, picked: d.support === 'best-effort-volunteers' },
            ],
          })
          .then((r) => (r !== BACK && r !== undefined ? ((d.support = r), r) : r)),
      ),
    async () => {
      const r = await prompter.input({
        id: 'versions',
        ...at('versions'),
        prompt: 'Which versions get security fixes? VERSION = yes|no, separated by ";" (proposed from the release tags)',
        value: d.versions,
        validate: (v) => parseVersions(v).error,
      });
      if (r === BACK || r === undefined) return r;
      d.versions = r;
      return 'next';
    },
    async () =>
      done(
        await prompter
          .pick({
            id: 'fixes',
            ...at('fixes'),
            placeholder: 'Are security fixes from contributors welcome?',
            items: [
              { label: 'Yes, after a private report', detail: 'Contributors report first and work on the fix with you in a private fork', value: true, picked: d.contributorFixes },
              { label: 'No, the maintainers write security fixes', detail: 'Contributors report privately and are credited', value: false, picked: !d.contributorFixes },
            ],
          })
          .then((r) => (r !== BACK && r !== undefined ? ((d.contributorFixes = r), r) : r)),
      ),
    async () =>
      done(
        await prompter
          .pick({
            id: 'harbor',
            ...at('harbor'),
            placeholder: 'Add safe-harbor wording (no legal action against good-faith research)?',
            items: [
              { label: 'No safe-harbor section', value: false, picked: !d.safeHarbor },
              { label: 'Add a safe-harbor section', detail: 'Promises not to take legal action against people who research and report in good faith', value: true, picked: d.safeHarbor },
            ],
          })
          .then((r) => (r !== BACK && r !== undefined ? ((d.safeHarbor = r), r) : r)),
      ),
  ];
  if (!(await runSteps(steps))) return undefined;
  return answersFrom(d, proposal);
}

async function snapshotFor(svc: Services, target: vscode.WorkspaceFolder | vscode.Uri): Promise<RepoSnapshot> {
  if (!(target instanceof vscode.Uri)) return svc.posture.stateFor(target.uri)?.snapshot ?? new WorkspaceSnapshot(target);
  return new DiskSnapshot(target.fsPath);
}

/**
 * Why Steward must not write `rel` in `folder`, in one line, or undefined: the rules of every other
 * write (src/core/fs/safe-write.ts), checked before the preview so that nothing is shown as if it
 * could be written. A link (the file or a folder above it) would make VS Code write outside the folder.
 */
async function writeRefusal(folder: vscode.Uri, rel: string): Promise<string | undefined> {
  if (folder.scheme !== 'file') return undefined;
  try {
    await checkRepoWrite(folder.fsPath, rel);
  } catch (e) {
    if (e instanceof WriteRefused) return `Steward ${e.message}; nothing was written`;
    throw e;
  }
  const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === vscode.Uri.joinPath(folder, ...rel.split('/')).toString());
  if (open?.isDirty) return `Steward: ${rel} has unsaved changes in the editor; save or revert them, then try again (nothing was written)`;
  return undefined;
}

/**
 * Writes the generated text: on a local folder through src/core/fs/safe-write.ts (atomic, no links,
 * nothing outside the folder; an open editor reloads it); elsewhere (virtual workspaces) as an edit in
 * the editor that the user saves.
 */
async function writeText(folder: vscode.Uri, rel: string, uri: vscode.Uri, text: string, exists: boolean): Promise<void> {
  if (folder.scheme === 'file') {
    await writeRepoFile(folder.fsPath, rel, text);
    return;
  }
  const edit = new vscode.WorkspaceEdit();
  if (exists) {
    const doc = await vscode.workspace.openTextDocument(uri);
    edit.replace(uri, new vscode.Range(doc.positionAt(0), doc.positionAt(doc.getText().length)), text);
  } else edit.createFile(uri, { contents: new TextEncoder().encode(text) });
  if (!(await vscode.workspace.applyEdit(edit))) throw new Error(`could not write ${rel}`);
}

/**
 * Shows a generated file: an existing one as a diff, a new one as a preview; asks before writing and
 * writes with a WorkspaceEdit. Shared by the SECURITY.md and security-insights.yml commands.
 */
export async function previewAndWrite(
  prompter: Prompter,
  o: { folder: vscode.Uri; path: string; before?: string; after: string; what: string; replace?: { message: string; detail: string; action: string } },
): Promise<'written' | 'unchanged' | 'cancelled' | 'refused'> {
  if (o.before === o.after) {
    void prompter.notify({ id: 'unchanged', message: `Steward: ${o.path} is already up to date.`, actions: [] });
    return 'unchanged';
  }
  const refused = await writeRefusal(o.folder, o.path);
  if (refused) {
    void prompter.notify({ id: 'refused', level: 'error', message: refused, actions: [] });
    return 'refused';
  }
  const target = vscode.Uri.joinPath(o.folder, ...o.path.split('/'));
  const name = o.path.split('/').pop()!;
  const generated = previewUri(name, o.after);
  const opened: vscode.Uri[] = [generated];
  try {
    if (o.before !== undefined) {
      await vscode.commands.executeCommand('vscode.diff', target, generated, `${name}: current ↔ generated`, { preview: true });
      const q = o.replace ?? { message: `${o.path} already exists. Replace it with the ${o.what}?`, detail: 'The diff shows every change. Anything written by hand that the new text lacks will be gone (Undo restores it).', action: 'Replace' };
      const r = await prompter.confirm({ id: 'replace', warning: !o.replace, message: q.message, detail: q.detail, actions: [q.action] });
      if (r !== q.action) return 'cancelled';
    } else {
      await vscode.window.showTextDocument(generated, { preview: true, preserveFocus: true });
      const r = await prompter.confirm({ id: 'write', message: `Write ${o.path}?`, detail: `The preview shows the ${o.what}. You can edit it after writing; nothing is committed.`, actions: [`Write ${name}`] });
      if (r !== `Write ${name}`) return 'cancelled';
    }
    // Checked again right before writing: the link may have appeared while the preview was open.
    const now = await writeRefusal(o.folder, o.path);
    if (now) {
      void prompter.notify({ id: 'refused', level: 'error', message: now, actions: [] });
      return 'refused';
    }
    try {
      await writeText(o.folder, o.path, target, o.after, o.before !== undefined);
    } catch (e) {
      if (!(e instanceof WriteRefused)) throw e;
      void prompter.notify({ id: 'refused', level: 'error', message: `Steward ${e.message}; nothing was written`, actions: [] });
      return 'refused';
    }
    // The written file is shown, so the user sees (and can edit) what will be committed.
    await vscode.window.showTextDocument(target, { preview: false });
    return 'written';
  } finally {
    await closePreviews(opened);
  }
}

export async function runSecurityMdWizard(svc: Services, arg: unknown): Promise<SecurityMdWizardResult> {
  const opts = (arg && typeof arg === 'object' ? arg : {}) as SecurityMdWizardOptions;
  const prompter = opts.prompter ?? new VsCodePrompter();
  if (!vscode.workspace.isTrusted) {
    void vscode.window.showWarningMessage(RESTRICTED_REASON, 'Manage Workspace Trust').then((a) => a && vscode.commands.executeCommand('workbench.trust.manage'));
    return { outcome: 'refused' };
  }
  ensurePreviewProvider(svc.context.subscriptions);
  const target = await chooseFolder(arg, prompter, 'Generate SECURITY.md');
  if (!target) return { outcome: 'cancelled' };
  const folder = uriOf(target);
  const snapshot = await snapshotFor(svc, target);
  const local = folder.scheme === 'file';
  const access = opts.online === false || !local ? undefined : await githubAccess(svc, { override: opts.online });
  const facts = local ? await repoFactsFor(folder.fsPath, access) : undefined;
  const proposal = await proposeForSnapshot(snapshot, { tags: local ? await gitTags(folder.fsPath) : [], facts });
  const gh = proposal.answers.channels.find((c) => c.type === 'github-pvr');
  const repoLabel = facts ? `${facts.owner}/${facts.repo}` : (proposal.answers.repositoryUrl?.replace(/^https:\/\/[^/]+\//, '') ?? snapshot.name);
  let answers: SecurityMdAnswers | undefined;
  try {
    answers = await askSecurityMdAnswers(prompter, proposal, {
      pvrEnabled: facts?.privateVulnerabilityReporting.known ? facts.privateVulnerabilityReporting.value : undefined,
      repoLabel,
    });
  } catch (e) {
    if (e instanceof AnswersError) {
      void vscode.window.showErrorMessage(`Steward: the answers are not complete: ${e.message}`);
      return { outcome: 'cancelled' };
    }
    throw e;
  }
  if (!answers) return { outcome: 'cancelled' };
  const plan = await planSecurityMd(snapshot, answers);
  // The generated text must satisfy the policy checks; say so loudly if it ever does not.
  const evaluation = evaluatePolicy(plan.path, plan.after);
  const missing = evaluation.items.filter((i) => !i.present);
  if (missing.length) svc.log.warn(`generated ${plan.path} misses rubric items: ${missing.map((i) => i.id).join(', ')}`);
  const outcome = await previewAndWrite(prompter, { folder, path: plan.path, before: plan.before, after: plan.after, what: 'generated policy' });
  if (outcome === 'written') {
    const state = svc.posture.stateFor(folder);
    if (state) await svc.posture.scanFolder(state);
    const notes = [gh && facts?.privateVulnerabilityReporting.known && !facts.privateVulnerabilityReporting.value ? `Private vulnerability reporting is off: ask a maintainer to enable it (${pvrLink(facts)}).` : undefined].filter(Boolean);
    vscode.window.setStatusBarMessage(`$(check) Steward wrote ${plan.path}`, 5000);
    if (notes.length) void vscode.window.showInformationMessage(`Steward wrote ${plan.path}. ${notes.join(' ')}`);
  }
  return { outcome, path: plan.path, text: plan.after };
}

export const generateSecurityMd: HandlerFactory = (svc) => (arg?: unknown) => runSecurityMdWizard(svc, arg);
