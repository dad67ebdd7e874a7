import { createTwoFilesPatch } from 'diff';
import type { Engine, RepoScan, ScanOptions } from '../engine';
import { isSafeFix, reviewReasonOf, type Finding, type Fix, type TextEdit } from '../model';
import type { FileKind } from '../repo/classify';
import type { RepoSnapshot } from '../repo/snapshot';
import { decodeText, dominantBreak, encodeText, normalizeLoneCr, type TextEncoding } from '../yaml/text';
import { applyEdits, combineFixes } from './apply';
import { escapeTerminalLine } from '../report/escape';
import { fixedTextProblem } from './validate';
import type { DeferredFixRegistry } from './deferred';
import { localeOrder } from '../repo/order';

// Fixing a whole scan: pick one fix per finding, resolve deferred ones, apply everything per file in one
// pass, re-scan and repeat (fixes of different rules can overlap: the second one is recomputed against
// the text the first produced). Pure: files live in an in-memory overlay; the caller writes them.

/** Why a fix was not applied. */
export type LeftReason = 'unsafe' | 'needs-network' | 'conflict' | 'failed';

export const LEFT_REASON_TEXT: Record<LeftReason, string> = {
  unsafe: 'unsafe: needs review (run with --unsafe to apply)',
  'needs-network': 'needs network',
  conflict: 'conflicted with another fix and did not settle',
  failed: 'could not be applied',
};

export interface FixCandidate {
  finding: Finding;
  fix: Fix;
}

export interface LeftFix {
  ruleId: string;
  title: string;
  file?: string;
  line?: number;
  reason: LeftReason;
  /** One line saying what to do or what went wrong. */
  detail: string;
}

export interface AppliedFix {
  ruleId: string;
  title: string;
  safe: boolean;
  files: string[];
  /** 1-based line of the finding the fix was taken from. */
  line?: number;
  round: number;
  caveat?: string;
  /** Set for a review fix applied with --unsafe: why it needed a person (from the model's `reviewReasonOf`). */
  reviewReason?: string;
}

export interface FileChange {
  path: string;
  /** Text before (decoded, BOM removed); undefined for a created file. */
  before?: string;
  after: string;
  hadBom: boolean;
  /** The file's encoding when not UTF-8 (it is written back in it). */
  encoding?: TextEncoding;
  created: boolean;
}

export interface FixOptions {
  /** Also apply fixes marked unsafe. */
  unsafe?: boolean;
  /** Only fix findings of these rules. */
  rules?: readonly string[];
  /** Resolves deferred fixes; without one (or without the provider) they are left with a reason. */
  registry?: DeferredFixRegistry;
  /** Said when a deferred fix has no provider, e.g. "run without --offline". */
  noProviderHint?: string;
  /** Rounds of apply → re-scan (default 3). */
  maxRounds?: number;
  scan?: ScanOptions;
  /** Resolutions of deferred fixes, kept across rounds so a tag is looked up once per run. */
  resolved?: Map<string, Promise<Fix & { failure?: string }>>;
}

export interface FixRun {
  applied: AppliedFix[];
  left: LeftFix[];
  changes: FileChange[];
  rounds: number;
  /** The scan of the fixed text (what a re-scan after writing would show). */
  finalScan: RepoScan;
}

function fixKey(f: Fix): string {
  return `${f.title}\u0000${f.edits.map((e) => `${e.file}:${e.start}:${e.end}:${e.newText}`).join('|')}`;
}

/**
 * Picks the fix to apply for each active finding: the first safe one, else (with `unsafe`) the first
 * unsafe one. Deferred fixes go through the registry. Findings with nothing applicable are `left`.
 */
export async function collectFixes(scan: RepoScan, opts: FixOptions, textOf: (path: string) => string | undefined): Promise<{ candidates: FixCandidate[]; left: LeftFix[] }> {
  const candidates: FixCandidate[] = [];
  const left: LeftFix[] = [];
  const resolved = opts.resolved ?? new Map<string, Promise<Fix & { failure?: string }>>();
  for (const finding of scan.findings) {
    if (finding.suppressed || !finding.fixes.length) continue;
    if (opts.rules && !opts.rules.includes(finding.ruleId)) continue;
    const where = { ruleId: finding.ruleId, file: finding.location?.file, line: finding.location?.start.line };
    const usable = finding.fixes.filter((f) => isSafeFix(f) || opts.unsafe);
    if (!usable.length) {
      const f = finding.fixes[0];
      left.push({ ...where, title: f.title, reason: 'unsafe', detail: reviewReasonOf(f) ?? '' });
      continue;
    }
    // Safe before unsafe, concrete before deferred: a deferred fix is only resolved when nothing else fits.
    const ordered = [...usable].sort((a, b) => Number(!isSafeFix(a)) - Number(!isSafeFix(b)) || Number(!!a.deferred) - Number(!!b.deferred));
    let chosen: Fix | undefined;
    let why: LeftFix | undefined;
    for (const fix of ordered) {
      if (!fix.deferred) {
        if (fix.edits.length) {
          chosen = fix;
          break;
        }
        continue;
      }
      if (!opts.registry || !opts.registry.has(fix.deferred.provider)) {
        why ??= { ...where, title: fix.title, reason: 'needs-network', detail: opts.noProviderHint ?? `needs online features (${fix.deferred.provider})` };
        continue;
      }
      const file = String(fix.deferred.data.file ?? finding.location?.file ?? '');
      const text = textOf(file) ?? '';
      // Offsets in the data are only meaningful against this text, so the text is part of the key.
      const key = `${fix.deferred.provider}\u0000${JSON.stringify(fix.deferred.data)}\u0000${text}`;
      let p = resolved.get(key);
      if (!p) {
        p = opts.registry.resolve(fix, text);
        resolved.set(key, p);
      }
      let r: Fix & { failure?: string };
      try {
        r = await p;
      } catch (e) {
        r = { ...fix, failure: e instanceof Error ? e.message : String(e) };
      }
      if (r.failure || !r.edits.length) {
        why ??= { ...where, title: fix.title, reason: r.failure && /offline|network|token|rate limit/i.test(r.failure) ? 'needs-network' : 'failed', detail: r.failure ?? 'the provider produced no change' };
        continue;
      }
      chosen = { title: r.title, safe: r.safe, reviewReason: r.reviewReason, edits: r.edits, caveat: r.caveat, evidence: r.evidence };
      break;
    }
    if (chosen) candidates.push({ finding, fix: chosen });
    else if (why) left.push(why);
  }
  return { candidates, left };
}

/**
 * A snapshot whose files can be replaced in memory; the engine re-scans it incrementally. The checks
 * see every file with lone CRs turned into LF (see normalizeLoneCr): one character for one, so their
 * offsets hold for the real text too, while their edit code only has to know LF and CRLF.
 */
export class OverlaySnapshot implements RepoSnapshot {
  private readonly files = new Map<string, Uint8Array>();
  constructor(private readonly base: RepoSnapshot) {}
  get name(): string {
    return this.base.name;
  }
  get root(): string | undefined {
    return this.base.root;
  }
  get partial(): boolean | undefined {
    return this.base.partial;
  }
  async listFiles(): Promise<string[]> {
    const base = await this.base.listFiles();
    const extra = [...this.files.keys()].filter((p) => !base.includes(p));
    return extra.length ? [...base, ...extra].sort() : base;
  }
  async readFile(path: string): Promise<Uint8Array | undefined> {
    const own = this.files.get(path);
    if (own) return own;
    const bytes = await this.base.readFile(path);
    return bytes && normalizedBytes(bytes);
  }
  readError(path: string): string | undefined {
    return this.base.readError?.(path);
  }
  kindOf(path: string): FileKind | undefined {
    return this.base.kindOf?.(path);
  }
  /** Replaces a file with `text` (its real line breaks; the checks get it normalized). */
  set(path: string, text: string, enc: { hadBom: boolean; encoding?: TextEncoding } = { hadBom: false }): void {
    this.files.set(path, encodeText(normalizeLoneCr(text), enc));
  }
}

function normalizedBytes(bytes: Uint8Array): Uint8Array {
  if (!bytes.includes(13)) return bytes;
  const d = decodeText(bytes);
  if (d.problem) return bytes;
  const n = normalizeLoneCr(d.text);
  return n === d.text ? bytes : encodeText(n, d);
}

/**
 * Inserted lines follow the file's line breaks even when a check wrote bare `\n`: CRLF files get CRLF,
 * files that break lines with a lone CR get lone CRs (the checks saw those as LF).
 */
export function matchEol(edits: readonly TextEdit[], text: string): TextEdit[] {
  const eol = dominantBreak(text);
  if (eol === '\n') return [...edits];
  if (eol === '\r\n') return edits.map((e) => ({ ...e, newText: e.newText.replace(/\r?\n/g, '\r\n') }));
  return edits.map((e) => ({ ...e, newText: e.newText.replace(/\r?\n/g, '\r') }));
}

/**
 * Applies the fixes of a scan until nothing applicable is left (at most `maxRounds` rounds).
 * `engine` must be a fresh Engine for this repository (its cache follows the overlay).
 */
export async function runFixes(engine: Engine, snapshot: RepoSnapshot, opts: FixOptions = {}): Promise<FixRun> {
  const overlay = new OverlaySnapshot(snapshot);
  opts = { ...opts, resolved: opts.resolved ?? new Map() };
  const maxRounds = opts.maxRounds ?? 3;
  const scanOpts: ScanOptions = { ...opts.scan, ...(opts.rules ? { only: opts.rules } : {}) };
  // The real text of every changed file (its own line breaks); the overlay holds it normalized.
  const current = new Map<string, { text: string; hadBom: boolean; encoding?: TextEncoding; original?: string; created: boolean }>();
  const applied: AppliedFix[] = [];
  const failed: LeftFix[] = [];
  const done = new Set<string>();
  let scan = await engine.scan(overlay, scanOpts);
  let rounds = 0;

  // Offsets in findings and fixes are into the normalized text, which is what deferred providers get.
  const textOf = (p: string): string | undefined => {
    const have = current.get(p);
    return have ? normalizeLoneCr(have.text) : scan.files.get(p)?.text;
  };
  const readText = async (p: string): Promise<{ text: string; hadBom: boolean; encoding?: TextEncoding; problem?: string } | undefined> => {
    const have = current.get(p);
    if (have) return { text: have.text, hadBom: have.hadBom, encoding: have.encoding };
    const sf = scan.files.get(p);
    if (sf?.problem) return { text: sf.text, hadBom: sf.hadBom, problem: sf.problem };
    // The real bytes, not the overlay's normalized ones: a fix keeps every line it does not touch.
    const bytes = await snapshot.readFile(p);
    if (!bytes) return sf ? { text: sf.text, hadBom: sf.hadBom, problem: 'cannot be read' } : undefined;
    const d = decodeText(bytes);
    return { text: d.text, hadBom: d.hadBom, encoding: d.encoding, problem: d.problem };
  };

  for (let round = 1; round <= maxRounds; round++) {
    const { candidates } = await collectFixes(scan, opts, textOf);
    // A fix already applied that is offered again unchanged did not fix its finding: do not loop on it.
    const fresh = candidates.filter((c) => !done.has(fixKey(c.fix)));
    if (!fresh.length) break;
    const { byFile, skipped } = combineFixes(fresh.map((c) => c.fix));
    const skippedFixes = new Set(skipped.map((s) => s.fix));
    const changedPaths: string[] = [];
    const badFiles = new Set<string>();
    for (const [path, edits] of byFile) {
      const creates = edits.some((e) => e.create);
      const cur = await readText(path);
      try {
        if (cur?.problem) throw new Error(`${path} ${cur.problem}`);
        if (creates && cur) throw new Error(`${path} already exists`);
        const base = creates ? '' : cur?.text;
        if (base === undefined) throw new Error(`${path} cannot be read`);
        let after = applyEdits(base, matchEol(edits, base));
        // deppol (issue 14.4): the file's edits together must still parse with unique keys. When
        // they do not, keep the fixes that do one by one (in order) and hold the rest back: the next
        // round recomputes them against the new text. Nothing is written for a file that never parses.
        if (fixedTextProblem(path, creates ? undefined : base, after)) {
          const mine = fresh.filter((c) => !skippedFixes.has(c.fix) && c.fix.edits.some((x) => x.file === path));
          let kept = base;
          let problem: string | undefined;
          for (const c of mine) {
            const own = c.fix.edits.filter((x) => x.file === path);
            let trial: string;
            try {
              trial = applyEdits(kept, matchEol(own, kept));
            } catch {
              skippedFixes.add(c.fix);
              continue;
            }
            // Offsets of later fixes are against the original text: only the first fix can be taken
            // safely without re-planning, so the rest wait for the next round.
            const p = fixedTextProblem(path, creates ? undefined : base, trial);
            if (p || kept !== base) {
              problem ??= p;
              skippedFixes.add(c.fix);
              continue;
            }
            kept = trial;
          }
          if (kept === base) throw new Error(problem ?? `the fixes of ${path} together would not parse`);
          after = kept;
        }
        if (after === base) continue;
        const prev = current.get(path);
        const enc = { hadBom: cur?.hadBom ?? false, encoding: cur?.encoding };
        current.set(path, { text: after, ...enc, original: prev ? prev.original : cur?.text, created: prev?.created ?? creates });
        overlay.set(path, after, enc);
        changedPaths.push(path);
      } catch (e) {
        badFiles.add(path);
        const detail = e instanceof Error ? e.message : String(e);
        for (const c of fresh) {
          if (c.fix.edits.some((x) => x.file === path)) {
            failed.push({ ruleId: c.finding.ruleId, title: c.fix.title, file: c.finding.location?.file, line: c.finding.location?.start.line, reason: 'failed', detail });
            done.add(fixKey(c.fix));
          }
        }
      }
    }
    for (const c of fresh) {
      if (skippedFixes.has(c.fix) || c.fix.edits.some((e) => badFiles.has(e.file))) continue;
      const key = fixKey(c.fix);
      if (done.has(key)) continue;
      done.add(key);
      applied.push({
        ruleId: c.finding.ruleId,
        title: c.fix.title,
        safe: isSafeFix(c.fix),
        files: [...new Set(c.fix.edits.map((e) => e.file))],
        line: c.finding.location?.start.line,
        round,
        caveat: c.fix.caveat,
        ...(isSafeFix(c.fix) ? {} : { reviewReason: reviewReasonOf(c.fix) }),
      });
    }
    rounds = round;
    if (!changedPaths.length) break;
    // A created file is not in the engine's remembered path list: re-list everything then.
    const createdNow = changedPaths.some((p) => current.get(p)?.created);
    scan = await engine.scan(overlay, createdNow ? scanOpts : { ...scanOpts, changed: changedPaths });
  }

  // What is still offered after the last round: unsafe / needs-network from collect, and applicable
  // fixes that never settled (they overlapped another fix every round).
  const final = await collectFixes(scan, opts, textOf);
  const left: LeftFix[] = [...final.left, ...failed];
  for (const c of final.candidates) {
    left.push({
      ruleId: c.finding.ruleId,
      title: c.fix.title,
      file: c.finding.location?.file,
      line: c.finding.location?.start.line,
      reason: done.has(fixKey(c.fix)) ? 'failed' : 'conflict',
      detail: done.has(fixKey(c.fix)) ? 'applied, but the finding is still reported' : `still overlaps another fix after ${rounds} round${rounds === 1 ? '' : 's'}; run steward fix again or fix it by hand`,
    });
  }
  const changes: FileChange[] = [...current.entries()]
    .filter(([, v]) => v.text !== v.original)
    .map(([path, v]) => ({ path, before: v.created ? undefined : v.original, after: v.text, hadBom: v.hadBom, ...(v.encoding ? { encoding: v.encoding } : {}), created: v.created }))
    .sort((a, b) => localeOrder(a.path, b.path));
  return { applied, left: dedupeLeft(left), changes, rounds, finalScan: scan };
}

function dedupeLeft(left: LeftFix[]): LeftFix[] {
  const seen = new Set<string>();
  return left.filter((l) => {
    const k = `${l.ruleId}\u0000${l.file}\u0000${l.line}\u0000${l.title}\u0000${l.reason}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/**
 * A path as git writes it in patch headers (core.quotePath on, the default): unchanged when it is
 * plain, else C-quoted in double quotes, with \t \n \" \\ and friends, and every byte of a control or
 * non-ASCII character as a three-digit octal escape. `git apply` reads both forms.
 */
export function gitQuotePath(p: string): string {
  if (!/[\u0000-\u001f"\\\u007f-\uffff]/.test(p)) return p;
  const named: Record<number, string> = { 7: '\\a', 8: '\\b', 9: '\\t', 10: '\\n', 11: '\\v', 12: '\\f', 13: '\\r', 34: '\\"', 92: '\\\\' };
  let out = '"';
  for (const byte of Buffer.from(p, 'utf8')) {
    if (named[byte]) out += named[byte];
    else if (byte < 0x20 || byte >= 0x7f) out += '\\' + byte.toString(8).padStart(3, '0');
    else out += String.fromCharCode(byte);
  }
  return out + '"';
}

/** `a/` + path for a header, quoted as a whole when the path needs quoting (`"a/x\ty"`), as git does. */
function headerPath(prefix: 'a/' | 'b/', p: string): string {
  const q = gitQuotePath(p);
  return q.startsWith('"') ? `"${prefix}${q.slice(1)}` : `${prefix}${p}`;
}

/** A git-style unified diff of the changes (a/ and b/ paths; /dev/null for created files). */
export function unifiedDiff(changes: readonly FileChange[], context = 3): string {
  let out = '';
  for (const c of changes) {
    // A UTF-8 BOM is part of the file's first line as git sees it; without it the hunk would not apply.
    const bom = c.hadBom && !c.encoding ? '\ufeff' : '';
    const before = c.before === undefined ? '' : bom + c.before;
    const patch = createTwoFilesPatch('a', 'b', before, bom + c.after, undefined, undefined, { context });
    // Keep only the hunks; git's own header lines (quoted names, new file mode) go in front.
    const hunks = patch.slice(patch.search(/^@@ /m) >= 0 ? patch.search(/^@@ /m) : patch.length);
    const a = headerPath('a/', c.path);
    const b = headerPath('b/', c.path);
    out += `diff --git ${a} ${b}\n${c.created ? 'new file mode 100644\n' : ''}--- ${c.created ? '/dev/null' : a}\n+++ ${b}\n${hunks}`;
  }
  return out;
}

/** Plain-text summary: what changed, and what was left and why. */
export function fixSummary(run: Pick<FixRun, 'applied' | 'left' | 'changes'>, opts: { dryRun?: boolean; name?: string } = {}): string {
  const lines: string[] = [];
  const verb = opts.dryRun ? 'Would apply' : 'Applied';
  const files = run.changes.length;
  // File names, titles and details quote repository text: never raw control or bidi characters.
  const t = escapeTerminalLine;
  const head = opts.name ? `${t(opts.name)}: ` : '';
  if (run.applied.length) {
    lines.push(`${head}${verb} ${run.applied.length} fix${run.applied.length === 1 ? '' : 'es'} in ${files} file${files === 1 ? '' : 's'}`);
    const byFile = new Map<string, AppliedFix[]>();
    for (const a of run.applied) for (const f of a.files) byFile.set(f, [...(byFile.get(f) ?? []), a]);
    for (const [file, list] of [...byFile].sort(([a], [b]) => localeOrder(a, b))) {
      lines.push(`  ${t(file)}`);
      for (const a of list) {
        lines.push(`    ${a.safe ? '' : '(review) '}${t(a.title)}  [${t(a.ruleId)}]`);
        if (!a.safe && a.reviewReason) lines.push(`      review: ${t(a.reviewReason)}`);
      }
    }
  } else {
    lines.push(`${head}Nothing to fix${run.left.length ? '' : ': no finding has an applicable fix'}`);
  }
  if (run.left.length) {
    lines.push(`Left ${run.left.length} fix${run.left.length === 1 ? '' : 'es'}:`);
    const order: LeftReason[] = ['unsafe', 'needs-network', 'conflict', 'failed'];
    for (const reason of order) {
      const group = run.left.filter((l) => l.reason === reason);
      if (!group.length) continue;
      lines.push(`  ${LEFT_REASON_TEXT[reason]} (${group.length}):`);
      for (const l of group) {
        const where = l.file ? `${t(l.file)}${l.line ? `:${l.line}` : ''}` : '(repository)';
        lines.push(`    ${where}  ${t(l.title)}  [${t(l.ruleId)}]`);
        lines.push(`      ${t(l.detail)}`);
      }
    }
  }
  return lines.join('\n') + '\n';
}
