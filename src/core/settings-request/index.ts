import type { CheckResult, CheckStatus } from '../model';
import type { RepoFacts } from '../model/facts';

// The issue a contributor opens to ask maintainers for what only an admin can change. Plain data in,
// {title, body} out: the VS Code command copies it or opens it as an issue through the GitHub layer;
// the CLI prints or writes it. Only settings whose status is fail or unknown are listed.

export const SETTING_ITEMS = ['private-vulnerability-reporting', 'default-branch-ruleset', 'secret-scanning', 'read-only-workflow-token', 'org-2fa'] as const;
export type SettingItemId = (typeof SETTING_ITEMS)[number];

export interface SettingState {
  status: CheckStatus;
  /** Why, in one line (shown under the item when the status is unknown). */
  reason?: string;
}

export interface SettingsRequestInput {
  owner: string;
  repo: string;
  /** 'Organization' when known; 2FA enforcement only exists for organisations. */
  ownerType?: 'Organization' | 'User';
  states: Partial<Record<SettingItemId, SettingState>>;
}

export interface SettingsRequest {
  title: string;
  body: string;
  /** The items included, in order. */
  items: SettingItemId[];
}

/** Which check decides each setting, when one exists; others stay unknown offline. */
export const SETTING_CHECKS: Partial<Record<SettingItemId, string>> = {
  'private-vulnerability-reporting': 'private-vulnerability-reporting-disabled',
  'default-branch-ruleset': 'unprotected-default-branch',
};

interface ItemText {
  title: string;
  why: string;
  steps: (i: SettingsRequestInput) => { text: string; url: string }[];
}

const gh = (i: SettingsRequestInput, path: string) => `https://github.com/${i.owner}/${i.repo}/settings${path}`;

const ITEMS: Record<SettingItemId, ItemText> = {
  'private-vulnerability-reporting': {
    title: 'Turn on private vulnerability reporting',
    why: 'People who find a security problem can then report it privately from the Security tab, instead of in a public issue that anyone can read before a fix exists.',
    steps: (i) => [{ text: 'Under "Private vulnerability reporting", choose **Enable**', url: gh(i, '/security_analysis') }],
  },
  'default-branch-ruleset': {
    title: 'Protect the default branch with a ruleset',
    why: 'A ruleset that blocks force pushes and deletion, and requires a pull request, means one stolen token or mistaken push cannot rewrite or destroy the code everyone installs.',
    steps: (i) => [{ text: 'Create a branch ruleset targeting the default branch: block force pushes, restrict deletions, require a pull request before merging', url: gh(i, '/rules/new?target=branch') }],
  },
  'secret-scanning': {
    title: 'Turn on secret scanning and push protection',
    why: 'GitHub then warns when a password or token is committed, and push protection stops most of them before they become public, when they are still cheap to fix.',
    steps: (i) => [{ text: 'Under "Secret Protection", enable **Secret scanning** and **Push protection**', url: gh(i, '/security_analysis') }],
  },
  'read-only-workflow-token': {
    title: 'Make the default workflow token read-only',
    why: 'Workflows then get write access only where a file asks for it, so a compromised build step or action cannot push code or publish releases with the automatic token.',
    steps: (i) => [{ text: 'Under "Workflow permissions", choose **Read repository contents and packages permissions** and save', url: gh(i, '/actions') }],
  },
  'org-2fa': {
    title: 'Require two-factor authentication for the organisation',
    why: 'With 2FA required, a leaked or guessed password is no longer enough to take over a member account that can push to this repository.',
    steps: (i) => [{ text: 'Under "Authentication security", tick **Require two-factor authentication for everyone in the organization**', url: `https://github.com/organizations/${i.owner}/settings/security` }],
  },
};

function included(state: SettingState | undefined): boolean {
  const s = state?.status ?? 'unknown';
  return s === 'fail' || s === 'unknown' || s === 'error';
}

export function buildSettingsRequest(input: SettingsRequestInput): SettingsRequest {
  const items = SETTING_ITEMS.filter((id) => {
    if (id === 'org-2fa' && input.ownerType === 'User') return false;
    return included(input.states[id]);
  });
  const repo = `${input.owner}/${input.repo}`;
  const title = items.length === 1 ? `Security settings request: ${ITEMS[items[0]].title.toLowerCase()}` : `Security settings request: ${items.length} repository settings only an admin can change`;
  const lines: string[] = [
    `Hi! While looking at the security of ${repo}, I noticed ${items.length === 1 ? 'one setting' : `${items.length} settings`} that only a repository admin can change and that ${items.length === 1 ? 'is' : 'are'} off, or that I could not check from outside. Each takes a minute, costs nothing, and changes no code. Tick the boxes as you go; any you prefer to skip is fine — a short note why helps the next person who asks.`,
    '',
  ];
  for (const id of items) {
    const t = ITEMS[id];
    const st = input.states[id];
    const unknown = (st?.status ?? 'unknown') !== 'fail';
    lines.push(`### ${t.title}`, '');
    for (const s of t.steps(input)) lines.push(`- [ ] ${s.text}: ${s.url}`);
    lines.push('', `Why: ${t.why}`);
    if (id === 'org-2fa' && input.ownerType === undefined) lines.push('', `(Only if ${input.owner} is an organisation; personal accounts set 2FA for themselves.)`);
    if (unknown) lines.push('', `_I could not check this from outside${st?.reason ? `: ${st.reason.replace(/^Unknown[:—\s-]*/i, '').replace(/\.$/, '')}` : ''}. If it is already on, just tick it._`);
    lines.push('');
  }
  if (!items.length) lines.splice(0, lines.length, `All the settings Steward checks for ${repo} are already in place. Thank you!`, '');
  lines.push('---', '', 'Prepared with Steward. The links go straight to the settings pages of this repository (they open for admins only).');
  return { title, body: lines.join('\n') + '\n', items: [...items] };
}

/** Setting states from a scan's check results (and facts, for the owner). */
export function settingStatesFromResults(results: readonly CheckResult[], facts?: RepoFacts): Partial<Record<SettingItemId, SettingState>> {
  const out: Partial<Record<SettingItemId, SettingState>> = {};
  for (const id of SETTING_ITEMS) {
    const checkId = SETTING_CHECKS[id];
    const r = checkId ? results.find((x) => x.checkId === checkId) : undefined;
    if (r) out[id] = { status: r.status === 'not-applicable' ? 'unknown' : r.status, reason: r.reason };
    else out[id] = { status: 'unknown', reason: facts ? 'the GitHub API does not show this to contributors' : 'online features were off' };
  }
  return out;
}
