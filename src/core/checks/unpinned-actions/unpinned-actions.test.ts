import * as assert from 'node:assert/strict';
import { check } from './unpinned-actions';
import { assertFindingsAt, runCheck, yaml } from '../../../../test/support/check-tester';

const WF = '.github/workflows/ci.yml';

describe('unpinned-actions', () => {
  it('reports tag and branch refs in steps and reusable-workflow calls at the value', async () => {
    const { findings, result } = await runCheck(check, {
      [WF]: yaml`
        on: push
        jobs:
          call:
            uses: octo/workflows/.github/workflows/build.yml@main
          build:
            runs-on: ubuntu-latest
            steps:
              - uses: actions/checkout@v4
              - uses: "docker/login-action@v3"
              - {uses: third/party@1.2.3}
      `,
    });
    assert.equal(result.status, 'fail');
    assertFindingsAt(findings, [`${WF}:4:11`, `${WF}:8:15`, `${WF}:9:15`, `${WF}:10:16`]);
    // No secrets, no permissions anywhere: the token's rights are the repository default (unseen).
    assert.deepEqual(findings.map((f) => f.severity), ['medium', 'low', 'medium', 'medium']);
    assert.match(findings[2].message, /\(the job reads no secrets; its token has the repository default rights, which Steward cannot see\)$/);
    assert.match(findings[0].message, /Reusable workflow octo\/workflows\/.github\/workflows\/build.yml .* ref 'main'/);
    assert.equal(findings[1].fixes[0].deferred?.provider, 'pin-action');
  });

  it('rates high what the job holds: secrets, a token that writes, id-token, an environment, a privileged trigger', async () => {
    const { findings } = await runCheck(check, {
      [WF]: yaml`
        on: push
        permissions:
          contents: read
        jobs:
          ro:
            runs-on: ubuntu-latest
            steps:
              - uses: dtolnay/rust-toolchain@stable
          secret:
            runs-on: ubuntu-latest
            steps:
              - uses: docker/login-action@v3
                with:
                  password: \${{ secrets['DOCKERHUB_TOKEN'] }}
          token-only:
            runs-on: ubuntu-latest
            steps:
              - uses: third/party@v1
                with:
                  token: \${{ secrets.GITHUB_TOKEN }}
          writes:
            runs-on: ubuntu-latest
            permissions:
              contents: write
            steps:
              - uses: third/party@v1
          oidc:
            runs-on: ubuntu-latest
            permissions:
              id-token: write
            steps:
              - uses: third/party@v1
          deploy:
            runs-on: ubuntu-latest
            environment: production
            steps:
              - uses: third/party@v1
      `,
      '.github/workflows/prt.yml': yaml`
        on: pull_request_target
        jobs:
          label:
            runs-on: ubuntu-latest
            steps:
              - uses: third/labeler@v1
      `,
    });
    const sev = Object.fromEntries(findings.map((f) => [`${f.location!.file}:${f.location!.start.line}`, `${f.severity} ${/\(([^)]*(?:\([^)]*\))?[^)]*)\)$/.exec(f.message)?.[1]}`]));
    assert.deepEqual(sev, {
      [`${WF}:8`]: 'medium the job reads no secrets and its token is read-only: a moved tag still changes what it builds',
      [`${WF}:12`]: 'high the job reads secrets',
      [`${WF}:18`]: 'medium the job reads no secrets and its token is read-only: a moved tag still changes what it builds',
      [`${WF}:26`]: 'high the job\'s token can write (contents: write)',
      [`${WF}:32`]: 'high the job can mint an OIDC token (`id-token: write`)',
      [`${WF}:37`]: 'high the job deploys to an environment',
      ['.github/workflows/prt.yml:6']: 'high the workflow runs on pull_request_target with the default token',
    });
  });

  it('accepts full SHAs, local actions and docker images', async () => {
    const { findings, result } = await runCheck(check, {
      [WF]: yaml`
        on: push
        jobs:
          build:
            runs-on: ubuntu-latest
            steps:
              - uses: actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683 # v4.2.2
              - uses: ./.github/actions/setup
              - uses: docker://alpine@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
      `,
    });
    assert.equal(result.status, 'pass');
    assert.deepEqual(findings, []);
  });

  it('checks composite actions and follows anchors', async () => {
    const { findings } = await runCheck(check, {
      'action.yml': yaml`
        name: x
        runs:
          using: composite
          steps:
            - &s
              uses: some/action@v1
            - *s
      `,
    });
    assertFindingsAt(findings, ['action.yml:6:13', 'action.yml:6:13']);
  });

  it('is not applicable without workflows, and honours steward and zizmor ignore comments', async () => {
    assert.equal((await runCheck(check, { 'README.md': 'x' })).result.status, 'not-applicable');
    const { findings, result } = await runCheck(check, {
      [WF]: yaml`
        on: push
        jobs:
          b:
            runs-on: ubuntu-latest
            steps:
              # steward: ignore[unpinned-actions]
              - uses: a/b@v1
              - uses: c/d@v1 # zizmor: ignore[unpinned-uses]
      `,
    });
    assert.deepEqual(findings, []);
    assert.equal(result.suppressed, 2);
    assert.equal(result.status, 'pass');
    assert.match(result.reason, /2 findings suppressed/);
  });
});
