import * as assert from 'node:assert/strict';
import { check } from './ref-version-mismatch';
import { assertFindingsAt, runCheck, yaml } from '../../../../test/support/check-tester';
import { assertFixRoundTrip } from '../../../../test/support/fix-tester';
import { FakeActionLookup } from '../../../../test/support/fake-actions';
import { isSafeFix, reviewReasonOf } from '../../model';

const WF = '.github/workflows/ci.yml';
// actions/checkout as its tags were: v4.1.0 on A, v4.2.2 (and the moving v4) on B.
const A = 'b4ffde65f46336ab88eb53be808477a3936bae11';
const B = '11bd71901bbe5b1630ceea73d27597364c9af683';
const C = 'a5ac7e51b41094c92402da3b24376905380afc29';
const refs = { 'actions/checkout': { tags: { 'v4.1.0': A, 'v4.2.2': B, v4: B }, heads: { main: C } } };

const text = yaml`
  on: push
  jobs:
    build:
      runs-on: ubuntu-latest
      steps:
        - uses: actions/checkout@${A} # v4.2.2
        - uses: actions/checkout@${B} # v4.2.2
        - uses: actions/checkout@${A} # v4
        - uses: actions/checkout@${C} # tag=v4.2.2
        - uses: actions/checkout@${B} # v9.0.0 (node 20)
        - uses: actions/checkout@${A} # release/v4
`;

describe('ref-version-mismatch', () => {
  it('reports comments naming another release, at the comment; a major comment on a release of that major passes', async () => {
    const { findings, result } = await runCheck(check, { [WF]: text }, { actions: new FakeActionLookup({ refs }) });
    assert.equal(result.status, 'fail');
    assertFindingsAt(findings, [`${WF}:6:73`, `${WF}:9:73`, `${WF}:10:73`]);
    assert.equal(findings[0].message, `actions/checkout is pinned to ${A.slice(0, 12)}…, the commit of v4.1.0, but its comment says v4.2.2, whose commit is ${B.slice(0, 12)}…: the comment names a different release than the one that runs`);
    assert.equal(findings[1].message, `actions/checkout is pinned to ${C.slice(0, 12)}…, a commit no tag points to, but its comment says v4.2.2, whose commit is ${B.slice(0, 12)}…: the comment names a different release than the one that runs`);
    assert.equal(findings[2].message, `actions/checkout is pinned to ${B.slice(0, 12)}…, the commit of v4.2.2, but its comment says v9.0.0, which is no tag of actions/checkout`);
    assert.equal(findings[2].confidence, 'medium');
  });

  it('offers a safe comment fix and a review fix that pins the named release', async () => {
    const { findings } = await runCheck(check, { [WF]: text }, { actions: new FakeActionLookup({ refs }) });
    const [comment, sha] = findings[0].fixes;
    assert.equal(comment.title, 'Correct the comment of actions/checkout to v4.1.0');
    assert.equal(isSafeFix(comment), true);
    assert.equal(sha.title, 'Pin actions/checkout to the commit of v4.2.2');
    assert.equal(isSafeFix(sha), false);
    assert.match(reviewReasonOf(sha)!, /changes the code that runs: the workflow then runs v4\.2\.2/);
    // No tag on the pinned commit: only the SHA fix; no such tag: only the comment fix.
    assert.deepEqual(findings[1].fixes.map((f) => f.safe), [false]);
    assert.deepEqual(findings[2].fixes.map((f) => f.title), ['Correct the comment of actions/checkout to v4.2.2']);
  });

  it('safe fixes rewrite only the version in the comment and converge', async () => {
    const actions = new FakeActionLookup({ refs });
    const r = await assertFixRoundTrip(check, { [WF]: text }, { scan: { actions } });
    const out = r.files[WF].split('\n');
    assert.equal(out[5], `      - uses: actions/checkout@${A} # v4.1.0`);
    assert.equal(out[9], `      - uses: actions/checkout@${B} # v4.2.2 (node 20)`);
    assert.equal(out[8], `      - uses: actions/checkout@${C} # tag=v4.2.2`, 'no safe fix for an untagged commit');
  });

  it('the review fix pins the SHA of the named release and converges', async () => {
    const actions = new FakeActionLookup({ refs });
    const one = `on: push\njobs:\n  b:\n    runs-on: x\n    steps:\n      - uses: actions/checkout@${C} # v4.2.2\n`;
    const r = await assertFixRoundTrip(check, { [WF]: one }, { unsafe: true, scan: { actions } });
    assert.equal(r.files[WF], one.replace(C, B));
    assert.deepEqual(r.remaining, []);
  });

  it('is unknown offline', async () => {
    const { result } = await runCheck(check, { [WF]: text }, { factsUnavailable: 'online features are off (--offline)' });
    assert.equal(result.status, 'unknown');
  });
});
