import * as assert from 'node:assert/strict';
import { check } from './security-policy-incomplete';
import { check as missingPolicy } from '../missing-security-policy/missing-security-policy';
import { assertFindingsAt, runCheck, scanFiles } from '../../../../test/support/check-tester';
import { assertFixRoundTrip } from '../../../../test/support/fix-tester';

// Every corpus SECURITY.md and the corpus statuses: test/corpus/security-policy-corpus.test.ts.

const GITHUB_TEMPLATE = `# Security Policy

## Supported Versions

Use this section to tell people about which versions of your project are
currently being supported with security updates.

| Version | Supported          |
| ------- | ------------------ |
| 5.1.x   | :white_check_mark: |
| 5.0.x   | :x:                |
| 4.0.x   | :white_check_mark: |
| < 4.0   | :x:                |

## Reporting a Vulnerability

Use this section to tell people how to report a vulnerability.

Tell them where to go, how often they can expect to get an update on a
reported vulnerability, what to expect if the vulnerability is accepted or
declined, etc.
`;

const GIT_CONFIG = '[core]\n\tbare = false\n[remote "origin"]\n\turl = git@github.com:octo/widget.git\n\tfetch = +refs/heads/*:refs/remotes/origin/*\n';

describe('security-policy-incomplete', () => {
  it('flags GitHub\'s unedited template: placeholders do not count as channel, process or versions', async () => {
    const { result, findings } = await runCheck(check, { 'SECURITY.md': GITHUB_TEMPLATE });
    assert.equal(result.status, 'fail');
    assert.deepEqual(findings[0].details, [
      'Missing: Private reporting channel',
      'Missing: What happens after a report',
      'Missing: Response time expectations',
      'Missing: Supported versions',
      "Missing: More than GitHub's template",
    ]);
    // One finding per policy (issue 15): the parts are its details, not findings of their own.
    assertFindingsAt(findings, ['SECURITY.md:1:1']);
    assert.match(findings[0].message, /^SECURITY\.md is missing 5 parts of a useful security policy/);
    assert.equal(findings[0].severity, 'low');
  });

  it('replaces the template text with real sections and keeps the headings', async () => {
    const rt = await assertFixRoundTrip(check, { 'SECURITY.md': GITHUB_TEMPLATE, '.git/config': GIT_CONFIG }, { unsafe: true });
    const fixed = rt.files['SECURITY.md'];
    // No support table proposed from tags: a marked blank only the maintainers fill in (judge1 D27, D28).
    assert.ok(fixed.startsWith('# Security Policy\n\n## Supported Versions\n\n[To be filled in by the maintainers: which versions receive security fixes, for example a table of release lines.]\n'), fixed);
    assert.doesNotMatch(fixed, /We confirm|\| Yes/);
    assert.match(fixed, /\n## Reporting a Vulnerability\n\nPlease \*\*do not report security problems in public issues/);
    assert.match(fixed, /\[open a private vulnerability report\]\(https:\/\/github\.com\/octo\/widget\/security\/advisories\/new\)/);
    assert.doesNotMatch(fixed, /Use this section|white_check_mark/);
    // Steward promises no response time nobody gave it: that part stays reported.
    assert.doesNotMatch(fixed, /within \d+ days/);
    assert.deepEqual(rt.remaining.map((f) => f.details), [['Missing: What happens after a report', 'Missing: Response time expectations', "Missing: More than GitHub's template"]]);
  });

  it('passes a complete policy and is not applicable without one (no double report with missing-security-policy)', async () => {
    const good = [
      '# Security',
      '',
      'Report privately to security@widget.dev. We will acknowledge your report within 3 days,',
      'investigate, and publish an advisory with the fix.',
      '',
      '## Supported versions',
      '',
      'Only the latest 2.x release gets security fixes.',
      '',
    ].join('\n');
    const ok = await runCheck(check, { '.github/SECURITY.md': good });
    assert.equal(ok.result.status, 'pass');
    assert.match(ok.result.reason, /covers all 5 parts/);
    const none = await scanFiles([check, missingPolicy], { 'README.md': 'hi' });
    // Offline, GitHub may still show the owner's .github policy: unknown, not fail.
    assert.deepEqual(none.results.map((r) => `${r.checkId}:${r.status}:${r.findings.length}`).sort(), ['missing-security-policy:unknown:1', 'security-policy-incomplete:not-applicable:0']);
    const empty = await scanFiles([check, missingPolicy], { 'SECURITY.md': '<!-- nothing -->\n' });
    assert.equal(empty.results.find((r) => r.checkId === 'security-policy-incomplete')!.status, 'not-applicable');
  });

  it('judges the file GitHub shows (.github/ before the root) and reads .rst headings', async () => {
    const { findings } = await runCheck(check, {
      'SECURITY.md': 'Report to a@b.org. We will fix it within 2 days. Supported versions: only the latest release.',
      '.github/SECURITY.md': '# Security\n\nMail a@b.org.\n',
    });
    assert.match(findings[0].message, /^\.github\/SECURITY\.md is missing 3 parts/);
    const rst = 'Security\n========\n\nReporting\n---------\n\nE-mail security@widget.dev; we reply within 48 hours and coordinate the fix.\n\nSupported versions\n------------------\n\n1.x only.\n';
    const r = await runCheck(check, { 'docs/SECURITY.rst': rst });
    assert.equal(r.result.status, 'pass', r.result.reason);
    const partial = await runCheck(check, { 'SECURITY.adoc': '= Security\n\n== Reporting\n\nE-mail security@example.org.\n' });
    // AsciiDoc: no quick fixes (only Markdown is edited); one finding for the policy.
    assertFindingsAt(partial.findings, ['SECURITY.adoc:1:1']);
    assert.ok(partial.findings.every((f) => f.fixes.length === 0));
  });

  it('inserts each missing section after the most related one and keeps the rest byte-identical', async () => {
    const before = [
      '# Security Policy',
      '',
      '## Reporting a Vulnerability',
      '',
      'Please use the [GitHub private vulnerabilities disclosure](https://github.com/octo/widget/security/advisories/new) workflow.',
      '',
      '## Thanks',
      '',
      'Thanks to all reporters!',
      '',
    ].join('\r\n');
    const { findings } = await runCheck(check, { 'SECURITY.md': before });
    assert.deepEqual(findings[0].details, ['Missing: What happens after a report', 'Missing: Response time expectations', 'Missing: Supported versions']);
    const rt = await assertFixRoundTrip(check, { 'SECURITY.md': before, 'package.json': '{"name":"widget","repository":"github:octo/widget"}' }, { unsafe: true });
    const fixed = rt.files['SECURITY.md'];
    assert.ok(!/[^\r]\n/.test(fixed), 'line endings stay CRLF');
    const lines = fixed.split('\r\n');
    assert.deepEqual(lines.slice(0, 10), before.split('\r\n').slice(0, 10));
    // Neither a process nor response times are written for the maintainers; the supported versions
    // get a marked blank at the end.
    assert.equal(lines.indexOf('## What happens after you report'), -1);
    assert.equal(lines.indexOf('## How quickly we respond'), -1);
    assert.deepEqual(lines.slice(10), ['## Supported versions', '', '[To be filled in by the maintainers: which versions receive security fixes, for example a table of release lines.]', '']);
    assert.deepEqual(rt.remaining.map((f) => f.details), [['Missing: What happens after a report', 'Missing: Response time expectations', "Missing: More than GitHub's template"]]);
    assert.deepEqual(findings[0].fixes.map((f) => f.title), ['Add a section: supported versions']);
    assert.ok(findings[0].fixes.every((f) => !f.safe && f.reviewReason));
  });

  it('adds the channel right under an existing reporting heading', async () => {
    const before = '# Security\n\n## Reporting\n\nWe will fix problems within 14 days.\n\n## Supported versions\n\nOnly 3.x.\n';
    const rt = await assertFixRoundTrip(check, { 'SECURITY.md': before, '.git/config': GIT_CONFIG }, { unsafe: true });
    const fixed = rt.files['SECURITY.md'];
    assert.ok(fixed.startsWith('# Security\n\n## Reporting\n\nPlease **do not report'), fixed);
    assert.ok(fixed.endsWith('\n\nWe will fix problems within 14 days.\n\n## Supported versions\n\nOnly 3.x.\n'));
  });

  it('reports a policy that delegates to a linked page or repository as delegated, not as missing parts (issue 15)', async () => {
    for (const text of [
      '# Security Policy\n\nPlease see https://example.com/acme/security for our security policy and how to report a vulnerability.\n',
      '# Security\n\nThe Acme organisation handles reports centrally: refer to the [Acme security policy](https://github.com/acme/.github/blob/main/SECURITY.md).\n',
    ]) {
      const { result, findings } = await runCheck(check, { 'SECURITY.md': text });
      assert.equal(findings.length, 1, text);
      assert.equal(findings[0].severity, 'info');
      assert.match(findings[0].message, /^SECURITY\.md sends reporters to https:\/\/\S+ for its process; Steward does not read linked pages, so it cannot tell whether that page covers: /);
      assert.match(result.reason, /delegates to https:/);
      assert.deepEqual(findings[0].fixes, []);
    }
  });

  it("counts unedited snippet placeholders (security@example.org, owner/repo, ${1:…}) as incomplete, not as a channel", async () => {
    const text = [
      '# Security policy',
      '',
      '## Reporting a vulnerability',
      '',
      '- **On GitHub (preferred):** [open a private vulnerability report](https://github.com/owner/repo/security/advisories/new).',
      '- **By e-mail:** write to [security@example.org](mailto:security@example.org).',
      '',
      'We confirm that we received your report within ${5:7} days and will coordinate a fix.',
      '',
      '## Supported versions',
      '',
      'Only the latest release.',
      '',
    ].join('\n');
    const { findings } = await runCheck(check, { 'SECURITY.md': text });
    assert.equal(findings.length, 1);
    assert.deepEqual(findings[0].details, ['Missing: Private reporting channel', 'Missing: Response time expectations', "Missing: More than GitHub's template"]);
  });
});
