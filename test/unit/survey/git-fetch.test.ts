import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { resetGitHubServices } from '../../../src/cli/online';
import { RepoUnavailable, selectFiles } from '../../../src/survey/fetch';
import { GitFileFetcher, parseCatFileBatch } from '../../../src/survey/git-fetch';
import { buildBareRepo, git, tempDir } from '../../support/git-fixtures';
import { setUpScenario } from './scenario';
import { SurveyWorld } from './world';

// The survey's git path against real bare repositories on disk: a shallow, blob-less fetch of the tip
// and one fetch of the selected files' blobs. What is not selected never arrives (asserted in the
// scratch repository before it is removed), and a survey through git reports what the API path does.

const FILES: Record<string, string> = {
  '.github/workflows/ci.yml': 'on: push\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n',
  '.github/dependabot.yml': 'version: 2\nupdates: []\n',
  'SECURITY.md': '# Security\n',
  'package.json': '{"name":"x"}\n',
  'packages/a/package.json': '{"name":"a"}\n',
  'src/deep/code.js': 'module.exports = 1;\n',
  'docs/guide.md': '# Guide\n',
  'logo.png': 'not really a png\n',
};

function bareWith(root: string, owner: string, repo: string, files: Record<string, string>): string {
  const r = buildBareRepo(root, owner, repo, [
    { commit: 'old', date: '2024-01-01T00:00:00Z', files: { 'README.md': 'old\n' } },
    { commit: 'tip', date: '2024-02-01T00:00:00Z', files },
  ]);
  git(r.bare, ['config', 'uploadpack.allowFilter', 'true']);
  git(r.bare, ['config', 'uploadpack.allowAnySHA1InWant', 'true']);
  return r.bare;
}

describe('survey: files through a shallow, blob-filtered git fetch', function () {
  this.timeout(60_000);
  let root: string;
  beforeEach(() => (root = tempDir('steward-gitfetch-')));
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  it('fetches the tip without history, only the selected blobs, and removes its scratch repository', async () => {
    const bare = bareWith(root, 'o', 'r', FILES);
    const blobOf = (p: string) => git(bare, ['rev-parse', `main:${p}`]);
    let scratch = '';
    const seen: Record<string, boolean> = {};
    const fetcher = new GitFileFetcher({
      allowFile: true,
      inspect: async (dir) => {
        scratch = dir;
        const has = (sha: string) => {
          try {
            execFileSync('git', ['cat-file', '-e', sha], { env: { PATH: process.env.PATH ?? '', GIT_DIR: dir, GIT_NO_LAZY_FETCH: '1', GIT_CONFIG_NOSYSTEM: '1', HOME: root }, stdio: 'ignore' });
            return true;
          } catch {
            return false;
          }
        };
        for (const p of Object.keys(FILES)) seen[p] = has(blobOf(p));
        seen['history'] = has(git(bare, ['rev-parse', 'main~1']));
      },
    });
    const r = await fetcher.fetch(pathToFileURL(bare).href, 'main');
    assert.equal(r.commit, git(bare, ['rev-parse', 'main']));
    const picked = ['.github/dependabot.yml', '.github/workflows/ci.yml', 'SECURITY.md', 'package.json', 'packages/a/package.json'];
    assert.deepEqual(Object.keys(r.files).sort(), [...picked, 'README.md'].sort());
    assert.equal(Buffer.from(r.files['.github/workflows/ci.yml']).toString('utf8'), FILES['.github/workflows/ci.yml']);
    assert.deepEqual(r.rest.sort(), ['docs/guide.md', 'logo.png', 'src/deep/code.js']);
    assert.deepEqual([r.listed, r.fetched, r.truncated], [9, 6, false]);
    // The same selection as the API path (which also knows sizes), minus a binary no check reads.
    assert.deepEqual(selectFiles([...Object.keys(FILES), 'README.md'].map((p) => ({ path: p, size: 10 }))).filter((p) => p !== 'logo.png').sort(), Object.keys(r.files).sort());
    assert.deepEqual(seen, { ...Object.fromEntries(Object.keys(FILES).map((p) => [p, picked.includes(p)])), history: false });
    assert.ok(scratch && !fs.existsSync(scratch), 'the scratch repository is gone');
  });

  it('a repository that is not there is gone; a branch that is not there is empty; no network is one line', async () => {
    const fetcher = new GitFileFetcher({ allowFile: true });
    await assert.rejects(fetcher.fetch(pathToFileURL(path.join(root, 'nope.git')).href, 'main'), (e: RepoUnavailable) => e instanceof RepoUnavailable && e.state === 'gone');
    const bare = bareWith(root, 'o', 'r', { 'README.md': 'x\n' });
    await assert.rejects(fetcher.fetch(pathToFileURL(bare).href, 'trunk'), (e: RepoUnavailable) => e instanceof RepoUnavailable && e.state === 'empty');
    await assert.rejects(new GitFileFetcher().fetch('http://127.0.0.1:9/o/r.git', 'main'), /^GitHubNetworkError: cannot reach http:\/\/127\.0\.0\.1:9 \(offline\?\)$/);
  });

  it('parses cat-file --batch output, binary contents and missing objects included', () => {
    const a = 'a'.repeat(40);
    const b = 'b'.repeat(40);
    const out = Buffer.concat([Buffer.from(`${a} missing\n${b} blob 3\n`), Buffer.from([0, 10, 255]), Buffer.from('\n')]);
    const m = parseCatFileBatch(out, [a, b]);
    assert.deepEqual([...m.keys()], [b]);
    assert.deepEqual([...m.get(b)!], [0, 10, 255]);
  });

  it('`steward survey --fetch git` gives the report the API path gives, with no tree or blob request', async () => {
    const w = await SurveyWorld.start();
    try {
      await setUpScenario(w);
      for (const r of w.repos.values()) bareWith(w.github.gitRoot, r.owner, r.name, r.files);
      const args = ['survey', 'project', '--github-url', w.github.url, '--format', 'json'];
      const api = await w.cli([...args, '--results', 'api.jsonl']);
      assert.equal(api.code, 0, api.err);
      // A second CLI run: no memory of the first (its scans are cached by commit in memory and on disk).
      resetGitHubServices();
      w.github.resetCounts();
      const viaGit = await w.cli([...args, '--results', 'git.jsonl', '--fetch', 'git'], { STEWARD_CACHE_DIR: path.join(w.dir, 'cache-git') });
      assert.equal(viaGit.code, 0, viaGit.err);
      assert.equal(w.github.count(/\/git\/(trees|blobs)\//), 0);
      assert.ok(w.github.count(/^\/someone\/left-pad\.git\//) >= 2, 'two git conversations with left-pad');
      const view = (s: string) => {
        const j = JSON.parse(s) as { ranked: { key: string; why: string; first?: unknown }[]; healthy: { key: string }[]; unavailable: { key: string }[] };
        return { ranked: j.ranked.map((e) => [e.key, e.why, e.first]), healthy: j.healthy.map((e) => e.key), unavailable: j.unavailable.map((e) => e.key) };
      };
      assert.deepEqual(view(viaGit.out), view(api.out));
      const bad = await w.cli([...args, '--fetch', 'svn']);
      assert.deepEqual([bad.code, bad.err], [2, "steward: --fetch must be api or git (got 'svn')\n"]);
    } finally {
      await w.close();
    }
  });
});
