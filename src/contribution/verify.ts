import { structuredPatch } from 'diff';
import { CHECKS } from '../core/checks';
import { Engine } from '../core/engine';
import { PIN_ACTION_PROVIDER, DeferredFixRegistry, type DeferredFixProvider, type PinActionData, type ResolvedFix } from '../core/fix/deferred';
import type { Fix } from '../core/model';
import { OverlaySnapshot } from '../core/fix/engine';
import { decodeText, encodeText } from '../core/yaml/text';
import { pinEdits } from '../github/pin';
import { VERSION } from '../cli/version';
import { concernsFor, findConcern } from './concerns';
import { ContributionFlow, type FileEncoding, type FlowPlan } from './flow';
import { FlowGit } from './git';
import { parseTrailers, type StewardTrailers } from './pr-text';
import { GitTreeSnapshot } from './tree-snapshot';

// `steward verify`: anyone can check that a pull request Steward prepared contains exactly what
// Steward produces and nothing else. The commits' trailers name the concern, the rules, the version
// and the command; verify scans the base commit with the same engine, applies the same fixes (pins
// as resolved when the PR was made, from the Steward-Pin trailers), and compares the result with the
// PR's head byte for byte. Pins are then re-checked against the action's repository: the SHA must be
// the commit the tag points to, or (reported apart) the one its version tag still names after the
// moving tag was moved on.

export class VerifyError extends Error {}

/** Resolves an action ref to the commit it names today (the resolver, online). */
export interface PinLookup {
  resolve(owner: string, repo: string, ref: string): Promise<{ sha: string; version: string }>;
}

export interface VerifyOptions {
  dir: string;
  base?: string;
  head?: string;
  /** Online pin re-checks; without it pins are reported as not checked. */
  pins?: PinLookup;
}

export interface HunkReport {
  /** `@@ -a,b +c,d @@` of the difference between Steward's output (old) and the PR (new). */
  header: string;
  lines: string[];
}

export interface FileReport {
  file: string;
  status: 'identical' | 'differs' | 'extra' | 'missing';
  /** How many hunks the PR's change to this file has (base → PR). */
  prHunks: number;
  /** For differs/extra/missing: the hunks that differ (Steward's output → the PR). */
  hunks: HunkReport[];
  note?: string;
}

export interface PinReport {
  action: string;
  ref: string;
  sha: string;
  version: string;
  status: 'ok' | 'moved' | 'mismatch' | 'unchecked';
  detail: string;
}

export interface VerifyReport {
  base: string;
  head: string;
  concern?: string;
  commits: { sha: string; subject: string; trailers?: StewardTrailers }[];
  files: FileReport[];
  pins: PinReport[];
  notes: string[];
  identical: boolean;
}

/** Answers pin-action fixes from the Steward-Pin trailers: the replay pins what the PR pinned then. */
class TrailerPins implements DeferredFixProvider {
  readonly id = PIN_ACTION_PROVIDER;
  constructor(private readonly pins: StewardTrailers['pins']) {}
  async resolve(fix: Fix, text: string): Promise<ResolvedFix> {
    const d = fix.deferred?.data as PinActionData | undefined;
    if (!d) return { edits: [], failure: 'no pin data' };
    const action = `${d.owner}/${d.repo}${d.path ? `/${d.path}` : ''}`;
    const p = this.pins.find((x) => x.action === action && x.ref === d.ref);
    if (!p) return { edits: [], failure: `no Steward-Pin trailer for ${action}@${d.ref}` };
    const edits = pinEdits(text, d, p.sha, p.version);
    if (!edits) return { edits: [], failure: `${d.file} no longer has ${action}@${d.ref}` };
    return { edits, evidence: [{ kind: 'pin', summary: `${action}@${d.ref} → ${p.sha.slice(0, 12)} (${p.version})`, details: { action, ref: d.ref, commit: p.sha, version: p.version } }] };
  }
}

async function resolveRef(git: FlowGit, ref: string, what: string): Promise<string> {
  const sha = await git.resolve(ref);
  if (!sha) throw new VerifyError(`${what} '${ref}' is not a commit in ${git.root}`);
  return sha;
}

export async function verify(opts: VerifyOptions): Promise<VerifyReport> {
  const git = await FlowGit.open(opts.dir).catch((e: Error) => {
    throw new VerifyError(e.message);
  });
  const head = await resolveRef(git, opts.head ?? 'HEAD', '--head');
  let base: string;
  if (opts.base) {
    const b = await resolveRef(git, opts.base, '--base');
    base = (await git.git.raw(['merge-base', b, head]).catch(() => '')).trim();
    if (!base) throw new VerifyError(`--base ${opts.base} and --head ${opts.head ?? 'HEAD'} have no common history`);
  } else {
    // The base is the parent of the oldest commit in the unbroken run of Steward commits at the head.
    let cur = head;
    let steps = 0;
    for (;;) {
      const msg = await git.git.raw(['log', '-1', '--format=%B', cur]);
      if (!parseTrailers(msg)) break;
      const parent = (await git.git.raw(['rev-parse', '--verify', '--quiet', `${cur}^`]).catch(() => '')).trim();
      if (!parent) break;
      cur = parent;
      if (++steps > 500) break;
    }
    if (!steps) throw new VerifyError(`${opts.head ?? 'HEAD'} is not a commit Steward made (no Steward-Concern trailer): name the base with --base REF`);
    base = cur;
  }
  const log = (await git.log(`${base}..${head}`)).reverse();
  if (!log.length) throw new VerifyError(`no commits between ${base.slice(0, 12)} and ${head.slice(0, 12)}`);
  const commits = log.map((c) => ({ sha: c.sha, subject: c.subject, trailers: parseTrailers(`${c.subject}\n\n${c.body}`) }));
  const notes: string[] = [];
  for (const c of commits) if (!c.trailers) notes.push(`Commit ${c.sha.slice(0, 12)} "${c.subject}" has no Steward trailers: Steward did not make it, so all of its changes are listed as differences.`);
  const trailers = commits.flatMap((c) => (c.trailers ? [c.trailers] : []));
  const concerns = [...new Set(trailers.map((t) => t.concern))];
  if (!concerns.length) throw new VerifyError(`none of the ${commits.length} commits between ${base.slice(0, 12)} and ${head.slice(0, 12)} carries Steward trailers: nothing to replay`);
  if (concerns.length > 1) notes.push(`The commits name more than one concern (${concerns.join(', ')}); each is replayed in turn.`);
  const versions = [...new Set(trailers.map((t) => t.version).filter(Boolean))];
  for (const v of versions) if (v !== VERSION) notes.push(`The commits were made with Steward ${v}; this is Steward ${VERSION}. If the fixes changed between these versions, differences may come from that.`);
  const allowUnsafe = trailers.some((t) => /(^|\s)--unsafe(\s|$)/.test(t.command));
  const trailerPins = trailers.flatMap((t) => t.pins);

  // Replay: the same scan, concerns and change building as `steward pr`, on the base commit.
  const snap = new GitTreeSnapshot(git, base, 'verify', git.root);
  const scan = await new Engine(CHECKS).scan(new OverlaySnapshot(snap), {});
  const metas = CHECKS.map((c) => c.meta);
  const providers = new DeferredFixRegistry();
  providers.register(new TrailerPins(trailerPins));
  const contents = new Map<string, string>();
  const encodings = new Map<string, FileEncoding>();
  for (const id of concerns) {
    const concern = findConcern(concernsFor(scan, metas, { allowUnsafe, asked: id }), id);
    if (!concern) {
      notes.push(`At the base commit Steward finds nothing to do for concern '${id}'.`);
      continue;
    }
    const plan = { concern, contents: new Map(contents), encodings, steps: [], changes: [], warnings: [], diff: '' } as unknown as FlowPlan;
    await new ContributionFlow({ dir: git.root, concern: id, allowUnsafe, providers }).buildChanges(plan, scan, snap);
    for (const w of plan.warnings) notes.push(`Replay: ${w}`);
    for (const [f, t] of plan.contents) contents.set(f, t);
  }

  // Compare per file, byte for byte.
  const raw = await git.git.raw(['diff', '--raw', '--no-renames', '-z', base, head]);
  const prFiles = new Map<string, { oldMode: string; newMode: string; status: string }>();
  const parts = raw.split('\0').filter((p) => p !== '');
  for (let i = 0; i + 1 < parts.length; i += 2) {
    const m = /^:(\d+) (\d+) \S+ \S+ (\w)/.exec(parts[i]);
    if (m) prFiles.set(parts[i + 1], { oldMode: m[1], newMode: m[2], status: m[3] });
  }
  const blob = async (rev: string, file: string): Promise<Buffer | undefined> => git.git.showBuffer([`${rev}:${file}`]).catch(() => undefined);
  const files: FileReport[] = [];
  for (const file of [...new Set([...prFiles.keys(), ...contents.keys()])].sort()) {
    const baseBuf = await blob(base, file);
    const baseText = baseBuf ? decodeText(baseBuf).text : '';
    const pr = prFiles.get(file);
    const prBuf = pr?.status === 'D' ? undefined : await blob(head, file);
    const prText = prBuf ? decodeText(prBuf).text : '';
    const mine = contents.get(file);
    const prHunks = pr ? structuredPatch(file, file, baseText, prText, '', '', { context: 3 }).hunks.length : 0;
    if (mine === undefined) {
      files.push({ file, status: 'extra', prHunks, hunks: hunks(baseText, prText), note: pr?.status === 'D' ? 'the PR deletes this file' : pr?.status === 'A' ? 'the PR adds this file' : 'Steward does not change this file' });
      continue;
    }
    if (!pr) {
      files.push({ file, status: 'missing', prHunks, hunks: hunks(mine, baseText), note: 'Steward changes this file; the PR does not' });
      continue;
    }
    const same = prBuf !== undefined && Buffer.from(encodeText(mine, encodings.get(file) ?? { hadBom: false })).equals(prBuf);
    const modeOk = pr.status === 'A' ? pr.newMode === '100644' : pr.newMode === pr.oldMode;
    if (same && modeOk) files.push({ file, status: 'identical', prHunks, hunks: [] });
    else files.push({ file, status: 'differs', prHunks, hunks: hunks(mine, prText), note: !modeOk ? `the PR changes the file mode to ${pr.newMode}` : undefined });
  }

  // Pins: the SHA must be what the tag names now, or what its version tag still names.
  const pins: PinReport[] = [];
  const seen = new Set<string>();
  for (const p of trailerPins) {
    const key = `${p.action}@${p.ref}=${p.sha}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const [owner, repo] = p.action.split('/');
    if (!opts.pins) {
      pins.push({ ...p, status: 'unchecked', detail: 'not re-checked (offline)' });
      continue;
    }
    try {
      const now = await opts.pins.resolve(owner, repo, p.ref);
      if (now.sha === p.sha) {
        pins.push({ ...p, status: 'ok', detail: `${p.ref} points to ${p.sha.slice(0, 12)} (${now.version})` });
        continue;
      }
      const still = p.version && p.version !== p.ref ? await opts.pins.resolve(owner, repo, p.version).catch(() => undefined) : undefined;
      if (still?.sha === p.sha) pins.push({ ...p, status: 'moved', detail: `the tag has moved since: ${p.ref} now points to ${now.sha.slice(0, 12)} (${now.version}); ${p.version} still points to the pinned ${p.sha.slice(0, 12)}` });
      else pins.push({ ...p, status: 'mismatch', detail: `${p.sha.slice(0, 12)} is not the commit ${p.ref} points to (${now.sha.slice(0, 12)}, ${now.version})${p.version !== p.ref ? `, nor the commit of ${p.version}` : ''}` });
    } catch (e) {
      pins.push({ ...p, status: 'mismatch', detail: `could not resolve ${p.action}@${p.ref}: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}` });
    }
  }

  const identical = files.every((f) => f.status === 'identical') && pins.every((p) => p.status !== 'mismatch') && commits.every((c) => c.trailers);
  return { base, head, concern: concerns.join(', '), commits, files, pins, notes, identical };
}

function hunks(from: string, to: string): HunkReport[] {
  return structuredPatch('steward', 'pr', from, to, '', '', { context: 1 }).hunks.map((h) => ({
    header: `@@ -${h.oldStart},${h.oldLines} +${h.newStart},${h.newLines} @@`,
    lines: h.lines,
  }));
}

/** The report as lines for a terminal (repository text is escaped by the caller). */
export function verifyLines(r: VerifyReport): string[] {
  const out: string[] = [];
  out.push(`Replayed ${r.concern} on ${r.base.slice(0, 12)} and compared with ${r.head.slice(0, 12)} (${r.commits.length} commit${r.commits.length === 1 ? '' : 's'}).`);
  for (const n of r.notes) out.push(`! ${n}`);
  for (const f of r.files) {
    if (f.status === 'identical') {
      out.push(`✓ ${f.file}: identical (${f.prHunks} hunk${f.prHunks === 1 ? '' : 's'})`);
      continue;
    }
    const what = f.status === 'extra' ? 'extra file (not produced by Steward)' : f.status === 'missing' ? 'missing (Steward changes it, the PR does not)' : 'differs from what Steward produces';
    out.push(`✗ ${f.file}: ${what}${f.note && f.status === 'differs' ? `: ${f.note}` : ''}`);
    for (const h of f.hunks) {
      out.push(`  ${h.header}${f.status === 'differs' ? ' (− Steward, + this PR)' : ''}`);
      for (const l of h.lines) out.push(`  ${l}`);
    }
  }
  for (const p of r.pins) out.push(`${p.status === 'ok' ? '✓' : p.status === 'mismatch' ? '✗' : '!'} pin ${p.action}@${p.ref} = ${p.sha.slice(0, 12)}: ${p.detail}`);
  out.push(r.identical ? 'Identical: this PR contains exactly what Steward produces.' : 'Differs: the lines marked ✗ are not what Steward produces.');
  return out;
}
