import type { Level, Scope } from './knowledge';

// Which GITHUB_TOKEN permission a REST call needs, after GitHub's published tables of the permissions
// each endpoint requires for GitHub App and fine-grained tokens (the GITHUB_TOKEN is an installation
// token, so the same table applies). The table names, for some endpoints, two permissions either of
// which is enough: the endpoints under /issues/{n} act on pull requests too (a pull request is an issue
// in the REST API), so commenting on or labelling a pull request through the issues API is authorised
// by "Pull requests" (write) as well as by "Issues" (write). `alt` carries that second choice.

export interface RouteNeed {
  scope: Scope;
  level: Level;
  /** A second scope that authorises the call just as well at the same level. */
  alt?: Scope;
  /** What the call does, completing "<source> …". */
  reason: string;
}

/** `none`: the call needs no repository permission (metadata, users, search, rate limit). */
export type RouteRule = RouteNeed | 'none';

const READ_METHODS = new Set(['GET', 'HEAD']);

interface Row {
  /** Path under /repos/{owner}/{repo}, as a pattern: `*` is one segment, a trailing `**` any rest. */
  path: string;
  scope: Scope;
  alt?: Scope;
  what: string;
  /** Only for these methods (default: every method; the level then follows the method). */
  methods?: string[];
  /** Fixed level regardless of the method. */
  level?: Level;
}

// Order matters: the first matching row wins, so specific paths come before their prefixes.
const REPO_ROWS: Row[] = [
  { path: 'issues/*/comments', scope: 'issues', alt: 'pull-requests', what: 'comments on issues and pull requests' },
  { path: 'issues/comments/**', scope: 'issues', alt: 'pull-requests', what: 'edits issue and pull request comments' },
  { path: 'issues/*/labels/**', scope: 'issues', alt: 'pull-requests', what: 'labels issues and pull requests' },
  { path: 'issues/*/labels', scope: 'issues', alt: 'pull-requests', what: 'labels issues and pull requests' },
  { path: 'issues/*/assignees/**', scope: 'issues', alt: 'pull-requests', what: 'assigns issues and pull requests' },
  { path: 'issues/*/assignees', scope: 'issues', alt: 'pull-requests', what: 'assigns issues and pull requests' },
  { path: 'issues/*/lock', scope: 'issues', alt: 'pull-requests', what: 'locks issues and pull requests' },
  { path: 'issues/*/reactions/**', scope: 'issues', alt: 'pull-requests', what: 'reacts to issues and pull requests' },
  { path: 'issues/*/reactions', scope: 'issues', alt: 'pull-requests', what: 'reacts to issues and pull requests' },
  { path: 'issues/*/events', scope: 'issues', alt: 'pull-requests', what: 'reads issue events' },
  { path: 'issues/*/timeline', scope: 'issues', alt: 'pull-requests', what: 'reads issue timelines' },
  { path: 'issues/*', scope: 'issues', alt: 'pull-requests', what: 'edits issues and pull requests' },
  { path: 'issues', scope: 'issues', what: 'opens issues' },
  { path: 'labels/**', scope: 'issues', alt: 'pull-requests', what: 'manages labels' },
  { path: 'labels', scope: 'issues', alt: 'pull-requests', what: 'manages labels' },
  { path: 'milestones/**', scope: 'issues', alt: 'pull-requests', what: 'manages milestones' },
  { path: 'milestones', scope: 'issues', alt: 'pull-requests', what: 'manages milestones' },
  { path: 'pulls/*/merge', scope: 'contents', what: 'merges pull requests', methods: ['PUT'] },
  { path: 'pulls/*/update-branch', scope: 'pull-requests', what: 'updates pull request branches' },
  { path: 'pulls/**', scope: 'pull-requests', what: 'works with pull requests' },
  { path: 'pulls', scope: 'pull-requests', what: 'works with pull requests' },
  { path: 'statuses/*', scope: 'statuses', what: 'sets commit statuses' },
  { path: 'commits/*/statuses', scope: 'statuses', what: 'reads commit statuses' },
  { path: 'commits/*/status', scope: 'statuses', what: 'reads the combined commit status' },
  { path: 'commits/*/check-runs', scope: 'checks', what: 'reads check runs' },
  { path: 'commits/*/check-suites', scope: 'checks', what: 'reads check suites' },
  { path: 'commits/*/pulls', scope: 'pull-requests', alt: 'contents', what: 'lists pull requests of a commit' },
  { path: 'commits/*/comments', scope: 'contents', what: 'comments on commits' },
  { path: 'check-runs/**', scope: 'checks', what: 'publishes check runs' },
  { path: 'check-runs', scope: 'checks', what: 'publishes check runs' },
  { path: 'check-suites/**', scope: 'checks', what: 'works with check suites' },
  { path: 'check-suites', scope: 'checks', what: 'works with check suites' },
  { path: 'actions/secrets/**', scope: 'actions', what: 'reads Actions secrets' },
  { path: 'actions/variables/**', scope: 'actions', what: 'reads Actions variables' },
  { path: 'actions/**', scope: 'actions', what: 'works with workflow runs and artifacts' },
  { path: 'deployments/**', scope: 'deployments', what: 'records deployments' },
  { path: 'deployments', scope: 'deployments', what: 'records deployments' },
  { path: 'environments/**', scope: 'deployments', what: 'reads deployment environments', level: 'read' },
  { path: 'pages/**', scope: 'pages', what: 'works with the Pages site' },
  { path: 'pages', scope: 'pages', what: 'works with the Pages site' },
  { path: 'code-scanning/**', scope: 'security-events', what: 'works with code scanning' },
  { path: 'dependabot/alerts/**', scope: 'security-events', what: 'reads Dependabot alerts' },
  { path: 'dependabot/alerts', scope: 'security-events', what: 'reads Dependabot alerts' },
  { path: 'attestations/**', scope: 'attestations', what: 'works with attestations' },
  { path: 'attestations', scope: 'attestations', what: 'works with attestations' },
  { path: 'releases/**', scope: 'contents', what: 'works with releases' },
  { path: 'releases', scope: 'contents', what: 'works with releases' },
  { path: 'git/**', scope: 'contents', what: 'writes git objects and refs' },
  { path: 'contents/**', scope: 'contents', what: 'works with repository files' },
  { path: 'merges', scope: 'contents', what: 'merges branches' },
  { path: 'dispatches', scope: 'contents', what: 'sends repository_dispatch events' },
  { path: 'branches/**', scope: 'contents', what: 'works with branches' },
  { path: 'branches', scope: 'contents', what: 'lists branches' },
  { path: 'tags/**', scope: 'contents', what: 'works with tags' },
  { path: 'tags', scope: 'contents', what: 'lists tags' },
  { path: 'commits/**', scope: 'contents', what: 'reads commits' },
  { path: 'commits', scope: 'contents', what: 'reads commits' },
  { path: 'compare/**', scope: 'contents', what: 'compares commits' },
  { path: 'readme/**', scope: 'contents', what: 'reads the README' },
  { path: 'readme', scope: 'contents', what: 'reads the README' },
  { path: 'tarball/**', scope: 'contents', what: 'downloads an archive' },
  { path: 'zipball/**', scope: 'contents', what: 'downloads an archive' },
  { path: 'comments/**', scope: 'contents', what: 'works with commit comments' },
  { path: 'comments', scope: 'contents', what: 'lists commit comments' },
  { path: 'discussions/**', scope: 'discussions', what: 'works with discussions' },
  { path: 'collaborators/*/permission', scope: 'contents', what: 'reads a collaborator permission', level: 'read' },
  { path: 'languages', scope: 'contents', what: 'reads repository languages', level: 'read' },
  { path: 'topics', scope: 'contents', what: 'reads repository topics', methods: ['GET'] },
];

function matches(pattern: string, segs: string[]): boolean {
  const p = pattern.split('/');
  for (let i = 0; i < p.length; i++) {
    if (p[i] === '**') return segs.length > i;
    if (i >= segs.length) return false;
    if (p[i] !== '*' && p[i] !== segs[i]) return false;
  }
  return segs.length === p.length;
}

/**
 * The permission a REST call needs, `none` for calls that need no repository permission, or undefined
 * when Steward does not know the endpoint. `path` may be a URL, a route with `{placeholders}`, or a path
 * with shell variables in it (`repos/$GITHUB_REPOSITORY/issues/$N/comments`).
 */
export function routeNeeds(method: string, path: string): RouteRule | undefined {
  let p = path.trim().replace(/^https?:\/\/[^/]+/i, '');
  // `${GITHUB_API_URL}/repos/...`, `$GITHUB_API_URL/...`, `${{ github.api_url }}/...`
  p = p.replace(/^(?:\$\{\{\s*github\.api_url\s*\}\}|\$\{?GITHUB_API_URL\}?)/i, '');
  // The repository as one variable stands for owner/name.
  p = p.replace(/\$\{\{\s*github\.repository\s*\}\}|\$\{?GITHUB_REPOSITORY\}?|\{owner\}\/\{repo\}|:owner\/:repo/g, 'o/r');
  p = p.replace(/[?#].*$/, '').replace(/^\/+/, '').replace(/\/+$/, '');
  // `/api/v3` prefix on GitHub Enterprise Server URLs.
  p = p.replace(/^api\/v3\//, '');
  const m = method.toUpperCase();
  const level: Level = READ_METHODS.has(m) ? 'read' : 'write';
  if (/^graphql\b/.test(p)) return undefined;
  const segs = p.split('/').filter(Boolean);
  if (!segs.length) return 'none';
  if (['user', 'users', 'search', 'rate_limit', 'meta', 'emojis', 'licenses', 'gitignore', 'octocat', 'zen', 'app', 'installation'].includes(segs[0])) {
    return segs[0] === 'user' && segs[1] === 'packages' ? { scope: 'packages', level, reason: 'works with packages' } : 'none';
  }
  if (segs[0] === 'orgs' || segs[0] === 'users') {
    if (segs[2] === 'packages') return { scope: 'packages', level, reason: 'works with packages' };
    return READ_METHODS.has(m) ? 'none' : undefined;
  }
  if (segs[0] === 'repositories' && segs.length >= 2) {
    // `/repositories/{id}/...` is the same tree as `/repos/{owner}/{repo}/...`.
    segs.splice(0, 2, 'repos', '_', '_');
  }
  if (segs[0] !== 'repos' || segs.length < 3) return undefined;
  const rest = segs.slice(3);
  if (!rest.length) return READ_METHODS.has(m) ? 'none' : undefined;
  for (const row of REPO_ROWS) {
    if (!matches(row.path, rest)) continue;
    if (row.methods && !row.methods.includes(m)) continue;
    return { scope: row.scope, level: row.level ?? level, ...(row.alt ? { alt: row.alt } : {}), reason: row.what };
  }
  return undefined;
}

// ---- Octokit methods (github-script, @actions/github, octokit.js) -------------------------------------

/** `rest.<namespace>.<method>` → [HTTP method, route under /repos/{o}/{r}] for the calls scripts make. */
const OCTOKIT_ROUTES: Record<string, Record<string, [string, string]>> = {
  issues: {
    create: ['POST', 'issues'],
    get: ['GET', 'issues/1'],
    update: ['PATCH', 'issues/1'],
    list: ['GET', 'issues'],
    listForRepo: ['GET', 'issues'],
    createComment: ['POST', 'issues/1/comments'],
    updateComment: ['PATCH', 'issues/comments/1'],
    deleteComment: ['DELETE', 'issues/comments/1'],
    getComment: ['GET', 'issues/comments/1'],
    listComments: ['GET', 'issues/1/comments'],
    listCommentsForRepo: ['GET', 'issues/comments/x'],
    addLabels: ['POST', 'issues/1/labels'],
    setLabels: ['PUT', 'issues/1/labels'],
    removeLabel: ['DELETE', 'issues/1/labels/x'],
    removeAllLabels: ['DELETE', 'issues/1/labels'],
    listLabelsOnIssue: ['GET', 'issues/1/labels'],
    addAssignees: ['POST', 'issues/1/assignees'],
    removeAssignees: ['DELETE', 'issues/1/assignees'],
    lock: ['PUT', 'issues/1/lock'],
    unlock: ['DELETE', 'issues/1/lock'],
    listEvents: ['GET', 'issues/1/events'],
    listEventsForTimeline: ['GET', 'issues/1/timeline'],
    createLabel: ['POST', 'labels'],
    updateLabel: ['PATCH', 'labels/x'],
    deleteLabel: ['DELETE', 'labels/x'],
    getLabel: ['GET', 'labels/x'],
    listLabelsForRepo: ['GET', 'labels'],
    createMilestone: ['POST', 'milestones'],
    updateMilestone: ['PATCH', 'milestones/1'],
    listMilestones: ['GET', 'milestones'],
  },
  reactions: {
    createForIssue: ['POST', 'issues/1/reactions'],
    createForIssueComment: ['POST', 'issues/comments/1/reactions'],
    deleteForIssue: ['DELETE', 'issues/1/reactions/1'],
    deleteForIssueComment: ['DELETE', 'issues/comments/1/reactions/1'],
    listForIssue: ['GET', 'issues/1/reactions'],
    listForIssueComment: ['GET', 'issues/comments/1/reactions'],
    createForPullRequestReviewComment: ['POST', 'pulls/comments/1/reactions'],
    createForCommitComment: ['POST', 'comments/1/reactions'],
  },
  repos: {
    createCommitStatus: ['POST', 'statuses/x'],
    listCommitStatusesForRef: ['GET', 'commits/x/statuses'],
    getCombinedStatusForRef: ['GET', 'commits/x/status'],
    createDeployment: ['POST', 'deployments'],
    createDeploymentStatus: ['POST', 'deployments/1/statuses'],
    listDeployments: ['GET', 'deployments'],
    listPullRequestsAssociatedWithCommit: ['GET', 'commits/x/pulls'],
    createCommitComment: ['POST', 'commits/x/comments'],
    getCollaboratorPermissionLevel: ['GET', 'collaborators/x/permission'],
    createDispatchEvent: ['POST', 'dispatches'],
    merge: ['POST', 'merges'],
    createPagesDeployment: ['POST', 'pages/deployments'],
    getPages: ['GET', 'pages'],
  },
  pulls: { merge: ['PUT', 'pulls/1/merge'] },
};

/** Namespaces whose every call acts on one scope (method names starting with get/list… are reads). */
const OCTOKIT_NAMESPACES: Record<string, Scope | null> = {
  issues: 'issues',
  pulls: 'pull-requests',
  repos: 'contents',
  git: 'contents',
  actions: 'actions',
  checks: 'checks',
  reactions: 'issues',
  packages: 'packages',
  codeScanning: 'security-events',
  dependabot: 'security-events',
  search: null,
  users: null,
  orgs: null,
  teams: null,
  rateLimit: null,
  meta: null,
  markdown: null,
  licenses: null,
};

/** Octokit namespaces Steward recognises at all (for the `github.<ns>.<method>` legacy form). */
export const OCTOKIT_NAMESPACE_NAMES: ReadonlySet<string> = new Set(Object.keys(OCTOKIT_NAMESPACES));

const READ_NAME = /^(get|list|check|compare|download|search)/;

/** The permission `rest.<ns>.<method>` needs, `none`, or undefined for a namespace Steward does not know. */
export function octokitNeeds(ns: string, method: string): RouteRule | undefined {
  const route = OCTOKIT_ROUTES[ns]?.[method];
  if (route) {
    const r = routeNeeds(route[0], `repos/o/r/${route[1]}`);
    if (r && r !== 'none') return { ...r, reason: `calls ${ns}.${method}` };
    return r;
  }
  if (!(ns in OCTOKIT_NAMESPACES)) return undefined;
  const scope = OCTOKIT_NAMESPACES[ns];
  if (!scope) return 'none';
  const level: Level = READ_NAME.test(method) ? 'read' : 'write';
  // Every endpoint of the issues API that takes an issue number also serves pull requests.
  const alt: Scope | undefined = ns === 'issues' && method !== 'create' ? 'pull-requests' : undefined;
  let s: Scope = scope;
  if (ns === 'repos' && /Status/.test(method)) s = 'statuses';
  else if (ns === 'repos' && /Deployment/.test(method)) s = 'deployments';
  else if (ns === 'repos' && /Pages/.test(method)) s = 'pages';
  return { scope: s, level, ...(alt ? { alt } : {}), reason: `${level === 'read' ? 'reads' : 'calls'} ${ns}.${method}` };
}
