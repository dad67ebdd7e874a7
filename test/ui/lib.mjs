// Shared setup for the Playwright UI tests: a fresh fixture copy, a code-server loading this extension
// as an extension under development, a headless chromium page on its workbench, and small readers for
// what the Posture view shows.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { launchBrowser, PROJECT_ROOT, workbenchUrl } from '../harness/browser.mjs';

const HARNESS = path.join(PROJECT_ROOT, 'test/harness');
export const RESULTS = path.join(PROJECT_ROOT, 'test-results');
const RUN = process.env.STEWARD_RUN ?? fs.mkdtempSync('/tmp/steward-ui-');

/**
 * Timeouts for a loaded machine (CI on 2 cores shared with other test runs): every wait is the time
 * measured on an idle machine times this factor (STEWARD_UI_SLOWDOWN, default 4). Waits only end early
 * when the awaited thing appears, so a generous bound costs nothing on a fast run.
 */
const SLOWDOWN = Math.max(1, Number(process.env.STEWARD_UI_SLOWDOWN) || 4);
export function slow(ms) {
  return ms * SLOWDOWN;
}

export const THEMES = { dark: 'Default Dark Modern', light: 'Default Light Modern' };

let failures = 0;
const t0 = Date.now();
export function check(cond, msg) {
  console.log(`${cond ? 'PASS' : 'FAIL'} ${msg} (${Date.now() - t0} ms)`);
  if (!cond) failures++;
}
export function finish(name) {
  console.log(failures ? `${name}: ${failures} check(s) FAILED` : `${name}: OK`);
  process.exit(failures ? 1 : 0);
}

/**
 * Starts code-server on a fresh copy of the demo repository and opens its workbench with Steward loaded.
 * options: name (state folder), theme ('dark'|'light'), trust (true = workspace trust on, folder untrusted),
 * settings (extra user settings), plain (open a folder that is not a repository), keybindings (user
 * keybindings.json entries: a way to run a command that no menu offers).
 */
export async function openWorkbench({ name, theme = 'dark', trust = false, settings = {}, plain = false, keybindings }) {
  const state = path.join(RUN, `ui-${name}`);
  if (keybindings) {
    fs.mkdirSync(path.join(state, 'user-data/User'), { recursive: true });
    fs.writeFileSync(path.join(state, 'user-data/User/keybindings.json'), JSON.stringify(keybindings));
  }
  const folder = path.join(state, plain ? 'notes' : 'demo-repo');
  if (plain) {
    // A folder that is not a repository: no .git, no .github.
    fs.mkdirSync(folder, { recursive: true });
    fs.writeFileSync(path.join(folder, 'notes.md'), '# Notes\n');
  } else execFileSync('bash', [path.join(HARNESS, 'make-fixture.sh'), folder], { stdio: 'inherit' });
  const port = execFileSync('node', [path.join(HARNESS, 'free-port.cjs')]).toString().trim();
  const env = {
    ...process.env,
    STEWARD_RUN: RUN,
    CS_STATE: state,
    CS_TRUST: trust ? '1' : '0',
    CS_SETTINGS_JSON: JSON.stringify({ 'workbench.colorTheme': THEMES[theme], 'window.commandCenter': false, ...settings }),
  };
  execFileSync('bash', [path.join(HARNESS, 'start-code-server.sh'), port, folder, '--vscode-option', 'enable-smoke-test-driver'], { env, stdio: 'inherit' });
  const browser = await launchBrowser();
  const page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
  const consoleErrors = [];
  page.on('pageerror', (e) => consoleErrors.push(e.message));
  await page.goto(workbenchUrl(port, folder, { devPath: PROJECT_ROOT }));
  await page.waitForSelector('.monaco-workbench .part.activitybar', { timeout: slow(60_000) });
  await page.evaluate(() => window.driver?.whenWorkbenchRestored());
  const close = async () => {
    await browser.close().catch(() => {});
    execFileSync('bash', [path.join(HARNESS, 'stop-code-server.sh'), port], { env });
  };
  return { page, folder, port, close, consoleErrors };
}

export async function runCommand(page, title) {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input:not([type="checkbox"])');
  await input.waitFor({ timeout: slow(10_000) });
  await input.fill(`>${title}`);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first().waitFor({ timeout: slow(10_000) });
  await page.keyboard.press('Enter');
}

/** The Command Palette's entries matching `text` (without running any). */
export async function paletteEntries(page, text) {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input:not([type="checkbox"])');
  await input.waitFor({ timeout: slow(10_000) });
  await input.fill(`>${text}`);
  await page.waitForTimeout(600);
  const rows = await page.locator('.quick-input-list .monaco-list-row .label-name').allInnerTexts();
  await page.keyboard.press('Escape');
  return rows.map((r) => r.trim());
}

/** Messages in the notification centre (toasts are suppressed by the smoke-test driver). */
export async function notifications(page) {
  await runCommand(page, 'Notifications: Show Notifications');
  const center = page.locator('.notifications-center');
  await center.waitFor({ timeout: slow(10_000) });
  await page.waitForTimeout(300);
  const texts = await center.locator('.notification-list-item-message').allInnerTexts();
  await page.keyboard.press('Escape');
  return texts;
}

export function posturePane(page) {
  return page.locator('.pane').filter({ has: page.locator('.pane-header', { hasText: /Posture/i }) });
}

/** Opens the Steward container from the activity bar and waits until the tree shows Essentials. */
export async function openStewardView(page) {
  const tab = page.locator('.part.activitybar').getByRole('tab', { name: /Steward/ });
  await tab.waitFor({ timeout: slow(30_000) });
  await tab.click();
  const pane = posturePane(page);
  await pane.locator('.monaco-list-row', { hasText: 'Essentials' }).first().waitFor({ timeout: slow(30_000) });
  return pane;
}

/** The visible rows of the Posture tree: label, description, codicon, depth, expanded. */
export async function treeRows(pane) {
  return pane.locator('.monaco-list-row').evaluateAll((rows) =>
    rows.map((r) => {
      const icon = r.querySelector('.custom-view-tree-node-item-icon');
      const codicon = icon ? [...icon.classList].find((c) => c.startsWith('codicon-') && c !== 'codicon') : undefined;
      return {
        label: r.querySelector('.label-name')?.textContent?.trim() ?? '',
        description: r.querySelector('.label-description')?.textContent?.trim() ?? '',
        icon: codicon?.replace('codicon-', ''),
        level: Number(r.getAttribute('aria-level')),
        expanded: r.getAttribute('aria-expanded'),
      };
    }),
  );
}

/** Drags the side bar's edge so long check titles and reasons are readable in screenshots. */
export async function widenSideBar(page, width = 560) {
  const box = await page.locator('.part.sidebar').boundingBox();
  if (!box) return;
  const edge = box.x + box.width;
  // The sash is a separate element over the edge between side bar and editor.
  const sashes = await page.locator('.monaco-sash.vertical').evaluateAll((els) => els.map((e) => { const r = e.getBoundingClientRect(); return { x: r.x + r.width / 2, y: r.y + r.height / 2, h: r.height }; }));
  const sash = sashes.filter((s) => s.h > 100).sort((a, b) => Math.abs(a.x - edge) - Math.abs(b.x - edge))[0];
  if (!sash) return;
  await page.mouse.move(sash.x, sash.y);
  await page.mouse.down();
  await page.mouse.move(box.x + width, sash.y, { steps: 8 });
  await page.mouse.up();
}

/** Opens a workspace file through Quick Open. */
export async function openFile(page, relPath) {
  await page.keyboard.press('Control+P');
  const input = page.locator('.quick-input-widget input:not([type="checkbox"])');
  await input.waitFor({ timeout: slow(10_000) });
  await input.fill(relPath);
  await page.locator('.quick-input-list .monaco-list-row').first().waitFor({ timeout: slow(10_000) });
  await page.keyboard.press('Enter');
  await page.locator('.monaco-editor .view-lines').first().waitFor({ timeout: slow(10_000) });
}

export async function screenshot(page, file) {
  fs.mkdirSync(RESULTS, { recursive: true });
  await page.mouse.move(1000, 700); // no hover tooltip in the picture
  await page.waitForTimeout(400);
  const p = path.join(RESULTS, file);
  await page.screenshot({ path: p });
  console.log(`screenshot: ${path.relative(PROJECT_ROOT, p)}`);
  return p;
}

/** A screenshot of one part of the workbench (e.g. '.part.sidebar'), for the walkthrough images. */
export async function screenshotOf(page, selector, file) {
  fs.mkdirSync(RESULTS, { recursive: true });
  await page.mouse.move(1000, 700);
  await page.waitForTimeout(400);
  const p = path.join(RESULTS, file);
  await page.locator(selector).first().screenshot({ path: p });
  console.log(`screenshot: ${path.relative(PROJECT_ROOT, p)}`);
  return p;
}
