import * as assert from 'node:assert/strict';
import { check } from './template-injection';
import { assertFindingsAt, runCheck, yaml } from '../../../../test/support/check-tester';
import { assertFixRoundTrip } from '../../../../test/support/fix-tester';

const WF = '.github/workflows/ci.yml';

describe('template-injection', () => {
  it('reports attacker-controlled text in run scripts at the expression, high on outsider triggers', async () => {
    const { findings, result } = await runCheck(check, {
      [WF]: yaml`
        on:
          pull_request_target:
            types: [opened]
        jobs:
          greet:
            runs-on: ubuntu-latest
            steps:
              - run: |
                  echo "Title: \${{ github.event.pull_request.title }}"
                  git checkout \${{github.head_ref}}
                  echo \${{ github.event.pull_request.number }} \${{ github.sha }}
              - "run": echo \${{ github.event.pull_request.head.ref }}
      `,
    });
    assert.equal(result.status, 'fail');
    assertFindingsAt(findings, [`${WF}:9:24`, `${WF}:10:24`, `${WF}:12:21`]);
    assert.deepEqual(findings.map((f) => f.severity), ['high', 'high', 'high']);
    assert.match(findings[0].message, /pull request title .* anyone who can open a pull request can make this step run commands/);
    assert.equal(findings[0].location?.end.column, 62);
  });

  it('rates push-time commit messages medium, inputs and unknown step outputs low, and checks github-script', async () => {
    const { findings } = await runCheck(check, {
      [WF]: yaml`
        on: [push, workflow_dispatch]
        jobs:
          a:
            runs-on: ubuntu-latest
            steps:
              - id: meta
                run: echo "x=$(git log -1 --format=%s)" >> "$GITHUB_OUTPUT"
              - run: >
                  echo \${{ github.event.head_commit.message }}
                  \${{ inputs.name }} \${{ steps.meta.outputs.x }}
              - uses: actions/github-script@v7
                with:
                  script: console.log("\${{ github.event.commits[0].author.name }}")
      `,
    });
    assertFindingsAt(findings, [`${WF}:9:16`, `${WF}:10:11`, `${WF}:10:30`, `${WF}:13:32`]);
    assert.deepEqual(findings.map((f) => `${f.severity}/${f.confidence}`), ['medium/high', 'low/medium', 'low/low', 'medium/high']);
  });

  it('points inside expressions split across lines, composite actions, anchors and env indirection', async () => {
    const { findings } = await runCheck(check, {
      'action.yml': yaml`
        name: a
        runs:
          using: composite
          steps:
            - shell: bash
              env:
                T: \${{ github.event.issue.title }}
              run: |
                echo \${{
                  github.event.issue.body }} \${{ env.T }}
      `,
      [WF]: yaml`
        on: issues
        env:
          SAFE: fixed
        jobs:
          a:
            runs-on: ubuntu-latest
            steps:
              - &s
                run: echo '\${{ github.event.issue.title }}' \${{ env.SAFE }}
              - *s
      `,
    });
    // The anchored step runs twice but is one expression on one line: one finding.
    assertFindingsAt(findings, [`${WF}:9:20`, 'action.yml:9:14', 'action.yml:10:38']);
    assert.match(findings[2].message, /issue title \(through `env.T`\)/);
    assert.match(findings[1].message, /the issue body/);
  });

  it('does not flag safe contexts: numbers, SHAs, repository, static matrix, secrets, booleans from functions', async () => {
    const { findings, result } = await runCheck(check, {
      [WF]: yaml`
        on: pull_request_target
        jobs:
          a:
            runs-on: \${{ matrix.os }}
            strategy:
              matrix:
                os: [ubuntu-latest, windows-latest]
                include:
                  - py: '3.12'
            steps:
              - run: |
                  echo \${{ github.event.pull_request.number }} \${{ github.event.pull_request.head.sha }}
                  echo \${{ github.repository }} \${{ github.run_id }} \${{ matrix.os }} \${{ matrix.py }}
                  echo \${{ secrets.TOKEN }} \${{ contains(github.event.pull_request.title, 'wip') }}
                  echo \${{ github.event.pull_request.title == 'x' }} \${{ github.event.pull_request.user.login }}
                  echo "\${{ github.actor }}" \${{ vars.NAME }} \${{ hashFiles('**/x') }}
              - run: echo github.event.issue.title
      `,
    });
    assert.deepEqual(findings, []);
    assert.equal(result.status, 'pass');
  });

  it('treats typed inputs, known action outputs and static nested matrix values as safe', async () => {
    const { findings } = await runCheck(check, {
      [WF]: yaml`
        on:
          workflow_dispatch:
            inputs:
              level: {type: choice, options: [a, b]}
              dry: {type: boolean}
              note: {description: free text}
        jobs:
          a:
            runs-on: ubuntu-latest
            strategy:
              matrix:
                py: [{key: "3.10", version: "3.10.4"}]
            steps:
              - id: co
                uses: actions/checkout@v4
              - run: echo \${{ inputs.level }} \${{ github.event.inputs.dry }} \${{ steps.co.outputs.commit }} \${{ matrix.py.key }} \${{ inputs.note }}
      `,
    });
    assertFindingsAt(findings, [`${WF}:16:122`]);
    assert.match(findings[0].message, /input `note`/);
  });

  it('flags a matrix computed from untrusted data but not one from a fixed list', async () => {
    const { findings } = await runCheck(check, {
      [WF]: yaml`
        on: issue_comment
        jobs:
          a:
            runs-on: ubuntu-latest
            strategy:
              matrix:
                arg: ["\${{ github.event.comment.body }}"]
            steps:
              - run: echo \${{ matrix.arg }}
      `,
    });
    assertFindingsAt(findings, [`${WF}:9:19`]);
    assert.match(findings[0].message, /the comment text \(through `matrix.arg`\)/);
    assert.equal(findings[0].severity, 'high');
  });

  it('fixes by moving expressions into env, quoting for the shell and reusing env names', async () => {
    const before = yaml`
      on: issues
      jobs:
        a:
          runs-on: ubuntu-latest
          steps:
            - name: greet # say hi
              run: |
                echo "Title: \${{ github.event.issue.title }}"
                echo \${{ github.event.issue.body }} '\${{ github.event.issue.title }}'
            - run: echo \${{ github.event.issue.title }}
              env:
                TITLE: \${{ github.event.issue.title }}
            - shell: pwsh
              run: Write-Host \${{ github.event.issue.title }}
            - uses: actions/github-script@v7
              with:
                script: |
                  const body = '\${{ github.event.issue.body }}'
                  core.info("t=\${{ github.event.issue.title }}")
    `;
    const { files, remaining } = await assertFixRoundTrip(check, { [WF]: before });
    assert.equal(
      files[WF],
      yaml`
        on: issues
        jobs:
          a:
            runs-on: ubuntu-latest
            steps:
              - name: greet # say hi
                run: |
                  echo "Title: \${ISSUE_TITLE}"
                  echo "$ISSUE_BODY" "$ISSUE_TITLE"
                env:
                  ISSUE_TITLE: \${{ github.event.issue.title }}
                  ISSUE_BODY: \${{ github.event.issue.body }}
              - run: echo "$TITLE"
                env:
                  TITLE: \${{ github.event.issue.title }}
              - shell: pwsh
                run: Write-Host \${env:ISSUE_TITLE}
                env:
                  ISSUE_TITLE: \${{ github.event.issue.title }}
              - uses: actions/github-script@v7
                with:
                  script: |
                    const body = process.env.ISSUE_BODY
                    core.info("t=" + process.env.ISSUE_TITLE + "")
                env:
                  ISSUE_BODY: \${{ github.event.issue.body }}
                  ISSUE_TITLE: \${{ github.event.issue.title }}
      `,
    );
    assert.deepEqual(remaining, []);
  });

  it('fixes flow-mapping env, double-quoted scalars and heredocs; offers no fix where quoting cannot be kept', async () => {
    const before = yaml`
      on: issue_comment
      jobs:
        a:
          runs-on: ubuntu-latest
          steps:
            - run: "echo \${{ github.event.comment.body }}"
              env: {A: b}
            - run: |
                cat <<EOF
                \${{ github.event.comment.body }}
                EOF
            - run: |
                cat <<'EOF'
                \${{ github.event.comment.body }}
                EOF
            - run: \${{ github.event.comment.body }}
    `;
    const first = await runCheck(check, { [WF]: before });
    assert.deepEqual(first.findings.map((f) => f.fixes.length), [1, 1, 0, 0]);
    const { files } = await assertFixRoundTrip(check, { [WF]: before });
    assert.equal(
      files[WF],
      yaml`
        on: issue_comment
        jobs:
          a:
            runs-on: ubuntu-latest
            steps:
              - run: "echo \\"$COMMENT_BODY\\""
                env: {A: b, COMMENT_BODY: '\${{ github.event.comment.body }}'}
              - run: |
                  cat <<EOF
                  \${COMMENT_BODY}
                  EOF
                env:
                  COMMENT_BODY: \${{ github.event.comment.body }}
              - run: |
                  cat <<'EOF'
                  \${{ github.event.comment.body }}
                  EOF
              - run: \${{ github.event.comment.body }}
      `,
    );
  });

  it('offers no rewrite of an unquoted step output (word splitting would change) and avoids names the script uses', async () => {
    const before = yaml`
      on: push
      jobs:
        a:
          runs-on: ubuntu-latest
          steps:
            - id: files
              run: echo "list=$(ls)" >> "$GITHUB_OUTPUT"
            - run: FILES_LIST=1; for f in \${{ steps.files.outputs.list }}; do echo $f; done
            - run: FILES_LIST=1; echo "\${{ steps.files.outputs.list }}"
            - run: |
                for f in \${{ steps.files.outputs.list }}; do echo $f; done
                echo "\${{ steps.files.outputs.other }}"
    `;
    const { findings } = await runCheck(check, { [WF]: before });
    assert.deepEqual(findings.map((f) => f.fixes.length), [0, 1, 0, 0]);
    assert.equal(findings[1].fixes[0].safe, true);
    // Nothing from outsiders in the third step: the quoted value stays too, rather than half a conversion.
    assert.match(findings[3].message, /No rewrite offered for this step: other values in the same script stand unquoted/);
    const { files } = await assertFixRoundTrip(check, { [WF]: before });
    assert.match(files[WF], /for f in \$\{\{ steps.files.outputs.list \}\}; do/);
    assert.match(files[WF], /echo "\$\{FILES_LIST_2\}"\n {8}env:\n {10}FILES_LIST_2: \$\{\{ steps.files.outputs.list \}\}\n/);
  });

  it('uses PowerShell syntax on Windows runners by default and keeps CRLF line endings', async () => {
    const before = 'on: issues\r\njobs:\r\n  a:\r\n    runs-on: windows-latest\r\n    steps:\r\n      - run: echo "${{ github.event.issue.title }}" "${{ github.event.inputs.tag }}"\r\n';
    const { files } = await assertFixRoundTrip(check, { [WF]: before }, { unsafe: true });
    assert.equal(
      files[WF],
      'on: issues\r\njobs:\r\n  a:\r\n    runs-on: windows-latest\r\n    steps:\r\n      - run: echo "${env:ISSUE_TITLE}" "${env:INPUT_TAG}"\r\n        env:\r\n          ISSUE_TITLE: ${{ github.event.issue.title }}\r\n          INPUT_TAG: ${{ github.event.inputs.tag }}\r\n',
    );
  });

  it('offers no fix for a script shared through an anchor', async () => {
    const { findings } = await runCheck(check, {
      [WF]: yaml`
        on: issues
        jobs:
          a:
            runs-on: ubuntu-latest
            steps:
              - run: &greet echo \${{ github.event.issue.title }}
              - run: *greet
      `,
    });
    assertFindingsAt(findings, [`${WF}:6:26`]);
    assert.deepEqual(findings.map((f) => f.fixes.length), [0]);
  });

  it('reuses a job-level env variable holding the same expression unless the step redefines it', async () => {
    const before = yaml`
      on: issues
      jobs:
        a:
          runs-on: ubuntu-latest
          env:
            TITLE: \${{ github.event.issue.title }}
          steps:
            - run: echo \${{ github.event.issue.title }}
              env:
                OTHER: x
            - run: echo \${{ github.event.issue.title }}
              env:
                TITLE: changed
    `;
    const { files } = await assertFixRoundTrip(check, { [WF]: before });
    assert.equal(
      files[WF],
      yaml`
        on: issues
        jobs:
          a:
            runs-on: ubuntu-latest
            env:
              TITLE: \${{ github.event.issue.title }}
            steps:
              - run: echo "$TITLE"
                env:
                  OTHER: x
              - run: echo "$ISSUE_TITLE"
                env:
                  TITLE: changed
                  ISSUE_TITLE: \${{ github.event.issue.title }}
      `,
    );
  });

  it('rates PR branch names medium when the job keeps forks out', async () => {
    const { findings } = await runCheck(check, {
      [WF]: yaml`
        on: pull_request
        jobs:
          a:
            if: github.event.pull_request.head.repo.full_name == github.repository
            runs-on: ubuntu-latest
            steps:
              - run: echo \${{ github.head_ref }}
          b:
            runs-on: ubuntu-latest
            steps:
              - run: echo \${{ github.head_ref }}
      `,
    });
    assertFindingsAt(findings, [`${WF}:7:19`, `${WF}:11:19`]);
    assert.deepEqual(findings.map((f) => f.severity), ['medium', 'high']);
  });

  it('recognises bash given by a Windows path or msys2 as a POSIX shell for the fix', async () => {
    const before = "on: issues\njobs:\n  a:\n    runs-on: windows-latest\n    steps:\n      - shell: D:\\cygwin\\bin\\bash.exe '{0}'\n        run: echo ${{ github.event.issue.title }}\n      - shell: msys2 {0}\n        run: echo ${{ github.event.issue.body }}\n";
    const { files } = await assertFixRoundTrip(check, { [WF]: before });
    assert.match(files[WF], /run: echo "\$ISSUE_TITLE"\n {8}env:\n {10}ISSUE_TITLE: /);
    assert.match(files[WF], /run: echo "\$ISSUE_BODY"\n {8}env:\n {10}ISSUE_BODY: /);
  });

  it('follows step and job outputs to the attacker text written into them', async () => {
    const { findings } = await runCheck(check, {
      [WF]: yaml`
        on: issue_comment
        jobs:
          parse:
            runs-on: ubuntu-latest
            outputs:
              cmd: \${{ steps.p.outputs.cmd }}
            steps:
              - id: p
                env:
                  BODY: \${{ github.event.comment.body }}
                run: |
                  echo "cmd=$BODY" >> "$GITHUB_OUTPUT"
                  echo "n=1" >> "$GITHUB_OUTPUT"
              - run: echo \${{ steps.p.outputs.cmd }} \${{ steps.p.outputs.n }}
          act:
            needs: parse
            runs-on: ubuntu-latest
            steps:
              - run: \${{ needs.parse.outputs.cmd }}
      `,
    });
    assertFindingsAt(findings, [`${WF}:14:19`, `${WF}:19:14`]);
    assert.deepEqual(findings.map((f) => `${f.severity}/${f.confidence}`), ['high/high', 'high/high']);
    assert.match(findings[0].message, /the comment text \(through `steps.p.outputs.cmd`\)/);
    assert.match(findings[1].message, /the comment text \(through `needs.parse.outputs.cmd`\)/);
  });
});
