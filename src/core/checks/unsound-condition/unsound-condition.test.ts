import * as assert from 'node:assert/strict';
import { check } from './unsound-condition';
import { assertFindingsAt, runCheck, yaml } from '../../../../test/support/check-tester';
import { assertFixRoundTrip } from '../../../../test/support/fix-tester';

const WF = '.github/workflows/ci.yml';

describe('unsound-condition', () => {
  it('reports block scalars and mixed text at the start of the if: value', async () => {
    const { findings, result } = await runCheck(check, {
      [WF]: yaml`
        on: push
        jobs:
          deploy:
            if: |
              \${{ github.ref == 'refs/heads/main' }}
            runs-on: ubuntu-latest
            steps:
              - run: ./deploy
                "if": \${{ github.event_name == 'push' }} && \${{ !github.event.repository.fork }}
              - run: echo
                if: >
                  \${{ github.actor ==
                  'octocat' }}
      `,
      'action.yml': 'runs:\n  using: composite\n  steps:\n    - shell: bash\n      run: echo\n      if: "${{ inputs.go }} "\n',
    });
    assert.equal(result.status, 'fail');
    assertFindingsAt(findings, [`${WF}:4:9`, `${WF}:9:15`, `${WF}:11:13`, 'action.yml:6:11']);
    assert.match(findings[0].message, /`if:` of job deploy is always true: the `\|` block keeps a line break/);
    assert.match(findings[1].message, /step 1 of job deploy is always true: text outside/);
  });

  it('accepts single expressions, |- blocks, bare conditions and multi-line conditions without braces', async () => {
    const { findings, result } = await runCheck(check, {
      [WF]: yaml`
        on: push
        jobs:
          a:
            if: \${{ github.ref == 'refs/heads/main' }}
            runs-on: ubuntu-latest
            steps:
              - run: echo
                if: |-
                  \${{ success() }}
              - run: echo
                if: |
                  github.event_name == 'push' &&
                  !cancelled()
              - run: echo
                if: "\${{ always() }}"
              - run: echo
                if: github.actor != 'x'
      `,
    });
    assert.deepEqual(findings, []);
    assert.equal(result.status, 'pass');
  });

  it('fixes to a plain single-line expression, keeping header comments; no fix when text cannot be joined safely', async () => {
    const before = yaml`
      on: push
      jobs:
        deploy:
          if: | # only main
            \${{ github.ref == 'refs/heads/main' }}
          runs-on: ubuntu-latest
          steps:
            - run: ./deploy
              if: \${{ github.event_name == 'push' }} && \${{ a || b }}
            - run: echo
              if: >
                \${{ github.actor ==
                'octocat' }}
            - run: echo
              if: \${{ github.actor }} == 'x'
            - run: echo
              if: \${{ a }}\${{ b }}
            - run: echo
              if: |
                \${{ contains('a
                b', github.actor) }}
    `;
    const first = await runCheck(check, { [WF]: before });
    assert.deepEqual(first.findings.map((f) => f.fixes.length), [1, 1, 1, 0, 0, 0]);
    assert.equal(first.findings[0].fixes[0].safe, false);
    const { files, remaining } = await assertFixRoundTrip(check, { [WF]: before }, { unsafe: true });
    assert.equal(
      files[WF],
      yaml`
        on: push
        jobs:
          deploy:
            if: \${{ github.ref == 'refs/heads/main' }} # only main
            runs-on: ubuntu-latest
            steps:
              - run: ./deploy
                if: \${{ github.event_name == 'push' && (a || b) }}
              - run: echo
                if: \${{ github.actor == 'octocat' }}
              - run: echo
                if: \${{ github.actor }} == 'x'
              - run: echo
                if: \${{ a }}\${{ b }}
              - run: echo
                if: |
                  \${{ contains('a
                  b', github.actor) }}
      `,
    );
    assertFindingsAt(remaining, [`${WF}:12:13`, `${WF}:14:13`, `${WF}:16:13`]);
  });
});
