import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DepGraph, ROOT } from '../../../src/survey/graph';
import { mergeReadings, readProjectDependencies } from '../../../src/survey/dependencies';
import { readActionUses } from '../../../src/survey/lockfiles/actions';
import { readCargoLock } from '../../../src/survey/lockfiles/cargo';
import { readGoMod } from '../../../src/survey/lockfiles/gomod';
import { readPackageLock } from '../../../src/survey/lockfiles/npm';
import { readPnpmLock } from '../../../src/survey/lockfiles/pnpm';
import { readPoetryLock, readRequirements, readUvLock } from '../../../src/survey/lockfiles/python';
import { LockfileError, type LockfileReading, type SiblingReader } from '../../../src/survey/lockfiles/types';
import { readYarnLock } from '../../../src/survey/lockfiles/yarn';
import { PATHS_CAP, type Dependency } from '../../../src/survey/model';
import * as F from './fixtures';

const none: SiblingReader = async () => undefined;
const siblings = (files: Record<string, string>): SiblingReader => async (p) => files[p];

/** name → [direct, depth, paths, versions] for compact assertions. */
function table(r: LockfileReading | LockfileReading[]): Record<string, [boolean, number, number, string]> {
  const out: Record<string, [boolean, number, number, string]> = {};
  for (const d of mergeReadings(Array.isArray(r) ? r : [r])) out[d.name] = [d.direct, d.depth, d.paths, d.versions.join(',')];
  return out;
}

describe('survey: lockfile readers', () => {
  it('package-lock.json v3: node resolution, nested versions, workspaces, paths counted', async () => {
    const r = await readPackageLock('package-lock.json', F.PACKAGE_LOCK_V3, none);
    assert.deepEqual(table(r), {
      '@scope/e': [true, 1, 1, '3.0.0'], // a workspace's dependency is the project's own
      a: [true, 1, 2, '1.0.0'], // root → a, root → c → a
      b: [true, 1, 1, '1.0.0'],
      c: [true, 1, 1, '1.0.0'],
      d: [false, 2, 4, '1.0.0,2.0.0'], // a → d, c → d, c → a → d (1.0.0) + b → d (2.0.0, nested)
    });
  });

  it('package-lock.json v2 reads `packages` (the v1 tree beside it is ignored)', async () => {
    const r = await readPackageLock('package-lock.json', F.PACKAGE_LOCK_V2, none);
    assert.deepEqual(table(r), { a: [true, 1, 1, '1.0.0'], d: [false, 2, 1, '1.0.0'] });
  });

  it('package-lock.json v1: nested requires, direct ones from package.json', async () => {
    const r = await readPackageLock('package-lock.json', F.PACKAGE_LOCK_V1, siblings({ 'package.json': F.PACKAGE_JSON }));
    assert.deepEqual(table(r), { a: [true, 1, 1, '1.0.0'], b: [true, 1, 1, '1.0.0'], d: [false, 2, 2, '1.0.0,2.0.0'] });
  });

  it('package-lock.json v1 without package.json: entries nothing requires are taken as direct', async () => {
    const r = await readPackageLock('package-lock.json', F.PACKAGE_LOCK_V1, none);
    assert.deepEqual(table(r).d, [false, 2, 2, '1.0.0,2.0.0']);
    assert.equal(table(r).a[0], true);
  });

  it('pnpm-lock.yaml v9: importers, snapshots with peer suffixes, link: versions skipped', () => {
    const r = readPnpmLock('pnpm-lock.yaml', F.PNPM_V9);
    assert.deepEqual(table(r), {
      a: [true, 1, 2, '1.0.0'],
      c: [true, 1, 1, '1.0.0'],
      d: [false, 2, 3, '1.0.0'],
      react: [false, 2, 1, '18.2.0'],
      'react-dom': [true, 1, 1, '18.2.0'],
    });
  });

  it('pnpm-lock.yaml v6 and v5 (top-level dependencies, /name@v and /name/v keys)', () => {
    assert.deepEqual(table(readPnpmLock('pnpm-lock.yaml', F.PNPM_V6)), { a: [true, 1, 1, '1.0.0'], d: [false, 2, 1, '1.0.0'] });
    assert.deepEqual(table(readPnpmLock('pnpm-lock.yaml', F.PNPM_V5)), { '@scope/a': [true, 1, 1, '1.0.0'], d: [false, 2, 1, '1.0.0'] });
  });

  it('yarn.lock classic: multi-descriptor entries, scoped names, direct ones from package.json', async () => {
    const r = await readYarnLock('yarn.lock', F.YARN_CLASSIC, siblings({ 'package.json': F.YARN_CLASSIC_PACKAGE_JSON }));
    assert.deepEqual(table(r), { '@scope/a': [true, 1, 2, '1.0.0'], b: [true, 1, 1, '1.2.0'], d: [false, 2, 3, '1.1.0'] });
  });

  it('yarn.lock berry: workspaces are the project, npm: descriptors resolve', async () => {
    const r = await readYarnLock('yarn.lock', F.YARN_BERRY, none);
    assert.deepEqual(table(r), { '@scope/a': [true, 1, 1, '1.0.0'], d: [true, 1, 2, '1.1.0'] });
  });

  it('requirements.txt from pip-compile: "# via" annotations give the graph', async () => {
    const r = await readRequirements('requirements.txt', F.REQUIREMENTS_COMPILED, none);
    assert.deepEqual(table(r), {
      certifi: [false, 2, 1, '2024.2.2'],
      'charset-normalizer': [false, 2, 1, '3.3.2'],
      idna: [false, 2, 1, '3.6'],
      requests: [true, 1, 1, '2.31.0'],
      urllib3: [true, 1, 2, '2.2.1'],
    });
  });

  it('requirements.txt by hand: includes, extras, markers, hashes; paths, URLs and options name no package', async () => {
    const r = await readRequirements('requirements.txt', F.REQUIREMENTS_PLAIN, siblings({ 'base.txt': F.REQUIREMENTS_BASE }));
    assert.deepEqual(table(r), {
      django: [true, 1, 1, ''],
      flask: [true, 1, 1, '3.0.2'],
      requests: [true, 1, 1, '2.31.0'],
      'zope-interface': [true, 1, 1, '6.2'],
    });
    const missing = await readRequirements('requirements.txt', '-r nowhere.txt\nsix==1.16.0\n', none);
    assert.deepEqual(missing.problems, [{ file: 'requirements.txt', message: 'includes nowhere.txt, which could not be read' }]);
  });

  it('poetry.lock with pyproject.toml (Poetry tables and groups, names normalised)', async () => {
    const r = await readPoetryLock('poetry.lock', F.POETRY_LOCK, siblings({ 'pyproject.toml': F.PYPROJECT_POETRY }));
    assert.deepEqual(table(r), {
      certifi: [false, 2, 1, '2024.2.2'],
      'charset-normalizer': [true, 1, 2, '3.3.2'],
      requests: [true, 1, 1, '2.31.0'],
      urllib3: [false, 2, 1, '2.2.1'],
    });
  });

  it('uv.lock: the editable package is the project; optional and dev groups are direct', () => {
    assert.deepEqual(table(readUvLock('uv.lock', F.UV_LOCK)), {
      certifi: [false, 2, 1, '2024.2.2'],
      iniconfig: [false, 2, 1, '2.0.0'],
      pysocks: [true, 1, 1, '1.7.1'],
      pytest: [true, 1, 1, '8.1.1'],
      requests: [true, 1, 1, '2.31.0'],
      urllib3: [false, 2, 1, '2.2.1'],
    });
  });

  it('Cargo.lock: workspace crates are the project; "name version" references', () => {
    assert.deepEqual(table(readCargoLock('Cargo.lock', F.CARGO_LOCK)), {
      'proc-macro2': [false, 2, 3, '1.0.78'], // syn → pm2, serde → serde_derive → pm2, … → serde_derive → syn → pm2
      serde: [true, 1, 1, '1.0.197'],
      serde_derive: [false, 2, 1, '1.0.197'],
      syn: [true, 1, 2, '2.0.50'],
      'unicode-ident': [false, 2, 5, '1.0.12'],
    });
  });

  it('go.mod: require blocks and lines; `// indirect` modules are transitive', () => {
    assert.deepEqual(table(readGoMod('go.mod', F.GO_MOD)), {
      'github.com/inconshreveable/mousetrap': [false, 2, 1, 'v1.1.0'],
      'github.com/spf13/cobra': [true, 1, 1, 'v1.8.0'],
      'golang.org/x/sys': [false, 2, 1, 'v0.18.0'],
      'gopkg.in/yaml.v3': [true, 1, 1, 'v3.0.1'],
    });
  });

  it('GitHub Actions used by workflows (steps and reusable workflows; local and docker skipped)', () => {
    const r = readActionUses([{ path: '.github/workflows/ci.yml', bytes: Buffer.from(F.WORKFLOW) }]);
    assert.deepEqual(table(r), {
      'actions/checkout': [true, 1, 1, 'v4'],
      'actions/setup-node': [true, 1, 1, '1e60f620b9541d16bece96c5465dc8ee9832be0b'],
      'octo-org/shared-workflows': [true, 1, 1, 'main'],
    });
  });

  it('broken lockfiles are one-line LockfileErrors naming the file', async () => {
    await assert.rejects(readPackageLock('package-lock.json', '{ nope', none), (e: unknown) => e instanceof LockfileError && /^package-lock\.json: is not valid JSON/.test(e.message));
    assert.throws(() => readCargoLock('Cargo.lock', '[[package]\nname='), (e: unknown) => e instanceof LockfileError && /^Cargo\.lock: is not valid TOML/.test(e.message));
    assert.throws(() => readPnpmLock('pnpm-lock.yaml', 'packages: {}\n'), /has no lockfileVersion/);
    assert.throws(() => readGoMod('go.mod', 'require x v1\n'), /has no `module` line/);
  });
});

describe('survey: dependency graph path counting', () => {
  it('counts paths with DP: a 60-level diamond chain has 2^60 paths, capped, in linear time', () => {
    const g = new DepGraph();
    let prev = ROOT;
    for (let i = 0; i < 60; i++) {
      g.addNode(`l${i}`, { name: `l${i}`, version: '1' });
      g.addNode(`r${i}`, { name: `r${i}`, version: '1' });
      g.addNode(`j${i}`, { name: `j${i}`, version: '1' });
      g.addEdge(prev, `l${i}`);
      g.addEdge(prev, `r${i}`);
      g.addEdge(`l${i}`, `j${i}`);
      g.addEdge(`r${i}`, `j${i}`);
      prev = `j${i}`;
    }
    const reach = g.reach();
    assert.equal(reach.get('j0')!.paths, 2);
    assert.equal(reach.get('j9')!.paths, 1024);
    assert.equal(reach.get('j59')!.paths, PATHS_CAP);
    assert.equal(reach.get('j59')!.depth, 120);
  });

  it('cycles are broken at the back edge and unreachable entries hang off the project', () => {
    const g = new DepGraph();
    for (const n of ['a', 'b', 'c', 'x', 'y']) g.addNode(n, { name: n, version: '1' });
    g.addEdge(ROOT, 'a');
    g.addEdge('a', 'b');
    g.addEdge('b', 'a'); // cycle
    g.addEdge('b', 'c');
    g.addEdge('x', 'y');
    g.addEdge('y', 'x'); // an orphaned cycle
    const r = g.reach();
    assert.deepEqual([r.get('a'), r.get('b'), r.get('c')], [
      { paths: 1, depth: 1, direct: true },
      { paths: 1, depth: 2, direct: false },
      { paths: 1, depth: 3, direct: false },
    ]);
    assert.ok(r.get('x') && r.get('y'));
  });

  it('a wide lockfile (20,000 packages, 100,000 edges) is read in one pass', () => {
    const g = new DepGraph();
    const n = 20_000;
    for (let i = 0; i < n; i++) g.addNode(`p${i}`, { name: `p${i}`, version: '1' });
    for (let i = 0; i < 50; i++) g.addEdge(ROOT, `p${i}`);
    for (let i = 0; i < n; i++) for (let k = 1; k <= 5; k++) if (i * 5 + k < n) g.addEdge(`p${i}`, `p${i * 5 + k}`);
    const r = g.reach();
    assert.equal(r.size, n);
  });
});

describe('survey: reading a project folder', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'steward-survey-deps-'));
  });
  afterEach(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  async function put(rel: string, text: string): Promise<void> {
    await fs.mkdir(path.dirname(path.join(dir, rel)), { recursive: true });
    await fs.writeFile(path.join(dir, rel), text);
  }

  it('finds every lockfile kind, merges packages listed twice, reports broken files and skips node_modules', async () => {
    await put('package-lock.json', F.PACKAGE_LOCK_V2);
    await put('web/pnpm-lock.yaml', F.PNPM_V6);
    await put('svc/go.mod', F.GO_MOD);
    await put('py/requirements-dev.txt', F.REQUIREMENTS_COMPILED);
    await put('rs/Cargo.lock', F.CARGO_LOCK);
    await put('broken/poetry.lock', 'not = [toml');
    await put('node_modules/x/package-lock.json', F.PACKAGE_LOCK_V3);
    await put('.github/workflows/ci.yml', F.WORKFLOW);
    const r = await readProjectDependencies(dir);
    assert.deepEqual(r.files.sort(), ['.github/workflows', 'package-lock.json', 'py/requirements-dev.txt', 'rs/Cargo.lock', 'svc/go.mod', 'web/pnpm-lock.yaml']);
    assert.equal(r.problems.length, 1);
    assert.equal(r.problems[0].file, 'broken/poetry.lock');
    assert.match(r.problems[0].message, /^is not valid TOML/);
    const a = r.dependencies.find((d: Dependency) => d.ecosystem === 'npm' && d.name === 'a')!;
    assert.deepEqual([a.paths, a.direct, a.sources], [2, true, ['package-lock.json', 'web/pnpm-lock.yaml']]);
    assert.deepEqual(new Set(r.dependencies.map((d) => d.ecosystem)), new Set(['actions', 'cargo', 'go', 'npm', 'pypi']));
    assert.ok(!r.dependencies.some((d) => d.name === 'c'), 'the lockfile inside node_modules was not read');
  });
});
