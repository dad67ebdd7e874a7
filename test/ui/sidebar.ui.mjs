// UI test: the sidebar's actions in a real workbench, in the default dark and light themes.
// - inline Fix on a finding turns its check to pass,
// - inline Explain opens the Explain webview (docs, context, diff, Apply button),
// - the failing-only filter in the view title hides passing checks.
// Screenshots: test-results/explain-<theme>.png, fixed-<theme>.png, filtered-<theme>.png.
import { check, finish, openStewardView, openWorkbench, screenshot, screenshotOf, treeRows, slow } from './lib.mjs';

const INJECTION = 'Script injection';

async function row(pane, label, nth = 0) {
  const r = pane.locator('.monaco-list-row', { hasText: label }).nth(nth);
  await r.waitFor({ timeout: slow(20_000) });
  return r;
}

async function inlineAction(rowLocator, title) {
  await rowLocator.hover();
  const a = rowLocator.locator(`.actions .action-label[aria-label^="${title}"]`);
  await a.waitFor({ timeout: slow(10_000) });
  return a;
}

for (const theme of ['dark', 'light']) {
  const wb = await openWorkbench({ name: `sidebar-${theme}`, theme });
  const { page } = wb;
  try {
    // The default sidebar width: the walkthrough images below show the view as a new user sees it.
    const pane = await openStewardView(page);
    await row(pane, INJECTION);

    // Explain from the check's inline action: the webview shows docs, the finding and the diff.
    // The check is an Essential, listed once (not again under Workflows).
    const checkRow = await row(pane, INJECTION, 0);
    check((await pane.locator('.monaco-list-row', { hasText: INJECTION }).count()) === 1, 'the Essential is listed once');
    await checkRow.locator('.monaco-tl-twistie').click();
    const findingRow = pane.locator('.monaco-list-row[aria-level="3"]', { hasText: 'github.event.issue.title' }).first();
    await findingRow.waitFor({ timeout: slow(20_000) });
    await (await inlineAction(findingRow, 'Explain')).click();
    const frame = page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');
    await frame.locator('h1').waitFor({ timeout: slow(20_000) });
    check((await frame.locator('h1').innerText()) === 'No untrusted text pasted into scripts', 'Explain view shows the check title');
    check((await frame.locator('pre.context .line.hit').count()) >= 1, 'Explain view shows the finding in context');
    check((await frame.locator('pre.diff .add').count()) >= 1, 'Explain view shows the proposed diff');
    check((await frame.locator('button[data-action="apply"]').count()) === 1, 'Explain view offers Apply fix');
    await page.mouse.move(900, 700);
    await screenshot(page, `explain-${theme}.png`);
    await screenshotOf(page, '.part.editor', `walkthrough-explain-${theme}.png`);

    // Apply the fix from the finding's inline action: the check turns green.
    await (await inlineAction(findingRow, 'Apply this fix')).click();
    // A passing Essential moves into the folded "2 passing" row.
    const fold = pane.locator('.monaco-list-row[aria-level="2"]', { hasText: '2 passing' });
    await fold.waitFor({ timeout: slow(20_000) });
    await fold.locator('.monaco-tl-twistie').click();
    await pane.locator('.monaco-list-row[aria-level="3"]', { hasText: INJECTION }).first().waitFor({ timeout: slow(10_000) });
    const rows = await treeRows(pane);
    const after = rows.filter((r) => r.label === INJECTION);
    check(after.length === 1 && after[0].icon === 'pass' && after[0].level === 3, `after Fix the check passes, folded under "2 passing": ${JSON.stringify(after)}`);
    await frame.locator('.status-pass').waitFor({ timeout: slow(10_000) });
    check(true, 'the Explain view followed the fix (status Pass)');
    await screenshot(page, `fixed-${theme}.png`);
    await screenshotOf(page, '.part.sidebar', `walkthrough-fixed-${theme}.png`);

    // Failing-only filter from the view title.
    await pane.hover();
    await page.locator('.pane-header .action-label[aria-label^="Show failing checks only"], .title-actions .action-label[aria-label^="Show failing checks only"]').first().click();
    await page.locator('.action-label[aria-label^="Show all checks"]').first().waitFor({ timeout: slow(10_000) });
    // The title button flips with the context key before the tree has re-rendered: poll the rows.
    let filtered = await treeRows(pane);
    for (let i = 0; i < 50 && filtered.some((r) => r.level === 2 && r.icon === 'pass'); i++) {
      await page.waitForTimeout(100);
      filtered = await treeRows(pane);
    }
    check(filtered.length > 0 && !filtered.some((r) => r.level === 2 && r.icon === 'pass'), 'filter hides passing checks');
    await screenshot(page, `filtered-${theme}.png`);
    await page.locator('.action-label[aria-label^="Show all checks"]').first().click();
  } catch (e) {
    check(false, `sidebar (${theme}): ${e.message.split('\n')[0]}`);
    await screenshot(page, `sidebar-${theme}-failure.png`).catch(() => {});
  } finally {
    await wb.close();
  }
}
finish('sidebar.ui');
