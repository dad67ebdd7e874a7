import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');

// esbuild.mjs gives Steward's own importers of `yaml` its exports as plain variables (issue 19): the
// default interop copied them onto an object of getters, one getter call per isScalar / isMap.
describe('bundles: yaml exports without getters', () => {
  let out: string;
  before(function () {
    this.timeout(120_000);
    out = mkdtempSync(path.join(os.tmpdir(), 'steward-bundle-'));
    const b = spawnSync(process.execPath, ['esbuild.mjs', `--outdir=${out}`, '--only=cli,extension'], { cwd: ROOT, encoding: 'utf8' });
    assert.equal(b.status, 0, b.stderr);
  });
  after(() => rmSync(out, { recursive: true, force: true }));

  it('takes every export once from the one CommonJS build of yaml, with no interop copy of it', () => {
    const text = readFileSync(path.join(out, 'cli-main.js'), 'utf8');
    assert.match(text, /yaml-direct:/);
    // The interop copy (a getter per export) is what esbuild emits for an import of a CommonJS module.
    assert.doesNotMatch(text, /__toESM\(require_dist\(\)\)/);
    // One copy of yaml's node classes: the bundle holds its Scalar class once.
    assert.equal(text.match(/"node_modules\/yaml\/dist\/nodes\/Scalar\.js"/g)?.length, 1);
  });

  it('the VS Code layer still takes yaml from the engine bundle (one copy, loaded on first use), not a copy of its own', () => {
    const ext = readFileSync(path.join(out, 'extension.js'), 'utf8');
    const engine = readFileSync(path.join(out, 'engine.js'), 'utf8');
    assert.doesNotMatch(ext, /node_modules\/yaml\/dist\/nodes\//);
    assert.equal(engine.match(/"node_modules\/yaml\/dist\/nodes\/Scalar\.js"/g)?.length, 1);
    assert.match(engine, /yaml-direct:/);
  });

  it('the built CLI parses and checks a workflow with it', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'steward-bundle-repo-'));
    try {
      const wf = path.join(dir, '.github/workflows');
      mkdirSync(wf, { recursive: true });
      writeFileSync(path.join(wf, 'ci.yml'), 'on: pull_request_target\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n        with:\n          ref: ${{ github.event.pull_request.head.sha }}\n      - run: echo "${{ github.event.pull_request.title }}"\n');
      const r = spawnSync(process.execPath, [path.join(out, 'cli.js'), 'scan', dir, '--offline', '--format', 'json', '--fail-on', 'never'], { encoding: 'utf8' });
      assert.equal(r.status, 0, r.stderr);
      const ids = new Set((JSON.parse(r.stdout) as { findings: { ruleId: string }[] }).findings.map((f) => f.ruleId));
      assert.ok(ids.has('template-injection'), [...ids].join());
      assert.ok(ids.has('dangerous-triggers'), [...ids].join());
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
