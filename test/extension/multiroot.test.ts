import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { checkId, children, stewardApi, unfold } from './support';

// Runs when the workspace has several folders (run-vscode-tests.sh opens demo-repo, notes and
// second-repo; only the two repositories get a subtree, and second-repo has a SECURITY.md).
describe('Multi-root workspace', () => {
  before(async () => {
    await stewardApi();
    await vscode.commands.executeCommand('steward.scan');
  });

  it('shows one subtree per folder that is a repository, in workspace order', async () => {
    const api = await stewardApi();
    const top = await children(api);
    const folders = top.filter((r) => r.node.kind === 'folder');
    assert.deepEqual(folders.map((r) => r.label), ['demo-repo', 'second-repo']);
    for (const f of folders) {
      assert.equal(f.icon, 'repo');
      assert.match(f.description, /^Essentials \d+\/\d+$/);
      const groups = await children(api, f.node);
      assert.equal(groups[0].label, 'Essentials');
    }
  });

  it('keeps each repository’s own results', async () => {
    const api = await stewardApi();
    const status = async (folder: string) => {
      const f = (await children(api)).find((r) => r.label === folder)!;
      const ess = (await children(api, f.node)).find((r) => r.label === 'Essentials')!;
      const row = (await unfold(api, await children(api, ess.node))).find((r) => checkId(r) === 'missing-security-policy');
      return row?.icon;
    };
    // Without its own SECURITY.md the policy may come from the owner's .github repository, which offline is unknown.
    assert.equal(await status('demo-repo'), 'question');
    assert.equal(await status('second-repo'), 'pass');
    const demo = api.posture.folders().find((s) => s.folder.name === 'demo-repo')!.scan!;
    const second = api.posture.folders().find((s) => s.folder.name === 'second-repo')!.scan!;
    assert.equal(demo.results.length, second.results.length, 'every check ran in both');
    assert.equal(demo.root?.endsWith('/demo-repo'), true);
    assert.equal(second.root?.endsWith('/second-repo'), true);
    assert.ok(!second.findings.some((f) => f.ruleId === 'missing-security-policy' && !f.suppressed));
    // The view's score adds both repositories up.
    const s = api.view.tree.score();
    assert.equal(api.view.treeView.description, `Essentials ${s.passed}/${s.checked}`);
  });

  it('publishes diagnostics for the files of both repositories', () => {
    for (const folder of vscode.workspace.workspaceFolders!.filter((f) => f.name !== 'notes')) {
      const uri = vscode.Uri.joinPath(folder.uri, '.github/workflows/ci.yml');
      const codes = vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'Steward').map((d) => (typeof d.code === 'object' ? d.code.value : d.code));
      assert.ok(codes.includes('unpinned-actions'), `${folder.name}: ${JSON.stringify(codes)}`);
    }
  });
});
