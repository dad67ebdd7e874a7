import * as assert from 'node:assert/strict';
import { check } from './missing-security-policy';
import { runCheck } from '../../../../test/support/check-tester';
import { assertFixRoundTrip } from '../../../../test/support/fix-tester';
import { evaluatePolicy } from '../../security-md';

const PKG = JSON.stringify({ name: 'widget', repository: 'github:acme/widget', author: 'Ada <ada@example.org>' });

describe('missing-security-policy', () => {
  it('fails with no policy and offers a generated SECURITY.md that satisfies the whole rubric', async () => {
    const { result, findings } = await runCheck(check, { 'package.json': PKG });
    assert.equal(result.status, 'fail');
    assert.equal(findings.length, 1);
    assert.equal(findings[0].location, undefined);
    const fix = findings[0].fixes[0];
    assert.equal(fix.title, 'Add SECURITY.md with a private reporting channel');
    assert.equal(fix.edits[0].create, true);
    assert.match(fix.edits[0].newText, /https:\/\/github\.com\/acme\/widget\/security\/advisories\/new/);
    assert.deepEqual(evaluatePolicy('SECURITY.md', fix.edits[0].newText).items.filter((i) => !i.present).map((i) => i.id), []);
    const { files } = await assertFixRoundTrip(check, { 'package.json': PKG });
    assert.ok(files['SECURITY.md'].startsWith('# Security'));
  });

  it('offers no fix when no private channel can be proposed (a person must choose one)', async () => {
    const { findings } = await runCheck(check, { 'README.md': '# x' });
    assert.deepEqual(findings[0].fixes, []);
  });

  it('an empty policy (only a comment) fails at its first line and is replaced whole', async () => {
    const { result, findings } = await runCheck(check, { '.github/SECURITY.md': '<!-- todo -->\n\n', 'package.json': PKG });
    assert.equal(result.status, 'fail');
    assert.equal(findings[0].location?.file, '.github/SECURITY.md');
    assert.deepEqual(findings[0].fixes[0].edits.map((e) => [e.file, e.start, e.end]), [['.github/SECURITY.md', 0, 15]]);
  });

  it('passes with a policy in docs/', async () => {
    const { result } = await runCheck(check, { 'docs/SECURITY.md': 'Report issues to security@example.org.\n' });
    assert.equal(result.status, 'pass');
    assert.equal(result.reason, 'Found docs/SECURITY.md');
  });
});
