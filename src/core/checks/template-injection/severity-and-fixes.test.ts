import * as assert from 'node:assert/strict';
import { check } from './template-injection';
import { assertFindingsAt, runCheck, yaml } from '../../../../test/support/check-tester';
import { assertFixRoundTrip } from '../../../../test/support/fix-tester';

// Issue 15 "Severity from who controls the text" and issue 14 class 2 "moving an expression into env
// must not change what the code receives", one fixture per row.

const WF = '.github/workflows/ci.yml';

describe('template-injection: severity from who controls the text', () => {
  it('rates constants, literal matrices, tokens and own step outputs as hygiene, never "whoever starts the workflow"', async () => {
    const { findings } = await runCheck(check, {
      [WF]: yaml`
        on: [push, pull_request]
        jobs:
          a:
            runs-on: ubuntu-latest
            strategy:
              matrix:
                py: ['3.12', '3.13']
            steps:
              - uses: actions/create-github-app-token@v2
                id: app
              - id: ver
                run: echo "version=1.2.3" >> "$GITHUB_OUTPUT"
              - uses: some/action@v1
                id: tool
              - run: |
                  echo \${{ matrix.py }} \${{ steps.app.outputs.token }} \${{ steps.ver.outputs.version }}
                  echo \${{ steps.tool.outputs.path }}
                  echo \${{ github.event.pull_request && 'pr' || 'push' }}
      `,
    });
    // Only the unknown action output remains, as low hygiene.
    assertFindingsAt(findings, [`${WF}:17:16`]);
    assert.equal(findings[0].severity, 'low');
    assert.match(findings[0].message, /nothing Steward can see lets outsiders choose that value; passing it through `env:` is hygiene/);
    assert.doesNotMatch(findings[0].message, /whoever starts/);
  });

  it('rates workflow_dispatch inputs as low hygiene with a message that says so', async () => {
    const { findings } = await runCheck(check, {
      [WF]: yaml`
        on:
          workflow_dispatch:
            inputs:
              tag: { type: string }
        jobs:
          a:
            runs-on: ubuntu-latest
            steps:
              - run: git tag "\${{ inputs.tag }}"
      `,
    });
    assert.deepEqual(findings.map((f) => f.severity), ['low']);
    assert.equal(findings[0].message, '`${{ inputs.tag }}` pastes input `tag` into a `run:` script: only people who can run the workflow by hand (write access) choose that text; passing it through `env:` is hygiene, not a fix for an open door');
  });

  it('gives one finding per expression per line', async () => {
    const { findings } = await runCheck(check, {
      [WF]: yaml`
        on: issues
        jobs:
          a:
            runs-on: ubuntu-latest
            steps:
              - run: echo "\${{ github.event.issue.title }}" "\${{ github.event.issue.title }}"
      `,
    });
    assertFindingsAt(findings, [`${WF}:6:20`]);
    assert.equal(findings[0].severity, 'high');
  });

  it('is high for a pull_request_target job that runs only for forks, medium when the condition keeps forks out', async () => {
    const run = (cond: string) =>
      runCheck(check, {
        [WF]: yaml`
          on: pull_request_target
          jobs:
            a:
              if: ${cond}
              runs-on: ubuntu-latest
              steps:
                - run: echo "\${{ github.head_ref }}"
        `,
      });
    assert.deepEqual((await run('github.event.pull_request.head.repo.full_name != github.repository')).findings.map((f) => f.severity), ['high']);
    assert.deepEqual((await run("github.event.pull_request.head.repo.full_name != github.repository || github.actor == 'me'")).findings.map((f) => f.severity), ['high']);
    assert.deepEqual((await run('github.event.pull_request.head.repo.full_name == github.repository')).findings.map((f) => f.severity), ['medium']);
    assert.deepEqual((await run('${{ !github.event.pull_request.head.repo.fork && github.event.action != \'closed\' }}')).findings.map((f) => f.severity), ['medium']);
  });

  it('traces workflow_call inputs to the local callers: constants are hygiene, a caller passing a PR title makes it high', async () => {
    const callee = yaml`
      on:
        workflow_call:
          inputs:
            title: { type: string }
      jobs:
        a:
          runs-on: ubuntu-latest
          steps:
            - run: echo "\${{ inputs.title }}"
    `;
    const constant = await runCheck(check, {
      '.github/workflows/reusable.yml': callee,
      [WF]: yaml`
        on: push
        jobs:
          call:
            uses: ./.github/workflows/reusable.yml
            with:
              title: release notes
      `,
    });
    assert.deepEqual(constant.findings.map((f) => f.severity), ['low']);
    assert.match(constant.findings[0].message, /every caller in this repository \(`\.github\/workflows\/ci\.yml`\) passes a fixed value or none/);
    const attacker = await runCheck(check, {
      '.github/workflows/reusable.yml': callee,
      [WF]: yaml`
        on: pull_request_target
        jobs:
          call:
            uses: $/.github/workflows/reusable.yml
            with:
              title: \${{ github.event.pull_request.title }}
      `,
    });
    assert.deepEqual(attacker.findings.map((f) => f.severity), ['high']);
    assert.match(attacker.findings[0].message, /anyone who can open a pull request can make this step run commands of their choice \(`\.github\/workflows\/ci\.yml` passes the pull request title as `title`\)/);
    const uncalled = await runCheck(check, { '.github/workflows/reusable.yml': callee });
    assert.deepEqual(uncalled.findings.map((f) => f.severity), ['low']);
    assert.match(uncalled.findings[0].message, /the workflows that call this one choose that text, and none in this repository does/);
  });

  it('grades github.event text in a reusable workflow by its callers\' triggers', async () => {
    const callee = yaml`
      on: workflow_call
      jobs:
        a:
          runs-on: ubuntu-latest
          steps:
            - run: echo "\${{ github.event.issue.title }}"
    `;
    const r = await runCheck(check, {
      '.github/workflows/reusable.yml': callee,
      [WF]: yaml`
        on: issues
        jobs:
          call:
            uses: ./.github/workflows/reusable.yml
      `,
    });
    assert.deepEqual(r.findings.map((f) => f.severity), ['high']);
    const alone = await runCheck(check, { '.github/workflows/reusable.yml': callee });
    assert.deepEqual(alone.findings.map((f) => f.severity), ['medium']);
  });
});

describe('template-injection: action inputs evaluated as code are sinks', () => {
  const rows: [string, string][] = [
    ['mikefarah/yq@v4', 'cmd'],
    ['azure/cli@v2', 'inlineScript'],
    ['azure/powershell@v2', 'inlineScript'],
    ['jannekem/run-python-script-action@v1', 'script'],
    ['Amadevus/pwsh-script@v2', 'script'],
    ['8398a7/action-slack@v3', 'custom_payload'],
  ];
  for (const [uses, input] of rows) {
    it(`${uses} ${input}`, async () => {
      const { findings } = await runCheck(check, {
        [WF]: yaml`
          on: issue_comment
          jobs:
            a:
              runs-on: ubuntu-latest
              steps:
                - uses: ${uses}
                  with:
                    ${input}: echo "\${{ github.event.comment.body }}"
                    other: \${{ github.event.comment.body }}
        `,
      });
      assertFindingsAt(findings, [`${WF}:8:${input.length + 19}`]);
      assert.equal(findings[0].severity, 'high');
      assert.match(findings[0].message, new RegExp(`into the \`${input}:\` input of ${uses.split('@')[0].toLowerCase().replace(/[/.]/g, '\\$&')}, which (runs|evaluates) it as`));
      // No env fix: Steward does not know how these actions pass the step's environment on.
      assert.deepEqual(findings[0].fixes, []);
    });
  }
});

describe('template-injection: the env fix keeps what the code receives', () => {
  it('turns a github-script JavaScript value into JSON.parse(process.env.X): safe for toJSON and numbers, review otherwise', async () => {
    const before = yaml`
      on: issues
      jobs:
        a:
          runs-on: ubuntu-latest
          steps:
            - uses: actions/github-script@v7
              with:
                script: |
                  const labels = \${{ toJSON(github.event.issue) }}
                  const n = \${{ github.event.issue.number }}
    `;
    // toJSON of the issue holds its title and body (outsiders' text); it is JSON, so JSON.parse gives the same object.
    const { findings } = await runCheck(check, { [WF]: before });
    assert.equal(findings.length, 1);
    assert.equal(findings[0].fixes[0].safe, true);
    const { files } = await assertFixRoundTrip(check, { [WF]: before });
    assert.equal(
      files[WF],
      yaml`
        on: issues
        jobs:
          a:
            runs-on: ubuntu-latest
            steps:
              - uses: actions/github-script@v7
                with:
                  script: |
                    const labels = JSON.parse(process.env.ISSUE)
                    const n = \${{ github.event.issue.number }}
                env:
                  ISSUE: \${{ toJSON(github.event.issue) }}
      `,
    );
    const output = yaml`
      on: pull_request_target
      jobs:
        a:
          runs-on: ubuntu-latest
          steps:
            - uses: actions/github-script@v7
              with:
                script: |
                  const data = \${{ github.event.pull_request.title }}
    `;
    const r = await runCheck(check, { [WF]: output });
    const fix = r.findings[0].fixes[0];
    assert.equal(fix.edits[0].newText, 'JSON.parse(process.env.PR_TITLE)');
    // Attacker text used as code: the hazard itself, but the value may not be JSON — say so.
    assert.equal(fix.safe, false);
    assert.equal(fix.reviewReason, 'The script used `${{ github.event.pull_request.title }}` as a JavaScript value; `JSON.parse(process.env.PR_TITLE)` gives the same value only when it is JSON (a number, true/false, a quoted string, an object or list) — check that it always is.');
  });

  it('does not flag `${{ cond && \'--no-sync\' || \'\' }}` (only literals reach the script) and offers no rewrite of an unquoted word that can be empty', async () => {
    const { findings } = await runCheck(check, {
      [WF]: yaml`
        on:
          workflow_dispatch:
            inputs:
              extra: { type: string, required: false }
        jobs:
          a:
            runs-on: ubuntu-latest
            steps:
              - run: uv run \${{ inputs.locked && '--no-sync' || '' }} pytest \${{ inputs.extra }}
      `,
    });
    assertFindingsAt(findings, [`${WF}:9:70`]);
    assert.deepEqual(findings[0].fixes, []);
    assert.match(findings[0].message, /No rewrite offered: the script uses the value unquoted, so the shell splits it into words .* and drops it when empty/);
  });

  it('uses $env:X in PowerShell and offers no fix in cmd or Python shells', async () => {
    const files = {
      [WF]: yaml`
        on: issues
        jobs:
          a:
            runs-on: windows-latest
            steps:
              - run: Write-Host "\${{ github.event.issue.title }}"
              - shell: cmd
                run: echo \${{ github.event.issue.title }}
              - shell: python
                run: print("\${{ github.event.issue.title }}")
      `,
    };
    const { findings } = await runCheck(check, files);
    assert.deepEqual(findings.map((f) => f.fixes.length), [1, 0, 0]);
    assert.equal(findings[0].fixes[0].edits[0].newText, '${env:ISSUE_TITLE}');
    assert.equal(findings[0].fixes[0].safe, true);
  });
});

describe('template-injection: the shell a matrix runner gets', () => {
  it('offers no fix when runs-on comes from a matrix that includes Windows or is computed (bash there, PowerShell on Windows)', async () => {
    const step = (id: string, matrix: string) => `
          ${id}:
            runs-on: \${{ matrix.os }}
            strategy:
              matrix: ${matrix}
            steps:
              - run: echo "\${{ github.event.issue.title }}"`;
    const { findings } = await runCheck(check, {
      [WF]: `on: issues\njobs:${step('mixed', '{ os: [ubuntu-latest, windows-2022] }')}${step('computed', '${{ fromJson(inputs.m) }}')}${step('unix', '{ os: [ubuntu-latest, macos-14] }')}\n`,
    });
    assert.deepEqual(findings.map((f) => [f.location!.start.line, f.fixes.length]), [[8, 0], [14, 0], [20, 1]]);
    assert.equal(findings[2].fixes[0].edits[0].newText, '${ISSUE_TITLE}');
  });
});

describe('template-injection: corpus read-through fixes', () => {
  it('treats a job output defined only from safe values (a ref name behind a condition) as safe', async () => {
    const { findings } = await runCheck(check, {
      [WF]: yaml`
        on: [push, pull_request]
        jobs:
          plan:
            runs-on: ubuntu-latest
            outputs:
              tag-flag: \${{ !github.event.pull_request && format('--tag={0}', github.ref_name) || '' }}
            steps:
              - run: echo plan
          build:
            needs: plan
            runs-on: ubuntu-latest
            steps:
              - run: dist build \${{ needs.plan.outputs.tag-flag }}
      `,
    });
    assert.deepEqual(findings, []);
  });

  it('names several expressions of one kind in one review sentence', async () => {
    const { findings } = await runCheck(check, {
      [WF]: yaml`
        on: issues
        jobs:
          a:
            runs-on: ubuntu-latest
            steps:
              - run: |
                  for w in \${{ github.event.issue.title }}; do echo "$w"; done
                  for w in \${{ github.event.issue.body }}; do echo "$w"; done
      `,
    });
    assert.equal(
      findings[0].fixes[0].reviewReason,
      '`${{ github.event.issue.title }}` and `${{ github.event.issue.body }}` are the lists of `for` loops, which ran once per word; the quoted variables run each loop once with the whole text — check that is what the loops should do.',
    );
  });
});

describe('template-injection: word splitting of unquoted values (judge1 D24, D26)', () => {
  it('offers no rewrite of a `for` list or a multi-flag option string that outsiders do not choose, and says why', async () => {
    const { findings } = await runCheck(check, {
      [WF]: yaml`
        on: push
        jobs:
          plan:
            runs-on: ubuntu-latest
            outputs:
              shards: \${{ steps.m.outputs.shards }}
            steps:
              - id: m
                run: ./plan.sh >> "$GITHUB_OUTPUT"
          test:
            needs: plan
            runs-on: ubuntu-latest
            steps:
              - id: opts
                run: ./options.sh >> "$GITHUB_OUTPUT"
              - run: |
                  for shard in \${{ needs.plan.outputs.shards }}; do
                    TEST_SHARD="$shard" npm test
                  done
              - run: cargo test \${{ steps.opts.outputs.CARGO_TEST_OPTIONS }} --all
      `,
    });
    assertFindingsAt(findings, [`${WF}:17:24`, `${WF}:20:25`]);
    for (const f of findings) {
      assert.deepEqual(f.fixes, []);
      assert.match(f.message, / No rewrite offered: the script uses the value unquoted, so the shell splits it into words \(a `for` list, several arguments\)/);
    }
  });

  it('still moves the quoted expressions of the same step, leaving the unquoted one inline', async () => {
    const files = {
      [WF]: yaml`
        on: issues
        jobs:
          a:
            runs-on: ubuntu-latest
            steps:
              - id: opts
                run: ./options.sh >> "$GITHUB_OUTPUT"
              - run: |
                  echo "\${{ github.event.issue.title }}"
                  cargo test \${{ steps.opts.outputs.flags }}
      `,
    };
    const { findings } = await runCheck(check, files);
    assert.deepEqual(findings.map((f) => [f.location!.start.line, f.fixes.length, f.severity]), [[9, 1, 'high'], [10, 0, 'low']]);
    const fix = findings[0].fixes[0];
    assert.equal(fix.safe, true);
    assert.deepEqual(fix.edits.map((e) => e.newText).slice(0, 1), ['${ISSUE_TITLE}']);
    await assertFixRoundTrip(check, files);
  });

  it('reviews outsiders\' text used as a `for` list (the loop ran once per word) but quotes it as a plain argument', async () => {
    const { findings } = await runCheck(check, {
      [WF]: yaml`
        on: issues
        jobs:
          a:
            runs-on: ubuntu-latest
            steps:
              - run: for w in \${{ github.event.issue.title }}; do echo $w; done
              - run: echo \${{ github.event.issue.title }}
      `,
    });
    assert.deepEqual(findings.map((f) => [f.fixes[0].safe, f.fixes[0].edits[0].newText]), [[false, '"$ISSUE_TITLE"'], [true, '"$ISSUE_TITLE"']]);
    assert.equal(findings[0].fixes[0].reviewReason, '`${{ github.event.issue.title }}` is the list of a `for` loop, which ran once per word; `"$ISSUE_TITLE"` runs it once with the whole text — check that is what the loop should do.');
  });
});

describe('template-injection: fork artifacts', () => {
  it('rates an output read from the triggering run\'s artifact high under workflow_run', async () => {
    const { findings } = await runCheck(check, {
      [WF]: yaml`
        on:
          workflow_run:
            workflows: [ci]
            types: [completed]
        jobs:
          comment:
            runs-on: ubuntu-latest
            steps:
              - uses: actions/download-artifact@v4
                with:
                  name: pr
                  run-id: \${{ github.event.workflow_run.id }}
                  github-token: \${{ github.token }}
              - id: pr
                run: echo "number=$(cat pr/number)" >> "$GITHUB_OUTPUT"
              - run: gh pr comment \${{ steps.pr.outputs.number }} --body done
      `,
    });
    assert.deepEqual(findings.map((f) => f.severity), ['high']);
    assert.match(findings[0].message, /text read from `pr\/number`, a file of the triggering run.s artifacts .* anyone whose pull request starts the triggering workflow can make this step run commands/);
  });

  it('does not count a file the job wrote itself after the download (netlify deploy output)', async () => {
    const { findings } = await runCheck(check, {
      [WF]: yaml`
        on:
          workflow_run:
            workflows: [build]
            types: [completed]
        jobs:
          deploy:
            runs-on: ubuntu-latest
            steps:
              - uses: actions/download-artifact@v4
                with:
                  name: site
                  run-id: \${{ github.event.workflow_run.id }}
              - run: netlify deploy --json | tee deploy_output.json
              - id: url
                run: echo "URL=$(jq -r '.deploy_url' deploy_output.json)" >> "$GITHUB_OUTPUT"
              - run: echo "\${{ steps.url.outputs.URL }}"
      `,
    });
    assert.deepEqual(findings.map((f) => f.severity), ['low']);
  });
});
