// Survey benchmark (not part of `npm test`): a local registry and GitHub on 127.0.0.1 with N synthetic
// repositories and registry entries (default 1,000), surveyed at several concurrency levels, each
// cold (empty cache) and warm (same cache, new results file). Prints repositories surveyed per second.
//   npx tsx scripts/bench-survey.ts [--repos N] [--latency MS] [--levels 1,4,16,32] [--fetch api|git]
// --fetch git serves every repository as a real bare repository over git's smart HTTP as well and
// fetches the files through git (shallow, blob-less, then the selected blobs) instead of the API.
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { createGitHubServices, JsonFileCache, LayeredCache } from '../src/github';
import { readProjectDependencies } from '../src/survey/dependencies';
import { gitRepoUrl } from '../src/github/urls';
import { RepoFetcher } from '../src/survey/fetch';
import { GitFileFetcher } from '../src/survey/git-fetch';
import { buildBareRepo, git } from '../test/support/git-fixtures';
import { NpmRegistry } from '../src/survey/registry/npm';
import { ActionsRepos } from '../src/survey/registry/go';
import { CachedRegistry } from '../src/survey/registry/port';
import { ResultsWriter } from '../src/survey/results';
import { runSurvey } from '../src/survey/run';
import { SurveyWorld, STRONG_WORKFLOW, WEAK_WORKFLOW, SECURITY_MD, DEPENDABOT } from '../test/unit/survey/world';

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { repos: { type: 'string', default: '1000' }, latency: { type: 'string', default: '5' }, levels: { type: 'string', default: '1,4,16,32' }, fetch: { type: 'string', default: 'api' } } });
  const viaGit = values.fetch === 'git';
  const count = Number(values.repos);
  const levels = values.levels!.split(',').map(Number);
  const w = await SurveyWorld.start();
  try {
    w.latencyMs = Number(values.latency);
    w.registry.latencyMs = Number(values.latency);
    const deps: Record<string, string> = {};
    const packages: Record<string, unknown> = {};
    for (let i = 0; i < count; i++) {
      const name = `pkg-${i}`;
      deps[name] = '^1.0.0';
      packages[`node_modules/${name}`] = { version: '1.0.0', ...(i > 0 ? { dependencies: { [`pkg-${Math.floor(i / 2)}`]: '^1.0.0' } } : {}) };
      w.registry.addNpm(name, { '1.0.0': { repository: { type: 'git', url: `git+https://github.com/owner${i % 97}/repo-${i}.git` } } });
      const weak = i % 3 !== 0;
      w.addRepo({
        owner: `owner${i % 97}`,
        name: `repo-${i}`,
        ownerType: i % 2 ? 'User' : 'Organization',
        files: weak
          ? { '.github/workflows/ci.yml': WEAK_WORKFLOW, 'package.json': `{"name":"${name}"}`, 'index.js': 'module.exports = 1;\n', 'README.md': `# ${name}\n` }
          : { '.github/workflows/ci.yml': STRONG_WORKFLOW, 'SECURITY.md': SECURITY_MD, '.github/dependabot.yml': DEPENDABOT, 'package.json': `{"name":"${name}"}`, LICENSE: 'MIT License\n' },
        release: i % 5 ? { tag: 'v1.0.0', publishedAt: '2024-01-01T00:00:00Z' } : null,
      });
    }
    if (viaGit) {
      const t = performance.now();
      for (const r of w.repos.values()) {
        const bare = buildBareRepo(w.github.gitRoot, r.owner, r.name, [{ commit: 'tip', date: '2025-01-01T00:00:00Z', files: r.files }]).bare;
        git(bare, ['config', 'uploadpack.allowFilter', 'true']);
        git(bare, ['config', 'uploadpack.allowAnySHA1InWant', 'true']);
      }
      console.log(`built ${w.repos.size} bare repositories in ${((performance.now() - t) / 1000).toFixed(1)} s`);
    }
    await w.put('package-lock.json', JSON.stringify({ name: 'bench', lockfileVersion: 3, packages: { '': { name: 'bench', dependencies: deps }, ...packages } }));
    const t0 = performance.now();
    const project = await readProjectDependencies(w.project);
    console.log(`read the lockfile: ${project.dependencies.length} packages in ${(performance.now() - t0).toFixed(0)} ms; GitHub and registry latency ${values.latency} ms per request`);
    console.log(`files through ${viaGit ? 'git (shallow, blob-less fetch + selected blobs)' : 'the API (tree + blobs)'}`);
    console.log('concurrency | cold repos/s | warm repos/s | cold requests (API+registry / git HTTP) | warm requests');
    for (const c of levels) {
      const cacheDir = await fs.mkdtemp(path.join(os.tmpdir(), 'steward-bench-cache-'));
      const row: string[] = [String(c).padStart(11)];
      const reqs: string[] = [];
      for (const phase of ['cold', 'warm']) {
        // Fresh services per run: the warm run shares only the disk cache, as a second process would.
        const cache = new LayeredCache(new JsonFileCache(cacheDir));
        const services = createGitHubServices({ url: w.github.url, cache, retryBaseMs: 1 });
        const results = path.join(cacheDir, `${phase}.jsonl`);
        const writer = await ResultsWriter.create(results, { kind: 'survey', version: 1, project: 'bench', steward: 'bench' }, true);
        const gitRequests = () => w.github.requests.filter((q) => /\.git\//.test(q.path)).length;
        const before = { all: w.github.requests.length + w.registry.requests.length, git: gitRequests() };
        const start = performance.now();
        const r = await runSurvey({
          project: 'bench',
          dependencies: project.dependencies,
          registries: { npm: new CachedRegistry(new NpmRegistry(w.registry.npmUrl, { retryDelayMs: 1 }), cache), actions: new ActionsRepos() },
          fetcher: new RepoFetcher(services.github, cache, 4, viaGit ? { fetcher: new GitFileFetcher(), urlFor: (m) => gitRepoUrl(services.endpoints, m.owner, m.repo) } : undefined),
          cache,
          writer,
          concurrency: c,
          registryConcurrency: Math.max(8, c),
        });
        const secs = (performance.now() - start) / 1000;
        if (!r.complete) throw new Error(`survey stopped: ${r.stopped}`);
        row.push(`${(r.repos.total / secs).toFixed(1).padStart(phase === 'cold' ? 12 : 12)}`);
        const gitMade = gitRequests() - before.git;
        reqs.push(`${w.github.requests.length + w.registry.requests.length - before.all - gitMade} / ${gitMade}`);
      }
      console.log(`${row.join(' | ')} | ${reqs[0].padStart(39)} | ${reqs[1].padStart(13)}`);
      await fs.rm(cacheDir, { recursive: true, force: true });
    }
  } finally {
    await w.close();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
