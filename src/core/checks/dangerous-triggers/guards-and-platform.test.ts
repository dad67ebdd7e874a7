import * as assert from 'node:assert/strict';
import { check } from './dangerous-triggers';
import { runCheck, yaml } from '../../../../test/support/check-tester';

// Issue 15 "Guards by structure" and "Today's platform" for dangerous-triggers, one fixture per row.

const WF = '.github/workflows/ci.yml';

const prt = (cond: string, checkout = 'actions/checkout@v4', extra = '') => yaml`
  on: pull_request_target
  jobs:
    test:
      if: ${cond}
      runs-on: ubuntu-latest
      steps:
        - uses: ${checkout}
          with:
            ref: \${{ github.event.pull_request.head.sha }}${extra}
        - run: make test
`;

describe('dangerous-triggers: guards by structure', () => {
  it('a job that runs only for forks is not told "keep that guard"', async () => {
    const { findings } = await runCheck(check, { [WF]: prt('github.event.pull_request.head.repo.full_name != github.repository') });
    assert.equal(findings[0].severity, 'high');
    assert.doesNotMatch(findings[0].message, /keep that guard/);
  });

  it('the other branch of || does not protect; a same-repository condition on every path does', async () => {
    const either = await runCheck(check, { [WF]: prt("github.event.pull_request.head.repo.full_name == github.repository || github.event.action == 'opened'") });
    assert.equal(either.findings[0].severity, 'high');
    const both = await runCheck(check, { [WF]: prt("github.event.pull_request.head.repo.full_name == github.repository && github.event.action == 'opened'") });
    assert.equal(both.findings[0].severity, 'medium');
    assert.match(both.findings[0].message, /keep that guard/);
    const members = await runCheck(check, { [WF]: prt("contains(fromJSON('[\"OWNER\",\"MEMBER\"]'), github.event.pull_request.author_association)") });
    assert.equal(members.findings[0].severity, 'medium');
  });

  it('a label condition is a maintainer approval', async () => {
    const { findings } = await runCheck(check, { [WF]: prt("contains(github.event.pull_request.labels.*.name, 'safe to test')") });
    assert.equal(findings[0].severity, 'medium');
    assert.match(findings[0].message, /only after a maintainer's approval/);
  });

  it('counts artifacts of the triggering run however they are fetched, including inside a local composite action', async () => {
    const wfRun = (steps: string) => yaml`
      on:
        workflow_run:
          workflows: [ci]
          types: [completed]
      jobs:
        report:
          runs-on: ubuntu-latest
          steps:
    ` + steps;
    const viaScript = await runCheck(check, {
      [WF]: wfRun("      - uses: actions/github-script@v7\n        with:\n          script: |\n            await github.rest.actions.downloadArtifact({ owner, repo, artifact_id: id, archive_format: 'zip' })\n"),
    });
    assert.equal(viaScript.findings[0].severity, 'medium');
    assert.match(viaScript.findings[0].message, /downloads artifacts of the triggering run/);
    const viaGh = await runCheck(check, { [WF]: wfRun('      - run: gh run download ${{ github.event.workflow_run.id }}\n') });
    assert.equal(viaGh.findings[0].severity, 'medium');
    const viaAction = await runCheck(check, {
      [WF]: wfRun('      - uses: actions/checkout@v4\n      - uses: ./.github/actions/fetch\n'),
      '.github/actions/fetch/action.yml': yaml`
        name: fetch
        runs:
          using: composite
          steps:
            - shell: bash
              run: gh run download "$RUN_ID" -n results
      `,
    });
    assert.equal(viaAction.findings[0].severity, 'medium');
    assert.match(viaAction.findings[0].message, /downloads artifacts of the triggering run/);
    const plain = await runCheck(check, { [WF]: wfRun('      - run: echo done\n') });
    assert.equal(plain.findings[0].severity, 'low');
  });
});

describe("dangerous-triggers: today's platform (actions/checkout v7)", () => {
  it('words the classic pwn request by checkout version', async () => {
    const v4 = await runCheck(check, { [WF]: prt('true') });
    assert.equal(v4.findings[0].severity, 'high');
    assert.match(v4.findings[0].message, /\(the actions\/checkout version used here does not stop it; v7 and v6\.1 refuse a fork's code unless `allow-unsafe-pr-checkout: true`\)$/);
    const v7 = await runCheck(check, { [WF]: prt('true', 'actions/checkout@v7') });
    assert.equal(v7.findings[0].severity, 'medium');
    assert.match(v7.findings[0].message, /but actions\/checkout v7 refuses a fork's code under `pull_request_target` unless `allow-unsafe-pr-checkout: true` is set/);
    const v61 = await runCheck(check, { [WF]: prt('true', 'actions/checkout@v6') });
    assert.equal(v61.findings[0].severity, 'medium');
    const v600 = await runCheck(check, { [WF]: prt('true', 'actions/checkout@v6.0.2') });
    assert.equal(v600.findings[0].severity, 'high');
    const sha = await runCheck(check, { [WF]: prt('true', 'actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683') });
    assert.match(sha.findings[0].message, /this pin's version is not shown\)$/);
  });

  it('reports allow-unsafe-pr-checkout: true as the explicit opt-in: high when the checkout is then run, medium otherwise', async () => {
    const run = await runCheck(check, { [WF]: prt('true', 'actions/checkout@v7', '\n            allow-unsafe-pr-checkout: true') });
    assert.equal(run.findings[0].severity, 'high');
    assert.match(run.findings[0].message, /sets `allow-unsafe-pr-checkout: true`, the explicit opt-in to checking out a fork's code here, and then runs scripts from it/);
    const only = await runCheck(check, {
      [WF]: yaml`
        on: pull_request_target
        jobs:
          label:
            runs-on: ubuntu-latest
            steps:
              - uses: actions/checkout@v7
                with:
                  ref: \${{ github.event.pull_request.head.sha }}
                  allow-unsafe-pr-checkout: true
              - uses: actions/labeler@v5
      `,
    });
    assert.equal(only.findings[0].severity, 'medium');
    assert.match(only.findings[0].message, /nothing runs it afterwards as written/);
  });

  it('treats $/ self-repository actions after a head checkout as running its code, and walks parallel: groups', async () => {
    const { findings } = await runCheck(check, {
      [WF]: yaml`
        on: pull_request_target
        jobs:
          test:
            runs-on: ubuntu-latest
            steps:
              - parallel:
                  - uses: actions/checkout@v4
                    with:
                      ref: \${{ github.event.pull_request.head.sha }}
              - uses: $/.github/actions/build
      `,
    });
    assert.equal(findings[0].severity, 'high');
    assert.equal(findings[0].confidence, 'high');
    assert.match(findings[0].message, /and then runs scripts from it/);
  });
});
