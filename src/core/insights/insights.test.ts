import * as assert from 'node:assert/strict';
import { parse } from 'yaml';
import { buildInsights, detectTooling, gatherInsightsFacts, refreshInsights, renderInsights, SecurityInsights, validateInsights, type InsightsFacts } from '.';
import { parseYaml } from '../yaml/parse';
import { check as invalidCheck } from '../checks/security-insights-invalid/security-insights-invalid';
import { check as missingCheck } from '../checks/security-insights-missing/security-insights-missing';
import { assertFindingsAt, runCheck, yaml } from '../../../test/support/check-tester';

const MIT = 'MIT License\n\nCopyright (c) 2024 Octo\n\nPermission is hereby granted, free of charge, to any person obtaining a copy\nof this software...';

const REPO: Record<string, string> = {
  '.git/config': '[remote "origin"]\n\turl = git@github.com:octo/widget.git\n',
  LICENSE: MIT,
  'SECURITY.md': '# Security\n',
  '.github/CONTRIBUTING.md': '# Contributing\n',
  'CHANGELOG.md': '# Changes\n',
  'pyproject.toml': '[project]\nname = "octo-widget"\nauthors = [{ name = "Ada", email = "ada@example.org" }]\n',
  '.github/dependabot.yml': 'version: 2\nupdates: []\n',
  '.github/workflows/release.yml': 'on: release\njobs:\n  pypi:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: pypa/gh-action-pypi-publish@76f52bc884231f62b9a034ebfe128415bbaabdfc # v1.12.4\n',
  '.github/workflows/codeql.yml': 'on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: github/codeql-action/init@v3\n      - uses: github/codeql-action/analyze@v3\n      - run: pipx run zizmor .github/workflows\n',
  '.github/workflows/scorecard.yml': 'on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: ossf/scorecard-action@v2\n',
};

async function facts(files = REPO): Promise<InsightsFacts> {
  const f = await gatherInsightsFacts({ paths: Object.keys(files).filter((p) => !p.startsWith('.git/')), read: async (p) => files[p] });
  assert.ok(f);
  return f;
}

describe('security-insights.yml', () => {
  it('gathers facts: licence, links, tools and distribution points', async () => {
    const f = await facts();
    assert.equal(f.repositoryUrl, 'https://github.com/octo/widget');
    assert.deepEqual(f.license, { spdx: 'MIT', path: 'LICENSE' });
    assert.equal(f.securityPolicy, 'SECURITY.md');
    assert.equal(f.contributing, '.github/CONTRIBUTING.md');
    assert.equal(f.changelog, 'CHANGELOG.md');
    assert.deepEqual(f.tools.map((t) => `${t.name}:${t.type}`), ['Dependabot:SCA', 'CodeQL:SAST', 'zizmor:SAST', 'OpenSSF Scorecard:other']);
    assert.deepEqual(f.distributionPoints.map((d) => d.uri), ['https://pypi.org/project/octo-widget/', 'https://github.com/octo/widget/releases']);
    assert.equal(f.automatedRelease, true);
  });

  it('generates a file that is valid against the 2.0 schema and passes both checks', async () => {
    const text = renderInsights(buildInsights(await facts(), '2026-01-31'));
    const data = parse(text) as unknown;
    assert.equal(SecurityInsights.safeParse(data).success, true, text);
    assert.deepEqual(validateInsights(parseYaml('security-insights.yml', text)).problems, []);
    assert.match(text, /^# Security Insights 2\.0/);
    assert.doesNotMatch(text, /[&*]a\d/, 'no YAML anchors or aliases');
    assert.match(text, /expression: MIT\n/);
    assert.match(text, /url: https:\/\/github\.com\/octo\/widget\/blob\/HEAD\/LICENSE/);
    assert.match(text, /security-policy: https:\/\/github\.com\/octo\/widget\/blob\/HEAD\/SECURITY\.md/);
    assert.match(text, /contributing-guide: https:\/\/github\.com\/octo\/widget\/blob\/HEAD\/\.github\/CONTRIBUTING\.md/);
    assert.match(text, /changelog: https:\/\/github\.com\/octo\/widget\/blob\/HEAD\/CHANGELOG\.md/);
    assert.match(text, /email: ada@example\.org/);
    const files = { ...REPO, 'security-insights.yml': text };
    assert.equal((await runCheck(invalidCheck, files)).result.status, 'pass');
    assert.equal((await runCheck(missingCheck, files)).result.status, 'pass');
    // a repository with nothing but a remote still gets a valid file
    const bare = renderInsights(buildInsights(await facts({ '.git/config': REPO['.git/config'] }), '2026-01-31'));
    assert.deepEqual(validateInsights(parseYaml('x.yml', bare)).problems, []);
  });

  it('reports a missing file as informational, with a create fix', async () => {
    const { result, findings } = await runCheck(missingCheck, REPO);
    assert.equal(result.status, 'fail');
    assert.equal(findings[0].severity, 'info');
    assert.equal(findings[0].location, undefined);
    const edit = findings[0].fixes[0].edits[0];
    assert.equal(edit.file, 'security-insights.yml');
    assert.equal(edit.create, true);
    assert.deepEqual(validateInsights(parseYaml('security-insights.yml', edit.newText)).problems, []);
    assert.equal((await runCheck(missingCheck, { '.github/SECURITY-INSIGHTS.yml': 'header: {}\n' })).result.status, 'pass');
  });

  it('reports each failing field with its line', async () => {
    const text = yaml`
      header:
        schema-version: 2.0.0
        last-updated: 2025-13-45
        last-reviewed: '2025-01-02'
        url: not-a-url
      project:
        name: Widget
        administrators: []
        repositories:
          - name: widget
            url: https://github.com/octo/widget
            comment: main
        vulnerability-reporting:
          reports-accepted: yes please
          bug-bounty-available: false
      repository:
        status: alive
        url: https://github.com/octo/widget
        accepts-change-request: true
        accepts-automated-change-request: false
        core-team:
          - name: Ada
            primary: true
            email: ada-at-example
        license:
          url: https://github.com/octo/widget/blob/main/LICENSE
        security:
          assessments:
            self:
              comment: none yet
        release:
          automated-pipeleine: false
          distribution-points:
            - uri: https://github.com/octo/widget/releases
              comment: GitHub releases
    `;
    const { findings, result } = await runCheck(invalidCheck, { '.github/security-insights.yml': text });
    assert.equal(result.status, 'fail');
    const F = '.github/security-insights.yml';
    assert.deepEqual(
      findings.map((f) => `${f.location!.start.line}:${f.location!.start.column} ${f.message}`),
      [
        '3:3 header.last-updated is not a real date',
        '5:3 header.url must be an http(s) URL',
        '8:3 project.administrators needs at least one administrator',
        '14:5 project.vulnerability-reporting.reports-accepted expected boolean, received string',
        '17:3 repository.status must be one of "active"|"abandoned"|"concept"|"inactive"|"moved"|"suspended"|"unsupported"|"WIP"',
        '24:7 repository.core-team[0].email must be an e-mail address',
        '25:3 repository.license.expression is required but missing',
        '31:3 repository.release.automated-pipeline is required but missing',
        '32:5 repository.release.automated-pipeleine is not a field of the Security Insights 2.0 schema (misspelt, or from another version?)',
      ],
    );
    assertFindingsAt(findings.slice(0, 1), [`${F}:3:3`]);
  });

  it('says when a file uses the 1.x layout, and leaves unparseable files to unparseable-file', async () => {
    const { findings } = await runCheck(invalidCheck, { 'SECURITY-INSIGHTS.yml': 'header:\n  schema-version: 1.0.0\n  project-url: https://x.org\n' });
    assertFindingsAt(findings, ['SECURITY-INSIGHTS.yml:2:19']);
    assert.match(findings[0].message, /declares schema 1\.0\.0/);
    assert.deepEqual((await runCheck(invalidCheck, { 'security-insights.yml': 'header: [\n' })).findings, []);
  });

  it('refreshes an existing file without losing hand-written fields or comments', async () => {
    const existing = yaml`
      # Maintained by hand — please keep this comment.
      header:
        schema-version: 2.0.0
        last-updated: '2024-05-01'
        last-reviewed: '2024-05-01'
        url: https://example.org/si.yml # where we publish it
        x-custom: kept
      project:
        name: Widget (the real name)
        administrators:
          - name: Ada
            primary: true
        repositories:
          - name: widget
            url: https://github.com/octo/widget
            comment: main
        vulnerability-reporting:
          reports-accepted: true
          bug-bounty-available: true
          bug-bounty-program: https://hackerone.com/widget
      repository:
        status: active
        url: https://github.com/octo/widget
        accepts-change-request: true
        accepts-automated-change-request: false
        core-team:
          - name: Ada
            primary: true
        license:
          url: https://github.com/octo/widget/blob/main/LICENSE
          expression: MIT OR Apache-2.0
        security:
          assessments:
            self:
              comment: Threat model in docs/threat-model.md
          tools:
            - name: CodeQL
              type: SAST
              rulesets: [security-extended]
              integration: { adhoc: false, ci: true, release: false }
              results: {}
    `;
    const out = refreshInsights(existing, buildInsights(await facts(), '2026-01-31'))!;
    assert.ok(out);
    assert.match(out, /^# Maintained by hand — please keep this comment\./);
    assert.match(out, /url: https:\/\/example\.org\/si\.yml # where we publish it/);
    assert.match(out, /last-updated: '2026-01-31'/);
    assert.doesNotMatch(out, /Generated by Steward/);
    assert.match(out, /last-reviewed: '2024-05-01'/);
    assert.match(out, /x-custom: kept/);
    assert.match(out, /name: Widget \(the real name\)/);
    assert.match(out, /expression: MIT OR Apache-2\.0/);
    assert.match(out, /bug-bounty-available: true/);
    assert.match(out, /rulesets: \[ security-extended \]|rulesets:\s*\[\s*security-extended\s*\]/);
    const data = parse(out) as { repository: { security: { tools: { name: string }[] }; documentation: Record<string, string>; release: { changelog: string } } };
    assert.deepEqual(data.repository.security.tools.map((t) => t.name), ['CodeQL', 'Dependabot', 'zizmor', 'OpenSSF Scorecard']);
    assert.equal(data.repository.documentation['security-policy'], 'https://github.com/octo/widget/blob/HEAD/SECURITY.md');
    assert.equal(data.repository.release.changelog, 'https://github.com/octo/widget/blob/HEAD/CHANGELOG.md');
    // the refreshed file is still valid and a second refresh changes nothing but nothing
    assert.deepEqual(validateInsights(parseYaml('s.yml', out)).problems.map((p) => p.path), ['header.x-custom']);
    assert.equal(refreshInsights(out, buildInsights(await facts(), '2026-01-31')), out);
    assert.equal(refreshInsights('header: [1,\n', buildInsights(await facts(), '2026-01-31')), undefined);
  });

  it('detects publishing and tools only from real uses', () => {
    const t = detectTooling([], [{ path: 'a.yml', text: 'jobs:\n  a:\n    steps:\n      - run: echo "we do not use codeql here"\n      - run: npm publish --provenance\n' }], { npm: 'widget' });
    assert.deepEqual(t.tools, []);
    assert.deepEqual(t.distribution, [{ uri: 'https://www.npmjs.com/package/widget', comment: 'npm package, published from a workflow.' }]);
  });
});

describe('security-insights.yml API for front-ends', () => {
  it('plans a new file, a refresh, and refuses a 1.x file', async () => {
    const { MemorySnapshot } = require('../repo/snapshot') as typeof import('../repo/snapshot');
    const { planInsights } = require('.') as typeof import('.');
    const files: Record<string, string> = { '.git/config': REPO['.git/config'], LICENSE: MIT };
    const fresh = await planInsights(new MemorySnapshot('w', files, ['LICENSE']), { today: '2026-02-01' });
    assert.ok(fresh.ok && fresh.path === 'security-insights.yml' && fresh.before === undefined);
    assert.match(fresh.after, /last-updated: 2026-02-01|last-updated: "2026-02-01"|last-updated: '2026-02-01'/);
    const refresh = await planInsights(new MemorySnapshot('w', { ...files, '.github/security-insights.yml': fresh.after }), { today: '2026-03-01' });
    assert.ok(refresh.ok && refresh.path === '.github/security-insights.yml' && refresh.before === fresh.after);
    const old = await planInsights(new MemorySnapshot('w', { ...files, 'SECURITY-INSIGHTS.yml': 'header:\n  schema-version: 1.0.0\n' }));
    assert.ok(!old.ok);
    assert.match(old.reason, /1\.x file/);
  });
});
