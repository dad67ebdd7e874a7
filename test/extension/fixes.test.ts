import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { GitHubTestServer } from '../support/github-server';
import { standardActionRepos, tempDir } from '../support/git-fixtures';
import { fileUri, scannedText, stewardApi, typeInto, untilScanned } from './support';

// Quick fixes, Fix all in file, the Fix… command and the pin fix, in a real VS Code. Each test writes
// its own workflow into the fixture repository (and removes it at the end), so the other suites'
// expectations about the demo workflows are untouched.

const WORKFLOW = `name: QF
on: push
permissions:
  contents: read
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: actions/checkout@v4
        with:
          path: second
      - run: echo hi
        env:
          ACTIONS_ALLOW_UNSECURE_COMMANDS: true
          OTHER: x
`;

/** WORKFLOW after every safe offline fix: both checkouts keep no token, the insecure variable is gone. */
const WORKFLOW_FIXED = `name: QF
on: push
permissions:
  contents: read
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          persist-credentials: false
      - uses: actions/checkout@v4
        with:
          path: second
          persist-credentials: false
      - run: echo hi
        env:
          OTHER: x
`;

const created: string[] = [];

/** Writes a workflow, waits until the scan has seen exactly that text, and opens it. */
async function workflow(name: string, text: string): Promise<vscode.TextDocument> {
  const rel = `.github/workflows/${name}`;
  created.push(rel);
  await vscode.workspace.fs.writeFile(fileUri(rel), new TextEncoder().encode(text));
  const api = await stewardApi();
  // A full scan lists the new file; the file watcher's own scan may come later and is awaited too.
  await api.posture.scanFolder(api.posture.folders()[0]);
  await untilScanned(api, `the scan of ${rel}`, () => scannedText(api, rel) === text);
  const doc = await vscode.workspace.openTextDocument(fileUri(rel));
  await vscode.window.showTextDocument(doc);
  return doc;
}

function findingsOf(api: Awaited<ReturnType<typeof stewardApi>>, rel: string, ruleId?: string) {
  return (api.posture.folders()[0].scan?.findings ?? []).filter((f) => !f.suppressed && f.location?.file === rel && (!ruleId || f.ruleId === ruleId));
}

async function codeActions(doc: vscode.TextDocument, line: number, kind: string): Promise<vscode.CodeAction[]> {
  const range = new vscode.Range(line - 1, 10, line - 1, 10);
  return (await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', doc.uri, range, kind)) ?? [];
}

/** What the lightbulb does: apply the edit, then run the command. */
async function run(action: vscode.CodeAction): Promise<unknown> {
  if (action.edit) assert.ok(await vscode.workspace.applyEdit(action.edit), 'the edit applies');
  if (action.command) return vscode.commands.executeCommand(action.command.command, ...(action.command.arguments ?? []));
  return undefined;
}

describe('Quick fixes and Fix…', () => {
  before(async () => {
    await stewardApi();
    await vscode.commands.executeCommand('steward.scan');
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    for (const rel of created) await vscode.workspace.fs.delete(fileUri(rel)).then(undefined, () => undefined);
    await vscode.commands.executeCommand('steward.scan');
  });

  it('offers one action per fix, preferred only when safe, and inserts persist-credentials: false', async () => {
    const doc = await workflow('qf-creds.yml', WORKFLOW);
    const actions = await codeActions(doc, 9, vscode.CodeActionKind.QuickFix.value);
    const titles = actions.map((a) => a.title);
    const creds = actions.find((a) => a.title === 'Set ‘persist-credentials: false’ on this checkout');
    assert.ok(creds, JSON.stringify(titles));
    assert.equal(creds.isPreferred, true);
    assert.ok(creds.edit, 'a concrete fix carries its WorkspaceEdit');
    const pin = actions.find((a) => a.title === 'Pin actions/checkout@v4 to its commit SHA');
    assert.ok(pin?.command && !pin.edit, 'the pin fix resolves through a command');
    assert.ok(titles.includes('Fix all "Checkout does not leave the token on disk" in file (2 safe fixes)'), JSON.stringify(titles));
    assert.equal(actions.filter((a) => a.isPreferred).length, 2, 'one preferred action per finding under the cursor (credentials and pin)');

    await run(creds);
    const lines = doc.getText().split('\n');
    assert.deepEqual(lines.slice(8, 14), ['      - uses: actions/checkout@v4', '        with:', '          persist-credentials: false', '      - uses: actions/checkout@v4', '        with:', '          path: second']);
    assert.equal(doc.getText(), WORKFLOW.replace('      - uses: actions/checkout@v4\n', '      - uses: actions/checkout@v4\n        with:\n          persist-credentials: false\n'));
    assert.ok(doc.isDirty, 'a quick fix leaves saving to the user');
    const api = await stewardApi();
    await untilScanned(api, 'the re-scan', () => findingsOf(api, '.github/workflows/qf-creds.yml', 'persisted-checkout-credentials').length === 1);
    assert.equal(findingsOf(api, '.github/workflows/qf-creds.yml', 'persisted-checkout-credentials')[0].location?.start.line, 12, 'the other checkout, moved down two lines');
    // One Undo reverts the whole fix (undo acts on the focused editor: focus this document's first).
    await vscode.window.showTextDocument(doc, { preview: false });
    await vscode.commands.executeCommand('undo');
    assert.equal(doc.getText(), WORKFLOW);
    await doc.save();
  });

  it('removes the ACTIONS_ALLOW_UNSECURE_COMMANDS line', async () => {
    const doc = await workflow('qf-insecure.yml', WORKFLOW);
    const actions = await codeActions(doc, 15, vscode.CodeActionKind.QuickFix.value);
    const remove = actions.find((a) => a.title === 'Remove ACTIONS_ALLOW_UNSECURE_COMMANDS');
    assert.ok(remove, JSON.stringify(actions.map((a) => a.title)));
    assert.equal(remove.isPreferred, true);
    await run(remove);
    assert.equal(doc.getText(), WORKFLOW.replace('          ACTIONS_ALLOW_UNSECURE_COMMANDS: true\n', ''));
    await doc.save();
  });

  it('Fix all in file (source.fixAll.steward) applies every safe offline fix at once', async () => {
    const doc = await workflow('qf-all.yml', WORKFLOW);
    const actions = await codeActions(doc, 1, 'source.fixAll.steward');
    assert.deepEqual(
      actions.map((a) => [a.title, a.kind?.value]),
      [['Fix all Steward findings in file (3 safe fixes)', 'source.fixAll.steward']],
    );
    await run(actions[0]);
    assert.equal(doc.getText(), WORKFLOW_FIXED);
    const api = await stewardApi();
    await untilScanned(api, 'the re-scan', () => findingsOf(api, '.github/workflows/qf-all.yml').every((f) => f.ruleId === 'unpinned-actions'));
    await doc.save();
  });

  it('Fix all "<rule>" in file applies the rule\'s fixes as one edit', async () => {
    const doc = await workflow('qf-rule.yml', WORKFLOW);
    const actions = await codeActions(doc, 10, vscode.CodeActionKind.QuickFix.value);
    const all = actions.find((a) => a.title.startsWith('Fix all "Checkout does not leave the token on disk"'));
    assert.ok(all, JSON.stringify(actions.map((a) => a.title)));
    await run(all);
    assert.equal(doc.getText(), WORKFLOW_FIXED.replace('        env:\n          OTHER: x\n', '        env:\n          ACTIONS_ALLOW_UNSECURE_COMMANDS: true\n          OTHER: x\n'));
    await doc.save();
  });

  it('scans again first when the document changed since the scan', async () => {
    const doc = await workflow('qf-typed.yml', WORKFLOW);
    await typeInto(doc, [{ range: new vscode.Range(0, 0, 0, 0), text: '# a comment typed before the fix\n' }]);
    // The checkout is on line 10 now; the scan still has it on line 9 until the provider re-scans.
    const actions = await codeActions(doc, 10, vscode.CodeActionKind.QuickFix.value);
    const creds = actions.find((a) => a.title === 'Set ‘persist-credentials: false’ on this checkout');
    assert.ok(creds, JSON.stringify(actions.map((a) => a.title)));
    await run(creds);
    assert.equal(doc.getText(), '# a comment typed before the fix\n' + WORKFLOW.replace('      - uses: actions/checkout@v4\n', '      - uses: actions/checkout@v4\n        with:\n          persist-credentials: false\n'));
    await doc.save();
  });

  it('Steward: Fix… applies the chosen fixes with one edit, saves, and reports what was left', async () => {
    const rel = '.github/workflows/qf-palette.yml';
    await workflow('qf-palette.yml', WORKFLOW);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    const result = (await vscode.commands.executeCommand('steward.fixWorkspace', { files: [rel], rules: ['persisted-checkout-credentials', 'insecure-commands'] })) as {
      status: string;
      applied: string[];
      files: string[];
      left: unknown[];
      message: string;
    };
    assert.equal(result.status, 'applied', JSON.stringify(result));
    assert.deepEqual(result.applied.sort(), ['Remove ACTIONS_ALLOW_UNSECURE_COMMANDS', 'Set `persist-credentials: false` on this checkout', 'Set `persist-credentials: false` on this checkout']);
    assert.deepEqual(result.files, [rel]);
    assert.deepEqual(result.left, []);
    assert.equal(result.message, 'Steward applied 3 fixes in 1 file.');
    // Saved: the file on disk is the fixed text.
    assert.equal(new TextDecoder().decode(await vscode.workspace.fs.readFile(fileUri(rel))), WORKFLOW_FIXED);
  });

  it('never writes a fix through a symbolic link: Fix… refuses with one line, the quick fix is disabled, the target stays as it was', async () => {
    const rel = '.github/workflows/qf-link.yml';
    const outside = tempDir('steward-outside-');
    const victim = path.join(outside, 'victim.yml');
    fs.writeFileSync(victim, WORKFLOW);
    fs.symlinkSync(victim, fileUri(rel).fsPath);
    created.push(rel);
    try {
      const api = await stewardApi();
      await api.posture.scanFolder(api.posture.folders()[0]);
      await untilScanned(api, `the scan of ${rel}`, () => scannedText(api, rel) === WORKFLOW);
      assert.ok(findingsOf(api, rel, 'persisted-checkout-credentials').length > 0, 'the linked workflow is scanned (its findings are shown)');
      const refusal = `Steward refused to write ${rel}: it is a symbolic link; nothing was changed`;

      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      const result = (await vscode.commands.executeCommand('steward.fixWorkspace', { files: [rel], rules: ['persisted-checkout-credentials', 'insecure-commands'] })) as { status: string; applied: string[]; left: { detail?: string }[] };
      assert.equal(result.status, 'refused', JSON.stringify(result));
      assert.deepEqual(result.applied, []);
      assert.ok(result.left.some((l) => l.detail === refusal), JSON.stringify(result.left));
      assert.equal(fs.readFileSync(victim, 'utf8'), WORKFLOW);
      assert.ok(fs.lstatSync(fileUri(rel).fsPath).isSymbolicLink(), 'the link itself is left alone');

      const doc = await vscode.workspace.openTextDocument(fileUri(rel));
      await vscode.window.showTextDocument(doc);
      // VS Code leaves disabled actions out of executeCodeActionProvider's answer: the quick fix is
      // either missing or disabled with the refusal, and never carries an edit for the linked file.
      const creds = (await codeActions(doc, 9, vscode.CodeActionKind.QuickFix.value)).filter((a) => a.title === 'Set ‘persist-credentials: false’ on this checkout');
      assert.deepEqual(creds.map((a) => [a.edit === undefined, a.disabled?.reason ?? refusal]), creds.map(() => [true, refusal]));
      assert.equal(doc.getText(), WORKFLOW);
    } finally {
      fs.rmSync(outside, { recursive: true, force: true });
    }
  });

  describe('pinning against a local GitHub', () => {
    let server: GitHubTestServer;
    let sha: string;

    before(async () => {
      const root = tempDir('steward-ext-git-');
      // Built with synchronous git BEFORE the server runs: its git http-backend lives in this process.
      sha = standardActionRepos(root).checkout.commits.c2;
      server = await GitHubTestServer.start({ gitRoot: root });
      server.addRepo('actions/checkout');
      await vscode.workspace.getConfiguration('steward').update('github.url', server.url, vscode.ConfigurationTarget.Workspace);
      const api = await stewardApi();
      // The setting is read in the configuration event; its re-scan (facts again) settles before the tests.
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
    });

    it('the pin quick fix resolves v4 to its commit and writes the most specific version', async () => {
      const doc = await workflow('qf-pin.yml', WORKFLOW);
      const actions = await codeActions(doc, 9, vscode.CodeActionKind.QuickFix.value);
      const pin = actions.find((a) => a.title === 'Pin actions/checkout@v4 to its commit SHA');
      assert.ok(pin && !pin.disabled, JSON.stringify(actions.map((a) => [a.title, a.disabled?.reason])));
      const result = (await run(pin)) as { status: string; applied: string[] };
      assert.equal(result.status, 'applied', JSON.stringify(result));
      const lines = doc.getText().split('\n');
      assert.equal(lines[8], `      - uses: actions/checkout@${sha} # v4.2.2`);
      assert.equal(lines[9], '      - uses: actions/checkout@v4', 'the other checkout is its own finding');
      assert.equal(server.lsRemoteCount('actions', 'checkout'), 1);

      // Fix all pins in the file: the second one is served from the resolver's cache.
      const again = await codeActions(doc, 10, vscode.CodeActionKind.QuickFix.value);
      const second = again.find((a) => a.title === 'Pin actions/checkout@v4 to its commit SHA');
      assert.ok(second);
      await run(second);
      assert.equal(doc.getText().split('\n')[9], `      - uses: actions/checkout@${sha} # v4.2.2`);
      assert.equal(server.lsRemoteCount('actions', 'checkout'), 1, 'one ls-remote per repository');
      await doc.save();
    });

    it('the hover on a pinned uses: line shows the evidence for its version comment', async () => {
      const doc = await vscode.workspace.openTextDocument(fileUri('.github/workflows/qf-pin.yml'));
      const hovers = (await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, new vscode.Position(8, 20))) ?? [];
      const text = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : 'value' in c ? c.value : ''))).join('\n');
      assert.match(text, /Pin verified/);
      assert.ok(text.includes('v4\\.2\\.2'), text);
      assert.ok(text.includes(sha), 'the commit is named');
      assert.ok(text.includes(`${server.url}/actions/checkout/releases/tag/v4.2.2`), 'release link');
      assert.match(text, /not a fork-network impostor commit/);
    });

    it('a hover on an unpinned line says what pinning would write', async () => {
      const doc = await workflow('qf-hover.yml', WORKFLOW);
      const hovers = (await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, new vscode.Position(8, 20))) ?? [];
      const text = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : 'value' in c ? c.value : ''))).join('\n');
      assert.match(text, /Not pinned/);
      assert.ok(text.includes(`@${sha}\` with the comment \`# v4.2.2\``), text);
      assert.ok(path.basename(doc.uri.path) === 'qf-hover.yml');
    });
  });
});
