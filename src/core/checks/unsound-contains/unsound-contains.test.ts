import * as assert from 'node:assert/strict';
import { check } from './unsound-contains';
import { assertFindingsAt, runCheck, yaml } from '../../../../test/support/check-tester';
import { assertFixRoundTrip } from '../../../../test/support/fix-tester';

const WF = '.github/workflows/deploy.yml';

describe('unsound-contains', () => {
  const before = yaml`
    on:
      push:
      pull_request_target:
    jobs:
      deploy:
        if: contains('refs/heads/main refs/heads/release', github.ref)
        runs-on: ubuntu-latest
        steps:
          - run: ./deploy
            if: \${{ github.event_name == 'push' && contains('main,dev', github.head_ref) }}
          - run: echo
            if: "!contains('push pull_request_target', github.event_name)"
          - run: echo
            if: contains('it''s main', github.ref)
  `;

  it('reports a string haystack with a context needle, graded by who chooses the value', async () => {
    const { findings, result } = await runCheck(check, { [WF]: before });
    assert.equal(result.status, 'fail');
    assertFindingsAt(findings, [`${WF}:6:9`, `${WF}:10:48`, `${WF}:12:15`, `${WF}:14:13`]);
    assert.deepEqual(findings.map((f) => f.severity), ['medium', 'high', 'low', 'medium']);
    assert.match(findings[0].message, /^The `if:` of job deploy asks whether `github.ref` is part of the text 'refs\/heads\/main refs\/heads\/release', not one of its items/);
    assert.match(findings[1].message, /the pull request's branch name is chosen by outsiders/);
    assert.deepEqual(findings.map((f) => f.fixes.length), [1, 1, 1, 0]);
    assert.equal(findings[0].fixes[0].safe, true);
  });

  it('fixes to contains(fromJSON(…)) in plain, ${{ }} and double-quoted conditions; the result reads back', async () => {
    const { files, remaining } = await assertFixRoundTrip(check, { [WF]: before });
    assert.equal(
      files[WF],
      yaml`
        on:
          push:
          pull_request_target:
        jobs:
          deploy:
            if: contains(fromJSON('["refs/heads/main","refs/heads/release"]'), github.ref)
            runs-on: ubuntu-latest
            steps:
              - run: ./deploy
                if: \${{ github.event_name == 'push' && contains(fromJSON('["main","dev"]'), github.head_ref) }}
              - run: echo
                if: "!contains(fromJSON('[\\"push\\",\\"pull_request_target\\"]'), github.event_name)"
              - run: echo
                if: contains('it''s main', github.ref)
      `,
    );
    assertFindingsAt(remaining, [`${WF}:14:13`]);
  });

  it('passes lists, startsWith, and contains over a context haystack', async () => {
    const { findings, result } = await runCheck(check, {
      [WF]: yaml`
        on: push
        jobs:
          a:
            if: contains(fromJSON('["refs/heads/main"]'), github.ref) || contains(github.event.head_commit.message, '[skip ci]')
            runs-on: ubuntu-latest
            steps:
              - run: echo
                if: contains(github.event.pull_request.labels.*.name, 'deploy') && startsWith(github.ref, 'refs/tags/')
      `,
    });
    assert.deepEqual(findings, []);
    assert.equal(result.status, 'pass');
  });
});
