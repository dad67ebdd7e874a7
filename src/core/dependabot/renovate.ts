import JSON5 from 'json5';
import type { TextEdit } from '../model';
import { detectEol, indentOf, LineIndex } from '../yaml/text';

// Renovate configuration, read just far enough to know which ecosystems it keeps up to date and
// whether it waits before proposing new releases (`minimumReleaseAge`, formerly `stabilityDays`).
// Renovate updates every ecosystem it knows by default; presets named in `extends` cannot be seen
// offline, so conclusions that depend on them carry lower confidence.

export const RENOVATE_PATHS = [
  'renovate.json',
  'renovate.json5',
  '.renovaterc',
  '.renovaterc.json',
  '.renovaterc.json5',
  '.github/renovate.json',
  '.github/renovate.json5',
  '.gitlab/renovate.json',
  '.gitlab/renovate.json5',
];

export interface RenovateConfig {
  path: string;
  text: string;
  lines: LineIndex;
  /** The configuration object (the `renovate` key's value for package.json). */
  json?: Record<string, unknown>;
  /** Why it could not be read. */
  error?: string;
  fromPackageJson: boolean;
}

/** Renovate manager names per Dependabot ecosystem. */
const MANAGERS: Record<string, string[]> = {
  npm: ['npm'],
  bun: ['bun', 'npm'],
  pip: ['pip_requirements', 'pip_setup', 'pep621', 'pipenv', 'poetry', 'setup-cfg', 'pip-compile'],
  uv: ['pep621'],
  cargo: ['cargo'],
  gomod: ['gomod'],
  bundler: ['bundler'],
  maven: ['maven', 'maven-wrapper'],
  gradle: ['gradle', 'gradle-wrapper'],
  composer: ['composer'],
  nuget: ['nuget'],
  docker: ['dockerfile'],
  'docker-compose': ['docker-compose'],
  devcontainers: ['devcontainer'],
  terraform: ['terraform'],
  'pre-commit': ['pre-commit'],
  'github-actions': ['github-actions'],
  gitsubmodule: ['git-submodules'],
  helm: ['helmv3'],
  mix: ['mix'],
  pub: ['pub'],
  swift: ['swift'],
  'rust-toolchain': [],
};

/** Managers Renovate ships switched off; they count only when the configuration turns them on. */
const OFF_BY_DEFAULT = new Set(['pre-commit', 'git-submodules']);

export function parseRenovate(path: string, text: string): RenovateConfig {
  const lines = new LineIndex(text);
  const fromPackageJson = path === 'package.json' || path.endsWith('/package.json');
  try {
    const parsed: unknown = JSON5.parse(text);
    const obj = fromPackageJson ? (parsed as Record<string, unknown> | null)?.renovate : parsed;
    if (!obj || typeof obj !== 'object' || Array.isArray(obj)) return { path, text, lines, fromPackageJson, error: 'is not a JSON object' };
    return { path, text, lines, fromPackageJson, json: obj as Record<string, unknown> };
  } catch (e) {
    return { path, text, lines, fromPackageJson, error: e instanceof Error ? e.message.split('\n')[0] : String(e) };
  }
}

function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

function managerSwitch(cfg: Record<string, unknown>, manager: string): boolean | undefined {
  const block = cfg[manager];
  if (block && typeof block === 'object' && typeof (block as Record<string, unknown>).enabled === 'boolean') return (block as Record<string, unknown>).enabled as boolean;
  return undefined;
}

/** Managers turned off by a packageRule that matches on managers alone. */
function disabledByRules(cfg: Record<string, unknown>): Set<string> {
  const out = new Set<string>();
  const rules = Array.isArray(cfg.packageRules) ? cfg.packageRules : [];
  for (const r of rules) {
    if (!r || typeof r !== 'object') continue;
    const rule = r as Record<string, unknown>;
    const matchers = Object.keys(rule).filter((k) => k.startsWith('match') || k.startsWith('exclude'));
    if (rule.enabled === false && matchers.length === 1 && matchers[0] === 'matchManagers') for (const m of strings(rule.matchManagers)) out.add(m);
  }
  return out;
}

/** Whether Renovate keeps `ecosystem` up to date under this configuration. */
export function renovateCovers(cfg: RenovateConfig, ecosystem: string): boolean {
  const json = cfg.json;
  // A configuration that cannot be read still means Renovate runs with its defaults... or fails;
  // either way it is not "no tool", so count it and let the unparseable file be reported elsewhere.
  if (!json) return true;
  if (json.enabled === false) return false;
  const managers = MANAGERS[ecosystem];
  if (!managers) return false;
  const enabledManagers = Array.isArray(json.enabledManagers) ? new Set(strings(json.enabledManagers)) : undefined;
  const ruleOff = disabledByRules(json);
  return managers.some((m) => {
    if (enabledManagers && !enabledManagers.has(m)) return false;
    const sw = managerSwitch(json, m);
    if (sw === false || ruleOff.has(m)) return false;
    if (OFF_BY_DEFAULT.has(m)) return sw === true || (enabledManagers?.has(m) ?? false);
    return true;
  });
}

/** Days in a Renovate duration ("7 days", "1 week", "3d", "12 hours"); undefined when unreadable. */
export function durationDays(v: unknown): number | undefined {
  if (typeof v === 'number') return v;
  if (typeof v !== 'string') return undefined;
  const m = /^\s*(\d+(?:\.\d+)?)\s*(minutes?|mins?|m|hours?|hrs?|h|days?|d|weeks?|w|months?|mo)?\s*$/i.exec(v);
  if (!m) return undefined;
  const n = Number(m[1]);
  const unit = (m[2] ?? 'days').toLowerCase();
  if (/^(minutes?|mins?|m)$/.test(unit)) return n / 1440;
  if (/^(hours?|hrs?|h)$/.test(unit)) return n / 24;
  if (/^(weeks?|w)$/.test(unit)) return n * 7;
  if (/^(months?|mo)$/.test(unit)) return n * 30;
  return n;
}

export interface ReleaseAge {
  key?: 'minimumReleaseAge' | 'stabilityDays';
  days?: number;
  raw?: unknown;
  /** Offsets of the value in the text, when found. */
  valueRange?: [number, number];
  keyOffset?: number;
}

/** The configuration-wide release age, with where it is written. */
export function releaseAge(cfg: RenovateConfig): ReleaseAge {
  const json = cfg.json ?? {};
  for (const key of ['minimumReleaseAge', 'stabilityDays'] as const) {
    if (!(key in json)) continue;
    const raw = json[key];
    const days = key === 'stabilityDays' && typeof raw === 'number' ? raw : durationDays(raw);
    const m = new RegExp(`["']?${key}["']?\\s*:\\s*("[^"]*"|'[^']*'|[\\d.]+)`).exec(cfg.text);
    const valueRange: [number, number] | undefined = m ? [m.index + m[0].length - m[1].length, m.index + m[0].length] : undefined;
    return { key, days, raw, valueRange, keyOffset: m?.index };
  }
  return {};
}

/**
 * Edits that set a configuration-wide `minimumReleaseAge` of `days` in a Renovate JSON file: raise
 * an existing value, or add the key as the object's first member on its own line, indented like its
 * neighbours. Undefined for package.json (the key would land in the wrong object) and empty objects.
 */
export function releaseAgeEdits(cfg: RenovateConfig, days: number): TextEdit[] | undefined {
  if (cfg.fromPackageJson || !cfg.json) return undefined;
  const value = `"${days} days"`;
  const age = releaseAge(cfg);
  if (age.valueRange) {
    const quote = cfg.text[age.valueRange[0]];
    const newText = age.key === 'stabilityDays' ? String(days) : quote === "'" ? `'${days} days'` : value;
    return [{ file: cfg.path, start: age.valueRange[0], end: age.valueRange[1], newText }];
  }
  if (Object.keys(cfg.json).length === 0) return undefined;
  const open = cfg.text.indexOf('{');
  if (open < 0) return undefined;
  const eol = detectEol(cfg.text);
  const nl = cfg.text.indexOf('\n', open);
  // A one-line object gets no fix: inserting would mean reformatting it.
  if (nl < 0 || cfg.text.slice(open + 1, nl).trim() !== '') return undefined;
  let at = nl + 1;
  let line = cfg.lines.position(at).line;
  let nextLine = cfg.lines.lineText(line);
  // `$schema` stays the first member, as editors and the Renovate docs write it.
  if (/^\s*["']?\$schema["']?\s*:.*,\s*$/.test(nextLine) && line < cfg.lines.lineCount) {
    line += 1;
    at = cfg.lines.lineStart(line);
    nextLine = cfg.lines.lineText(line);
  }
  const indent = indentOf(nextLine) || '  ';
  const json5Style = /\.json5$/.test(cfg.path) && /^\s*[A-Za-z_$][\w$]*\s*:/.test(nextLine);
  const key = json5Style ? 'minimumReleaseAge' : '"minimumReleaseAge"';
  return [{ file: cfg.path, start: at, end: at, newText: `${indent}${key}: ${value},${eol}` }];
}

/** Every Renovate configuration the repository has, package.json's `renovate` key included. */
export async function loadRenovateConfigs(
  paths: readonly string[],
  read: (p: string) => Promise<{ text: string } | undefined>,
  pathSet?: ReadonlySet<string>,
): Promise<RenovateConfig[]> {
  const out: RenovateConfig[] = [];
  const set = pathSet ?? new Set(paths);
  for (const p of RENOVATE_PATHS) {
    if (!set.has(p)) continue;
    const f = await read(p);
    out.push(f ? parsedOnce(f, p) : { path: p, text: '', lines: new LineIndex(''), fromPackageJson: false, error: 'could not be read' });
  }
  if (set.has('package.json')) {
    const f = await read('package.json');
    if (f && /"renovate"\s*:/.test(f.text)) {
      const c = parsedOnce(f, 'package.json');
      if (c.json) out.push(c);
    }
  }
  return out;
}

/**
 * parseRenovate() once per file object: two checks load the configurations in every scan, and a
 * scan's reads give each check the same object for a file. The result is shared: never change it.
 */
const parsedConfigs = new WeakMap<object, RenovateConfig>();

function parsedOnce(f: { text: string }, path: string): RenovateConfig {
  let c = parsedConfigs.get(f);
  if (!c || c.path !== path || c.text !== f.text) {
    c = parseRenovate(path, f.text);
    parsedConfigs.set(f, c);
  }
  return c;
}
