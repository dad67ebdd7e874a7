// The standard @vscode/test-electron entry point. The one twist: vscodeExecutablePath is our shim that
// runs the tests in code-server (a desktop VS Code cannot be downloaded on these machines).
// Usage: node test/harness/run-ext-tests.cjs WORKSPACE_FOLDER
const path = require('node:path');
const { runTests } = require('@vscode/test-electron');

async function main() {
  const root = path.resolve(__dirname, '../..');
  const workspace = process.argv[2];
  if (!workspace) throw new Error('usage: run-ext-tests.cjs WORKSPACE_FOLDER');
  await runTests({
    vscodeExecutablePath: path.join(__dirname, 'code-server-test-shim.sh'),
    extensionDevelopmentPath: root,
    extensionTestsPath: path.join(root, 'dist/test/index.js'),
    launchArgs: [workspace],
  });
}

main().catch((e) => {
  console.error(`extension-host tests failed: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
