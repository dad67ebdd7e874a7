// UI test: `Steward: Generate SECURITY.md` in a real workbench on the demo repository — the multi-step
// QuickPick/InputBox with its step counter and Back button, the preview of the generated file with the
// modal "Write SECURITY.md?" confirmation, the file on disk (then opened), and the Posture tree turning
// to pass; every question has its own step number. Dark and light.
// Screenshots: test-results/securitymd-{step,last-step,preview,written}-{dark,light}.png.
import fs from 'node:fs';
import path from 'node:path';
import { check, finish, openStewardView, openWorkbench, runCommand, screenshot, treeRows, slow } from './lib.mjs';

for (const theme of ['dark', 'light']) {
const wb = await openWorkbench({ name: `securitymd-${theme}`, theme });
const { page } = wb;
const widget = page.locator('.quick-input-widget');
const title = widget.locator('.quick-input-title');

/** Waits until the quick input shows step `n` of `total` (VS Code writes "(n/total)" after the title). */
async function atStep(n, total = 11) {
  await page.waitForFunction(
    ([want]) => document.querySelector('.quick-input-widget .quick-input-title')?.textContent?.includes(want),
    [`(${n}/${total})`],
    { timeout: slow(15_000) },
  );
}

try {
  const pane = await openStewardView(page);
  await pane.locator('.monaco-list-row', { hasText: 'Security policy' }).first().waitFor({ timeout: slow(30_000) });

  await runCommand(page, 'Steward: Generate SECURITY.md');
  // Ten questions while only private reporting is chosen; choosing E-mail adds the address step.
  await atStep(1, 10);
  check((await title.innerText()).startsWith('Generate SECURITY.md for steward-demo/demo-widget'), `wizard title: "${await title.innerText()}"`);
  // Step 1 (multi-select): private reporting (from the GitHub remote) is pre-selected; the author's
  // address is not proposed as the security contact, so the test adds E-mail itself.
  const rows = await widget.locator('.quick-input-list .monaco-list-row').allInnerTexts();
  check(rows.some((r) => r.includes('GitHub private vulnerability reporting')) && rows.some((r) => r.includes('E-mail')), 'channels offered');
  check(rows.every((r) => !r.includes('`')), 'no raw backticks in the picker');
  await widget.locator('.quick-input-list .monaco-list-row', { hasText: 'E-mail' }).first().click();
  await page.waitForTimeout(200);
  const count = (await widget.locator('.quick-input-count').innerText()).trim();
  check(/2 Selected/i.test(count), `two channels selected (${count})`);
  await page.keyboard.press('Enter');
  // Step 2: the address.
  await atStep(2);
  const input = widget.locator('input.input').first();
  await input.fill('security@demo-widget.example');
  await page.keyboard.press('Enter');
  // Step 3: response times, pre-selected; the Back button is there from step 2 on.
  await atStep(3);
  const backButton = widget.locator('.quick-input-left-action-bar .action-label, .quick-input-titlebar .codicon-quick-input-back').first();
  check((await backButton.count()) === 1 && (await backButton.isVisible()), 'Back button in the title bar');
  await screenshot(page, `securitymd-step-${theme}.png`);
  // Back to step 2 and forward again: the address is kept.
  await backButton.click();
  await atStep(2);
  check((await input.inputValue()) === 'security@demo-widget.example', 'Back keeps the typed address');
  await page.keyboard.press('Enter');
  // Steps 3..11 keep their proposed answers; every question has its own number.
  for (let n = 3; n <= 11; n++) {
    await atStep(n);
    if (n === 7) check((await widget.innerText()).includes('what is NOT a vulnerability'), 'the second scope question is step 7 of 11');
    if (n === 11) await screenshot(page, `securitymd-last-step-${theme}.png`);
    await page.waitForTimeout(150);
    await page.keyboard.press('Enter');
  }
  // Preview of the new file and the modal confirmation.
  const dialog = page.locator('.monaco-dialog-box');
  await dialog.waitFor({ timeout: slow(15_000) });
  check((await dialog.innerText()).includes('Write SECURITY.md?'), 'modal asks before writing');
  await page.locator('.monaco-editor .view-lines', { hasText: 'Security policy' }).first().waitFor({ timeout: slow(10_000) });
  await screenshot(page, `securitymd-preview-${theme}.png`);
  await dialog.locator('.monaco-button', { hasText: 'Write SECURITY.md' }).first().click();

  const file = path.join(wb.folder, 'SECURITY.md');
  for (const end = Date.now() + slow(10_000); Date.now() < end && !fs.existsSync(file); ) await page.waitForTimeout(100);
  const text = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
  check(text.includes('- **By e-mail:** write to [security@demo-widget.example](mailto:security@demo-widget.example).'), 'SECURITY.md written with the e-mail channel');
  check(text.includes('[open a private vulnerability report](https://github.com/steward-demo/demo-widget/security/advisories/new)'), 'and the private reporting link');
  check(text.includes('for up to 90 days after your report'), 'coordinated disclosure with the 90-day default');
  // The tree follows: the policy check passes.
  // The policy Essential passes and moves into the folded "N passing" row.
  const fold = pane.locator('.monaco-list-row[aria-level="2"]', { hasText: '2 passing' });
  await fold.waitFor({ timeout: slow(20_000) });
  await fold.locator('.monaco-tl-twistie').click();
  let policy;
  for (const end = Date.now() + slow(15_000); Date.now() < end; ) {
    policy = (await treeRows(pane)).find((r) => r.label === 'Security policy');
    if (policy?.icon === 'pass') break;
    await page.waitForTimeout(250);
  }
  check(policy?.icon === 'pass', `Posture shows the security policy check passing (${policy?.icon})`);
  // The written file is opened in an editor.
  const tab = page.locator('.tabs-container .tab', { hasText: 'SECURITY.md' });
  await tab.first().waitFor({ timeout: slow(10_000) }).catch(() => {});
  check((await tab.count()) >= 1, 'SECURITY.md is opened after writing');
  await screenshot(page, `securitymd-written-${theme}.png`);
} catch (e) {
  check(false, `SECURITY.md wizard: ${e.message}`);
  await screenshot(page, `securitymd-failure-${theme}.png`).catch(() => {});
} finally {
  await wb.close();
}
}
finish('securityMd.ui');
