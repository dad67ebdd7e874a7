import { evaluateCondition, parseCondition, type FactValue, type Facts } from '../yaml/expressions';

// Whether a job's or step's `if:` conditions let an outsider's pull request (or a fork's triggering
// run) reach it. The conditions are parsed and evaluated over the facts of such a run — the head
// repository is a fork, the actor is nobody the maintainers listed, no maintainer has labelled or
// merged anything — so a guard counts only when it decides the outcome on every path: a condition
// `fork || same-repo` keeps nobody out, `!fork && x` keeps forks out whatever x is.

export type Reach =
  /** Outsiders reach it. */
  | 'open'
  /** Only after a maintainer acts: a label they apply, a merge. */
  | 'approval'
  /** Never for a fork or an outsider, whatever a maintainer does (same repository, listed actors, other events). */
  | 'blocked';

const ASSOCIATIONS = 'set:NONE|FIRST_TIME_CONTRIBUTOR|FIRST_TIMER|CONTRIBUTOR|MANNEQUIN';

function outsiderFacts(trigger: string, approved: boolean): Facts {
  const table: Record<string, FactValue> = {
    'github.event_name': { known: trigger },
    'github.repository': { opaque: 'this-repo' },
    'github.repository_owner': { opaque: 'this-owner' },
    'github.event.repository.full_name': { opaque: 'this-repo' },
    'github.event.pull_request.head.repo.full_name': { opaque: 'fork-repo' },
    'github.event.pull_request.head.repo.fork': { known: true },
    'github.event.pull_request.head.repo.owner.login': { opaque: 'fork-owner' },
    'github.event.pull_request.head.user.login': { opaque: 'fork-owner' },
    'github.event.pull_request.user.login': { opaque: 'outsider' },
    'github.event.pull_request.merged': { known: approved },
    'github.event.workflow_run.head_repository.full_name': { opaque: 'fork-repo' },
    'github.event.workflow_run.head_repository.fork': { known: true },
    'github.event.workflow_run.head_repository.owner.login': { opaque: 'fork-owner' },
    'github.event.workflow_run.repository.full_name': { opaque: 'this-repo' },
    'github.event.workflow_run.event': { known: 'pull_request' },
    'github.actor': { opaque: 'outsider' },
    'github.triggering_actor': { opaque: 'outsider' },
    'github.event.sender.login': { opaque: 'outsider' },
    'github.event.comment.user.login': { opaque: 'outsider' },
    'github.event.issue.user.login': { opaque: 'outsider' },
    'github.event.pull_request.author_association': { opaque: ASSOCIATIONS },
    'github.event.comment.author_association': { opaque: ASSOCIATIONS },
    'github.event.issue.author_association': { opaque: ASSOCIATIONS },
    'github.event.review.author_association': { opaque: ASSOCIATIONS },
    // Labels only maintainers (triage access) can apply.
    'github.event.label.name': { opaque: approved ? '*' : 'no-label' },
    'github.event.pull_request.labels.*.name': { opaque: approved ? '*' : 'no-label' },
    'github.event.issue.labels.*.name': { opaque: approved ? '*' : 'no-label' },
  };
  return (path) => table[path];
}

/**
 * How an outsider's run of `trigger` fares against every condition on the path to a step (the job's
 * `if:`, then the step's). Conditions that do not parse, or that the facts do not decide, keep nobody out.
 */
export function outsiderReach(conditions: readonly (string | undefined)[], trigger: string): Reach {
  const nodes = conditions.filter((c): c is string => !!c && !!c.trim()).map(parseCondition);
  const allow = (approved: boolean) => {
    const facts = outsiderFacts(trigger, approved);
    return nodes.every((n) => !n || evaluateCondition(n, facts) !== false);
  };
  if (!allow(true)) return 'blocked';
  if (!allow(false)) return 'approval';
  return 'open';
}
