import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { CHECKS } from '../../src/core/checks';
import { Engine } from '../../src/core/engine';
import { DiskSnapshot } from '../../src/core/repo/disk';
import { NO_COLORS, textReport } from '../../src/core/report/text';
import { main } from '../../src/cli/main';
import { resetGitHubServices } from '../../src/cli/online';
import { fakeOutput } from '../../src/cli/security-md.test';

// `steward scan` / `npm start` text output: the Essentials with their score come first, findings of a
// file are in line order, informational checks read as notes, and a slow GitHub is waited for briefly
// and visibly.

const DEMO = path.resolve(__dirname, '../fixtures/demo-repo');
const META = CHECKS.map((c) => c.meta);

async function demoReport(): Promise<string[]> {
  const scan = await new Engine(CHECKS).scan(new DiskSnapshot(DEMO), { factsUnavailable: 'offline test' });
  return textReport([scan], META, { colors: NO_COLORS }).split('\n');
}

describe('plain text in the terminal', () => {
  it('the demo scan (`npm start`) prints no Markdown backtick: code in messages reads as quoted code', async () => {
    const o = fakeOutput(DEMO);
    assert.equal(await main(['demo', DEMO, '--offline'], o), 0);
    const lines = o.stdout.split('\n');
    assert.deepEqual(lines.filter((l) => l.includes('`')), []);
    // The demo's template injection message quotes the expression; it is still there, in quotes.
    assert.ok(lines.some((l) => l.includes('‘${{ github.event.issue.title }}’ pastes the issue title into a ‘run:’ script')), o.stdout);
    assert.match(o.stdout, /; \d+ with a fix \(run: steward fix\)\n/);
  });

  it('the rules list and its usage mistakes print no backtick either', async () => {
    const o = fakeOutput(DEMO);
    assert.equal(await main(['rules'], o), 0);
    assert.deepEqual(o.stdout.split('\n').filter((l) => l.includes('`')), []);
    const bad = fakeOutput(DEMO);
    assert.equal(await main(['scan', DEMO, '--rule', 'nosuch', '--offline'], bad), 2);
    assert.ok(!bad.stderr.includes('`'), bad.stderr);
  });
});

describe('text report', () => {
  it('starts with the Essentials and their score, failing ones first, and does not repeat them in the categories', async () => {
    const lines = await demoReport();
    assert.match(lines[0], new RegExp(`^Steward — demo-repo {2}\\(${CHECKS.length} checks: \\d+ pass, \\d+ fail, 2 notes, \\d+ unknown, \\d+ n\\/a\\)$`));
    assert.match(lines[2], /^Essentials \d+ of \d+ pass · \d+ of 9 checked \(\d+ could not be seen: needs online access\) {2}\(1 not applicable\)$/);
    const essentials = lines.slice(3, lines.indexOf('', 3));
    assert.equal(essentials.length, 10);
    const order = essentials.map((l) => l.trim().split(' ')[1]);
    assert.deepEqual([...order].sort((a, b) => ['fail', 'unknown', 'pass', 'not-applicable'].indexOf(a) - ['fail', 'unknown', 'pass', 'not-applicable'].indexOf(b)), order, 'failing Essentials on top');
    // Offline, the owner's .github policy cannot be seen: unknown, not a failure (issue 15).
    assert.ok(essentials.some((l) => /unknown +Security policy \(SECURITY\.md\) — No SECURITY\.md in this repository/.test(l)), essentials.join('\n'));
    // The Essentials section comes before every file heading.
    assert.ok(lines.indexOf('Repository') > lines.indexOf('') + essentials.length);
    const posture = lines.slice(lines.findIndex((l) => l.startsWith('Posture')));
    assert.ok(!posture.some((l) => l.includes('Security policy (SECURITY.md)')), 'an Essential repeated in its category');
  });

  it('lists the findings of a file by line', async () => {
    const lines = await demoReport();
    const start = lines.indexOf('.github/workflows/release.yml');
    const rows = lines.slice(start + 1, lines.indexOf('', start)).filter((l) => /^ {2}\d+:\d+/.test(l));
    const pos = rows.map((l) => l.trim().split(/\s+/)[0].split(':').map(Number));
    assert.deepEqual(pos, [[7, 14], [13, 15], [13, 15], [14, 15], [21, 11]]);
  });

  it('shows informational checks as notes, not failures', async () => {
    const lines = await demoReport();
    const line = (title: string) => lines.find((l) => l.includes(title)) ?? '';
    assert.match(line('Static analysis (code scanning) runs on changes'), /^ {4}ℹ note {10}/);
    assert.match(line('Security Insights file (security-insights.yml)'), /^ {4}ℹ note {10}/);
    assert.match(line('Checkout does not leave the token on disk'), /^ {4}✗ fail {10}/);
  });
});

describe('npm start -- PATH with a GitHub that does not answer', () => {
  let server: http.Server;
  let dir: string;
  const hung: http.ServerResponse[] = [];
  before(async () => {
    // Accepts every request and never answers: a network that is there but stalls.
    server = http.createServer((_req, res) => void hung.push(res));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as AddressInfo).port;
    dir = mkdtempSync(path.join(tmpdir(), 'steward-slow-'));
    execFileSync('git', ['init', '-q', dir]);
    execFileSync('git', ['-C', dir, 'remote', 'add', 'origin', `http://127.0.0.1:${port}/octo/widget.git`]);
    mkdirSync(path.join(dir, '.github/workflows'), { recursive: true });
    writeFileSync(path.join(dir, '.github/workflows/ci.yml'), 'on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo hi\n');
    resetGitHubServices();
  });
  after(async () => {
    for (const r of hung) r.destroy();
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
    rmSync(dir, { recursive: true, force: true });
    resetGitHubServices();
  });

  it('says what it is waiting for, gives up after the timeout and reports the settings as unknown', async () => {
    const o = fakeOutput(dir);
    const port = (server.address() as AddressInfo).port;
    Object.assign(o.env, { STEWARD_FACTS_TIMEOUT_MS: '400', STEWARD_FACTS_NOTICE_MS: '50', STEWARD_CACHE_DIR: path.join(dir, '.cache-test'), XDG_CACHE_HOME: path.join(dir, '.cache-test') });
    const t = performance.now();
    assert.equal(await main(['demo', dir, `--github-url=http://127.0.0.1:${port}`], o), 0);
    const ms = performance.now() - t;
    assert.match(o.stderr, /^steward: asking GitHub for the repository's settings \(private reporting, branch protection\); giving up after 0\.4 s \(--offline skips this\)\n$/);
    assert.match(o.stdout, /Private vulnerability reporting enabled — Unknown: GitHub did not answer within 0\.4 s \(offline\?\); use --offline to skip the lookup/);
    // Generous: the timeout is 0.4 s, a stalled lookup without it lasts until the server gives up.
    assert.ok(ms < 10_000, `${ms} ms`);
    assert.ok(hung.length >= 1, 'the lookup reached the server');
  });

  it('with --offline, asks nothing and says nothing on stderr', async () => {
    const o = fakeOutput(dir);
    assert.equal(await main(['demo', dir, '--offline'], o), 0);
    assert.equal(o.stderr, '');
  });
});
