import type { CheckMeta, Finding, Location, RelatedLocation } from '../../model';
import type { Check } from '../types';
import { allSteps, finding, jobLabel, plural } from '../helpers';
import { deref, isScalar, keyLocation, keyString, locationOf, pairs, scalarString } from '../../yaml/parse';
import { actionName } from '../../yaml/uses';
import { actionMajor } from '../long-lived-publish-token/publishing';
import { isSetupToolAction, setupToolRow, type SetupToolRow } from '../../workflow/setup-tools';

export const meta: CheckMeta = {
  id: 'unpinned-tools',
  title: 'Setup actions install a chosen tool version',
  category: 'workflows',
  severity: 'low',
  confidence: 'high',
  fixable: false,
  docs: {
    summary:
      'A setup action installs "the newest release" of its tool: `version: latest` (or `stable`, `current`, `canary`, …) is written, or the version input is left out of an action that then installs the newest release (setup-uv from v3, setup-terraform, setup-helm, setup-kubectl, goreleaser-action up to v5, mise-action; setup-bun and ruff-action unless a repository file names a version). A table of setup actions, their version inputs and their defaults decides.',
    whyItMatters:
      'Pinning actions to commits does not help when the action then downloads whatever release of the tool came out this morning. A compromised or broken release of the tool reaches every run at once, the build is not reproducible, and a failure cannot be traced to a change in the repository. A chosen version changes only through a reviewed update.',
    howToFix:
      'Set the version input to the exact version you use today (`version: "0.8.4"`), or point the action at the file that already names it (`node-version-file`, uv\'s `required-version`), and let Dependabot or Renovate propose updates.',
    effort: 'minutes',
    fixSafety: 'No automatic fix: Steward cannot know which version the workflow is using today without looking it up.',
  },
  references: {
    zizmor: 'unpinned-tools',
    other: [{ title: 'GitHub Docs: Security hardening — using third-party actions', url: 'https://docs.github.com/en/actions/security-for-github-actions/security-guides/security-hardening-for-github-actions#using-third-party-actions' }],
  },
};

export const check: Check = {
  meta,
  fileKinds: ['workflow', 'action'],
  notApplicableReason: 'No workflows or actions',
  checkFile(file) {
    const y = file.yaml;
    if (!y) return [];
    const out: Finding[] = [];
    const seen = new Set<unknown>();
    const missing = new Map<string, { row: SetupToolRow; display: string; where: string; at: Location | undefined; others: RelatedLocation[] }>();
    for (const { step, job } of allSteps(file)) {
      if (!step.uses || seen.has(step.node)) continue;
      seen.add(step.node);
      const name = actionName(step.uses.value);
      // The version (from the ref or its comment) only for the actions of the table.
      const row = name && isSetupToolAction(name) ? setupToolRow(name, actionMajor(file, step)) : undefined;
      if (!row) continue;
      const where = `step ${step.name ?? step.id ?? step.index + 1}${job ? ` of job ${jobLabel(job)}` : ''}`;
      const pair = pairs(step.with).find((p) => keyString(p)?.toLowerCase() === row.input);
      const v = pair ? deref(pair.value, y) : undefined;
      const value = isScalar(v) ? (scalarString(v) ?? '').trim() : undefined;
      const display = step.uses.value.trim().split('@')[0];
      if (pair && value !== undefined && value !== '') {
        if (!row.newest.includes(value.toLowerCase())) continue;
        out.push(
          finding(meta, {
            message: `The ${where} asks ${display} for \`${row.input}: ${value}\`, so every run installs the newest ${row.tool} release; name the version you use`,
            location: keyLocation(y, pair) ?? locationOf(y, step.uses.node),
          }),
        );
        continue;
      }
      // A `with:` entry for a version file counts as choosing the version.
      if (pairs(step.with).some((p) => /version-file$/i.test(keyString(p) ?? ''))) continue;
      if (row.missing.kind === 'none' || (pair && value === undefined)) continue;
      // One finding per action per file: the same setup step copied into every job is one decision.
      const key = `${row.action}\u0000${row.input}`;
      const at = locationOf(y, step.uses.node);
      const group = missing.get(key);
      if (group) {
        if (at) group.others.push({ ...at, message: `also without \`${row.input}\` (${where})` });
        continue;
      }
      missing.set(key, { row, display, where, at, others: [] });
    }
    for (const g of missing.values()) {
      const files = g.row.missing.kind === 'file-or-latest' ? g.row.missing.files : undefined;
      const more = g.others.length ? ` (and ${plural(g.others.length, 'other step')} of this file)` : '';
      out.push(
        finding(meta, {
          message: `The ${g.where}${more} uses ${g.display} without \`${g.row.input}\`, so it installs the newest ${g.row.tool} release${files ? ` unless ${files} pins one (a range such as \`>=1.2\` still takes the newest)` : ''}; name the version you use`,
          confidence: files ? 'low' : 'medium',
          location: g.at,
          related: g.others.length ? g.others : undefined,
        }),
      );
    }
    return out;
  },
};
