import * as assert from 'node:assert/strict';
import { check } from './excessive-permissions';
import { runCheck, yaml } from '../../../../test/support/check-tester';
import { assertFixRoundTrip } from '../../../../test/support/fix-tester';

const WF = '.github/workflows/winget.yml';

describe('excessive-permissions: a job that never uses its own token (judge1 F17, F39)', () => {
  const job = (step: string) => yaml`
    on:
      release:
        types: [released]
    jobs:
      publish:
        runs-on: ubuntu-latest
        steps:
    ` + step;

  it('is low when its only step is a SHA-pinned action given a PAT, and says why', async () => {
    const { findings } = await runCheck(check, {
      [WF]: job('      - uses: vedantmgoyal2009/winget-releaser@4ffc7888bffd451b357355dc214d43bb9f23917e # v2\n        with:\n          identifier: junegunn.fzf\n          token: ${{ secrets.WINGET_TOKEN }}\n'),
    });
    assert.deepEqual(findings.map((f) => f.severity), ['low']);
    assert.equal(
      findings[0].message,
      "Job publish runs with the repository's default token permissions: no `permissions:` on the job or the workflow; its only steps are actions pinned to a commit and given their own token (`secrets.WINGET_TOKEN`), and nothing in it reads the job's token, so the default rights are little exposed",
    );
  });

  it('stays medium for a tag-pinned action, a run step, a step without its own token, or a job that names GITHUB_TOKEN', async () => {
    const pinned = 'vedantmgoyal2009/winget-releaser@4ffc7888bffd451b357355dc214d43bb9f23917e';
    for (const step of [
      '      - uses: vedantmgoyal2009/winget-releaser@v2\n        with:\n          token: ${{ secrets.WINGET_TOKEN }}\n',
      `      - uses: ${pinned}\n        with:\n          token: \${{ secrets.WINGET_TOKEN }}\n      - run: echo hi\n`,
      `      - uses: ${pinned}\n        with:\n          identifier: x\n`,
      `      - uses: ${pinned}\n        with:\n          token: \${{ secrets.WINGET_TOKEN }}\n        env:\n          GH: \${{ github.token }}\n`,
    ]) {
      const { findings } = await runCheck(check, { [WF]: job(step) });
      assert.deepEqual(findings.map((f) => f.severity), ['medium'], step);
    }
  });
});

describe('excessive-permissions: a workflow-level read-all or write-all that no job inherits (judge2)', () => {
  const wf = (top: string, jobPerms: [string, string]) => yaml`
    on: [push]
    permissions: ${top}
    jobs:
      analyze:
        runs-on: ubuntu-latest
        permissions:
          ${jobPerms[0]}
        steps:
          - run: make analyze
      lint:
        runs-on: ubuntu-latest
        permissions:
          ${jobPerms[1]}
        steps:
          - run: make lint
    `;

  it('reports nothing for read-all when every job sets its own permissions (goreleaser codeql.yml, Scorecard template)', async () => {
    const { findings, result } = await runCheck(check, { '.github/workflows/codeql.yml': wf('read-all', ['security-events: write', 'contents: read']) });
    assert.deepEqual(findings, []);
    assert.equal(result.status, 'pass');
  });

  it('still reports read-all when one job inherits it', async () => {
    const text = wf('read-all', ['contents: read', 'contents: read']).replace('    permissions:\n      contents: read\n    steps:\n      - run: make lint', '    steps:\n      - run: make lint');
    assert.equal(text.split('permissions:').length, 3);
    const { findings } = await runCheck(check, { '.github/workflows/codeql.yml': text });
    assert.deepEqual(findings.map((f) => [f.severity, f.location?.start.line, f.message]), [
      ['low', 2, 'The workflow grants `read-all`: grant only the scopes the jobs read (usually `contents: read`)'],
    ]);
  });

  it('rates write-all that no job inherits low and says it is a trap for a later job, with the same safe fix', async () => {
    const { findings } = await runCheck(check, { '.github/workflows/codeql.yml': wf('write-all', ['contents: read', 'contents: read']) });
    assert.deepEqual(findings.map((f) => [f.severity, f.location?.start.line]), [['low', 2]]);
    assert.match(findings[0].message, /no job uses today \(every job sets its own `permissions:`\), but a job added later/);
    assert.equal(findings[0].fixes[0]?.safe, true);
    const text = wf('write-all', ['contents: read', 'contents: read']);
    const { files } = await assertFixRoundTrip(check, { '.github/workflows/codeql.yml': text });
    assert.equal(files['.github/workflows/codeql.yml'], text.replace('permissions: write-all', 'permissions: {}'));
  });
});
