// SECURITY.md generation: the public API the CLI and the VS Code wizard use.
//   1. facts = await gatherProjectFacts(read, { tags, facts })   — what the repository already says
//   2. proposal = proposeAnswers(facts)                          — defaults for every question
//   3. answers = parseAnswers(edited)                             — validated (throws AnswersError, one line)
//   4. text = renderSecurityMd(answers)                           — the file
//   5. securityMdTarget(paths)                                    — where to write it (an existing policy first)
export * from './answers';
export * from './propose';
export * from './render';
export { evaluatePolicy, RUBRIC_ITEMS, type RubricItemId, type PolicyEvaluation } from './rubric';

const PRECEDENCE = [/^\.github\/security\.(?:md|markdown)$/i, /^security\.(?:md|markdown)$/i, /^docs\/security\.(?:md|markdown)$/i];

/** The existing Markdown policy GitHub would show, else `SECURITY.md` at the root. */
export function securityMdTarget(paths: readonly string[]): { path: string; exists: boolean } {
  for (const re of PRECEDENCE) {
    const hit = paths.find((p) => re.test(p));
    if (hit) return { path: hit, exists: true };
  }
  return { path: 'SECURITY.md', exists: false };
}
