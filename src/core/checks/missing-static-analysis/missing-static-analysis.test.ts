import * as assert from 'node:assert/strict';
import { check, detectorTests } from './missing-static-analysis';
import { runCheck, yaml } from '../../../../test/support/check-tester';

const wf = (steps: string) => `on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n${steps}`;

describe('missing-static-analysis', () => {
  it('recognises CodeQL, zizmor and Semgrep by action or command', async () => {
    const cases: [string, string][] = [
      ['      - uses: github/codeql-action/init@v3\n      - uses: github/codeql-action/analyze@v3\n', 'CodeQL (.github/workflows/x.yml)'],
      ['      - uses: zizmorcore/zizmor-action@v0.2.0\n', 'zizmor (.github/workflows/x.yml)'],
      ['      - run: uvx zizmor --format=sarif .\n', 'zizmor (.github/workflows/x.yml)'],
      ['      - run: semgrep ci\n', 'Semgrep (.github/workflows/x.yml)'],
    ];
    for (const [steps, reason] of cases) {
      const { result } = await runCheck(check, { '.github/workflows/x.yml': wf(steps) });
      assert.equal(result.status, 'pass', steps);
      assert.equal(result.reason, reason);
    }
  });

  it('counts analysis hooks in pre-commit', async () => {
    const { result } = await runCheck(check, { '.pre-commit-config.yaml': yaml`
      repos:
        - repo: https://github.com/zizmorcore/zizmor-pre-commit
          rev: v1.0.0
          hooks: [{id: zizmor}]
    ` });
    assert.equal(result.reason, 'zizmor (.pre-commit-config.yaml)');
    const sub = await runCheck(check, { 'tools/.pre-commit-config.yml': 'repos:\n  - repo: https://github.com/zizmorcore/zizmor-pre-commit\n', 'x.pre-commit-config.yml': 'repos: []\n' });
    assert.equal(sub.result.reason, 'zizmor (tools/.pre-commit-config.yml)');
  });

  it('fails, informationally, when nothing scans, and does not count Scorecard as SAST', async () => {
    const { result, findings } = await runCheck(check, { '.github/workflows/x.yml': wf('      - uses: ossf/scorecard-action@v2\n      - run: pytest\n') });
    assert.equal(result.status, 'fail');
    assert.equal(findings[0].severity, 'info');
    assert.equal(findings[0].message, 'No workflow runs static analysis (CodeQL, zizmor, Semgrep, ...); if CodeQL default setup is on in the repository settings, this is already covered');
  });
});

// toolsIn() tries the detectors only when one expression finds a word they all need (issue 19): every
// name or script a detector matches must pass it.
describe('missing-static-analysis: the test in front of the detectors', () => {
  it('passes every action name and script a detector matches', () => {
    const { DETECTORS, ANY_USES, ANY_RUN } = detectorTests;
    const names = ['github/codeql-action/init', 'github/codeql-action/analyze', 'zizmorcore/zizmor-action', 'woodruffw/zizmor-action', 'semgrep/semgrep-action', 'returntocorp/semgrep-action',
      'sonarsource/sonarcloud-github-action', 'sonarsource/sonarqube-scan-action', 'snyk/actions', 'snyk/actions/node', 'x/coverity-scan', 'securego/gosec', 'tj-actions/bandit', 'microsoft/devskim-action', 'jetbrains/qodana-action', 'actions/checkout'];
    const scripts = ['codeql database create db', 'x; codeql  database analyze', 'zizmor .', 'semgrep ci', 'semgrep scan --config auto', 'snyk code test', 'cov-build make', 'gosec ./...', 'bandit -r src', 'bandit x.py', 'bandit .',
      'scan-build make', 'cppcheck --enable=all', 'brakeman -q', 'psalm --taint-analysis', 'phan --taint', 'npm test', 'echo zizmorx', 'x-bandit -r', '$(cppcheck)'];
    let used = 0;
    for (const d of DETECTORS) {
      for (const n of names) if (d.uses?.test(n)) { used++; assert.ok(ANY_USES.test(n), n); }
      for (const s of scripts) if (d.run?.test(s)) { used++; assert.ok(ANY_RUN.test(s), s); }
    }
    assert.ok(used >= 30, `${used}`);
  });
});
