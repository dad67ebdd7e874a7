import * as assert from 'node:assert/strict';
import { check } from './insecure-commands';
import { assertFindingsAt, runCheck, yaml } from '../../../../test/support/check-tester';
import { assertFixRoundTrip } from '../../../../test/support/fix-tester';

const WF = '.github/workflows/ci.yml';

describe('insecure-commands', () => {
  it('reports the variable at every env level, at the key, and writes to $GITHUB_ENV', async () => {
    const { findings, result } = await runCheck(check, {
      [WF]: yaml`
        on: push
        env:
          ACTIONS_ALLOW_UNSECURE_COMMANDS: true
        jobs:
          a:
            runs-on: ubuntu-latest
            env: {"ACTIONS_ALLOW_UNSECURE_COMMANDS": 'yes'}
            steps:
              - run: echo
                env:
                  OTHER: 1
                  ACTIONS_ALLOW_UNSECURE_COMMANDS: \${{ inputs.legacy }}
              - run: echo "ACTIONS_ALLOW_UNSECURE_COMMANDS=true" >> "$GITHUB_ENV"
      `,
      'action.yml': 'runs:\n  using: composite\n  steps:\n    - shell: bash\n      run: echo\n      env:\n        ACTIONS_ALLOW_UNSECURE_COMMANDS: 1\n',
    });
    assert.equal(result.status, 'fail');
    assertFindingsAt(findings, [`${WF}:3:3`, `${WF}:7:11`, `${WF}:12:11`, `${WF}:13:20`, "action.yml:7:9"]);
    assert.match(findings[0].message, /set to `true` for the whole workflow/);
    assert.equal(findings[2].confidence, 'medium');
  });

  it('accepts false values, other variables and the name in plain text', async () => {
    const { findings, result } = await runCheck(check, {
      [WF]: yaml`
        on: push
        env:
          ACTIONS_ALLOW_UNSECURE_COMMANDS: false
        jobs:
          a:
            runs-on: ubuntu-latest
            env:
              ACTIONS_ALLOW_UNSECURE_COMMANDS: "0"
            steps:
              - run: echo ACTIONS_ALLOW_UNSECURE_COMMANDS is off
                env: {ACTIONS_STEP_DEBUG: true}
      `,
    });
    assert.deepEqual(findings, []);
    assert.equal(result.status, 'pass');
  });

  it('fixes by removing the variable line, and the env key when it becomes empty', async () => {
    const before = yaml`
      on: push
      env: # legacy
        ACTIONS_ALLOW_UNSECURE_COMMANDS: true   # old action needs it
      jobs:
        a:
          runs-on: ubuntu-latest
          env:
            KEEP: 1
            ACTIONS_ALLOW_UNSECURE_COMMANDS: 'true'
            ALSO: 2
          steps:
            - run: echo
              env: {ACTIONS_ALLOW_UNSECURE_COMMANDS: true}
            - env:
                ACTIONS_ALLOW_UNSECURE_COMMANDS: true
              run: echo
    `;
    const first = await runCheck(check, { [WF]: before });
    assert.deepEqual(first.findings.map((f) => f.fixes.length), [1, 1, 1, 0]);
    const { files, remaining } = await assertFixRoundTrip(check, { [WF]: before });
    assert.equal(
      files[WF],
      yaml`
        on: push
        jobs:
          a:
            runs-on: ubuntu-latest
            env:
              KEEP: 1
              ALSO: 2
            steps:
              - run: echo
              - env:
                  ACTIONS_ALLOW_UNSECURE_COMMANDS: true
                run: echo
      `,
    );
    assertFindingsAt(remaining, [`${WF}:11:11`]);
  });
});

describe('insecure-commands: the skip of run steps in files that never name the variable (issue 19)', () => {
  it('still reports run steps and keys in any case, keys spelt with escapes or with letters that upper-case to I and S', async () => {
    const { findings } = await runCheck(check, {
      [WF]: 'on: push\nenv:\n  actions_allow_unsecure_commands: true\njobs:\n  a:\n    runs-on: x\n    steps:\n      - run: echo\n',
      '.github/workflows/escaped.yml': 'on: push\njobs:\n  a:\n    runs-on: x\n    env:\n      "\\x41CTIONS_ALLOW_UNS\\u0045CURE_COMMANDS": true\n    steps:\n      - run: echo\n',
      '.github/workflows/run.yml': 'on: push\njobs:\n  a:\n    runs-on: x\n    steps:\n      - run: echo "actions_allow_Unsecure_commands=1" >> $GITHUB_ENV\n',
      '.github/workflows/dotless.yml': 'on: push\nenv:\n  actıons_allow_unſecure_commands: true\njobs:\n  a:\n    runs-on: x\n    steps:\n      - run: echo\n',
    });
    assertFindingsAt(findings, [`${WF}:3:3`, '.github/workflows/dotless.yml:3:3', '.github/workflows/escaped.yml:6:7', '.github/workflows/run.yml:6:20']);
    assert.ok(!/ecure_command/i.test('\\x41CTIONS_ALLOW_UNS\\u0045CURE_COMMANDS'), 'the escaped key does not spell the tested part');
  });
});
