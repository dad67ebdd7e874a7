// The plain-data model every front-end maps from. Nothing here may hold functions or parser nodes:
// findings cross process boundaries (CLI JSON, SARIF, PR text) and must serialize as they are.

export const SEVERITIES = ['info', 'low', 'medium', 'high', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];

export const CONFIDENCES = ['low', 'medium', 'high'] as const;
export type Confidence = (typeof CONFIDENCES)[number];

export const STATUSES = ['pass', 'fail', 'unknown', 'not-applicable', 'error'] as const;
export type CheckStatus = (typeof STATUSES)[number];

export const CATEGORIES = ['reporting', 'workflows', 'dependencies', 'releases', 'settings'] as const;
export type Category = (typeof CATEGORIES)[number];

export const CATEGORY_TITLES: Record<Category, string> = {
  reporting: 'Reporting & policy',
  workflows: 'Workflows',
  dependencies: 'Dependencies & updates',
  releases: 'Releases & publishing',
  settings: 'Repository settings',
};

export function severityRank(s: Severity): number {
  return SEVERITIES.indexOf(s);
}

export function isSeverity(s: string): s is Severity {
  return (SEVERITIES as readonly string[]).includes(s);
}

/** 1-based line and column, as editors and SARIF show them. Column counts UTF-16 code units. */
export interface Position {
  line: number;
  column: number;
}

export interface Location {
  /** Repository-relative path with forward slashes. */
  file: string;
  start: Position;
  end: Position;
}

export interface RelatedLocation extends Location {
  message: string;
}

/**
 * One replacement in one file, by character offsets into the file's original text (as read, after BOM
 * removal). `start === end` inserts. A fix that creates a file uses `create: true` with start = end = 0.
 */
export interface TextEdit {
  file: string;
  start: number;
  end: number;
  newText: string;
  create?: boolean;
}

/** Evidence a fix carries for reviewers (shown in hovers and PR text), e.g. how a SHA was resolved. */
export interface Evidence {
  kind: string;
  summary: string;
  details?: Record<string, string>;
  links?: { title: string; url: string }[];
}

/**
 * A fix whose edits need something the offline core does not have (e.g. resolving a tag to a SHA over
 * the network). `provider` names a DeferredFixProvider; `data` is what the check knew when it reported.
 */
export interface DeferredFix {
  provider: string;
  data: Record<string, unknown>;
}

export interface Fix {
  title: string;
  /**
   * The one place fix safety lives. Safe = Steward can show the automation does what it did before,
   * except for the hazard removed; everything else is a review fix. Every front-end (CLI `fix`, `Fix…`,
   * quick fixes, the contribution flow) reads it through `isSafeFix`/`reviewReasonOf` below and
   * preselects only safe fixes.
   */
  safe: boolean;
  /**
   * Why a review fix (`safe: false`) needs a person, in plain words a maintainer understands, one
   * sentence ("Steward cannot see what `./scripts/release.py` does with the token"). Shown in the diff
   * preview, the CLI summary and the PR text. Read it with `reviewReasonOf`, which falls back to
   * `caveat` for fixes that only set that.
   */
  reviewReason?: string;
  edits: TextEdit[];
  deferred?: DeferredFix;
  /** What a reviewer should know even when the fix is safe (what could break, what starts happening). */
  caveat?: string;
  evidence?: Evidence[];
}

/** Review fixes say why; a check that gave no reason still gets a sentence rather than nothing. */
export const DEFAULT_REVIEW_REASON = 'Steward cannot show that the automation does what it did before; read the change before applying it.';

/** Whether a fix may be applied or preselected without a person reading it. */
export function isSafeFix(fix: Pick<Fix, 'safe'>): boolean {
  return fix.safe === true;
}

/** The reason a review fix needs a person (undefined for a safe fix). */
export function reviewReasonOf(fix: Pick<Fix, 'safe' | 'reviewReason' | 'caveat'>): string | undefined {
  if (isSafeFix(fix)) return undefined;
  return fix.reviewReason?.trim() || fix.caveat?.trim() || DEFAULT_REVIEW_REASON;
}

export interface Finding {
  ruleId: string;
  message: string;
  severity: Severity;
  confidence: Confidence;
  /** Absent for repository-level facts (e.g. "no SECURITY.md"). */
  location?: Location;
  related?: RelatedLocation[];
  fixes: Fix[];
  /** Sub-items shown under the finding, e.g. the SECURITY.md rubric parts that are missing. */
  details?: string[];
  /**
   * The zizmor audit this finding corresponds to, for a rule that maps to several (secrets-exposure:
   * secrets-inherit, overprovisioned-secrets, unredacted-secrets): a project's zizmor configuration
   * then disables or ignores just that kind. Absent: every audit of the rule applies.
   */
  zizmorAudit?: string;
  /** Set when a suppression matched; suppressed findings are kept for counts but not shown by default. */
  suppressed?: { by: 'steward-comment' | 'steward-config' | 'zizmor-comment' | 'zizmor-config'; where?: string };
}

export interface CheckResult {
  checkId: string;
  status: CheckStatus;
  /** One line a person can read in the tree: why this status. */
  reason: string;
  findings: Finding[];
  /** Number of findings suppressed, by source. */
  suppressed: number;
  suppressedBy?: Partial<Record<NonNullable<Finding['suppressed']>['by'], number>>;
  error?: string;
}

export interface References {
  zizmor?: string | string[];
  scorecard?: string;
  osps?: string[];
  other?: { title: string; url: string }[];
}

export interface CheckDocs {
  summary: string;
  /** For a maintainer who is not a security expert. */
  whyItMatters: string;
  howToFix: string;
  effort: 'minutes' | 'an hour' | 'a day' | 'needs a maintainer';
  /** Whether the fix is safe to apply blindly, and what to look at otherwise. */
  fixSafety: string;
}

export interface CheckMeta {
  /** kebab-case, names the hazard, never changes. */
  id: string;
  title: string;
  category: Category;
  severity: Severity;
  confidence: Confidence;
  fixable: boolean;
  /** Part of the ~10 essentials of good-enough security. */
  essential?: boolean;
  /** Needs repository facts from the GitHub API; offline the status is 'unknown'. */
  online?: boolean;
  docs: CheckDocs;
  references: References;
}

export function emptyResult(checkId: string, status: CheckStatus, reason: string): CheckResult {
  return { checkId, status, reason, findings: [], suppressed: 0 };
}
