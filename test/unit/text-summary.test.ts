import * as assert from 'node:assert/strict';
import { check as unpinnedActions } from '../../src/core/checks/unpinned-actions/unpinned-actions';
import { check as unpinnedImages } from '../../src/core/checks/unpinned-images/unpinned-images';
import { NO_COLORS, suppressionSummary, textReport } from '../../src/core/report/text';
import { scanFiles, yaml } from '../support/check-tester';

// The summary line credits a project's existing triage: findings it already suppressed with zizmor
// (inline comments or zizmor.yml) are counted as such, separately from steward's own ignores.

const WF = '.github/workflows/ci.yml';
const FILES = {
  [WF]: yaml`
    on: push
    jobs:
      build:
        runs-on: ubuntu-latest
        container: ubuntu # zizmor: ignore[unpinned-images]
        steps:
          - uses: actions/checkout@v4 # zizmor: ignore[unpinned-uses]
          - uses: third/party@v1
          # steward: ignore[unpinned-actions]
          - uses: other/action@main
          - uses: still/reported@v2
  `,
  'zizmor.yml': yaml`
    rules:
      unpinned-uses:
        ignore:
          - ci.yml:8
  `,
};

describe('text report summary line', () => {
  it('says how many findings the existing zizmor config and steward ignores suppressed', async () => {
    const scan = await scanFiles([unpinnedActions, unpinnedImages], FILES);
    assert.equal(suppressionSummary(scan), "3 suppressed by existing zizmor config, 1 suppressed by the project's steward ignores");
    const text = textReport([scan], [unpinnedActions.meta, unpinnedImages.meta], { colors: NO_COLORS });
    const summary = text.trimEnd().split('\n').at(-1);
    assert.equal(summary, "1 finding (1 medium), 3 suppressed by existing zizmor config, 1 suppressed by the project's steward ignores; 1 with a fix (run: steward fix)");
  });

  it('says nothing about suppression when nothing was suppressed', async () => {
    const scan = await scanFiles([unpinnedActions], { [WF]: 'on: push\njobs:\n  b:\n    runs-on: x\n    steps:\n      - uses: a/b@v1\n' });
    assert.equal(suppressionSummary(scan), '');
    assert.equal(textReport([scan], [unpinnedActions.meta], { colors: NO_COLORS }).trimEnd().split('\n').at(-1), '1 finding (1 medium); 1 with a fix (run: steward fix)');
  });
});
