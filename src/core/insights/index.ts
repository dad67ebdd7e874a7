// security-insights.yml: schema (zod), validation with locations, generation and refresh.
export * from './schema';
export * from './validate';
export * from './generate';

/** Where GitHub-hosted projects keep the file; the root name is what the spec's examples use. */
export const INSIGHTS_DEFAULT_PATH = 'security-insights.yml';

export function insightsFiles(paths: readonly string[]): string[] {
  return paths.filter((p) => /^(?:|\.github\/)security-insights\.ya?ml$/i.test(p));
}
