import * as assert from 'node:assert/strict';
import { check } from './github-app-token';
import { assertFindingsAt, runCheck, yaml } from '../../../../test/support/check-tester';

const WF = '.github/workflows/release.yml';

describe('github-app-token', () => {
  it('reports tokens without permission-* inputs and owner-wide tokens; passes scoped ones', async () => {
    const { findings, result } = await runCheck(check, {
      [WF]: yaml`
        on: push
        jobs:
          release:
            runs-on: ubuntu-latest
            steps:
              - uses: actions/create-github-app-token@v2
                id: app
                with:
                  app-id: \${{ vars.APP_ID }}
                  private-key: \${{ secrets.APP_KEY }}
              - name: org token
                uses: actions/create-github-app-token@v2
                with:
                  app-id: \${{ vars.APP_ID }}
                  private-key: \${{ secrets.APP_KEY }}
                  owner: \${{ github.repository_owner }}
              - uses: actions/create-github-app-token@v2
                with:
                  app-id: \${{ vars.APP_ID }}
                  private-key: \${{ secrets.APP_KEY }}
                  owner: my-org
                  permission-contents: write
              - uses: actions/create-github-app-token@v2
                with:
                  app-id: \${{ vars.APP_ID }}
                  private-key: \${{ secrets.APP_KEY }}
                  owner: my-org
                  repositories: docs
                  permission-contents: write
              - uses: actions/create-github-app-token@v2
                with:
                  client-id: \${{ vars.APP_CLIENT_ID }}
                  private-key: \${{ secrets.APP_KEY }}
                  permission-pull-requests: write
      `,
    });
    assert.equal(result.status, 'fail');
    assertFindingsAt(findings, [`${WF}:6:15`, `${WF}:12:15`, `${WF}:17:15`]);
    assert.deepEqual(findings.map((f) => f.severity), ['medium', 'high', 'medium']);
    assert.equal(findings[0].message, 'Step app of job release creates a GitHub App token with no `permission-*` input, so the token carries every permission the app was granted; name the permissions the job needs');
    assert.match(findings[1].message, /^Step org token of job release creates a GitHub App token with no `permission-\*` input, .*, and `owner: \$\{\{ github.repository_owner \}\}` without `repositories:`/);
    assert.match(findings[2].message, /`owner: my-org` without `repositories:`, so it reaches every repository the app is installed on for that owner; name the permissions and repositories/);
  });
});
