import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ContributeResult } from '../../src/vscode/contribution/contribute';
import { GitHubTestServer, type Req } from '../support/github-server';
import { ScriptedPrompter } from './scriptedPrompter';
import { stewardApi } from './support';

// The contribution flow through its command, with scripted answers, against real git repositories
// (a bare upstream and a bare fork served over HTTP by the local GitHub stand-in, a clone as the
// contributor's checkout) and the stand-in's REST endpoints for forks and pull requests. The extension
// host runs the server in-process, so every git call here is asynchronous.

function git(cwd: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      'git',
      ['-c', 'core.hooksPath=/dev/null', '-c', 'init.defaultBranch=main', '-c', 'commit.gpgSign=false', ...args],
      {
        cwd,
        env: {
          PATH: process.env.PATH ?? '',
          HOME: cwd,
          GIT_CONFIG_NOSYSTEM: '1',
          GIT_AUTHOR_NAME: 'Fixture Author',
          GIT_AUTHOR_EMAIL: 'author@example.com',
          GIT_COMMITTER_NAME: 'Fixture Committer',
          GIT_COMMITTER_EMAIL: 'committer@example.com',
          GIT_AUTHOR_DATE: '2025-01-01T00:00:00Z',
          GIT_COMMITTER_DATE: '2025-01-01T00:00:00Z',
        },
      },
      (err, stdout, stderr) => (err ? reject(new Error(`git ${args.join(' ')}: ${stderr || err.message}`)) : resolve(stdout.trim())),
    );
  });
}

const CI = `name: CI
on: [push, pull_request]
permissions:
  contents: read
jobs:
  test:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - run: npm test
`;

const LINT = `name: Lint
on: [pull_request]
permissions:
  contents: read
jobs:
  lint:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - run: npm run lint
`;

const CONTRIBUTING = `# Contributing

All commits must be signed off (Developer Certificate of Origin): use \`git commit -s\`.
`;

const TEMPLATE = `## Description

- [ ] I have read CONTRIBUTING.md
- [x] Tests pass
`;

interface World {
  root: string;
  server: GitHubTestServer;
  clone: string;
  forkBare: string;
  prBodies: Record<string, unknown>[];
}

async function makeWorld(): Promise<World> {
  const root = await fs.mkdtemp(path.join(os.tmpdir(), 'steward-ext-flow-'));
  const gitRoot = path.join(root, 'served');
  await fs.mkdir(gitRoot);
  const server = await GitHubTestServer.start({ gitRoot });
  const work = path.join(root, 'work');
  await fs.mkdir(path.join(work, '.github', 'workflows'), { recursive: true });
  await fs.writeFile(path.join(work, '.github/workflows/ci.yml'), CI);
  await fs.writeFile(path.join(work, '.github/workflows/lint.yml'), LINT);
  await fs.writeFile(path.join(work, 'CONTRIBUTING.md'), CONTRIBUTING);
  await fs.writeFile(path.join(work, '.github/pull_request_template.md'), TEMPLATE);
  await fs.writeFile(path.join(work, 'README.md'), '# widget\n');
  await git(work, ['init', '-q']);
  await git(work, ['add', '-A']);
  await git(work, ['commit', '-q', '-m', 'Initial']);
  const upstreamBare = path.join(gitRoot, 'upstream-org', 'widget.git');
  await fs.mkdir(path.dirname(upstreamBare), { recursive: true });
  await git(root, ['clone', '-q', '--bare', work, upstreamBare]);
  const forkBare = path.join(gitRoot, 'contributor', 'widget.git');
  await fs.mkdir(path.dirname(forkBare), { recursive: true });
  await git(root, ['clone', '-q', '--bare', upstreamBare, forkBare]);
  await git(forkBare, ['config', 'http.receivepack', 'true']);
  const clone = path.join(root, 'clone');
  await git(root, ['clone', '-q', upstreamBare, clone]);
  await git(clone, ['remote', 'set-url', 'origin', `${server.url}/upstream-org/widget.git`]);
  await git(clone, ['remote', 'add', 'fork', `${server.url}/contributor/widget.git`]);
  await git(clone, ['config', 'user.name', 'Casey Contributor']);
  await git(clone, ['config', 'user.email', 'casey@example.org']);
  await git(clone, ['checkout', '-q', '-b', 'my-work']);
  await fs.writeFile(path.join(clone, 'notes.txt'), 'my own notes\n');
  await git(clone, ['add', 'notes.txt']);
  await git(clone, ['commit', '-q', '-m', 'My own work']);

  server.addRepo('upstream-org/widget', { permissions: { admin: false, maintain: false, push: false, triage: false, pull: true } });
  server.addRepo('contributor/widget', { fork: true });
  const prBodies: Record<string, unknown>[] = [];
  const pulls: { number: number; head: string; title: string }[] = [];
  server.route('GET', '/api/v3/user', () => ({ json: { login: 'contributor', id: 7, type: 'User' } }));
  server.route('GET', '/api/v3/repos/:owner/:repo/pulls', (req: Req) => {
    const head = req.query.get('head');
    return { json: pulls.filter((p) => !head || p.head === head).map((p) => ({ number: p.number, title: p.title, html_url: `${server.url}/upstream-org/widget/pull/${p.number}` })) };
  });
  server.route('GET', '/api/v3/repos/:owner/:repo/pulls/:n/files', () => ({ json: [] }));
  server.route('POST', '/api/v3/repos/:owner/:repo/pulls', (req: Req) => {
    const body = req.body as Record<string, unknown>;
    prBodies.push(body);
    const number = 41 + pulls.length;
    pulls.push({ number, head: String(body.head), title: String(body.title) });
    return { status: 201, json: { number, html_url: `${server.url}/upstream-org/widget/pull/${number}`, title: body.title, draft: body.draft } };
  });
  return { root, server, clone, forkBare, prBodies };
}

async function cloneState(w: World): Promise<{ branch: string; status: string; notes: string; ci: string }> {
  return {
    branch: await git(w.clone, ['rev-parse', '--abbrev-ref', 'HEAD']),
    status: await git(w.clone, ['status', '--porcelain']),
    notes: await fs.readFile(path.join(w.clone, 'notes.txt'), 'utf8'),
    ci: await fs.readFile(path.join(w.clone, '.github/workflows/ci.yml'), 'utf8'),
  };
}

const online = (w: World) => ({ url: w.server.url, tokenProvider: { getToken: async () => 'test-token' } });

describe('Prepare security contribution', function () {
  this.timeout(90_000);
  let w: World;
  before(() => stewardApi());
  afterEach(async () => {
    await w?.server.close();
  });

  it('walks preflight → one concern → preview → publish → confirm, pushes signed-off commits to the fork and opens a draft PR', async () => {
    w = await makeWorld();
    const before = await cloneState(w);
    const prompter = new ScriptedPrompter({
      // preflight, concern (pre-selected from the check id) and preview keep their defaults
      publish: 'Push to remote “fork” and open a draft pull request',
      confirm: 'Create commits and open draft PR',
    });
    const result = (await vscode.commands.executeCommand('steward.prepareContribution', {
      folder: vscode.Uri.file(w.clone),
      checkId: 'persisted-checkout-credentials',
      prompter,
      online: online(w),
    })) as ContributeResult;
    assert.equal(result.outcome, 'pr-opened', result.error ?? JSON.stringify(prompter.asked.map((a) => [a.id, a.answer])));

    // The dialog: five numbered steps, Back from step 2 on, preflight that explains what it found.
    assert.deepEqual(
      prompter.asked.filter((a) => a.kind === 'pick').map((a) => [a.id, a.step, a.totalSteps, a.back ?? false]),
      [
        ['preflight', 1, 5, false],
        ['concern', 2, 5, true],
        ['preview', 3, 5, true],
        ['publish', 4, 5, true],
      ],
    );
    const [preflight] = prompter.questions('preflight');
    const labels = preflight.items!.map((i) => i.label);
    assert.equal(labels[0], '$(arrow-right) Continue');
    assert.ok(labels.includes('$(info) Sign-off (DCO): CONTRIBUTING.md says: "All commits must be signed off (Developer Certificate of Origin): use `git commit -s`."'), JSON.stringify(labels));
    assert.equal(preflight.items!.find((i) => i.label.includes('Sign-off (DCO)'))!.detail, 'This project requires sign-off: your commits will carry a Signed-off-by line with your name and e-mail.');
    assert.ok(labels.includes('$(info) Pull request template: .github/pull_request_template.md'));
    assert.ok(labels.includes('$(info) Your access: read-only on upstream-org/widget'), JSON.stringify(labels));
    assert.ok(labels.includes('$(info) Open pull requests: checked for overlap'));

    const [concern] = prompter.questions('concern');
    const chosen = concern.items!.find((i) => i.picked)!;
    assert.equal(chosen.label, 'Stop persisting checkout credentials', 'the concern of the check passed by the Explain view is pre-selected');
    assert.equal(chosen.description, '2 files · +4 −0 lines');
    assert.equal(chosen.detail, '.github/workflows/ci.yml, .github/workflows/lint.yml');

    const [preview] = prompter.questions('preview');
    assert.deepEqual(
      preview.items!.map((i) => i.label),
      ['$(check) The change looks right: continue', '$(diff) Show each file as a side-by-side diff', "$(git-commit) Don't persist checkout credentials in ci.yml", "$(git-commit) Don't persist checkout credentials in lint.yml"],
    );
    assert.match(result.diff ?? '', /\+ {8}with:\n\+ {10}persist-credentials: false/);
    const [confirm] = prompter.questions('confirm');
    assert.match(confirm.detail ?? '', /^Branch steward\/checkout-credentials from origin\/main, 2 commits authored as you, each signed off \(the project requires it\):/);

    // The fork has the branch with one signed-off commit per file, authored as the contributor.
    assert.equal(result.branch, 'steward/checkout-credentials');
    assert.equal(result.commits?.length, 2);
    assert.equal(await git(w.forkBare, ['rev-parse', 'refs/heads/steward/checkout-credentials']), result.commits![1]);
    const log = (await git(w.forkBare, ['log', '--format=%an <%ae>|%s|%b%x00', 'main..steward/checkout-credentials'])).split('\0').map((s) => s.trim()).filter(Boolean);
    assert.equal(log.length, 2);
    for (const entry of log) {
      assert.match(entry, /^Casey Contributor <casey@example\.org>\|Don't persist checkout credentials in (ci|lint)\.yml\|/);
      assert.match(entry, /Signed-off-by: Casey Contributor <casey@example\.org>/);
    }

    // The draft PR request.
    assert.equal(w.prBodies.length, 1);
    const pr = w.prBodies[0];
    assert.equal(pr.draft, true);
    assert.equal(pr.head, 'contributor:steward/checkout-credentials');
    assert.equal(pr.base, 'main');
    assert.equal(pr.title, "Don't persist the checkout token in workflows");
    for (const section of ['## Description', '### What changed', '### Why this matters', '## What could break', '## How to test', '## How to undo', '## Background', '## Checklist', '- [ ] Tests pass', 'Signed-off-by']) {
      assert.ok(String(pr.body).includes(section), `PR text lacks ${section}`);
    }
    assert.equal(result.prUrl, `${w.server.url}/upstream-org/widget/pull/41`);
    const [done] = prompter.questions('done');
    assert.equal(done.message, 'Steward opened draft pull request #41 with 2 commits.');
    assert.deepEqual(done.actions, ['Open draft PR', 'Copy PR text']);

    // Back where the contributor was, with their files untouched; the previews are closed.
    assert.deepEqual(await cloneState(w), before);
    const previews = vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.input instanceof vscode.TabInputText && (t.input as vscode.TabInputText).uri.scheme === 'steward-preview');
    assert.deepEqual(previews.map((t) => t.label), []);
  });

  it('asks nothing about uncommitted changes and leaves them alone; without GitHub it commits locally and exports a patch series', async () => {
    w = await makeWorld();
    // Work in progress, in a file of the user's and in a workflow the concern changes.
    await fs.writeFile(path.join(w.clone, 'notes.txt'), 'my own notes\nwork in progress\n');
    await fs.appendFile(path.join(w.clone, '.github/workflows/ci.yml'), '# my unfinished edit\n');
    const dirty = await cloneState(w);

    const patches = await fs.mkdtemp(path.join(os.tmpdir(), 'steward-patches-'));
    const prompter = new ScriptedPrompter({
      publish: 'Only create the commits locally',
      confirm: 'Create commits',
      done: 'Export patch series…',
      patches: vscode.Uri.file(patches),
    });
    const result = (await vscode.commands.executeCommand('steward.prepareContribution', { folder: vscode.Uri.file(w.clone), concern: 'checkout-credentials', prompter, online: false })) as ContributeResult;
    assert.equal(result.outcome, 'committed', result.error);
    const publish = prompter.questions('publish')[0];
    assert.deepEqual(
      publish.items!.map((i) => i.label),
      ['$(cloud-upload) Push to remote “fork”', '$(git-commit) Only create the commits locally'],
      'offline: no fork/PR option and no sign-in',
    );
    assert.ok(!prompter.asked.some((a) => a.id === 'dirty'), 'no question about uncommitted changes');
    const confirm = prompter.questions('confirm')[0].detail ?? '';
    assert.match(confirm, /The commits stay on the local branch steward\/checkout-credentials\.\nYour current branch, the files in your work tree and your uncommitted changes are not touched\./);
    assert.ok(!/stash/i.test(JSON.stringify(prompter.asked)), 'no text mentions a stash');
    const [preflight] = prompter.questions('preflight');
    assert.ok(preflight.items!.some((i) => i.label === '$(info) Your access: not checked'));
    assert.ok(preflight.items!.some((i) => i.label === '$(info) Open pull requests: not checked'));
    assert.deepEqual(prompter.questions('done')[0].actions, ['Copy PR text', 'Export patch series…']);
    assert.deepEqual(result.patches?.map((p) => path.basename(p)), ['0000-cover-letter.patch', "0001-Don-t-persist-checkout-credentials-in-ci.yml.patch", "0002-Don-t-persist-checkout-credentials-in-lint.yml.patch"]);
    const cover = await fs.readFile(path.join(patches, '0000-cover-letter.patch'), 'utf8');
    assert.match(cover, /Subject: \[PATCH 0\/2\] Don't persist the checkout token in workflows/);
    assert.ok(cover.includes('## Description'));
    // Nothing of the user's moved: same branch, same uncommitted changes, no stash entry.
    assert.deepEqual(await cloneState(w), dirty);
    assert.equal(await git(w.clone, ['stash', 'list']), '');
    assert.equal((await git(w.clone, ['log', '--format=%s', 'main..steward/checkout-credentials'])).split('\n').length, 2);
    // The commits are built from the base branch: the unfinished edit is not in them.
    const committed = await git(w.clone, ['show', 'steward/checkout-credentials:.github/workflows/ci.yml']);
    assert.ok(committed.includes('persist-credentials: false') && !committed.includes('my unfinished edit'), committed);
  });
});
