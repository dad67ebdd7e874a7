import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { assertRefused, cli, hostileRepo, VICTIM_TEXT, type HostileRepo } from './write-support';

// Issue 13: a committed symlink, a dangling link or a FIFO in an untrusted repository must never make
// Steward write, create or read anything outside the repository, and must never block it. Every case
// runs the real CLI against a repository inside a temporary parent and hashes the parent before/after.

const WORKFLOW = 'on: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - run: make\n';
const PACKAGE = JSON.stringify({ name: 'widget', author: { name: 'Ada', email: 'ada@example.org' } });

describe('hostile repositories: writes stay inside the repository', () => {
  let h: HostileRepo;
  let before: Record<string, string>;
  beforeEach(() => {
    h = hostileRepo('steward-hostile-write-');
    h.files({ 'package.json': PACKAGE, 'README.md': '# widget\n' });
  });
  afterEach(() => h.cleanup());

  /** Takes the outside snapshot; call after building the repository. */
  const arm = () => (before = h.outside());
  const nothingOutsideChanged = (what: string) => assert.deepEqual(h.outside(), before, `${what} changed something outside the repository`);

  it('security-md --force through SECURITY.md -> ../victim.txt is refused; the victim is untouched', async () => {
    symlinkSync('../victim.txt', path.join(h.root, 'SECURITY.md'));
    arm();
    const r = await cli(h.root, ['security-md', '--force']);
    assertRefused(r, /^steward: refused to write SECURITY\.md: it is a symbolic link\n$/, 'security-md --force');
    nothingOutsideChanged('security-md --force');
    assert.equal(readFileSync(h.victim, 'utf8'), VICTIM_TEXT);
  });

  it('security-md without --force does not print the link target as a "diff"', async () => {
    symlinkSync('../victim.txt', path.join(h.root, 'SECURITY.md'));
    arm();
    const r = await cli(h.root, ['security-md']);
    assertRefused(r, /refused to write SECURITY\.md: it is a symbolic link/, 'security-md');
    assert.equal(r.stdout, '');
    assert.doesNotMatch(r.stderr, /precious/);
    nothingOutsideChanged('security-md');
  });

  it('security-md and insights do not create the target of a dangling link', async () => {
    symlinkSync('../created-through-link.md', path.join(h.root, 'SECURITY.md'));
    symlinkSync('../created-through-link.yml', path.join(h.root, 'security-insights.yml'));
    arm();
    assertRefused(await cli(h.root, ['security-md']), /refused to write SECURITY\.md: it is a symbolic link/, 'security-md');
    assertRefused(await cli(h.root, ['insights', '--offline']), /refused to write security-insights\.yml: it is a symbolic link/, 'insights');
    nothingOutsideChanged('dangling links');
    assert.equal(existsSync(path.join(h.parent, 'created-through-link.md')), false);
  });

  it('a FIFO SECURITY.md does not block security-md; a FIFO --output does not block scan', async function () {
    if (process.platform === 'win32') this.skip();
    execFileSync('mkfifo', [path.join(h.root, 'SECURITY.md')]);
    execFileSync('mkfifo', [path.join(h.root, 'report.json')]);
    arm();
    assertRefused(await cli(h.root, ['security-md', '--force']), /refused to write SECURITY\.md: it is a named pipe \(FIFO\)/, 'security-md');
    assertRefused(await cli(h.root, ['scan', '--offline', '--format', 'json', '--output', 'report.json']), /refused to write report\.json: it is a named pipe/, 'scan --output');
    nothingOutsideChanged('FIFO');
  });

  it('.github -> a folder outside: fix creates no dependabot.yml there, and fix of a path through it is refused', async () => {
    const elsewhere = path.join(h.parent, 'elsewhere');
    mkdirSync(path.join(elsewhere, 'workflows'), { recursive: true });
    writeFileSync(path.join(elsewhere, 'workflows/ci.yml'), WORKFLOW);
    symlinkSync('../elsewhere', path.join(h.root, '.github'));
    arm();
    // Creating dependabot.yml is a review fix (it turns on new pull requests): --unsafe includes it.
    const all = await cli(h.root, ['fix', '.', '--offline', '--unsafe']);
    assertRefused(all, /^steward: refused to write \.github\/dependabot\.yml: \.github is a symbolic link\n$/, 'fix .');
    assert.doesNotMatch(all.stdout, /Applied[^\n]*\n {2}\.github\/dependabot\.yml/, 'the summary must not call the refused file applied');
    assert.match(all.stdout, /not written: \.github is a symbolic link/);
    const one = await cli(h.root, ['fix', '.github/workflows/ci.yml', '--offline']);
    assertRefused(one, /^steward: cannot read \.github\/workflows\/ci\.yml: is inside a folder that is a symbolic link pointing outside the repository \(not followed\)\n$/, 'fix FILE');
    nothingOutsideChanged('fix');
    assert.deepEqual(readdirSync(elsewhere), ['workflows']);
    assert.equal(readFileSync(path.join(elsewhere, 'workflows/ci.yml'), 'utf8'), WORKFLOW);
  });

  it('fix --dry-run refuses the same writes fix would refuse, and its patch leaves them out', async () => {
    mkdirSync(path.join(h.parent, 'elsewhere'));
    symlinkSync('../elsewhere', path.join(h.root, '.github'));
    h.files({ 'ci/ci.yml': WORKFLOW });
    arm();
    const r = await cli(h.root, ['fix', '--dry-run', '--offline', '--unsafe']);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /^steward: refused to write \.github\/dependabot\.yml: \.github is a symbolic link\n/);
    assert.doesNotMatch(r.stdout, /dependabot/);
    assert.doesNotMatch(r.stderr, /Would apply[^\n]*\n {2}\.github\/dependabot\.yml/);
    nothingOutsideChanged('fix --dry-run');
    assert.deepEqual(readdirSync(path.join(h.parent, 'elsewhere')), []);
  });

  it('insights does not refresh or diff a security-insights.yml that links outside', async () => {
    writeFileSync(path.join(h.parent, 'victim.yml'), 'header:\n  schema-version: 2.0.0\n');
    symlinkSync('../victim.yml', path.join(h.root, 'security-insights.yml'));
    arm();
    const r = await cli(h.root, ['insights', '--offline']);
    assertRefused(r, /^steward: refused to write security-insights\.yml: it is a symbolic link\n$/, 'insights');
    assert.equal(r.stdout, '');
    nothingOutsideChanged('insights');
  });

  it('a workflow that is a link: fix . and fix FILE refuse it the same way', async () => {
    h.files({ '.github/dependabot.yml': 'version: 2\nupdates: []\n', 'SECURITY.md': 'Report to ada@example.org\n' });
    // Outside the repository: neither command reads through the link.
    writeFileSync(path.join(h.parent, 'outside.yml'), WORKFLOW);
    mkdirSync(path.join(h.root, '.github/workflows'));
    symlinkSync('../../../outside.yml', path.join(h.root, '.github/workflows/out.yml'));
    arm();
    const viaFile = await cli(h.root, ['fix', '.github/workflows/out.yml', '--offline']);
    assertRefused(viaFile, /cannot read \.github\/workflows\/out\.yml: is a symbolic link that points outside the repository \(not followed\)/, 'fix FILE (outside)');
    const viaDir = await cli(h.root, ['fix', '.', '--offline', '--rule', 'persisted-checkout-credentials']);
    assert.equal(viaDir.code, 0, viaDir.stderr);
    nothingOutsideChanged('fix of an outside link');
    // Inside the repository: the link itself is never replaced or written through.
    h.files({ 'ci/real.yml': WORKFLOW });
    symlinkSync('../../ci/real.yml', path.join(h.root, '.github/workflows/ci.yml'));
    for (const argv of [['fix', '.github/workflows/ci.yml'], ['fix', '.']]) {
      const r = await cli(h.root, [...argv, '--offline', '--rule', 'persisted-checkout-credentials']);
      assertRefused(r, /^steward: refused to write \.github\/workflows\/ci\.yml: it is a symbolic link\n$/, argv.join(' '));
      assert.equal(readFileSync(path.join(h.root, 'ci/real.yml'), 'utf8'), WORKFLOW, argv.join(' '));
    }
    nothingOutsideChanged('fix of an inside link');
  });

  it('the missing-security-policy fix does not create a dangling SECURITY.md link target', async () => {
    symlinkSync('../policy-created-outside.md', path.join(h.root, 'SECURITY.md'));
    arm();
    // --unsafe: the generated policy is a review fix (issue 14.5).
    const r = await cli(h.root, ['fix', '.', '--offline', '--unsafe', '--rule', 'missing-security-policy']);
    assertRefused(r, /^steward: refused to write SECURITY\.md: it is a symbolic link\n$/, 'fix missing-security-policy');
    assert.match(r.stdout, /^Nothing to fix\nLeft 1 fix:\n {2}could not be applied \(1\):\n {4}SECURITY\.md {2}Add SECURITY\.md with a private reporting channel {2}\[missing-security-policy\]\n {6}not written: it is a symbolic link\n$/);
    assert.equal(existsSync(path.join(h.parent, 'policy-created-outside.md')), false);
    nothingOutsideChanged('missing-security-policy fix');
  });

  it('--output through a dangling link and a generator --out through a symlinked folder are refused', async () => {
    h.files({ 'docs/x.md': 'x\n' });
    symlinkSync('..', path.join(h.root, 'docs/up'));
    symlinkSync('../nowhere.json', path.join(h.root, 'out.json'));
    arm();
    assertRefused(await cli(h.root, ['scan', '--offline', '--output', 'out.json']), /refused to write out\.json: it is a dangling symbolic link/, 'scan --output');
    assertRefused(await cli(h.root, ['security-md', '--out', 'docs/up/SECURITY.md']), /refused to write docs\/up\/SECURITY\.md: docs\/up is a symbolic link/, 'security-md --out');
    nothingOutsideChanged('outputs');
  });

  it('leaves no temporary files behind after refused writes', async () => {
    symlinkSync('../victim.txt', path.join(h.root, 'SECURITY.md'));
    await cli(h.root, ['security-md', '--force']);
    await cli(h.root, ['fix', '.', '--offline']);
    const all = execFileSync('find', [h.parent, '-name', '*.tmp'], { encoding: 'utf8' });
    assert.equal(all, '');
  });
});
