import * as assert from 'node:assert/strict';
import { check } from './secrets-exposure';
import { assertFindingsAt, runCheck, yaml } from '../../../../test/support/check-tester';

const WF = '.github/workflows/ci.yml';

describe('secrets-exposure', () => {
  it('reports secrets: inherit at the value, toJSON(secrets), computed names and fromJSON(secrets.X)', async () => {
    const { findings, result } = await runCheck(check, {
      [WF]: yaml`
        on: push
        jobs:
          call:
            uses: org/shared/.github/workflows/release.yml@v1
            'secrets': inherit
          a:
            runs-on: ubuntu-latest
            steps:
              - run: echo "$ALL" | jq .
                env:
                  ALL: \${{ toJSON(secrets) }}
                  ONE: \${{ secrets[format('TOKEN_{0}', matrix.env)] }}
              - uses: some/deploy@v1
                with:
                  key: "\${{ fromJSON(secrets.CLOUD).key }}"
      `,
    });
    assert.equal(result.status, 'fail');
    assertFindingsAt(findings, [`${WF}:5:16`, `${WF}:11:16`, `${WF}:12:16`, `${WF}:15:17`]);
    assert.match(findings[0].message, /Job call passes every repository and organisation secret to org\/shared\/.github\/workflows\/release.yml/);
    assert.match(findings[1].message, /serialises every secret/);
    assert.match(findings[2].message, /computed name/);
    assert.match(findings[3].message, /JSON secret apart/);
  });

  it('sees expressions split across lines, flow mappings and composite actions', async () => {
    const { findings } = await runCheck(check, {
      'action.yml': yaml`
        runs:
          using: composite
          steps:
            - shell: bash
              env: {S: "\${{ toJSON(
                    secrets) }}"}
              run: echo
      `,
      [WF]: 'on: push\njobs:\n  c: {uses: ./.github/workflows/x.yml, secrets: inherit}\n',
    });
    assertFindingsAt(findings, [`${WF}:3:49`, "action.yml:5:17"]);
    assert.deepEqual(findings.map((f) => f.severity), ['low', 'medium']);
    assert.match(findings[0].message, /this repository's workflow .\/.github\/workflows\/x.yml/);
  });

  it('accepts named secrets, inherit-free calls, secrets in comparisons and plain words', async () => {
    const { findings, result } = await runCheck(check, {
      [WF]: yaml`
        on: push
        jobs:
          call:
            uses: org/shared/.github/workflows/release.yml@v1
            secrets:
              NPM_TOKEN: \${{ secrets.NPM_TOKEN }}
          a:
            runs-on: ubuntu-latest
            if: \${{ secrets.TOKEN != '' }}
            steps:
              - run: echo "secrets inherit toJSON(secrets)"
                env:
                  T: \${{ secrets.TOKEN }}
                  J: \${{ fromJSON(vars.CONFIG).x }}
      `,
    });
    assert.deepEqual(findings, []);
    assert.equal(result.status, 'pass');
  });
  it('finds the secrets context however a file spells it: in capitals, through a double-quoted escape, across an escaped line break', async () => {
    const wf = (env: string) => `on: push\njobs:\n  a:\n    runs-on: x\n    env:\n      A: ${env}\n    steps:\n      - run: echo\n`;
    const { findings } = await runCheck(check, {
      '.github/workflows/upper.yml': wf('${{ toJSON(SECRETS) }}'),
      '.github/workflows/escape.yml': wf('"${{ toJSON(\\x73ecrets) }}"'),
      '.github/workflows/folded.yml': wf('"${{ toJSON(sec\\\n        rets) }}"'),
      '.github/workflows/none.yml': wf('${{ toJSON(github) }}'),
    });
    assert.deepEqual(findings.map((f) => `${f.location?.file}: ${/serialises every secret into one value/.test(f.message)}`).sort(), [
      '.github/workflows/escape.yml: true',
      '.github/workflows/folded.yml: true',
      '.github/workflows/upper.yml: true',
    ]);
  });
});
