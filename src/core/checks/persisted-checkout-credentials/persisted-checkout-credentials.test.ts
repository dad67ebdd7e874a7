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
    // Issue 15: only an upload that contains the checkout's .git folder escalates; an upload of dist/
    // or one without a path (lint) does not, and an explicit `true` without such an upload is a choice.
    assertFindingsAt(findings, [`${WF}:6:15`, `${WF}:13:16`]);
    assert.deepEqual(findings.map((f) => f.severity), ['low', 'high']);
    assert.equal(findings[0].message, "This checkout in job build leaves the job's token in .git/config (checkout before v6) for every later step (no `persist-credentials: false`)");
    assert.match(findings[1].message, /a later upload includes the checkout's .git folder, which publishes the token in the artifact$/);
    assert.deepEqual(findings.map((f) => f.fixes[0]?.safe), [true, true]);
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
    assert.match(findings[0].fixes[0].reviewReason ?? '', /`git push`/);
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

describe('persisted-checkout-credentials: who uses the token, where it is stored (issues 14 class 3, 15)', () => {
  const job = (steps: string, checkout = 'actions/checkout@v4') => yaml`
    on: push
    jobs:
      release:
        runs-on: ubuntu-latest
        steps:
          - uses: ${checkout}
    ` + steps;

  it('is review when a repository script the job runs pushes (read from the snapshot), safe when it does not', async () => {
    const pushes = await runCheck(check, {
      [WF]: job('      - run: python .github/scripts/release.py --tag\n'),
      '.github/scripts/release.py': 'import subprocess\nsubprocess.run(["git", "push", "origin", "HEAD"], check=True)\n',
    });
    const fix = pushes.findings[0].fixes[0];
    assert.equal(fix.safe, false);
    assert.equal(fix.reviewReason, '`.github/scripts/release.py`, which runs git push may need the saved token: give that step the token explicitly before applying.');
    const lib = await runCheck(check, {
      [WF]: job('      - run: ./tools/publish.py\n'),
      'tools/publish.py': 'from git import Repo\nrepo = Repo(".")\nrepo.remote("origin").push()\n',
    });
    assert.equal(lib.findings[0].fixes[0].safe, false);
    assert.match(lib.findings[0].fixes[0].reviewReason ?? '', /`tools\/publish.py`, which runs a Git library's push/);
    const quiet = await runCheck(check, {
      [WF]: job('      - run: python .github/scripts/lint.py\n'),
      '.github/scripts/lint.py': 'print("ok")\n',
    });
    assert.equal(quiet.findings[0].fixes[0].safe, true);
    const unseen = await runCheck(check, { [WF]: job('      - run: bash scripts/deploy.sh\n') });
    assert.equal(unseen.findings[0].fixes[0].safe, false);
    assert.equal(unseen.findings[0].fixes[0].reviewReason, 'Steward cannot see what `scripts/deploy.sh` does with the token.');
  });

  it('is review before a known pushing action and before git fetch/pull', async () => {
    for (const step of ['      - uses: peter-evans/create-pull-request@v7\n', '      - uses: stefanzweifel/git-auto-commit-action@v5\n', '      - run: git fetch origin main\n', '      - run: git pull --rebase\n']) {
      const { findings } = await runCheck(check, { [WF]: job(step) });
      assert.equal(findings[0].fixes[0].safe, false, step);
      assert.ok(findings[0].fixes[0].reviewReason, step);
    }
  });

  it('words the message by checkout version and does not escalate a .git upload from checkout v6+', async () => {
    const upload = '      - uses: actions/upload-artifact@v4\n        with:\n          path: .\n          include-hidden-files: true\n';
    const v6 = await runCheck(check, { [WF]: job(upload, 'actions/checkout@v6') });
    assert.equal(v6.findings[0].severity, 'low');
    assert.equal(v6.findings[0].message, "This checkout in job release leaves the job's token in a credentials file in the runner's temporary folder (checkout v6 and later), where every later step can read it (no `persist-credentials: false`)");
    const pinned = await runCheck(check, { [WF]: job(upload, 'actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683') });
    assert.equal(pinned.findings[0].severity, 'medium');
    assert.match(pinned.findings[0].message, /if this checkout is older than v6$/);
    const gitOnly = await runCheck(check, { [WF]: job('      - uses: actions/upload-artifact@v4\n        with:\n          path: .git/\n          include-hidden-files: true\n') });
    assert.equal(gitOnly.findings[0].severity, 'high');
    const hiddenOff = await runCheck(check, { [WF]: job('      - uses: actions/upload-artifact@v4\n        with:\n          path: .\n') });
    assert.equal(hiddenOff.findings[0].severity, 'low');
    const oldUpload = await runCheck(check, { [WF]: job('      - uses: actions/upload-artifact@v3\n        with:\n          path: .\n') });
    assert.equal(oldUpload.findings[0].severity, 'high');
  });
});
