// SECURITY.md generation: the public API the CLI and the VS Code wizard use.
//   1. facts = await gatherProjectFacts(read, { tags, facts })   — what the repository already says
//   2. proposal = proposeAnswers(facts)                          — defaults for every question
//   3. answers = parseAnswers(edited)                             — validated (throws AnswersError, one line)
//   4. text = renderSecurityMd(answers)                           — the file
//   5. securityMdTarget(paths)                                    — where to write it (an existing policy first)
import type { RepoSnapshot } from '../repo/snapshot';
import type { RepoFacts } from '../model/facts';
import { decodeText } from '../yaml/text';
import { gatherProjectFacts as gather, proposeAnswers as propose, type Proposal, type ReadText as Reader } from './propose';
import { renderSecurityMd as render } from './render';
import type { SecurityMdAnswers as Answers } from './answers';

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


/** Text reader over any snapshot (disk, workspace, memory); `.git/config` and TAGS.txt included. */
export function snapshotReader(snapshot: RepoSnapshot): Reader {
  return async (p) => {
    const bytes = await snapshot.readFile(p);
    return bytes ? decodeText(bytes).text : undefined;
  };
}

/** Step 1+2 for front-ends: facts and proposed answers for a repository snapshot. */
export async function proposeForSnapshot(snapshot: RepoSnapshot, opts: { tags?: readonly string[]; facts?: RepoFacts } = {}): Promise<Proposal> {
  return propose(await gather(snapshotReader(snapshot), { ...opts, fallbackName: snapshot.name }));
}

export interface SecurityMdPlan {
  /** Repository-relative path to write. */
  path: string;
  /** Current text when the file exists (show a diff and ask before replacing it). */
  before?: string;
  after: string;
}

/** Step 4+5: the text for these answers and where it goes, with the existing file for a diff. */
export async function planSecurityMd(snapshot: RepoSnapshot, answers: Answers): Promise<SecurityMdPlan> {
  const target = securityMdTarget(await snapshot.listFiles());
  const before = target.exists ? await snapshotReader(snapshot)(target.path) : undefined;
  return { path: target.path, before, after: render(answers) };
}
