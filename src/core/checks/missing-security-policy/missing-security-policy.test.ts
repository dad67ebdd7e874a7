import * as assert from 'node:assert/strict';
import { check } from './missing-security-policy';
import { runCheck } from '../../../../test/support/check-tester';
import { assertFixRoundTrip } from '../../../../test/support/fix-tester';
import { evaluatePolicy, gatherProjectFacts, proposeChannelAnswers, renderProposedSecurityMd } from '../../security-md';
import { isSafeFix, reviewReasonOf } from '../../model';
import type { RepoFacts } from '../../model/facts';

const PKG = JSON.stringify({ name: 'widget', repository: 'github:acme/widget', author: 'Ada <ada@example.org>' });

describe('missing-security-policy', () => {
  const online = (ownerSecurityPolicy: RepoFacts['ownerSecurityPolicy']): RepoFacts => ({
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

  it('fails online when neither the repository nor its owner has a policy, with a generated SECURITY.md as a review fix (never preselected)', async () => {
    const { result, findings } = await runCheck(check, { 'package.json': PKG }, { facts: online({ known: true, value: null }) });
    assert.equal(result.status, 'fail');
    assert.equal(result.reason, 'No SECURITY.md at the root, in .github/ or in docs/, and none in acme/.github');
    assert.equal(findings.length, 1);
    assert.equal(findings[0].location, undefined);
    const fix = findings[0].fixes[0];
    assert.equal(fix.title, 'Add SECURITY.md with a private reporting channel');
    assert.equal(isSafeFix(fix), false);
    assert.equal(reviewReasonOf(fix), 'It names GitHub private vulnerability reporting as the private channel for the maintainers, and leaves the supported versions for them to fill in.');
    assert.equal(fix.edits[0].create, true);
    assert.match(fix.edits[0].newText, /https:\/\/github\.com\/acme\/widget\/security\/advisories\/new/);
    // The package author's address is not made the private channel; nothing is said for the
    // maintainers (judge1 D27, D28, D30): no support table from tags, no process, no response times.
    assert.doesNotMatch(fix.edits[0].newText, /ada@example\.org/);
    assert.doesNotMatch(fix.edits[0].newText, /\| Version|\.x \||have not set|We confirm|respon/i);
    assert.match(fix.edits[0].newText, /\n## Supported versions\n\n\[To be filled in by the maintainers: which versions receive security fixes, for example a table of release lines\.\]\n$/);
    // The blank stays visible to the rubric until the maintainers fill it in.
    const ev = evaluatePolicy('SECURITY.md', fix.edits[0].newText);
    assert.deepEqual(ev.items.filter((i) => !i.present).map((i) => i.id), ['process', 'response-time', 'not-template']);
    const { files } = await assertFixRoundTrip(check, { 'package.json': PKG }, { unsafe: true });
    assert.ok(files['SECURITY.md'].startsWith('# Security'));
  });

  it("passes online when the owner's .github repository has a policy GitHub shows (issue 15)", async () => {
    const { result, findings } = await runCheck(check, { 'package.json': PKG }, { facts: online({ known: true, value: { repo: 'acme/.github', path: 'SECURITY.md', text: '# Security\n' } }) });
    assert.equal(result.status, 'pass');
    assert.equal(result.reason, 'Inherited from acme/.github (SECURITY.md), which GitHub shows for this repository');
    assert.deepEqual(findings, []);
  });

  it("is unknown offline, never failed: the owner's .github policy cannot be seen (issue 15)", async () => {
    const { result, findings } = await runCheck(check, { 'package.json': PKG });
    assert.equal(result.status, 'unknown');
    assert.match(result.reason, /^No SECURITY\.md in this repository; GitHub shows acme\/\.github's policy when it has one, which Steward cannot check \(/);
    assert.equal(findings.length, 1);
    assert.equal(findings[0].severity, 'info');
    assert.equal(isSafeFix(findings[0].fixes[0]), false);
    // The fix says what Steward could not see (judge1 D30: github/.github has the org-wide policy).
    assert.equal(
      reviewReasonOf(findings[0].fixes[0]),
      "It names GitHub private vulnerability reporting as the private channel for the maintainers (it works only once they enable it in the repository settings), and leaves the supported versions for them to fill in. GitHub shows acme/.github's SECURITY.md for this repository when it has one, which Steward could not check: a file here would replace that policy, so check there first.",
    );
    // Online but the owner's repository could not be read (rate limit): unknown with that reason.
    const limited = await runCheck(check, { 'package.json': PKG }, { facts: online({ known: false, reason: 'rate limited until 12:00' }) });
    assert.equal(limited.result.status, 'unknown');
    assert.match(limited.result.reason, /\(rate limited until 12:00\)$/);
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

  it('writes the fix\'s text only when it is read, the text the generator gives for the proposed answers, in both forms (new file, empty file)', async () => {
    const cases: Record<string, string>[] = [{ 'package.json': PKG }, { 'package.json': PKG, 'SECURITY.md': '<!-- nothing -->\n' }];
    for (const files of cases) {
      const { findings } = await runCheck(check, files, { facts: online({ known: true, value: null }) });
      const fix = findings[0].fixes[0];
      assert.ok(Object.getOwnPropertyDescriptor(fix, 'edits')?.get, 'edits not written during the scan');
      assert.deepEqual(Object.keys(fix), ['title', 'safe', 'reviewReason', 'edits']);
      const answers = proposeChannelAnswers(await gatherProjectFacts(async (p) => files[p], { facts: online({ known: true, value: null }), fallbackName: 'repo', noTags: true }));
      const text = renderProposedSecurityMd(answers);
      const empty = 'SECURITY.md' in files;
      assert.deepEqual(JSON.parse(JSON.stringify(fix.edits)), [empty ? { file: 'SECURITY.md', start: 0, end: files['SECURITY.md'].length, newText: text } : { file: 'SECURITY.md', start: 0, end: 0, newText: text, create: true }]);
      assert.equal(fix.edits, fix.edits);
    }
  });
});
