import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, promises as fs } from 'node:fs';
import * as path from 'node:path';
import { rateLimited } from '../../support/github-server';
import { parseResults } from '../../../src/survey/results';
import { shardOf } from '../../../src/survey/run';
import { readProjectDependencies } from '../../../src/survey/dependencies';
import * as F from './fixtures';
import { setUpScenario } from './scenario';
import { SurveyWorld, WEAK_WORKFLOW } from './world';

interface Report {
  totals: Record<string, number>;
  ranked: { rank: number; key: string; score: number; paths: number; why: string; first?: { concern: string }; record: { ownerKind?: string; essentials?: { failing: { checkId: string }[] } } }[];
  healthy: { key: string }[];
  unavailable: { key: string; state: string; why: string }[];
  unresolved: { name: string; reason: string; paths: number }[];
  posture: { label: string; repos: number; paths: number }[];
}

const json = (s: string) => JSON.parse(s) as Report;

describe('steward survey (local registries and GitHub on 127.0.0.1)', function () {
  this.timeout(60_000);
  let w: SurveyWorld;
  beforeEach(async () => {
    w = await SurveyWorld.start();
    await setUpScenario(w);
  });
  afterEach(async () => {
    await w.close();
  });

  const survey = (...extra: string[]) => w.cli(['survey', 'project', '--github-url', w.github.url, '--format', 'json', ...extra]);

  it('ranks by need × reach, with a reason per rank; archived, gone and repository-less packages are reported', async () => {
    const r = await survey();
    assert.equal(r.code, 0, r.err);
    const rep = json(r.out);
    assert.deepEqual(rep.totals, { dependencies: 8, direct: 8, withRepo: 7, repos: 7, surveyed: 7, pending: 0, unresolved: 1 });
    assert.deepEqual(rep.ranked.map((e) => [e.rank, e.key, e.first?.concern]), [
      [1, 'github.com/someone/left-pad', 'token-permissions'],
      [2, 'github.com/serde-rs/serde', 'token-permissions'],
    ]);
    const top = rep.ranked[0];
    assert.equal(top.paths, 3, 'left-pad is reached directly and through old and vanished');
    assert.equal(top.record.ownerKind, 'User');
    assert.deepEqual(top.record.essentials!.failing.map((f) => f.checkId).sort(), ['excessive-permissions', 'missing-dependency-updates', 'missing-security-policy']);
    assert.equal(
      top.why,
      'fails 3 of 6 Essentials (Least-privilege workflow token, Dependencies kept up to date (Dependabot or Renovate), Security policy (SECURITY.md)); 4 fixable concerns; 3 dependency paths from 1 package, used directly; a personal account\'s project; last release 8 years ago',
    );
    assert.ok(rep.ranked[0].score > rep.ranked[1].score);
    assert.deepEqual(rep.unavailable.map((e) => [e.key, e.state]), [['github.com/o/old', 'archived'], ['github.com/o/vanished', 'gone']]);
    assert.match(rep.unavailable[1].why, /^the repository does not exist any more \(or is private\); 1 dependency path/);
    assert.deepEqual(rep.healthy.map((e) => e.key), ['github.com/actions/checkout', 'github.com/golang/sys', 'github.com/psf/requests']);
    assert.deepEqual(rep.unresolved.map((p) => [p.name, p.reason]), [['norepo', 'no repository in its npm metadata']]);
    assert.deepEqual(rep.posture.map((b) => [b.label, b.repos]), [
      ['All Essentials pass', 3],
      ['1 Essential fails', 1],
      ['2 Essentials fail', 0],
      ['3 or more fail', 1],
      ['Archived or gone', 2],
      ['Packages without a repository', 1],
    ]);
    assert.equal(w.treeRequests('o/old'), 0, 'an archived repository is not fetched');
  });

  it('the text table says the same in lines a person reads', async () => {
    const r = await w.cli(['survey', 'project', '--github-url', w.github.url]);
    assert.equal(r.code, 0, r.err);
    const lines = r.out.split('\n');
    assert.equal(lines[0], 'Survey of project: 8 dependencies (8 direct) from 7 repositories; 7 surveyed; 1 package without a repository');
    assert.match(lines[3], /^1\. someone\/left-pad · score \d+\.\d · Essentials 3 of 6 · 4 fixable · 3 paths$/);
    assert.equal(lines[5], '   first contribution: Restrict workflow token permissions (clone it, then `steward pr --concern token-permissions`)');
    assert.ok(lines.includes('  o/old: archived: it takes no pull requests (look for a maintained replacement); 1 dependency path from 1 package, used directly'));
    assert.ok(lines.includes('  npm norepo 1.0.0 (1 path): no repository in its npm metadata'));
  });

  it('a rate limit with a far reset stops with the reset time; the next run continues where it stopped', async () => {
    const reset = Math.floor(Date.now() / 1000) + 3600;
    w.github.fail('GET', '/api/v3/repos/serde-rs/serde', rateLimited(reset), 1);
    const first = await survey('--concurrency', '1');
    assert.equal(first.code, 1);
    const at = new Date(reset * 1000);
    const hhmm = `${String(at.getHours()).padStart(2, '0')}:${String(at.getMinutes()).padStart(2, '0')}`;
    assert.match(first.err, new RegExp(`^steward: stopped: GitHub API rate limit reached; resets at ${hhmm} \\(later than --max-wait 60s\\)\\. \\d of 7 repositories surveyed; results so far are in steward-survey\\.jsonl; run the same command again after the reset to continue\\n$`));
    const saved = parseResults(await fs.readFile(path.join(w.dir, 'steward-survey.jsonl'), 'utf8'));
    assert.ok(!saved.repos.has('github.com/serde-rs/serde'));
    const doneBefore = [...saved.repos.keys()];
    const treesBefore = w.treeRequests();
    // The limit is over: the same command finishes the survey and fetches nothing twice.
    const second = await survey('--concurrency', '1');
    assert.equal(second.code, 0, second.err);
    assert.match(second.err, /^steward: continuing the survey in steward-survey\.jsonl \(\d repositories already done\)\n$/);
    const all = parseResults(await fs.readFile(path.join(w.dir, 'steward-survey.jsonl'), 'utf8'));
    assert.equal(all.repos.size, 7);
    assert.equal(all.skipped, 0);
    const fetchedAgain = w.treeRequests() - treesBefore;
    assert.equal(fetchedAgain, 7 - 1 /* archived */ - 1 /* gone */ - doneBefore.filter((k) => !/old|vanished/.test(k)).length);
    assert.equal(json(second.out).ranked[1].key, 'github.com/serde-rs/serde');
  });

  it('a rate limit that resets within --max-wait is waited for', async () => {
    w.github.fail('GET', '/api/v3/repos/psf/requests', rateLimited(Math.floor(Date.now() / 1000) + 1), 1);
    const t0 = Date.now();
    const r = await survey('--max-wait', '30');
    assert.equal(r.code, 0, r.err);
    assert.ok(Date.now() - t0 >= 900, 'it waited for the reset');
    assert.equal(json(r.out).totals.surveyed, 7);
  });

  it('a registry rate limit (429, Retry-After) far away stops the survey, naming the registry', async () => {
    w.registry.fail(/^\/pypi\//, 429, { 'retry-after': '7200' });
    const r = await survey();
    assert.equal(r.code, 1);
    assert.match(r.err, /^steward: stopped: PyPI rate limit reached \(127\.0\.0\.1:\d+\); resets at \d\d:\d\d \(later than --max-wait 60s\)\. /);
  });

  it('sharded runs merged equal a single run', async () => {
    await setUpScenario(w, 12);
    const single = await survey('--results', 'single.jsonl');
    assert.equal(single.code, 0, single.err);
    const shards = [];
    for (let i = 1; i <= 3; i++) {
      const s = await survey('--shard', `${i}/3`);
      assert.equal(s.code, 0, s.err);
      assert.ok(existsSync(path.join(w.dir, `steward-survey-${i}-of-3.jsonl`)));
      shards.push(`steward-survey-${i}-of-3.jsonl`);
    }
    const sizes = shards.map((f) => parseResults(require('node:fs').readFileSync(path.join(w.dir, f), 'utf8')).repos.size);
    assert.equal(sizes.reduce((a, b) => a + b, 0), 19);
    assert.ok(sizes.every((n) => n > 0 && n < 19), `every shard has part of the work (${sizes})`);
    const merged = await w.cli(['survey', 'merge', ...shards, '--format', 'json', '--results', 'merged.jsonl']);
    assert.equal(merged.code, 0, merged.err);
    assert.deepEqual(JSON.parse(merged.out), JSON.parse(single.out));
    const partial = await w.cli(['survey', 'merge', shards[0], shards[2]]);
    assert.match(partial.err, /^steward: warning: shard 2 of 3 missing: the report covers only the others\n$/);
    assert.equal(shardOf('github.com/a/b', 3), shardOf('github.com/a/b', 3));
  });

  it('a re-survey reuses the scan of an unchanged commit and fetches only what changed', async () => {
    assert.equal((await survey()).code, 0);
    const blobs = () => w.github.count(/\/git\/blobs\//);
    const trees = w.treeRequests();
    const b0 = blobs();
    assert.equal((await survey('--fresh')).code, 0);
    assert.equal(w.treeRequests(), trees, 'no tree was listed again');
    assert.equal(blobs(), b0, 'no file was fetched again');
    w.repos.get('someone/left-pad')!.files['SECURITY.md'] = '# Security\n\nReport vulnerabilities to security@example.org.\n';
    const r = await survey('--fresh');
    assert.equal(r.code, 0);
    assert.equal(w.treeRequests(), trees + 1, 'only the changed repository is listed again');
    assert.equal(blobs(), b0 + 1, 'and only its new file is fetched');
    assert.ok(!json(r.out).ranked[0].record.essentials!.failing.some((f) => f.checkId === 'missing-security-policy'));
  });

  it('user mistakes are one line, exit 2', async () => {
    const bad = async (args: string[], msg: RegExp) => {
      const r = await w.cli(['survey', ...args]);
      assert.equal(r.code, 2, r.err);
      assert.match(r.err, msg);
      assert.equal(r.err.split('\n').length, 2);
    };
    await bad(['project', '--shard', '4/3'], /^steward: --shard must be I\/N with 1 <= I <= N <= 1000 \(got '4\/3'\)\n$/);
    await bad(['project', '--concurrency', '0'], /^steward: --concurrency must be a whole number from 1 to 64/);
    await bad(['nowhere'], /^steward: no such folder: nowhere\n$/);
    await bad(['merge'], /^steward: steward survey merge needs the results files of the shards\n$/);
    await bad(['merge', 'missing.jsonl'], /^steward: no such file: missing\.jsonl\n$/);
    await fs.mkdir(path.join(w.dir, 'empty'));
    await bad(['empty'], /^steward: no dependencies found in empty/);
    await fs.writeFile(path.join(w.dir, 'steward-survey.jsonl'), JSON.stringify({ kind: 'survey', version: 1, project: 'other', steward: 'x' }) + '\n');
    await bad(['project'], /^steward: steward-survey\.jsonl holds a survey of other: pass --fresh to start over or --results another file\n$/);
  });

  it('Ctrl-C stops a survey cleanly; the same command resumes it and loses nothing', async function () {
    const cli = path.resolve(__dirname, '../../../dist/cli.js');
    if (!existsSync(cli)) this.skip();
    await setUpScenario(w, 10);
    w.latencyMs = 150;
    const args = [cli, 'survey', 'project', '--github-url', w.github.url, '--concurrency', '1', '--format', 'json'];
    const child = spawn(process.execPath, args, { cwd: w.dir, env: w.env(), stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d) => (err += d));
    child.stdout.resume();
    const results = path.join(w.dir, 'steward-survey.jsonl');
    const repoLines = async () => (await fs.readFile(results, 'utf8').catch(() => '')).split('\n').filter((l) => l.includes('"kind":"repo"')).length;
    const deadline = Date.now() + 40_000;
    while ((await repoLines()) < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    child.kill('SIGINT');
    const code = await new Promise<number | null>((r) => child.on('close', r));
    assert.equal(code, 130, err);
    assert.match(err, /steward: interrupted: \d+ of 17 repositories surveyed; results so far are in steward-survey\.jsonl; run the same command again to continue\n$/);
    const partial = parseResults(await fs.readFile(results, 'utf8'));
    assert.ok(partial.repos.size >= 3 && partial.repos.size < 17, `${partial.repos.size} done before the interrupt`);
    const trees = w.treeRequests();
    w.latencyMs = 0;
    const again = await survey('--concurrency', '2');
    assert.equal(again.code, 0, again.err);
    const final = parseResults(await fs.readFile(results, 'utf8'));
    assert.equal(final.repos.size, 17);
    const lines = (await fs.readFile(results, 'utf8')).split('\n').filter((l) => l.includes('"kind":"repo"'));
    assert.equal(lines.length, 17, 'no repository was written twice');
    const okBefore = [...partial.repos.values()].filter((r) => r.state === 'ok').length;
    // 17 repositories, 2 of them never listed (archived, gone): only the ones not done were listed again.
    assert.equal(w.treeRequests() - trees, 17 - 2 - okBefore, 'repositories done before the interrupt were not fetched again');
  });
});

describe('steward survey: every lockfile format through the local registries and GitHub', function () {
  this.timeout(90_000);
  let w: SurveyWorld;
  before(async () => {
    w = await SurveyWorld.start();
  });
  after(async () => {
    await w.close();
  });

  it('reads each format, maps every package to its repository and surveys them all; none is dropped', async () => {
    const files: Record<string, string> = {
      'v1/package-lock.json': F.PACKAGE_LOCK_V1,
      'v1/package.json': F.PACKAGE_JSON,
      'v2/package-lock.json': F.PACKAGE_LOCK_V2,
      'v3/package-lock.json': F.PACKAGE_LOCK_V3,
      'pnpm/pnpm-lock.yaml': F.PNPM_V9,
      'pnpm6/pnpm-lock.yaml': F.PNPM_V6,
      'classic/yarn.lock': F.YARN_CLASSIC,
      'classic/package.json': F.YARN_CLASSIC_PACKAGE_JSON,
      'berry/yarn.lock': F.YARN_BERRY,
      'pip/requirements.txt': F.REQUIREMENTS_COMPILED,
      'poetry/poetry.lock': F.POETRY_LOCK,
      'poetry/pyproject.toml': F.PYPROJECT_POETRY,
      'uv/uv.lock': F.UV_LOCK,
      'rust/Cargo.lock': F.CARGO_LOCK,
      'go/go.mod': F.GO_MOD,
      '.github/workflows/ci.yml': F.WORKFLOW,
    };
    for (const [rel, text] of Object.entries(files)) await w.put(rel, text);
    const deps = await readProjectDependencies(w.project);
    assert.deepEqual(deps.problems, []);
    // Every format is read and names packages of its own.
    const lockfiles = [...Object.keys(files).filter((f) => !/package\.json$|pyproject\.toml$|\.yml$/.test(f)), '.github/workflows'];
    for (const f of lockfiles) assert.ok(deps.dependencies.some((d) => d.sources.includes(f)), `${f} names packages`);
    // Registries answer for every package; repositories exist for all but one package per registry
    // (deleted there), so gone repositories are reported too.
    const repoOf = new Map<string, string>();
    for (const d of deps.dependencies) {
      const slug = d.name.replace(/^@/, '').replace(/[^A-Za-z0-9._-]/g, '-');
      if (d.ecosystem === 'npm') {
        w.registry.addNpm(d.name, Object.fromEntries(d.versions.map((v) => [v, { repository: `github:npm-${slug}/${slug}` }])));
        repoOf.set(`npm:${d.name}`, `npm-${slug}/${slug}`);
      } else if (d.ecosystem === 'pypi') {
        w.registry.pypi.set(d.name, { version: d.versions[0] ?? '1.0.0', project_urls: { Source: `https://github.com/py-${slug}/${slug}` } });
        repoOf.set(`pypi:${d.name}`, `py-${slug}/${slug}`);
      } else if (d.ecosystem === 'cargo') {
        w.registry.crates.set(d.name, { repository: `https://github.com/rs-${slug}/${slug}` });
        repoOf.set(`cargo:${d.name}`, `rs-${slug}/${slug}`);
      }
    }
    w.registry.goImports.set('gopkg.in/yaml.v3', 'gopkg.in/yaml.v3 git https://github.com/go-yaml/yaml');
    for (const full of [...repoOf.values(), 'spf13/cobra', 'golang/sys', 'go-yaml/yaml', 'inconshreveable/mousetrap', 'actions/checkout', 'actions/setup-node', 'octo-org/shared-workflows']) {
      if (full === 'npm-d/d' || full === 'py-idna/idna') continue;
      const [owner, name] = full.split('/');
      w.addRepo({ owner, name, ownerType: 'Organization', files: { '.github/workflows/ci.yml': WEAK_WORKFLOW }, release: null });
    }
    const r = await w.cli(['survey', 'project', '--github-url', w.github.url, '--format', 'json']);
    assert.equal(r.code, 0, r.err);
    const rep = json(r.out);
    assert.equal(rep.totals.dependencies, deps.dependencies.length);
    assert.equal(rep.totals.pending, 0);
    assert.deepEqual(rep.unresolved.map((p) => p.name), []);
    assert.deepEqual(rep.unavailable.map((e) => [e.key, e.state]), [['github.com/npm-d/d', 'gone'], ['github.com/py-idna/idna', 'gone']]);
    assert.equal(rep.ranked.length + rep.healthy.length + rep.unavailable.length, rep.totals.repos);
    const saved = parseResults(await fs.readFile(path.join(w.dir, 'steward-survey.jsonl'), 'utf8'));
    // Each package keeps the lockfiles that listed it, as read.
    for (const d of deps.dependencies) assert.deepEqual(saved.packages.get(`${d.ecosystem}:${d.name}`)?.sources, d.sources, `${d.ecosystem}:${d.name}`);
    assert.deepEqual([...new Set([...saved.packages.values()].map((p) => p.ecosystem))].sort(), ['actions', 'cargo', 'go', 'npm', 'pypi']);
  });
});
