import * as assert from 'node:assert/strict';
import { buildSettingsRequest, settingStatesFromResults } from '.';

describe('maintainer settings request', () => {
  it('lists only failing or unknown settings, with tick boxes, direct links and one reason each', () => {
    const req = buildSettingsRequest({
      owner: 'octo',
      repo: 'widget',
      ownerType: 'Organization',
      states: {
        'private-vulnerability-reporting': { status: 'fail', reason: 'off' },
        'default-branch-ruleset': { status: 'pass' },
        'secret-scanning': { status: 'unknown', reason: 'Unknown — only admins can see this' },
        'read-only-workflow-token': { status: 'fail' },
        'org-2fa': { status: 'unknown' },
      },
    });
    assert.deepEqual(req.items, ['private-vulnerability-reporting', 'secret-scanning', 'read-only-workflow-token', 'org-2fa']);
    assert.equal(req.title, 'Security settings request: 4 repository settings only an admin can change');
    const boxes = req.body.split('\n').filter((l) => l.startsWith('- [ ] '));
    assert.deepEqual(boxes.map((b) => b.slice(b.lastIndexOf(' ') + 1)), [
      'https://github.com/octo/widget/settings/security_analysis',
      'https://github.com/octo/widget/settings/security_analysis',
      'https://github.com/octo/widget/settings/actions',
      'https://github.com/organizations/octo/settings/security',
    ]);
    assert.equal(req.body.split('\n').filter((l) => l.startsWith('Why: ')).length, 4);
    assert.doesNotMatch(req.body, /ruleset/i);
    assert.match(req.body, /_I could not check this from outside: only admins can see this\. If it is already on, just tick it\._/);
    // a failing item is stated, not hedged
    const pvr = req.body.slice(req.body.indexOf('### Turn on private'), req.body.indexOf('### Turn on secret'));
    assert.doesNotMatch(pvr, /could not check/);
  });

  it('skips 2FA for personal accounts, hedges it when the owner type is unknown, and links the ruleset page', () => {
    const user = buildSettingsRequest({ owner: 'ada', repo: 'r', ownerType: 'User', states: { 'default-branch-ruleset': { status: 'fail' }, 'private-vulnerability-reporting': { status: 'pass' }, 'secret-scanning': { status: 'pass' }, 'read-only-workflow-token': { status: 'pass' } } });
    assert.deepEqual(user.items, ['default-branch-ruleset']);
    assert.equal(user.title, 'Security settings request: protect the default branch with a ruleset');
    assert.match(user.body, /- \[ \] .*: https:\/\/github\.com\/ada\/r\/settings\/rules\/new\?target=branch$/m);
    const unknownOwner = buildSettingsRequest({ owner: 'ada', repo: 'r', states: {} });
    assert.equal(unknownOwner.items.length, 5);
    assert.match(unknownOwner.body, /\(Only if ada is an organisation/);
    const none = buildSettingsRequest({ owner: 'a', repo: 'r', ownerType: 'User', states: { 'default-branch-ruleset': { status: 'pass' }, 'private-vulnerability-reporting': { status: 'pass' }, 'secret-scanning': { status: 'pass' }, 'read-only-workflow-token': { status: 'pass' } } });
    assert.deepEqual(none.items, []);
    assert.match(none.body, /already in place/);
  });

  it('maps check results to setting states', () => {
    const states = settingStatesFromResults([
      { checkId: 'private-vulnerability-reporting-disabled', status: 'pass', reason: 'on', findings: [], suppressed: 0 },
      { checkId: 'unprotected-default-branch', status: 'unknown', reason: 'Unknown — offline', findings: [], suppressed: 0 },
    ]);
    assert.equal(states['private-vulnerability-reporting']!.status, 'pass');
    assert.equal(states['default-branch-ruleset']!.status, 'unknown');
    assert.equal(states['secret-scanning']!.status, 'unknown');
  });
});
