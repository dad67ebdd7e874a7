import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ContributionFlow } from '../../src/contribution/flow';
import { PortFlowGitHub } from '../../src/contribution/github';
import { securityContact, sendPrivately, type PrivateReportRequest } from '../../src/contribution/private-report';
import { main } from '../../src/cli/main';
import type { Output } from '../../src/cli/io';
import { git } from '../support/git-fixtures';
import { makePrWorld, type PrWorld } from '../support/pr-world';

// The private route: an exploitable finding is never pushed or opened as a public PR. Against the
// local GitHub server: reporting on → a private vulnerability report with exact fields; reporting off
// (422) or not visible (404) → the SECURITY.md contact (e-mail draft + mailto:) or, with no channel,
// a public issue without details. In every case no push reaches the fork and no PR is opened.

const INJECTION = `name: Triage
on:
  issues:
    types: [opened]
permissions:
  contents: read
jobs:
  greet:
    runs-on: ubuntu-latest
    steps:
      - run: echo "New issue \${{ github.event.issue.title }}"
`;

const FORK_CODE = `name: Preview
on: pull_request_target
permissions:
  contents: read
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          ref: \${{ github.event.pull_request.head.sha }}
      - run: npm install && npm test
`;

function noPublicTrace(w: PrWorld): void {
  assert.equal(git(w.forkBare, ['for-each-ref', '--format=%(refname)', 'refs/heads/steward/']), '', 'nothing was pushed to the fork');
  assert.equal(w.server.count(/git-receive-pack$/), 0, 'no push conversation');
  assert.equal(w.server.count('/api/v3/repos/upstream-org/widget/pulls', 'POST'), 0, 'no pull request');
}

function withPullRoutes(w: PrWorld): void {
  w.server.route('GET', '/api/v3/repos/:owner/:repo/pulls', () => ({ json: [] }));
  w.server.route('POST', '/api/v3/repos/:owner/:repo/pulls', () => ({ status: 201, json: { number: 7, html_url: `${w.server.url}/upstream-org/widget/pull/7` } }));
}

describe('private route for exploitable findings', function () {
  this.timeout(120_000);
  let w: PrWorld | undefined;
  afterEach(async () => {
    await w?.close();
    w = undefined;
  });

  const flow = (world: PrWorld, extra: Record<string, unknown> = {}) =>
    new ContributionFlow({ dir: world.clone, push: true, remote: 'fork', github: new PortFlowGitHub(world.services().github), providers: world.providers(), ...extra });

  it('reporting on: an exploitable injection becomes a private vulnerability report with exact fields, and nothing is pushed', async () => {
    w = await makePrWorld({ '.github/workflows/triage.yml': INJECTION });
    w.server.repos.get('upstream-org/widget')!.privateVulnerabilityReporting = true;
    withPullRoutes(w);
    const r = await flow(w, { concern: 'template-injection' }).run();
    assert.equal(r.privateReport?.channel.kind, 'advisory');
    assert.equal(w.server.advisoryReports.length, 1);
    const body = w.server.advisoryReports[0].body;
    assert.deepEqual(Object.keys(body).sort(), ['cwe_ids', 'description', 'severity', 'start_private_fork', 'summary']);
    assert.equal(body.summary, 'Script injection in GitHub Actions workflow .github/workflows/triage.yml');
    assert.equal(body.severity, 'high');
    assert.deepEqual(body.cwe_ids, ['CWE-94']);
    assert.equal(body.start_private_fork, false);
    const d = String(body.description);
    assert.match(d, /^## Impact\n\n- `\$\{\{ github\.event\.issue\.title \}\}` pastes the issue title/);
    assert.match(d, /\.github\/workflows\/triage\.yml, line 11:\n\n```yaml\n      - run: echo "New issue \$\{\{ github\.event\.issue\.title \}\}"\n```/);
    assert.match(d, /```diff\n[\s\S]*\+          ISSUE_TITLE: \$\{\{ github\.event\.issue\.title \}\}\n[\s\S]*```/);
    assert.equal(r.pushedTo, undefined);
    assert.equal(r.pr, undefined);
    noPublicTrace(w);
    assert.match(r.plan.warnings.join('\n'), /Exploitable: template-injection at \.github\/workflows\/triage\.yml:11/);
  });

  it('a pull_request_target job that runs fork code is reported privately too (CWE-829), even from a hardening PR on that file', async () => {
    w = await makePrWorld({ '.github/workflows/preview.yml': FORK_CODE });
    w.server.repos.get('upstream-org/widget')!.privateVulnerabilityReporting = true;
    withPullRoutes(w);
    const r = await flow(w, { concern: 'checkout-credentials' }).run();
    assert.equal(r.privateReport?.channel.kind, 'advisory');
    const body = w.server.advisoryReports[0].body;
    assert.deepEqual(body.cwe_ids, ['CWE-829']);
    assert.equal(body.summary, 'Untrusted code run with secrets in GitHub Actions workflow .github/workflows/preview.yml');
    assert.match(String(body.description), /pull_request_target/);
    noPublicTrace(w);
  });

  it('reporting off (422): falls back to the SECURITY.md contact with an e-mail draft and a mailto: link', async () => {
    w = await makePrWorld({ '.github/workflows/triage.yml': INJECTION, 'SECURITY.md': '# Security\n\nPlease write to security@widget.dev with details.\n' });
    w.server.repos.get('upstream-org/widget')!.privateVulnerabilityReporting = false;
    withPullRoutes(w);
    const reportOut = path.join(w.root, 'report.eml');
    const r = await flow(w, { concern: 'template-injection', reportOut }).run();
    const c = r.privateReport!.channel;
    assert.equal(c.kind, 'email');
    assert.ok(c.kind === 'email');
    assert.equal(c.address, 'security@widget.dev');
    assert.match(c.mailto, /^mailto:security@widget\.dev\?subject=Security%20report%3A%20Script%20injection/);
    const draft = fs.readFileSync(reportOut, 'utf8');
    assert.match(draft, /^To: security@widget\.dev\nSubject: Security report: Script injection in GitHub Actions workflow \.github\/workflows\/triage\.yml\n/);
    assert.match(draft, /```diff\n/);
    assert.deepEqual(r.privateReport!.notes, ['Not reported through GitHub: private vulnerability reporting is not enabled for this repository.', 'Using the contact in SECURITY.md.']);
    assert.equal(w.server.advisoryReports.length, 0);
    assert.equal(w.server.issues.length, 0);
    noPublicTrace(w);
  });

  it('no channel at all (404, no SECURITY.md): a short public issue that asks for one, without details', async () => {
    w = await makePrWorld({ '.github/workflows/triage.yml': INJECTION });
    withPullRoutes(w);
    const r = await flow(w, { concern: 'template-injection' }).run();
    assert.equal(r.privateReport?.channel.kind, 'issue');
    assert.equal(w.server.issues.length, 1);
    const issue = w.server.issues[0].body;
    assert.equal(issue.title, 'How can I report a security issue privately?');
    const text = `${issue.title}\n${issue.body}`;
    for (const secret of ['triage', 'workflow', 'template', 'injection', 'title }}', 'github.event', 'ISSUE_TITLE', '.yml']) assert.ok(!text.includes(secret), `issue reveals "${secret}"`);
    assert.ok(String(issue.body).length < 700);
    noPublicTrace(w);
  });

  it('--public publishes anyway, with a warning naming the finding; the CLI says what it did', async () => {
    w = await makePrWorld({ '.github/workflows/triage.yml': INJECTION });
    w.server.repos.get('upstream-org/widget')!.privateVulnerabilityReporting = true;
    const out: string[] = [];
    const o: Output = { out: (s) => out.push(s), err: (s) => out.push(s), isTTY: false, env: { PATH: process.env.PATH, GITHUB_TOKEN: 'test-token', STEWARD_CACHE_DIR: path.join(w.root, 'cache') }, cwd: w.clone };
    withPullRoutes(w);
    assert.equal(await main(['pr', '--concern', 'template-injection', '--push', '--remote', 'fork', '--github-url', w.server.url], o), 0, out.join(''));
    assert.match(out.join(''), /Reported privately through GitHub private vulnerability reporting: http:\/\/127\.0\.0\.1:\d+\/upstream-org\/widget\/security\/advisories\/GHSA-test-0001-xxxx/);
    noPublicTrace(w);
    out.length = 0;
    assert.equal(await main(['pr', '--concern', 'template-injection', '--push', '--remote', 'fork', '--github-url', w.server.url, '--public'], o), 0, out.join(''));
    assert.match(out.join(''), /Publishing an exploitable finding in public \(--public\): template-injection at \.github\/workflows\/triage\.yml:11/);
    assert.equal(git(w.forkBare, ['for-each-ref', '--format=%(refname)', 'refs/heads/steward/']), 'refs/heads/steward/template-injection');
  });

  it('without GitHub access: the report for the reporting form, or the channel request, goes to a file', async () => {
    const written = new Map<string, string>();
    const report: PrivateReportRequest = { summary: 'S', description: 'D', severity: 'high', cwe_ids: ['CWE-94'], start_private_fork: false };
    const base = { upstream: { owner: 'o', repo: 'r' }, webUrl: 'https://github.com', report, reportFile: '/tmp/none/report.txt', write: async (f: string, d: string) => void written.set(f, d) };
    const form = await sendPrivately({ ...base, contact: securityContact('SECURITY.md', 'Report at https://github.com/o/r/security/advisories/new please.') });
    assert.deepEqual(form.channel, { kind: 'advisory-form', url: 'https://github.com/o/r/security/advisories/new', file: '/tmp/none/report.txt' });
    assert.equal(written.get('/tmp/none/report.txt'), 'Title: S\nSeverity: high\nCWE: CWE-94\n\nD\n');
    const none = await sendPrivately({ ...base, contact: securityContact(undefined, undefined) });
    assert.deepEqual(none.channel, { kind: 'issue', file: '/tmp/none/report.txt' });
    assert.match(written.get('/tmp/none/report.txt')!, /^How can I report a security issue privately\?\n\n/);
    assert.deepEqual(securityContact('SECURITY.md', 'Mail security@proj.org or noreply@github.com (not user@example.com)').emails, ['security@proj.org']);
  });
});
