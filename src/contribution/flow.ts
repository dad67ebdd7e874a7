import { createTwoFilesPatch } from 'diff';
import * as path from 'node:path';
import { CHECKS } from '../core/checks';
import { Engine, type RepoScan, type ScanOptions } from '../core/engine';
import type { CheckMeta, Finding, Fix, TextEdit } from '../core/model';
import { applyEdits } from '../core/fix/apply';
import type { DeferredFixRegistry } from '../core/fix/deferred';
import { matchEol, OverlaySnapshot } from '../core/fix/engine';
import { decodeText, encodeText, normalizeLoneCr, type TextEncoding } from '../core/yaml/text';
import { concernsFor, findConcern, needsUnsafe, type Concern } from './concerns';
import { FlowGit, FlowGitError, FlowNetworkError } from './git';
import { FlowLock } from './lock';
import { writeOutputFile } from '../core/fs/safe-write';
import { removeScratchRepos } from '../github/git';
import { preflightItems, readPreflightFiles, type PreflightFiles, type PreflightItem } from './preflight';
import { commitMessage, prBody, prTitle, type PlannedChange } from './pr-text';
import { GitTreeSnapshot } from './tree-snapshot';
import { buildReport, exploitableFindings, findingLabel, securityContact, sendPrivately, type PrivateReportGitHub, type PrivateRouteResult } from './private-report';
import { parseRemoteUrl } from '../github/urls';

// The security contribution flow as plain logic over git and (optionally) the GitHub API. It never
// touches the user's work: it plans against the default branch read through git (no checkout), builds
// the commits with plumbing in a temporary index and moves refs/heads/steward/<concern> with one
// atomic update-ref at the end (src/contribution/git.ts). The user's branch, HEAD, index, working
// tree, stash and ignored files are never written, so a failure or an interrupt leaves them exactly as
// they were (at worst with unreferenced objects git collects later). One run per clone at a time
// (lock.ts). Phases of run(), in order: lock → plan (base branch, fetch, scan, changes, PR text) →
// refusals (branch checked out, foreign commits, paths through symlinks) → buildCommits → updateBranch
// → outputs (--body-out, patch series) → publish (push, PR). Without network, or with `offline`, the
// plan uses the clone's remote-tracking branch and says the base may be stale.

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
  /**
   * Accepted for compatibility and ignored: the flow never touches the working tree, so uncommitted
   * changes need no stash.
   */
  stash?: boolean;
  /** No network at all: plan against the clone's remote-tracking branch; pushing is refused. */
  offline?: boolean;
  /** Writes a file the user named (--body-out, the cover letter); defaults to writeOutputFile. */
  writeOutput?: (abs: string, data: string) => Promise<void>;
  /** Allow remotes on disk (file transport): test fixtures only. */
  allowFileRemotes?: boolean;
  /** Environment git starts from (default process.env; only its safe subset is passed on). */
  gitEnv?: NodeJS.ProcessEnv;
  /** Called at the start of each phase of run() (commits, branch, outputs, publish); tests use it. */
  onPhase?: (phase: string) => void | Promise<void>;
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

/** A file's encoding as decodeText read it, which encodeText writes back. */
export interface FileEncoding {
  hadBom: boolean;
  encoding?: TextEncoding;
}

/** The bytes of each file of a change, in the encoding its base had (UTF-8 for a new file). */
export function encodedFiles(files: ReadonlyMap<string, string>, encodings: ReadonlyMap<string, FileEncoding> | undefined): Map<string, Uint8Array> {
  return new Map([...files].map(([f, t]) => [f, encodeText(t, encodings?.get(f) ?? { hadBom: false })]));
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
  /**
   * How each changed file is encoded in the base commit (UTF-8 with or without a BOM, UTF-16 with a
   * BOM): its commits keep that encoding, as `fix` does in a work tree. Absent for a new file (UTF-8).
   */
  encodings?: Map<string, FileEncoding>;
  diff: string;
  warnings: string[];
  /** Exploitable findings this contribution would expose: published only with `public`. */
  exploitable: Finding[];
  /** Set when the base is the clone's remote-tracking branch as last fetched (no network). */
  staleBase?: string;
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
    const { baseBranch, baseCommit, staleBase } = await this.base(git, up.name, upstream);
    const snap = new GitTreeSnapshot(git, baseCommit, upstream ? `${upstream.owner}/${upstream.repo}` : path.basename(git.root), git.root);
    const paths = await snap.listFiles();
    const preflightFiles = await readPreflightFiles(snap, paths);
    const preflight = preflightItems(preflightFiles);
    // The checks see lone CRs as LF, as they do under `fix` (OverlaySnapshot): their edit code knows LF
    // and CRLF, and matchEol gives the edits the file's own breaks when they are applied to the real text.
    const scan = await new Engine(CHECKS).scan(new OverlaySnapshot(snap), this.opts.scanOptions ?? {});
    const concerns = concernsFor(scan, [...this.metas.values()], { allowUnsafe: this.opts.allowUnsafe, asked: this.opts.concern });
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
      warnings: staleBase ? [staleBase] : [],
      staleBase,
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
    if (this.opts.github && plan.upstream && !this.opts.offline) {
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

  /**
   * The base branch and commit. Online: the remote's advertised default branch, fetched now. Offline
   * (asked for, or the remote cannot be reached): the clone's remote-tracking branch as last fetched,
   * with a note that it may be stale.
   */
  private async base(git: FlowGit, remote: string, upstream: RepoRef | undefined): Promise<{ baseBranch: string; baseCommit: string; staleBase?: string }> {
    let unreachable: string | undefined = this.opts.offline ? 'offline' : undefined;
    let baseBranch: string | undefined;
    if (!unreachable) {
      try {
        baseBranch = await git.remoteDefaultBranch(remote);
      } catch (e) {
        if (e instanceof FlowNetworkError) unreachable = firstLine(e);
        else if (!(e instanceof FlowGitError)) throw e;
      }
      if (!baseBranch && !unreachable && this.opts.github && upstream) {
        baseBranch = await this.opts.github.repo(upstream).then((r) => r.defaultBranch, () => undefined);
      }
    }
    if (!unreachable) {
      baseBranch ??= await git.localDefaultBranch(remote);
      if (!baseBranch) throw new FlowError(`cannot tell the default branch of remote "${remote}": it advertises none and the clone has no refs/remotes/${remote}/HEAD (run \`git remote set-head ${remote} --auto\`)`);
      this.log(`Fetching ${remote}/${baseBranch} …`);
      try {
        const baseCommit = await git.fetchBranch(remote, baseBranch, { into: `refs/remotes/${remote}/${baseBranch}` });
        return { baseBranch, baseCommit };
      } catch (e) {
        if (!(e instanceof FlowNetworkError)) throw new FlowError(firstLine(e));
        unreachable = firstLine(e);
      }
    }
    baseBranch ??= await git.localDefaultBranch(remote);
    const baseCommit = baseBranch ? await git.resolve(`refs/remotes/${remote}/${baseBranch}`) : undefined;
    if (!baseBranch || !baseCommit) {
      throw new FlowError(`cannot tell the default branch of remote "${remote}" without the network: the clone has no refs/remotes/${remote}/HEAD, main or master (${unreachable === 'offline' ? 'run without --offline / STEWARD_OFFLINE' : 'connect and retry'}, or \`git fetch ${remote}\` first)`);
    }
    const why = unreachable === 'offline' ? 'offline' : `${remote} cannot be reached`;
    return { baseBranch, baseCommit, staleBase: `Planned against ${remote}/${baseBranch} as last fetched (${why}): the base may be stale — fetch ${remote} before publishing.` };
  }

  /** Public so `steward verify` replays exactly what the flow plans (src/contribution/verify.ts). */
  async buildChanges(plan: FlowPlan, scan: RepoScan, snap: GitTreeSnapshot): Promise<void> {
    const concern = plan.concern!;
    // Resolve deferred fixes (e.g. pinning needs the tag's SHA) before grouping.
    const resolved: { ruleId: string; fix: Fix }[] = [];
    for (const { finding, fix } of concern.fixes) {
      if (fix.deferred) {
        if (!this.opts.providers) {
          plan.warnings.push(`Left out: ${finding.message} — resolving it needs the network (run without --offline / STEWARD_OFFLINE, or allow online access)`);
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
    const encodings = (plan.encodings ??= new Map());
    for (const g of groups.values()) {
      if (!original.has(g.file)) {
        // The base's real text (its own line breaks and encoding), not the checks' view of it: the
        // commit changes only the lines the fix changes.
        const bytes = await snap.readFile(g.file);
        const real = bytes ? decodeText(bytes) : undefined;
        if (real?.problem) {
          plan.warnings.push(`Left out ${g.fixes[0].title}: ${g.file} ${real.problem}`);
          continue;
        }
        original.set(g.file, real?.text ?? '');
        if (real) encodings.set(g.file, { hadBom: real.hadBom, encoding: real.encoding });
      }
      const prevEdits = appliedEdits.get(g.file) ?? [];
      const before = plan.contents.get(g.file) ?? original.get(g.file)!;
      let after: string;
      try {
        const base = g.edits.some((e) => e.create) ? '' : original.get(g.file)!;
        after = applyEdits(base, matchEol([...prevEdits, ...g.edits], base));
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

  /** The text deferred fixes resolve against: what the checks saw (lone CRs as LF, same offsets). */
  private async fileText(scan: RepoScan, snap: GitTreeSnapshot, file: string): Promise<string | undefined> {
    const sf = scan.files.get(file);
    if (sf) return sf.text;
    const b = await snap.readFile(file);
    return b ? normalizeLoneCr(decodeText(b).text) : undefined;
  }

  /** Runs the whole flow. Dry runs plan and return without creating anything but the outputs. */
  async run(): Promise<FlowResult> {
    const git = await FlowGit.open(this.opts.dir, { tokenHeader: this.opts.gitAuth, allowFile: this.opts.allowFileRemotes, env: this.opts.gitEnv });
    if (this.opts.push && this.opts.offline) throw new FlowError('pushing needs the network: run without --offline / STEWARD_OFFLINE (or leave out --push and publish the branch later)');
    let lock: FlowLock;
    try {
      lock = FlowLock.acquire(git.commonDir);
    } catch (e) {
      throw new FlowError(firstLine(e));
    }
    this.active = { git, lock };
    try {
      return await this.runLocked(git);
    } finally {
      this.abort();
    }
  }

  /**
   * Releases what the current run holds (lock, temporary index, Steward's scratch repository).
   * Synchronous and safe to call twice: the CLI calls it from its signal handlers before exiting.
   * Nothing else needs undoing: the user's branch, index and files were never touched.
   */
  abort(): void {
    const a = this.active;
    this.active = undefined;
    if (!a) return;
    a.git.removeTemporaries();
    a.lock.release();
    removeScratchRepos();
  }

  private active?: { git: FlowGit; lock: FlowLock };

  private async runLocked(git: FlowGit): Promise<FlowResult> {
    const plan = await this.plan(git);
    const result: FlowResult = { plan, committed: [] };
    const write = this.opts.writeOutput ?? writeOutputFile;
    if (!plan.concern || this.opts.dryRun) {
      if (plan.body && this.opts.bodyOut) await write(this.opts.bodyOut, plan.body);
      return result;
    }
    const identity = await git.identity();
    if (!identity.name || !identity.email) throw new FlowError('git user.name and user.email are not set: commits must be authored as you (git config user.name / user.email)');
    const checkedOut = await git.checkedOutIn(plan.branch);
    if (checkedOut) throw new FlowError(`${plan.branch} is checked out${checkedOut === git.root ? '' : ` in ${checkedOut}`}: switch to another branch first (nothing was changed)`);
    const previous = await git.resolve(`refs/heads/${plan.branch}`);
    if (previous) await this.assertOurs(git, previous, plan, 'local branch');
    const snap = new GitTreeSnapshot(git, plan.baseCommit, plan.branch, git.root);
    for (const file of plan.contents.keys()) {
      const blocked = await snap.blockedBy(file);
      if (blocked) throw new FlowError(`refusing to write ${file}: ${blocked} (nothing was changed)`);
    }
    const modes = await snap.tree();
    const signoff = plan.preflightFiles.requiresSignoff ? `${identity.name} <${identity.email}>` : undefined;
    const steps = plan.changes.map((change, i) => ({ files: encodedFiles(plan.steps[i], plan.encodings), message: commitMessage(change, this.metas.get(change.ruleId), { signoff, concernId: plan.concern!.def.id, unsafe: needsUnsafe(change, plan.concern!) }) }));
    // Hook point for callers that want to see each phase (tests interrupt the run here).
    await this.phase('commits');
    const commits = await git.buildCommits(plan.baseCommit, steps, identity, (f) => modes.get(f)?.mode);
    await this.phase('branch');
    await git.updateBranch(plan.branch, commits[commits.length - 1], previous);
    commits.forEach((sha, i) => (plan.changes[i].commit = sha));
    result.committed.push(...commits);
    plan.body = prBody({ concern: plan.concern, changes: plan.changes, metas: this.metas, templateChecklist: plan.preflightFiles.templateChecklist, requiresSignoff: plan.preflightFiles.requiresSignoff, template: plan.preflightFiles.prTemplate?.text, baseCommit: plan.baseCommit, branch: plan.branch });
    try {
      await this.phase('outputs');
      if (this.opts.bodyOut) await write(this.opts.bodyOut, plan.body);
      if (this.opts.patchesDir) result.patches = await git.formatPatch(`${plan.baseCommit}..${commits[commits.length - 1]}`, this.opts.patchesDir, { subject: plan.title!, body: plan.body }, write);
      if (this.opts.push) {
        await this.phase('publish');
        if (plan.exploitable.length && !this.opts.public) result.privateReport = await this.reportPrivately(git, plan);
        else await this.publish(git, plan, result, commits[commits.length - 1]);
      }
    } catch (e) {
      // The branch is complete: keep it so a failed push can be retried by hand.
      if (e instanceof Error) e.message = `${firstLine(e)} (the commits are kept on local branch ${plan.branch})`;
      throw e;
    }
    return result;
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
    const before = new Map(plan.changes.flatMap((c) => (c.before !== undefined ? [[c.files[0], c.before] as const] : [])));
    const report = buildReport({ upstream: plan.upstream, findings: plan.exploitable, baseCommit: plan.baseCommit, fileText: (f) => before.get(f), patch: plan.diff });
    const sp = plan.preflightFiles.securityPolicy;
    const r = await sendPrivately({
      upstream: plan.upstream,
      github: this.opts.github,
      webUrl,
      report,
      contact: securityContact(sp?.path, sp?.text),
      reportFile: this.opts.reportOut ?? path.join(git.gitDir, `steward-private-report-${plan.concern!.def.branch}.txt`),
      write: (abs, data) => writeOutputFile(abs, data),
    });
    for (const l of r.notes) this.log(l);
    return r;
  }

  private async phase(name: string): Promise<void> {
    await this.opts.onPhase?.(name);
  }

  /** Refuses to replace a branch that has commits Steward did not make for this concern. */
  private async assertOurs(git: FlowGit, tip: string, plan: FlowPlan, what: string): Promise<void> {
    const mergeBase = await git.mergeBase(plan.baseCommit, tip);
    const commits = await git.log(mergeBase ? `${mergeBase}..${tip}` : tip);
    const foreign = commits.filter((c) => !new RegExp(`^${CONCERN_TRAILER}: ${plan.concern!.def.id}$`, 'm').test(c.body));
    if (foreign.length) {
      throw new FlowError(`the ${what} ${plan.branch} has ${foreign.length} commit(s) Steward did not make (e.g. ${foreign[0].sha.slice(0, 12)} "${foreign[0].subject}"): not replacing it`);
    }
  }

  private async publish(git: FlowGit, plan: FlowPlan, result: FlowResult, tip: string): Promise<void> {
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
      const theirs = await git.fetchBranch(remote, plan.branch, { token: true });
      await this.assertOurs(git, theirs, plan, 'branch on the remote');
      const sameTree = (await git.treeOf(theirs)) === (await git.treeOf(tip));
      const sameBase = await git.isAncestor(plan.baseCommit, theirs);
      if (sameTree && sameBase) {
        result.upToDate = true;
        this.log(`${plan.branch} on ${remote} already has these changes.`);
      }
    }
    if (!result.upToDate) {
      try {
        await git.push(remote, tip, plan.branch, existing ? { expect: existing } : {});
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

export { FlowGitError, FlowNetworkError };
