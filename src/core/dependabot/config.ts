import { globMatches } from '../repo/glob';
import type { Pair, Scalar, YAMLMap, YAMLSeq } from 'yaml';
import { deref, getPair, isMap, isScalar, isSeq, keyString, pairs, rootMap, scalarString, type YamlFile } from '../yaml/parse';
import { entryCovers, normalizeDirectory, type DetectedManifests } from './ecosystems';

// A typed view over .github/dependabot.yml that keeps the YAML nodes, so checks can point at the
// exact entry and fixes can splice next to it.

export interface DependabotEntry {
  index: number;
  node: YAMLMap;
  ecosystem?: string;
  ecosystemNode?: Scalar;
  /** Normalised `directory` / `directories` values (may contain globs for `directories`). */
  directories: string[];
  cooldown?: Pair;
  schedule?: Pair;
  /** `open-pull-requests-limit` when it is a number; 0 switches version updates off. */
  openPullRequestsLimit?: number;
  /** Entries for another branch (`target-branch`) are separate streams, not ones to extend. */
  targetBranch?: string;
}

export interface DependabotConfig {
  file: YamlFile;
  root: YAMLMap;
  updatesPair?: Pair;
  updates?: YAMLSeq;
  entries: DependabotEntry[];
}

export function readDependabot(file: YamlFile): DependabotConfig | undefined {
  const root = rootMap(file);
  if (!root) return undefined;
  const updatesPair = getPair(root, 'updates', file);
  const updatesNode = updatesPair ? deref(updatesPair.value, file) : undefined;
  const updates = isSeq(updatesNode) ? (updatesNode as YAMLSeq) : undefined;
  const entries: DependabotEntry[] = [];
  (updates?.items ?? []).forEach((raw, index) => {
    const node = deref(raw, file);
    if (!isMap(node)) return;
    const map = node as YAMLMap;
    const ecoPair = getPair(map, 'package-ecosystem', file);
    const ecoNode = ecoPair && isScalar(ecoPair.value) ? (ecoPair.value as Scalar) : undefined;
    const directories: string[] = [];
    const dir = scalarString(deref(getPair(map, 'directory', file)?.value, file));
    if (dir) directories.push(normalizeDirectory(dir));
    const dirs = deref(getPair(map, 'directories', file)?.value, file);
    if (isSeq(dirs)) for (const d of dirs.items) {
      const s = scalarString(deref(d, file));
      if (s) directories.push(normalizeDirectory(s));
    }
    const ecosystem = ecoNode ? scalarString(ecoNode) : undefined;
    // Dependabot reads workflows for a github-actions entry whose directory names the workflows folder too.
    if (ecosystem === 'github-actions') {
      for (let i = 0; i < directories.length; i++) if (directories[i] === '/.github/workflows') directories[i] = '/';
    }
    entries.push({
      index,
      node: map,
      ecosystem,
      ecosystemNode: ecoNode,
      directories,
      cooldown: getPair(map, 'cooldown', file),
      schedule: getPair(map, 'schedule', file),
      openPullRequestsLimit: numberOf(deref(getPair(map, 'open-pull-requests-limit', file)?.value, file)),
      targetBranch: scalarString(deref(getPair(map, 'target-branch', file)?.value, file)),
    });
  });
  return { file, root, updatesPair, updates, entries };
}

function numberOf(node: unknown): number | undefined {
  if (!isScalar(node)) return undefined;
  const n = Number((node as Scalar).value);
  return Number.isFinite(n) ? n : undefined;
}

/** Whether a `directory`/`directories` value names `dir` (globs as Dependabot allows them in `directories`). */
export function directoryMatches(pattern: string, dir: string): boolean {
  if (pattern === dir) return true;
  if (!/[*?[{]/.test(pattern)) return false;
  // `**/*` and `/**` are documented as "every directory", the root included.
  if (dir === '/' && /^\/\*\*(?:\/\*)?$/.test(pattern)) return true;
  return globMatches(dir, pattern, true);
}

/** Whether any entry keeps the detected manifests up to date. */
export function isCovered(entries: readonly { ecosystem?: string; directories: string[] }[], d: DetectedManifests): boolean {
  return entries.some((e) => e.ecosystem !== undefined && entryCovers(e.ecosystem, d.ecosystem) && e.directories.some((p) => directoryMatches(p, d.directory)));
}

/** Keys of a mapping, for messages. */
export function mapKeys(map: YAMLMap): string[] {
  return pairs(map).map((p) => keyString(p) ?? '');
}
