// UI test: the Posture view on the demo repository at the default side bar width, in dark and light.
// Before the view is opened, the start-up scan already fills the status bar and the Problems panel.
// The tree: Essentials first and open with the failing ones on top, categories closed with their
// counts, passing checks folded into one "N passing" row, short row descriptions, no raw backticks.
// Screenshots: test-results/posture-{dark,light}.png (also copied into the walkthrough by
// scripts/walkthrough-images.sh).
import { check, finish, openFile, openStewardView, openWorkbench, screenshot, screenshotOf, treeRows, slow } from './lib.mjs';

for (const theme of ['dark', 'light']) {
  const wb = await openWorkbench({ name: `posture-${theme}`, theme });
  const { page } = wb;
  try {
    // Start-up scan: no view opened yet, the status bar shows the score.
    const status = page.locator('.statusbar-item', { hasText: /\d+\/\d+/ }).first();
    await status.waitFor({ timeout: slow(40_000) });
    check((await status.count()) === 1, `status bar shows the score before the view is opened (${theme})`);
    const label = (await status.getAttribute('aria-label')) ?? (await status.locator('a').first().getAttribute('aria-label')) ?? '';
    check(/Essentials \d+ of \d+ pass/.test(label), `the status bar item reads its score in words: "${label}"`);

    const pane = await openStewardView(page);
    await pane.locator('.monaco-list-row', { hasText: 'Dependency updates' }).first().waitFor({ timeout: slow(30_000) });
    const sidebar = await page.locator('.part.sidebar').boundingBox();
    check(sidebar && sidebar.width < 320, `default side bar width (${sidebar?.width}px)`);
    const rows = await treeRows(pane);
    console.log(rows.map((r) => `${'  '.repeat(r.level - 1)}[${r.icon}] ${r.label} — ${r.description} (${r.expanded})`).join('\n'));
    const top = rows.filter((r) => r.level === 1);
    check(top[0]?.label === 'Essentials' && top[0].expanded === 'true', `Essentials is first and open (${theme})`);
    check(/^\d+ of \d+ pass/.test(top[0]?.description ?? ''), `Essentials shows its score: "${top[0]?.description}"`);
    check(top.slice(1).every((r) => r.expanded === 'false'), `categories are closed: ${top.slice(1).map((r) => `${r.label} (${r.expanded})`).join(', ')}`);
    check(top.slice(1).every((r) => /^(\d+ (failing|broken|unknown|passing)( · )?)+$|^not applicable$/.test(r.description)), `categories show counts: ${top.slice(1).map((r) => r.description).join(' | ')}`);
    const ess = rows.filter((r) => r.level === 2);
    const policy = ess.find((r) => r.label === 'Dependency updates');
    check(policy?.icon === 'close' && policy.description === 'fails', `Dependency updates Essential fails: ${JSON.stringify(policy)}`);
    const pinned = ess.find((r) => r.label === 'Actions pinned to SHAs');
    check(pinned?.icon === 'close' && pinned.description === '5 findings', `pinning Essential: ${JSON.stringify(pinned)}`);
    const firstPass = ess.findIndex((r) => /^\d+ passing$/.test(r.label));
    check(firstPass > 0 && ess.slice(0, firstPass).every((r) => r.icon !== 'pass'), 'failing Essentials on top, passing ones folded into "N passing"');
    // What a screen reader hears: the rows' aria-labels carry the score and each check's state.
    const aria = await pane.locator('.monaco-list-row').evaluateAll((els) => els.map((e) => e.getAttribute('aria-label') ?? ''));
    check(aria.some((a) => /^Essentials: \d+ of \d+ pass/.test(a)), `the Essentials row reads its score: ${JSON.stringify(aria[0])}`);
    check(aria.some((a) => /^Dependencies kept up to date \(Dependabot or Renovate\): Fail/.test(a)), 'a failing check reads its state and full title');
    check(aria.every((a) => !a.includes('`')), 'no backticks read out');
    check(rows.length <= 20, `the view is short: ${rows.length} rows`);
    check(rows.every((r) => !r.label.includes('`') && !r.description.includes('`')), 'no raw backticks in the tree');
    // Row text fits the default width: nothing is cut with an ellipsis in the Essentials.
    const cut = await pane.locator('.monaco-list-row[aria-level="2"] .label-description').evaluateAll((els) => els.filter((e) => e.scrollWidth > e.clientWidth + 1).map((e) => e.textContent));
    check(cut.length === 0, `descriptions are not cut: ${JSON.stringify(cut)}`);
    const message = (await pane.locator('.message').first().innerText().catch(() => '')).trim();
    check(/^Essentials \d+ of \d+ pass/.test(message) && !message.includes('`'), `summary line at the top of the tree: "${message}"`);
    await screenshot(page, `posture-${theme}.png`);
    await screenshotOf(page, '.part.sidebar', `walkthrough-posture-${theme}.png`);

    // Problems: plain text, no backticks.
    await openFile(page, '.github/workflows/greet.yml');
    await page.keyboard.press('Control+Shift+M');
    const problems = page.locator('.markers-panel .monaco-list-row');
    await problems.first().waitFor({ timeout: slow(20_000) });
    const texts = await problems.allInnerTexts();
    check(texts.some((t) => t.includes('‘${{ github.event.issue.title }}’ pastes the issue title')), 'Problems shows the injection finding as plain text');
    check(texts.every((t) => !t.includes('`')), 'no raw backticks in the Problems panel');
    await screenshot(page, `problems-${theme}.png`);
  } catch (e) {
    check(false, `posture view (${theme}): ${e.message.split('\n')[0]}`);
    await screenshot(page, `posture-${theme}-failure.png`).catch(() => {});
  } finally {
    await wb.close();
  }
}
finish('posture.ui');
