import * as assert from 'node:assert/strict';
import { CHECKS } from '../../src/core/checks';
import { Engine } from '../../src/core/engine';
import { applyEdits } from '../../src/core/fix/apply';
import { runNeeds } from '../../src/core/permissions/knowledge';
import { MemorySnapshot } from '../../src/core/repo/snapshot';
import { GIT_COMMAND, PUSH_SUBCOMMAND } from '../../src/core/workflow/git-command';
import { assertLinear } from '../support/linear';

// git's global options before the subcommand (`git --no-pager push`, `git -C site push`) and the
// subcommands that push with the same credentials (`git subtree push`, `git lfs push`). Before, the
// credentials check read `git --no-pager push` and `git subtree push` as no push, and the permissions
// fix read `git subtree push` so: both offered a "safe" fix that breaks the job's push.

const PUSHES = [
  'git push',
  'git --no-pager push origin HEAD',
  'git -C site push origin gh-pages',
  'git -c user.name=bot -c user.email=bot@example.org push',
  'git --git-dir .git --work-tree . push',
  'git --git-dir=.git push --tags',
  'git subtree push --prefix dist origin gh-pages',
  'git lfs push origin main',
];
const NOT_PUSHES = ['git status', 'git --no-pager log', 'git -C push status', 'git -c push.default=simple fetch', 'git commit -m "push later"', 'echo git', 'git pushover'];

const wf = (run: string) => `on: push\npermissions: write-all\njobs:\n  deploy:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - run: ${run}\n`;

async function scan(files: Record<string, string>) {
  return (await new Engine(CHECKS).scan(new MemorySnapshot('t', files))).findings;
}

describe('git commands with global options and push subcommands', () => {
  it('the pattern reads each push, and nothing else, as a push', () => {
    const re = new RegExp(GIT_COMMAND + PUSH_SUBCOMMAND);
    for (const c of PUSHES) assert.ok(re.test(c), c);
    for (const c of NOT_PUSHES) assert.ok(!re.test(c), c);
  });

  for (const run of PUSHES) {
    it(`\`${run}\`: the checkout keeps its credentials and the job keeps contents: write`, async () => {
      const found = await scan({ '.github/workflows/deploy.yml': wf(run) });
      const creds = found.find((f) => f.ruleId === 'persisted-checkout-credentials')!;
      assert.deepEqual(creds.fixes, [], creds.message);
      assert.ok(creds.message.includes('`git push` in a later step'), creds.message);
      const perms = found.find((f) => f.ruleId === 'excessive-permissions')!;
      const fixed = applyEdits(wf(run), perms.fixes[0].edits);
      assert.match(fixed, /\n {4}permissions:\n {6}contents: write # git push pushes to the repository\n/, fixed);
      assert.deepEqual(runNeeds(run).grants.map((g) => `${g.scope} ${g.level}`), ['contents write'], run);
    });
  }

  it('a repository script that pushes with global options is read as pushing', async () => {
    const found = await scan({ '.github/workflows/deploy.yml': wf('./tools/deploy.sh'), 'tools/deploy.sh': '#!/bin/sh -e\ngit -C out subtree push --prefix site origin gh-pages\n' });
    const creds = found.find((f) => f.ruleId === 'persisted-checkout-credentials')!;
    assert.deepEqual(creds.fixes, [], creds.message);
    assert.ok(creds.message.includes('`tools/deploy.sh`, which runs git push'), creds.message);
  });

  it('dangerous-triggers sees the pull request head fetched with `git -C`', async () => {
    const text = `on: pull_request_target\npermissions:\n  contents: read\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - run: git -C src fetch origin "pull/\${{ github.event.number }}/head:pr" && git -C src checkout pr && make -C src test\n`;
    const found = (await scan({ '.github/workflows/pr.yml': text })).filter((f) => f.ruleId === 'dangerous-triggers');
    assert.equal(found.length, 1, JSON.stringify(found.map((f) => f.message)));
    // Before, `git -C` hid the fetch: "no job checks out or runs the pull request's code", rated low.
    assert.equal(found[0].severity, 'high');
    assert.ok(found[0].message.includes("job test checks out the pull request's code"), found[0].message);
  });

  it('a long run of options costs time in proportion to its length (no backtracking between the option forms)', () => {
    const re = new RegExp(GIT_COMMAND + PUSH_SUBCOMMAND);
    assertLinear('git options', (n) => {
      const text = 'git ' + '-c -c --git-dir --no-pager -C x '.repeat(n) + 'status';
      return () => re.test(text);
    }, 4_000);
    assertLinear('git -c git -c …', (n) => {
      const text = 'git -c '.repeat(n);
      return () => re.test(text);
    }, 4_000);
  });

});
