import * as assert from 'node:assert/strict';
import { check } from './self-hosted-runner';
import { assertFindingsAt, runCheck, yaml } from '../../../../test/support/check-tester';
import type { RepoFacts } from '../../model/facts';

const WF = '.github/workflows/ci.yml';

const unknown = { known: false as const, reason: 'test' };
function facts(visibility: RepoFacts['visibility']): RepoFacts {
  return { owner: 'o', repo: 'r', htmlUrl: 'https://github.com/o/r', visibility, archived: unknown, viewerPermission: unknown, licenseSpdx: unknown, privateVulnerabilityReporting: unknown, defaultBranchRules: unknown };
}

const PR_WORKFLOW = yaml`
  on:
    pull_request:
      branches: [main]
  jobs:
    a:
      runs-on: self-hosted
      steps: [{run: make}]
    b:
      runs-on: [self-hosted, linux, x64]
      steps: [{run: make}]
    c:
      runs-on:
        group: build-farm
        labels: ["Self-Hosted", gpu]
      steps: [{run: make}]
    d:
      runs-on: {group: big-runners}
      steps: [{run: make}]
`;

describe('self-hosted-runner', () => {
  it('reports string, list and labels forms at the label, higher for pull request workflows', async () => {
    const { findings, result } = await runCheck(check, { [WF]: PR_WORKFLOW });
    assert.equal(result.status, 'fail');
    assertFindingsAt(findings, [`${WF}:6:14`, `${WF}:9:15`, `${WF}:14:16`, `${WF}:17:22`]);
    assert.deepEqual(findings.map((f) => f.severity), ['medium', 'medium', 'medium', 'medium']);
    assert.deepEqual(findings.map((f) => f.confidence), ['high', 'high', 'high', 'low']);
    assert.match(findings[0].message, /^Job a runs on a self-hosted runner \(the self-hosted label\), and the workflow runs for pull_request: in a public repository/);
    assert.match(findings[3].message, /runner group 'big-runners'/);
    assert.match(result.reason, /4 runner settings select self-hosted runners, 4 in workflows that run for outside pull requests/);
  });

  it('rates by repository visibility when GitHub facts are known', async () => {
    const pub = await runCheck(check, { [WF]: PR_WORKFLOW }, { facts: facts('public') });
    assert.deepEqual(pub.findings.map((f) => f.severity), ['high', 'high', 'high', 'high']);
    const priv = await runCheck(check, { [WF]: PR_WORKFLOW }, { facts: facts('private') });
    assert.deepEqual(priv.findings.map((f) => f.severity), ['low', 'low', 'low', 'low']);
  });

  it('is informational for trusted triggers and resolves matrix labels and anchors', async () => {
    const { findings } = await runCheck(check, {
      [WF]: yaml`
        on: [push, workflow_dispatch]
        jobs:
          build:
            strategy:
              matrix:
                os: [ubuntu-latest, self-hosted]
            runs-on: \${{ matrix.os }}
            steps: [{run: make}]
          again:
            runs-on: &sh self-hosted
            steps: [{run: make}]
          more:
            runs-on: *sh
            steps: [{run: make}]
          listed:
            strategy:
              matrix:
                include:
                  - runner: [self-hosted, arm64]
                  - runner: [ubuntu-latest]
            runs-on: \${{ matrix.runner }}
            steps: [{run: make}]
      `,
    });
    assertFindingsAt(findings, [`${WF}:6:29`, `${WF}:10:18`, `${WF}:10:18`, `${WF}:19:22`]);
    assert.deepEqual(findings.map((f) => f.severity), ['info', 'info', 'info', 'info']);
    assert.match(findings[0].message, /^Job build runs on a self-hosted runner \(the self-hosted label \(from the job matrix\)\)$/);
  });

  it('passes GitHub-hosted runners and unresolvable expressions; n/a without workflows', async () => {
    const { findings, result } = await runCheck(check, {
      [WF]: yaml`
        "on": {pull_request_target: {}}
        jobs:
          a: {runs-on: ubuntu-latest, steps: [{run: make}]}
          b:
            runs-on: [ubuntu-24.04-arm]
            steps: [{run: make}]
          c:
            runs-on: \${{ inputs.runner }}
            steps: [{run: make}]
          d:
            uses: ./.github/workflows/reusable.yml
      `,
    });
    assert.deepEqual(findings, []);
    assert.equal(result.status, 'pass');
    assert.equal((await runCheck(check, { 'action.yml': 'name: x\nruns: {using: node20, main: x.js}\n' })).result.status, 'not-applicable');
  });
});
