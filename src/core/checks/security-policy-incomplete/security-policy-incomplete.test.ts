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
    // (sorted by position) summary at line 1; versions at its heading (3); the template at its first
    // placeholder (5); channel, process and response time at the reporting heading (15).
    assertFindingsAt(findings, ['SECURITY.md:1:1', 'SECURITY.md:3:1', 'SECURITY.md:5:1', 'SECURITY.md:15:1', 'SECURITY.md:15:1', 'SECURITY.md:15:1']);
    assert.deepEqual(findings.map((f) => f.message.split(/[:(]/)[0].trim()), [
      'SECURITY.md is missing 5 parts of a useful security policy',
      'SECURITY.md does not say which versions receive security fixes',
      "SECURITY.md still contains GitHub's unedited template text",
      'SECURITY.md has no private way to report',
      'SECURITY.md does not say what happens after a report',
      'SECURITY.md gives no time frame for a first response',
    ]);
    assert.deepEqual(findings.map((f) => f.severity), ['low', 'info', 'info', 'info', 'info', 'info']);
  });

  it('replaces the template text with real sections and keeps the headings', async () => {
    const rt = await assertFixRoundTrip(check, { 'SECURITY.md': GITHUB_TEMPLATE, '.git/config': GIT_CONFIG }, { unsafe: true });
    const fixed = rt.files['SECURITY.md'];
    assert.ok(fixed.startsWith('# Security Policy\n\n## Supported Versions\n\nThe project is actively maintained'), fixed);
    assert.match(fixed, /\n## Reporting a Vulnerability\n\nPlease \*\*do not report security problems in public issues/);
    assert.match(fixed, /\[open a private vulnerability report\]\(https:\/\/github\.com\/octo\/widget\/security\/advisories\/new\)/);
    assert.doesNotMatch(fixed, /Use this section|white_check_mark/);
    assert.deepEqual(rt.remaining, []);
  });

  it('passes a complete policy and is not applicable without one (no double report with missing-security-policy)', async () => {
    const good = [
      '# Security',
      '',
      'Report privately to security@example.org. We will acknowledge your report within 3 days,',
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
    assert.deepEqual(none.results.map((r) => `${r.checkId}:${r.status}:${r.findings.length}`).sort(), ['missing-security-policy:fail:1', 'security-policy-incomplete:not-applicable:0']);
    const empty = await scanFiles([check, missingPolicy], { 'SECURITY.md': '<!-- nothing -->\n' });
    assert.equal(empty.results.find((r) => r.checkId === 'security-policy-incomplete')!.status, 'not-applicable');
  });

  it('judges the file GitHub shows (.github/ before the root) and reads .rst headings', async () => {
    const { findings } = await runCheck(check, {
      'SECURITY.md': 'Report to a@b.org. We will fix it within 2 days. Supported versions: only the latest release.',
      '.github/SECURITY.md': '# Security\n\nMail a@b.org.\n',
    });
    assert.match(findings[0].message, /^\.github\/SECURITY\.md is missing 3 parts/);
    const rst = 'Security\n========\n\nReporting\n---------\n\nE-mail security@example.org; we reply within 48 hours and coordinate the fix.\n\nSupported versions\n------------------\n\n1.x only.\n';
    const r = await runCheck(check, { 'docs/SECURITY.rst': rst });
    assert.equal(r.result.status, 'pass', r.result.reason);
    const partial = await runCheck(check, { 'SECURITY.adoc': '= Security\n\n== Reporting\n\nE-mail security@example.org.\n' });
    // AsciiDoc: no quick fixes (only Markdown is edited), findings still located at the headings.
    assertFindingsAt(partial.findings, ['SECURITY.adoc:1:1', 'SECURITY.adoc:1:1', 'SECURITY.adoc:3:1', 'SECURITY.adoc:3:1']);
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
    assert.deepEqual(lines.slice(0, 6), before.split('\r\n').slice(0, 6));
    assert.equal(lines[6], '## What happens after you report');
    assert.ok(lines.indexOf('## How quickly we respond') > lines.indexOf('## What happens after you report'));
    assert.ok(lines.indexOf('## Thanks') > lines.indexOf('## How quickly we respond'));
    assert.equal(lines[lines.length - 1], '');
    assert.ok(lines.indexOf('## Supported versions') > lines.indexOf('Thanks to all reporters!'));
    assert.deepEqual(rt.remaining, []);
    // each part's own finding carries just its own insertion
    assert.deepEqual(findings.slice(1).map((f) => f.fixes[0]?.title), ['Add a section: supported versions', 'Add a section: what happens after a report', 'Add a section: response time expectations']);
  });

  it('adds the channel right under an existing reporting heading', async () => {
    const before = '# Security\n\n## Reporting\n\nWe will fix problems within 14 days.\n\n## Supported versions\n\nOnly 3.x.\n';
    const rt = await assertFixRoundTrip(check, { 'SECURITY.md': before, '.git/config': GIT_CONFIG }, { unsafe: true });
    const fixed = rt.files['SECURITY.md'];
    assert.ok(fixed.startsWith('# Security\n\n## Reporting\n\nPlease **do not report'), fixed);
    assert.ok(fixed.endsWith('\n\nWe will fix problems within 14 days.\n\n## Supported versions\n\nOnly 3.x.\n'));
  });
});
