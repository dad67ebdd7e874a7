import * as assert from 'node:assert/strict';
import { check } from './known-vulnerable-actions';
import { assertFindingsAt, runCheck, yaml } from '../../../../test/support/check-tester';
import { assertFixRoundTrip } from '../../../../test/support/fix-tester';
import { FakeActionLookup } from '../../../../test/support/fake-actions';
import { inRange, parseVersion } from '../action-versions';
import { isSafeFix } from '../../model';
import type { ActionAdvisory } from '../../model/actions';

const WF = '.github/workflows/ci.yml';
// tj-actions/changed-files as in March 2025: the compromised tags were fixed by v46.0.1.
const V45 = '48d8f15b2aaa3d255ca5af3eba4870f807ce6b3c';
const V46 = '2f7c5bfce28377bc069a65ba478de0a74aa0ca32';
const V461 = 'ed68ef82c095e0d48ec87eccea555d944a631a4c';
const V39 = 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678';
const V398 = 'b1b2c3d4e5f60718293a4b5c6d7e8f9012345678';

const refs = {
  'tj-actions/changed-files': { tags: { 'v45.0.0': V45, v45: V45, 'v46.0.0': V46, 'v46.0.1': V461, v46: V461, 'v39.2.0': V39, 'v39.2.8': V398 }, heads: { main: V461 } },
  'actions/checkout': { tags: { 'v4.2.2': '11bd71901bbe5b1630ceea73d27597364c9af683' }, heads: {} },
};
const ghsa: ActionAdvisory = {
  id: 'GHSA-mrrh-fwg8-r2c3',
  cve: 'CVE-2025-30066',
  summary: 'tj-actions changed-files through 45.0.7 allows remote attackers to discover secrets by reading actions logs',
  severity: 'high',
  url: 'https://github.com/advisories/GHSA-mrrh-fwg8-r2c3',
  vulnerabilities: [{ package: 'tj-actions/changed-files', range: '>= 46.0.0, < 46.0.1', firstPatched: '46.0.1' }, { package: 'tj-actions/changed-files', range: '< 46.0.0', firstPatched: '46.0.1' }],
};
const backport: ActionAdvisory = {
  id: 'GHSA-mcph-m25j-8j63',
  cve: 'CVE-2023-51664',
  summary: 'tj-actions/changed-files has Potential Actions command injection in output filenames',
  severity: 'high',
  url: 'https://github.com/advisories/GHSA-mcph-m25j-8j63',
  vulnerabilities: [{ package: 'tj-actions/changed-files', range: '< 39.2.8', firstPatched: '39.2.8' }],
};

function lookup(advisories: ActionAdvisory[]): FakeActionLookup {
  return new FakeActionLookup({ refs, advisories: { 'tj-actions/changed-files': advisories } });
}

const text = yaml`
  on: pull_request
  jobs:
    build:
      runs-on: ubuntu-latest
      steps:
        - uses: actions/checkout@v4.2.2
        - uses: tj-actions/changed-files@v46.0.0
        - uses: tj-actions/changed-files@${V46} # v46.0.0
        - uses: tj-actions/changed-files@${V45}
        - uses: tj-actions/changed-files@v46
`;

describe('known-vulnerable-actions', () => {
  it('reads the ranges GitHub writes', () => {
    const v = parseVersion('v46.0.0')!;
    assert.equal(inRange(v, '>= 46.0.0, < 46.0.1'), true);
    assert.equal(inRange(v, '< 46.0.0'), false);
    assert.equal(inRange(parseVersion('1.2')!, '<= 1.2.0'), true);
    assert.equal(inRange(parseVersion('2.0.0')!, '= 2.0.0'), true);
    assert.equal(inRange(v, 'not a range'), undefined);
  });

  it('matches the exact tag, the release a SHA pin names, and leaves a moving tag past the fix alone', async () => {
    const { findings, result } = await runCheck(check, { [WF]: text }, { actions: lookup([ghsa]) });
    assert.equal(result.status, 'fail');
    assertFindingsAt(findings, [`${WF}:7:15`, `${WF}:8:15`, `${WF}:9:15`]);
    assert.equal(
      findings[0].message,
      'tj-actions/changed-files@v46.0.0 is affected by GHSA-mrrh-fwg8-r2c3 (CVE-2025-30066): tj-actions changed-files through 45.0.7 allows remote attackers to discover secrets by reading actions logs — vulnerable >= 46.0.0, < 46.0.1, fixed in 46.0.1',
    );
    assert.match(findings[1].message, /^tj-actions\/changed-files@2f7c5bfce283… \(v46\.0\.0\) is affected/);
    assert.equal(findings[0].severity, 'high');
    assert.deepEqual(findings[0].details, ['https://github.com/advisories/GHSA-mrrh-fwg8-r2c3']);
  });

  it('bumps within the major with a safe fix whose text names the advisory; a new major is a review fix', async () => {
    const { findings } = await runCheck(check, { [WF]: text }, { actions: lookup([ghsa]) });
    assert.equal(findings[0].fixes[0].title, 'Move tj-actions/changed-files from v46.0.0 to v46.0.1 (GHSA-mrrh-fwg8-r2c3)');
    assert.equal(isSafeFix(findings[0].fixes[0]), true);
    assert.equal(findings[0].fixes[0].evidence?.[0].links?.[0].url, 'https://github.com/advisories/GHSA-mrrh-fwg8-r2c3');
    const v45 = findings[2].fixes[0];
    assert.equal(v45.title, 'Move tj-actions/changed-files from v45.0.0 to v46.0.1 (GHSA-mrrh-fwg8-r2c3)');
    assert.equal(isSafeFix(v45), false);
    assert.match(v45.reviewReason!, /new major version/);
  });

  it('a backported fix in the same major is taken (v39.2.0 → v39.2.8)', async () => {
    const one = `on: push\njobs:\n  b:\n    runs-on: x\n    steps:\n      - uses: tj-actions/changed-files@${V39} # v39.2.0\n`;
    const { findings } = await runCheck(check, { [WF]: one }, { actions: lookup([backport]) });
    assert.equal(findings[0].fixes[0].title, 'Move tj-actions/changed-files from v39.2.0 to v39.2.8 (GHSA-mcph-m25j-8j63)');
    assert.equal(isSafeFix(findings[0].fixes[0]), true);
  });

  it('safe fixes keep the pin style (SHA + comment, tag) and converge', async () => {
    const r = await assertFixRoundTrip(check, { [WF]: text }, { scan: { actions: lookup([ghsa]) } });
    const out = r.files[WF].split('\n');
    assert.equal(out[6], '      - uses: tj-actions/changed-files@v46.0.1');
    assert.equal(out[7], `      - uses: tj-actions/changed-files@${V461} # v46.0.1`);
    assert.equal(out[8], `      - uses: tj-actions/changed-files@${V45}`, 'the cross-major move waits for review');
    const all = await assertFixRoundTrip(check, { [WF]: text }, { unsafe: true, scan: { actions: lookup([ghsa]) } });
    assert.equal(all.files[WF].split('\n')[8], `      - uses: tj-actions/changed-files@${V461} # v46.0.1`);
    assert.deepEqual(all.remaining, []);
  });

  it('passes when no advisory names the actions, asking for refs only when one does; unknown offline', async () => {
    const actions = lookup([]);
    const { result } = await runCheck(check, { [WF]: text }, { actions });
    assert.equal(result.status, 'pass');
    assert.equal(actions.calls.filter((c) => c.startsWith('refs')).length, 0);
    const off = await runCheck(check, { [WF]: text }, { actionsUnavailable: 'online features are off (--offline)' });
    assert.equal(off.result.status, 'unknown');
    const down = await runCheck(check, { [WF]: text }, { actions: new FakeActionLookup({ down: 'cannot reach GitHub at https://github.com (offline?)' }) });
    assert.equal(down.result.status, 'unknown');
  });
});
