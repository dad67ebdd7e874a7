// Runs the extension's mocha suite inside code-server's extension host (the job a desktop VS Code does
// for @vscode/test-electron). The workbench gets extensionDevelopmentPath + extensionTestsPath in its
// `payload` query parameter; when the suite's run() settles, the extension host exits and the workbench
// reports the exit code through window.codeAutomationExit. code-server must run with
// `--vscode-option enable-smoke-test-driver`, otherwise the payload is ignored and this times out.
// Usage: node ext-host-runner.mjs PORT EXTENSION_PATH TESTS_JS FOLDER
import { format } from 'node:util';
import { launchBrowser, workbenchUrl } from './browser.mjs';

const [port, devPath, testsPath, folder] = process.argv.slice(2);
const timeoutMs = Number(process.env.EXT_TEST_TIMEOUT_MS ?? 180000);
const t0 = Date.now();
const browser = await launchBrowser();
let exitCode = 'timeout';
const manifestProblems = [];
try {
  const page = await (await browser.newContext({ viewport: { width: 1400, height: 900 } })).newPage();
  let resolveExit;
  const exited = new Promise((r) => (resolveExit = r));
  // The extension host's console (mocha's reporter) arrives here. Drop known offline noise.
  const noise = /^\s+at |ENOTFOUND|EAI_AGAIN|open-vsx|Canceled|authentication provider|marketplace|^Resolv(ing|ed) connection token|^Creating a socket|^\[AgentHost/i;
  await page.exposeFunction('codeAutomationLog', (_type, args) => {
    const text = format(...(Array.isArray(args) ? args : [args]));
    // VS Code checks the manifest's contributions when it loads the extension and reports problems
    // prefixed with the extension id ("[steward-oss.steward]: Unknown language in ..."): a failure.
    if (/^\[steward-oss\.steward\]:/.test(text)) manifestProblems.push(text);
    if (process.env.VERBOSE || !noise.test(text)) console.log(text);
  });
  await page.exposeFunction('codeAutomationExit', (code) => resolveExit(code));
  if (process.env.DEBUG_CONSOLE) page.on('console', (m) => console.log('[browser]', m.type(), m.text().slice(0, 300)));
  await page.goto(workbenchUrl(port, folder, { devPath, testsPath }));
  exitCode = await Promise.race([exited, new Promise((r) => setTimeout(() => r('timeout'), timeoutMs))]);
  if (exitCode !== 0 && process.env.STEWARD_RUN) await page.screenshot({ path: `${process.env.STEWARD_RUN}/ext-host-failure.png` }).catch(() => {});
} finally {
  await browser.close();
}
console.log(`extension host finished with ${exitCode} after ${Date.now() - t0} ms`);
if (manifestProblems.length) console.log(`VS Code reported ${manifestProblems.length} manifest problem(s) (package.json contributes):\n${manifestProblems.join('\n')}`);
process.exit(exitCode === 0 && !manifestProblems.length ? 0 : 1);
