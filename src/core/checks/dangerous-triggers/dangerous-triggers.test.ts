import * as assert from 'node:assert/strict';
import { check } from './dangerous-triggers';
import { assertFindingsAt, runCheck, yaml } from '../../../../test/support/check-tester';

const WF = '.github/workflows/ci.yml';

describe('dangerous-triggers', () => {
  it('rates pull_request_target high when a job checks out the PR head and runs it, pointing at the trigger', async () => {
    const { findings, result } = await runCheck(check, {
      [WF]: yaml`
        name: pr
        "on":
          pull_request_target:
            types: [opened, synchronize]
        jobs:
          test:
            runs-on: ubuntu-latest
            steps:
              - uses: actions/checkout@v4
                with:
                  ref: \${{ github.event.pull_request.head.sha }}
              - run: npm ci && npm test
      `,
    });
    assert.equal(result.status, 'fail');
    assertFindingsAt(findings, [`${WF}:3:3`]);
    assert.equal(findings[0].severity, 'high');
    assert.equal(findings[0].confidence, 'high');
    assert.match(findings[0].message, /job test checks out the pull request's code and then runs scripts from it/);
    assert.deepEqual(findings[0].related?.map((r) => `${r.start.line}:${r.start.column}`), ['11:16']);
  });

  it('sees gh pr checkout, list and scalar `on:` forms, anchors, and workflow_run head branches', async () => {
    const { findings } = await runCheck(check, {
      '.github/workflows/a.yml': yaml`
        on: [pull_request_target]
        jobs:
          a:
            runs-on: ubuntu-latest
            steps:
              - run: gh pr checkout \${{ github.event.number }} && make
      `,
      '.github/workflows/b.yml': yaml`
        on:
          workflow_run: {workflows: [CI], types: [completed]}
        x-checkout: &co
          ref: \${{ github.event.workflow_run.head_branch }}
        jobs:
          a:
            runs-on: ubuntu-latest
            steps:
              - uses: actions/checkout@v4
                with: *co
      `,
      '.github/workflows/c.yml': 'on: pull_request_target\njobs: {}\n',
      '.github/workflows/d.yml': yaml`
        on: {pull_request_target: {branches: [main]}}
        jobs:
          build:
            uses: ./.github/workflows/build.yml
            with:
              ref: \${{ github.event.pull_request.head.sha }}
      `,
    });
    assertFindingsAt(findings, ['.github/workflows/a.yml:1:6', '.github/workflows/b.yml:2:3', '.github/workflows/c.yml:1:5', '.github/workflows/d.yml:1:6']);
    assert.deepEqual(findings.map((f) => f.severity), ['high', 'high', 'low', 'high']);
    assert.match(findings[3].message, /job build hands the pull request's code to a reusable workflow: a pull request from a fork/);
    assert.equal(findings[1].confidence, 'medium'); // checked out, nothing visibly run afterwards
    assert.match(findings[2].message, /no job checks out or runs the pull request's code, which is the safe way/);
  });

  it('rates guarded checkouts and artifact downloads medium', async () => {
    const { findings } = await runCheck(check, {
      '.github/workflows/a.yml': yaml`
        on: pull_request_target
        jobs:
          a:
            if: github.event.pull_request.head.repo.full_name == github.repository
            runs-on: ubuntu-latest
            steps:
              - uses: actions/checkout@v4
                with: {ref: "\${{ github.head_ref }}"}
              - run: make
      `,
      '.github/workflows/b.yml': yaml`
        on:
          workflow_run:
            workflows: [Build]
        jobs:
          a:
            runs-on: ubuntu-latest
            steps:
              - uses: actions/download-artifact@v4
                with:
                  run-id: \${{ github.event.workflow_run.id }}
      `,
    });
    assertFindingsAt(findings, ['.github/workflows/a.yml:1:5', '.github/workflows/b.yml:2:3']);
    assert.deepEqual(findings.map((f) => f.severity), ['medium', 'medium']);
    const gated = await runCheck(check, {
      [WF]: yaml`
        on:
          pull_request_target:
            types: [labeled]
        jobs:
          a:
            if: contains(github.event.pull_request.labels.*.name, 'safe to test')
            runs-on: ubuntu-latest
            steps:
              - uses: actions/checkout@v4
                with:
                  ref: refs/pull/\${{ github.event.number }}/merge
              - run: make test
      `,
    });
    assertFindingsAt(gated.findings, [`${WF}:2:3`]);
    assert.equal(gated.findings[0].severity, 'medium');
    assert.match(gated.findings[0].message, /only after a maintainer's approval .* commits pushed after the approval run too/);
    assert.match(findings[0].message, /its conditions keep forks' and outsiders' runs out on every path — keep that guard/);
    assert.match(findings[1].message, /downloads artifacts of the triggering run/);
  });

  it('does not flag pull_request, push, issue_comment, or the words in strings', async () => {
    const { findings, result } = await runCheck(check, {
      '.github/workflows/a.yml': yaml`
        on: pull_request
        jobs:
          a:
            runs-on: ubuntu-latest
            steps:
              - uses: actions/checkout@v4
                with:
                  ref: \${{ github.event.pull_request.head.sha }}
              - run: echo pull_request_target workflow_run
      `,
      '.github/workflows/b.yml': 'on:\n  push:\n    branches: [main]\n  issue_comment:\njobs: {}\n',
      '.github/workflows/c.yml': 'name: pull_request_target\non: {workflow_dispatch: {}}\njobs: {}\n',
    });
    assert.deepEqual(findings, []);
    assert.equal(result.status, 'pass');
  });
});
