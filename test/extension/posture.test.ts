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

  it('reads at a glance: Essentials open, categories closed with counts, passing checks folded, no Essential twice, no backticks', async () => {
    const api = await stewardApi();
    const top = await children(api);
    const state = (r: (typeof top)[number]) => api.view.tree.getTreeItem(r.node).collapsibleState;
    assert.equal(state(top[0]), vscode.TreeItemCollapsibleState.Expanded);
    assert.match(top[0].description, /^\d+ of \d+ pass/);
    for (const g of top.slice(1)) {
      assert.equal(state(g), vscode.TreeItemCollapsibleState.Collapsed, g.label);
      assert.match(g.description, /^(\d+ (failing|broken|unknown|passing)( · )?)+$|^not applicable$/, `${g.label}: ${g.description}`);
    }
    const ess = await children(api, top[0].node);
    const folds = ess.filter((r) => r.node.kind === 'fold');
    assert.ok(folds.some((r) => /^\d+ passing$/.test(r.label)), JSON.stringify(ess.map((r) => r.label)));
    assert.ok(ess.filter((r) => r.node.kind === 'check').every((r) => r.icon !== 'pass'), 'passing Essentials are folded');
    // Every row of the whole tree, unfolded: each Essential once, and no raw Markdown anywhere.
    const all: typeof top = [];
    const walk = async (rows: typeof top) => {
      for (const r of rows) {
        all.push(r);
        if (r.node.kind !== 'detail' && r.node.kind !== 'message') await walk(await children(api, r.node));
      }
    };
    await walk(top);
    const checks = all.filter((r) => r.node.kind === 'check').map(checkId);
    assert.equal(checks.length, new Set(checks).size, 'a check appears twice');
    assert.ok(checks.includes('unpinned-actions') && checks.includes('unparseable-file'));
    const withTicks = all.filter((r) => /`/.test(r.label + r.description));
    assert.deepEqual(withTicks.map((r) => r.label), []);
    const injection = all.find((r) => r.node.kind === 'finding' && r.node.finding.ruleId === 'template-injection')!;
    assert.match(injection.label, /^‘\$\{\{ github\.event\.issue\.title \}\}’ pastes the issue title into a ‘run:’ script/);
    const a11y = api.view.tree.getTreeItem(injection.node).accessibilityInformation?.label ?? '';
    assert.match(a11y, /^high severity: ‘\$\{\{ github\.event\.issue\.title \}\}’ pastes .*, \.github\/workflows\/greet\.yml line 13$/);
    // Informational checks are notes with an info icon, not red failures.
    const note = all.find((r) => checkId(r) === 'missing-static-analysis')!;
    assert.equal(note.icon, 'info');
  });

  it('lists the essential checks with their real statuses and reasons', async () => {
    const api = await stewardApi();
    const rows = await groupChecks(api, 'Essentials');
    const byId = new Map(rows.map((r) => [checkId(r), r]));
    const policy = byId.get('missing-dependency-updates');
    assert.ok(policy, 'missing-dependency-updates is an Essential');
    assert.equal(policy.label, 'Dependency updates');
    assert.equal(policy.icon, 'close');
    assert.equal(policy.color, 'testing.iconFailed');
    // The row says a short status; the reason is in the tooltip (and the screen reader label).
    assert.equal(policy.description, 'fails');
    const item = api.view.tree.getTreeItem(policy.node);
    assert.match((item.tooltip as vscode.MarkdownString).value, /No Dependabot or Renovate configuration/);
    assert.match(item.accessibilityInformation?.label ?? '', /^Dependencies kept up to date \(Dependabot or Renovate\): Fail, fails\. No Dependabot or Renovate configuration/);
    assert.equal(byId.get('missing-security-policy')?.icon, 'question', 'offline, an inherited policy cannot be checked');
    const pinned = byId.get('unpinned-actions');
    assert.ok(pinned);
    assert.equal(pinned.description, '5 findings');
    assert.equal(pinned.contextValue, 'check.fail');
    const perms = byId.get('excessive-permissions');
    assert.ok(perms);
    assert.equal(perms.description, '3 findings');
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
    assert.equal(parse.description, '');
  });

  it('has one child per finding, pointing at the exact location', async () => {
    const api = await stewardApi();
    const rows = await groupChecks(api, 'Essentials');
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
    const ess = scan.results.filter((r) => ['missing-dependency-updates', 'unpinned-actions', 'excessive-permissions'].includes(r.checkId));
    assert.equal(ess.length, 3);
    assert.ok(ess.every((r) => r.status === 'fail'));
    const s = api.view.tree.score();
    assert.ok(s.total >= 3, `at least the three foundation essentials count (${s.total})`);
    assert.equal(api.view.treeView.description, `Essentials ${s.passed}/${s.checked}`);
    assert.equal(api.view.statusBar.text, `$(shield) ${s.passed}/${s.checked}`);
    assert.match(api.view.statusBar.accessibilityInformation?.label ?? '', /^Steward security posture: Essentials \d+ of \d+ pass/);
    assert.ok((api.view.treeView.badge?.value ?? 0) >= 3, 'badge counts failing checks');
  });
});
