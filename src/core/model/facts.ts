// Facts about the repository that only the GitHub API knows. Gathered by src/github (online, optional)
// and handed to the engine; the core never fetches them itself. Each fact is either known, or unknown
// with the reason (so checks can say "unknown — only a maintainer can see this" instead of failing).

export type Fact<T> = { known: true; value: T } | { known: false; reason: string; maintainerOnly?: boolean };

export interface BranchRuleSummary {
  type: string;
  /** Which ruleset or protection it came from, when the API says. */
  source?: string;
}

export interface RepoFacts {
  owner: string;
  repo: string;
  htmlUrl: string;
  defaultBranch?: string;
  visibility?: 'public' | 'private' | 'internal';
  archived: Fact<boolean>;
  /** The signed-in user's permission on the repository. */
  viewerPermission: Fact<'admin' | 'maintain' | 'write' | 'triage' | 'read' | 'none'>;
  licenseSpdx: Fact<string | null>;
  privateVulnerabilityReporting: Fact<boolean>;
  defaultBranchRules: Fact<BranchRuleSummary[]>;
  /** Classic branch protection on the default branch (the `protected` flag of GET /repos/{o}/{r}/branches/{b}). */
  defaultBranchProtected?: Fact<boolean>;
  latestRelease?: Fact<{ tag: string; publishedAt: string } | null>;
  /**
   * The security policy of the owner's `.github` repository, which GitHub shows for every repository
   * of that owner without its own SECURITY.md (null when there is none).
   */
  ownerSecurityPolicy?: Fact<OwnerPolicy | null>;
}

export interface OwnerPolicy {
  /** `<owner>/.github` */
  repo: string;
  /** Path inside that repository (`SECURITY.md`, `.github/SECURITY.md`, `docs/SECURITY.md`). */
  path: string;
  text: string;
}
