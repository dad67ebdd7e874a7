import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { checkId, children, fileUri, groupChecks, nextChange, stewardApi } from './support';

async function permissionFindings(): Promise<string[]> {
  const api = await stewardApi();
  const rows = await groupChecks(api, 'Essentials');
  const perms = rows.find((r) => checkId(r) === 'excessive-permissions');
  assert.ok(perms);
  return (await children(api, perms.node)).map((r) => r.description);
}

describe('Re-scan on save', () => {
  it('re-checks a saved workflow and updates tree and diagnostics', async () => {
    const api = await stewardApi();
    await vscode.commands.executeCommand('steward.scan');
    assert.deepEqual(await permissionFindings(), ['ci.yml:9', 'greet.yml:8', 'release.yml:7']);

    const uri = fileUri('.github/workflows/greet.yml');
    const doc = await vscode.workspace.openTextDocument(uri);
    const editor = await vscode.window.showTextDocument(doc);
    // Least privilege on the job itself: it only comments on issues.
    const runsOn = doc.getText().split('\n').indexOf('    runs-on: ubuntu-latest');
    assert.ok(runsOn > 0);
    await editor.edit((b) => b.insert(new vscode.Position(runsOn, 0), '    permissions:\n      issues: write\n'));
    const changed = nextChange(api);
    assert.ok(await doc.save());
    await changed;

    assert.deepEqual(await permissionFindings(), ['ci.yml:9', 'release.yml:7']);
    const diags = vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'Steward');
    assert.ok(!diags.some((d) => typeof d.code === 'object' && d.code.value === 'excessive-permissions'), 'greet.yml has no permissions diagnostic any more');
    // The unpinned action (line 14) moved down by the two inserted lines.
    assert.ok(diags.some((d) => typeof d.code === 'object' && d.code.value === 'unpinned-actions' && d.range.start.line === 15), JSON.stringify(diags.map((d) => d.range.start.line)));
  });

  it('scans unsaved editor text on an explicit scan', async () => {
    const uri = fileUri('.github/workflows/release.yml');
    const doc = await vscode.workspace.openTextDocument(uri);
    const editor = await vscode.window.showTextDocument(doc);
    const text = doc.getText();
    const at = text.indexOf('permissions: write-all');
    assert.ok(at >= 0);
    await editor.edit((b) => b.replace(new vscode.Range(doc.positionAt(at), doc.positionAt(at + 'permissions: write-all'.length)), 'permissions:\n  contents: read'));
    assert.ok(doc.isDirty);
    await vscode.commands.executeCommand('steward.scan');
    assert.deepEqual(await permissionFindings(), ['ci.yml:9']);
    // Put the file back the way it was on disk for any later suite.
    await vscode.commands.executeCommand('workbench.action.files.revert');
    await vscode.commands.executeCommand('steward.scan');
    assert.deepEqual(await permissionFindings(), ['ci.yml:9', 'release.yml:7']);
  });
});
