// Headless Debian chromium driven by playwright-core, set up the way code-server's workbench needs it.
// Shared by the extension-host runner and the UI tests.
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const { chromium } = createRequire(path.join(PROJECT_ROOT, 'package.json'))('playwright-core');

export async function launchBrowser() {
  const run = process.env.STEWARD_RUN ?? '/tmp';
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    // chromium writes crash reports and dconf caches under the XDG dirs: keep them in the run folder.
    env: { ...process.env, XDG_CONFIG_HOME: process.env.XDG_CONFIG_HOME ?? `${run}/xdg-config`, XDG_CACHE_HOME: process.env.XDG_CACHE_HOME ?? `${run}/xdg-cache` },
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  });
}

/** The workbench URL for a folder, optionally loading an extension under development (and its tests). */
export function workbenchUrl(port, folder, { devPath, testsPath } = {}) {
  const remote = (p) => `vscode-remote://127.0.0.1:${port}${p}`;
  // A .code-workspace file opens a multi-root workspace; anything else is a folder.
  const kind = folder.endsWith('.code-workspace') ? 'workspace' : 'folder';
  let url = `http://127.0.0.1:${port}/?${kind}=${encodeURIComponent(folder)}`;
  const payload = [];
  if (devPath) payload.push(['extensionDevelopmentPath', remote(devPath)]);
  if (testsPath) payload.push(['extensionTestsPath', remote(testsPath)]);
  if (payload.length) url += `&payload=${encodeURIComponent(JSON.stringify(payload))}`;
  return url;
}
