import type { CheckMeta, Finding, Location } from '../../model';
import type { Check, RepoOutcome } from '../types';
import { finding, pathKinds, plural } from '../helpers';
import { CODEOWNERS_LOCATIONS, parseCodeowners, ruleFor } from './codeowners';

export const meta: CheckMeta = {
  id: 'codeowners-gaps',
  title: 'Code owners for workflows, Dependabot config and SECURITY.md',
  category: 'settings',
  severity: 'low',
  confidence: 'high',
  fixable: false,
  docs: {
    summary:
      'There is no CODEOWNERS file (GitHub reads .github/CODEOWNERS, then CODEOWNERS at the root, then docs/CODEOWNERS), or it leaves the sensitive files without owners: the workflows in .github/workflows/, the Dependabot configuration and SECURITY.md.',
    whyItMatters:
      'Workflows run with your repository\'s token and secrets, the Dependabot file decides what gets updated, and SECURITY.md tells reporters where to go. With code owners (and "Require review from Code Owners" in branch protection), a change to these files cannot merge without one of the people who understand them approving it. Without it, any reviewer can approve a workflow change that leaks a secret.',
    howToFix:
      'Add `.github/CODEOWNERS` with lines such as `/.github/workflows/ @your-org/maintainers`, `/.github/dependabot.yml @your-org/maintainers` and `/SECURITY.md @your-org/maintainers` (or `* @owner` for everything). Remember that the last matching line wins and a pattern with no owners removes ownership. Then turn on "Require review from Code Owners" for the default branch.',
    effort: 'minutes',
    fixSafety: 'No automatic fix: who owns which files is for the maintainers to decide.',
  },
  references: {
    other: [{ title: 'About code owners', url: 'https://docs.github.com/repositories/managing-your-repositorys-settings-and-features/customizing-your-repository/about-code-owners' }],
  },
};

function lineLocation(file: string, line: number, column = 1, length = 0): Location {
  return { file, start: { line, column }, end: { line, column: column + length } };
}

export const check: Check = {
  meta,
  async checkRepo(ctx): Promise<RepoOutcome> {
    const pathSet = ctx.pathSet ?? new Set(ctx.paths);
    const where = CODEOWNERS_LOCATIONS.find((p) => pathSet.has(p));
    if (!where) {
      return {
        status: 'fail',
        reason: 'No CODEOWNERS file in .github/, at the root or in docs/',
        findings: [finding(meta, { message: 'No CODEOWNERS file: changes to workflows and other sensitive files need no particular reviewer' })],
      };
    }
    const file = await ctx.read(where);
    if (!file) return { status: 'unknown', reason: `${where} exists but its content is not available`, findings: [] };

    // The files that should need an owner's review, as they exist in this repository.
    const kinds = pathKinds(ctx.paths);
    const sensitive = ctx.paths.filter((_, i) => {
      const kind = kinds[i];
      return kind === 'workflow' || kind === 'dependabot' || kind === 'security-policy';
    });
    if (sensitive.length === 0) return { status: 'pass', reason: `${where} present; no workflows, Dependabot config or SECURITY.md to cover`, findings: [] };

    const rules = parseCodeowners(file.text);
    const findings: Finding[] = [];
    for (const r of rules) {
      if (r.invalid) findings.push(finding(meta, { message: `${where} line ${r.line}: '${r.pattern}' is ignored by GitHub: ${r.invalid}`, location: lineLocation(where, r.line, r.column, r.pattern.length) }));
    }
    const unowned: string[] = [];
    const unownedBy = new Map<number, string[]>();
    for (const p of sensitive) {
      const rule = ruleFor(rules, p);
      if (!rule) unowned.push(p);
      else if (rule.owners.length === 0) unownedBy.set(rule.line, [...(unownedBy.get(rule.line) ?? []), p]);
    }
    if (unowned.length) {
      findings.push(
        finding(meta, {
          message: `${where} gives no owner to ${plural(unowned.length, 'sensitive file')}: ${unowned.slice(0, 5).join(', ')}${unowned.length > 5 ? ', ...' : ''}`,
          location: lineLocation(where, 1),
          details: unowned,
        }),
      );
    }
    for (const [line, paths] of unownedBy) {
      const rule = rules.find((r) => r.line === line)!;
      findings.push(
        finding(meta, {
          message: `${where} line ${line}: '${rule.pattern}' has no owners, which removes ownership from ${plural(paths.length, 'sensitive file')}: ${paths.slice(0, 5).join(', ')}${paths.length > 5 ? ', ...' : ''}`,
          location: lineLocation(where, line, rule.column, rule.pattern.length),
          details: paths,
        }),
      );
    }
    if (findings.length === 0) return { status: 'pass', reason: `${where} gives owners to ${plural(sensitive.length, 'sensitive file')}`, findings };
    return { status: 'fail', reason: findings.length === 1 ? findings[0].message : `${plural(findings.length, 'gap')} in ${where}`, findings };
  },
};
