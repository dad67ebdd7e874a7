import * as assert from 'node:assert/strict';
import { check } from './archived-repository';
import { runCheck } from '../../../../test/support/check-tester';
import type { RepoFacts } from '../../model/facts';

function facts(archived: RepoFacts['archived']): RepoFacts {
  return {
    owner: 'octo',
    repo: 'old',
    htmlUrl: 'https://github.com/octo/old',
    archived,
    viewerPermission: { known: true, value: 'none' },
    licenseSpdx: { known: true, value: 'Apache-2.0' },
    privateVulnerabilityReporting: { known: false, reason: 'only a maintainer can see this', maintainerOnly: true },
    defaultBranchRules: { known: true, value: [] },
  };
}

describe('archived-repository', () => {
  it('fails for an archived repository', async () => {
    const { result, findings } = await runCheck(check, { 'a.txt': 'x' }, { facts: facts({ known: true, value: true }) });
    assert.equal(result.status, 'fail');
    assert.equal(findings.length, 1);
    assert.equal(findings[0].message, 'octo/old is archived: it is read-only and gets no fixes, security fixes included');
    assert.equal(findings[0].severity, 'medium');
  });

  it('passes for an active repository and is unknown without facts', async () => {
    assert.equal((await runCheck(check, { 'a.txt': 'x' }, { facts: facts({ known: true, value: false }) })).result.status, 'pass');
    const off = await runCheck(check, { 'a.txt': 'x' }, { factsUnavailable: 'online features are off (--offline)' });
    assert.equal(off.result.status, 'unknown');
    assert.equal(off.result.reason, 'Unknown: online features are off (--offline)');
    const hidden = await runCheck(check, { 'a.txt': 'x' }, { facts: facts({ known: false, reason: 'GitHub API rate limit reached; resets at 12:00' }) });
    assert.equal(hidden.result.status, 'unknown');
    assert.equal(hidden.result.reason, 'Unknown — GitHub API rate limit reached; resets at 12:00');
  });
});
