import * as assert from 'node:assert/strict';
import { check } from './obfuscated-uses';
import { check as unpinned } from '../unpinned-actions/unpinned-actions';
import { assertFindingsAt, runCheck, yaml } from '../../../../test/support/check-tester';
import { assertFixRoundTrip } from '../../../../test/support/fix-tester';

const WF = '.github/workflows/ci.yml';
const before = yaml`
  on: push
  jobs:
    build:
      runs-on: ubuntu-latest
      steps:
        - uses: actions//checkout@v4
        - uses: "actions/setup-node/@v4"
        - uses: github/codeql-action/./init@v3 # init
        - uses: ./.github//actions/build/
        - uses: actions/cache@v4
        - uses: ./.github/actions/build
`;

describe('obfuscated-uses', () => {
  it('reports empty and `.` segments with the plain form, and fixes safely to it', async () => {
    const { findings, result } = await runCheck(check, { [WF]: before });
    assert.equal(result.status, 'fail');
    assertFindingsAt(findings, [`${WF}:6:15`, `${WF}:7:15`, `${WF}:8:15`, `${WF}:9:15`]);
    assert.equal(findings[0].message, '`actions//checkout@v4` is written with empty path segments (`//` or a trailing `/`); GitHub runs `actions/checkout@v4`, and that is how it should read');
    assert.ok(findings.every((f) => f.fixes.length === 1 && f.fixes[0].safe));
    const { files, remaining } = await assertFixRoundTrip(check, { [WF]: before });
    assert.deepEqual(remaining, []);
    assert.equal(
      files[WF],
      yaml`
        on: push
        jobs:
          build:
            runs-on: ubuntu-latest
            steps:
              - uses: actions/checkout@v4
              - uses: "actions/setup-node@v4"
              - uses: github/codeql-action/init@v3 # init
              - uses: ./.github/actions/build
              - uses: actions/cache@v4
              - uses: ./.github/actions/build
      `,
    );
  });

  it('other checks see the plain form: an obfuscated tag ref is still reported as unpinned', async () => {
    const { findings } = await runCheck(unpinned, { [WF]: before });
    assert.ok(findings.some((f) => f.location?.start.line === 6 && /actions\/checkout/.test(f.message)), findings.map((f) => f.message).join('\n'));
  });
});

describe('obfuscated-uses with YAML aliases', () => {
  it('reports a step repeated by an alias once, at its anchor (one text, one fix)', async () => {
    const text = yaml`
      on: push
      jobs:
        a:
          runs-on: ubuntu-latest
          steps:
            - &co
              uses: actions//checkout@v4
        b:
          runs-on: ubuntu-latest
          steps:
            - *co
    `;
    const { findings } = await runCheck(check, { [WF]: text });
    assertFindingsAt(findings, [`${WF}:7:15`]);
  });
});
