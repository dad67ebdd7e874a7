import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CHECKS } from '../src/core/checks';
import { Engine } from '../src/core/engine';
import { DiskSnapshot } from '../src/core/repo/disk';
import { createGitHubServices, type GitHubPort, type GitPort } from '../src/github';

// Requests the online action audits cost on a real repository, cold and warm (disk cache), without
// network: git and the REST API are counting stand-ins that answer like GitHub would for honest pins
// (every pinned SHA is some tag's commit), and the advisory database is given as `pages` pages.
// Usage: npx tsx scripts/measure-action-requests.ts [REPO_DIR...] [--advisory-pages N]

const args = process.argv.slice(2);
const pagesAt = args.indexOf('--advisory-pages');
const pages = pagesAt >= 0 ? Number(args[pagesAt + 1]) : 3;
const dirs = args.filter((a, i) => !a.startsWith('--') && !(pagesAt >= 0 && i === pagesAt + 1));
if (!dirs.length) dirs.push(path.join(__dirname, '..', 'test', 'fixtures', 'demo-repo'));

async function measure(dir: string, cacheDir: string): Promise<Record<string, number>> {
  const counts: Record<string, number> = { lsRemote: 0, advisories: 0, repository: 0, release: 0, compare: 0, other: 0 };
  const text = fs.readdirSync(path.join(dir, '.github', 'workflows'), { withFileTypes: true }).filter((e) => e.isFile()).map((e) => fs.readFileSync(path.join(dir, '.github', 'workflows', e.name), 'utf8')).join('\n');
  const shas = [...text.matchAll(/uses:\s*['"]?[\w.-]+\/[\w.-]+[^@\s]*@([0-9a-f]{40})/g)].map((m) => m[1]);
  const git: GitPort = {
    async lsRemote() {
      counts.lsRemote++;
      return [
        { name: 'refs/heads/main', sha: 'f'.repeat(40) },
        { name: 'refs/tags/v1', sha: 'e'.repeat(40) },
        ...shas.map((s, i) => ({ name: `refs/tags/v1.0.${i}`, sha: s })),
      ];
    },
  } as unknown as GitPort;
  const github = {
    endpoints: { host: 'github.com', web: 'https://github.com', api: 'https://api.github.com' },
    authenticated: false,
    async getRepo(owner: string, repo: string) {
      counts.repository++;
      return { owner, repo, htmlUrl: '', defaultBranch: 'main', private: false, archived: false, fork: false, licenseSpdx: null };
    },
    async advisoriesPage(q: { after?: string }) {
      counts.advisories++;
      const n = q.after ? Number(q.after) : 1;
      return { advisories: [], next: n < pages ? String(n + 1) : undefined };
    },
    async compareStatus() {
      counts.compare++;
      return 'behind' as const;
    },
    async releaseByTag(_o: string, _r: string, tag: string) {
      counts.release++;
      return { tag, immutable: false, draft: false, prerelease: false };
    },
    async request() {
      counts.other++;
      throw new Error('not used');
    },
  } as unknown as GitHubPort;
  const s = createGitHubServices({ git, github, cacheDir });
  const scan = await new Engine(CHECKS).scan(new DiskSnapshot(dir, path.basename(dir)), { actions: s.actions, factsUnavailable: 'not measured' });
  const online = ['known-vulnerable-actions', 'impostor-commit', 'stale-action-refs', 'ref-version-mismatch', 'archived-uses', 'unpinned-actions'];
  counts.findings = scan.findings.filter((f) => online.includes(f.ruleId)).length;
  return counts;
}

void (async () => {
  for (const dir of dirs) {
    const cache = fs.mkdtempSync(path.join(os.tmpdir(), 'steward-measure-'));
    try {
      const cold = await measure(dir, cache);
      const warm = await measure(dir, cache);
      console.log(`${path.basename(dir)}\n  cold ${JSON.stringify(cold)}\n  warm ${JSON.stringify(warm)}`);
    } finally {
      fs.rmSync(cache, { recursive: true, force: true });
    }
  }
})();
