import * as assert from 'node:assert/strict';
import { existsSync, promises as fs } from 'node:fs';
import * as path from 'node:path';
import { setUpScenario } from './scenario';
import { SurveyWorld, WEAK_WORKFLOW } from './world';

// The HTML report: self-contained (no script, nothing loaded from anywhere), a strict CSP, repository
// text escaped; opened in headless Chromium with every network request refused, it must load with no
// console message, no CSP violation and no request. STEWARD_SURVEY_SCREENSHOT=FILE keeps a screenshot.

const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';

describe('steward survey --format html', function () {
  this.timeout(90_000);
  let w: SurveyWorld;
  before(async () => {
    w = await SurveyWorld.start();
    await setUpScenario(w, 3);
    // A hostile repository: markup in its workflow's names reaches finding messages.
    w.registry.addNpm('extra-0', { '1.0.0': { repository: 'github:extra/r0' } });
    w.repos.get('extra/r0')!.files = { '.github/workflows/<img src=x onerror=alert(1)>.yml': WEAK_WORKFLOW.replace('name: CI', 'name: "<script>alert(1)</script>"') };
  });
  after(async () => {
    await w.close();
  });

  it('is one self-contained file with a strict CSP and escaped repository text', async () => {
    const r = await w.cli(['survey', 'project', '--github-url', w.github.url, '--format', 'html', '--output', 'survey.html']);
    assert.equal(r.code, 0, r.err);
    assert.equal(r.out, '');
    const html = await fs.readFile(path.join(w.dir, 'survey.html'), 'utf8');
    assert.match(html, /<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'sha256-[A-Za-z0-9+/=]+'; img-src data:; base-uri 'none'; form-action 'none'">/);
    assert.doesNotMatch(html, /<script/i);
    assert.doesNotMatch(html, /<[a-z]+[^>]*\ssrc=/i, 'nothing is loaded');
    assert.doesNotMatch(html, /<img|<[^>]*\sonerror=/i);
    assert.match(html, /&lt;img src=x onerror=alert\(1\)&gt;\.yml/);
    assert.match(html, /<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" role="img"/);
    const links = [...html.matchAll(/href="([^"]+)"/g)].map((m) => m[1]);
    assert.ok(links.length > 0 && links.every((l) => l.startsWith('https://github.com/')), links.join(' '));
    assert.match(html, /First contribution: <b>Restrict workflow token permissions<\/b>/);
    assert.match(html, /<td>npm <code>norepo<\/code> 1\.0\.0<\/td><td class="why">no repository in its npm metadata<\/td>/);
  });

  it('opens in Chromium with no network, no console message and no request', async function () {
    if (!existsSync(CHROMIUM)) this.skip();
    const html = path.join(w.dir, 'survey.html');
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- playwright-core is CommonJS
    const { chromium } = require('playwright-core') as typeof import('playwright-core');
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      env: { ...process.env, XDG_CONFIG_HOME: path.join(w.dir, 'xdg-config'), XDG_CACHE_HOME: path.join(w.dir, 'xdg-cache') },
      args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
    });
    try {
      const context = await browser.newContext({ offline: true, viewport: { width: 1200, height: 900 } });
      const page = await context.newPage();
      const messages: string[] = [];
      const requests: string[] = [];
      page.on('console', (m) => messages.push(`${m.type()}: ${m.text()}`));
      page.on('pageerror', (e) => messages.push(`pageerror: ${e.message}`));
      page.on('request', (req) => {
        if (!req.url().startsWith('file://')) requests.push(req.url());
      });
      await context.route(/^(?!file:).*/, (route) => route.abort());
      await page.goto(`file://${html}`, { waitUntil: 'load' });
      assert.deepEqual(messages, []);
      assert.deepEqual(requests, []);
      assert.equal(await page.title(), 'Steward survey: project');
      assert.equal(await page.locator('tbody tr').first().locator('td').first().innerText(), '1');
      assert.equal(await page.locator('svg rect').count(), 12);
      await page.locator('details summary').first().click();
      const shot = process.env.STEWARD_SURVEY_SCREENSHOT;
      if (shot) await page.screenshot({ path: shot, fullPage: true });
      assert.deepEqual(messages, []);
    } finally {
      await browser.close();
    }
  });
});
