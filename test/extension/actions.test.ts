import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { actionAdvisory, GitHubTestServer } from '../support/github-server';
import { standardActionRepos, tempDir } from '../support/git-fixtures';
import { checkId, children, fileUri, groupChecks, stewardApi, unfold, untilScanned, type Row } from './support';

async function checkRow(id: string): Promise<Row> {
  const api = await stewardApi();
  const top = await children(api);
  for (const g of top.filter((r) => r.node.kind === 'group')) {
    const row = (await unfold(api, await children(api, g.node))).find((r) => checkId(r) === id);
    if (row) return row;
  }
  throw new Error(`check ${id} not in the tree`);
}

async function findingRows(id: string): Promise<Row[]> {
  const api = await stewardApi();
  return children(api, (await checkRow(id)).node);
}

async function readText(rel: string): Promise<string> {
  return new TextDecoder().decode(await vscode.workspace.fs.readFile(fileUri(rel)));
}

describe('Sidebar actions', () => {
  before(async () => {
    await untilScanned(await stewardApi(), 'the earlier suites\' re-scans');
    await vscode.commands.executeCommand('steward.scan');
  });

  it('filters to failing checks and back', async () => {
    const api = await stewardApi();
    const essentialsBefore = (await children(api))[0].description;
    await vscode.commands.executeCommand('steward.showFailingOnly');
    assert.equal((await children(api))[0].description, essentialsBefore, 'the Essentials score does not change with the filter');
    const failing = await groupChecks(api, 'Workflows');
    assert.ok(failing.length > 0);
    assert.ok(failing.every((r) => r.node.kind === 'check' && ['fail', 'error', 'unknown'].includes(r.node.row.result.status)), JSON.stringify(failing.map((r) => r.label)));
    await vscode.commands.executeCommand('steward.showAll');
    const all = await groupChecks(api, 'Workflows');
    assert.ok(all.some((r) => r.icon === 'pass'), 'passing checks are back');
    assert.ok(all.length > failing.length);
  });

  it('explains a finding in a webview with a strict CSP, escaped repository text and the fix diff', async () => {
    const api = await stewardApi();
    const [finding] = await findingRows('template-injection');
    assert.ok(finding, 'the demo repository has a template injection finding');
    await vscode.commands.executeCommand('steward.explain', finding.node);
    const html = api.explain.html ?? '';
    assert.match(html, /<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src [^;]+; style-src [^;]+; script-src 'nonce-[A-Za-z0-9+/=]+';">/);
    assert.equal((html.match(/<script/g) ?? []).length, 1, 'one script, the nonce one');
    assert.ok(html.includes('echo &quot;Thanks for opening: ${{ github.event.issue.title }}&quot;'), 'the context line is shown escaped');
    const line = finding.node.kind === 'finding' ? finding.node.finding.location?.start.line : undefined;
    assert.ok(line && html.includes(`<span class="line hit"><span class="ln">${line}</span>`), `line ${line} is highlighted`);
    assert.match(html, /<span class="add">\+[^<]*ISSUE_TITLE/, 'the diff adds the env variable');
    assert.match(html, /<span class="del">-[^<]*github\.event\.issue\.title/, 'the diff removes the inline expression');
    assert.match(html, /data-action="apply"/, 'Apply fix button in a trusted workspace');
    assert.ok(!html.includes('data-action="prepare"') || (await vscode.commands.getCommands(true)).includes('steward.prepareContribution'), 'Prepare contribution only when the command exists');
    assert.match(html, /<h2>Why it matters<\/h2>/);
  });

  it('a re-scan that renders the Explain view while it is being closed does not fail', async () => {
    const api = await stewardApi();
    const [finding] = await findingRows('template-injection');
    await vscode.commands.executeCommand('steward.explain', finding.node);
    const panel = api.explain.webview;
    assert.ok(panel);
    // What a re-scan does in the background: render() lists the commands, then writes the page. The
    // panel is closed in between (closing the editor group while a scan finishes).
    const rendering = (api.explain as unknown as { render(): Promise<void> }).render();
    panel.dispose();
    await rendering;
    assert.equal(api.explain.webview, undefined);
    await vscode.commands.executeCommand('steward.explain', finding.node);
    assert.ok(api.explain.webview, 'Explain opens again');
  });

  it('applies a fix from the tree and the check turns to pass', async () => {
    const api = await stewardApi();
    const [finding] = await findingRows('template-injection');
    assert.equal(finding.contextValue, 'finding.fixable.located');
    const result = await vscode.commands.executeCommand('steward.fix', finding.node);
    assert.equal(result, 'applied');
    const row = await checkRow('template-injection');
    assert.equal(row.icon, 'pass');
    const text = await readText('.github/workflows/greet.yml');
    assert.match(text, /ISSUE_TITLE: \$\{\{ github\.event\.issue\.title \}\}/);
    assert.match(text, /echo "Thanks for opening: \$\{?ISSUE_TITLE\}?"/);
    // The open Explain view followed the re-scan: the finding is gone, the check passes.
    assert.match(api.explain.html ?? '', /<span class="pill">Pass<\/span>/);
  });

  it('ignores a finding with a comment above its line', async () => {
    const rows = await findingRows('excessive-permissions');
    const ci = rows.find((r) => r.description === 'ci.yml:9');
    assert.ok(ci, JSON.stringify(rows.map((r) => r.description)));
    assert.equal(await vscode.commands.executeCommand('steward.ignore', ci.node, 'comment'), 'ignored');
    const lines = (await readText('.github/workflows/ci.yml')).split('\n');
    assert.equal(lines[8], '  # steward: ignore[excessive-permissions]');
    assert.equal(lines[9], '  test:');
    const after = await findingRows('excessive-permissions');
    assert.ok(!after.some((r) => r.description.startsWith('ci.yml')), JSON.stringify(after.map((r) => r.description)));
    const api = await stewardApi();
    const result = api.posture.folders()[0].scan!.results.find((r) => r.checkId === 'excessive-permissions')!;
    assert.equal(result.suppressed, 1);
  });

  it('ignores a finding with an entry in .github/steward.yml', async () => {
    const rows = await findingRows('unpinned-actions');
    const rel = rows.find((r) => r.description === 'release.yml:13');
    assert.ok(rel, JSON.stringify(rows.map((r) => r.description)));
    assert.equal(await vscode.commands.executeCommand('steward.ignore', rel.node, 'line'), 'ignored');
    const cfg = await readText('.github/steward.yml');
    assert.match(cfg, /rules:\n {2}unpinned-actions:\n {4}ignore:\n {6}- \.github\/workflows\/release\.yml:13\n/);
    const after = await findingRows('unpinned-actions');
    assert.ok(!after.some((r) => r.description === 'release.yml:13'));
    assert.ok(after.some((r) => r.description === 'release.yml:14'), 'other findings stay');
  });

  it('refuses to write .github/steward.yml through a symlink, and the link target stays as it was', async () => {
    const cfg = fileUri('.github/steward.yml').fsPath;
    const saved = fs.readFileSync(cfg);
    const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'steward-outside-'));
    const target = path.join(outside, 'victim.yml');
    fs.writeFileSync(target, 'version: 1\n');
    fs.rmSync(cfg);
    fs.symlinkSync(target, cfg);
    try {
      const rows = await findingRows('unpinned-actions');
      // The command's wrapper turns the refusal into an error message; nothing is written anywhere.
      assert.equal(await vscode.commands.executeCommand('steward.ignore', rows[0].node, 'disable'), undefined);
      assert.equal(fs.readFileSync(target, 'utf8'), 'version: 1\n');
      assert.ok(fs.lstatSync(cfg).isSymbolicLink(), 'the link itself is left alone');
    } finally {
      fs.rmSync(cfg, { force: true });
      fs.writeFileSync(cfg, saved);
      fs.rmSync(outside, { recursive: true, force: true });
    }
  });
});

describe('Online features', () => {
  const reasonOf = async (id: string) => (await stewardApi()).posture.folders()[0].scan!.results.find((r) => r.checkId === id)?.reason;

  it('say why repository settings are unknown for a clone without a GitHub remote', async () => {
    await vscode.commands.executeCommand('steward.scan');
    // The extension-host harness points steward.github.url at a closed local port (no test reaches GitHub).
    assert.equal(await reasonOf('unprotected-default-branch'), `Unknown: no remote (upstream or origin) points to ${(await stewardApi()).posture.settings.githubUrl}`);
    const api = await stewardApi();
    assert.equal(api.online.signedIn, false);
  });

  it('are off when steward.online.enabled is false, and the reason says so', async () => {
    const config = vscode.workspace.getConfiguration('steward');
    await config.update('online.enabled', false, vscode.ConfigurationTarget.Global);
    try {
      await vscode.commands.executeCommand('steward.scan');
      assert.equal(await reasonOf('unprotected-default-branch'), 'Unknown: online features are turned off (setting steward.online.enabled)');
      for (const id of ['known-vulnerable-actions', 'archived-uses']) assert.equal(await reasonOf(id), 'Unknown: online features are turned off (setting steward.online.enabled)', id);
    } finally {
      await config.update('online.enabled', undefined, vscode.ConfigurationTarget.Global);
    }
  });
});

describe('Online action audits in the editor (local GitHub)', () => {
  let server: GitHubTestServer;
  let root: string;
  const resultOf = async (id: string) => (await stewardApi()).posture.folders()[0].scan!.results.find((r) => r.checkId === id);

  before(async () => {
    root = tempDir('steward-ext-audits-');
    // Built with synchronous git BEFORE the server runs: its git http-backend lives in this process.
    standardActionRepos(root);
    server = await GitHubTestServer.start({ gitRoot: root });
    for (const r of ['actions/checkout', 'actions/setup-node']) server.addRepo(r);
    server.advisories.push(actionAdvisory({ ghsa: 'GHSA-test-ext1-xxxx', summary: 'checkout leaks the token', severity: 'high', name: 'actions/checkout', range: '< 4.3.0', patched: '4.3.0' }));
    await vscode.workspace.getConfiguration('steward').update('github.url', server.url, vscode.ConfigurationTarget.Workspace);
    const api = await stewardApi();
    if (api.posture.settings.githubUrl !== server.url) await new Promise<void>((resolve) => {
      const sub = vscode.workspace.onDidChangeConfiguration(() => {
        if (api.posture.settings.githubUrl !== server.url) return;
        sub.dispose();
        resolve();
      });
    });
    await untilScanned(api, 'the re-scan with the new GitHub URL');
  });

  after(async () => {
    await vscode.workspace.getConfiguration('steward').update('github.url', undefined, vscode.ConfigurationTarget.Workspace);
    await server?.close();
    fs.rmSync(root, { recursive: true, force: true });
    await untilScanned(await stewardApi(), 'the re-scan with the default GitHub URL');
  });

  it('a scan gets the same lookups as the command line: advisories and tags from GitHub, anonymously when not signed in', async () => {
    await vscode.commands.executeCommand('steward.scan');
    const kva = await resultOf('known-vulnerable-actions');
    assert.equal(kva?.status, 'fail', JSON.stringify(kva));
    const findings = (await stewardApi()).posture.folders()[0].scan!.findings.filter((f) => f.ruleId === 'known-vulnerable-actions');
    assert.ok(findings.length > 0);
    for (const f of findings) assert.match(f.message, /^actions\/checkout@v4 \(v4\.2\.2\) is affected by GHSA-test-ext1-xxxx: checkout leaks the token — vulnerable < 4\.3\.0, fixed in 4\.3\.0$/);
    // archived-uses asked the API about each action repository: the served ones are not archived, and
    // peter-evans/create-or-update-comment is not on this server, so the check says unknown, and why.
    const archived = await resultOf('archived-uses');
    assert.equal(archived?.status, 'unknown', JSON.stringify(archived));
    assert.match(archived?.reason ?? '', /^Unknown: \d+ actions? could not be looked up \(/);
    assert.ok(server.requests.some((r) => r.path === '/api/v3/repos/actions/checkout'), 'the repository API was asked');
    assert.ok(server.requests.some((r) => r.path.startsWith('/api/v3/advisories')), 'the advisory database was asked');
    assert.ok(server.requests.some((r) => r.path.startsWith('/actions/checkout.git/')), 'tags came from git ls-remote');
    assert.ok(server.requests.every((r) => !r.authenticated), 'not signed in: no token was sent');
  });
});
