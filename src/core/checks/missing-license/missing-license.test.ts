import * as assert from 'node:assert/strict';
import { check } from './missing-license';
import { assertFindingsAt, runCheck } from '../../../../test/support/check-tester';

describe('missing-license', () => {
  for (const name of ['LICENSE', 'LICENCE.md', 'license.txt', 'COPYING', 'COPYING.LESSER', 'UNLICENSE', 'LICENSE-MIT']) {
    it(`passes with ${name} at the root`, async () => {
      const { result } = await runCheck(check, { [name]: 'Permission is hereby granted' });
      assert.equal(result.status, 'pass');
      assert.equal(result.reason, `Found ${name}`);
    });
  }

  it('passes with a REUSE LICENSES/ folder', async () => {
    const { result } = await runCheck(check, { 'LICENSES/MIT.txt': 'x', 'LICENSES/Apache-2.0.txt': 'y' });
    assert.equal(result.status, 'pass');
    assert.equal(result.reason, 'Found 2 files in LICENSES/');
  });

  it('finds the LICENSES/ folder in any case (its first letter is tested on its own)', async () => {
    for (const dir of ['licenses', 'Licences', 'LICENCES']) {
      const { result } = await runCheck(check, { [`${dir}/MIT.txt`]: 'x', 'src/licenses/x': 'y', 'xlicenses/y': 'z' });
      assert.equal(result.status, 'pass', dir);
    }
    assert.equal((await runCheck(check, { 'src/licenses/x': 'y', 'xlicenses/y': 'z', 'ilicenses/z': 'w' })).result.status, 'fail');
  });

  it('fails without a root licence (one in a sub-folder does not count)', async () => {
    const { result, findings } = await runCheck(check, { 'docs/LICENSE': 'x', 'README.md': 'MIT licensed' });
    assert.equal(result.status, 'fail');
    assert.equal(findings[0].message, 'No licence file at the repository root: others may not legally use or change this code');
    assertFindingsAt(findings, ['(repository)']);
  });

  it('fails for an empty licence file, and trusts a listed licence whose content is not available', async () => {
    const empty = await runCheck(check, { LICENSE: '  \n' });
    assert.equal(empty.result.status, 'fail');
    assertFindingsAt(empty.findings, ['LICENSE:1:1']);
    const listed = await runCheck(check, { 'README.md': '' }, { extraPaths: ['LICENSE.txt'] });
    assert.equal(listed.result.status, 'pass');
  });
});
