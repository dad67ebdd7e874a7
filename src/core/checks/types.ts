import type { CheckMeta, CheckStatus, Finding } from '../model';
import type { RepoFacts } from '../model/facts';
import type { ActionLookup } from '../model/actions';
import type { FileKind } from '../repo/classify';
import type { RepoSnapshot } from '../repo/snapshot';
import type { LineIndex } from '../yaml/text';
import type { YamlFile } from '../yaml/parse';
import type { ActionModel, WorkflowModel } from '../yaml/workflow';
import type { StewardConfig } from '../config/schema';

/** A file loaded once per scan and shared by all checks. */
export interface SourceFile {
  path: string;
  kind: FileKind;
  size: number;
  text: string;
  lines: LineIndex;
  /** Why the content could not be read as text (binary, invalid UTF-8, too large), when so. */
  problem?: string;
  hadBom: boolean;
  /** Present for YAML kinds that parsed (possibly with errors). */
  yaml?: YamlFile;
  workflow?: WorkflowModel;
  action?: ActionModel;
}

export interface ScanSettings {
  /** Minimum Dependabot cooldown, days. */
  cooldownDays: number;
}

export const DEFAULT_SETTINGS: ScanSettings = { cooldownDays: 7 };

export interface RepoContext {
  snapshot: RepoSnapshot;
  /** Every path in the repository, sorted. */
  paths: readonly string[];
  /** Loaded files of the kinds the engine knows, by path. */
  files: ReadonlyMap<string, SourceFile>;
  byKind(kind: FileKind): SourceFile[];
  /** Loads any file on demand (cached for the scan); undefined when absent or unreadable. */
  read(path: string): Promise<SourceFile | undefined>;
  /** Raw bytes of a file (cached), for checks that look at magic numbers. */
  readBytes(path: string): Promise<Uint8Array | undefined>;
  /** `paths` as a set: one per scan, shared by every check (a 200,000-path set is not free). */
  pathSet?: ReadonlySet<string>;
  /**
   * `compute(head)` for a listed file, where `head` is its first HEAD_BYTES (64 KiB; undefined when the
   * file is absent or cannot be read), for checks that tell formats by their first bytes. Results are
   * kept across scans of the same snapshot while the file is unchanged: on an incremental scan, every
   * path not named as changed; on a full scan, a file whose size and modification time are the same
   * (when the snapshot can stat). `key` names the computation (use the check id); `compute` must depend
   * on the head bytes only. Failed reads are never kept.
   */
  sniff?<T>(path: string, key: string, compute: (head: Uint8Array | undefined) => T): Promise<T>;
  config: StewardConfig;
  settings: ScanSettings;
  /** GitHub facts, when online features ran; undefined offline. */
  facts?: RepoFacts;
  /** Why facts are missing, e.g. "offline" or "not signed in". */
  factsUnavailable?: string;
  /** Online lookups about the actions the repository uses (their tags, advisories, releases); undefined offline. */
  actions?: ActionLookup;
  /** Why `actions` is missing. */
  actionsUnavailable?: string;
  /**
   * Set by the engine: records a file the check wanted but could not see (unreadable, over a limit).
   * The check's result then says so instead of passing (see engine.ts unseenOutcome).
   */
  unseen?(path: string, problem: string): void;
}

export interface RepoOutcome {
  status: CheckStatus;
  reason: string;
  findings: Finding[];
}

/**
 * A check. File checks implement `checkFile` (run per file of `fileKinds`; results are cached per file
 * content, which is what makes re-checking on save cheap); repository checks implement `checkRepo`.
 * A check may do both: the repository part then also sees the file findings' count.
 */
export interface Check {
  meta: CheckMeta;
  fileKinds?: readonly FileKind[];
  checkFile?(file: SourceFile, ctx: RepoContext): Finding[];
  checkRepo?(ctx: RepoContext, fileFindings: readonly Finding[]): RepoOutcome | Promise<RepoOutcome>;
  /** Reason shown when no file of `fileKinds` exists. */
  notApplicableReason?: string;
}
