import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { fileUri, stewardApi } from './support';

function summary(d: vscode.Diagnostic): string {
  const code = typeof d.code === 'object' ? String(d.code.value) : String(d.code);
  return `${code}@${d.range.start.line + 1}:${d.range.start.character + 1}:${vscode.DiagnosticSeverity[d.severity]}`;
}

describe('Problems panel', () => {
  before(async () => {
    await stewardApi();
    await vscode.commands.executeCommand('steward.scan');
  });

  it('publishes findings of ci.yml with rule ids, 1-based positions and severities', () => {
    const diags = vscode.languages.getDiagnostics(fileUri('.github/workflows/ci.yml')).filter((d) => d.source === 'Steward');
    const got = diags.map(summary);
    for (const want of ['excessive-permissions@9:3:Warning', 'unpinned-actions@12:15:Information', 'unpinned-actions@13:15:Information']) {
      assert.ok(got.includes(want), `${want} in ${JSON.stringify(got)}`);
    }
  });

  it('links each diagnostic code to the rule documentation', () => {
    const d = vscode.languages.getDiagnostics(fileUri('.github/workflows/release.yml')).find((x) => x.source === 'Steward' && typeof x.code === 'object' && x.code.value === 'excessive-permissions');
    assert.ok(d);
    assert.equal(d.severity, vscode.DiagnosticSeverity.Error, 'write-all is high severity');
    assert.equal(d.range.start.line, 6);
    assert.ok(typeof d.code === 'object');
    assert.equal(d.code.target.toString(), 'https://github.com/steward-oss/steward/blob/main/docs/rules/excessive-permissions.md');
    assert.match(d.message, /write-all/);
  });

  it('reports nothing for files without findings', () => {
    assert.deepEqual(vscode.languages.getDiagnostics(fileUri('index.js')).filter((d) => d.source === 'Steward'), []);
  });
});
