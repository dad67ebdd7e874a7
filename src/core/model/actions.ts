import type { Fact } from './facts';

// What the online action audits need to know about the actions a repository uses, behind one port.
// The core only calls this interface; src/github implements it (git ls-remote and the REST API, cached).
// Every answer is a Fact: an unknown answer carries the reason (offline, rate limit, not visible), so a
// check says "unknown" instead of passing or failing on something it could not see.

/** Branches and tags of an action's repository, as the repository itself advertises them. */
export interface ActionRefs {
  /** Tag name → the commit it resolves to (annotated tags peeled). */
  tags: Record<string, string>;
  /** Branch name → tip commit. */
  heads: Record<string, string>;
}

/** One vulnerable range of an advisory for an action (GitHub's advisory database, ecosystem `actions`). */
export interface ActionVulnerability {
  /** The action repository the range is about (`owner/repo`), as the advisory names it. */
  package: string;
  /** As GitHub writes it: `< 4.0.1`, `>= 1.0.0, < 1.2.3`, `= 2.0.0`, `<= 3.1`. */
  range: string;
  /** The first version without the problem, when there is one. */
  firstPatched?: string;
}

export interface ActionAdvisory {
  /** GHSA id. */
  id: string;
  cve?: string;
  summary: string;
  severity: 'low' | 'medium' | 'high' | 'critical' | 'unknown';
  url: string;
  vulnerabilities: ActionVulnerability[];
}

/** Whether `sha` is in the history of one of the named refs (compare API), and what was checked. */
export interface Containment {
  /** The first ref whose history contains the commit, or undefined when none of `checked` does. */
  containedIn?: string;
  /** Refs that were compared, in order. */
  checked: string[];
}

export interface ActionLookup {
  refs(owner: string, repo: string): Promise<Fact<ActionRefs>>;
  /** Every reviewed advisory of the `actions` ecosystem that names `owner/repo` (withdrawn ones left out). */
  advisories(owner: string, repo: string): Promise<Fact<ActionAdvisory[]>>;
  /** The action repository's own settings: archived, and its default branch. */
  repository(owner: string, repo: string): Promise<Fact<{ archived: boolean; defaultBranch: string }>>;
  /** Compares `sha` with each ref in turn (stopping at the first that contains it). */
  contains(owner: string, repo: string, sha: string, refs: readonly string[]): Promise<Fact<Containment>>;
  /** The release of a tag: null when the tag has no release. */
  release(owner: string, repo: string, tag: string): Promise<Fact<{ immutable: boolean } | null>>;
}

/** Why the action audits could not run ("online features are off (--offline)"), for status lines. */
export function lookupUnavailable(ctx: { actions?: ActionLookup; actionsUnavailable?: string; factsUnavailable?: string }): string | undefined {
  if (ctx.actions) return undefined;
  return ctx.actionsUnavailable ?? ctx.factsUnavailable ?? 'online features are off';
}
