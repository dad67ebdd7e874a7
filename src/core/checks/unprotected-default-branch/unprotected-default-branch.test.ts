import * as assert from 'node:assert/strict';
import { check } from './unprotected-default-branch';
import { runCheck } from '../../../../test/support/check-tester';
import type { RepoFacts } from '../../model/facts';

function facts(rules: RepoFacts['defaultBranchRules'], classic?: RepoFacts['defaultBranchProtected']): RepoFacts {
  return {
    owner: 'octo',
    repo: 'widget',
    htmlUrl: 'https://github.com/octo/widget',
    defaultBranch: 'trunk',
    archived: { known: true, value: false },
    viewerPermission: { known: false, reason: 'sign in to see your permission' },
    licenseSpdx: { known: true, value: null },
    privateVulnerabilityReporting: { known: true, value: true },
    defaultBranchRules: rules,
    defaultBranchProtected: classic,
  };
}

const FILES = { 'README.md': 'x' };

describe('unprotected-default-branch', () => {
  it('fails when the default branch has neither rules nor protection', async () => {
    const { result, findings } = await runCheck(check, FILES, { facts: facts({ known: true, value: [] }, { known: true, value: false }) });
    assert.equal(result.status, 'fail');
    assert.equal(result.reason, 'trunk is not protected');
    assert.equal(findings[0].message, 'The default branch trunk has no ruleset or branch protection: anyone with push access can force-push or delete history');
    assert.deepEqual(findings[0].details, ['An admin can add a ruleset at https://github.com/octo/widget/settings/rules']);
  });

  it('fails when rules exist but none blocks force-pushes or requires pull requests', async () => {
    const { result, findings } = await runCheck(check, FILES, { facts: facts({ known: true, value: [{ type: 'required_linear_history' }, { type: 'deletion' }] }, { known: true, value: false }) });
    assert.equal(result.status, 'fail');
    assert.equal(findings[0].message, 'The default branch trunk has rules (required_linear_history, deletion), but none blocks force-pushes or requires a pull request');
  });

  it('passes with a protecting ruleset or classic protection', async () => {
    const byRules = await runCheck(check, FILES, { facts: facts({ known: true, value: [{ type: 'deletion' }, { type: 'non_fast_forward' }, { type: 'pull_request', source: 'octo/widget' }] }) });
    assert.equal(byRules.result.status, 'pass');
    assert.equal(byRules.result.reason, 'trunk is protected by rules (non_fast_forward, pull_request)');
    const classic = await runCheck(check, FILES, { facts: facts({ known: true, value: [] }, { known: true, value: true }) });
    assert.equal(classic.result.status, 'pass');
    assert.equal(classic.result.reason, 'trunk has branch protection');
    // Visible protection wins even when the other source is hidden.
    const mixed = await runCheck(check, FILES, { facts: facts({ known: false, reason: 'only a maintainer can see this', maintainerOnly: true }, { known: true, value: true }) });
    assert.equal(mixed.result.status, 'pass');
  });

  it('is unknown when the rules cannot be seen, or offline', async () => {
    const hidden = await runCheck(check, FILES, { facts: facts({ known: false, reason: 'only a maintainer can see this', maintainerOnly: true }, { known: true, value: false }) });
    assert.equal(hidden.result.status, 'unknown');
    assert.equal(hidden.result.reason, 'Unknown — only a maintainer can see this');
    assert.deepEqual(hidden.findings, []);
    const offline = await runCheck(check, FILES, { factsUnavailable: 'online features are off (--offline)' });
    assert.equal(offline.result.status, 'unknown');
    assert.equal(offline.result.reason, 'Unknown: online features are off (--offline)');
  });
});
