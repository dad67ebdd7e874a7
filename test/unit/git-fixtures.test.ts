import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { buildBareRepo, git, tempDir } from '../support/git-fixtures';

// The benchmark's network part builds one bare repository per action with a branch for every
// non-version ref the corpus pins, `main` among them; moving the checked-out branch used to fail.
describe('test fixtures: buildBareRepo', () => {
  let root: string;
  beforeEach(() => (root = tempDir('steward-fixture-test-')));
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  it('moves the checked-out branch too, and other branches as before', () => {
    const r = buildBareRepo(root, 'octo', 'tool', [
      { commit: 'c1', date: '2024-01-10T10:00:00Z' },
      { commit: 'c2', date: '2024-02-10T10:00:00Z' },
      { branch: 'main', at: 'c1' },
      { branch: 'release', at: 'c2' },
      { commit: 'c3', date: '2024-03-10T10:00:00Z' },
    ]);
    assert.equal(r.bare, path.join(root, 'octo', 'tool.git'));
    assert.equal(git(r.bare, ['rev-parse', 'refs/heads/release']), r.commits.c2);
    // main was moved back to c1, so c3 was committed on top of c1, not c2
    assert.equal(git(r.bare, ['rev-parse', 'refs/heads/main']), r.commits.c3);
    assert.equal(git(r.bare, ['rev-parse', 'refs/heads/main~1']), r.commits.c1);
  });
});
