import { parseYaml } from '../../yaml/parse';

// GitHub's workflow dependency lockfile, `.github/workflows/actions.lock`, written by the `gh actions-lock`
// CLI extension (github/gh-actions-lock). For a workflow it lists (an "onboarded" workflow), GitHub
// Actions requires every action dependency to be in the file and runs the recorded commit, even when
// the tag or branch in `uses:` has moved since. The format as that tool writes it (version 'v0.0.2'):
//
//   version: 'v0.0.2'
//   workflows:
//     '.github/workflows/ci.yml':
//       - 'actions/checkout@v6.0.2'
//   dependencies:
//     'actions/checkout@v6.0.2':
//       ref: 'v6.0.2'
//       commit: 'sha1-de0fac2e4500dabe0009e67214ff5f5447ce83dd'
//       owner_id: 44036562
//       repo_id: 197814629
//
// The format is in preview and may change: anything that does not read as above counts as no lock.
// Reusable workflow calls (`jobs.<id>.uses`) are not pinned by the lockfile (GitHub's documentation), so
// only step-level `uses:` count as locked.

export const ACTIONS_LOCK_PATH = '.github/workflows/actions.lock';

export interface ActionsLock {
  /** Workflow path → the `uses:` values locked for it, each with its recorded commit. */
  locked: Map<string, Map<string, string>>;
}

const COMMIT = /^sha1-([0-9a-f]{40})$|^sha256-([0-9a-f]{64})$/;

export function parseActionsLock(text: string): ActionsLock | undefined {
  const y = parseYaml(ACTIONS_LOCK_PATH, text);
  if (y.errors.length || y.docs.length !== 1) return undefined;
  const data = y.docs[0].toJS() as unknown;
  if (!data || typeof data !== 'object') return undefined;
  const { workflows, dependencies } = data as { workflows?: unknown; dependencies?: unknown };
  if (!workflows || typeof workflows !== 'object' || !dependencies || typeof dependencies !== 'object') return undefined;
  const deps = dependencies as Record<string, unknown>;
  const locked = new Map<string, Map<string, string>>();
  for (const [wf, list] of Object.entries(workflows as Record<string, unknown>)) {
    if (!Array.isArray(list)) continue;
    const m = new Map<string, string>();
    for (const key of list) {
      if (typeof key !== 'string') continue;
      const d = deps[key] as { commit?: unknown } | undefined;
      const c = typeof d?.commit === 'string' ? COMMIT.exec(d.commit) : null;
      if (c) m.set(key, c[1] ?? c[2]);
    }
    locked.set(wf.replace(/^\.\//, ''), m);
  }
  return { locked };
}

/** The commit the lockfile runs for `uses` in workflow `file`, when it locks it. */
export function lockedCommit(lock: ActionsLock | undefined, file: string, uses: string): string | undefined {
  return lock?.locked.get(file)?.get(uses);
}
