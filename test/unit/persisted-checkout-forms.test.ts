import * as assert from 'node:assert/strict';
import { CHECKS } from '../../src/core/checks';
import { Engine } from '../../src/core/engine';
import { MemorySnapshot } from '../../src/core/repo/snapshot';
import { pushingTool } from '../../src/core/workflow/pushing-actions';
import { assertLinear } from '../support/linear';

// persisted-checkout-credentials tries its pushing-tool and script patterns only on run steps that
// hold one of their words or extensions (most run steps hold none). A word list that misses one form
// would make Steward turn persistence off in a job that pushes with it: every form is tried here, in
// a run step and (for tools) in a script the step runs, so such a gap fails.

const wf = (run: string) => `on: push\njobs:\n  docs:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - run: ${run}\n`;

async function credsFinding(files: Record<string, string>) {
  const r = await new Engine(CHECKS).scan(new MemorySnapshot('t', files));
  const f = r.findings.find((x) => x.ruleId === 'persisted-checkout-credentials');
  assert.ok(f, 'the checkout is found');
  return f;
}

const TOOLS: [string, string][] = [
  ['mkdocs gh-deploy --force', 'mkdocs gh-deploy'],
  ['ghp-import -n -p site', 'ghp-import -n -p'],
  ['ghp-import --push site', 'ghp-import --push'],
  ['npx gh-pages -d dist', 'gh-pages -d'],
  ['node_modules/.bin/gh-pages --dist build', 'gh-pages --dist'],
  ['mike deploy --push 1.0 latest', 'mike deploy --push'],
  ['npx semantic-release', 'semantic-release'],
  ['lerna publish from-package', 'lerna publish'],
  ['lerna version --yes', 'lerna version'],
  ['npx release-it --ci', 'release-it'],
  ['cargo release --execute', 'cargo release'],
  ['bundle exec rake release', 'rake release'],
  ['bundle exec rake release[upstream]', 'rake release[upstream]'],
  ['rake release:source_control_push', 'rake release:source_control_push'],
  ['./mvnw -B release:prepare', 'mvnw -B release:prepare'],
  ['mvn --batch-mode release:prepare release:perform', 'mvn --batch-mode release:prepare'],
  ['sbt "release with-defaults"', 'sbt "release with-defaults"'],
  ['sbt -batch release', 'sbt -batch release'],
  ['tbump 1.2.3 --non-interactive', 'tbump'],
];

const SCRIPTS: [string, string][] = [
  ['python tools/deploy.py', 'tools/deploy.py'],
  ['python3 tools/deploy.py', 'tools/deploy.py'],
  ['node tools/deploy.js', 'tools/deploy.js'],
  ['node tools/deploy.mjs', 'tools/deploy.mjs'],
  ['node tools/deploy.cjs', 'tools/deploy.cjs'],
  ['npx tsx tools/deploy.ts', 'tools/deploy.ts'],
  ['bash tools/deploy.sh', 'tools/deploy.sh'],
  ['ruby tools/deploy.rb', 'tools/deploy.rb'],
  ['perl tools/deploy.pl', 'tools/deploy.pl'],
  ['pwsh tools/deploy.ps1', 'tools/deploy.ps1'],
];

describe('persisted-checkout-credentials: every pushing form, whatever gates the patterns', () => {
  for (const [run, shown] of TOOLS) {
    it(`\`${run}\` in a later step, or in a script it runs, keeps the saved credentials (no fix)`, async () => {
      const direct = await credsFinding({ '.github/workflows/docs.yml': wf(run) });
      assert.deepEqual(direct.fixes, [], direct.message);
      assert.ok(direct.message.includes(`\`${shown}\` in a later step (it pushes with Git)`), direct.message);
      const viaScript = await credsFinding({ '.github/workflows/docs.yml': wf('./scripts/publish.sh'), 'scripts/publish.sh': `#!/bin/sh -e\n${run}\n` });
      assert.deepEqual(viaScript.fixes, [], viaScript.message);
      assert.ok(viaScript.message.includes(`\`scripts/publish.sh\`, which runs \`${shown}\``), viaScript.message);
    });
  }

  for (const [run, script] of SCRIPTS) {
    it(`\`${run}\` runs a repository script that pushes: no fix, the script named`, async () => {
      const f = await credsFinding({ '.github/workflows/docs.yml': wf(run), [script]: 'git push origin HEAD:gh-pages\n' });
      assert.deepEqual(f.fixes, [], f.message);
      assert.ok(f.message.includes(`\`${script}\`, which runs git push`), f.message);
    });
  }

  for (const run of ['mkdocs build', 'bundle exec rake release:sinatra', 'rake release:rubygem_push', 'sbt ci-release', 'mvn -B package', 'rake test', 'tbump --only-patch 1.2.3', 'tbump 1.2.3 --no-push', 'tbump init 0.1.0']) {
    it(`\`${run}\` does not push: the safe fix (the cases above are not refused for another reason)`, async () => {
      const f = await credsFinding({ '.github/workflows/docs.yml': wf(run) });
      assert.equal(f.fixes.length, 1, f.message);
      assert.equal(f.fixes[0].safe, true);
    });
  }

  it('a line of many tool words costs time in proportion to its length (each span is tried once per line)', () => {
    // One regular expression tried every span at every occurrence: 8,000 `ghp-import` words took 3.4 s, 16,000 3.9 times that.
    for (const word of ['ghp-import ', 'mike deploy ', 'mvn ', 'sbt ', 'tbump ']) {
      assertLinear(word.trim(), (n) => {
        const text = word.repeat(n) + (word === 'tbump ' ? '--no-push' : '');
        return () => pushingTool(text);
      }, 8_000);
    }
  });

});
