import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { COMMANDS, main, parseArgsMessage } from './main';
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

const README = readFileSync(path.join(__dirname, '../../README.md'), 'utf8');
const visible = Object.entries(COMMANDS).filter(([, c]) => !c.hidden);

function repo(files: Record<string, string> = {}): string {
  const dir = tempDir('steward-cli-');
  mkdirSync(path.join(dir, '.git'));
  writeFileSync(path.join(dir, '.git/config'), '[remote "origin"]\n\turl = https://github.com/octo/widget.git\n');
  for (const [p, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, p)), { recursive: true });
    writeFileSync(path.join(dir, p), text);
  }
  return dir;
}

/**
 * Runs the CLI and asserts a user mistake: exit 2, nothing on stdout, exactly one error line on stderr
 * (after any `note:` lines the command printed while working), no stack.
 */
async function mistake(cwd: string, argv: string[]): Promise<string> {
  const o = fakeOutput(cwd);
  const code = await main(argv, o);
  assert.equal(code, 2, `${argv.join(' ')} → ${code}: ${o.stderr}`);
  assert.equal(o.stdout, '', argv.join(' '));
  const err = o.stderr.replace(/^note: [^\n]*\n/gm, '');
  assert.match(err, /^steward: [^\n]+\n$/, `${argv.join(' ')}: ${JSON.stringify(o.stderr)}`);
  assert.doesNotMatch(o.stderr, /internal error|\n\s+at /);
  return err.trim();
}

describe('steward CLI: help, exit codes and user mistakes', () => {
  after(removeMade);
  it('top-level help lists every visible command and the exit codes 0/1/2/3', async () => {
    const o = fakeOutput(process.cwd());
    assert.equal(await main(['--help'], o), 0);
    for (const [name, c] of visible) assert.ok(o.stdout.includes(`  ${name.padEnd(16)}  ${c.summary}\n`), name);
    assert.match(o.stdout, /Exit codes: 0 success, 1 findings or work left \(each command says which\), 2 a usage or input\nerror \(one line on stderr\), 3 an internal error/);
    assert.doesNotMatch(o.stdout, /corpus-report|demo/);
  });

  it("each command's --help prints its usage, which documents its exit codes and matches the README", async () => {
    for (const [name, c] of visible) {
      const o = fakeOutput(process.cwd());
      assert.equal(await main([name, '--help'], o), 0, name);
      const { usage } = await c.load();
      assert.equal(o.stdout, `Usage: ${usage}\n`);
      assert.ok(o.stdout.startsWith(`Usage: steward ${name} `), name);
      assert.match(usage, /\n  Exit code: 0[ ,]/, `${name} --help does not document its exit codes`);
      // The synopsis (the lines before the first blank line) stands in the README word for word.
      const synopsis = usage.split('\n\n')[0];
      assert.ok(README.includes(synopsis + '\n'), `README lacks the usage of steward ${name}:\n${synopsis}`);
    }
  });

  it('a missing or wrong path is one line, exit 2, for every command that takes one', async () => {
    const dir = repo({ 'notes.txt': 'x\n' });
    assert.equal(await mistake(dir, ['scan', 'nosuch']), 'steward: no such file or folder: nosuch');
    assert.equal(await mistake(dir, ['fix', 'nosuch', '--offline']), 'steward: no such file or folder: nosuch');
    // security-md never goes online; the others are kept offline here.
    const extra: Record<string, string[]> = { insights: ['--offline'], 'security-md': [], 'settings-request': ['--offline'], pr: ['--offline'] };
    for (const [cmd, flags] of Object.entries(extra)) {
      assert.equal(await mistake(dir, [cmd, 'nosuch', ...flags]), 'steward: no such folder: nosuch', cmd);
      assert.equal(await mistake(dir, [cmd, 'notes.txt', ...flags]), 'steward: not a folder: notes.txt', cmd);
    }
    assert.equal(await mistake(dir, ['insights', '.', '..']), 'steward: steward insights takes one repository folder (got 2 paths)');
  });

  it('bad options, formats and rule ids are one line that points at the help', async () => {
    const dir = repo();
    assert.equal(await mistake(dir, ['scan', '--bogus']), "steward: unknown option '--bogus' (see `steward scan --help`)");
    assert.equal(await mistake(dir, ['scan', '--format']), "steward: option '-f, --format <value>' argument missing (see `steward scan --help`)");
    assert.equal(await mistake(dir, ['scan', '--format', 'xml', '--offline']), "steward: --format must be text, json or sarif (got 'xml')");
    assert.equal(await mistake(dir, ['rules', '--format', 'yaml']), "steward: --format must be text or json (got 'yaml')");
    assert.equal(await mistake(dir, ['settings-request', '--format', 'xml', '--offline']), "steward: --format must be markdown or json (got 'xml')");
    assert.equal(await mistake(dir, ['scan', '--fail-on', 'bad', '--offline']), "steward: --fail-on must be one of info, low, medium, high, critical (got 'bad')");
    assert.equal(await mistake(dir, ['scan', '--rule', 'nosuch', '--offline']), "steward: unknown rule 'nosuch' (run steward rules for the list)");
    assert.equal(await mistake(dir, ['explain', 'nosuch']), "steward: unknown rule 'nosuch' (run steward rules for the list)");
    assert.equal(await mistake(dir, ['explain']), 'steward: usage: steward explain RULE');
    assert.equal(await mistake(dir, ['nosuch']), "steward: unknown command 'nosuch' (try `steward --help`)");
  });

  it('an invalid .github/steward.yml is one line naming the file', async () => {
    assert.equal(await mistake(repo({ '.github/steward.yml': 'version: 1\nbogus: 1\n' }), ['scan', '--offline']), "steward: .github/steward.yml: unknown key 'bogus'");
    assert.match(await mistake(repo({ '.github/steward.yml': 'version: [\n' }), ['scan', '--offline']), /^steward: \.github\/steward\.yml: line \d+: /);
  });

  it('a malformed or incomplete answers file is one line naming the file and the field', async () => {
    const dir = repo({ 'broken.json': '{bad', 'empty.json': '{}' });
    assert.match(await mistake(dir, ['security-md', '--answers', 'broken.json', '--out', '-']), /^steward: broken\.json: not valid JSON \(/);
    assert.equal(await mistake(dir, ['security-md', '--answers', 'empty.json', '--out', '-']), 'steward: empty.json: projectName: missing (expected string)');
    assert.equal(await mistake(dir, ['security-md', '--answers', 'nosuch.json']), 'steward: cannot read nosuch.json: no such file');
  });

  it('an output file that cannot be written is one line, not an internal error', async () => {
    const dir = repo();
    assert.equal(await mistake(dir, ['scan', '--offline', '--output', 'no/such/dir/report.json']), 'steward: cannot write no/such/dir/report.json: no such file');
    assert.equal(await mistake(dir, ['settings-request', '--offline', '--out', 'no/such/dir/req.md']), 'steward: cannot write no/such/dir/req.md: no such file');
    // The generators create the folder they write to; a file where a folder should be is still one line.
    writeFileSync(path.join(dir, 'notes.txt'), 'x\n');
    assert.match(await mistake(dir, ['security-md', '--out', 'notes.txt/SECURITY.md']), /^steward: refused to write notes\.txt\/SECURITY\.md: notes\.txt is not a folder$/);
    assert.match(await mistake(dir, ['insights', '--offline', '--out', 'notes.txt/security-insights.yml']), /^steward: refused to write notes\.txt\/security-insights\.yml: notes\.txt is not a folder$/);
  });

  it('--output is relative to the working directory, like every other path', async () => {
    const dir = repo();
    const o = fakeOutput(dir);
    assert.equal(await main(['scan', '--offline', '--fail-on', 'never', '--format', 'json', '--output', 'report.json'], o), 0, o.stderr);
    assert.equal(o.stdout, '');
    assert.ok(Array.isArray((JSON.parse(readFileSync(path.join(dir, 'report.json'), 'utf8')) as { findings: unknown[] }).findings));
  });

  it("parseArgsMessage keeps node's first sentence, lower-cased", () => {
    assert.equal(parseArgsMessage("Unknown option '--x'. To specify a positional argument starting with a '-', place it at the end"), "unknown option '--x'");
    assert.equal(parseArgsMessage("Option '--out <value>' argument missing"), "option '--out <value>' argument missing");
    assert.equal(parseArgsMessage("Unexpected argument 'a'. This command does not take positional arguments"), "unexpected argument 'a'");
  });
});
