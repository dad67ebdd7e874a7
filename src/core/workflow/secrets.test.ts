import * as assert from 'node:assert/strict';
import { isReportingSecret, secretWeight, secretsReadIn } from './secrets';
import { check as unpinned } from '../checks/unpinned-actions/unpinned-actions';
import { runCheck, yaml } from '../../../test/support/check-tester';

describe('secret weight (judge1 F36, F37)', () => {
  it('reads names in every spelling, not the job token, and a bulk read as all', () => {
    assert.deepEqual(secretsReadIn("a: ${{ secrets.CODECOV_TOKEN }} b: ${{ secrets['Discord_Webhook'] }} c: ${{ secrets.GITHUB_TOKEN }}").names, ['CODECOV_TOKEN', 'DISCORD_WEBHOOK']);
    assert.equal(secretsReadIn('x: ${{ toJSON(secrets) }}').all, true);
    assert.equal(secretsReadIn('x: ${{ secrets[matrix.name] }}').all, true);
    assert.equal(secretsReadIn('    secrets: inherit\n').all, true);
  });

  it('tells reporting secrets from publish tokens and keys', () => {
    for (const n of ['CODECOV_TOKEN', 'COVERALLS_REPO_TOKEN', 'DISCORD_WEBHOOK', 'RENOVATEBOT_SLACK_WEBHOOK_MAIN_FAILURES', 'SLACK_BOT_TOKEN', 'TELEGRAM_NIGHTLY_CHAT_ID', 'NETLIFY_SITE_ID', 'DOCKERHUB_USERNAME']) assert.equal(isReportingSecret(n), true, n);
    for (const n of ['PYPI_TOKEN', 'NPM_TOKEN', 'GH_PAT', 'WINGET_TOKEN', 'DOCKERHUB_TOKEN', 'GPG_PRIVATE_KEY', 'MACOS_SIGN_P12', 'NETLIFY_TOKEN']) assert.equal(isReportingSecret(n), false, n);
    assert.deepEqual(secretWeight('${{ secrets.CODECOV_TOKEN }}', ''), { weight: 'reporting', shown: ['CODECOV_TOKEN'] });
    assert.equal(secretWeight('${{ secrets.CODECOV_TOKEN }} ${{ secrets.PYPI_TOKEN }}').weight, 'valuable');
    assert.equal(secretWeight('${{ secrets.GITHUB_TOKEN }}').weight, 'none');
  });

  it('rates an unpinned action medium in a job whose only secret is a coverage token or a webhook, high with a publish token', async () => {
    const wf = (secret: string) => yaml`
      on: push
      permissions:
        contents: read
      jobs:
        test:
          runs-on: ubuntu-latest
          steps:
            - uses: ruby/setup-ruby@v1
            - run: ./notify
              env:
                HOOK: \${{ secrets.${secret} }}
    `;
    const hook = await runCheck(unpinned, { '.github/workflows/ci.yml': wf('DISCORD_WEBHOOK') });
    assert.deepEqual(hook.findings.map((f) => f.severity), ['medium']);
    assert.match(hook.findings[0].message, /\(the job reads only reporting secrets \(DISCORD_WEBHOOK\) and its token is read-only/);
    const pypi = await runCheck(unpinned, { '.github/workflows/ci.yml': wf('PYPI_TOKEN') });
    assert.deepEqual(pypi.findings.map((f) => [f.severity, /\(the job reads secrets\)/.test(f.message)]), [['high', true]]);
  });
});
