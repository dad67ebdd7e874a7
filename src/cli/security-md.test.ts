import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync, readFileSync, writeFileSync, mkdirSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { main } from './main';
import type { Output } from './io';
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

export function fakeOutput(cwd: string): Output & { stdout: string; stderr: string } {
  const o = { stdout: '', stderr: '', isTTY: false, env: { NO_COLOR: '1' } as NodeJS.ProcessEnv, cwd, out: (s: string) => void (o.stdout += s), err: (s: string) => void (o.stderr += s) };
  return o;
}

function fixtureRepo(): string {
  const dir = tempDir('steward-secmd-');
  mkdirSync(path.join(dir, '.git'));
  writeFileSync(path.join(dir, '.git/config'), '[remote "origin"]\n\turl = https://github.com/octo/widget.git\n');
  writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'widget', author: { name: 'Ada', email: 'ada@example.org' } }));
  writeFileSync(path.join(dir, 'README.md'), '# widget\n');
  return dir;
}

const ANSWERS = {
  projectName: 'widget',
  channels: [{ type: 'github-pvr', url: 'https://github.com/octo/widget/security/advisories/new' }],
  responseTimes: { acknowledgeDays: 5, assessmentDays: 21 },
  disclosure: { policy: 'coordinated', embargoDays: 90 },
  supportStatus: 'best-effort-volunteers',
  supportedVersions: [{ version: '1.x', supported: true }],
  contributorFixes: { welcome: false },
};

describe('steward security-md', () => {
  after(removeMade);
  it('writes SECURITY.md from an answers file, and a scan then passes every rubric item', async () => {
    const dir = fixtureRepo();
    writeFileSync(path.join(dir, 'a.json'), JSON.stringify(ANSWERS));
    const o = fakeOutput(dir);
    assert.equal(await main(['security-md', '--answers', 'a.json', '--out', 'SECURITY.md'], o), 0, o.stderr);
    assert.match(o.stderr, /Wrote SECURITY\.md/);
    const text = readFileSync(path.join(dir, 'SECURITY.md'), 'utf8');
    assert.match(text, /within 5 days/);
    const scan = await new Engine(CHECKS).scan(new DiskSnapshot(dir));
    const st = (id: string) => scan.results.find((r) => r.checkId === id)!;
    assert.equal(st('missing-security-policy').status, 'pass');
    assert.equal(st('security-policy-incomplete').status, 'pass', st('security-policy-incomplete').reason);
    // the CLI scan shows it too
    const o2 = fakeOutput(dir);
    await main(['scan', '--offline', '--rule', 'security-policy-incomplete', '--format', 'json'], o2);
    const json = JSON.parse(o2.stdout) as { repositories?: { results: { checkId: string; status: string }[] }[] };
    assert.match(o2.stdout, /"security-policy-incomplete"/);
    assert.doesNotMatch(JSON.stringify(json), /"status":\s*"fail"/);
  });

  it('gives a one-line error naming the field for a malformed answers file (exit 2)', async () => {
    const dir = fixtureRepo();
    writeFileSync(path.join(dir, 'bad.json'), JSON.stringify({ ...ANSWERS, responseTimes: { acknowledgeDays: -1, assessmentDays: 3 } }));
    const o = fakeOutput(dir);
    assert.equal(await main(['security-md', '--answers', 'bad.json'], o), 2);
    assert.match(o.stderr, /^steward: bad\.json: responseTimes\.acknowledgeDays: .+\n$/);
    assert.equal(o.stderr.split('\n').length, 2);
    writeFileSync(path.join(dir, 'broken.json'), '{ "projectName": ');
    const o2 = fakeOutput(dir);
    assert.equal(await main(['security-md', '--answers', 'broken.json'], o2), 2);
    assert.match(o2.stderr, /^steward: broken\.json: not valid JSON/);
    assert.equal(existsSync(path.join(dir, 'SECURITY.md')), false);
  });

  it('proposes answers without --answers, and never overwrites without --force (diff, exit 1)', async () => {
    const dir = fixtureRepo();
    mkdirSync(path.join(dir, '.github'));
    writeFileSync(path.join(dir, '.github/SECURITY.md'), '# Security\n\nMail ada@example.org\n');
    const o = fakeOutput(dir);
    assert.equal(await main(['security-md'], o), 1);
    assert.match(o.stdout, /^diff --git a\/\.github\/SECURITY\.md b\/\.github\/SECURITY\.md\n--- a\/\.github\/SECURITY\.md\n\+\+\+ b\/\.github\/SECURITY\.md\n/);
    assert.match(o.stdout, /^-Mail ada@example\.org$/m);
    assert.match(o.stdout, /^\+- \*\*By e-mail:\*\* write to Ada at \[ada@example\.org\]/m);
    assert.match(o.stderr, /already exists and was not changed.*--force/);
    assert.equal(readFileSync(path.join(dir, '.github/SECURITY.md'), 'utf8'), '# Security\n\nMail ada@example.org\n');
    const o2 = fakeOutput(dir);
    assert.equal(await main(['security-md', '--force'], o2), 0);
    const text = readFileSync(path.join(dir, '.github/SECURITY.md'), 'utf8');
    assert.match(text, /https:\/\/github\.com\/octo\/widget\/security\/advisories\/new/);
    assert.match(o2.stderr, /note: Private vulnerability reporting could not be checked/);
    const o3 = fakeOutput(dir);
    assert.equal(await main(['security-md', '--out', '-'], o3), 0);
    assert.equal(o3.stdout, text);
  });

  it('refuses to guess a channel when the repository names none', async () => {
    const dir = tempDir('steward-secmd-');
    const o = fakeOutput(dir);
    assert.equal(await main(['security-md'], o), 2);
    assert.match(o.stderr, /found no way for reporters to reach the maintainers.*--answers/);
  });
});
