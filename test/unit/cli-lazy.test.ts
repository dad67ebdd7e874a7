import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

// Start-up (issue 19): a scan loads only what it uses. zod (the schemas of .github/steward.yml, of
// SECURITY.md answers and of security-insights.yml), semver and the GitHub layer are loaded when a
// repository has such a file or a command goes online, not by every `steward scan`.

const ROOT = path.resolve(__dirname, '../..');
const HEAVY = ['/node_modules/zod/', '/node_modules/semver/', '/node_modules/@octokit/', '/node_modules/simple-git/'];

/** Runs `steward scan DIR --offline` in a fresh process (from the sources) and lists the heavy packages it loaded. */
function loadedBy(dir: string): string[] {
  const script = `
    const { main } = require(${JSON.stringify(path.join(ROOT, 'src/cli/main.ts'))});
    const o = { out() {}, err: (s) => process.stderr.write(s), isTTY: false, env: {}, cwd: process.cwd() };
    main(['scan', ${JSON.stringify(dir)}, '--offline', '--format', 'json'], o).then((code) => {
      const heavy = ${JSON.stringify(HEAVY)};
      const hit = new Set();
      for (const k of Object.keys(require.cache)) for (const h of heavy) if (k.includes(h)) hit.add(h);
      process.stdout.write(JSON.stringify({ code, hit: [...hit].sort() }));
    });`;
  const r = spawnSync(process.execPath, ['--require', 'tsx/cjs', '-e', script], { cwd: ROOT, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout) as { code: number; hit: string[] };
  assert.ok(out.code === 0 || out.code === 1, `scan exit code ${out.code}: ${r.stderr}`);
  return out.hit;
}

describe('CLI start-up: a scan loads only what it uses', function () {
  this.timeout(120_000);
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'steward-lazy-'));
    mkdirSync(path.join(dir, '.github/workflows'), { recursive: true });
    writeFileSync(path.join(dir, '.github/workflows/ci.yml'), 'on: push\npermissions: {}\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo hi\n');
    writeFileSync(path.join(dir, 'SECURITY.md'), '# Security\n\nReport to security@example.org\n');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('no zod, semver or GitHub layer for a repository without configuration files', () => {
    assert.deepEqual(loadedBy(dir), []);
  });

  it('zod once the repository has a .github/steward.yml to validate', () => {
    writeFileSync(path.join(dir, '.github/steward.yml'), 'disable: [binary-artifacts]\n');
    assert.deepEqual(loadedBy(dir), ['/node_modules/zod/']);
  });
});
