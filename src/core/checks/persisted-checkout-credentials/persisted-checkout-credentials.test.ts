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

  it('offers no fix when a later step pushes (judge1 D22), and fixes composite actions and CRLF files', async () => {
    const pushing = 'on: push\r\njobs:\r\n  a:\r\n    runs-on: ubuntu-latest\r\n    steps:\r\n    - uses: actions/checkout@v4\r\n    - run: |\r\n        git fetch origin\r\n        git commit -am x && git push --set-upstream origin update-bundle/x\r\n';
    const pushed = await runCheck(check, { [WF]: pushing });
    assert.deepEqual(pushed.findings[0].fixes, []);
    assert.match(pushed.findings[0].message, /\. No fix offered: the job later pushes with the saved token \(`git push` in a later step\), so `persist-credentials: false` alone would break it/);
    const crlf = 'on: push\r\njobs:\r\n  a:\r\n    runs-on: ubuntu-latest\r\n    steps:\r\n    - uses: actions/checkout@v4\r\n    - run: |\r\n        git commit -am x\r\n        git push "https://x-access-token:${TOKEN}@github.com/o/r" HEAD\r\n';
    // A push to a URL with its own credentials does not use the saved ones.
    const { findings } = await runCheck(check, { [WF]: crlf });
    assert.equal(findings[0].fixes[0].safe, true);
    const { files } = await assertFixRoundTrip(check, { [WF]: crlf });
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

  it('offers no fix when a repository script the job runs pushes (read from the snapshot), safe when it does not', async () => {
    const pushes = await runCheck(check, {
      [WF]: job('      - run: python .github/scripts/release.py --tag\n'),
      '.github/scripts/release.py': 'import subprocess\nsubprocess.run(["git", "push", "origin", "HEAD"], check=True)\n',
    });
    assert.deepEqual(pushes.findings[0].fixes, []);
    assert.match(pushes.findings[0].message, /No fix offered: the job later pushes with the saved token \(`\.github\/scripts\/release\.py`, which runs git push\)/);
    const lib = await runCheck(check, {
      [WF]: job('      - run: ./tools/publish.py\n'),
      'tools/publish.py': 'from git import Repo\nrepo = Repo(".")\nrepo.remote("origin").push()\n',
    });
    assert.deepEqual(lib.findings[0].fixes, []);
    assert.match(lib.findings[0].message, /pushes with the saved token \(`tools\/publish.py`, which runs a Git library's push\)/);
    const fetches = await runCheck(check, {
      [WF]: job('      - run: ./tools/sync.sh\n'),
      'tools/sync.sh': 'git fetch origin main\n',
    });
    assert.equal(fetches.findings[0].fixes[0].safe, false);
    assert.equal(fetches.findings[0].fixes[0].reviewReason, '`tools/sync.sh`, which runs git fetch may need the saved token: give that step the token explicitly before applying.');
    const quiet = await runCheck(check, {
      [WF]: job('      - run: python .github/scripts/lint.py\n'),
      '.github/scripts/lint.py': 'print("ok")\n',
    });
    assert.equal(quiet.findings[0].fixes[0].safe, true);
    const unseen = await runCheck(check, { [WF]: job('      - run: bash scripts/deploy.sh\n') });
    assert.equal(unseen.findings[0].fixes[0].safe, false);
    assert.equal(unseen.findings[0].fixes[0].reviewReason, 'Steward cannot see what `scripts/deploy.sh` does with the token.');
    // The step's working-directory (looked up only when the step runs a script) places the script, over the job's default.
    const inDir = await runCheck(check, {
      [WF]: job('      - run: echo start\n        working-directory: nowhere\n      - run: ./release.sh\n        working-directory: tools\n'),
      'tools/release.sh': 'git push origin HEAD\n',
      'release.sh': 'echo no push\n',
    });
    assert.deepEqual(inDir.findings[0].fixes, []);
    assert.match(inDir.findings[0].message, /pushes with the saved token \(`tools\/release\.sh`, which runs git push\)/);
  });

  it('offers no fix before a known pushing action or tool, and is review before git fetch/pull', async () => {
    for (const step of ['      - uses: peter-evans/create-pull-request@v7\n', '      - uses: stefanzweifel/git-auto-commit-action@v5\n', '      - run: mkdocs gh-deploy --force\n']) {
      const { findings } = await runCheck(check, { [WF]: job(step) });
      assert.deepEqual(findings[0].fixes, [], step);
      assert.match(findings[0].message, /No fix offered: the job later pushes with the saved token/, step);
    }
    for (const step of ['      - run: git fetch origin main\n', '      - run: git pull --rebase\n']) {
      const { findings } = await runCheck(check, { [WF]: job(step) });
      assert.equal(findings[0].fixes[0].safe, false, step);
      assert.ok(findings[0].fixes[0].reviewReason, step);
    }
  });

  it('sees a push beyond the uses a reason lists', async () => {
    const many = Array.from({ length: 12 }, (_, i) => `      - run: git fetch origin b${i} && ./t${i}.sh\n`).join('');
    const { findings } = await runCheck(check, { [WF]: job(many + '      - run: git push\n') });
    assert.deepEqual(findings[0].fixes, []);
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

describe('persisted-checkout-credentials: per-step action names are never stale (issue 19)', () => {
  it('re-reads the uses of a step after an edit of the same length, incremental re-parse included', () => {
    const { loadSourceFile } = require('../../repo/load') as typeof import('../../repo/load');
    const { analyze } = require('./persisted-checkout-credentials') as typeof import('./persisted-checkout-credentials');
    const text = (checkout: string, pusher: string) =>
      `on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: ${checkout}@v4\n      - uses: ${pusher}@v7\n`;
    const enc = (s: string) => new TextEncoder().encode(s);
    const first = loadSourceFile(WF, enc(text('actions/checkout', 'peter-evans/create-pull-request')), 'workflow');
    const a = analyze(first);
    assert.equal(a.length, 1);
    assert.deepEqual(a[0].fixes, [], 'a later pushing action: no fix');
    const second = loadSourceFile(WF, enc(text('actions/checkout', 'peter-evans/create-pull-reqxest')), 'workflow', first);
    const b = analyze(second);
    assert.equal(b.length, 1);
    assert.equal(b[0].fixes.length, 1, 'the pushing action is gone: a fix');
    const third = loadSourceFile(WF, enc(text('actions/checkouz', 'peter-evans/create-pull-request')), 'workflow', second);
    assert.deepEqual(analyze(third), [], 'no checkout any more');
    assert.equal(analyze(loadSourceFile(WF, enc(text('actions/checkout', 'peter-evans/create-pull-request')), 'workflow', third)).length, 1);
  });
});
