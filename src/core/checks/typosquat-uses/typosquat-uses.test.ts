import * as assert from 'node:assert/strict';
import { check } from './typosquat-uses';
import { assertFindingsAt, runCheck, yaml } from '../../../../test/support/check-tester';
import { oneEditApart, POPULAR_ACTIONS, imitatedAction } from '../../workflow/popular-actions';

const WF = '.github/workflows/ci.yml';

describe('typosquat-uses', () => {
  it('one edit: replaced, inserted, removed, swapped; nothing for equal or two edits', () => {
    assert.equal(oneEditApart('actions/checkout', 'actoins/checkout'), true);
    assert.equal(oneEditApart('actions/checkout', 'action/checkout'), true);
    assert.equal(oneEditApart('actions/checkout', 'actionss/checkout'), true);
    assert.equal(oneEditApart('actions/checkout', 'acti0ns/checkout'), true);
    assert.equal(oneEditApart('actions/checkout', 'actions/checkout'), false);
    assert.equal(oneEditApart('actions/checkout', 'axtions/checkoot'), false);
  });

  it('no two popular actions of different owners are one edit apart (each would shadow the other)', () => {
    for (const p of POPULAR_ACTIONS) assert.equal(imitatedAction(p), undefined, p);
  });

  it('reports look-alike owners of popular actions, with a review fix for tag refs only', async () => {
    const { findings, result } = await runCheck(check, {
      [WF]: yaml`
        on: push
        jobs:
          build:
            runs-on: ubuntu-latest
            steps:
              - uses: actoins/checkout@v4
              - uses: docker/login-action@v3
              - uses: dockr/login-action@v3
              - uses: action/setup-node@1111111111111111111111111111111111111111 # v4
              - uses: actions/checkout@v4
              - uses: actions/setup-nod@v4
              - uses: my-org/checkout@v4
      `,
    });
    assert.equal(result.status, 'fail');
    assertFindingsAt(findings, [`${WF}:6:15`, `${WF}:8:15`, `${WF}:9:15`]);
    assert.match(findings[0].message, /^`actoins\/checkout` is one letter away from the widely used `actions\/checkout`, under another owner/);
    assert.deepEqual(findings.map((f) => f.fixes.length), [1, 1, 0]);
    assert.equal(findings[0].fixes[0].safe, false);
    assert.deepEqual(findings[0].fixes[0].edits.map((e) => e.newText), ['actions/checkout']);
  });
});
