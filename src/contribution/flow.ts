import { createTwoFilesPatch } from 'diff';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { CHECKS } from '../core/checks';
import { Engine, type RepoScan, type ScanOptions } from '../core/engine';
import type { CheckMeta, Finding, Fix, TextEdit } from '../core/model';
import { applyEdits } from '../core/fix/apply';
import type { DeferredFixRegistry } from '../core/fix/deferred';
import { decodeText } from '../core/yaml/text';
import { concernsFor, findConcern, type Concern } from './concerns';
import { FlowGit, FlowGitError } from './git';
import { preflightItems, readPreflightFiles, type PreflightFiles, type PreflightItem } from './preflight';
import { commitMessage, prBody, prTitle, type PlannedChange } from './pr-text';
import { GitTreeSnapshot } from './tree-snapshot';
import { buildReport, exploitableFindings, findingLabel, securityContact, sendPrivately, type PrivateReportGitHub, type PrivateRouteResult } from './private-report';
import { writeOutputFile } from '../core/fs/safe-write';
import { parseRemoteUrl } from '../github/urls';

// The security contribution flow as plain logic over git and (optionally) the GitHub API. It never
// loses work: it refuses on a dirty tree or an unfinished merge/rebase (or stashes with consent), plans
// against the up-to-date default branch without touching the working tree, and on any failure returns
// to the original branch with the working tree as it was.

export interface RepoRef {
  owner: string;
  repo: string;
}

/** The few GitHub API calls the flow uses (implemented over Octokit in src/contribution/github.ts). */
export interface FlowGitHub extends Partial<PrivateReportGitHub> {
  viewer(): Promise<{ login: string }>;
  repo(r: RepoRef): Promise<{ defaultBranch: string; canPush: boolean; htmlUrl: string; cloneUrl: string }>;
  findFork(upstream: RepoRef, login: string): Promise<{ owner: string; repo: string; cloneUrl: string } | undefined>;
  createFork(upstream: RepoRef): Promise<{ owner: string; repo: string; cloneUrl: string }>;
  findOpenPr(upstream: RepoRef, head: string): Promise<{ number: number; url: string } | undefined>;
  createPr(upstream: RepoRef, pr: { title: string; body: string; head: string; base: string; draft: boolean }): Promise<{ number: number; url: string }>;
  updatePr(upstream: RepoRef, number: number, pr: { title: string; body: string }): Promise<void>;
  /** Open PRs that touch any of these files (number, title, url, the overlapping files). */
  openPrsTouching(upstream: RepoRef, files: string[]): Promise<{ number: number; title: string; url: string; files: string[] }[]>;
}

export interface FlowOptions {
  dir: string;
  concern?: string;
  dryRun?: boolean;
  push?: boolean;
  /** Remote to push the branch to (a fork); by default found or created through the API. */
  remote?: string;
  allowUnsafe?: boolean;
  /** Consent to stash uncommitted changes for the duration of the flow. */
  stash?: boolean;
  bodyOut?: string;
  patchesDir?: string;
  github?: FlowGitHub;
  /** Authorization header for git over HTTPS to the GitHub base URL (pushing to a fork). */
  gitAuth?: { url: string; value: string };
  providers?: DeferredFixRegistry;
  scanOptions?: ScanOptions;
  /** Changed-lines threshold above which the PR is no longer "small". */
  smallPrLines?: number;
  /** Publish even when the findings are exploitable (default: report them privately instead). */
  public?: boolean;
  /** Where the private route writes the report or e-mail draft (default: inside the .git folder). */
  reportOut?: string;
  log?: (line: string) => void;
}

export interface FlowPlan {
  upstream?: RepoRef;
  upstreamRemote: string;
  baseBranch: string;
  baseCommit: string;
  branch: string;
  preflight: PreflightItem[];
  preflightFiles: PreflightFiles;
  concerns: Concern[];
  concern?: Concern;
  changes: PlannedChange[];
  /** New content per file after all changes. */
  contents: Map<string, string>;
  /** Content of the changed file right after each change (index-aligned with `changes`). */
  steps: Map<string, string>[];
  diff: string;
  warnings: string[];
  /** Exploitable findings this contribution would expose: published only with `public`. */
  exploitable: Finding[];
  title?: string;
  body?: string;
}

export interface FlowResult {
  plan: FlowPlan;
  committed: string[];
  pushedTo?: string;
  pr?: { number: number; url: string; updated: boolean };
  patches?: string[];
  upToDate?: boolean;
  /** Set when the findings were reported privately instead of pushed. */
  privateReport?: PrivateRouteResult;
}

export class FlowError extends Error {}

export const CONCERN_TRAILER = 'Steward-Concern';

export function parseGitHubRemote(url: string): RepoRef | undefined {
  const r = parseRemoteUrl(url);
  return r ? { owner: r.owner, repo: r.repo } : undefined;
}

function countLines(before: string, after: string): { added: number; removed: number } {
  const patch = createTwoFilesPatch('a', 'b', before, after, '', '', { context: 0 });
  let added = 0;
  let removed = 0;
  for (const l of patch.split('\n').slice(2)) {
    if (l.startsWith('+') && !l.startsWith('+++')) added++;
    else if (l.startsWith('-') && !l.startsWith('---')) removed++;
  }
  return { added, removed };
}

function changeTitle(concern: Concern, ruleId: string, file: string, fixes: Fix[], meta?: CheckMeta): string {
  // Commit subjects name the file: several commits of one PR must be told apart in `git log`.
  const base = path.posix.basename(file);
  switch (concern.def.id) {
    case 'pin-actions':
      return `Pin actions in ${base} to commit SHAs`;
    case 'token-permissions':
      return `Restrict token permissions in ${base}`;
    case 'checkout-credentials':
      return `Don't persist checkout credentials in ${base}`;
    case 'template-injection':
      return `Pass untrusted values to scripts through env in ${base}`;
    default:
      if (fixes.length === 1) return fixes[0].title.includes(base) ? fixes[0].title : `${fixes[0].title} (${file})`;
      return `${meta?.title ?? ruleId}: ${base}`;
  }
}

export class ContributionFlow {
  private readonly log: (l: string) => void;
  private readonly metas = new Map(CHECKS.map((c) => [c.meta.id, c.meta]));

  constructor(private readonly opts: FlowOptions) {
    this.log = opts.log ?? (() => undefined);
  }

  async plan(git: FlowGit): Promise<FlowPlan> {
    const remotes = await git.remotes();
    const up = remotes.find((r) => r.name === 'upstream') ?? remotes.find((r) => r.name === 'origin');
    if (!up) throw new FlowError('this repository has no "origin" or "upstream" remote: nothing to contribute to');
    const upstream = parseGitHubRemote(up.url);
    let baseBranch = (await git.remoteDefaultBranch(up.name)) ?? undefined;
    if (!baseBranch && this.opts.github && upstream) baseBranch = (await this.opts.github.repo(upstream)).defaultBranch;
    if (!baseBranch) throw new FlowError(`cannot tell the default branch of remote "${up.name}"`);
    this.log(`Fetching ${up.name}/${baseBranch} …`);
    try {
      await git.fetch(up.name, `+refs/heads/${baseBranch}:refs/remotes/${up.name}/${baseBranch}`);
    } catch (e) {
      throw new FlowError(`cannot fetch ${up.name}/${baseBranch}: ${firstLine(e)}`);
    }
    const baseCommit = (await git.resolve(`refs/remotes/${up.name}/${baseBranch}`))!;
    const snap = new GitTreeSnapshot(git, baseCommit, upstream ? `${upstream.owner}/${upstream.repo}` : path.basename(git.root), git.root);
    const paths = await snap.listFiles();
    const preflightFiles = await readPreflightFiles(snap, paths);
    const preflight = preflightItems(preflightFiles);
    const scan = await new Engine(CHECKS).scan(snap, this.opts.scanOptions ?? {});
    const concerns = concernsFor(scan, [...this.metas.values()], { allowUnsafe: this.opts.allowUnsafe });
    const plan: FlowPlan = {
      upstream,
      upstreamRemote: up.name,
      baseBranch,
      baseCommit,
      branch: '',
      preflight,
      preflightFiles,
      concerns,
      changes: [],
      contents: new Map(),
      steps: [],
      diff: '',
      warnings: [],
      exploitable: [],
    };
    if (!this.opts.concern) return plan;
    const concern = findConcern(concerns, this.opts.concern);
    if (!concern) {
      const ids = concerns.map((c) => c.def.id);
      throw new FlowError(`nothing to do for concern '${this.opts.concern}' on ${up.name}/${baseBranch}${ids.length ? ` (available: ${ids.join(', ')})` : ' (no fixable findings)'}`);
    }
    plan.concern = concern;
    plan.branch = `steward/${concern.def.branch}`;
    await this.buildChanges(plan, scan, snap);
    if (!plan.changes.length) throw new FlowError(`the fixes for '${concern.def.id}' produced no change${concern.unavailable.length ? `: ${concern.unavailable[0].reason}` : ''}`);
    const total = plan.changes.reduce((n, c) => n + c.added + c.removed, 0);
    const files = new Set(plan.changes.flatMap((c) => c.files)).size;
    const limit = this.opts.smallPrLines ?? 150;
    if (total > limit) plan.warnings.push(`This PR changes ${total} lines in ${files} files — above the small-PR threshold (${limit}). Consider splitting it: maintainers merge small PRs.`);
    for (const u of concern.unavailable) plan.warnings.push(`Left out: ${u.finding.message} — ${u.reason}`);
    plan.exploitable = exploitableFindings(concern.findings, scan.findings, new Set(plan.contents.keys()));
    if (plan.exploitable.length) {
      plan.warnings.push(
        this.opts.public
          ? `Publishing an exploitable finding in public (--public): ${findingLabel(plan.exploitable[0])}${plan.exploitable.length > 1 ? ` and ${plan.exploitable.length - 1} more` : ''}`
          : `Exploitable: ${findingLabel(plan.exploitable[0])}. With --push this is reported privately instead of in a public pull request (--public overrides).`,
      );
    }
    if (this.opts.github && plan.upstream) {
      try {
        const overlapping = await this.opts.github.openPrsTouching(plan.upstream, [...plan.contents.keys()]);
        for (const pr of overlapping) plan.warnings.push(`Open PR #${pr.number} "${pr.title}" also touches ${pr.files.join(', ')} (${pr.url}) — check it is not the same change.`);
      } catch (e) {
        plan.warnings.push(`Could not check open pull requests: ${firstLine(e)}`);
      }
    }
    plan.title = prTitle(concern);
    plan.body = prBody({
      concern,
      changes: plan.changes,
      metas: this.metas,
      templateChecklist: preflightFiles.templateChecklist,
      requiresSignoff: preflightFiles.requiresSignoff,
      template: preflightFiles.prTemplate?.text,
      baseCommit,
      branch: plan.branch,
    });
    return plan;
  }

  /** Public so `steward verify` replays exactly what the flow plans (src/contribution/verify.ts). */
  async buildChanges(plan: FlowPlan, scan: RepoScan, snap: GitTreeSnapshot): Promise<void> {
    const concern = plan.concern!;
    // Resolve deferred fixes (e.g. pinning needs the tag's SHA) before grouping.
    const resolved: { ruleId: string; fix: Fix }[] = [];
    for (const { finding, fix } of concern.fixes) {
      if (fix.deferred) {
        if (!this.opts.providers) {
          plan.warnings.push(`Left out: ${finding.message} — needs network access to resolve`);
          continue;
        }
        const text = await this.fileText(scan, snap, fix.deferred.data.file as string);
        const r = await this.opts.providers.resolve(fix, text ?? '');
        if (r.failure || !r.edits.length) {
          plan.warnings.push(`Left out: ${finding.message} — ${r.failure ?? 'no change'}`);
          continue;
        }
        resolved.push({ ruleId: finding.ruleId, fix: r });
      } else if (fix.edits.length) resolved.push({ ruleId: finding.ruleId, fix });
    }
    // One change (= one commit) per rule and file; edits from all fixes are against the base text.
    const groups = new Map<string, { ruleId: string; file: string; fixes: Fix[]; edits: TextEdit[] }>();
    for (const { ruleId, fix } of resolved) {
      for (const file of new Set(fix.edits.map((e) => e.file))) {
        const key = `${ruleId}\u0000${file}`;
        const g = groups.get(key) ?? { ruleId, file, fixes: [], edits: [] };
        g.fixes.push(fix);
        g.edits.push(...fix.edits.filter((e) => e.file === file));
        groups.set(key, g);
      }
    }
    const original = new Map<string, string>();
    const appliedEdits = new Map<string, TextEdit[]>();
    for (const g of groups.values()) {
      if (!original.has(g.file)) original.set(g.file, (await this.fileText(scan, snap, g.file)) ?? '');
      const prevEdits = appliedEdits.get(g.file) ?? [];
      const before = plan.contents.get(g.file) ?? original.get(g.file)!;
      let after: string;
      try {
        after = applyEdits(g.edits.some((e) => e.create) ? '' : original.get(g.file)!, [...prevEdits, ...g.edits]);
      } catch (e) {
        plan.warnings.push(`Left out ${g.fixes[0].title}: conflicts with another change in ${g.file}`);
        continue;
      }
      if (after === before) continue;
      appliedEdits.set(g.file, [...prevEdits, ...g.edits]);
      plan.contents.set(g.file, after);
      const { added, removed } = countLines(before, after);
      plan.steps.push(new Map([[g.file, after]]));
      plan.changes.push({
        title: changeTitle(concern, g.ruleId, g.file, g.fixes, this.metas.get(g.ruleId)),
        ruleId: g.ruleId,
        files: [g.file],
        added,
        removed,
        caveat: g.fixes.find((f) => f.caveat)?.caveat,
        evidence: g.fixes.flatMap((f) => f.evidence ?? []),
        before,
        after,
        fixes: g.fixes,
      });
    }
    plan.diff = [...plan.contents]
      .map(([file, after]) => createTwoFilesPatch(original.has(file) && original.get(file) !== '' ? `a/${file}` : '/dev/null', `b/${file}`, original.get(file) ?? '', after, '', '', { context: 3 }).split('\n').slice(1).join('\n'))
      .join('');
  }

  private async fileText(scan: RepoScan, snap: GitTreeSnapshot, file: string): Promise<string | undefined> {
    const sf = scan.files.get(file);
    if (sf) return sf.text;
    const b = await snap.readFile(file);
    return b ? decodeText(b).text : undefined;
  }

  /** Runs the whole flow. Dry runs plan and return without touching anything. */
  async run(): Promise<FlowResult> {
    const git = await FlowGit.open(this.opts.dir, { tokenHeader: this.opts.gitAuth });
    const state = await git.state();
    if (state) throw new FlowError(`a ${state} is in progress in ${git.root}: finish or abort it first (nothing was changed)`);
    // Our own outputs (the PR text, a patch folder) written into the clone last time are not the user's
    // uncommitted work: re-running with the same --body-out must not be refused.
    const own = [this.opts.bodyOut, this.opts.patchesDir].filter((p): p is string => !!p).map((p) => path.relative(git.root, path.resolve(this.opts.dir, p)).split(path.sep).join('/'));
    const dirty = (await git.dirtyPaths()).filter((p) => !own.some((o) => p === o || p.startsWith(o.replace(/\/?$/, '/'))));
    if (dirty.length && !this.opts.stash && !this.opts.dryRun) {
      throw new FlowError(`you have uncommitted changes (${dirty.slice(0, 3).join(', ')}${dirty.length > 3 ? ', …' : ''}): commit them, or pass --stash to let Steward stash and restore them (nothing was changed)`);
    }
    const plan = await this.plan(git);
    const result: FlowResult = { plan, committed: [] };
    if (!plan.concern || this.opts.dryRun) {
      if (plan.body && this.opts.bodyOut) await fs.writeFile(this.opts.bodyOut, plan.body);
      return result;
    }
    const identity = await git.identity();
    if (!identity.name || !identity.email) throw new FlowError('git user.name and user.email are not set: commits must be authored as you (git config user.name / user.email)');
    const originalBranch = await git.currentBranch();
    const originalHead = await git.head();
    const branchExisted = await git.localBranchExists(plan.branch);
    if (branchExisted) await this.assertOurs(git, `refs/heads/${plan.branch}`, plan, 'local branch');
    let stashed = false;
    if (dirty.length) {
      stashed = await git.stash(`steward: before ${plan.branch}`);
      this.log('Stashed your uncommitted changes; they will be restored at the end.');
    }
    try {
      await git.checkoutFresh(plan.branch, plan.baseCommit);
      const signoff = plan.preflightFiles.requiresSignoff ? `${identity.name} <${identity.email}>` : undefined;
      for (const [i, change] of plan.changes.entries()) {
        for (const file of change.files) {
          const abs = path.join(git.root, file);
          await fs.mkdir(path.dirname(abs), { recursive: true });
          await fs.writeFile(abs, plan.steps[i].get(file)!);
        }
        change.commit = await git.commit(change.files, commitMessage(change, this.metas.get(change.ruleId), { signoff, concernId: plan.concern.def.id }));
        result.committed.push(change.commit);
      }
      plan.body = prBody({ concern: plan.concern, changes: plan.changes, metas: this.metas, templateChecklist: plan.preflightFiles.templateChecklist, requiresSignoff: plan.preflightFiles.requiresSignoff, template: plan.preflightFiles.prTemplate?.text, baseCommit: plan.baseCommit, branch: plan.branch });
      if (this.opts.bodyOut) await fs.writeFile(this.opts.bodyOut, plan.body);
      if (this.opts.patchesDir) result.patches = await git.formatPatch(`${plan.baseCommit}..${plan.branch}`, this.opts.patchesDir, { subject: plan.title!, body: plan.body });
      if (this.opts.push) {
        if (plan.exploitable.length && !this.opts.public) result.privateReport = await this.reportPrivately(git, plan);
        else await this.publish(git, plan, result);
      }
      return result;
    } catch (e) {
      // Leave no half-made branch behind when it did not exist before this run.
      await this.restore(git, originalBranch, originalHead);
      // A half-made branch is removed; a complete one is kept so a failed push can be retried by hand.
      const complete = result.committed.length === plan.changes.length;
      if (!branchExisted && !complete) await git.deleteBranch(plan.branch);
      if (complete && e instanceof Error) e.message += ` (the commits are kept on local branch ${plan.branch})`;
      if (stashed) await git.unstash().catch(() => this.log('Could not restore the stash automatically: run `git stash pop`.'));
      stashed = false;
      throw e;
    } finally {
      await this.restore(git, originalBranch, originalHead);
      if (stashed) await git.unstash();
    }
  }

  /** The private route: no push, no public PR; the report goes through the first channel that exists. */
  private async reportPrivately(git: FlowGit, plan: FlowPlan): Promise<PrivateRouteResult> {
    const remote = (await git.remotes()).find((r) => r.name === plan.upstreamRemote);
    let webUrl = 'https://github.com';
    try {
      const u = new URL(remote?.url ?? '');
      if (u.protocol === 'https:' || u.protocol === 'http:') webUrl = u.origin;
    } catch {
      // scp-style remotes (git@github.com:o/r.git) are github.com
    }
    const gitPath = (await git.git.raw(['rev-parse', '--git-path', `steward-private-report-${plan.concern!.def.branch}.txt`])).trim();
    const before = new Map(plan.changes.flatMap((c) => (c.before !== undefined ? [[c.files[0], c.before] as const] : [])));
    const report = buildReport({ upstream: plan.upstream, findings: plan.exploitable, baseCommit: plan.baseCommit, fileText: (f) => before.get(f), patch: plan.diff });
    const sp = plan.preflightFiles.securityPolicy;
    const r = await sendPrivately({
      upstream: plan.upstream,
      github: this.opts.github,
      webUrl,
      report,
      contact: securityContact(sp?.path, sp?.text),
      reportFile: this.opts.reportOut ?? path.resolve(git.root, gitPath),
      write: (abs, data) => writeOutputFile(abs, data),
    });
    for (const l of r.notes) this.log(l);
    return r;
  }

  private async restore(git: FlowGit, branch: string | undefined, head: string): Promise<void> {
    const cur = await git.currentBranch();
    if (branch ? cur !== branch : (await git.head()) !== head) await git.checkout(branch ?? head);
  }

  /** Refuses to replace a branch that has commits Steward did not make for this concern. */
  private async assertOurs(git: FlowGit, ref: string, plan: FlowPlan, what: string): Promise<void> {
    const mergeBase = (await git.git.raw(['merge-base', plan.baseCommit, ref]).catch(() => '')).trim();
    const commits = await git.log(mergeBase ? `${mergeBase}..${ref}` : ref);
    const foreign = commits.filter((c) => !new RegExp(`^${CONCERN_TRAILER}: ${plan.concern!.def.id}$`, 'm').test(c.body));
    if (foreign.length) {
      throw new FlowError(`the ${what} ${plan.branch} has ${foreign.length} commit(s) Steward did not make (e.g. ${foreign[0].sha.slice(0, 12)} "${foreign[0].subject}"): not replacing it`);
    }
  }

  private async publish(git: FlowGit, plan: FlowPlan, result: FlowResult): Promise<void> {
    let remote = this.opts.remote;
    let headOwner: string | undefined;
    const gh = this.opts.github;
    if (!remote) {
      if (!gh || !plan.upstream) throw new FlowError('cannot push: name a remote with --remote (e.g. your fork), or sign in so Steward can find or create your fork');
      const viewer = await gh.viewer();
      const fork = (await gh.findFork(plan.upstream, viewer.login)) ?? (await gh.createFork(plan.upstream));
      remote = fork.cloneUrl;
      headOwner = fork.owner;
    } else {
      const r = (await git.remotes()).find((x) => x.name === remote);
      if (!r) throw new FlowError(`no remote named "${remote}"`);
      headOwner = parseGitHubRemote(r.url)?.owner;
    }
    const existing = await git.remoteBranchSha(remote, plan.branch).catch((e) => {
      throw new FlowError(`cannot reach ${remote}: ${firstLine(e)}`);
    });
    if (existing) {
      await git.fetch(remote, `+refs/heads/${plan.branch}:refs/steward/remote-${plan.concern!.def.branch}`);
      await this.assertOurs(git, `refs/steward/remote-${plan.concern!.def.branch}`, plan, 'branch on the remote');
      const sameTree = (await git.git.raw(['rev-parse', `${existing}^{tree}`])).trim() === (await git.git.raw(['rev-parse', `refs/heads/${plan.branch}^{tree}`])).trim();
      const sameBase = !!(await git.git.raw(['merge-base', '--is-ancestor', plan.baseCommit, existing]).then(() => true, () => false));
      if (sameTree && sameBase) {
        result.upToDate = true;
        this.log(`${plan.branch} on ${remote} already has these changes.`);
      }
    }
    if (!result.upToDate) {
      try {
        await git.push(remote, plan.branch, existing ? { expect: existing } : {});
      } catch (e) {
        throw new FlowError(`push to ${remote} was rejected: ${firstLine(e)}`);
      }
    }
    result.pushedTo = remote;
    if (gh && plan.upstream && headOwner) {
      const head = `${headOwner}:${plan.branch}`;
      const open = await gh.findOpenPr(plan.upstream, head);
      if (open) {
        await gh.updatePr(plan.upstream, open.number, { title: plan.title!, body: plan.body! });
        result.pr = { ...open, updated: true };
      } else {
        const pr = await gh.createPr(plan.upstream, { title: plan.title!, body: plan.body!, head, base: plan.baseBranch, draft: true });
        result.pr = { ...pr, updated: false };
      }
    }
  }
}

function firstLine(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).split('\n').find((l) => l.trim()) ?? 'unknown error';
}

export { FlowGitError };
