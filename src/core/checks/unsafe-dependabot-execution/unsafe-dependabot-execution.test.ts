import * as assert from 'node:assert/strict';
import { check } from './unsafe-dependabot-execution';
import { assertFindingsAt, runCheck, yaml } from '../../../../test/support/check-tester';
import { assertFixRoundTrip } from '../../../../test/support/fix-tester';

const DEP = '.github/dependabot.yml';

describe('unsafe-dependabot-execution', () => {
  it('reports allow at the value and fixes it to deny, keeping quotes and comments', async () => {
    const dep = yaml`
      version: 2
      updates:
        - package-ecosystem: bundler
          directory: /
          insecure-external-code-execution: "allow" # needed for private gems
          schedule: {interval: weekly}
        - package-ecosystem: pip
          directory: /
          insecure-external-code-execution: deny
          schedule: {interval: weekly}
    `;
    const { result, findings } = await runCheck(check, { [DEP]: dep });
    assert.equal(result.status, 'fail');
    assertFindingsAt(findings, [`${DEP}:5:39`]);
    assert.equal(findings[0].message, 'Dependabot entry bundler (/) allows executing code from manifests during updates, with access to its registry credentials');
    const fixed = await assertFixRoundTrip(check, { [DEP]: dep });
    assert.equal(fixed.files[DEP], dep.replace('"allow"', '"deny"'));
  });

  it('passes without the option and is not applicable without Dependabot', async () => {
    assert.equal((await runCheck(check, { [DEP]: 'version: 2\nupdates: []\n' })).result.status, 'pass');
    assert.equal((await runCheck(check, { 'x.txt': '' })).result.status, 'not-applicable');
  });
});
