import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { StewardApi } from '../../src/extension';
import type { CloneCommandResult } from '../../src/vscode/dependencies/commands';
import type { SurveyOutcome } from '../../src/vscode/dependencies/service';
import type { DepNode } from '../../src/vscode/dependencies/tree';
import { rateLimited } from '../support/github-server';
import { setUpScenario } from '../unit/survey/scenario';
import { SurveyWorld, WEAK_WORKFLOW } from '../unit/survey/world';
import { ScriptedPrompter } from './scriptedPrompter';
import { stewardApi } from './support';

// The Dependencies view through its commands, against the registries and GitHub stand-ins on
// 127.0.0.1 (the same world as the CLI's survey tests): the survey ranks the project's dependencies and
// the view shows them; a rate limit stops it with the reset time and running it again continues; the
// clone behind "Open posture" and "Prepare contribution" comes from a real bare repository on disk,
// served over git's smart HTTP by the GitHub stand-in, and continues in the existing flows.

function git(cwd: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      'git',
      ['-c', 'core.hooksPath=/dev/null', '-c', 'init.defaultBranch=main', '-c', 'commit.gpgSign=false', ...args],
      { cwd, env: { PATH: process.env.PATH ?? '', HOME: cwd, GIT_CONFIG_NOSYSTEM: '1', GIT_AUTHOR_NAME: 'A', GIT_AUTHOR_EMAIL: 'a@example.com', GIT_COMMITTER_NAME: 'A', GIT_COMMITTER_EMAIL: 'a@example.com' } },
      (err, stdout, stderr) => (err ? reject(new Error(`git ${args.join(' ')}: ${stderr || err.message}`)) : resolve(stdout.trim())),
    );
  });
}

interface Row {
  label: string;
  description: string;
  contextValue?: string;
  node: DepNode;
}

async function rows(api: StewardApi, node?: DepNode): Promise<Row[]> {
  const tree = api.dependenciesView.tree;
  return (await tree.getChildren(node)).map((n) => {
    const item = tree.getTreeItem(n);
    return { label: typeof item.label === 'string' ? item.label : (item.label?.label ?? ''), description: String(item.description ?? ''), contextValue: item.contextValue, node: n };
  });
}

describe('Dependencies view: survey, rank, clone (local registries, GitHub stand-in, bare repository)', function () {
  this.timeout(120_000);
  let w: SurveyWorld;
  let api: StewardApi;
  let scratch: string;
  const online = () => ({ url: w.github.url, tokenProvider: { getToken: async () => undefined } });
  const registries = () => ({ npm: w.registry.npmUrl, pypi: w.registry.pypiUrl, crates: w.registry.cratesUrl, goImport: `${w.registry.url}/go/{module}?go-get=1` });
  const survey = (extra: Record<string, unknown> = {}) =>
    vscode.commands.executeCommand<SurveyOutcome>('steward.surveyDependencies', { folder: vscode.Uri.file(w.project), online: online(), registries: registries(), ...extra });

  before(async () => {
    api = await stewardApi();
    w = await SurveyWorld.start();
    await setUpScenario(w);
    scratch = await fs.mkdtemp(path.join(os.tmpdir(), 'steward-deps-ext-'));
    // someone/left-pad as a real repository: a bare one under the stand-in's git root, pushed from a work tree.
    const work = path.join(scratch, 'left-pad-src');
    await fs.mkdir(path.join(work, '.github', 'workflows'), { recursive: true });
    await fs.writeFile(path.join(work, '.github', 'workflows', 'ci.yml'), WEAK_WORKFLOW);
    await fs.writeFile(path.join(work, 'package.json'), '{"name":"left-pad"}\n');
    await git(work, ['init', '-q']);
    await git(work, ['add', '-A']);
    await git(work, ['commit', '-q', '-m', 'first']);
    await fs.writeFile(path.join(work, 'index.js'), 'module.exports = 1;\n');
    await git(work, ['add', '-A']);
    await git(work, ['commit', '-q', '-m', 'second']);
    const bare = path.join(w.github.gitRoot, 'someone', 'left-pad.git');
    await fs.mkdir(path.dirname(bare), { recursive: true });
    await git(scratch, ['clone', '-q', '--bare', work, bare]);
    await git(bare, ['config', 'http.receivepack', 'true']);
  });

  after(async () => {
    await w?.close();
    if (scratch) await fs.rm(scratch, { recursive: true, force: true });
  });

  it('the survey command ranks the dependencies and the view lists them with reason, owner kind, Essentials and concerns', async () => {
    const out = await survey({ fresh: true });
    assert.equal(out.kind, 'complete', JSON.stringify(out));
    const top = await rows(api);
    assert.deepEqual(
      top.map((r) => [r.label, r.description, r.contextValue]),
      [
        ['1. someone/left-pad', 'personal account · 3 Essentials failing · 4 fixable', 'dependency.repo.contributable'],
        ['2. serde-rs/serde', 'organisation · 1 Essential failing · 3 fixable', 'dependency.repo.contributable'],
        ['Nothing to add', '3 repositories', 'dependency.section'],
        ['Cannot take a contribution', '2 repositories', 'dependency.section'],
        ['Repository not found', '1 package', 'dependency.section'],
      ],
    );
    const first = await rows(api, top[0].node);
    assert.equal(
      first[0].label,
      "fails 3 of 6 Essentials (Least-privilege workflow token, Dependencies kept up to date (Dependabot or Renovate), Security policy (SECURITY.md)); 4 fixable concerns; 3 dependency paths from 1 package, used directly; a personal account's project; last release 8 years ago",
    );
    assert.deepEqual(first.filter((r) => r.description === 'Essential failing').map((r) => r.label).sort(), ['Dependencies kept up to date (Dependabot or Renovate)', 'Least-privilege workflow token', 'Security policy (SECURITY.md)']);
    assert.equal(first.filter((r) => / fixable/.test(r.description)).length, 4);
    assert.equal(first.filter((r) => /suggested first/.test(r.description)).length, 1);
    assert.deepEqual(first.filter((r) => r.description === 'package').map((r) => r.label), ['npm:left-pad']);
    const gone = await rows(api, top[3].node);
    assert.deepEqual(gone.map((r) => [r.label, r.description]), [['o/old', 'archived'], ['o/vanished', 'the repository does not exist any more (or is private)']]);
    const unresolved = await rows(api, top[4].node);
    assert.deepEqual(unresolved.map((r) => [r.label, r.description]), [['npm:norepo', 'direct · 1 path · no repository in its npm metadata']]);
    assert.equal(api.dependenciesView.treeView.message, '8 dependencies · 7 of 7 repositories surveyed · 2 where a contribution helps');
  });

  it('a rate limit stops the survey with its reset time; running it again continues and fetches nothing twice', async () => {
    const reset = Math.floor(Date.now() / 1000) + 3600;
    w.github.fail('GET', '/api/v3/repos/serde-rs/serde', rateLimited(reset), 1);
    const out = await survey({ fresh: true });
    assert.equal(out.kind, 'stopped');
    const at = new Date(reset * 1000);
    const hhmm = `${String(at.getHours()).padStart(2, '0')}:${String(at.getMinutes()).padStart(2, '0')}`;
    const why = (out as { why: string }).why;
    assert.match(why, new RegExp(`^stopped: GitHub API rate limit reached; resets at ${hhmm}; signing in to GitHub raises the limit \\(\\d of 7 repositories surveyed; run the survey again to continue\\)$`));
    assert.equal((await rows(api))[0].label, why, 'the view says why it is incomplete');
    // The repositories the stopped run wrote are not asked for again; the one the limit stopped is.
    // (Others in flight at the stop, written by neither, may be asked again: that depends on timing.)
    const first = (out as Extract<SurveyOutcome, { kind: 'stopped' }>).report;
    const written = [...first.ranked, ...first.healthy, ...first.unavailable].map((e) => `${e.owner}/${e.repo}`);
    assert.ok(!written.includes('serde-rs/serde'));
    const asked = (repo: string) => w.github.count(`/api/v3/repos/${repo}`, 'GET');
    const before = Object.fromEntries([...written, 'serde-rs/serde'].map((k) => [k, asked(k)]));
    const again = await survey();
    assert.equal(again.kind, 'complete');
    const after = Object.fromEntries([...written, 'serde-rs/serde'].map((k) => [k, asked(k)]));
    assert.deepEqual(after, { ...before, 'serde-rs/serde': before['serde-rs/serde'] + 1 }, 'only repositories the stopped run did not finish are asked again');
    assert.equal((await rows(api))[1].label, '2. serde-rs/serde');
  });

  it('a cancelled survey keeps what it found; the next run continues from there', async () => {
    const ac = new AbortController();
    w.latencyMs = 30;
    let seen = 0;
    const out = await api.dependencies.survey({
      folder: vscode.Uri.file(w.project),
      online: online(),
      registries: registries(),
      fresh: true,
      signal: ac.signal,
      onProgress: (p) => {
        if (p.phase === 'repositories' && ++seen === 2) ac.abort();
      },
    });
    w.latencyMs = 0;
    assert.equal(out.kind, 'stopped');
    assert.ok(out.kind === 'stopped' && out.cancelled);
    assert.match((out as { why: string }).why, /^cancelled: [2-6] of 7 repositories surveyed; run the survey again to continue$/);
    const done = (out as { report: { totals: { surveyed: number } } }).report.totals.surveyed;
    assert.ok(done >= 2 && done < 7, `${done} surveyed before the cancel`);
    const again = await survey();
    assert.equal(again.kind, 'complete');
    assert.equal((again as { report: { totals: { surveyed: number } } }).report.totals.surveyed, 7);
  });

  it('GitHub out of reach: one line naming the host, nothing lost', async () => {
    const out = await vscode.commands.executeCommand<SurveyOutcome>('steward.surveyDependencies', { folder: vscode.Uri.file(w.project), online: { url: 'http://127.0.0.1:9', tokenProvider: { getToken: async () => undefined } }, registries: registries(), fresh: true });
    assert.equal(out.kind, 'stopped');
    assert.match((out as { why: string }).why, /^stopped: cannot reach GitHub at http:\/\/127\.0\.0\.1:9\S* \(offline\?\)[^;]* \(0 of 7 repositories surveyed; run the survey again to continue\)$/);
    // Back to the full survey for the clone tests (the registry answers are cached, GitHub's scans too).
    assert.equal((await survey({ fresh: true })).kind, 'complete');
  });

  it('Open posture: a shallow clone into the picked folder, then the choice to open it', async () => {
    const top = await rows(api);
    const parent = path.join(scratch, 'picked');
    await fs.mkdir(parent);
    await fs.writeFile(path.join(parent, 'notes.txt'), 'not empty: the clone goes into a new folder here\n');
    // Opening it (a new window, or entering a multi-root workspace) reloads the workbench: the test
    // dismisses the question and checks the clone the Posture view would then scan.
    const prompter = new ScriptedPrompter({ cloneInto: vscode.Uri.file(parent) });
    const r = await vscode.commands.executeCommand<CloneCommandResult>('steward.dependencyOpenPosture', top[0].node, { prompter });
    const dir = path.join(parent, 'left-pad');
    assert.deepEqual([r.outcome, r.dir, r.reused], ['cloned', dir, false], JSON.stringify(r));
    const [asked] = prompter.questions('openCloned');
    assert.deepEqual(asked.actions, ['Open in New Window', 'Add to Workspace']);
    assert.equal(asked.message, `Steward: cloned someone/left-pad in ${dir}. Open it to see its posture.`);
    assert.match(prompter.questions('cloneInto')[0].title ?? '', /^Open posture: clone someone\/left-pad into/);
    assert.equal(await git(dir, ['rev-parse', '--is-shallow-repository']), 'true');
    assert.equal(await git(dir, ['rev-list', '--count', 'HEAD']), '1');
    assert.equal(await fs.readFile(path.join(dir, '.github', 'workflows', 'ci.yml'), 'utf8'), WEAK_WORKFLOW);
    assert.equal(await fs.readFile(path.join(dir, 'index.js'), 'utf8'), 'module.exports = 1;\n');
    assert.match(await git(dir, ['config', '--get', 'remote.origin.url']), /^http:\/\/127\.0\.0\.1:\d+\/someone\/left-pad\.git$/);
    // Picking the same place again reuses the clone.
    const again = await vscode.commands.executeCommand<CloneCommandResult>('steward.dependencyOpenPosture', top[0].node, { prompter: new ScriptedPrompter({ cloneInto: vscode.Uri.file(dir) }) });
    assert.deepEqual([again.outcome, again.dir, again.reused], ['cloned', dir, true]);
    // A folder of that name holding something else is refused, not cloned into.
    await fs.mkdir(path.join(scratch, 'other', 'left-pad'), { recursive: true });
    await fs.writeFile(path.join(scratch, 'other', 'left-pad', 'x.txt'), 'mine\n');
    const refused = await vscode.commands.executeCommand<CloneCommandResult>('steward.dependencyOpenPosture', top[0].node, { prompter: new ScriptedPrompter({ cloneInto: vscode.Uri.file(path.join(scratch, 'other')) }) });
    assert.deepEqual([refused.outcome, refused.error], ['failed', `${path.join(scratch, 'other', 'left-pad')} already exists and is not an empty folder: pick a new or empty folder`]);
  });

  it('Prepare contribution: clones into an empty picked folder and opens the contribution dialog on the suggested concern', async () => {
    const top = await rows(api);
    const entry = (top[0].node as Extract<DepNode, { kind: 'repo' }>).entry;
    const dest = path.join(scratch, 'empty');
    await fs.mkdir(dest);
    const prompter = new ScriptedPrompter({ cloneInto: vscode.Uri.file(dest), preflight: 'Continue', concern: undefined });
    const r = await vscode.commands.executeCommand<CloneCommandResult>('steward.dependencyPrepareContribution', top[0].node, { prompter, online: online() });
    assert.equal(r.outcome, 'cloned', JSON.stringify(r));
    assert.equal(r.dir, dest);
    assert.equal(r.contribution?.outcome, 'cancelled');
    const [concern] = prompter.questions('concern');
    assert.ok(concern, `the dialog reached the concern step: ${JSON.stringify(prompter.asked.map((a) => a.id))}`);
    assert.match(concern.title ?? '', /someone\/left-pad/);
    assert.equal(concern.items?.find((i) => i.picked)?.label, entry.first?.title);
  });

  it('a repository that cannot be cloned any more is one line', async () => {
    const top = await rows(api);
    const dest = path.join(scratch, 'serde');
    const r = await vscode.commands.executeCommand<CloneCommandResult>('steward.dependencyOpenPosture', top[1].node, { prompter: new ScriptedPrompter({ cloneInto: vscode.Uri.file(dest) }) });
    assert.deepEqual([r.outcome, r.error], ['failed', 'serde-rs/serde cannot be cloned: the repository does not exist any more (or is private)']);
    await assert.rejects(fs.stat(dest), 'git leaves no half-made folder');
  });
});
