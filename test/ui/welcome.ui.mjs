// UI test: a folder that is not a repository gets the Posture view's welcome content (what Steward looks
// for, a Scan button and the walkthrough link) instead of an empty tree. Screenshot: test-results/welcome-dark.png.
import { check, finish, openWorkbench, screenshot, slow } from './lib.mjs';

const wb = await openWorkbench({ name: 'welcome', plain: true });
const { page } = wb;
try {
  const tab = page.locator('.part.activitybar').getByRole('tab', { name: /Steward/ });
  await tab.waitFor({ timeout: slow(30_000) });
  await tab.click();
  const welcome = page.locator('.welcome-view-content', { hasText: 'No repository here' });
  await welcome.waitFor({ timeout: slow(30_000) });
  const text = (await welcome.innerText()).replace(/\s+/g, ' ');
  check(/looks for a folder with a \.git or \.github directory/.test(text), `welcome text says what Steward looks for: "${text.slice(0, 120)}…"`);
  check((await welcome.getByRole('button', { name: 'Scan workspace' }).count()) === 1, 'a Scan workspace button');
  check((await welcome.getByRole('button', { name: 'Get started' }).count()) === 1, 'a Get started button');
  await welcome.getByRole('button', { name: 'Get started' }).click();
  const walkthrough = page.locator('.gettingStartedContainer', { hasText: 'Make your first security contribution' });
  await walkthrough.first().waitFor({ timeout: slow(20_000) });
  check((await walkthrough.count()) >= 1, 'Get started opens the walkthrough');
  const steps = await page.locator('.gettingStartedContainer .getting-started-step .step-title').allInnerTexts();
  check(steps.includes('See the repository’s posture') && steps.includes('Send it upstream'), `walkthrough steps: ${JSON.stringify(steps)}`);
  await screenshot(page, 'welcome-dark.png');
} catch (e) {
  check(false, `welcome view: ${e.message.split('\n')[0]}`);
  await screenshot(page, 'welcome-failure.png').catch(() => {});
} finally {
  await wb.close();
}
finish('welcome.ui');
