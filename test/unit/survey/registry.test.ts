import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { JsonFileCache, LayeredCache } from '../../../src/github/cache';
import { parseRepoUrl } from '../../../src/survey/repo-url';
import { CratesRegistry } from '../../../src/survey/registry/crates';
import { ActionsRepos, GoModules, goImports, knownGoRepo } from '../../../src/survey/registry/go';
import { RegistryError } from '../../../src/survey/registry/http';
import { NpmRegistry } from '../../../src/survey/registry/npm';
import { CachedRegistry } from '../../../src/survey/registry/port';
import { PypiRegistry } from '../../../src/survey/registry/pypi';
import { RegistryTestServer } from '../../support/registry-server';

const http = { retryDelayMs: 1 };

describe('survey: repository URLs', () => {
  it('reads the forms registries hold', () => {
    const gh = (owner: string, repo: string) => ({ repo: { host: 'github.com', owner, repo } });
    assert.deepEqual(parseRepoUrl('git+https://github.com/expressjs/express.git'), gh('expressjs', 'express'));
    assert.deepEqual(parseRepoUrl('git+ssh://git@github.com/o/r.git'), gh('o', 'r'));
    assert.deepEqual(parseRepoUrl('git://github.com/o/r'), gh('o', 'r'));
    assert.deepEqual(parseRepoUrl('git@github.com:o/r.git'), gh('o', 'r'));
    assert.deepEqual(parseRepoUrl('https://www.github.com/o/r/tree/main/packages/x#readme'), gh('o', 'r'));
    assert.deepEqual(parseRepoUrl('https://github.com/o/r/issues?q=1'), gh('o', 'r'));
    assert.deepEqual(parseRepoUrl('github:o/r'), gh('o', 'r'));
    assert.deepEqual(parseRepoUrl('o/r', { shorthand: true }), gh('o', 'r'));
    assert.equal(parseRepoUrl('o/r'), undefined);
    assert.deepEqual(parseRepoUrl('gitlab:o/r'), { elsewhere: 'gitlab.com' });
    assert.deepEqual(parseRepoUrl('https://gitlab.com/o/r.git'), { elsewhere: 'gitlab.com' });
    assert.equal(parseRepoUrl('https://github.com/sponsors/someone'), undefined);
    assert.equal(parseRepoUrl('https://github.com/o'), undefined);
    assert.equal(parseRepoUrl('not a url'), undefined);
    assert.equal(parseRepoUrl('file:///tmp/x'), undefined);
  });
});

describe('survey: registries on a local server', () => {
  let reg: RegistryTestServer;
  before(async () => {
    reg = await RegistryTestServer.start();
  });
  after(async () => {
    await reg.close();
  });
  beforeEach(() => {
    reg.requests.length = 0;
  });

  it('npm: repository as an object with a directory, a string, a shorthand; version documents first', async () => {
    reg.addNpm('@babel/core', { '7.24.0': { repository: { type: 'git', url: 'https://github.com/babel/babel.git', directory: 'packages/babel-core' } } });
    reg.addNpm('left-pad', { '1.3.0': { repository: 'git+https://github.com/stevemao/left-pad.git' } });
    reg.addNpm('short', { '1.0.0': { repository: 'someone/short' } });
    const npm = new NpmRegistry(reg.npmUrl, http);
    assert.deepEqual(await npm.lookup({ ecosystem: 'npm', name: '@babel/core', version: '7.24.0' }), {
      url: 'https://github.com/babel/babel.git',
      repo: { host: 'github.com', owner: 'babel', repo: 'babel', directory: 'packages/babel-core' },
    });
    assert.deepEqual((await npm.lookup({ ecosystem: 'npm', name: 'left-pad', version: '1.3.0' })).repo, { host: 'github.com', owner: 'stevemao', repo: 'left-pad' });
    assert.deepEqual((await npm.lookup({ ecosystem: 'npm', name: 'short', version: '1.0.0' })).repo, { host: 'github.com', owner: 'someone', repo: 'short' });
    assert.deepEqual(reg.requests.map((r) => r.path), ['/npm/@babel/core/7.24.0', '/npm/left-pad/1.3.0', '/npm/short/1.0.0']);
  });

  it('npm: a version the registry no longer has falls back to the packument', async () => {
    reg.addNpm('moved', { '2.0.0': { repository: { type: 'git', url: 'git+https://github.com/new/moved.git' } } });
    const r = await new NpmRegistry(reg.npmUrl, http).lookup({ ecosystem: 'npm', name: 'moved', version: '1.0.0' });
    assert.deepEqual(r.repo, { host: 'github.com', owner: 'new', repo: 'moved' });
    assert.deepEqual(reg.requests.map((x) => [x.path, x.status]), [['/npm/moved/1.0.0', 404], ['/npm/moved', 200]]);
  });

  it('npm: no repository is reported with a reason (homepage on GitHub is used; another forge is named)', async () => {
    reg.addNpm('homepage-only', { '1.0.0': { homepage: 'https://github.com/o/homepage-only#readme' } });
    reg.addNpm('norepo', { '1.0.0': {} });
    reg.addNpm('on-gitlab', { '1.0.0': { repository: { type: 'git', url: 'git+https://gitlab.com/o/r.git' } } });
    const npm = new NpmRegistry(reg.npmUrl, http);
    assert.deepEqual((await npm.lookup({ ecosystem: 'npm', name: 'homepage-only', version: '1.0.0' })).repo, { host: 'github.com', owner: 'o', repo: 'homepage-only' });
    assert.deepEqual(await npm.lookup({ ecosystem: 'npm', name: 'norepo', version: '1.0.0' }), { url: undefined, reason: 'no repository in its npm metadata' });
    assert.deepEqual(await npm.lookup({ ecosystem: 'npm', name: 'on-gitlab', version: '1.0.0' }), { url: 'git+https://gitlab.com/o/r.git', reason: 'its repository is on gitlab.com, not GitHub' });
    assert.deepEqual(await npm.lookup({ ecosystem: 'npm', name: 'never-published', version: '1.0.0' }), { reason: 'not in the npm registry' });
  });

  it('PyPI: a source-like project URL wins over the homepage; home_page is used when it is GitHub', async () => {
    reg.pypi.set('requests', { version: '2.31.0', project_urls: { Documentation: 'https://requests.readthedocs.io', Homepage: 'https://requests.readthedocs.io', Source: 'https://github.com/psf/requests' } });
    reg.pypi.set('flask', { version: '3.0.2', project_urls: { Changes: 'https://flask.palletsprojects.com/changes/', 'Issue Tracker': 'https://github.com/pallets/flask/issues/' } });
    reg.pypi.set('old-style', { version: '1.0', project_urls: null, home_page: 'https://github.com/someone/old-style' });
    reg.pypi.set('nowhere', { version: '1.0', project_urls: { Homepage: 'https://example.com' } });
    const pypi = new PypiRegistry(reg.pypiUrl, http);
    assert.deepEqual((await pypi.lookup({ ecosystem: 'pypi', name: 'requests', version: '2.31.0' })).repo, { host: 'github.com', owner: 'psf', repo: 'requests' });
    assert.deepEqual((await pypi.lookup({ ecosystem: 'pypi', name: 'Flask', version: '3.0.2' })).repo, { host: 'github.com', owner: 'pallets', repo: 'flask' });
    assert.deepEqual((await pypi.lookup({ ecosystem: 'pypi', name: 'old_style', version: '' })).repo, { host: 'github.com', owner: 'someone', repo: 'old-style' });
    assert.deepEqual(await pypi.lookup({ ecosystem: 'pypi', name: 'nowhere', version: '1.0' }), { url: 'https://example.com', reason: 'none of its project URLs is a GitHub repository' });
    assert.deepEqual(await pypi.lookup({ ecosystem: 'pypi', name: 'absent', version: '1.0' }), { reason: 'not on PyPI' });
    assert.ok(reg.requests.some((r) => r.path === '/pypi/pypi/flask/3.0.2/json'), 'names are normalised (PEP 503) in the URL');
  });

  it('crates.io: repository, else homepage; absent crates and crates without one are reported', async () => {
    reg.crates.set('serde', { repository: 'https://github.com/serde-rs/serde' });
    reg.crates.set('home', { repository: null, homepage: 'https://github.com/o/home' });
    reg.crates.set('bare', {});
    const crates = new CratesRegistry(reg.cratesUrl, http);
    assert.deepEqual((await crates.lookup({ ecosystem: 'cargo', name: 'serde', version: '1.0.197' })).repo, { host: 'github.com', owner: 'serde-rs', repo: 'serde' });
    assert.deepEqual((await crates.lookup({ ecosystem: 'cargo', name: 'home', version: '1' })).repo, { host: 'github.com', owner: 'o', repo: 'home' });
    assert.deepEqual(await crates.lookup({ ecosystem: 'cargo', name: 'bare', version: '1' }), { reason: 'no repository in its crates.io metadata' });
    assert.deepEqual(await crates.lookup({ ecosystem: 'cargo', name: 'gone', version: '1' }), { reason: 'not on crates.io' });
  });

  it('Go: github.com, golang.org/x and gopkg.in paths without a request; vanity paths through go-import', async () => {
    assert.deepEqual(knownGoRepo('github.com/spf13/cobra/v2/doc'), { host: 'github.com', owner: 'spf13', repo: 'cobra' });
    assert.deepEqual(knownGoRepo('golang.org/x/sys'), { host: 'github.com', owner: 'golang', repo: 'sys' });
    assert.deepEqual(knownGoRepo('gopkg.in/yaml.v3'), { host: 'github.com', owner: 'go-yaml', repo: 'yaml' });
    assert.deepEqual(knownGoRepo('gopkg.in/alecthomas/kingpin.v2'), { host: 'github.com', owner: 'alecthomas', repo: 'kingpin' });
    assert.equal(knownGoRepo('go.uber.org/zap'), undefined);
    reg.goImports.set('go.uber.org/zap', 'go.uber.org/zap git https://github.com/uber-go/zap');
    reg.goImports.set('go.example.org/proxied', 'go.example.org/proxied mod https://proxy.example.org');
    const go = new GoModules({ goGetUrl: reg.goGetUrl, http });
    assert.deepEqual((await go.lookup({ ecosystem: 'go', name: 'go.uber.org/zap/zapcore', version: 'v1.27.0' })).repo, { host: 'github.com', owner: 'uber-go', repo: 'zap' });
    assert.deepEqual(await go.lookup({ ecosystem: 'go', name: 'go.example.org/proxied', version: 'v1' }), { reason: 'its go-import tag points to a module proxy only' });
    assert.deepEqual(await go.lookup({ ecosystem: 'go', name: 'nothing.example/x', version: 'v1' }), { reason: 'its import path has no go-import page' });
    assert.deepEqual(goImports('<meta name="go-import" content="a.b/c git https://github.com/o/c">'), [['a.b/c', 'git', 'https://github.com/o/c']]);
    assert.deepEqual((await new ActionsRepos().lookup({ ecosystem: 'actions', name: 'actions/checkout', version: 'v4' })).repo, { host: 'github.com', owner: 'actions', repo: 'checkout' });
  });

  it('a 429 with Retry-After is a rate-limit error with its reset time; 5xx is retried', async () => {
    reg.addNpm('limited', { '1.0.0': { repository: 'github:o/limited' } });
    reg.fail(/^\/npm\/limited/, 429, { 'retry-after': '120' }, 1);
    const npm = new NpmRegistry(reg.npmUrl, { ...http, now: () => Date.UTC(2026, 0, 1, 10, 0, 0) });
    await assert.rejects(npm.lookup({ ecosystem: 'npm', name: 'limited', version: '1.0.0' }), (e: unknown) => {
      assert.ok(e instanceof RegistryError);
      assert.equal(e.kind, 'rate-limit');
      assert.equal(e.resetAt?.toISOString(), '2026-01-01T10:02:00.000Z');
      assert.match(e.message, /^npm registry rate limit reached \(127\.0\.0\.1:\d+\); resets at \d\d:\d\d$/);
      return true;
    });
    reg.fail(/^\/npm\/limited/, 502, {}, 2);
    assert.equal((await npm.lookup({ ecosystem: 'npm', name: 'limited', version: '1.0.0' })).repo?.repo, 'limited');
    reg.fail(/^\/npm\/limited/, 500, {}, 3);
    await assert.rejects(npm.lookup({ ecosystem: 'npm', name: 'limited', version: '1.0.0' }), /npm registry answered 500/);
  });

  it('an unreachable registry is one network error (no stack, the host named)', async () => {
    const npm = new NpmRegistry('http://127.0.0.1:9', { retries: 0 });
    await assert.rejects(npm.lookup({ ecosystem: 'npm', name: 'x', version: '1.0.0' }), (e: unknown) => e instanceof RegistryError && e.kind === 'network' && e.message === 'npm registry: cannot connect (127.0.0.1:9)');
  });

  it('answers are cached per package version (memory, then disk across runs); concurrent lookups share one request', async () => {
    reg.addNpm('cached', { '1.0.0': { repository: 'github:o/cached' } });
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'steward-survey-cache-'));
    try {
      const first = new CachedRegistry(new NpmRegistry(reg.npmUrl, http), new LayeredCache(new JsonFileCache(dir)));
      const pkg = { ecosystem: 'npm' as const, name: 'cached', version: '1.0.0' };
      await Promise.all([first.lookup(pkg), first.lookup(pkg), first.lookup(pkg)]);
      assert.equal(reg.count(/^\/npm\/cached/), 1);
      const second = new CachedRegistry(new NpmRegistry(reg.npmUrl, http), new LayeredCache(new JsonFileCache(dir)));
      assert.equal((await second.lookup(pkg)).repo?.repo, 'cached');
      assert.equal(reg.count(/^\/npm\/cached/), 1, 'the second run read the disk cache');
      const expired = new CachedRegistry(new NpmRegistry(reg.npmUrl, http), new LayeredCache(new JsonFileCache(dir)), { now: () => Date.now() + 8 * 24 * 3600 * 1000 });
      await expired.lookup(pkg);
      assert.equal(reg.count(/^\/npm\/cached/), 2, 'an answer older than the TTL is fetched again');
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });
});
