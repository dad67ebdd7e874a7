// Actions that restore entries from the GitHub Actions cache, by version, with the inputs that turn
// the cache on or off. One table, so a new release that changes a default is one row. Sources are the
// actions' release notes and READMEs, named on each row.

export type CacheMode =
  /** Every use restores a cache (the action exists to cache). */
  | { kind: 'always'; what: string }
  /** Restores only when `input` is set to a true-ish value. */
  | { kind: 'input-enables'; input: string; what: string }
  /** Restores unless `input` is set to a false-ish value; `fixInput` is what a fix sets to false. */
  | { kind: 'on-by-default'; input: string; what: string; note?: string; offEvents?: readonly string[] };

export interface CacheActionRow {
  /** `owner/repo[/path]`, lower case. */
  action: string;
  /** Major versions the row applies to (inclusive); absent = all. */
  majors?: [number, number];
  mode: CacheMode;
  /** Inputs that, when true-ish, mean nothing is restored (`lookup-only`, `ignore-cache`). */
  optOuts?: readonly string[];
  /** Another input that turns the cache on by itself (setup-node v5+ still takes `cache: npm`). */
  alsoEnabledBy?: string;
  /**
   * How the action reads a boolean input, where Steward has read its source (other inputs are read
   * loosely: false/no/off/0/empty are off). `exact-true`: only `true` in any case is on (the action
   * compares `getInput(x).toLowerCase() === 'true'`). `core`: `@actions/core` getBooleanInput — only
   * true/True/TRUE and false/False/FALSE are accepted, anything else fails the step (so nothing is restored).
   */
  booleans?: Readonly<Record<string, 'exact-true' | 'core'>>;
}

const INF = 1_000;

export const CACHE_ACTIONS: readonly CacheActionRow[] = [
  // actions/cache README: `lookup-only: true` checks whether an entry exists without downloading it (v3.4+/v4).
  // actions/cache reads it with getInputAsBool: `getInput(name).toLowerCase() === 'true'`.
  { action: 'actions/cache', mode: { kind: 'always', what: 'restores a cache' }, optOuts: ['lookup-only'], booleans: { 'lookup-only': 'exact-true' } },
  { action: 'actions/cache/restore', mode: { kind: 'always', what: 'restores a cache' }, optOuts: ['lookup-only'], booleans: { 'lookup-only': 'exact-true' } },
  // setup-node README "Caching global packages data": `cache: npm|yarn|pnpm`.
  { action: 'actions/setup-node', majors: [1, 4], mode: { kind: 'input-enables', input: 'cache', what: 'restores a package cache' } },
  // setup-node v5.0.0 release notes: caching is automatic when package.json has a `packageManager`
  // field; `package-manager-cache: false` turns it off. v6.0.0 limited the automatic cache to npm.
  { action: 'actions/setup-node', majors: [5, INF], mode: { kind: 'on-by-default', input: 'package-manager-cache', what: 'restores a package cache', note: 'automatically, when package.json names its package manager' }, alsoEnabledBy: 'cache' },
  { action: 'actions/setup-python', mode: { kind: 'input-enables', input: 'cache', what: 'restores a package cache' } },
  { action: 'actions/setup-java', mode: { kind: 'input-enables', input: 'cache', what: 'restores a package cache' } },
  { action: 'actions/setup-dotnet', mode: { kind: 'input-enables', input: 'cache', what: 'restores a package cache' } },
  { action: 'denoland/setup-deno', mode: { kind: 'input-enables', input: 'cache', what: 'restores a package cache' } },
  { action: 'prefix-dev/setup-pixi', mode: { kind: 'input-enables', input: 'cache', what: 'restores a package cache' } },
  // ruby/setup-ruby README: `bundler-cache: true` runs bundle install and caches the gems.
  { action: 'ruby/setup-ruby', mode: { kind: 'input-enables', input: 'bundler-cache', what: 'restores the bundle cache' } },
  // setup-go v4.0.0 release notes: caching is on by default (`cache: false` turns it off).
  // setup-go's isCacheAvailable() starts with `core.getBooleanInput('cache')`.
  { action: 'actions/setup-go', majors: [1, 3], mode: { kind: 'input-enables', input: 'cache', what: 'restores the module cache' }, booleans: { cache: 'core' } },
  { action: 'actions/setup-go', majors: [4, INF], mode: { kind: 'on-by-default', input: 'cache', what: 'restores the module cache' }, booleans: { cache: 'core' } },
  // setup-uv: `enable-cache` opt-in before v5; v5.0.0 made `auto` (on for GitHub-hosted runners) the
  // default; v10.0.0 made `auto` turn the cache off for pull_request_target, workflow_run and release.
  { action: 'astral-sh/setup-uv', majors: [1, 4], mode: { kind: 'input-enables', input: 'enable-cache', what: 'restores the uv cache' } },
  { action: 'astral-sh/setup-uv', majors: [5, 9], mode: { kind: 'on-by-default', input: 'enable-cache', what: 'restores the uv cache' } },
  { action: 'astral-sh/setup-uv', majors: [10, INF], mode: { kind: 'on-by-default', input: 'enable-cache', what: 'restores the uv cache', offEvents: ['pull_request_target', 'workflow_run', 'release'] } },
  // jdx/mise-action README: `cache: true` by default.
  { action: 'jdx/mise-action', mode: { kind: 'on-by-default', input: 'cache', what: 'restores the tool cache' } },
  // Swatinem/rust-cache README: `lookup-only` checks for an entry without restoring it.
  // rust-cache restore: `core.getInput("lookup-only").toLowerCase() === "true"`.
  { action: 'swatinem/rust-cache', mode: { kind: 'always', what: 'restores the Cargo build cache' }, optOuts: ['lookup-only'], booleans: { 'lookup-only': 'exact-true' } },
  { action: 'hendrikmuhs/ccache-action', mode: { kind: 'always', what: 'restores the compiler cache' } },
  // ramsey/composer-install README: `ignore-cache: true` skips the cache.
  { action: 'ramsey/composer-install', mode: { kind: 'always', what: 'restores the Composer cache' }, optOuts: ['ignore-cache'] },
  // gradle/actions README: `cache-disabled: true` turns the Gradle cache off.
  { action: 'gradle/actions/setup-gradle', mode: { kind: 'always', what: 'restores the Gradle cache' }, optOuts: ['cache-disabled'] },
  { action: 'gradle/gradle-build-action', mode: { kind: 'always', what: 'restores the Gradle cache' }, optOuts: ['cache-disabled'] },
  // PyO3/maturin-action README: `sccache: true` compiles through sccache backed by the Actions cache.
  { action: 'pyo3/maturin-action', mode: { kind: 'input-enables', input: 'sccache', what: 'restores the sccache compiler cache' } },
  // Mozilla-Actions/sccache-action README: sccache stores in the Actions cache (SCCACHE_GHA_ENABLED).
  { action: 'mozilla-actions/sccache-action', mode: { kind: 'always', what: 'sets up sccache on the Actions cache' } },
];

/** The table row for an action at a major version (undefined major: the newest row). */
export function cacheRow(action: string, major: number | undefined): CacheActionRow | undefined {
  const rows = CACHE_ACTIONS.filter((r) => r.action === action);
  if (major === undefined) return rows.find((r) => !r.majors || r.majors[1] === INF) ?? rows[rows.length - 1];
  return rows.find((r) => !r.majors || (major >= r.majors[0] && major <= r.majors[1]));
}

/** A false-ish input value: empty, false, no, off, 0 (any case, quotes already removed). */
export const falsish = (v: string | undefined): boolean => v !== undefined && /^(?:|false|no|off|0)$/i.test(v.trim());
/** A true-ish input value: set and not false-ish. */
export const truish = (v: string | undefined): boolean => v !== undefined && !falsish(v);

/** Whether the action reads `input` as on, the way that action parses it (see `booleans`). */
export function inputOn(row: CacheActionRow, input: string, v: string | undefined): boolean {
  if (v === undefined) return false;
  const how = row.booleans?.[input];
  if (how === 'exact-true') return v.trim().toLowerCase() === 'true';
  if (how === 'core') return /^(?:true|True|TRUE)$/.test(v.trim());
  return truish(v);
}

/** Whether the action reads `input` as off (an invalid value for a `core` input fails the step: also nothing restored). */
export function inputOff(row: CacheActionRow, input: string, v: string | undefined): boolean {
  if (v === undefined) return false;
  const how = row.booleans?.[input];
  if (how === 'exact-true' || how === 'core') return !inputOn(row, input, v);
  return falsish(v);
}
