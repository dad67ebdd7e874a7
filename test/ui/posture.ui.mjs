// UI test: the Steward activity-bar container opens the Posture view on the demo repository; the tree
// shows Essentials first and the categories with real statuses; the view description shows the score.
// Screenshots: test-results/posture-dark.png, test-results/posture-light.png.
import { check, finish, openFile, openStewardView, openWorkbench, screenshot, treeRows, widenSideBar } from './lib.mjs';

for (const theme of ['dark', 'light']) {
  const wb = await openWorkbench({ name: `posture-${theme}`, theme });
  try {
    const pane = await openStewardView(wb.page);
    // Wait for the scan result (the tree shows "Scanning…" until then).
    await pane.locator('.monaco-list-row', { hasText: 'Security policy (SECURITY.md)' }).first().waitFor({ timeout: 30_000 });
    const rows = await treeRows(pane);
    console.log(rows.map((r) => `${'  '.repeat(r.level - 1)}[${r.icon}] ${r.label} — ${r.description}`).join('\n'));
    const top = rows.filter((r) => r.level === 1).map((r) => r.label);
    check(top[0] === 'Essentials', `Essentials is the first group (${theme})`);
    check(top.includes('Reporting & policy') && top.includes('Workflows'), `category groups shown: ${top.join(', ')}`);
    const policy = rows.find((r) => r.label === 'Security policy (SECURITY.md)');
    check(policy?.icon === 'close' && policy.description === 'No SECURITY.md at the root, in .github/ or in docs/', 'SECURITY.md check fails with its reason');
    const pinned = rows.find((r) => r.label === 'Actions pinned to a commit SHA');
    check(pinned?.icon === 'close' && pinned.description === '5 findings in 3 files', 'pinning check fails with 5 findings');
    const parse = rows.find((r) => r.label === 'Files that cannot be read or parsed');
    check(parse?.icon === 'pass', 'parse check passes');
    const header = (await pane.locator('.pane-header').first().innerText()).replace(/\s+/g, ' ');
    check(/Essentials \d+\/\d+/.test(header), `view description shows the Essentials score: "${header}"`);
    const message = (await pane.locator('.message').first().innerText().catch(() => '')).trim();
    check(/^Essentials \d+\/\d+ pass · \d+ failing checks · \d+ findings$/.test(message), `summary line at the top of the tree: "${message}"`);
    const status = wb.page.locator('.statusbar-item', { hasText: /\d+\/\d+/ }).first();
    check((await status.count()) === 1, 'status bar shows the score');
    // A workflow next to the tree shows the same findings as squiggles.
    await openFile(wb.page, '.github/workflows/release.yml');
    await widenSideBar(wb.page);
    await screenshot(wb.page, `posture-${theme}.png`);
  } catch (e) {
    check(false, `posture view (${theme}): ${e.message}`);
    await screenshot(wb.page, `posture-${theme}-failure.png`).catch(() => {});
  } finally {
    await wb.close();
  }
}
finish('posture.ui');
