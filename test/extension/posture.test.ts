import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { CATEGORY_TITLES, CATEGORIES } from '../../src/core/model';
import { checkId, children, groupChecks, stewardApi } from './support';

describe('Posture view on the demo repository', () => {
  before(async () => {
    const api = await stewardApi();
    await vscode.commands.executeCommand('steward.scan');
    assert.ok(api.posture.folders()[0]?.scan, 'a scan result exists after steward.scan');
  });

  it('shows Essentials first, then the categories in their fixed order', async () => {
    const api = await stewardApi();
    const top = await children(api);
    assert.equal(top[0].label, 'Essentials');
    assert.equal(top[0].icon, 'star-full');
    const cats = top.slice(1).map((r) => r.label);
    const order = CATEGORIES.map((c) => CATEGORY_TITLES[c]);
    assert.deepEqual(cats, order.filter((t) => cats.includes(t)), 'categories keep their declared order');
    assert.ok(cats.includes('Reporting & policy') && cats.includes('Workflows'), JSON.stringify(cats));
  });

  it('lists the essential checks with their real statuses and reasons', async () => {
    const api = await stewardApi();
    const rows = await groupChecks(api, 'Essentials');
    const byId = new Map(rows.map((r) => [checkId(r), r]));
    const policy = byId.get('missing-security-policy');
    assert.ok(policy, 'missing-security-policy is an Essential');
    assert.equal(policy.label, 'Security policy (SECURITY.md)');
    assert.equal(policy.icon, 'close');
    assert.equal(policy.color, 'testing.iconFailed');
    assert.equal(policy.description, 'No SECURITY.md at the root, in .github/ or in docs/');
    const pinned = byId.get('unpinned-actions');
    assert.ok(pinned);
    assert.equal(pinned.description, '5 findings in 3 files');
    assert.equal(pinned.contextValue, 'check.fail');
    const perms = byId.get('excessive-permissions');
    assert.ok(perms);
    assert.equal(perms.description, '3 findings in 3 files');
    // Failing checks sort before passing ones.
    const statuses = rows.map((r) => (r.node.kind === 'check' ? r.node.row.result.status : ''));
    assert.deepEqual(statuses, [...statuses].sort((a, b) => Number(b === 'fail') - Number(a === 'fail')));
  });

  it('shows passing checks with the passed colour inside their category', async () => {
    const api = await stewardApi();
    const rows = await groupChecks(api, 'Workflows');
    const parse = rows.find((r) => checkId(r) === 'unparseable-file');
    assert.ok(parse);
    assert.equal(parse.icon, 'pass');
    assert.equal(parse.color, 'testing.iconPassed');
    assert.equal(parse.description, 'No problems in 3 files');
  });

  it('has one child per finding, pointing at the exact location', async () => {
    const api = await stewardApi();
    const rows = await groupChecks(api, 'Workflows');
    const perms = rows.find((r) => checkId(r) === 'excessive-permissions');
    assert.ok(perms);
    const findings = await children(api, perms.node);
    assert.deepEqual(
      findings.map((f) => f.description),
      ['ci.yml:9', 'greet.yml:8', 'release.yml:7'],
    );
    assert.match(findings[2].label, /write-all/);
    assert.equal(findings[2].icon, 'error', 'high severity shows as an error');
    assert.equal(findings[0].icon, 'warning', 'medium severity shows as a warning');
    const item = api.view.tree.getTreeItem(findings[0].node);
    assert.equal(item.command?.command, 'steward.goToLocation');
    await vscode.commands.executeCommand(item.command.command, ...(item.command.arguments ?? []));
    const ed = vscode.window.activeTextEditor;
    assert.ok(ed);
    assert.match(ed.document.uri.path, /\.github\/workflows\/ci\.yml$/);
    assert.deepEqual([ed.selection.start.line, ed.selection.start.character, ed.selection.end.character], [8, 2, 6]);
  });

  it('puts the Essentials score in the view description and the status bar', async () => {
    const api = await stewardApi();
    const scan = api.posture.folders()[0].scan!;
    const ess = scan.results.filter((r) => ['missing-security-policy', 'unpinned-actions', 'excessive-permissions'].includes(r.checkId));
    assert.equal(ess.length, 3);
    assert.ok(ess.every((r) => r.status === 'fail'));
    const s = api.view.tree.score();
    assert.ok(s.total >= 3, `at least the three foundation essentials count (${s.total})`);
    assert.equal(api.view.treeView.description, `Essentials ${s.passed}/${s.total}`);
    assert.equal(api.view.statusBar.text, `$(shield) ${s.passed}/${s.total}`);
    assert.ok((api.view.treeView.badge?.value ?? 0) >= 3, 'badge counts failing checks');
  });
});
