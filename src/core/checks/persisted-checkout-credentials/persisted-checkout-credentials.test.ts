import * as assert from 'node:assert/strict';
import { check } from './persisted-checkout-credentials';
import { assertFindingsAt, runCheck, yaml } from '../../../../test/support/check-tester';
import { assertFixRoundTrip } from '../../../../test/support/fix-tester';

const WF = '.github/workflows/ci.yml';

describe('persisted-checkout-credentials', () => {
  it('reports checkouts without persist-credentials: false at the uses value, higher before uploads', async () => {
    const { findings, result } = await runCheck(check, {
      [WF]: yaml`
        on: push
        jobs:
          build:
            runs-on: ubuntu-latest
            steps:
              - uses: actions/checkout@v4
              - uses: actions/upload-artifact@v4
                with:
                  path: dist/
          docs:
            runs-on: ubuntu-latest
            steps:
              - {uses: 'actions/checkout@v4', with: {fetch-depth: 0}}
              - uses: actions/upload-artifact@v4
                with: {path: ., include-hidden-files: true}
          lint:
            runs-on: ubuntu-latest
            steps:
              - uses: actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683 # v4.2.2
                with:
                  persist-credentials: true
              - uses: actions/upload-artifact@v4
          push:
            runs-on: ubuntu-latest
            steps:
              - uses: actions/checkout@v4
                with:
                  persist-credentials: true
              - run: git push
      `,
    });
    assert.equal(result.status, 'fail');
    assertFindingsAt(findings, [`${WF}:6:15`, `${WF}:13:16`, `${WF}:19:15`]);
    assert.deepEqual(findings.map((f) => f.severity), ['medium', 'high', 'medium']);
    assert.match(findings[0].message, /job build leaves the job's token in .git\/config .* uploads an artifact/);
    assert.match(findings[2].message, /sets `persist-credentials: true`/);
    assert.deepEqual(findings.map((f) => f.fixes[0]?.safe), [true, true, false]);
  });

  it('accepts false in any spelling, expressions, other actions and composite actions that disable it', async () => {
    const { findings, result } = await runCheck(check, {
      [WF]: yaml`
        on: push
        jobs:
          a:
            runs-on: ubuntu-latest
            steps:
              - uses: actions/checkout@v4
                with:
                  persist-credentials: false
              - uses: actions/checkout@v4
                with: {"persist-credentials": "false"}
              - uses: actions/checkout@v4
                with:
                  persist-credentials: \${{ inputs.push }}
              - uses: actions/checkout-extra@v1
      `,
      'action.yml': yaml`
        runs:
          using: composite
          steps:
            - uses: actions/checkout@v4
              with: &w
                persist-credentials: false
      `,
    });
    assert.deepEqual(findings, []);
    assert.equal(result.status, 'pass');
  });

  it('fixes by adding persist-credentials under with:, creating it and keeping formatting', async () => {
    const before = yaml`
      on: push
      jobs:
        a:
          runs-on: ubuntu-latest
          steps:
            # get the code
            - uses: actions/checkout@v4 # pinned later
            - name: co2
              uses: actions/checkout@v4
              with:
                fetch-depth: 0   # full history
            - run: make
            - {uses: actions/checkout@v4}
            - uses: actions/checkout@v4
              with: {ref: main}
    `;
    const { files, remaining } = await assertFixRoundTrip(check, { [WF]: before });
    assert.equal(
      files[WF],
      yaml`
        on: push
        jobs:
          a:
            runs-on: ubuntu-latest
            steps:
              # get the code
              - uses: actions/checkout@v4 # pinned later
                with:
                  persist-credentials: false
              - name: co2
                uses: actions/checkout@v4
                with:
                  fetch-depth: 0   # full history
                  persist-credentials: false
              - run: make
              - {uses: actions/checkout@v4, with: {persist-credentials: false}}
              - uses: actions/checkout@v4
                with: {ref: main, persist-credentials: false}
      `,
    );
    assert.deepEqual(remaining, []);
  });

  it('marks the fix unsafe when a later step pushes, and fixes composite actions and CRLF files', async () => {
    const crlf = 'on: push\r\njobs:\r\n  a:\r\n    runs-on: ubuntu-latest\r\n    steps:\r\n    - uses: actions/checkout@v4\r\n    - run: |\r\n        git commit -am x\r\n        git push origin HEAD\r\n';
    const { findings } = await runCheck(check, { [WF]: crlf });
    assert.equal(findings[0].fixes[0].safe, false);
    assert.match(findings[0].fixes[0].caveat ?? '', /`git push`/);
    const { files } = await assertFixRoundTrip(check, { [WF]: crlf }, { unsafe: true });
    assert.equal(files[WF], crlf.replace('    - uses: actions/checkout@v4\r\n', '    - uses: actions/checkout@v4\r\n      with:\r\n        persist-credentials: false\r\n'));
    const action = yaml`
      runs:
        using: composite
        steps:
          - uses: actions/checkout@v4
            with:
              repository: o/r
          - shell: bash
            run: ls
    `;
    const fixed = await assertFixRoundTrip(check, { 'action.yml': action });
    assert.equal(fixed.files['action.yml'], action.replace('repository: o/r\n', 'repository: o/r\n        persist-credentials: false\n'));
  });
});
