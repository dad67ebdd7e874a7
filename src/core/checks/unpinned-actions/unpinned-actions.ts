import type { CheckMeta, Finding } from '../../model';
import type { Check } from '../types';
import { finding, usesSites } from '../helpers';
import { parseUses, isFirstParty } from '../../yaml/uses';
import { locationOf } from '../../yaml/parse';
import { PIN_ACTION_PROVIDER, type PinActionData } from '../../fix/deferred';

export const meta: CheckMeta = {
  id: 'unpinned-actions',
  title: 'Actions pinned to a commit SHA',
  category: 'workflows',
  severity: 'high',
  confidence: 'high',
  fixable: true,
  essential: true,
  docs: {
    summary: 'A workflow or composite action uses an action or reusable workflow by a tag or branch (`@v4`, `@main`) instead of a full commit SHA. Actions owned by GitHub (`actions/…`, `github/…`) are reported at low severity.',
    whyItMatters:
      'Tags and branches can be moved. If the action\'s repository is compromised, the attacker moves `v4` to malicious code and your next workflow run executes it with your secrets and token — this is how the tj-actions/changed-files compromise of 2025 reached thousands of projects. A full commit SHA cannot be moved.',
    howToFix:
      'Replace `@v4` with the commit SHA the tag points to today and keep the version as a comment: `uses: actions/checkout@<40-hex SHA> # v4.2.2`. Dependabot and Renovate understand this form and keep both up to date.',
    effort: 'minutes',
    fixSafety:
      'Safe when the SHA is the commit the tag points to today: the workflow runs exactly the same code as now. Steward resolves it from the action\'s own repository and shows the evidence (tag, date, compare link).',
  },
  references: { zizmor: 'unpinned-uses', scorecard: 'Pinned-Dependencies' },
};

export const check: Check = {
  meta,
  fileKinds: ['workflow', 'action'],
  notApplicableReason: 'No workflows or actions',
  checkFile(file) {
    const out: Finding[] = [];
    for (const site of usesSites(file)) {
      if (site.value.includes('${{')) continue;
      const u = parseUses(site.value);
      if (u.kind !== 'repo' || u.pinned) continue;
      const first = isFirstParty(u.owner);
      const what = u.reusable ? 'Reusable workflow' : 'Action';
      const range = site.node.range!;
      const data: PinActionData = { file: file.path, owner: u.owner, repo: u.repo, path: u.path, ref: u.ref, start: range[0], end: range[1] };
      out.push(
        finding(meta, {
          message: `${what} ${u.owner}/${u.repo}${u.path ? '/' + u.path : ''} is used by ${/^v?\d/.test(u.ref) ? 'tag' : 'ref'} '${u.ref}', not by a full commit SHA${first ? ' (GitHub-owned action: lower risk, still movable)' : ''}`,
          severity: first ? 'low' : 'high',
          location: locationOf(file.yaml!, site.node),
          fixes: [
            {
              title: `Pin ${u.owner}/${u.repo}${u.path ? '/' + u.path : ''}@${u.ref} to its commit SHA`,
              safe: true,
              edits: [],
              deferred: { provider: PIN_ACTION_PROVIDER, data },
            },
          ],
        }),
      );
    }
    return out;
  },
};
