import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

// Real git repositories for tests: built with the git CLI in a temp folder, with fixed dates so SHAs are
// stable across runs, then cloned bare under <root>/<owner>/<repo>.git for the test server to serve.

export function git(cwd: string, args: string[], env: Record<string, string> = {}): string {
  return execFileSync('git', ['-c', 'core.hooksPath=/dev/null', '-c', 'init.defaultBranch=main', '-c', 'tag.gpgSign=false', '-c', 'commit.gpgSign=false', ...args], {
    cwd,
    encoding: 'utf8',
    env: {
      PATH: process.env.PATH ?? '',
      HOME: cwd,
      GIT_CONFIG_NOSYSTEM: '1',
      GIT_AUTHOR_NAME: 'Fixture Author',
      GIT_AUTHOR_EMAIL: 'author@example.com',
      GIT_COMMITTER_NAME: 'Fixture Committer',
      GIT_COMMITTER_EMAIL: 'committer@example.com',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  }).trim();
}

export function tempDir(prefix = 'steward-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** A step of building a repository: commit (with a date), tag (lightweight or annotated), branch. */
export type RepoStep =
  | { commit: string; date: string; files?: Record<string, string> }
  | { tag: string; at: string; annotated?: boolean; date?: string }
  | { branch: string; at: string };

export interface FixtureRepo {
  owner: string;
  repo: string;
  bare: string;
  /** Commit SHAs by the label given in `commit`. */
  commits: Record<string, string>;
}

/** Builds `<root>/<owner>/<repo>.git` (bare) from steps; commits are labelled for later lookup. */
export function buildBareRepo(root: string, owner: string, repo: string, steps: RepoStep[]): FixtureRepo {
  const work = tempDir('steward-work-');
  git(work, ['init', '-q']);
  const commits: Record<string, string> = {};
  for (const s of steps) {
    if ('commit' in s) {
      for (const [f, text] of Object.entries(s.files ?? { 'action.yml': `name: ${repo}\n# ${s.commit}\nruns:\n  using: node20\n  main: index.js\n` })) {
        fs.mkdirSync(path.dirname(path.join(work, f)), { recursive: true });
        fs.writeFileSync(path.join(work, f), text);
      }
      git(work, ['add', '-A']);
      git(work, ['commit', '-q', '--allow-empty', '-m', s.commit], { GIT_AUTHOR_DATE: s.date, GIT_COMMITTER_DATE: s.date });
      commits[s.commit] = git(work, ['rev-parse', 'HEAD']);
    } else if ('tag' in s) {
      const at = commits[s.at] ?? s.at;
      if (s.annotated) git(work, ['tag', '-a', '-m', `Release ${s.tag}`, s.tag, at], { GIT_COMMITTER_DATE: s.date ?? '2024-01-01T00:00:00Z' });
      else git(work, ['tag', s.tag, at]);
    } else {
      git(work, ['branch', '-f', s.branch, commits[s.at] ?? s.at]);
    }
  }
  const bare = path.join(root, owner, `${repo}.git`);
  fs.mkdirSync(path.dirname(bare), { recursive: true });
  git(root, ['clone', '-q', '--bare', work, bare]);
  fs.rmSync(work, { recursive: true, force: true });
  return { owner, repo, bare, commits };
}

/**
 * The standard action repositories of the GitHub tests:
 * - actions/checkout: v4.1.0 (annotated) on c1; v4 (lightweight), v4.2 and v4.2.2 (annotated, 2024-10-23)
 *   on c2; main at c3; and a *branch* named v4 at c3 (Actions must pick the tag).
 * - actions/setup-node: v4 annotated, v4.0.4 lightweight, both on one commit (peeling annotated tags).
 * - octo/monorepo: actions in sub-folders, tag v1.0.0.
 */
export function standardActionRepos(root: string): Record<string, FixtureRepo> {
  const checkout = buildBareRepo(root, 'actions', 'checkout', [
    { commit: 'c1', date: '2024-01-10T10:00:00Z' },
    { tag: 'v4.1.0', at: 'c1', annotated: true, date: '2024-01-10T11:00:00Z' },
    { commit: 'c2', date: '2024-10-23T09:00:00Z' },
    { tag: 'v4', at: 'c2' },
    { tag: 'v4.2', at: 'c2' },
    { tag: 'v4.2.2', at: 'c2', annotated: true, date: '2024-10-23T10:30:00Z' },
    { commit: 'c3', date: '2025-02-01T09:00:00Z' },
    { branch: 'v4', at: 'c3' },
  ]);
  const setupNode = buildBareRepo(root, 'actions', 'setup-node', [
    { commit: 'n1', date: '2024-08-01T09:00:00Z' },
    { tag: 'v4', at: 'n1', annotated: true, date: '2024-08-01T10:00:00Z' },
    { tag: 'v4.0.4', at: 'n1' },
  ]);
  const mono = buildBareRepo(root, 'octo', 'monorepo', [
    { commit: 'm1', date: '2024-05-05T09:00:00Z', files: { 'lint/action.yml': 'name: lint\nruns:\n  using: composite\n  steps: []\n' } },
    { tag: 'v1.0.0', at: 'm1', annotated: true, date: '2024-05-05T10:00:00Z' },
    { tag: 'v1', at: 'm1' },
  ]);
  return { checkout, setupNode, mono };
}
