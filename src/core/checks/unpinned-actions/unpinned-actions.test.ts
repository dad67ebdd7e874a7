import * as assert from 'node:assert/strict';
import { FakeActionLookup } from '../../../../test/support/fake-actions';
import { Engine } from '../../engine';
import { MemorySnapshot } from '../../repo/snapshot';
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

describe('unpinned-actions: lockfile and immutable releases', () => {
  const WFL = '.github/workflows/ci.yml';
  const wf = [
    'on: push',
    'jobs:',
    '  call:',
    '    uses: octo/shared/.github/workflows/build.yml@v1',
    '  build:',
    '    runs-on: ubuntu-latest',
    '    steps:',
    '      - uses: actions/checkout@v6.0.2',
    '      - uses: octo/deploy@v3',
    '      - uses: octo/release@v2.1.0',
    '',
  ].join('\n');
  // As `gh actions-lock` writes it (github/gh-actions-lock, format v0.0.2).
  const lock = [
    '# This file is machine-generated by `gh actions-lock`.',
    "version: 'v0.0.2'",
    'workflows:',
    "    '.github/workflows/ci.yml':",
    "        - 'actions/checkout@v6.0.2'",
    "        - 'octo/deploy@v3'",
    "        - 'octo/shared/.github/workflows/build.yml@v1'",
    'dependencies:',
    "    'actions/checkout@v6.0.2':",
    "        ref: 'v6.0.2'",
    "        commit: 'sha1-de0fac2e4500dabe0009e67214ff5f5447ce83dd'",
    '        owner_id: 44036562',
    '        repo_id: 197814629',
    "    'octo/deploy@v3':",
    "        ref: 'v3'",
    "        commit: 'sha1-1111111111111111111111111111111111111111'",
    '        owner_id: 1',
    '        repo_id: 2',
    "    'octo/shared/.github/workflows/build.yml@v1':",
    "        ref: 'v1'",
    "        commit: 'sha1-2222222222222222222222222222222222222222'",
    '',
  ].join('\n');

  it('does not report actions the lockfile locks for that workflow; reusable workflow calls still count', async () => {
    const { findings, result } = await runCheck(check, { [WFL]: wf, '.github/workflows/actions.lock': lock });
    assert.deepEqual(findings.map((f) => f.location?.start.line), [4, 10]);
    assert.equal(result.reason, '2 not pinned (2 locked by .github/workflows/actions.lock)');
    // Another workflow is not onboarded: its uses are not locked.
    const other = await runCheck(check, { '.github/workflows/other.yml': wf, '.github/workflows/actions.lock': lock });
    assert.equal(other.findings.length, 4);
    // A lockfile that does not read as the tool writes it locks nothing.
    const broken = await runCheck(check, { [WFL]: wf, '.github/workflows/actions.lock': lock.replace(/sha1-de0fac2e/, 'md5-de0fac2e') });
    assert.equal(broken.findings.length, 3);
  });

  it('online: a tag of an immutable release is reported at lower severity, with the reason', async () => {
    const actions = new FakeActionLookup({ releases: { 'octo/release': { 'v2.1.0': { immutable: true } }, 'actions/checkout': { 'v6.0.2': { immutable: false } } } });
    const { findings } = await runCheck(check, { [WFL]: wf }, { actions });
    const rel = findings.find((f) => f.message.includes('octo/release'))!;
    assert.equal(rel.severity, 'low');
    assert.match(rel.message, /; lower risk: v2\.1\.0 is an immutable release, so GitHub lets nobody move or delete the tag/);
    assert.equal(findings.find((f) => f.message.includes('actions/checkout'))!.severity, 'low');
    assert.doesNotMatch(findings.find((f) => f.message.includes('actions/checkout'))!.message, /immutable/);
    assert.equal(findings.find((f) => f.message.includes('octo/deploy'))!.severity, 'medium', 'a read-only job: medium, not lowered');
    // Only full versions are asked about: v3 and v1 are moving tags.
    assert.deepEqual(actions.calls, ['release actions/checkout@v6.0.2', 'release octo/release@v2.1.0']);
  });
  it('a re-check after a uses: edit reports the edited ref (the repository pass keeps nothing stale)', async () => {
    const wf = (uses: string) => `on: push\npermissions: {}\njobs:\n  b:\n    runs-on: x\n    steps:\n      - uses: ${uses}\n`;
    const A = '.github/workflows/a.yml';
    const B = '.github/workflows/b.yml';
    const snap = new MemorySnapshot('t', { [A]: wf('octo/one@v1'), [B]: wf(`octo/two@${'a'.repeat(40)}`) });
    const engine = new Engine([check]);
    const refs = async (changed?: string[]) => (await engine.scan(snap, changed ? { changed } : {})).findings.map((f) => `${f.location?.file}: ${f.message.split(', not')[0]}`);
    assert.deepEqual(await refs(), [`${A}: Action octo/one is used by tag 'v1'`]);
    snap.set(B, wf('octo/two@main'));
    assert.deepEqual(await refs([B]), [`${A}: Action octo/one is used by tag 'v1'`, `${B}: Action octo/two is used by ref 'main'`]);
    snap.set(A, wf('octo/one@v2'));
    assert.deepEqual(await refs([A]), [`${A}: Action octo/one is used by tag 'v2'`, `${B}: Action octo/two is used by ref 'main'`]);
    snap.set(A, wf(`octo/one@${'b'.repeat(40)}`));
    const last = await engine.scan(snap, { changed: [A] });
    assert.deepEqual(last.findings.map((f) => f.location?.file), [B]);
    assert.equal(last.results[0].reason, '1 not pinned');
  });
});
