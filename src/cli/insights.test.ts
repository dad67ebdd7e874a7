import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { parse } from 'yaml';
import { main } from './main';
import { fakeOutput as anyOutput } from './security-md.test';
import { CHECKS } from '../core/checks';
import { Engine } from '../core/engine';
import { DiskSnapshot } from '../core/repo/disk';

// Temporary repositories made by this file, removed when the run ends (no folders left in the temp dir).
const made: string[] = [];
function tempDir(prefix: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}
const removeMade = () => {
  for (const d of made.splice(0)) rmSync(d, { recursive: true, force: true });
};

function repo(): string {
  const dir = tempDir('steward-si-');
  mkdirSync(path.join(dir, '.git'));
  writeFileSync(path.join(dir, '.git/config'), '[remote "origin"]\n\turl = https://github.com/octo/widget\n');
  writeFileSync(path.join(dir, 'LICENSE'), 'Licensed under the Apache License, Version 2.0 (the "License");\n');
  writeFileSync(path.join(dir, 'SECURITY.md'), '# Security\n');
  return dir;
}

/** The CLI's output, offline: these tests are about the repository's own files (online ones are below). */
function fakeOutput(cwd: string): ReturnType<typeof anyOutput> {
  const o = anyOutput(cwd);
  o.env.STEWARD_OFFLINE = '1';
  return o;
}

describe('steward insights', () => {
  after(removeMade);
  it('writes a file the scan accepts with its FILL IN values reported, then refreshes it keeping hand edits', async () => {
    const dir = repo();
    const o = fakeOutput(dir);
    assert.equal(await main(['insights'], o), 0, o.stderr);
    assert.match(o.stdout, /^diff --git a\/security-insights\.yml b\/security-insights\.yml\nnew file mode|^diff --git a\/security-insights\.yml/);
    const file = path.join(dir, 'security-insights.yml');
    const data = parse(readFileSync(file, 'utf8')) as { repository: { license: { expression: string } } };
    assert.equal(data.repository.license.expression, 'Apache-2.0');
    assert.equal(o.stderr, 'Wrote security-insights.yml. Answer its 9 FILL IN values (only the maintainers know them) and check the rest before committing.\n');
    const scan = await new Engine(CHECKS).scan(new DiskSnapshot(dir));
    assert.equal(scan.results.find((r) => r.checkId === 'security-insights-missing')!.status, 'pass');
    // What Steward could not know is reported until a maintainer answers it.
    const open = scan.findings.filter((f) => f.ruleId === 'security-insights-invalid').map((f) => f.message.split(' ')[0]);
    assert.deepEqual(open, ['header.last-reviewed', 'project.administrators[0].name', 'project.vulnerability-reporting.reports-accepted', 'project.vulnerability-reporting.bug-bounty-available', 'repository.status', 'repository.accepts-change-request', 'repository.accepts-automated-change-request', 'repository.core-team[0].name', 'repository.security.assessments.self.comment']);

    writeFileSync(file, readFileSync(file, 'utf8').replace(/bug-bounty-available: "FILL IN[^"]*"/, 'bug-bounty-available: true # since 2026'));
    mkdirSync(path.join(dir, '.github/workflows'), { recursive: true });
    writeFileSync(path.join(dir, '.github/workflows/zizmor.yml'), 'on: push\njobs:\n  z:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: zizmorcore/zizmor-action@v0\n');
    const o2 = fakeOutput(dir);
    assert.equal(await main(['insights'], o2), 0, o2.stderr);
    assert.match(o2.stderr, /Refreshed security-insights\.yml/);
    const after = readFileSync(file, 'utf8');
    assert.match(after, /bug-bounty-available: true # since 2026/);
    assert.match(after, /name: zizmor/);
    assert.match(o2.stdout, /^\+\s+- name: zizmor$/m);
  });

  it('leaves a 1.x file alone and exits 1', async () => {
    const dir = repo();
    writeFileSync(path.join(dir, 'SECURITY-INSIGHTS.yml'), 'header:\n  schema-version: 1.0.0\n');
    const o = fakeOutput(dir);
    assert.equal(await main(['insights'], o), 1);
    assert.match(o.stderr, /SECURITY-INSIGHTS\.yml is not a Security Insights 2\.0 YAML mapping/);
    assert.equal(readFileSync(path.join(dir, 'SECURITY-INSIGHTS.yml'), 'utf8'), 'header:\n  schema-version: 1.0.0\n');
  });
});
