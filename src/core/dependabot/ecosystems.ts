import { isDockerfileName } from '../repo/classify';
import { globMatches } from '../repo/glob';
import { localeOrder } from '../repo/order';

// What Dependabot calls each package ecosystem, which cooldown keys each accepts, and how to find an
// ecosystem's manifests from a repository's file list. Facts from GitHub's "Dependabot options
// reference" (package-ecosystem table and the cooldown SemVer table) and the 2026-03 changelog that
// added `pre-commit`.

export interface EcosystemInfo {
  /** The `package-ecosystem` value. */
  id: string;
  /** How people name it in prose. */
  label: string;
  /**
   * Whether `semver-major-days` / `semver-minor-days` / `semver-patch-days` are accepted. `undefined`
   * when the reference does not say (newer ecosystems): then such keys are not reported.
   */
  semverCooldown?: boolean;
}

const table: EcosystemInfo[] = [
  { id: 'bun', label: 'Bun', semverCooldown: true },
  { id: 'bundler', label: 'Bundler (Ruby)', semverCooldown: true },
  { id: 'cargo', label: 'Cargo (Rust)', semverCooldown: true },
  { id: 'composer', label: 'Composer (PHP)', semverCooldown: true },
  { id: 'conda', label: 'Conda' },
  { id: 'devcontainers', label: 'Dev containers', semverCooldown: false },
  { id: 'docker', label: 'Docker', semverCooldown: false },
  { id: 'docker-compose', label: 'Docker Compose', semverCooldown: false },
  { id: 'dotnet-sdk', label: '.NET SDK', semverCooldown: true },
  { id: 'elm', label: 'Elm', semverCooldown: true },
  { id: 'gitsubmodule', label: 'git submodules', semverCooldown: false },
  { id: 'github-actions', label: 'GitHub Actions', semverCooldown: false },
  { id: 'gomod', label: 'Go modules', semverCooldown: true },
  { id: 'gradle', label: 'Gradle', semverCooldown: true },
  { id: 'helm', label: 'Helm charts', semverCooldown: false },
  { id: 'maven', label: 'Maven', semverCooldown: true },
  { id: 'mix', label: 'Hex (Elixir)', semverCooldown: true },
  { id: 'npm', label: 'npm / Yarn / pnpm', semverCooldown: true },
  { id: 'nuget', label: 'NuGet (.NET)', semverCooldown: true },
  { id: 'pip', label: 'pip (Python)', semverCooldown: true },
  { id: 'pre-commit', label: 'pre-commit hooks' },
  { id: 'pub', label: 'pub (Dart)', semverCooldown: true },
  { id: 'rust-toolchain', label: 'Rust toolchain' },
  { id: 'swift', label: 'Swift', semverCooldown: true },
  { id: 'terraform', label: 'Terraform', semverCooldown: false },
  { id: 'uv', label: 'uv (Python)', semverCooldown: true },
  { id: 'vcpkg', label: 'vcpkg' },
];

export const ECOSYSTEMS: ReadonlyMap<string, EcosystemInfo> = new Map(table.map((e) => [e.id, e]));

export function ecosystemLabel(id: string): string {
  return ECOSYSTEMS.get(id)?.label ?? id;
}

/** Keys a `cooldown` mapping may hold. */
export const COOLDOWN_KEYS = ['default-days', 'semver-major-days', 'semver-minor-days', 'semver-patch-days', 'include', 'exclude'] as const;
export const SEMVER_COOLDOWN_KEYS = new Set(['semver-major-days', 'semver-minor-days', 'semver-patch-days']);

/** One place an ecosystem's manifests live, as Dependabot's `directory` would name it. */
export interface DetectedManifests {
  ecosystem: string;
  /** `/` or `/sub/dir`, no trailing slash. */
  directory: string;
  /** The files that gave it away (repository-relative). */
  evidence: string[];
}

// Folders whose manifests are not the project's own dependencies: vendored code, build output, test
// fixtures and example apps. Dependabot would be wrong (or noisy) to update them.
const SKIP_SEGMENTS = new Set([
  'node_modules',
  'vendor',
  '_vendor',
  'vendored',
  'third_party',
  'third-party',
  'thirdparty',
  'external',
  'fixtures',
  '__fixtures__',
  'testdata',
  'test-data',
  'test_data',
  'dist',
  'build',
  'examples',
  'example',
  'samples',
  'sample',
  // The project's own tests: their manifests pin what the tests need (often deliberately old or
  // broken versions); an update stream for them is noise at best.
  'test',
  'tests',
  '__tests__',
  '__mocks__',
]);

/**
 * Ecosystems whose update streams Steward proposes only when asked: a submodule bump or a dev
 * container image bump changes what every contributor builds against, which a maintainer chooses.
 */
export const OPT_IN_ECOSYSTEMS: ReadonlySet<string> = new Set(['gitsubmodule', 'devcontainers']);

export interface DetectOptions {
  /** Opt-in ecosystems (see OPT_IN_ECOSYSTEMS) to detect anyway. */
  include?: readonly string[];
  /** `paths` as a set, when the caller has one (a scan does: RepoContext.pathSet). */
  pathSet?: ReadonlySet<string>;
}

function skippedPath(path: string): boolean {
  const segs = path.split('/').slice(0, -1);
  for (let i = 0; i < segs.length; i++) {
    const s = segs[i].toLowerCase();
    if (SKIP_SEGMENTS.has(s)) return true;
  }
  return false;
}

function dirOf(path: string): string {
  const i = path.lastIndexOf('/');
  return i < 0 ? '/' : `/${path.slice(0, i)}`;
}

function parentDir(dir: string): string {
  if (dir === '/') return '/';
  const i = dir.lastIndexOf('/');
  return i <= 0 ? '/' : dir.slice(0, i);
}

/** `directory` values normalised: leading slash, no trailing slash, no `./`. */
export function normalizeDirectory(d: string): string {
  let s = d.trim().replace(/\\/g, '/');
  s = s.replace(/^\.\//, '').replace(/^\.$/, '');
  if (!s.startsWith('/')) s = `/${s}`;
  s = s.replace(/\/+/g, '/');
  if (s.length > 1) s = s.replace(/\/$/, '');
  return s;
}

const MANIFEST_NAMES = new Set([
  '.pre-commit-config.yaml', '.pre-commit-config.yml', 'package.json', 'pyproject.toml', 'setup.py', 'pipfile', 'pipfile.lock',
  'poetry.lock', 'uv.lock', 'cargo.toml', 'go.mod', 'gemfile', 'gems.rb', 'pom.xml', 'composer.json', 'packages.config',
  'directory.packages.props', '.devcontainer.json', 'devcontainer.json', '.gitmodules', 'chart.yaml', 'pubspec.yaml', 'mix.exs',
  'package.swift', 'elm.json',
]);

/**
 * False when no rule of detectEcosystems() can match a file of this (lower-cased) name: a cheap
 * first test, so the thousands of source files of a large repository cost no regular expressions.
 * Every rule below matches only names this accepts.
 */
function mayBeManifest(lower: string): boolean {
  if (MANIFEST_NAMES.has(lower)) return true;
  if (lower.endsWith('.txt') || lower.endsWith('.in') || lower.endsWith('proj') || lower.endsWith('.gemspec')) return true;
  if (lower.endsWith('.dockerfile') || lower.endsWith('.tf') || lower.endsWith('.tofu')) return true;
  return /^(?:requirements|build\.gradle|settings\.gradle|docker|container|compose)/.test(lower);
}

/**
 * Four characters from `i` as one number, ASCII letters lower-cased (others changed too: only a
 * pre-test), seven bits each: small enough to be a small integer (no heap number per call).
 * Only for ASCII characters (the pre-test leaves the others to the full tests first).
 */
function quad(s: string, i: number): number {
  return ((s.charCodeAt(i) | 0x20) << 21) | ((s.charCodeAt(i + 1) | 0x20) << 14) | ((s.charCodeAt(i + 2) | 0x20) << 7) | (s.charCodeAt(i + 3) | 0x20);
}
/** Three characters from `i` as one number, the same way. */
function triple(s: string, i: number): number {
  return ((s.charCodeAt(i) | 0x20) << 14) | ((s.charCodeAt(i + 1) | 0x20) << 7) | (s.charCodeAt(i + 2) | 0x20);
}
/**
 * Every name mayBeManifest() accepts by its whole name (MANIFEST_NAMES), and action.yml / action.yaml,
 * by its last four characters (lower-cased) and its length: a name of another length (`utils.py` is not
 * `setup.py`, `tsconfig.json` not `package.json`) is not looked at further for them. By last four
 * characters, the lengths as bits (every such name is shorter than 31 characters).
 */
const EXACT_NAMES: ReadonlyMap<number, number> = (() => {
  const m = new Map<number, number>();
  for (const n of [...MANIFEST_NAMES, 'action.yml', 'action.yaml']) {
    if (n.length >= 31) throw new Error(`manifest name too long for the pre-test: ${n}`);
    const q = quad(n, n.length - 4);
    m.set(q, (m.get(q) ?? 0) | (1 << n.length));
  }
  return m;
})();
/** The endings mayBeManifest() accepts, of four characters (`.gemspec` by its last four) and of three; `.dockerfile` apart. */
const ENDS4: ReadonlySet<number> = new Set(['.txt', 'proj', 'spec', '.tofu'].map((e) => quad(e, e.length - 4)));
const FILE = quad('file', 0);
const ENDS3: ReadonlySet<number> = new Set(['.in', '.tf'].map((e) => triple(e, 0)));
/** The first four characters (lower-cased) of every name mayBeManifest() accepts by its start (its regular expression's words). */
const NAME_STARTS: ReadonlySet<number> = new Set(['requ', 'buil', 'sett', 'dock', 'cont', 'comp'].map((w) => quad(w, 0)));

/**
 * False for most paths of a repository (source files) without slicing or lower-casing their names:
 * true for every path the loop of detectEcosystems() does anything with (and some more). A name's
 * length stands for the length of its lower-cased form: a character whose lower case is longer (capital
 * I with a dot) gives a character beyond ASCII, which no name or ending here has.
 */
function mayMatter(p: string, baseStart: number): boolean {
  const n = p.length;
  const len = n - baseStart;
  if (len >= 4) {
    // Beyond ASCII, lower-casing may give an ASCII letter (the Kelvin sign gives k): the full tests decide.
    const nonAscii =
      p.charCodeAt(n - 4) | p.charCodeAt(n - 3) | p.charCodeAt(n - 2) | p.charCodeAt(n - 1) |
      p.charCodeAt(baseStart) | p.charCodeAt(baseStart + 1) | p.charCodeAt(baseStart + 2) | p.charCodeAt(baseStart + 3);
    if (nonAscii >= 0x80) return true;
    const end = quad(p, n - 4);
    if (ENDS4.has(end) || NAME_STARTS.has(quad(p, baseStart))) return true;
    const lengths = EXACT_NAMES.get(end);
    if (lengths !== undefined && len < 31 && (lengths >>> len) & 1) return true;
    // `.dockerfile`: only `.` lower-cases to `.` (Makefile and Gemfile are not looked at for it).
    if (end === FILE && len >= 11 && p.charCodeAt(n - 11) === 0x2e) return true;
  } else {
    for (let k = baseStart; k < n; k++) if (p.charCodeAt(k) >= 0x80) return true;
  }
  if (len >= 3 && ENDS3.has(triple(p, n - 3))) return true;
  return p.startsWith('.github/workflows/');
}

/**
 * Which ecosystems a repository uses and where, from its paths alone (content is not always
 * available: corpus snapshots and huge repositories list paths only).
 */
export function detectEcosystems(paths: readonly string[], opts: DetectOptions = {}): DetectedManifests[] {
  const found = new Map<string, DetectedManifests>();
  const add = (ecosystem: string, directory: string, evidence: string): void => {
    if (OPT_IN_ECOSYSTEMS.has(ecosystem) && !opts.include?.includes(ecosystem)) return;
    const key = `${ecosystem}\u0000${directory}`;
    const have = found.get(key);
    if (have) have.evidence.push(evidence);
    else found.set(key, { ecosystem, directory, evidence: [evidence] });
  };
  const pathSet = opts.pathSet ?? new Set(paths);
  const has = (dir: string, name: string): boolean => pathSet.has(dir === '/' ? name : `${dir.slice(1)}/${name}`);
  // skipped() depends on the folder only, and most folders hold many files.
  const skippedDirs = new Map<string, boolean>();
  const skipped = (p: string): boolean => {
    const d = p.slice(0, p.lastIndexOf('/') + 1);
    let s = skippedDirs.get(d);
    if (s === undefined) {
      s = skippedPath(p);
      skippedDirs.set(d, s);
    }
    return s;
  };

  for (const p of paths) {
    const baseStart = p.lastIndexOf('/') + 1;
    if (!mayMatter(p, baseStart)) continue;
    const base = p.slice(baseStart);
    const lower = base.toLowerCase();
    // GitHub Actions: workflows and the root action are what `directory: "/"` covers.
    if (p.startsWith('.github/workflows/') && /^\.github\/workflows\/[^/]+\.ya?ml$/.test(p)) {
      add('github-actions', '/', p);
      continue;
    }
    if (lower === 'action.yml' || lower === 'action.yaml') {
      if (!skipped(p)) add('github-actions', dirOf(p), p);
      continue;
    }
    if (!mayBeManifest(lower)) continue;
    const dir = dirOf(p);
    if (skipped(p)) continue;
    if (base === '.pre-commit-config.yaml' || base === '.pre-commit-config.yml') add('pre-commit', dir, p);
    else if (base === 'package.json') {
      const bunOnly = (has(dir, 'bun.lockb') || has(dir, 'bun.lock')) && !has(dir, 'package-lock.json') && !has(dir, 'yarn.lock') && !has(dir, 'pnpm-lock.yaml');
      add(bunOnly ? 'bun' : 'npm', dir, p);
    } else if (/^requirements[\w.-]*\.(txt|in)$/i.test(base)) add(has(dir, 'uv.lock') ? 'uv' : 'pip', dir, p);
    else if (/\.(txt|in)$/.test(lower) && dir.endsWith('/requirements')) add(has(parentDir(dir), 'uv.lock') ? 'uv' : 'pip', parentDir(dir), p);
    else if (base === 'pyproject.toml' || base === 'setup.py' || base === 'Pipfile' || base === 'Pipfile.lock' || base === 'poetry.lock' || base === 'uv.lock') {
      add(has(dir, 'uv.lock') ? 'uv' : 'pip', dir, p);
    } else if (base === 'Cargo.toml') add('cargo', dir, p);
    else if (base === 'go.mod') add('gomod', dir, p);
    else if (base === 'Gemfile' || base === 'gems.rb' || lower.endsWith('.gemspec')) add('bundler', dir, p);
    else if (base === 'pom.xml') add('maven', dir, p);
    else if (/^(build|settings)\.gradle(\.kts)?$/.test(base)) add('gradle', dir, p);
    else if (base === 'composer.json') add('composer', dir, p);
    else if (/\.(cs|fs|vb)proj$/.test(lower) || lower === 'packages.config' || lower === 'directory.packages.props') add('nuget', dir, p);
    else if (isDockerfileName(base)) add('docker', dir, p);
    else if (/^(docker-)?compose(\.[\w-]+)?\.ya?ml$/.test(lower)) add('docker-compose', dir, p);
    else if (base === '.devcontainer.json') add('devcontainers', dir, p);
    else if (base === 'devcontainer.json' && /(^|\/)\.devcontainer(\/[^/]+)?\/devcontainer\.json$/.test(p)) {
      // Dependabot looks for .devcontainer/ (and one level of named configs) under `directory`.
      const idx = p.lastIndexOf('.devcontainer/');
      add('devcontainers', idx === 0 ? '/' : `/${p.slice(0, idx - 1)}`, p);
    } else if (lower.endsWith('.tf') || lower.endsWith('.tofu')) add('terraform', dir, p);
    else if (base === '.gitmodules' && dir === '/') add('gitsubmodule', dir, p);
    else if (base === 'Chart.yaml') add('helm', dir, p);
    else if (base === 'pubspec.yaml') add('pub', dir, p);
    else if (base === 'mix.exs') add('mix', dir, p);
    else if (base === 'Package.swift') add('swift', dir, p);
    else if (base === 'elm.json') add('elm', dir, p);
  }
  return foldSubprojects([...found.values()].sort((a, b) => localeOrder(a.ecosystem, b.ecosystem) || localeOrder(a.directory, b.directory)));
}

/**
 * Ecosystems an entry of the other name also maintains: a `pip` entry updates a pyproject-based uv
 * project's manifest (not its lock), a `uv` entry handles plain pip manifests next to it. `npm` covers
 * Bun projects' package.json too.
 */
export function entryCovers(entryEcosystem: string, detected: string): boolean {
  if (entryEcosystem === detected) return true;
  if (detected === 'pip' && entryEcosystem === 'uv') return true;
  if (detected === 'bun' && entryEcosystem === 'npm') return true;
  return false;
}

/**
 * Build tools whose root build reads the sub-projects below it, so Dependabot's entry for the root
 * folder updates them all: Maven modules, Gradle sub-projects, Cargo workspace members.
 */
const ROOT_BUILD_COVERS_BELOW: ReadonlySet<string> = new Set(['maven', 'gradle', 'cargo']);

function isUnder(dir: string, root: string): boolean {
  return root === '/' ? dir !== '/' : dir.startsWith(`${root}/`);
}

/** Sub-projects of a multi-module build folded into the nearest folder above them with the same build tool. */
export function foldSubprojects(detected: readonly DetectedManifests[]): DetectedManifests[] {
  const same = (a: DetectedManifests, b: DetectedManifests): boolean => a.ecosystem === b.ecosystem && ROOT_BUILD_COVERS_BELOW.has(a.ecosystem);
  const out: DetectedManifests[] = [];
  for (const d of detected) {
    if (detected.some((r) => same(r, d) && isUnder(d.directory, r.directory))) continue;
    const below = detected.filter((x) => same(x, d) && isUnder(x.directory, d.directory));
    out.push(below.length ? { ...d, evidence: [...d.evidence, ...below.flatMap((x) => x.evidence)] } : d);
  }
  return out;
}

/** A JavaScript workspace: the folder with the root manifest and its member patterns (relative, may start with `!`). */
export interface Workspace {
  root: string;
  patterns: string[];
}

/** Member patterns of a package.json's `workspaces` (npm, Yarn: an array or `{ packages: [...] }`). */
export function packageJsonWorkspaces(text: string): string[] {
  // Without the word (not even written with escapes, which need a backslash) there is no such key:
  // most package.json files, and parsing them was a percent of a small repository's scan (issue 19).
  if (!text.includes('workspaces') && !text.includes('\\')) return [];
  try {
    const json: unknown = JSON.parse(text);
    if (!json || typeof json !== 'object') return [];
    const ws = (json as Record<string, unknown>).workspaces;
    const list = Array.isArray(ws) ? ws : ws && typeof ws === 'object' ? (ws as Record<string, unknown>).packages : undefined;
    return Array.isArray(list) ? list.filter((x): x is string => typeof x === 'string') : [];
  } catch {
    return [];
  }
}

/** Member patterns of a pnpm-workspace.yaml (`packages:` list), read line by line: the file is a plain list. */
export function pnpmWorkspaces(text: string): string[] {
  const out: string[] = [];
  let inPackages = false;
  for (const line of text.split(/\r?\n/)) {
    if (/^packages\s*:/.test(line)) {
      inPackages = true;
      continue;
    }
    if (/^\S/.test(line)) inPackages = false;
    const m = inPackages && /^\s+-\s*(['"]?)([^'"#]+?)\1\s*(?:#.*)?$/.exec(line);
    if (m) out.push(m[2]);
  }
  return out;
}

/**
 * npm-family manifests that belong to a workspace fold into the workspace root: Dependabot updates
 * every member from the root entry (one lock file for all of them).
 */
export function foldWorkspaces(detected: readonly DetectedManifests[], workspaces: readonly Workspace[]): DetectedManifests[] {
  if (!workspaces.length) return [...detected];
  const memberOf = (d: DetectedManifests): DetectedManifests | undefined => {
    if (d.ecosystem !== 'npm' && d.ecosystem !== 'bun') return undefined;
    for (const w of workspaces) {
      if (!isUnder(d.directory, w.root)) continue;
      const rel = w.root === '/' ? d.directory.slice(1) : d.directory.slice(w.root.length + 1);
      const pos = w.patterns.filter((p) => !p.startsWith('!')).map((p) => p.replace(/^\.\//, '').replace(/\/+$/, ''));
      const neg = w.patterns.filter((p) => p.startsWith('!')).map((p) => p.slice(1).replace(/^\.\//, '').replace(/\/+$/, ''));
      if (pos.some((p) => globMatches(rel, p, true)) && !neg.some((p) => globMatches(rel, p, false))) {
        return detected.find((r) => (r.ecosystem === 'npm' || r.ecosystem === 'bun') && r.directory === w.root);
      }
    }
    return undefined;
  };
  const out: DetectedManifests[] = [];
  const extra = new Map<DetectedManifests, string[]>();
  for (const d of detected) {
    const root = memberOf(d);
    if (root && root !== d) extra.set(root, [...(extra.get(root) ?? []), ...d.evidence]);
    else out.push(d);
  }
  return out.map((d) => (extra.has(d) ? { ...d, evidence: [...d.evidence, ...extra.get(d)!] } : d));
}

/** For tests: the pre-test of detectEcosystems() and the name test it stands in front of. */
export const ecosystemNameTests = { mayMatter, mayBeManifest };
