import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { main } from './main';
import { fakeOutput } from './security-md.test';

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

describe('steward settings-request', () => {
  after(removeMade);
  it('prints the issue offline with every setting as unknown, or writes the body to --out', async () => {
    const dir = tempDir('steward-sr-');
    mkdirSync(path.join(dir, '.git'));
    writeFileSync(path.join(dir, '.git/config'), '[remote "origin"]\n\turl = git@github.com:octo/widget.git\n');
    const o = fakeOutput(dir);
    assert.equal(await main(['settings-request', '--offline'], o), 0, o.stderr);
    assert.match(o.stdout, /^Title: Security settings request: 5 repository settings only an admin can change\n\nHi! While looking at the security of octo\/widget/);
    assert.equal((o.stdout.match(/^- \[ \] /gm) ?? []).length, 5);
    assert.match(o.stdout, /https:\/\/github\.com\/octo\/widget\/settings\/security_analysis/);
    const o2 = fakeOutput(dir);
    assert.equal(await main(['settings-request', '--offline', '--out', 'req.md'], o2), 0);
    assert.match(readFileSync(path.join(dir, 'req.md'), 'utf8'), /^Hi! /);
    assert.match(o2.stderr, /Wrote req\.md \(5 settings\)/);
    const o3 = fakeOutput(dir);
    assert.equal(await main(['settings-request', '--offline', '--format', 'json'], o3), 0);
    assert.equal((JSON.parse(o3.stdout) as { items: string[] }).items.length, 5);
  });
});
