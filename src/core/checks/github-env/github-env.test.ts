import * as assert from 'node:assert/strict';
import { check } from './github-env';
import { assertFindingsAt, runCheck, yaml } from '../../../../test/support/check-tester';

const WF = '.github/workflows/pr.yml';

describe('github-env', () => {
  it('reports outsiders\' text appended to GITHUB_ENV / GITHUB_PATH in every written form, with lines', async () => {
    const { findings, result } = await runCheck(check, {
      [WF]: yaml`
        on: pull_request_target
        jobs:
          label:
            runs-on: ubuntu-latest
            env:
              BODY: \${{ github.event.pull_request.body }}
            steps:
              - name: Save description
                run: |
                  echo "building"
                  echo "PR_BODY=$BODY" >> $GITHUB_ENV
                  echo "B2=\${BODY}" >> "$GITHUB_ENV"
                  echo "\${{ github.event.pull_request.body }}" | tee -a "\${GITHUB_ENV}"
              - run: echo "$BODY" >> "$GITHUB_PATH"
              - name: group
                run: |
                  {
                    echo "NOTES<<EOF"
                    echo "$BODY"
                    echo "EOF"
                  } >> "$GITHUB_ENV"
              - name: windows
                shell: pwsh
                run: |
                  "X=$env:BODY" | Out-File -FilePath $env:GITHUB_ENV -Encoding utf8 -Append
                  Add-Content -Path $env:GITHUB_ENV -Value "Y=$env:BODY"
      `,
    });
    assert.equal(result.status, 'fail');
    assertFindingsAt(findings, [`${WF}:11:11`, `${WF}:12:11`, `${WF}:13:11`, `${WF}:14:14`, `${WF}:17:11`, `${WF}:25:11`, `${WF}:26:11`]);
    assert.deepEqual(findings.map((f) => f.severity), ['high', 'high', 'high', 'high', 'high', 'high', 'high']);
    assert.match(findings[0].message, /^The step Save description of job label writes `\$BODY` to `\$GITHUB_ENV`: outsiders choose the pull request description \(pull_request_target\), and a line break in it adds environment variables/);
    assert.match(findings[3].message, /writes `\$BODY` to `\$GITHUB_PATH`/);
    assert.match(findings[2].message, /writes `\$\{\{ github.event.pull_request.body \}\}` to `\$GITHUB_ENV`/);
  });

  it('rates lower: single-line text after NAME=, a condition that keeps forks out, maintainers\' inputs; says so', async () => {
    const { findings } = await runCheck(check, {
      [WF]: yaml`
        on:
          pull_request_target:
          workflow_dispatch:
            inputs:
              tag: {type: string}
        jobs:
          a:
            runs-on: ubuntu-latest
            steps:
              - run: echo "BRANCH=\${{ github.head_ref }}" >> "$GITHUB_ENV"
              - run: echo "BRANCH=$GITHUB_HEAD_REF" >> "$GITHUB_ENV"
              - run: echo "TAG=\${{ inputs.tag }}" >> "$GITHUB_ENV"
          b:
            if: github.event.pull_request.head.repo.full_name == github.repository
            runs-on: ubuntu-latest
            steps:
              - run: echo "NOTES=\${{ github.event.pull_request.body }}" >> "$GITHUB_ENV"
      `,
    });
    assertFindingsAt(findings, [`${WF}:10:14`, `${WF}:11:14`, `${WF}:12:14`, `${WF}:17:14`]);
    assert.deepEqual(findings.map((f) => [f.severity, f.confidence]), [['medium', 'low'], ['medium', 'low'], ['low', 'medium'], ['medium', 'medium']]);
    assert.match(findings[0].message, /cannot hold a line break, so it sets only this variable's value/);
    assert.match(findings[2].message, /input `tag` is chosen by whoever runs or calls the workflow/);
  });

  it('passes fixed values, maintainers\' contexts, single-quoted text, quoted here-documents and other files', async () => {
    const { findings, result } = await runCheck(check, {
      [WF]: yaml`
        on: pull_request_target
        jobs:
          a:
            runs-on: ubuntu-latest
            env:
              TITLE: \${{ github.event.pull_request.title }}
            steps:
              - run: |
                  echo "SOURCE_DATE_EPOCH=$(git log -1 --pretty=%ct)" >> $GITHUB_ENV
                  echo "TARGET_FLAGS=--target \${{ matrix.target }}" >> $GITHUB_ENV
                  echo 'LITERAL=$TITLE' >> "$GITHUB_ENV"
                  echo "VERSION=\${{ github.ref_name }}" >> $GITHUB_ENV
                  echo /usr/lib/llvm-22/bin >>"\${GITHUB_PATH}"
                  echo "$TITLE" >> notes.txt
                  # echo "$TITLE" >> $GITHUB_ENV
                  cat >> "$GITHUB_ENV" <<'EOF'
                  T=$TITLE
                  EOF
      `,
    });
    assert.deepEqual(findings, []);
    assert.equal(result.status, 'pass');
  });

  it('reads a push workflow\'s commit message as not-outsider (medium) and composite actions\' inputs as low', async () => {
    const { findings } = await runCheck(check, {
      '.github/workflows/push.yml': yaml`
        on: push
        jobs:
          a:
            runs-on: ubuntu-latest
            steps:
              - run: echo "MSG=\${{ github.event.head_commit.message }}" >> $GITHUB_ENV
      `,
      'action.yml': yaml`
        inputs:
          dir: {}
        runs:
          using: composite
          steps:
            - shell: bash
              run: echo "\${{ inputs.dir }}" >> "$GITHUB_PATH"
      `,
    });
    assertFindingsAt(findings, ['.github/workflows/push.yml:6:14', 'action.yml:7:12']);
    assert.deepEqual(findings.map((f) => f.severity), ['medium', 'low']);
  });
});
