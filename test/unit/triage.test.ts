import * as assert from 'node:assert/strict';
import { check as secrets } from '../../src/core/checks/secrets-exposure/secrets-exposure';
import { CHECKS } from '../../src/core/checks';
import { runCheck, scanFiles, yaml } from '../support/check-tester';

// Issue 15, "Triage as the project wrote it": a project's zizmor configuration and inline ignores
// mean what zizmor means by them.

const WF = '.github/workflows/ci.yml';
const workflow = yaml`
  on: push
  jobs:
    call:
      uses: org/shared/.github/workflows/release.yml@v1
      secrets: inherit
    a:
      runs-on: ubuntu-latest
      steps:
        - run: echo "$ALL"
          env:
            ALL: \${{ toJSON(secrets) }}
`;

describe('triage as the project wrote it (issue 15)', () => {
  it('a zizmor.yml that disables secrets-inherit drops only that kind of secrets-exposure finding', async () => {
    const zizmor = 'rules:\n  secrets-inherit:\n    disable: true\n';
    const { result, findings } = await runCheck(secrets, { [WF]: workflow, 'zizmor.yml': zizmor });
    assert.deepEqual(findings.map((f) => `${f.zizmorAudit} ${f.location?.start.line}`), ['overprovisioned-secrets 11']);
    assert.equal(result.suppressed, 1);
    assert.equal(result.status, 'fail');
    // All three audits off: the rule is off.
    const all = 'rules:\n  secrets-inherit:\n    disable: true\n  overprovisioned-secrets:\n    disable: true\n  unredacted-secrets:\n    disable: true\n';
    assert.equal((await runCheck(secrets, { [WF]: workflow, '.github/zizmor.yml': all })).result.status, 'not-applicable');
    // Only the kinds present disabled: every finding suppressed, the check passes with the reason.
    const both = 'rules:\n  secrets-inherit:\n    disable: true\n  overprovisioned-secrets:\n    disable: true\n';
    const r = await runCheck(secrets, { [WF]: workflow, 'zizmor.yml': both });
    assert.equal(r.result.status, 'pass');
    assert.equal(r.findings.length, 0);
  });

  it('a zizmor ignore entry for one audit does not hide the rule’s other kinds', async () => {
    const zizmor = 'rules:\n  secrets-inherit:\n    ignore:\n      - ci.yml\n';
    const { findings } = await runCheck(secrets, { [WF]: workflow, 'zizmor.yml': zizmor });
    assert.deepEqual(findings.map((f) => f.zizmorAudit), ['overprovisioned-secrets']);
  });

  it('`# zizmor: ignore[...]` on a `run: |` line covers an expression further down the block', async () => {
    const wf = yaml`
      on: issues
      jobs:
        a:
          runs-on: ubuntu-latest
          steps:
            - run: |  # zizmor: ignore[template-injection]
                echo start
                echo "\${{ github.event.issue.title }}"
            - run: |
                echo "\${{ github.event.issue.body }}"
    `;
    const scan = await scanFiles(CHECKS, { [WF]: wf }, { only: ['template-injection'] });
    const ti = scan.findings.filter((f) => f.ruleId === 'template-injection');
    assert.deepEqual(ti.map((f) => [f.location?.start.line, f.suppressed?.by]), [[8, 'zizmor-comment'], [10, undefined]]);
  });

  it('`# steward: ignore[...]` on the key line of a block applies to the whole node; a shell comment inside a block does not reach other lines', async () => {
    const wf = yaml`
      on: push
      jobs:
        a:
          runs-on: ubuntu-latest
          steps:
            - run: |  # steward: ignore[secrets-exposure]
                echo one
                echo "\${{ toJSON(secrets) }}"
            - run: |
                # steward: ignore[secrets-exposure]
                echo one
                echo "\${{ toJSON(secrets) }}"
    `;
    const { findings } = await runCheck(secrets, { [WF]: wf });
    assert.deepEqual(findings.map((f) => f.location?.start.line), [12]);
  });
});
