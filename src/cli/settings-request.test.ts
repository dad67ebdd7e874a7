import * as assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { main } from './main';
import { fakeOutput } from './security-md.test';

describe('steward settings-request', () => {
  it('prints the issue offline with every setting as unknown, or writes the body to --out', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'steward-sr-'));
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
