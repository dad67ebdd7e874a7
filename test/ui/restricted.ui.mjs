// UI test: in Restricted Mode (workspace trust on, folder not trusted) Steward still scans and shows
// findings, says why fixes are off, and offers no action that writes: no inline Fix or Ignore, no
// writing command in the Command Palette, and a command run anyway (through a keybinding, which
// ignores menus) is refused by its handler with a message while no file in the folder changes.
// Screenshot: test-results/restricted-dark.png.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { check, finish, notifications, openStewardView, openWorkbench, paletteEntries, screenshot, treeRows, widenSideBar, slow } from './lib.mjs';

/** A hash of every file under `dir` (names and contents), .git aside. */
function treeHash(dir) {
  const h = crypto.createHash('sha256');
  const walk = (d) => {
    for (const name of fs.readdirSync(d).sort()) {
      if (name === '.git') continue;
      const p = path.join(d, name);
      const st = fs.lstatSync(p);
      h.update(path.relative(dir, p) + '\0');
      if (st.isDirectory()) walk(p);
      else h.update(fs.readFileSync(p));
    }
  };
  walk(dir);
  return h.digest('hex');
}

const wb = await openWorkbench({
  name: 'restricted',
  trust: true,
  settings: { 'security.workspace.trust.startupPrompt': 'never', 'security.workspace.trust.banner': 'never' },
  keybindings: [
    { key: 'ctrl+alt+shift+i', command: 'steward.ignore' },
    { key: 'ctrl+alt+shift+g', command: 'steward.generateSecurityMd' },
  ],
});
const { page } = wb;
try {
  const pane = await openStewardView(page);
  await widenSideBar(page);
  const banner = pane.locator('.monaco-list-row', { hasText: 'Restricted Mode: showing findings only' });
  await banner.waitFor({ timeout: slow(20_000) });
  const rows = await treeRows(pane);
  check(rows[0].label === 'Restricted Mode: showing findings only' && rows[0].icon === 'shield', 'the first row explains Restricted Mode');
  check(/no fixes, git or network/.test(rows[0].description), `it says what is off: "${rows[0].description}"`);
  check(rows.some((r) => r.label === 'Essentials') && rows.some((r) => r.icon === 'close'), 'findings are still shown');
  // A finding that has a fix in a trusted workspace shows no Fix action here.
  const injection = pane.locator('.monaco-list-row[aria-level="2"]', { hasText: 'Script injection' }).last();
  await injection.locator('.monaco-tl-twistie').click();
  const finding = pane.locator('.monaco-list-row[aria-level="3"]', { hasText: 'github.event.issue.title' }).first();
  await finding.hover();
  await finding.locator('.actions .action-label[aria-label^="Explain"]').waitFor({ timeout: slow(10_000) });
  check((await finding.locator('.actions .action-label[aria-label^="Apply this fix"]').count()) === 0, 'no inline Fix in Restricted Mode');
  check((await finding.locator('.actions .action-label[aria-label^="Ignore"]').count()) === 0, 'no inline Ignore in Restricted Mode');
  // The context menu of the finding: Explain and Go to location, nothing that writes.
  await finding.click({ button: 'right' });
  const menu = page.locator('.context-view .monaco-menu');
  await menu.waitFor({ timeout: slow(10_000) });
  const items = (await menu.locator('.action-label').allInnerTexts()).map((t) => t.trim()).filter(Boolean);
  check(items.includes('Explain') && !items.some((t) => /Ignore|Apply/.test(t)), `context menu without writing entries: ${JSON.stringify(items)}`);
  await page.keyboard.press('Escape');
  await page.mouse.move(900, 600);
  await screenshot(page, 'restricted-dark.png');

  const palette = await paletteEntries(page, 'Steward:');
  check(palette.some((t) => t.includes('Scan workspace')), `the palette still offers reading commands (${palette.length} entries)`);
  const writing = palette.filter((t) => /Ignore finding|Apply this fix|Review fixes|Generate|Prepare security/.test(t));
  check(writing.length === 0, `no writing command in the palette: ${JSON.stringify(writing)}`);

  // Run the writing commands anyway: the handlers refuse, and nothing in the folder changes.
  const before = treeHash(wb.folder);
  await page.locator('.part.editor').click({ position: { x: 300, y: 300 } });
  await page.keyboard.press('Control+Alt+Shift+I');
  await page.waitForTimeout(800);
  await page.keyboard.press('Escape');
  await page.keyboard.press('Control+Alt+Shift+G');
  await page.waitForTimeout(800);
  await page.keyboard.press('Escape');
  const notes = await notifications(page);
  check(notes.some((t) => t.includes('Ignore finding is off in Restricted Mode')), `Ignore is refused with a message: ${JSON.stringify(notes)}`);
  check(notes.some((t) => t.includes('Generate SECURITY.md is off in Restricted Mode')), 'Generate SECURITY.md is refused with a message');
  check(!fs.existsSync(path.join(wb.folder, '.github/steward.yml')) && !fs.existsSync(path.join(wb.folder, 'SECURITY.md')), 'no steward.yml and no SECURITY.md were written');
  check(treeHash(wb.folder) === before, 'no file in the folder changed');
} catch (e) {
  check(false, `restricted mode: ${e.message.split('\n')[0]}`);
  await screenshot(page, 'restricted-failure.png').catch(() => {});
} finally {
  await wb.close();
}
finish('restricted.ui');
