// UI test: in Restricted Mode (workspace trust on, folder not trusted) Steward still scans and shows
// findings, says why fixes are off, and offers no Fix action. Screenshot: test-results/restricted-dark.png.
import { check, finish, openStewardView, openWorkbench, screenshot, treeRows, widenSideBar } from './lib.mjs';

const wb = await openWorkbench({
  name: 'restricted',
  trust: true,
  settings: { 'security.workspace.trust.startupPrompt': 'never', 'security.workspace.trust.banner': 'never' },
});
const { page } = wb;
try {
  const pane = await openStewardView(page);
  await widenSideBar(page);
  const banner = pane.locator('.monaco-list-row', { hasText: 'Restricted Mode: showing findings only' });
  await banner.waitFor({ timeout: 20_000 });
  const rows = await treeRows(pane);
  check(rows[0].label === 'Restricted Mode: showing findings only' && rows[0].icon === 'shield', 'the first row explains Restricted Mode');
  check(/no fixes, git or network/.test(rows[0].description), `it says what is off: "${rows[0].description}"`);
  check(rows.some((r) => r.label === 'Essentials') && rows.some((r) => r.icon === 'close'), 'findings are still shown');
  // A finding that has a fix in a trusted workspace shows no Fix action here.
  const injection = pane.locator('.monaco-list-row[aria-level="2"]', { hasText: 'No untrusted text pasted into scripts' }).last();
  await injection.locator('.monaco-tl-twistie').click();
  const finding = pane.locator('.monaco-list-row[aria-level="3"]', { hasText: 'github.event.issue.title' }).first();
  await finding.hover();
  await finding.locator('.actions .action-label[aria-label^="Explain"]').waitFor({ timeout: 10_000 });
  check((await finding.locator('.actions .action-label[aria-label^="Apply fix"]').count()) === 0, 'no inline Fix in Restricted Mode');
  await page.mouse.move(900, 600);
  await screenshot(page, 'restricted-dark.png');
} catch (e) {
  check(false, `restricted mode: ${e.message.split('\n')[0]}`);
  await screenshot(page, 'restricted-failure.png').catch(() => {});
} finally {
  await wb.close();
}
finish('restricted.ui');
