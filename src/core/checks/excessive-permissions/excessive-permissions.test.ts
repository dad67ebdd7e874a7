import * as assert from 'node:assert/strict';
import { check } from './excessive-permissions';
import { runCheck, yaml } from '../../../../test/support/check-tester';

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
