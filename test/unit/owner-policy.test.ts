import * as assert from 'node:assert/strict';
import { check as incomplete } from '../../src/core/checks/security-policy-incomplete/security-policy-incomplete';
import type { RepoFacts } from '../../src/core/model/facts';
import type { GitHubPort } from '../../src/github/api';
import { GitHubNotFoundError } from '../../src/github/errors';
import { ownerSecurityPolicy } from '../../src/github/facts';
import { runCheck } from '../support/check-tester';

// Issue 15, "Policies where GitHub finds them": the owner's `.github` repository's SECURITY.md is the
// policy GitHub shows for every repository of that owner without its own.

function portWith(files: Record<string, string>, calls: string[] = []): GitHubPort {
  return {
    getRepo: async (owner: string, repo: string) => {
      calls.push(`repo ${owner}/${repo}`);
      if (!Object.keys(files).some((k) => k.startsWith(`${owner}/${repo}/`))) throw new GitHubNotFoundError('not found');
      return {};
    },
    request: async (route: string, params: Record<string, unknown> = {}) => {
      calls.push(`${route} ${params.owner}/${params.repo}/${params.path}`);
      const key = `${params.owner}/${params.repo}/${params.path}`;
      if (!(key in files)) throw new GitHubNotFoundError('not found');
      return { status: 200, data: { type: 'file', encoding: 'base64', content: Buffer.from(files[key]).toString('base64') }, headers: {} };
    },
  } as unknown as GitHubPort;
}

const facts = (ownerSecurityPolicy: RepoFacts['ownerSecurityPolicy']): RepoFacts => ({
  owner: 'acme',
  repo: 'widget',
  htmlUrl: 'https://github.com/acme/widget',
  archived: { known: true, value: false },
  viewerPermission: { known: true, value: 'read' },
  licenseSpdx: { known: true, value: 'MIT' },
  privateVulnerabilityReporting: { known: true, value: true },
  defaultBranchRules: { known: true, value: [] },
  ownerSecurityPolicy,
});

describe("the owner's .github security policy (issue 15)", () => {
  it('is read through the GitHub port from where GitHub looks (.github/, root, docs/); none is null', async () => {
    const calls: string[] = [];
    const got = await ownerSecurityPolicy(portWith({ 'acme/.github/SECURITY.md': '# Security\nMail security@acme.dev\n' }, calls), 'acme', 'widget');
    assert.deepEqual(got, { repo: 'acme/.github', path: 'SECURITY.md', text: '# Security\nMail security@acme.dev\n' });
    assert.deepEqual(calls.map((c) => c.split(' ').pop()), ['acme/.github', 'acme/.github/.github/SECURITY.md', 'acme/.github/SECURITY.md']);
    // No .github repository: one request.
    const none: string[] = [];
    assert.equal(await ownerSecurityPolicy(portWith({}, none), 'acme', 'widget'), null);
    assert.deepEqual(none, ['repo acme/.github']);
    // The .github repository itself has its own file or none.
    assert.equal(await ownerSecurityPolicy(portWith({ 'acme/.github/SECURITY.md': 'x' }), 'acme', '.github'), null);
  });

  it('security-policy-incomplete applies the rubric to the inherited policy, without a location or fixes', async () => {
    const weak = { repo: 'acme/.github', path: 'SECURITY.md', text: '# Security\n\nMail security@acme.dev.\n' };
    const { result, findings } = await runCheck(incomplete, { 'README.md': 'x' }, { facts: facts({ known: true, value: weak }) });
    assert.equal(result.status, 'fail');
    assert.equal(findings.length, 1);
    assert.equal(findings[0].location, undefined);
    assert.deepEqual(findings[0].fixes, []);
    assert.match(findings[0].message, /^acme\/\.github\/SECURITY\.md \(inherited: GitHub shows it for this repository\) is missing 3 parts of a useful security policy/);
    const good = { ...weak, text: '# Security\n\nReport privately to security@acme.dev. We will acknowledge your report within 3 days, investigate and publish an advisory.\n\n## Supported versions\n\nOnly the latest release.\n' };
    const ok = await runCheck(incomplete, { 'README.md': 'x' }, { facts: facts({ known: true, value: good }) });
    assert.equal(ok.result.status, 'pass');
    assert.match(ok.result.reason, /^Inherited from acme\/\.github\/SECURITY\.md, which covers all 5 parts/);
  });
});
