import Mocha from 'mocha';
import * as vscode from 'vscode';

// Entry point the extension host calls (extensionTestsPath -> dist/test/index.js, bundled by esbuild).
// The suites are bundled into this file, so instead of mocha.addFile they are imported after mocha has
// installed its globals (describe/it) through the 'pre-require' event. mocha itself stays external and
// resolves from the extension folder's node_modules.
export async function run(): Promise<void> {
  // STEWARD_TEST_GREP (set when code-server starts) runs only the matching tests, for iterating on one.
  const grep = process.env.STEWARD_TEST_GREP;
  const mocha = new Mocha({ ui: 'bdd', timeout: 60_000, color: false, reporter: 'spec', ...(grep ? { grep } : {}) });
  mocha.suite.emit('pre-require', globalThis, 'steward-extension-tests', mocha);
  // Every suite starts after the start-up scan has settled: the extension scans a workspace with
  // .github/ on activation, and that scan finishing in the middle of a test replaced its results.
  mocha.suite.beforeAll('the start-up scan settles', async () => {
    const { stewardApi, untilScanned } = await import('./support');
    await untilScanned(await stewardApi(), 'the start-up scan');
  });
  // The harness runs this bundle twice: on one repository folder, and on a multi-root workspace.
  if ((vscode.workspace.workspaceFolders?.length ?? 0) > 1) {
    await import('./multiroot.test');
    const failed = await new Promise<number>((resolve) => mocha.run(resolve));
    if (failed > 0) throw new Error(`${failed} multi-root extension-host test(s) failed`);
    return;
  }
  await import('./posture.test');
  await import('./diagnostics.test');
  await import('./rescan.test');
  await import('./actions.test');
  await import('./contribute.test');
  await import('./securityMd.test');
  await import('./fixes.test');
  await import('./dependencies.test');
  const failures = await new Promise<number>((resolve) => mocha.run(resolve));
  if (failures > 0) throw new Error(`${failures} extension-host test(s) failed`);
}
