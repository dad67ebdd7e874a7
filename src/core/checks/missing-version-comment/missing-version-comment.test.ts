import * as assert from 'node:assert/strict';
import { check, versionInComment } from './missing-version-comment';
import { assertFindingsAt, runCheck, yaml } from '../../../../test/support/check-tester';
import type { PinActionData } from '../../fix/deferred';

const WF = '.github/workflows/ci.yml';
const SHA = '11bd71901bbe5b1630ceea73d27597364c9af683';

describe('missing-version-comment', () => {
  it('reports SHA pins without a comment at the value, with the pin-action deferred fix', async () => {
    const text = yaml`
      on: push
      jobs:
        call:
          uses: octo/wf/.github/workflows/build.yml@${SHA}
        build:
          runs-on: ubuntu-latest
          steps:
            - uses: actions/checkout@${SHA}
            - {uses: "actions/setup-node@${SHA}"}
            - uses: a/b@${SHA} # zizmor: ignore[unpinned-uses]
    `;
    const { findings, result } = await runCheck(check, { [WF]: text });
    assert.equal(result.status, 'fail');
    assertFindingsAt(findings, [`${WF}:4:11`, `${WF}:8:15`, `${WF}:9:16`, `${WF}:10:15`]);
    assert.equal(findings[1].message, `actions/checkout is pinned to ${SHA.slice(0, 12)}… with no version comment: reviewers and update bots cannot tell which release this is`);
    const fix = findings[1].fixes[0];
    assert.equal(fix.deferred?.provider, 'pin-action');
    const data = fix.deferred!.data as PinActionData;
    assert.equal(text.slice(data.start, data.end), `actions/checkout@${SHA}`);
    assert.equal(data.ref, SHA);
    assert.equal(findings.every((f) => f.severity === 'low'), true);
  });

  it('reports a comment that is not a version, pointing at the comment', async () => {
    const { findings } = await runCheck(check, {
      'action.yml': yaml`
        name: x
        runs:
          using: composite
          steps:
            - uses: actions/cache@${SHA} # main
            - &s {uses: 'actions/upload-artifact@${SHA}'}  # pinned by hand
            - *s
      `,
    });
    assertFindingsAt(findings, ['action.yml:5:68', 'action.yml:6:86', 'action.yml:6:86']);
    assert.match(findings[0].message, /comment '# main' is not a version/);
    assert.deepEqual(findings[0].location?.end, { line: 5, column: 74 });
  });

  it('accepts version comments in their common spellings, tag pins and local actions', async () => {
    const { findings, result } = await runCheck(check, {
      [WF]: yaml`
        'on':
          push:
            tags: ['v*']
        jobs:
          build:
            runs-on: ubuntu-latest
            steps:
              - uses: actions/checkout@${SHA} # v4.2.2
              - uses: actions/setup-python@${SHA}  #v5
              - uses: a/b@${SHA} # tag=v1.0.0
              - uses: c/d@${SHA} # ratchet:c/d@v2
              - {uses: e/f@${SHA}} # 3.1.0
              - uses: g/h@v1
              - uses: ./local
      `,
    });
    assert.deepEqual(findings, []);
    assert.equal(result.status, 'pass');
  });

  it('knows version comments from other comments', () => {
    for (const c of ['# v4', '# v4.2.2', '#v1.2.3-rc.1', '# tag=v2', '# pin@v3.0', '# ratchet:owner/repo@v1', '# release/v1']) assert.ok(versionInComment(c), c);
    for (const c of ['# main', '# latest', '# pinned', '# see issue', '# release/next']) assert.ok(!versionInComment(c), c);
  });
});
