import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { checkId, children, fileUri, groupChecks, scannedText, stewardApi, typeInto, untilScanned } from './support';

async function permissionFindings(): Promise<string[]> {
  const api = await stewardApi();
  const rows = await groupChecks(api, 'Essentials');
  const perms = rows.find((r) => checkId(r) === 'excessive-permissions');
  assert.ok(perms);
  return (await children(api, perms.node)).map((r) => r.description);
}

/** Puts a document back to `text` and saves it, so later suites see the file as it is on disk. */
async function restore(doc: vscode.TextDocument, text: string): Promise<void> {
  await typeInto(doc, [{ range: new vscode.Range(doc.positionAt(0), doc.positionAt(doc.getText().length)), text }]);
  assert.ok(await doc.save(), `${doc.uri.path} saved`);
  assert.ok(!doc.isDirty);
}

describe('Re-scan on save', () => {
  before(async () => {
    // The start-up scan (and its late GitHub facts re-run) must not finish in the middle of a test.
    await untilScanned(await stewardApi(), 'the start-up scan');
  });

  it('re-checks a saved workflow and updates tree and diagnostics', async () => {
    const api = await stewardApi();
    await vscode.commands.executeCommand('steward.scan');
    assert.deepEqual(await permissionFindings(), ['ci.yml:9', 'greet.yml:8', 'release.yml:7']);

    const rel = '.github/workflows/greet.yml';
    const uri = fileUri(rel);
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc);
    // Least privilege on the job itself: it only comments on issues.
    const runsOn = doc.getText().split('\n').indexOf('    runs-on: ubuntu-latest');
    assert.ok(runsOn > 0);
    await typeInto(doc, [{ range: new vscode.Range(runsOn, 0, runsOn, 0), text: '    permissions:\n      issues: write\n' }]);
    assert.ok(await doc.save());
    // The save's own (incremental) scan, not any other scan that happens to finish first.
    await untilScanned(api, 'the saved greet.yml', () => scannedText(api, rel) === doc.getText());

    assert.deepEqual(await permissionFindings(), ['ci.yml:9', 'release.yml:7']);
    const diags = vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'Steward');
    assert.ok(!diags.some((d) => typeof d.code === 'object' && d.code.value === 'excessive-permissions'), 'greet.yml has no permissions diagnostic any more');
    // The unpinned action (line 14) moved down by the two inserted lines.
    assert.ok(diags.some((d) => typeof d.code === 'object' && d.code.value === 'unpinned-actions' && d.range.start.line === 15), JSON.stringify(diags.map((d) => d.range.start.line)));
  });

  it('scans unsaved editor text on an explicit scan', async () => {
    const api = await stewardApi();
    const rel = '.github/workflows/release.yml';
    const doc = await vscode.workspace.openTextDocument(fileUri(rel));
    await vscode.window.showTextDocument(doc);
    const text = doc.getText();
    const at = text.indexOf('permissions: write-all');
    assert.ok(at >= 0);
    await typeInto(doc, [{ range: new vscode.Range(doc.positionAt(at), doc.positionAt(at + 'permissions: write-all'.length)), text: 'permissions:\n  contents: read' }]);
    assert.ok(doc.isDirty);
    await vscode.commands.executeCommand('steward.scan');
    assert.equal(scannedText(api, rel), doc.getText(), 'the scan read the editor text');
    assert.deepEqual(await permissionFindings(), ['ci.yml:9']);
    // Back to the text on disk, for the later suites (by this document, not "the active editor").
    await restore(doc, text);
    await untilScanned(api, 'release.yml as saved', () => scannedText(api, rel) === text);
    await vscode.commands.executeCommand('steward.scan');
    assert.deepEqual(await permissionFindings(), ['ci.yml:9', 'release.yml:7']);
  });
});
