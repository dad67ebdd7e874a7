import type { CheckMeta, Finding } from '../../model';
import type { Check } from '../types';
import { allSteps, finding, jobLabel } from '../helpers';
import { deref, isScalar, keyString, locationOf, pairs, scalarString } from '../../yaml/parse';
import { actionName } from '../../yaml/uses';

export const meta: CheckMeta = {
  id: 'github-app-token',
  title: 'GitHub App tokens ask only for what they need',
  category: 'workflows',
  severity: 'medium',
  confidence: 'high',
  fixable: false,
  docs: {
    summary:
      '`actions/create-github-app-token` is used without any `permission-*` input, so the token gets every permission the app was granted, or with `owner:` but no `repositories:`, so it reaches every repository the app is installed on for that owner (the action\'s README: no target inputs means the current repository only; `owner` alone means all repositories of that installation).',
    whyItMatters:
      'App tokens are usually created because the workflow\'s own `GITHUB_TOKEN` cannot do something — push to a protected branch, start workflows, write to another repository — so the app tends to hold broad rights. Every step after the token step, and every action it is passed to, can use all of them. Naming the permissions and repositories the job needs keeps a compromised dependency or a confused script from doing more than the job does.',
    howToFix:
      'Add one `permission-<name>: read|write` input for each permission the later steps use (for example `permission-contents: write` and `permission-pull-requests: write` to open a pull request) and, with `owner:`, list the repositories in `repositories:`. The app\'s settings page lists what it holds.',
    effort: 'minutes',
    fixSafety: 'No automatic fix: which permissions the later steps need is not visible from the workflow.',
  },
  references: {
    zizmor: 'github-app',
    other: [
      { title: 'actions/create-github-app-token README (inputs owner, repositories, permission-*)', url: 'https://github.com/actions/create-github-app-token#inputs' },
      { title: 'GitHub REST: create an installation access token (repositories, permissions)', url: 'https://docs.github.com/en/rest/apps/apps#create-an-installation-access-token-for-an-app' },
    ],
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
    for (const { step, job } of allSteps(file)) {
      if (!step.uses || seen.has(step.node) || actionName(step.uses.value) !== 'actions/create-github-app-token') continue;
      seen.add(step.node);
      const inputs = new Map<string, string>();
      for (const p of pairs(step.with)) {
        const k = keyString(p)?.toLowerCase();
        const v = deref(p.value, y);
        if (k) inputs.set(k, isScalar(v) ? (scalarString(v) ?? '').trim() : '?');
      }
      const named = [...inputs.keys()].some((k) => k.startsWith('permission-'));
      const owner = inputs.get('owner');
      const ownerWide = !!owner && !inputs.get('repositories');
      if (named && !ownerWide) continue;
      const where = `Step ${step.name ?? step.id ?? step.index + 1}${job ? ` of job ${jobLabel(job)}` : ''}`;
      const problems: string[] = [];
      if (!named) problems.push('no `permission-*` input, so the token carries every permission the app was granted');
      if (ownerWide) problems.push(`\`owner: ${owner}\` without \`repositories:\`, so it reaches every repository the app is installed on for that owner`);
      out.push(
        finding(meta, {
          message: `${where} creates a GitHub App token with ${problems.join(', and ')}; name the permissions${ownerWide ? ' and repositories' : ''} the job needs`,
          severity: !named && ownerWide ? 'high' : 'medium',
          location: locationOf(y, step.uses.node),
        }),
      );
    }
    return out;
  },
};
