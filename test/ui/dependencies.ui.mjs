// UI test: the Dependencies view. With the survey's local world (registries and GitHub stand-ins on
// 127.0.0.1, run by test/ui/survey-world.ts), "Steward: Survey dependencies" fills the view with the
// ranked list; in Restricted Mode the same command only lists the lockfiles' dependencies and says
// why, with no request to any server. Screenshots: test-results/dependencies-dark.png,
// test-results/dependencies-restricted-dark.png.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../harness/browser.mjs';
import { check, finish, openWorkbench, runCommand, screenshot, slow, treeRows, widenSideBar } from './lib.mjs';

function dependenciesPane(page) {
  return page.locator('.pane').filter({ has: page.locator('.pane-header', { hasText: /Dependencies/i }) });
}

/** Starts the local world; copies the scenario's lockfiles into `folder`; resolves with its URLs. */
function startWorld(folder) {
  const child = spawn(path.join(PROJECT_ROOT, 'node_modules/.bin/tsx'), [path.join(PROJECT_ROOT, 'test/ui/survey-world.ts'), folder], { stdio: ['pipe', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (b) => {
      out += b;
      const nl = out.indexOf('\n');
      if (nl >= 0) resolve({ child, urls: JSON.parse(out.slice(0, nl)) });
    });
    child.on('exit', (code) => reject(new Error(`survey world exited (${code})`)));
  });
}

async function surveyIn(wb, expectRow) {
  const { page } = wb;
  const tab = page.locator('.part.activitybar').getByRole('tab', { name: /Steward/ });
  await tab.waitFor({ timeout: slow(30_000) });
  await tab.click();
  await runCommand(page, 'Steward: Survey dependencies');
  const pane = dependenciesPane(page);
  await pane.locator('.monaco-list-row').first().waitFor({ timeout: slow(30_000) });
  await foldPosture(page);
  await widenSideBar(page);
  await pane.locator('.monaco-list-row', { hasText: expectRow }).first().waitFor({ timeout: slow(30_000) });
  return pane;
}

/** The Posture view above takes most of the side bar: fold it so the Dependencies rows all render. */
async function foldPosture(page) {
  const header = page.locator('.pane-header', { hasText: /Posture/i }).first();
  for (let i = 0; i < 10 && (await header.getAttribute('aria-expanded')) !== 'false'; i++) {
    await header.click();
    await page.waitForTimeout(300);
  }
}

// 1. Trusted: the survey against the local world.
{
  let world;
  let wb;
  try {
    // The world's lockfiles are copied into a folder first, then into the fixture once it is open
    // (the survey reads them when it runs).
    const drop = fs.mkdtempSync(path.join(process.env.STEWARD_RUN ?? '/tmp', 'survey-lockfiles-'));
    world = await startWorld(drop);
    // Registries come from the environment (as a company mirror would); GitHub from the setting.
    Object.assign(process.env, { STEWARD_NPM_REGISTRY: world.urls.npm, STEWARD_PYPI_URL: world.urls.pypi, STEWARD_CRATES_URL: world.urls.crates, STEWARD_GO_IMPORT_URL: world.urls.goImport });
    wb = await openWorkbench({ name: 'dependencies', settings: { 'steward.github.url': world.urls.github } });
    for (const f of fs.readdirSync(drop)) fs.copyFileSync(path.join(drop, f), path.join(wb.folder, f));
    fs.rmSync(drop, { recursive: true, force: true });
    const pane = await surveyIn(wb, '1. someone/left-pad');
    const rows = await treeRows(pane);
    check(rows[0]?.label === '1. someone/left-pad' && rows[0].description === 'personal account · 3 Essentials failing · 4 fixable', `the top row: ${JSON.stringify(rows[0])}`);
    check(rows.some((r) => r.label === '2. serde-rs/serde'), 'serde-rs/serde ranks second');
    check(rows.some((r) => r.label === 'Cannot take a contribution') && rows.some((r) => r.label === 'Repository not found'), 'archived/gone and unresolved sections');
    await pane.locator('.monaco-list-row', { hasText: '1. someone/left-pad' }).first().locator('.monaco-tl-twistie').click();
    await pane.locator('.monaco-list-row', { hasText: 'fails 3 of 6 Essentials' }).first().waitFor({ timeout: slow(10_000) });
    const open = await treeRows(pane);
    check(/^fails 3 of 6 Essentials/.test(open[1]?.label ?? ''), `the reason is the first child: "${open[1]?.label}"`);
    const top = pane.locator('.monaco-list-row', { hasText: '1. someone/left-pad' }).first();
    await top.hover();
    await top.locator('.actions .action-label[aria-label^="Prepare contribution"]').waitFor({ timeout: slow(10_000) });
    check((await top.locator('.actions .action-label[aria-label^="Open posture"]').count()) === 1, 'inline Open posture and Prepare contribution');
    await foldPosture(wb.page);
    await screenshot(wb.page, 'dependencies-dark.png');
    check(wb.consoleErrors.length === 0, `no page errors: ${JSON.stringify(wb.consoleErrors)}`);
  } catch (e) {
    check(false, `dependencies view: ${e.message.split('\n')[0]}`);
    if (wb) await screenshot(wb.page, 'dependencies-failure.png').catch(() => {});
  } finally {
    await wb?.close().catch(() => {});
    world?.child.stdin.end();
  }
}

// 2. Restricted Mode: only the lockfiles are read.
{
  let wb;
  try {
    wb = await openWorkbench({ name: 'dependencies-restricted', trust: true, settings: { 'security.workspace.trust.startupPrompt': 'never', 'security.workspace.trust.banner': 'never' } });
    fs.writeFileSync(path.join(wb.folder, 'package-lock.json'), JSON.stringify({ name: 'x', lockfileVersion: 3, packages: { '': { dependencies: { 'left-pad': '^1.3.0' } }, 'node_modules/left-pad': { version: '1.3.0' } } }));
    const pane = await surveyIn(wb, 'npm:left-pad');
    const rows = await treeRows(pane);
    check(rows[0]?.label === 'Restricted Mode: dependencies only' && rows[0].icon === 'shield', `the first row explains Restricted Mode: ${JSON.stringify(rows[0])}`);
    check(/no network and no clone until you trust this folder/.test(rows[0]?.description ?? ''), `it says what is off: "${rows[0]?.description}"`);
    check(/\d+ dependencies \(not surveyed\)/.test(await pane.innerText()), 'the summary line says they were not surveyed');
    check(rows.some((r) => r.label === 'npm:left-pad' && r.description === 'direct · 1 path'), 'the lockfile\'s package is listed');
    check(rows.some((r) => r.label === 'actions:actions/checkout'), 'and the workflows\' actions');
    await screenshot(wb.page, 'dependencies-restricted-dark.png');
  } catch (e) {
    check(false, `restricted dependencies view: ${e.message.split('\n')[0]}`);
    if (wb) await screenshot(wb.page, 'dependencies-restricted-failure.png').catch(() => {});
  } finally {
    await wb?.close().catch(() => {});
  }
}
finish('dependencies.ui');
