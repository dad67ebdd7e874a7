import * as assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync, lstatSync, existsSync, readlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { createExclusiveFileSync, makeOutputDir, pendingTempFiles, readRepoFileForOverwrite, removeOwnFileSync, removeOwnTempDirSync, writeOutputFile, writeRepoFile, WriteRefused } from './safe-write';

/** Every file under `dir` with its bytes (links as `-> target`), to prove nothing else changed. */
function tree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = path.join(d, name);
      const st = lstatSync(p);
      const rel = path.relative(dir, p);
      if (st.isSymbolicLink()) out[rel] = `-> ${readlinkSync(p)}`;
      else if (st.isDirectory()) {
        out[rel + '/'] = '';
        walk(p);
      } else if (st.isFile()) out[rel] = readFileSync(p).toString('base64');
      else out[rel] = 'special';
    }
  };
  walk(dir);
  return out;
}

async function refused(p: Promise<unknown>, reason: RegExp): Promise<WriteRefused> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof WriteRefused, `expected WriteRefused, got ${String(e)}`);
    assert.doesNotMatch(e.message, /\n/);
    assert.match(e.message, reason);
    return e;
  }
  assert.fail('the write was not refused');
}

describe('safe-write: the one write path', () => {
  let parent: string;
  let root: string;
  let victim: string;
  beforeEach(() => {
    parent = mkdtempSync(path.join(tmpdir(), 'steward-safewrite-'));
    root = path.join(parent, 'repo');
    mkdirSync(root);
    victim = path.join(parent, 'victim.txt');
    writeFileSync(victim, 'precious\n');
  });
  afterEach(() => rmSync(parent, { recursive: true, force: true }));

  it('creates a file and its missing parent folders, writing the bytes exactly', async () => {
    const bytes = Buffer.from('\ufeffa: 1\r\nb: 2\rc: 3\n', 'utf8');
    await writeRepoFile(root, '.github/workflows/ci.yml', bytes);
    assert.deepEqual(readFileSync(path.join(root, '.github/workflows/ci.yml')), bytes);
    await writeRepoFile(root, 'SECURITY.md', 'text');
    assert.equal(readFileSync(path.join(root, 'SECURITY.md'), 'utf8'), 'text');
    assert.deepEqual(readdirSync(path.join(root, '.github/workflows')), ['ci.yml']);
  });

  it('refuses a target that is a symlink, live or dangling, and leaves the outside untouched', async () => {
    symlinkSync('../victim.txt', path.join(root, 'SECURITY.md'));
    symlinkSync('../created-by-link.txt', path.join(root, 'dangling.md'));
    const before = tree(parent);
    await refused(writeRepoFile(root, 'SECURITY.md', 'pwned'), /^refused to write SECURITY\.md: it is a symbolic link$/);
    await refused(writeRepoFile(root, 'dangling.md', 'pwned'), /dangling\.md: it is a symbolic link/);
    await refused(readRepoFileForOverwrite(root, 'SECURITY.md'), /symbolic link/);
    await refused(readRepoFileForOverwrite(root, 'dangling.md'), /symbolic link/);
    assert.deepEqual(tree(parent), before);
    assert.equal(existsSync(path.join(parent, 'created-by-link.txt')), false);
  });

  it('refuses a symlinked parent folder (.github -> elsewhere), for writing and for reading', async () => {
    const elsewhere = path.join(parent, 'elsewhere');
    mkdirSync(path.join(elsewhere, 'workflows'), { recursive: true });
    writeFileSync(path.join(elsewhere, 'workflows/ci.yml'), 'on: push\n');
    symlinkSync(elsewhere, path.join(root, '.github'));
    const before = tree(parent);
    await refused(writeRepoFile(root, '.github/dependabot.yml', 'x'), /^refused to write \.github\/dependabot\.yml: \.github is a symbolic link$/);
    await refused(writeRepoFile(root, '.github/workflows/ci.yml', 'x'), /\.github is a symbolic link/);
    await refused(readRepoFileForOverwrite(root, '.github/workflows/ci.yml'), /\.github is a symbolic link/);
    // A link deeper down (a folder inside the repository pointing out) is refused the same way.
    mkdirSync(path.join(root, 'docs'));
    symlinkSync(parent, path.join(root, 'docs/up'));
    await refused(writeRepoFile(root, 'docs/up/victim.txt', 'x'), /docs\/up is a symbolic link/);
    assert.deepEqual(tree(parent), { ...before, 'repo/docs/': '', 'repo/docs/up': `-> ${parent}` });
  });

  it('refuses .., absolute paths, NUL and the root itself', async () => {
    const before = tree(parent);
    await refused(writeRepoFile(root, '../victim.txt', 'x'), /leaves the repository/);
    await refused(writeRepoFile(root, 'a/../../victim.txt', 'x'), /leaves the repository/);
    await refused(writeRepoFile(root, 'a/../b.txt', 'x'), /leaves the repository/);
    await refused(writeRepoFile(root, victim, 'x'), /absolute/);
    await refused(writeRepoFile(root, 'a\0b', 'x'), /NUL/);
    await refused(writeRepoFile(root, '.', 'x'), /repository folder itself/);
    await refused(readRepoFileForOverwrite(root, '../victim.txt'), /leaves the repository/);
    assert.deepEqual(tree(parent), before);
  });

  it('a root that is itself a symlink is resolved once and written inside', async () => {
    const link = path.join(parent, 'repo-link');
    symlinkSync(root, link);
    await writeRepoFile(link, 'a/b.txt', 'ok');
    assert.equal(readFileSync(path.join(root, 'a/b.txt'), 'utf8'), 'ok');
    assert.equal(lstatSync(link).isSymbolicLink(), true);
    assert.deepEqual(await readRepoFileForOverwrite(link, 'a/b.txt'), Buffer.from('ok'));
  });

  it('refuses a FIFO without blocking, for writing and reading, and a device', async function () {
    if (process.platform === 'win32') this.skip();
    execFileSync('mkfifo', [path.join(root, 'SECURITY.md')]);
    await refused(writeRepoFile(root, 'SECURITY.md', 'x'), /named pipe/);
    await refused(readRepoFileForOverwrite(root, 'SECURITY.md'), /named pipe/);
    assert.equal(lstatSync(path.join(root, 'SECURITY.md')).isFIFO(), true);
    await refused(writeOutputFile(path.join(root, 'SECURITY.md'), 'x'), /named pipe/);
    await refused(writeOutputFile('/dev/null', 'x'), /device/);
    assert.deepEqual(readdirSync(root), ['SECURITY.md']);
  });

  it('refuses a folder or a file in the way of a folder', async () => {
    mkdirSync(path.join(root, 'dir'));
    writeFileSync(path.join(root, 'file'), 'x');
    await refused(writeRepoFile(root, 'dir', 'x'), /it is a folder/);
    await refused(writeRepoFile(root, 'file/child', 'x'), /file is not a folder/);
    assert.equal(await readRepoFileForOverwrite(root, 'missing/child'), undefined);
    assert.equal(await readRepoFileForOverwrite(root, 'absent'), undefined);
  });

  it('keeps the mode of an overwritten file, and uses opts.mode when given', async function () {
    if (process.platform === 'win32') this.skip();
    const f = path.join(root, 'run.sh');
    writeFileSync(f, 'old');
    chmodSync(f, 0o750);
    await writeRepoFile(root, 'run.sh', 'new');
    assert.equal(statSync(f).mode & 0o7777, 0o750);
    assert.equal(readFileSync(f, 'utf8'), 'new');
    await writeRepoFile(root, 'other.sh', 'x', { mode: 0o700 });
    assert.equal(statSync(path.join(root, 'other.sh')).mode & 0o7777, 0o700);
  });

  it('replaces atomically (a new inode via rename) and leaves no temporary file, also when the write fails', async () => {
    const f = path.join(root, 'a.txt');
    writeFileSync(f, 'old');
    const ino = statSync(f).ino;
    await writeRepoFile(root, 'a.txt', 'new');
    assert.notEqual(statSync(f).ino, ino, 'written in place, not renamed over');
    // Failure after the temporary file exists: data that cannot be written (not bytes) throws in writeFile.
    await assert.rejects(writeRepoFile(root, 'b.txt', 42 as unknown as string));
    assert.deepEqual(readdirSync(root).sort(), ['a.txt']);
    assert.deepEqual(pendingTempFiles(), []);
  });

  it('removes the temporary file when the process is killed between the write and the rename', async function () {
    if (process.platform === 'win32') this.skip();
    // A child writes through the module with rename held back until it is killed.
    const script = `
      const fsp = require('node:fs').promises;
      const realRename = fsp.rename;
      fsp.rename = () => { process.stdout.write('ready\\n'); return new Promise(() => {}); };
      require(${JSON.stringify(path.join(__dirname, 'safe-write.ts'))}).writeRepoFile(${JSON.stringify(root)}, 'ci.yml', 'x'.repeat(1000));
      setInterval(() => {}, 1000);`;
    for (const signal of ['SIGTERM', 'SIGINT'] as const) {
      const child = spawn(process.execPath, ['--require', 'tsx/cjs', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
      await new Promise<void>((resolve) => child.stdout.on('data', (d: Buffer) => d.toString().includes('ready') && resolve()));
      assert.equal(readdirSync(root).filter((n) => n.endsWith('.tmp')).length, 1, 'the temporary file exists while the rename waits');
      const done = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_c, s) => resolve(s)));
      child.kill(signal);
      assert.equal(await done, signal, 'the process still dies of the signal');
      assert.deepEqual(readdirSync(root), [], signal);
    }
  });

  it('writeOutputFile: atomic, follows the user\'s own link, refuses a dangling one; makeOutputDir', async () => {
    const out = path.join(parent, 'out/report.json');
    await makeOutputDir(path.dirname(out));
    await makeOutputDir(path.dirname(out));
    await writeOutputFile(out, '{}');
    assert.equal(readFileSync(out, 'utf8'), '{}');
    symlinkSync(out, path.join(parent, 'link.json'));
    await writeOutputFile(path.join(parent, 'link.json'), '[]');
    assert.equal(readFileSync(out, 'utf8'), '[]');
    assert.equal(lstatSync(path.join(parent, 'link.json')).isSymbolicLink(), true);
    symlinkSync(path.join(parent, 'nowhere'), path.join(parent, 'dangling.json'));
    await refused(writeOutputFile(path.join(parent, 'dangling.json'), 'x'), /dangling/);
    await refused(makeOutputDir(victim), /other than a folder/);
    await assert.rejects(writeOutputFile(path.join(parent, 'no/such/dir.json'), 'x'), /ENOENT/);
    assert.deepEqual(readdirSync(path.join(parent, 'out')), ['report.json']);
  });

  it("Steward's own files: an exclusive create never follows or replaces anything; removals never reach past the name", () => {
    const lock = path.join(root, 'steward.lock');
    createExclusiveFileSync(lock, '42\nhost\n');
    assert.equal(readFileSync(lock, 'utf8'), '42\nhost\n');
    assert.throws(() => createExclusiveFileSync(lock, 'again'), (e: NodeJS.ErrnoException) => e.code === 'EEXIST');
    assert.equal(readFileSync(lock, 'utf8'), '42\nhost\n');
    // A link at the name, dangling or not, is "taken": its target is neither created nor written.
    symlinkSync(path.join(parent, 'made-through-link'), path.join(root, 'dangling.lock'));
    assert.throws(() => createExclusiveFileSync(path.join(root, 'dangling.lock'), 'x'), (e: NodeJS.ErrnoException) => e.code === 'EEXIST');
    assert.equal(existsSync(path.join(parent, 'made-through-link')), false);
    symlinkSync(victim, path.join(root, 'index.lock'));
    assert.throws(() => createExclusiveFileSync(path.join(root, 'index.lock'), 'x'));
    // Removing a link removes the link, never its target; absent is fine; a folder is refused.
    removeOwnFileSync(path.join(root, 'index.lock'));
    assert.equal(existsSync(path.join(root, 'index.lock')), false);
    assert.equal(readFileSync(victim, 'utf8'), 'precious\n');
    removeOwnFileSync(path.join(root, 'index.lock'));
    removeOwnFileSync(lock);
    assert.equal(existsSync(lock), false);
    mkdirSync(path.join(root, 'folder.lock'));
    assert.throws(() => removeOwnFileSync(path.join(root, 'folder.lock')), (e: unknown) => e instanceof WriteRefused && /it is a folder/.test(e.message));
    // Temporary folders: only steward-* directly in the temporary folder, links inside removed, not followed.
    assert.throws(() => removeOwnTempDirSync(root), (e: unknown) => e instanceof WriteRefused);
    assert.throws(() => removeOwnTempDirSync(path.join(tmpdir(), 'not-steward')), (e: unknown) => e instanceof WriteRefused);
    const scratch = mkdtempSync(path.join(tmpdir(), 'steward-git-test-'));
    symlinkSync(parent, path.join(scratch, 'up'));
    writeFileSync(path.join(scratch, 'HEAD'), 'ref: refs/heads/main\n');
    const link = path.join(tmpdir(), `steward-link-${process.pid}`);
    symlinkSync(scratch, link);
    try {
      assert.throws(() => removeOwnTempDirSync(link), (e: unknown) => e instanceof WriteRefused && /not a folder/.test(e.message));
      assert.equal(existsSync(path.join(scratch, 'HEAD')), true);
    } finally {
      rmSync(link, { force: true });
    }
    removeOwnTempDirSync(scratch);
    assert.equal(existsSync(scratch), false);
    assert.equal(readFileSync(victim, 'utf8'), 'precious\n');
    assert.deepEqual(readdirSync(root).sort(), ['dangling.lock', 'folder.lock']);
  });
});
