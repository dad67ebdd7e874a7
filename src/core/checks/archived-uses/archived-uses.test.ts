import * as assert from 'node:assert/strict';
import { check } from './archived-uses';
import { ARCHIVED_ACTIONS } from './archived-actions';
import { assertFindingsAt, runCheck, yaml } from '../../../../test/support/check-tester';
import { assertFixRoundTrip } from '../../../../test/support/fix-tester';
import { FakeActionLookup } from '../../../../test/support/fake-actions';
import { Engine } from '../../engine';
import { MemorySnapshot } from '../../repo/snapshot';

const WF = '.github/workflows/release.yml';
const text = yaml`
  on: push
  jobs:
    build:
      runs-on: ubuntu-latest
      steps:
        - uses: actions/checkout@v4
        - uses: gradle/gradle-build-action@v3
        - uses: gradle/gradle-build-action@v2
        - uses: actions/create-release@v1
          with:
            tag_name: \${{ github.ref }}
        - uses: someone/abandoned@v1
`;

describe('archived-uses', () => {
  it('offline: reports the listed archived actions with their successors; the rest stays unknown', async () => {
    const { findings, result } = await runCheck(check, { [WF]: text }, { actionsUnavailable: 'online features are off (--offline)' });
    assert.equal(result.status, 'fail');
    assertFindingsAt(findings, [`${WF}:7:15`, `${WF}:8:15`, `${WF}:9:15`]);
    assert.equal(
      findings[2].message,
      'actions/create-release comes from actions/create-release, which is archived: it gets no more fixes, security fixes included; use `gh release create` (the GitHub CLI is on every hosted runner) or softprops/action-gh-release, which take different inputs, so the step needs rewriting (shogo82148/actions-create-release says it accepts the same inputs, from another publisher) instead',
    );
    assert.deepEqual(findings[2].fixes, [], 'not a drop-in: no fix');
    assert.match(findings[0].details?.[0] ?? '', /^From Steward's list of archived actions/);
  });

  it('online: GitHub\'s archived flag decides, for listed and unlisted actions alike', async () => {
    const actions = new FakeActionLookup({
      repos: { 'actions/checkout': { archived: false }, 'gradle/gradle-build-action': { archived: true }, 'actions/create-release': { archived: false }, 'someone/abandoned': { archived: true } },
    });
    const { findings } = await runCheck(check, { [WF]: text }, { actions });
    assertFindingsAt(findings, [`${WF}:7:15`, `${WF}:8:15`, `${WF}:12:15`]);
    assert.equal(findings[2].message, 'someone/abandoned comes from someone/abandoned, which is archived: it gets no more fixes, security fixes included; look for a maintained fork or replace the step');
    assert.equal(findings[0].details, undefined);
    // One question per action repository.
    assert.equal(actions.calls.filter((c) => c.startsWith('repository')).length, 4);
  });

  it('swaps only the documented drop-in (gradle-build-action@v3 → setup-gradle@v3), and converges', async () => {
    const r = await assertFixRoundTrip(check, { [WF]: text }, { scan: { actionsUnavailable: 'offline' } });
    assert.equal(r.applied, 1);
    assert.equal(r.files[WF].split('\n')[6], '      - uses: gradle/actions/setup-gradle@v3');
    assert.equal(r.files[WF].split('\n')[7], '      - uses: gradle/gradle-build-action@v2');
  });

  it('is unknown when nothing listed is used and GitHub cannot be asked; passes when it says no', async () => {
    const files = { [WF]: 'on: push\njobs:\n  b:\n    runs-on: x\n    steps:\n      - uses: actions/checkout@v4\n' };
    assert.equal((await runCheck(check, files, { actionsUnavailable: 'online features are off (--offline)' })).result.status, 'unknown');
    assert.equal((await runCheck(check, files, { actions: new FakeActionLookup({ down: 'rate limit' }) })).result.status, 'unknown');
    assert.equal((await runCheck(check, files, { actions: new FakeActionLookup({ repos: { 'actions/checkout': { archived: false } } }) })).result.status, 'pass');
  });

  it('the list holds lower-case owner/repo names with a source each', () => {
    for (const a of ARCHIVED_ACTIONS) {
      assert.match(a.repo, /^[a-z0-9_.-]+\/[a-z0-9_.-]+$/);
      assert.ok(a.source.length > 10, a.repo);
    }
  });
  it('a re-check after a uses: edit reports the edited line, not what the file said before (per-file memo)', async () => {
    const wf = (uses: string) => `on: push\njobs:\n  b:\n    runs-on: x\n    steps:\n      - uses: ${uses}\n`;
    const A = '.github/workflows/a.yml';
    const B = '.github/workflows/b.yml';
    const snap = new MemorySnapshot('t', { [A]: wf('actions/setup-ruby@v1'), [B]: wf('actions/checkout@v4') });
    const engine = new Engine([check]);
    const messages = async (changed?: string[]) => (await engine.scan(snap, changed ? { changed } : {})).findings.map((f) => `${f.location?.file}: ${f.message.split(',')[0]}`);
    assert.deepEqual(await messages(), [`${A}: actions/setup-ruby comes from actions/setup-ruby`]);
    snap.set(B, wf('actions-rs/cargo@v1'));
    assert.deepEqual(await messages([B]), [`${A}: actions/setup-ruby comes from actions/setup-ruby`, `${B}: actions-rs/cargo comes from actions-rs/cargo`]);
    snap.set(A, wf('ruby/setup-ruby@v1'));
    assert.deepEqual(await messages([A]), [`${B}: actions-rs/cargo comes from actions-rs/cargo`]);
    snap.set(B, wf('actions/checkout@v4'));
    const last = await engine.scan(snap, { changed: [B] });
    assert.deepEqual(last.findings, []);
    assert.equal(last.results[0].status, 'unknown', 'offline, with nothing listed');
  });
});
