import * as assert from 'node:assert/strict';
import { check } from './stale-action-refs';
import { assertFindingsAt, runCheck, yaml } from '../../../../test/support/check-tester';
import { FakeActionLookup } from '../../../../test/support/fake-actions';

const WF = '.github/workflows/ci.yml';
const REL = '11bd71901bbe5b1630ceea73d27597364c9af683';
const TIP = 'a5ac7e51b41094c92402da3b24376905380afc29';
const OLD = '0ad4b8fadaa221de15dcec353f45205ec38ea70b';

const refs = { 'actions/checkout': { tags: { 'v4.2.2': REL, v4: REL }, heads: { main: TIP } } };

describe('stale-action-refs', () => {
  it('reports SHA pins that are no tag\'s commit and have no version comment; releases and commented pins pass', async () => {
    const actions = new FakeActionLookup({ refs });
    const { findings, result } = await runCheck(
      check,
      {
        [WF]: yaml`
          on: push
          jobs:
            build:
              runs-on: ubuntu-latest
              steps:
                - uses: actions/checkout@${REL}
                - uses: actions/checkout@${TIP}
                - uses: actions/checkout@${OLD}
                - uses: actions/checkout@${OLD} # v4.1.0
                - uses: actions/checkout@v4
        `,
      },
      { actions },
    );
    assert.equal(result.status, 'fail');
    assertFindingsAt(findings, [`${WF}:7:15`, `${WF}:8:15`]);
    assert.equal(findings[0].message, `actions/checkout is pinned to ${TIP.slice(0, 12)}…, a commit no tag of actions/checkout points to (today the tip of branch main), with no version comment: it is not a release, and update bots cannot tell which version it stands for`);
    assert.doesNotMatch(findings[1].message, /tip of branch/);
    assert.deepEqual(findings[0].fixes, []);
    // One question per action repository; the moving tag pin is not this check's business.
    assert.deepEqual(actions.calls, ['refs actions/checkout']);
  });

  it('is unknown offline and when the action repository cannot be listed, never a pass', async () => {
    const files = { [WF]: `on: push\njobs:\n  b:\n    runs-on: x\n    steps:\n      - uses: actions/checkout@${REL}\n` };
    const off = await runCheck(check, files, { actionsUnavailable: 'online features are off (--offline)' });
    assert.equal(off.result.status, 'unknown');
    assert.equal(off.result.reason, 'Unknown: online features are off (--offline)');
    const down = await runCheck(check, files, { actions: new FakeActionLookup({ down: 'GitHub API rate limit reached; resets at 12:00' }) });
    assert.equal(down.result.status, 'unknown');
    assert.match(down.result.reason, /1 action could not be looked up \(actions\/checkout: GitHub API rate limit reached/);
    const ok = await runCheck(check, files, { actions: new FakeActionLookup({ refs }) });
    assert.equal(ok.result.status, 'pass');
  });

  it('passes without asking anything when no SHA pin lacks a comment', async () => {
    const actions = new FakeActionLookup({ refs });
    const { result } = await runCheck(check, { [WF]: `on: push\njobs:\n  b:\n    runs-on: x\n    steps:\n      - uses: actions/checkout@v4\n` }, { actions });
    assert.equal(result.status, 'pass');
    assert.deepEqual(actions.calls, []);
  });
});
