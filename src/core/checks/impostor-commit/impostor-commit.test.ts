import * as assert from 'node:assert/strict';
import { check } from './impostor-commit';
import { assertFindingsAt, runCheck, yaml } from '../../../../test/support/check-tester';
import { FakeActionLookup } from '../../../../test/support/fake-actions';
import { isSafeFix } from '../../model';

const WF = '.github/workflows/ci.yml';
const REL = '11bd71901bbe5b1630ceea73d27597364c9af683';
const OLD = 'b4ffde65f46336ab88eb53be808477a3936bae11';
const FORK = 'c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00';
const refs = { 'actions/checkout': { tags: { 'v4.2.2': REL, v4: REL, 'v3.6.0': '3333333333333333333333333333333333333333' }, heads: { main: REL, 'releases/v3': '3333333333333333333333333333333333333333' } } };
// OLD is an older commit of main; FORK lives only in a fork.
const history = { 'actions/checkout': { main: [REL, OLD], 'v4.2.2': [REL, OLD], v4: [REL, OLD] } };

const text = yaml`
  on: push
  jobs:
    build:
      runs-on: ubuntu-latest
      steps:
        - uses: actions/checkout@${REL}
        - uses: actions/checkout@${OLD}
        - uses: actions/checkout@${FORK} # v4.2.2
`;

describe('impostor-commit', () => {
  it('reports a commit no branch or tag contains; tips cost nothing, older commits one compare', async () => {
    const actions = new FakeActionLookup({ refs, history, repos: { 'actions/checkout': { archived: false } } });
    const { findings, result } = await runCheck(check, { [WF]: text }, { actions });
    assert.equal(result.status, 'fail');
    assertFindingsAt(findings, [`${WF}:8:15`]);
    assert.equal(findings[0].message, `actions/checkout is pinned to ${FORK.slice(0, 12)}…, which is in the history of no branch or tag of actions/checkout: it can only come from a fork (GitHub serves fork commits under the original's name) or from history that was rewritten`);
    assert.equal(findings[0].confidence, 'high');
    assert.deepEqual(actions.calls.filter((c) => c.startsWith('contains')), [`contains actions/checkout@${OLD}`, `contains actions/checkout@${FORK}`]);
    const fix = findings[0].fixes[0];
    assert.equal(fix.title, 'Pin actions/checkout to the commit of v4.2.2');
    assert.equal(isSafeFix(fix), false);
    assert.equal(text.slice(0, fix.edits[0].start).endsWith('actions/checkout@'), true);
    assert.equal(fix.edits[0].newText, REL);
  });

  it('says how much was compared when the repository has more refs than the bound', async () => {
    const tags: Record<string, string> = {};
    for (let i = 0; i < 20; i++) tags[`v1.${i}.0`] = `${String(i).padStart(2, '0')}`.repeat(20);
    const actions = new FakeActionLookup({ refs: { 'o/a': { tags, heads: { main: 'ab'.repeat(20) } } }, history: { 'o/a': {} }, repos: { 'o/a': { archived: false } } });
    const { findings } = await runCheck(check, { [WF]: `on: push\njobs:\n  b:\n    runs-on: x\n    steps:\n      - uses: o/a@${FORK}\n` }, { actions });
    assert.equal(findings[0].confidence, 'medium');
    assert.match(findings[0].message, /is not in the history of main, v1\.19\.0, v1\.0\.0, v1\.1\.0, … \(8 of 21 branches and tags of o\/a compared\): it may come from a fork$/);
  });

  it('is unknown offline and when a compare fails', async () => {
    const off = await runCheck(check, { [WF]: text }, { actionsUnavailable: 'online features are off (--offline)' });
    assert.equal(off.result.status, 'unknown');
    const noHistory = await runCheck(check, { [WF]: text }, { actions: new FakeActionLookup({ refs }) });
    assert.equal(noHistory.result.status, 'unknown');
    assert.match(noHistory.result.reason, /could not be looked up/);
  });
});
