import * as assert from 'node:assert/strict';
import { check } from './spoofable-bot-condition';
import { assertFindingsAt, runCheck, yaml } from '../../../../test/support/check-tester';

const WF = '.github/workflows/ci.yml';

describe('spoofable-bot-condition', () => {
  it('reports actor comparisons with bot names at the actor reference, high on pull_request_target', async () => {
    const { findings, result } = await runCheck(check, {
      [WF]: yaml`
        on:
          pull_request_target:
        jobs:
          automerge:
            if: github.actor == 'dependabot[bot]'
            runs-on: ubuntu-latest
            steps:
              - run: gh pr merge --auto "$PR"
                if: \${{ 'renovate[bot]' == github.triggering_actor && github.event.action == 'opened' }}
              - run: echo
                if: >-
                  \${{ contains(fromJSON('["dependabot[bot]", "renovate[bot]"]'),
                  github.actor) }}
      `,
    });
    assert.equal(result.status, 'fail');
    assertFindingsAt(findings, [`${WF}:5:9`, `${WF}:9:36`, `${WF}:13:11`]);
    assert.deepEqual(findings.map((f) => f.severity), ['high', 'high', 'high']);
    assert.match(findings[0].message, /job automerge trusts `github.actor` being `dependabot\[bot\]`/);
    assert.match(findings[2].message, /being `\["dependabot\[bot\]", "renovate\[bot\]"\]`/);
  });

  it('rates pull_request medium and reusable workflows low, and checks composite actions', async () => {
    const { findings } = await runCheck(check, {
      '.github/workflows/a.yml': 'on: pull_request\njobs:\n  a:\n    if: "github.actor == \'dependabot[bot]\'"\n    runs-on: x\n    steps: []\n',
      '.github/workflows/b.yml': 'on: [workflow_call]\njobs:\n  a: {if: "${{ github.ACTOR == \'github-actions[bot]\' }}", runs-on: x, steps: []}\n',
      'action.yml': "runs:\n  using: composite\n  steps:\n    - run: echo\n      shell: bash\n      if: github.actor == 'renovate[bot]'\n",
    });
    assertFindingsAt(findings, ['.github/workflows/a.yml:4:10', '.github/workflows/b.yml:3:16', 'action.yml:6:11']);
    assert.deepEqual(findings.map((f) => f.severity), ['medium', 'low', 'medium']);
  });

  it('accepts author checks, inequality, non-bot actors and bot names compared with other contexts', async () => {
    const { findings, result } = await runCheck(check, {
      [WF]: yaml`
        on: pull_request_target
        jobs:
          a:
            if: github.event.pull_request.user.login == 'dependabot[bot]'
            runs-on: ubuntu-latest
            steps:
              - run: echo
                if: github.actor != 'dependabot[bot]'
              - run: echo
                if: \${{ github.actor == 'octocat' }}
              - run: echo "github.actor == 'dependabot[bot]'"
      `,
      '.github/workflows/status.yml': "on: status\njobs:\n  a:\n    if: github.event.sender.login == 'appveyor[bot]'\n    runs-on: x\n    steps: []\n",
      '.github/workflows/push.yml': "on: push\njobs:\n  a:\n    if: github.actor == 'dependabot[bot]'\n    runs-on: x\n    steps: []\n",
    });
    assert.deepEqual(findings, []);
    assert.equal(result.status, 'pass');
  });
});

describe('spoofable-bot-condition: every spelling of the actor and the bots', () => {
  it('github[\'actor\'], case variants, github.actor_id with the bots\' numeric ids (number, string, list)', async () => {
    const WF = '.github/workflows/automerge.yml';
    const { findings } = await runCheck(check, {
      [WF]: yaml`
        on: pull_request_target
        jobs:
          a:
            if: github['actor'] == 'dependabot[bot]'
            runs-on: ubuntu-latest
            steps:
              - run: gh pr merge --auto
                if: GitHub.Actor == 'Dependabot[bot]'
              - run: echo
                if: \${{ github.actor_id == 49699333 }}
              - run: echo
                if: github.actor_id == '29139614'
              - run: echo
                if: contains(fromJSON('[41898282, 49699333]'), github.actor_id)
              - run: echo
                if: github.event.sender.id == 41898282
              - run: echo
                if: github.actor_id == 12345 || github.actor != 'dependabot[bot]'
      `,
    });
    assertFindingsAt(findings, [`${WF}:4:9`, `${WF}:8:13`, `${WF}:10:17`, `${WF}:12:13`, `${WF}:14:56`, `${WF}:16:13`]);
    assert.match(findings[0].message, /trusts `github\['actor'\]` being `dependabot\[bot\]`/);
    assert.match(findings[2].message, /trusts `github.actor_id` being `dependabot\[bot\] \(id 49699333\)`/);
    assert.match(findings[3].message, /`renovate\[bot\] \(id 29139614\)`/);
    assert.match(findings[4].message, /`github-actions\[bot\] \(id 41898282\)`/);
    assert.ok(findings.every((f) => f.severity === 'high'));
  });
});
