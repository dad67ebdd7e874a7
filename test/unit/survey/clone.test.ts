import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { CloneError, cloneFailure, shallowClone } from '../../../src/survey/clone';
import { buildBareRepo, git, tempDir } from '../../support/git-fixtures';

// The clone behind the Dependencies view's "Open posture" / "Prepare contribution", against real bare
// repositories on disk (file:// allowed for the test only; the extension never allows it).

describe('survey: shallow clone through the locked-down git', function () {
  this.timeout(60_000);
  let root: string;
  let url: string;
  beforeEach(() => {
    root = tempDir('steward-clone-');
    buildBareRepo(path.join(root, 'git'), 'someone', 'left-pad', [
      { commit: 'one', date: '2024-01-01T00:00:00Z', files: { 'README.md': 'one\n' } },
      { commit: 'two', date: '2024-02-01T00:00:00Z', files: { '.github/workflows/ci.yml': 'on: push\n', 'README.md': 'two\n' } },
    ]);
    url = pathToFileURL(path.join(root, 'git', 'someone', 'left-pad.git')).href;
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  it('clones the latest commit only into a new folder; a second clone into the same folder reuses it', async () => {
    const dest = path.join(root, 'picked', 'left-pad');
    const r = await shallowClone({ url, dest, label: 'someone/left-pad', allowFile: true });
    assert.deepEqual(r, { dir: dest, reused: false });
    assert.equal(git(dest, ['rev-parse', '--is-shallow-repository']), 'true');
    assert.equal(git(dest, ['rev-list', '--count', 'HEAD']), '1');
    assert.equal(fs.readFileSync(path.join(dest, 'README.md'), 'utf8'), 'two\n');
    assert.equal(git(dest, ['tag', '--list']), '');
    assert.deepEqual(await shallowClone({ url, dest, label: 'someone/left-pad', allowFile: true }), { dir: dest, reused: true });
  });

  it('clones into an empty folder the user made; refuses one holding anything else and leaves it as it was', async () => {
    const empty = path.join(root, 'empty');
    fs.mkdirSync(empty);
    assert.equal((await shallowClone({ url, dest: empty, label: 'someone/left-pad', allowFile: true })).reused, false);
    assert.ok(fs.existsSync(path.join(empty, '.github', 'workflows', 'ci.yml')));
    const busy = path.join(root, 'busy');
    fs.mkdirSync(busy);
    fs.writeFileSync(path.join(busy, 'mine.txt'), 'mine\n');
    await assert.rejects(shallowClone({ url, dest: busy, label: 'someone/left-pad', allowFile: true }), (e: CloneError) => e.kind === 'exists' && e.message === `${busy} already exists and is not an empty folder: pick a new or empty folder`);
    assert.deepEqual(fs.readdirSync(busy), ['mine.txt']);
  });

  it('a repository that is not there is "gone"; no half-made folder stays', async () => {
    const dest = path.join(root, 'gone');
    const missing = pathToFileURL(path.join(root, 'git', 'someone', 'vanished.git')).href;
    await assert.rejects(shallowClone({ url: missing, dest, label: 'someone/vanished', allowFile: true }), (e: CloneError) => e.kind === 'gone' && e.message === 'someone/vanished cannot be cloned: the repository does not exist any more (or is private)');
    assert.ok(!fs.existsSync(dest));
  });

  it('file:// is refused unless allowed (the extension only clones over https/http/ssh)', async () => {
    const dest = path.join(root, 'nofile');
    await assert.rejects(shallowClone({ url, dest, label: 'someone/left-pad' }), (e: CloneError) => e.kind === 'failed' && /^cloning someone\/left-pad failed: .*transport 'file' not allowed/.test(e.message));
    assert.ok(!fs.existsSync(dest));
  });

  it('no network is one line naming the host', async () => {
    const dest = path.join(root, 'offline');
    await assert.rejects(shallowClone({ url: 'http://127.0.0.1:9/someone/left-pad.git', dest, label: 'someone/left-pad' }), (e: CloneError) => e.kind === 'network' && e.message === 'cannot reach 127.0.0.1:9 to clone someone/left-pad (offline?)');
    assert.equal(cloneFailure("fatal: unable to access 'https://github.com/o/r.git/': Could not resolve host: github.com\n", { url: 'https://github.com/o/r.git', label: 'o/r' }).message, 'cannot reach github.com to clone o/r (offline?)');
    assert.equal(cloneFailure("remote: Repository not found.\nfatal: repository 'https://github.com/o/r.git/' not found\n", { url: 'https://github.com/o/r.git', label: 'o/r' }).kind, 'gone');
  });
});
