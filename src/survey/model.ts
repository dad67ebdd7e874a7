// Plain data shared by the survey's readers, registries, fetcher, ranking and reports. Nothing here
// touches the network or the disk.

export const ECOSYSTEMS = ['npm', 'pypi', 'cargo', 'go', 'actions'] as const;
export type Ecosystem = (typeof ECOSYSTEMS)[number];

/** A package as a lockfile names it. */
export interface PackageId {
  ecosystem: Ecosystem;
  name: string;
  /** Resolved version (or the action's ref); '' when the manifest pins none. */
  version: string;
}

export function packageKey(p: { ecosystem: Ecosystem; name: string }): string {
  return `${p.ecosystem}:${p.name}`;
}

/** One dependency of the surveyed project, merged over every lockfile that lists it. */
export interface Dependency extends PackageId {
  /** Every version seen (a package can be locked at several). */
  versions: string[];
  /** Listed by the project itself (a manifest's own dependencies, a workflow's `uses:`). */
  direct: boolean;
  /** Fewest edges from the project (1 = direct). */
  depth: number;
  /** How many dependency paths lead from the project to it, summed over lockfiles, capped at PATHS_CAP. */
  paths: number;
  /** Lockfiles and manifests (project-relative) that list it. */
  sources: string[];
}

/** Path counts stop growing here: enough to rank by, and the count stays a small exact integer. */
export const PATHS_CAP = 1_000_000;

/** A lockfile or manifest that could not be read completely: reported with the survey, never fatal. */
export interface ReadProblem {
  file: string;
  message: string;
}

/** A GitHub repository as owner/repo (lower-cased key for grouping, original spelling for display). */
export interface RepoRef {
  host: string;
  owner: string;
  repo: string;
  /** Sub-folder of a monorepo the package lives in, when the registry says. */
  directory?: string;
}

export function repoKey(r: Pick<RepoRef, 'host' | 'owner' | 'repo'>): string {
  return `${r.host}/${r.owner}/${r.repo}`.toLowerCase();
}
