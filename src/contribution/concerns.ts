import { isSafeFix, type CheckMeta, type Finding, type Fix } from '../core/model';
import type { RepoScan } from '../core/engine';

// A concern is what one pull request is about: one hazard, explained once, in as few files as
// possible. Maintainers merge small focused PRs and reject "apply security best practices" bundles,
// so the flow offers concerns, not findings.

export interface ConcernDef {
  id: string;
  title: string;
  /** Rule ids whose fixes belong to this concern. */
  rules: string[];
  /** Branch name suffix: steward/<branch>. */
  branch: string;
  /** Short PR title. */
  prTitle: string;
  /**
   * Rules whose review fixes are what this concern is about: asking for the concern is asking for
   * them (turning Dependabot on is new behaviour, so its fix is review, yet it is the whole point of
   * the `dependabot` PR). Their review reasons still go into the PR text.
   */
  reviewWhenAsked?: string[];
}

export const CONCERN_DEFS: readonly ConcernDef[] = [
  { id: 'security-policy', title: 'Add or complete the security policy (SECURITY.md)', rules: ['missing-security-policy', 'security-policy-incomplete'], branch: 'security-policy', prTitle: 'Add a security policy (SECURITY.md)' },
  { id: 'pin-actions', title: 'Pin actions to commit SHAs', rules: ['unpinned-actions', 'missing-version-comment'], branch: 'pin-actions', prTitle: 'Pin GitHub Actions to commit SHAs' },
  { id: 'token-permissions', title: 'Restrict workflow token permissions', rules: ['excessive-permissions'], branch: 'token-permissions', prTitle: 'Restrict the GITHUB_TOKEN permissions of workflows' },
  { id: 'checkout-credentials', title: 'Stop persisting checkout credentials', rules: ['persisted-checkout-credentials'], branch: 'checkout-credentials', prTitle: "Don't persist the checkout token in workflows" },
  { id: 'template-injection', title: 'Move untrusted expressions out of scripts', rules: ['template-injection'], branch: 'template-injection', prTitle: 'Fix script injection in workflows' },
  { id: 'dependabot', title: 'Enable Dependabot with a cooldown', rules: ['missing-dependency-updates', 'missing-update-cooldown', 'unsafe-dependabot-execution'], reviewWhenAsked: ['missing-dependency-updates'], branch: 'dependabot', prTitle: 'Keep dependencies up to date with Dependabot (with a cooldown)' },
  { id: 'workflow-hygiene', title: 'Remove unsafe workflow settings', rules: ['insecure-commands', 'unsound-condition'], branch: 'workflow-hygiene', prTitle: 'Remove unsafe workflow settings' },
];

export interface Concern {
  def: ConcernDef;
  findings: Finding[];
  /** One fix per finding (the first applicable one). */
  fixes: { finding: Finding; fix: Fix }[];
  files: string[];
  /** Fixes that cannot be used (unsafe without consent, need network that is unavailable). */
  unavailable: { finding: Finding; reason: string }[];
}

function pickFix(f: Finding, allowUnsafe: boolean): Fix | undefined {
  return f.fixes.find((x) => isSafeFix(x) || allowUnsafe);
}

/**
 * The concerns this scan offers, with their fixes. A concern id can also be a rule id (one concern
 * per rule) for rules that have no curated concern, so every fixable rule is reachable.
 */
export function concernsFor(scan: RepoScan, metas: readonly CheckMeta[], opts: { allowUnsafe?: boolean; asked?: string } = {}): Concern[] {
  const active = scan.findings.filter((f) => !f.suppressed && f.fixes.length);
  const covered = new Set(CONCERN_DEFS.flatMap((d) => d.rules));
  const defs: ConcernDef[] = [...CONCERN_DEFS];
  const fixableMetas = metas.filter((m) => m.fixable && !covered.has(m.id));
  for (const m of fixableMetas) defs.push({ id: m.id, title: m.title, rules: [m.id], branch: m.id, prTitle: m.title });
  const out: Concern[] = [];
  for (const def of defs) {
    const findings = active.filter((f) => def.rules.includes(f.ruleId));
    if (!findings.length) continue;
    const fixes: Concern['fixes'] = [];
    const unavailable: Concern['unavailable'] = [];
    // The concern the user named (or, when listing, the one they would name) uses its
    // `reviewWhenAsked` review fixes without --unsafe; another concern's run leaves them alone.
    const asked = opts.asked === undefined || opts.asked === def.id;
    for (const f of findings) {
      const fix = pickFix(f, !!opts.allowUnsafe || (asked && !!def.reviewWhenAsked?.includes(f.ruleId)));
      if (fix) fixes.push({ finding: f, fix });
      else unavailable.push({ finding: f, reason: 'only an unsafe fix exists (needs review; pass --unsafe to include it)' });
    }
    const files = [...new Set(fixes.flatMap((x) => (x.fix.edits.length ? x.fix.edits.map((e) => e.file) : x.finding.location ? [x.finding.location.file] : [])))].sort();
    out.push({ def, findings, fixes, files, unavailable });
  }
  return out;
}

export function findConcern(concerns: readonly Concern[], id: string): Concern | undefined {
  return concerns.find((c) => c.def.id === id);
}

/**
 * Whether reproducing a change needs `--unsafe`: it applies a review fix other than the ones its
 * concern uses when asked for (`reviewWhenAsked`). The commit trailer's command must replay exactly.
 */
export function needsUnsafe(change: { ruleId: string; fixes?: readonly Pick<Fix, 'safe'>[] }, concern: Concern): boolean {
  if (concern.def.reviewWhenAsked?.includes(change.ruleId)) return false;
  return (change.fixes ?? []).some((f) => !isSafeFix(f));
}
