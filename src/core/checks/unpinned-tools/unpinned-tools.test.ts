import * as assert from 'node:assert/strict';
import { check } from './unpinned-tools';
import { assertFindingsAt, runCheck, yaml } from '../../../../test/support/check-tester';

const WF = '.github/workflows/ci.yml';

describe('unpinned-tools', () => {
  it('reports explicit newest-release versions and missing inputs where the action installs the newest release, by major', async () => {
    const { findings, result } = await runCheck(check, {
      [WF]: yaml`
        on: push
        jobs:
          build:
            runs-on: ubuntu-latest
            steps:
              - uses: actions/setup-node@v4
                with:
                  node-version: latest
              - uses: astral-sh/setup-uv@v6
              - uses: astral-sh/setup-uv@v2
              - uses: hashicorp/setup-terraform@v3
              - uses: goreleaser/goreleaser-action@v5
              - uses: goreleaser/goreleaser-action@v6
              - uses: actions/setup-go@v5
                with:
                  go-version: Stable
              - uses: oven-sh/setup-bun@v2
      `,
    });
    assert.equal(result.status, 'fail');
    assertFindingsAt(findings, [`${WF}:8:11`, `${WF}:9:15`, `${WF}:11:15`, `${WF}:12:15`, `${WF}:16:11`, `${WF}:17:15`]);
    assert.equal(findings[0].message, 'The step 1 of job build asks actions/setup-node for `node-version: latest`, so every run installs the newest Node.js release; name the version you use');
    assert.equal(findings[1].message, 'The step 2 of job build uses astral-sh/setup-uv without `version`, so it installs the newest uv release unless `required-version` in uv.toml or pyproject.toml pins one (a range such as `>=1.2` still takes the newest); name the version you use');
    assert.deepEqual(findings.map((f) => f.confidence), ['high', 'low', 'medium', 'medium', 'high', 'low']);
  });

  it('one finding per action and file for a missing version, the other steps as related locations', async () => {
    const { findings } = await runCheck(check, {
      [WF]: yaml`
        on: push
        jobs:
          a:
            runs-on: ubuntu-latest
            steps:
              - uses: hashicorp/setup-terraform@v3
          b:
            runs-on: ubuntu-latest
            steps:
              - uses: hashicorp/setup-terraform@v3
              - uses: hashicorp/setup-terraform@v3
      `,
    });
    assertFindingsAt(findings, [`${WF}:6:15`]);
    assert.match(findings[0].message, /^The step 1 of job a \(and 2 other steps of this file\) uses hashicorp\/setup-terraform without `terraform_version`/);
    assert.deepEqual(findings[0].related?.map((r) => [r.start.line, r.message]), [[10, 'also without `terraform_version` (step 1 of job b)'], [11, 'also without `terraform_version` (step 2 of job b)']]);
  });

  it('passes chosen versions, version files, expressions and actions whose default is not the newest release', async () => {
    const { findings, result } = await runCheck(check, {
      [WF]: yaml`
        on: push
        jobs:
          build:
            runs-on: ubuntu-latest
            steps:
              - uses: actions/setup-node@v4
              - uses: actions/setup-node@v4
                with: {node-version: 22.x}
              - uses: astral-sh/setup-uv@v6
                with:
                  version: "0.8.4"
              - uses: astral-sh/setup-uv@v6
                with:
                  version-file: pyproject.toml
              - uses: hashicorp/setup-terraform@v3
                with:
                  terraform_version: \${{ matrix.tf }}
              - uses: pnpm/action-setup@v4
      `,
    });
    assert.deepEqual(findings, []);
    assert.equal(result.status, 'pass');
  });
});
