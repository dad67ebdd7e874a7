// security-insights.yml: schema (zod), validation with locations, generation and refresh.
import type { RepoSnapshot } from '../repo/snapshot';
import type { RepoFacts } from '../model/facts';
import { decodeText } from '../yaml/text';
import { buildInsights, gatherInsightsFacts, refreshInsights, renderInsights, todayUtc } from './generate';

export * from './schema';
export * from './validate';
export * from './generate';
export * from './placeholder';

import { INSIGHTS_DEFAULT_PATH } from './generate';

export function insightsFiles(paths: readonly string[]): string[] {
  return paths.filter((p) => /^(?:|\.github\/)security-insights\.ya?ml$/i.test(p));
}

export type InsightsPlan =
  | { ok: true; path: string; before?: string; after: string }
  | { ok: false; path?: string; reason: string };

/**
 * For front-ends: the new or refreshed file for a repository snapshot (the existing one is kept as
 * `before` for a diff), or why it cannot be produced.
 */
export async function planInsights(snapshot: RepoSnapshot, opts: { facts?: RepoFacts; today?: string } = {}): Promise<InsightsPlan> {
  const paths = await snapshot.listFiles();
  const read = async (p: string) => {
    const b = await snapshot.readFile(p);
    return b ? decodeText(b).text : undefined;
  };
  const facts = await gatherInsightsFacts({ paths, read, facts: opts.facts, fallbackName: snapshot.name });
  if (!facts) return { ok: false, reason: 'cannot tell the repository URL (no git remote, no repository in package metadata)' };
  const path = insightsFiles(paths)[0] ?? INSIGHTS_DEFAULT_PATH;
  const fresh = buildInsights(facts, opts.today ?? todayUtc(), path);
  const before = paths.includes(path) ? await read(path) : undefined;
  if (before === undefined) return { ok: true, path, after: renderInsights(fresh) };
  const after = refreshInsights(before, fresh);
  if (after === undefined) return { ok: false, path, reason: `${path} is not a Security Insights 2.0 YAML mapping that can be refreshed (syntax error or a 1.x file)` };
  return { ok: true, path, before, after };
}
