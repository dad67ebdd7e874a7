import type { CheckMeta, CheckResult, Finding, Severity } from './model';
import { severityRank } from './model';
import type { RepoFacts } from './model/facts';
import type { ActionLookup } from './model/actions';
import type { Check, RepoContext, ScanSettings, SourceFile } from './checks/types';
import { DEFAULT_SETTINGS } from './checks/types';
import { classifyPath, pathKinds, YAML_KINDS, type FileKind } from './repo/classify';
import { decodeText, LineIndex } from './yaml/text';
import type { ListProblems, RepoSnapshot } from './repo/snapshot';
import { fileMemo, isUsable, loadSourceFile } from './repo/load';
import { ConfigError, EMPTY_CONFIG } from './config/error';
import type { StewardConfig, ZizmorConfig } from './config/schema';
import { IGNORE_COMMENT_HINT, pathIgnored, ruleDisabled, suppressionFor } from './config/suppress';
import { markGeneratedFileFixes } from './fix/generated';
import { markTestFixture } from './fix/fixtures';
import { editedFiles } from './fix/lazy';

export interface ScanOptions {
  settings?: Partial<ScanSettings>;
  facts?: RepoFacts;
  factsUnavailable?: string;
  /** Online lookups for the action audits (src/github implements them); undefined offline. */
  actions?: ActionLookup;
  actionsUnavailable?: string;
  /** Only these rule ids run (others are reported not-applicable). */
  only?: readonly string[];
  /** Paths known to have changed since the previous scan with this engine (others are reused). */
  changed?: readonly string[];
}

export interface RepoScan {
  name: string;
  root?: string;
  /** One result per check, in registry order. */
  results: CheckResult[];
  /** Every finding of every check, suppressed ones included (they carry `suppressed`). */
  findings: Finding[];
  config: StewardConfig;
  /** Loaded files (for front-ends that map offsets, apply fixes, show context). */
  files: ReadonlyMap<string, SourceFile>;
  stats: { paths: number; loaded: number; ms: number };
  /**
   * What this scan could not see, in words a person can act on: the file walk stopped at its cap,
   * folders that could not be read. Every output format prints them; empty when the scan saw everything.
   */
  notes: ScanNote[];
}

/** Something that limits what a scan saw (not a finding about the repository's security). */
export interface ScanNote {
  code: 'walk-capped' | 'unreadable-folder';
  /** The folder concerned (repository-relative), when there is one. */
  path?: string;
  message: string;
}

interface FileCacheEntry {
  text: string;
  findings: Finding[];
  /**
   * The findings as finish() leaves them (severity override, test-data and generated-file marks,
   * suppression), pristine copies, for a check with no repository part whose findings all rest on this
   * file alone; valid for this text (the entry's) and the configuration objects they were finished under.
   */
  done?: { config: StewardConfig; zizmor?: ZizmorConfig; findings: Finding[] };
  /**
   * For a check with a repository part: finish()'s answer for `findings[k]` at index k (a pristine
   * copy), kept when that finding rests on this file alone and the repository part handed its copy back
   * unchanged; valid for this text and the configuration objects it was finished under.
   */
  repoDone?: { config: StewardConfig; zizmor?: ZizmorConfig; findings: (Finding | typeof AS_HANDED | undefined)[] };
}

/** In FileCacheEntry.repoDone: finish() left the finding exactly as it was handed (the common case). */
const AS_HANDED = true;

/** A copy of a cached finding handed to a check's repository part: where it came from (see FileCacheEntry.repoDone). */
interface Handed {
  entry: FileCacheEntry;
  index: number;
  path: string;
}

/** True when `f` is still exactly what cloneFinding made of `p`: the same own properties with the same values. */
function unchangedCopy(f: Finding, p: Finding): boolean {
  const a = f as unknown as Record<string, unknown>;
  const b = p as unknown as Record<string, unknown>;
  let n = 0;
  for (const k in a) {
    if (a[k] !== b[k] || k === 'suppressed') return false;
    n++;
  }
  for (const k in b) if (k !== 'suppressed') n--;
  return n === 0;
}

/** finish()'s work on one finding, with what it depends on besides the finding (see Engine.finisher). */
interface Finisher {
  config: StewardConfig;
  zizmor?: ZizmorConfig;
  rests?: (path: string) => void;
  one(f: Finding): void;
}

const mayHaveIgnoreComments = (x: SourceFile): boolean => IGNORE_COMMENT_HINT.test(x.text);

/**
 * The Finisher of one check run, and the sources suppressionFor reads (its methods). A class, not
 * closures: one is made per check per re-check.
 */
class CheckFinisher implements Finisher {
  readonly config: StewardConfig;
  readonly rests?: (path: string) => void;
  private readonly override: Severity | undefined;
  private textOfFn?: (file: string) => string | undefined;

  constructor(
    private readonly meta: CheckMeta,
    private readonly ctx: RepoContext & { rests?(path: string): void },
    readonly zizmor: ZizmorConfig | undefined,
    private readonly generated: Map<string, string | undefined>,
  ) {
    this.config = ctx.config;
    this.rests = ctx.rests;
    this.override = ctx.config.rules?.[meta.id]?.severity;
  }

  lineText(file: string, line: number): string | undefined {
    const sf = this.ctx.files.get(file);
    return sf && line >= 1 && line <= sf.lines.lineCount ? sf.lines.lineText(line) : undefined;
  }

  // deppol: ignore comments apply on the finding's whole YAML node (zizmor's semantics).
  yaml(file: string): SourceFile['yaml'] {
    return this.ctx.files.get(file)?.yaml;
  }

  mayHaveIgnoreComments(file: string): boolean {
    const sf = this.ctx.files.get(file);
    return sf === undefined || fileMemo(sf, 'engine:ignore-comments', mayHaveIgnoreComments);
  }

  one(f: Finding): void {
    const rests = this.rests;
    if (this.override) f.severity = this.override;
    else markTestFixture(f);
    if (rests && f.location) rests(f.location.file);
    if (f.fixes?.length) {
      const files = this.ctx.files;
      markGeneratedFileFixes(f, (this.textOfFn ??= (file) => files.get(file)?.text), this.generated, rests);
    }
    const s = suppressionFor(f, this.meta, this);
    if (s) f.suppressed = s;
  }
}

/** True when every part of finish()'s answer for `f` rests on `path` alone: its location and every file its fixes edit. */
function restsOnlyOn(f: Finding, path: string): boolean {
  if (f.location && f.location.file !== path) return false;
  for (const fix of f.fixes ?? []) {
    if (fix.deferred && typeof fix.deferred.data?.file === 'string' && fix.deferred.data.file !== path) return false;
    for (const file of editedFiles(fix)) if (file !== path) return false;
  }
  return true;
}

/**
 * What one check's result rests on, recorded by its context (trackingContext) while it runs: the paths
 * it read or looked up, the kinds it listed (every file of them), and whether it looked at every loaded
 * file or listed the snapshot. Kept across the engine's life and only ever grown:
 * a per-file memo (fileMemo, a check's own WeakMap) that hits on a later run skips the reads the first
 * run made, so the reads of every run count, not only the last one's.
 */
class Inputs {
  readonly paths = new Set<string>();
  readonly kinds = new Set<FileKind>();
  /** Walked every loaded file (any change of a file of a kind the engine loads counts). */
  loaded = false;
  /** Listed the snapshot (any change counts). */
  all = false;
  /** The check used the online action lookups: its answers may arrive between scans (never kept on an edit). */
  online = false;

  touchedBy(changed: readonly string[], kindOf: (p: string) => FileKind): boolean {
    if (this.online) return true;
    for (const p of changed) {
      if (this.all || this.paths.has(p)) return true;
      const kind = kindOf(p);
      if (this.kinds.has(kind) || (this.loaded && kind !== 'other')) return true;
    }
    return false;
  }
}

/** One check's last result (a pristine copy, never handed out) and what it rests on. */
interface CheckMemo {
  result: CheckResult;
  inputs: Inputs;
}

const CONFIG_PATHS = ['.github/steward.yml', '.github/steward.yaml'];
const ZIZMOR_PATHS = ['zizmor.yml', 'zizmor.yaml', '.github/zizmor.yml', '.github/zizmor.yaml'];
const LOAD_CONCURRENCY = 16;
/** Milliseconds for the scan's stats; process.hrtime, not performance.now: the global `performance` loads perf_hooks (~1 ms of every CLI start, issue 19). */
const nowMs = (): number => Number(process.hrtime.bigint()) / 1e6;
/** How much of a file RepoContext.sniff reads. */
export const HEAD_BYTES = 64 * 1024;

/** One sniff result kept across scans (RepoContext.sniff). */
interface SniffEntry {
  /** The snapshot's stamp of the file when it was read (undefined when it cannot stamp). */
  stamp?: string;
  value: unknown;
}

/** RepoContext.sniff before tracking: also says whether the file could be read. */
type SniffRaw = <T>(path: string, key: string, compute: (head: Uint8Array | undefined) => T) => Promise<{ value: T; read: boolean }>;

async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (t: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]);
    }
  });
  await Promise.all(workers);
  return out;
}

function cloneFinding(f: Finding): Finding {
  // Object.assign + delete is several times cheaper than a spread with an extra key, and this runs for
  // every cached finding of every file on every re-check.
  const c = Object.assign({}, f);
  // (a cached finding seldom has the key: no delete then, which costs more than the copy's check)
  if ('suppressed' in c) delete c.suppressed;
  return c;
}

/** A result with its own findings array and finding objects (suppressions and fixes shared: never edited). */
function copyResult(r: CheckResult): CheckResult {
  const c: CheckResult = { ...r, findings: r.findings.map((f) => Object.assign({}, f)) };
  if (r.suppressedBy) c.suppressedBy = { ...r.suppressedBy };
  return c;
}

function readFailure(e: unknown): string {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'EACCES' || code === 'EPERM') return 'cannot be read (permission denied)';
  return `cannot be read (${code ?? (e instanceof Error ? e.message : String(e))})`;
}

/** True when `bytes` would load to exactly `old` (cheap: decoding is a small part of loading). */
function sameContent(old: SourceFile, bytes: Uint8Array, kind: FileKind): boolean {
  if (old.problem || old.kind !== kind || old.size !== bytes.byteLength) return false;
  const d = decodeText(bytes);
  return !d.problem && d.hadBom === old.hadBom && d.text === old.text;
}

/**
 * The snapshot as the checks see it during one scan: each file is read from the source once, however
 * many checks ask (the policy and insights checks all read .git/config, TAGS.txt, package.json, ...).
 */
function scanView(snapshot: RepoSnapshot): RepoSnapshot {
  const reads = new Map<string, Promise<Uint8Array | undefined>>();
  return {
    name: snapshot.name,
    root: snapshot.root,
    partial: snapshot.partial,
    listFiles: () => snapshot.listFiles(),
    readFile(p) {
      let r = reads.get(p);
      if (!r) {
        r = snapshot.readFile(p);
        reads.set(p, r);
      }
      return r;
    },
    readError: snapshot.readError && ((p) => snapshot.readError!(p)),
    kindOf: snapshot.kindOf && ((p) => snapshot.kindOf!(p)),
  };
}

/** A file of a kind the checks read that exists but could not be read: reported, never checked. */
function unreadableFile(path: string, kind: FileKind, problem: string): SourceFile {
  return { path, kind, size: 0, text: '', lines: new LineIndex(''), hadBom: false, problem };
}

/**
 * Runs checks over a repository snapshot. Keep one Engine per repository in long-lived front-ends:
 * it caches parsed files and per-file findings by content, so a re-scan after a save re-checks only
 * the edited file. A check that throws gets status `error` and every other check still runs.
 */
export class Engine {
  private sources = new Map<string, SourceFile>();
  /** Per check, per path: the findings of the file's last checked content. */
  private readonly fileCache = new Map<string, Map<string, FileCacheEntry>>();
  private lastPaths?: string[];
  private lastSnapshot?: RepoSnapshot;
  private lastReadFailures = new Map<string, { kind: FileKind; problem: string }>();
  /** RepoContext.sniff results by check and path, for the last snapshot scanned. */
  private sniffs = new Map<string, SniffEntry>();
  /**
   * Files read on demand (RepoContext.read / readBytes, files of no loaded kind: package.json, README)
   * that could be read, kept across incremental scans of the same snapshot less the files named as
   * changed (an incremental scan trusts `changed`, as it does for the loaded files). A workflow save
   * then reads no package.json from disk, and the kept SourceFile keeps its per-file memos (fileMemo).
   */
  private keptReads = new Map<string, { bytes: Uint8Array; file?: SourceFile }>();
  /** What the last scan was computed from (see reuse in scan()); its results are in `memos`. */
  private lastRun?: { key: string; facts: ScanOptions['facts']; actions: ScanOptions['actions']; config: StewardConfig; zizmor?: ZizmorConfig };
  /** Per check id: the last result and the inputs it rests on (see reuse in scan()). */
  private memos = new Map<string, CheckMemo>();
  /**
   * The generated-file marker of each file a fix edits (one look per file, not per check), kept across
   * re-checks that keep the configuration, less the files they were told changed.
   */
  private generated = new Map<string, string | undefined>();
  /** The last scan's path lists, reused by a re-check that keeps its listing and configuration. */
  private lastLists?: { snapshot: RepoSnapshot; allPaths: readonly string[]; config: StewardConfig; paths: string[]; wanted: string[]; wantedSet: Set<string>; pathSet: Set<string> };

  constructor(readonly checks: readonly Check[]) {}

  get knownRules(): ReadonlySet<string> {
    return new Set(this.checks.map((c) => c.meta.id));
  }

  /** Reads and validates `.github/steward.yml`; throws ConfigError on a mistake. */
  async loadConfig(snapshot: RepoSnapshot, paths?: readonly string[]): Promise<{ config: StewardConfig; zizmor?: ZizmorConfig }> {
    const all = paths ?? (await snapshot.listFiles());
    let config = EMPTY_CONFIG;
    const cfgPath = CONFIG_PATHS.find((p) => all.includes(p));
    // The schemas (zod) are loaded only for a repository that has a configuration file.
    const load = () => require('./config/load') as typeof import('./config/load');
    if (cfgPath) {
      const bytes = await snapshot.readFile(cfgPath);
      if (bytes) config = load().parseStewardConfig(cfgPath, bytes, this.knownRules);
    }
    let zizmor: ZizmorConfig | undefined;
    const zPath = ZIZMOR_PATHS.find((p) => all.includes(p));
    if (zPath) {
      const bytes = await snapshot.readFile(zPath);
      if (bytes) zizmor = load().parseZizmorConfig(zPath, bytes);
    }
    return { config, zizmor };
  }

  async scan(snapshot: RepoSnapshot, options: ScanOptions = {}): Promise<RepoScan> {
    const t0 = nowMs();
    const incremental = options.changed !== undefined && this.lastSnapshot === snapshot && this.lastPaths !== undefined;
    // Sniff results are kept only for the same snapshot: another one may see other files (or errors).
    if (this.lastSnapshot !== snapshot) this.sniffs = new Map();
    if (!incremental) this.keptReads = new Map();
    else for (const p of options.changed!) this.keptReads.delete(p);
    const allPaths = incremental ? this.lastPaths! : await snapshot.listFiles();
    this.lastSnapshot = snapshot;
    this.lastPaths = allPaths;
    const listProblems = snapshot.listProblems?.();
    const notes = scanNotes(listProblems);
    // An incremental scan told that nothing changed, with the same options as the last scan: every
    // check would compute what it computed then (checks depend on the files and the options only), so
    // the editor's no-op re-check costs a copy of the results instead of every repository-level pass.
    const runKey = JSON.stringify([options.settings ?? null, options.factsUnavailable ?? null, options.actionsUnavailable ?? null, options.only ?? null]);
    const last = this.lastRun;
    const sameRun = incremental && !!last && last.key === runKey && last.facts === options.facts && last.actions === options.actions;
    if (sameRun && options.changed!.length === 0) {
      const results = this.checks.map((c) => copyResult(this.memos.get(c.meta.id)!.result));
      return {
        name: snapshot.name,
        root: snapshot.root,
        results,
        findings: results.flatMap((r) => r.findings),
        config: last.config,
        files: this.sources,
        stats: { paths: last.config.ignore?.length ? allPaths.filter((p) => !pathIgnored(p, last.config)).length : allPaths.length, loaded: this.sources.size, ms: nowMs() - t0 },
        notes,
      };
    }
    this.lastRun = undefined;
    // A re-check told which files changed, with the same options as the last scan and the configuration
    // files unchanged: a check none of whose inputs changed would compute what it computed then, so its
    // result is kept (a save of one workflow re-runs the checks that read workflows, not the policy,
    // license or binary checks). The configuration itself is kept too (nothing it was read from changed).
    const keep = sameRun && !options.changed!.some((p) => CONFIG_PATHS.includes(p) || ZIZMOR_PATHS.includes(p));
    const { config, zizmor } = keep ? { config: last!.config, zizmor: last!.zizmor } : await this.loadConfig(snapshot, allPaths);
    if (keep) for (const p of options.changed!) this.generated.delete(p);
    else this.generated = new Map();

    // Load every file of a known kind once. On an incremental scan only the changed ones are re-read.
    const kindOf = (p: string): FileKind => snapshot.kindOf?.(p) ?? classifyPath(p);
    // The same listing and configuration give the same lists: a re-check does not classify every path again.
    let lists = this.lastLists;
    if (!lists || lists.snapshot !== snapshot || lists.allPaths !== allPaths || lists.config !== config) {
      const paths = config.ignore?.length ? allPaths.filter((p) => !pathIgnored(p, config)) : allPaths;
      // One classification of every path per scan, shared with the checks that look among all paths (pathKinds).
      const kinds = snapshot.kindOf ? undefined : pathKinds(paths);
      const wanted = kinds ? paths.filter((_, i) => kinds[i] !== 'other') : paths.filter((p) => kindOf(p) !== 'other');
      lists = { snapshot, allPaths, config, paths, wanted, wantedSet: new Set(wanted), pathSet: new Set(paths) };
      this.lastLists = lists;
    }
    const { paths, wanted, wantedSet, pathSet } = lists;
    const changed = new Set(options.changed ?? []);
    /** Files of a known kind that exist but could not be read (this scan's reads only). */
    const readFailures = new Map<string, { kind: FileKind; problem: string }>();
    const toLoad = incremental ? wanted.filter((p) => changed.has(p) || !this.sources.has(p)) : wanted;
    // Every scan fills a new map: a previous RepoScan's `files` stays as it was, so its findings'
    // offsets keep describing its texts (the editor applies a fix from the last result only while the
    // document holds the text that result saw; a re-check that changed that map in place made stale
    // findings look current). An incremental scan starts from a copy; a full one keeps every parsed file
    // whose content did not change: re-scans after a config change or a fix round then parse only what
    // changed, and per-file memos (fileMemo) stay valid.
    const previous = incremental ? undefined : this.sources;
    this.sources = incremental ? new Map(this.sources) : new Map();
    await mapLimit(toLoad, LOAD_CONCURRENCY, async (p) => {
      const kind = kindOf(p);
      let bytes: Uint8Array | undefined;
      let readProblem: string | undefined;
      try {
        bytes = await snapshot.readFile(p);
        if (bytes === undefined) readProblem = snapshot.readError?.(p);
      } catch (e) {
        // A snapshot that throws (a workspace file system, a permission error) must not end the scan.
        readProblem = readFailure(e);
      }
      if (bytes !== undefined) {
        // The file as last loaded: kept when its content is the same, else the base of an incremental parse.
        const old = incremental ? this.sources.get(p) : previous?.get(p);
        this.sources.set(p, old && sameContent(old, bytes, kind) ? old : loadSourceFile(p, bytes, kind, old));
      } else {
        if (readProblem) readFailures.set(p, { kind, problem: readProblem });
        if (readProblem && YAML_KINDS.has(kind)) this.sources.set(p, unreadableFile(p, kind, readProblem));
        else this.sources.delete(p);
      }
    });
    for (const p of [...this.sources.keys()]) if (!wantedSet.has(p)) this.sources.delete(p);

    const files = this.sources;
    const byKindCache = new Map<FileKind, SourceFile[]>();
    const extra = new Map<string, Promise<SourceFile | undefined>>();
    const bytesCache = new Map<string, Promise<Uint8Array | undefined>>();
    const view = scanView(snapshot);
    const kept = this.keptReads;
    const heads = new Map<string, Promise<Uint8Array | undefined>>();
    const readHead = (p: string): Promise<Uint8Array | undefined> => {
      let pr = heads.get(p);
      if (!pr) {
        pr = snapshot.readHead ? snapshot.readHead(p, HEAD_BYTES) : view.readFile(p).then((b) => b?.subarray(0, HEAD_BYTES));
        heads.set(p, pr);
      }
      return pr;
    };
    const sniffs = this.sniffs;
    const sniffRaw: SniffRaw = async (p, key, compute) => {
      if (!pathSet.has(p)) return { value: compute(undefined), read: false };
      const k = `${key}\0${p}`;
      const old = sniffs.get(k);
      // An incremental scan is told what changed; a full one asks the snapshot for the file's stamp
      // (taken before reading, so a write after it is seen by the next scan).
      if (old && incremental && !changed.has(p)) return { value: old.value as ReturnType<typeof compute>, read: true };
      const stamp = snapshot.stamp ? await snapshot.stamp(p) : undefined;
      if (old && !incremental && stamp !== undefined && stamp === old.stamp) return { value: old.value as ReturnType<typeof compute>, read: true };
      const head = await readHead(p);
      const value = compute(head);
      // A failed read is not kept: the next scan tries again (and reports it again).
      if (head !== undefined) sniffs.set(k, { stamp, value });
      else sniffs.delete(k);
      return { value, read: head !== undefined };
    };
    const ctx: RepoContext = {
      snapshot: view,
      paths,
      pathSet,
      async sniff(p, key, compute) {
        return (await sniffRaw(p, key, compute)).value;
      },
      files,
      byKind(kind) {
        let list = byKindCache.get(kind);
        if (!list) {
          // Code-unit order (as compareFindings uses): localeCompare costs ICU calls on every re-check.
          list = [...files.values()].filter((f) => f.kind === kind).sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
          byKindCache.set(kind, list);
        }
        return list;
      },
      read(p) {
        const have = files.get(p);
        if (have) return Promise.resolve(have);
        if (!pathSet.has(p)) return Promise.resolve(undefined);
        let pr = extra.get(p);
        if (!pr) {
          pr = ctx.readBytes(p).then((b) => {
            if (b === undefined) return undefined;
            const k = kept.get(p);
            if (k?.bytes === b && k.file) return k.file;
            const f = loadSourceFile(p, b);
            if (k?.bytes === b) k.file = f;
            return f;
          });
          extra.set(p, pr);
        }
        return pr;
      },
      readBytes(p) {
        if (!pathSet.has(p)) return Promise.resolve(undefined);
        let pr = bytesCache.get(p);
        if (!pr) {
          const k = kept.get(p);
          if (k) pr = Promise.resolve(k.bytes);
          else {
            pr = view.readFile(p);
            // Failed reads are not kept: the next scan tries again (and reports it again).
            pr.then((b) => b !== undefined && kept.set(p, { bytes: b }), () => undefined);
          }
          bytesCache.set(p, pr);
        }
        return pr;
      },
      config,
      settings: {
        ...DEFAULT_SETTINGS,
        ...(config.cooldown ? { cooldownDays: config.cooldown['minimum-days'] } : {}),
        ...options.settings,
      },
      facts: options.facts,
      factsUnavailable: options.factsUnavailable,
      actions: options.actions,
      actionsUnavailable: options.actionsUnavailable,
    };

    // Incremental scans reuse the last full scan's picture of unreadable files that did not change.
    if (incremental) for (const [p, v] of this.lastReadFailures) if (!changed.has(p) && !readFailures.has(p)) readFailures.set(p, v);
    this.lastReadFailures = readFailures;
    const blindDirs = (listProblems?.unreadableDirs ?? []).filter((d) => coversGithub(d.path));
    const results: CheckResult[] = [];
    const changedList = options.changed ?? [];
    for (const check of this.checks) {
      const id = check.meta.id;
      const memo = this.memos.get(id);
      if (keep && memo && memo.result.status !== 'error' && !memo.inputs.touchedBy(changedList, kindOf)) {
        results.push(copyResult(memo.result));
        continue;
      }
      const seen = new Map<string, string>();
      const inputs = memo?.inputs ?? new Inputs();
      const checkCtx = new CheckContext(ctx, seen, readFailures, blindDirs, sniffRaw, inputs);
      let r = await this.runCheck(check, checkCtx, zizmor, options, !!snapshot.partial);
      if (seen.size) r = unseenOutcome(r, seen);
      results.push(r);
      // Kept as a copy: front-ends may edit the results they are given (a reason, a flag).
      this.memos.set(id, { result: copyResult(r), inputs });
    }
    const findings = results.flatMap((r) => r.findings);
    this.lastRun = { key: runKey, facts: options.facts, actions: options.actions, config, zizmor };
    return {
      name: snapshot.name,
      root: snapshot.root,
      results,
      findings,
      config,
      files,
      stats: { paths: paths.length, loaded: files.size, ms: nowMs() - t0 },
      notes,
    };
  }

  private async runCheck(check: Check, ctx: RepoContext, zizmor: ZizmorConfig | undefined, options: ScanOptions, partial: boolean): Promise<CheckResult> {
    const meta = check.meta;
    const disabled = ruleDisabled(meta, ctx.config, zizmor);
    if (disabled) {
      const where = disabled === 'steward-config' ? '.github/steward.yml' : "the project's zizmor configuration";
      return { checkId: meta.id, status: 'not-applicable', reason: `Turned off in ${where}`, findings: [], suppressed: 0 };
    }
    if (options.only && !options.only.includes(meta.id)) {
      return { checkId: meta.id, status: 'not-applicable', reason: 'Not selected for this run', findings: [], suppressed: 0 };
    }
    try {
      let findings: Finding[] = [];
      let applicableFiles = 0;
      // A check with no repository part: its findings are finished file by file (and kept so per file).
      let fin: Finisher | undefined;
      // With a repository part: which of the findings it is handed are copies of which cached ones.
      let handed: Map<Finding, Handed> | undefined;
      if (check.checkFile && check.fileKinds) {
        const cache = this.fileCacheOf(meta.id);
        if (!check.checkRepo) fin = this.finisher(meta, ctx, zizmor);
        else handed = new Map();
        for (const kind of check.fileKinds) {
          for (const file of ctx.byKind(kind)) {
            applicableFiles++;
            if (meta.id !== 'unparseable-file' && notChecked(file)) ctx.unseen?.(file.path, file.problem!);
            this.fileFindings(check, cache, file, ctx, findings, fin, handed);
          }
        }
      }
      let status: CheckResult['status'];
      let reason: string;
      if (partial && !check.checkFile) {
        return { checkId: meta.id, status: 'not-applicable', reason: 'Repository-level check: scan the whole repository to see it', findings: [], suppressed: 0 };
      }
      if (check.checkRepo && !partial) {
        const out = await check.checkRepo(ctx, findings);
        findings = out.findings;
        status = out.status;
        reason = out.reason;
      } else if (applicableFiles === 0) {
        status = 'not-applicable';
        reason = check.notApplicableReason ?? 'Nothing to check in this repository';
      } else {
        status = findings.length ? 'fail' : 'pass';
        reason = '';
      }
      return this.finish(meta, ctx, zizmor, findings, status, reason, applicableFiles, fin !== undefined, handed);
    } catch (e) {
      const msg = e instanceof Error ? e.message : String(e);
      return { checkId: meta.id, status: 'error', reason: `The check failed: ${msg}`, findings: [], suppressed: 0, error: e instanceof Error && e.stack ? e.stack : msg };
    }
  }

  /** The findings of `file` (copies: finish edits them) pushed onto `out`; checked again only when its text changed. */
  private fileFindings(check: Check, cache: Map<string, FileCacheEntry>, file: SourceFile, ctx: RepoContext, out: Finding[], fin?: Finisher, handed?: Map<Finding, Handed>): void {
    if (check.meta.id !== 'unparseable-file' && !isUsable(file)) return;
    let entry = cache.get(file.path);
    if (!entry || entry.text !== file.text || file.problem) {
      entry = { text: file.text, findings: check.checkFile!(file, ctx) };
      cache.set(file.path, entry);
    }
    const found = entry.findings;
    if (!fin) {
      if (handed && !file.problem) {
        for (let k = 0; k < found.length; k++) {
          const c = cloneFinding(found[k]);
          handed.set(c, { entry, index: k, path: file.path });
          out.push(c);
        }
      } else for (const f of found) out.push(cloneFinding(f));
      return;
    }
    if (found.length === 0) return;
    // Finished before under the same configuration: the same text gives the same finished findings.
    const done = entry.done;
    if (done && done.config === fin.config && done.zizmor === fin.zizmor) {
      fin.rests?.(file.path);
      for (const f of done.findings) out.push(Object.assign({}, f));
      return;
    }
    let local = !file.problem;
    for (const f of found) if (local && !restsOnlyOn(f, file.path)) local = false;
    const list = found.map(cloneFinding);
    for (const f of list) {
      fin.one(f);
      out.push(f);
    }
    entry.done = local ? { config: fin.config, zizmor: fin.zizmor, findings: list.map((f) => Object.assign({}, f)) } : undefined;
  }

  /** Per check, per path (two levels: a combined string key per lookup cost more than the lookups). */
  private fileCacheOf(id: string): Map<string, FileCacheEntry> {
    let cache = this.fileCache.get(id);
    if (!cache) {
      cache = new Map();
      this.fileCache.set(id, cache);
    }
    return cache;
  }


  /** finish()'s per-finding work for one check run: the severity override, test-data and generated-file marks, suppression. */
  private finisher(meta: CheckMeta, ctx: RepoContext & { rests?(path: string): void }, zizmor: ZizmorConfig | undefined): Finisher {
    return new CheckFinisher(meta, ctx, zizmor, this.generated);
  }

  /** The check's result from its findings; `done`: finished already (Finisher.one), else finished here. */
  private finish(
    meta: CheckMeta,
    ctx: RepoContext & { rests?(path: string): void },
    zizmor: ZizmorConfig | undefined,
    findings: Finding[],
    status: CheckResult['status'],
    reason: string,
    applicableFiles: number,
    done = false,
    handed?: Map<Finding, Handed>,
  ): CheckResult {
    const suppressedBy: NonNullable<CheckResult['suppressedBy']> = {};
    let suppressed = 0;
    const fin = done ? undefined : this.finisher(meta, ctx, zizmor);
    for (const f of findings) {
      if (fin) {
        // Only what this finish marks counts (a finding handed in already marked is not counted again).
        const had = f.suppressed;
        const h = handed?.get(f);
        if (h) {
          // A cached finding the repository part passed through unchanged: finished as before when it
          // rests on its file alone (restsOnlyOn), the same text and configuration giving the same answer.
          const p = h.entry.findings[h.index];
          let rd = h.entry.repoDone;
          if (rd && (rd.config !== fin.config || rd.zizmor !== fin.zizmor)) rd = h.entry.repoDone = undefined;
          const kept = rd?.findings[h.index];
          if (kept && unchangedCopy(f, p)) {
            fin.rests?.(h.path);
            if (kept !== AS_HANDED) Object.assign(f, kept);
          } else {
            const same = unchangedCopy(f, p) && restsOnlyOn(p, h.path);
            fin.one(f);
            if (same) {
              if (!rd) rd = h.entry.repoDone = { config: fin.config, zizmor: fin.zizmor, findings: [] };
              rd.findings[h.index] = unchangedCopy(f, p) ? AS_HANDED : Object.assign({}, f);
            }
          }
        } else fin.one(f);
        if (f.suppressed === had) continue;
      }
      const s = f.suppressed;
      if (s) {
        suppressed++;
        suppressedBy[s.by] = (suppressedBy[s.by] ?? 0) + 1;
      }
    }
    const active = findings.filter((f) => !f.suppressed);
    if (status === 'fail' && active.length === 0 && findings.length > 0) {
      status = 'pass';
      reason = `${suppressed} finding${suppressed === 1 ? '' : 's'} suppressed by the project's own triage`;
    }
    if (!reason) reason = defaultReason(status, active, applicableFiles);
    findings.sort(compareFindings);
    return { checkId: meta.id, status, reason, findings, suppressed, ...(suppressed ? { suppressedBy } : {}) };
  }
}

/** Files the checks skip because they could not be read or are over a size limit (not parse errors). */
function notChecked(file: SourceFile): boolean {
  return !!file.problem && /^(?:is too large|cannot be read|is a symbolic link|is inside a folder)/.test(file.problem);
}

/** True for a folder whose contents include (or may include) `.github/`: the root, `.github` and below. */
function coversGithub(dir: string): boolean {
  return dir === '' || dir === '.github' || dir.startsWith('.github/');
}

function scanNotes(lp: ListProblems | undefined): ScanNote[] {
  if (!lp) return [];
  const notes: ScanNote[] = [];
  if (lp.capped) {
    notes.push({
      code: 'walk-capped',
      message:
        `The repository has more files than the walk's limit of ${lp.capped.limit.toLocaleString('en-US')}: ` +
        `${lp.capped.listed.toLocaleString('en-US')} were listed (.github/, root files and dependency manifests first); ` +
        'checks that look at every file did not see the rest',
    });
  }
  for (const d of lp.unreadableDirs.slice(0, 20)) {
    notes.push({ code: 'unreadable-folder', path: d.path, message: `The folder ${d.path || '(repository root)'} ${d.problem}: nothing in it was checked` });
  }
  if (lp.unreadableDirs.length > 20) {
    notes.push({ code: 'unreadable-folder', message: `${lp.unreadableDirs.length - 20} more folders could not be read: nothing in them was checked` });
  }
  return notes;
}

/**
 * The context one check runs with: it records every file the check wanted but could not have (a read
 * error, a file over a limit, a `.github` folder that could not be listed), so the check's verdict is
 * not taken for a fact about files it never saw.
 * A class, not an object spread of the scan's context: one is made per check per scan, and the spread
 * (every field and closure again) was a third of a millisecond of every re-check.
 */
class CheckContext implements RepoContext {
  readonly paths: readonly string[];
  readonly pathSet?: ReadonlySet<string>;
  readonly files: TrackedFiles;
  readonly config: StewardConfig;
  readonly settings: ScanSettings;
  readonly facts?: RepoFacts;
  readonly factsUnavailable?: string;
  readonly actionsUnavailable?: string;
  private readonly lookup?: ActionLookup;
  private tracked?: RepoSnapshot;

  constructor(
    private readonly base: RepoContext,
    private readonly seen: Map<string, string>,
    private readonly readFailures: ReadonlyMap<string, { kind: FileKind; problem: string }>,
    private readonly blindDirs: readonly { path: string; problem: string }[],
    private readonly sniffRaw: SniffRaw,
    private readonly inputs: Inputs,
  ) {
    this.paths = base.paths;
    this.pathSet = base.pathSet;
    this.files = new TrackedFiles(base.files, inputs);
    this.config = base.config;
    this.settings = base.settings;
    this.facts = base.facts;
    this.factsUnavailable = base.factsUnavailable;
    this.actionsUnavailable = base.actionsUnavailable;
    this.lookup = base.actions;
  }

  /** Made on first use: most checks never look at the snapshot. */
  get snapshot(): RepoSnapshot {
    return (this.tracked ??= trackedSnapshot(this, this.base.snapshot, this.inputs));
  }

  get actions(): ActionLookup | undefined {
    if (this.lookup) this.inputs.online = true;
    return this.lookup;
  }

  /** Records a file the result rests on (finish: a finding's file, the files its fixes edit). */
  readonly rests = (p: string): void => {
    this.inputs.paths.add(p);
  };

  readonly unseen = (p: string, problem: string): void => {
    if (!this.seen.has(p)) this.seen.set(p, problem);
  };

  private blind(): void {
    for (const d of this.blindDirs) this.unseen(d.path || '.', d.problem);
  }

  /** `p` could not be had: say why, when something knows. */
  failed(p: string): void {
    const snap = this.base.snapshot;
    const f = this.readFailures.get(p) ?? (snap.readError?.(p) ? { problem: snap.readError(p)! } : undefined);
    if (f) this.unseen(p, f.problem);
    else if (this.blindDirs.length && (p.startsWith('.github/') || !p.includes('/'))) this.blind();
  }

  byKind(kind: FileKind): SourceFile[] {
    this.inputs.kinds.add(kind);
    // Unreadable files of non-YAML kinds are not in the list (there is no text to show); the check
    // would take their absence for a fact, so they count as unseen.
    if (!YAML_KINDS.has(kind)) for (const [p, f] of this.readFailures) if (f.kind === kind) this.unseen(p, f.problem);
    this.blind();
    return this.base.byKind(kind);
  }

  async read(p: string): Promise<SourceFile | undefined> {
    this.inputs.paths.add(p);
    const r = await this.base.read(p);
    if (r === undefined) this.failed(p);
    return r;
  }

  async readBytes(p: string): Promise<Uint8Array | undefined> {
    this.inputs.paths.add(p);
    const r = await this.base.readBytes(p);
    if (r === undefined) this.failed(p);
    return r;
  }

  async sniff<T>(p: string, key: string, compute: (head: Uint8Array | undefined) => T): Promise<T> {
    this.inputs.paths.add(p);
    const r = await this.sniffRaw(p, key, compute);
    if (!r.read) this.failed(p);
    return r.value;
  }
}

/** The snapshot as one check sees it: reads are its inputs, and a read that fails is a file it did not see. */
function trackedSnapshot(ctx: CheckContext, snap: RepoSnapshot, inputs: Inputs): RepoSnapshot {
  const readError = snap.readError;
  return {
    name: snap.name,
    root: snap.root,
    partial: snap.partial,
    kindOf: snap.kindOf,
    listFiles: () => {
      inputs.all = true;
      return snap.listFiles();
    },
    readError: readError && ((p) => (inputs.paths.add(p), readError.call(snap, p))),
    readFile: async (p) => {
      inputs.paths.add(p);
      let b: Uint8Array | undefined;
      try {
        b = await snap.readFile(p);
      } catch (e) {
        // A snapshot that throws (workspace.fs, EACCES) is a file the check could not see, not a crash.
        ctx.unseen(p, readFailure(e));
        return undefined;
      }
      if (b === undefined) ctx.failed(p);
      return b;
    },
  };
}

/** The loaded files as one check sees them: every lookup is one of the check's inputs, a walk over all of them makes everything one. */
class TrackedFiles implements ReadonlyMap<string, SourceFile> {
  constructor(
    private readonly files: ReadonlyMap<string, SourceFile>,
    private readonly inputs: Inputs,
  ) {}
  get(p: string): SourceFile | undefined {
    this.inputs.paths.add(p);
    return this.files.get(p);
  }
  has(p: string): boolean {
    this.inputs.paths.add(p);
    return this.files.has(p);
  }
  private whole(): ReadonlyMap<string, SourceFile> {
    this.inputs.loaded = true;
    return this.files;
  }
  get size(): number {
    return this.whole().size;
  }
  forEach(fn: (value: SourceFile, key: string, map: ReadonlyMap<string, SourceFile>) => void, thisArg?: unknown): void {
    this.whole().forEach((v, k) => fn.call(thisArg, v, k, this));
  }
  entries(): MapIterator<[string, SourceFile]> {
    return this.whole().entries();
  }
  keys(): MapIterator<string> {
    return this.whole().keys();
  }
  values(): MapIterator<SourceFile> {
    return this.whole().values();
  }
  [Symbol.iterator](): MapIterator<[string, SourceFile]> {
    return this.whole()[Symbol.iterator]();
  }
}

/**
 * A check's result when it could not see some files it wanted. Findings about those files, or whose
 * fixes would write them, or about the repository as a whole (a "missing" verdict) are dropped: they
 * would rest on a file Steward never read (an unreadable SECURITY.md is not a missing one). The rest
 * stay; with none left the status is `error`, naming what could not be read.
 */
function unseenOutcome(r: CheckResult, seen: ReadonlyMap<string, string>): CheckResult {
  if (r.status === 'not-applicable' && /^(Turned off|Not selected|Repository-level check)/.test(r.reason)) return r;
  if (r.status === 'error') return r;
  const touches = (f: Finding) =>
    !f.location || seen.has(f.location.file) || f.fixes.some((x) => x.edits.some((e) => seen.has(e.file)));
  const findings = r.findings.filter((f) => !touches(f));
  const [first, problem] = [...seen][0];
  const what = `${first === '.' ? 'The repository root' : first} ${problem}`;
  const more = seen.size > 1 ? ` (and ${seen.size - 1} more)` : '';
  const active = findings.filter((f) => !f.suppressed);
  if (active.length) {
    return { ...r, findings, status: 'fail', reason: `${r.reason}; not checked: ${what}${more}` };
  }
  const suppressed = findings.length;
  // Over a limit: Steward refused the work (error). Unreadable: someone with access can see it (unknown).
  const status = [...seen.values()].some((p) => p.startsWith('is too large')) ? 'error' : 'unknown';
  return { checkId: r.checkId, status, reason: `Could not check everything: ${what}${more}`, findings, suppressed, ...(suppressed && r.suppressedBy ? { suppressedBy: r.suppressedBy } : {}) };
}

function defaultReason(status: CheckResult['status'], active: Finding[], applicableFiles: number): string {
  if (status === 'pass') return `No problems in ${applicableFiles} file${applicableFiles === 1 ? '' : 's'}`;
  if (status === 'fail') {
    const files = new Set(active.map((f) => f.location?.file ?? '')).size;
    if (active.length === 1) return active[0].message;
    return `${active.length} findings in ${files} file${files === 1 ? '' : 's'}`;
  }
  return '';
}

export function compareFindings(a: Finding, b: Finding): number {
  const fa = a.location?.file ?? '';
  const fb = b.location?.file ?? '';
  if (fa !== fb) return fa < fb ? -1 : 1;
  const la = a.location?.start.line ?? 0;
  const lb = b.location?.start.line ?? 0;
  if (la !== lb) return la - lb;
  return (a.location?.start.column ?? 0) - (b.location?.start.column ?? 0);
}

export function atOrAbove(f: Finding, min: Severity): boolean {
  return severityRank(f.severity) >= severityRank(min);
}

export { ConfigError };
