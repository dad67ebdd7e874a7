import * as assert from 'node:assert/strict';
import { check } from '../checks/cache-poisoning/cache-poisoning';
import { runCheck } from '../../../test/support/check-tester';
import { cacheRow, inputOff, inputOn } from './cache-actions';

// Each action reads its boolean inputs its own way; the table says how (issue 18, "be exact").
const publish = (steps: string) => `on:\n  release:\n    types: [published]\njobs:\n  publish:\n    runs-on: ubuntu-latest\n    steps:\n${steps}    - run: npm publish\n`;
const what = async (steps: string) => (await runCheck(check, { '.github/workflows/release.yml': publish(steps) })).findings.map((f) => f.message.split(';')[0]);

describe('cache-aware actions: boolean inputs as each action reads them', () => {
  it("lookup-only is on only for 'true' in any case (actions/cache, rust-cache): 'yes' and '1' still restore", async () => {
    const row = cacheRow('actions/cache', 4)!;
    assert.deepEqual(['true', 'TRUE', ' True ', 'yes', '1', 'on', ''].map((v) => inputOn(row, 'lookup-only', v)), [true, true, true, false, false, false, false]);
    assert.equal((await what('    - uses: actions/cache@v4\n      with:\n        lookup-only: "yes"\n')).length, 1);
    assert.equal((await what('    - uses: Swatinem/rust-cache@v2\n      with:\n        lookup-only: "1"\n')).length, 1);
    assert.deepEqual(await what('    - uses: Swatinem/rust-cache@v2\n      with:\n        lookup-only: "True"\n'), []);
  });

  it('setup-go cache uses getBooleanInput: true/True/TRUE on, false/False/FALSE off, anything else fails the step', async () => {
    const row = cacheRow('actions/setup-go', 5)!;
    assert.deepEqual(['true', 'True', 'TRUE', 'tRue', 'yes'].map((v) => inputOn(row, 'cache', v)), [true, true, true, false, false]);
    assert.deepEqual(['false', 'FALSE', 'no', '0'].map((v) => inputOff(row, 'cache', v)), [true, true, true, true]);
    assert.deepEqual(await what('    - uses: actions/setup-go@v5\n      with:\n        cache: "no"\n'), []);
    assert.equal((await what('    - uses: actions/setup-go@v5\n')).length, 1);
    assert.deepEqual(await what('    - uses: actions/setup-go@v3\n      with:\n        cache: "yes"\n'), []);
    assert.equal((await what('    - uses: actions/setup-go@v3\n      with:\n        cache: "TRUE"\n')).length, 1);
  });

  it('inputs whose parsing Steward has not read stay loose (false/no/off/0/empty are off)', () => {
    const row = cacheRow('ramsey/composer-install', 3)!;
    assert.deepEqual(['yes', 'true', '1'].map((v) => inputOn(row, 'ignore-cache', v)), [true, true, true]);
    assert.deepEqual(['no', '0', 'off', ''].map((v) => inputOff(row, 'ignore-cache', v)), [true, true, true, true]);
  });
});
