import { octokitNeeds, OCTOKIT_NAMESPACE_NAMES, routeNeeds } from './routes';
import { pushingTool } from '../workflow/pushing-actions';
import { GIT_COMMAND, PUSH_SUBCOMMAND } from '../workflow/git-command';

/** A push (`git push`, `git -C dir push`, `git subtree push`) as a command of a shell line, and anywhere in a script. */
const GIT_PUSH_LINE = new RegExp(String.raw`(?:^|[\s;&|(\`])${GIT_COMMAND}${PUSH_SUBCOMMAND}`);
const GIT_PUSH_ANY = new RegExp(GIT_COMMAND + PUSH_SUBCOMMAND);

// What GITHUB_TOKEN scopes common actions and commands need, and why. The permissions fix grants a job
// exactly what its steps need according to this table; anything not here that receives the token is
// left for a person to review. Reasons are one line: they end up as `# reason` comments in workflows.

export const SCOPES = [
  'actions',
  'attestations',
  'checks',
  'contents',
  'deployments',
  'discussions',
  'id-token',
  'issues',
  'models',
  'packages',
  'pages',
  'pull-requests',
  'repository-projects',
  'security-events',
  'statuses',
] as const;
export type Scope = (typeof SCOPES)[number];
export type Level = 'read' | 'write';

export function isScope(s: string): s is Scope {
  return (SCOPES as readonly string[]).includes(s);
}

export interface Grant {
  scope: Scope;
  level: Level;
  /** A second scope that authorises the same calls (the issues API serves pull requests too). */
  alt?: Scope;
  /** Why, completing "<source> …", e.g. "comments on pull requests". */
  reason: string;
}

/** What a step's context offers a conditional rule: its `with:` inputs and the workflow's triggers. */
export interface StepContext {
  inputs: Record<string, string>;
  triggers: ReadonlySet<string>;
}

export interface ActionKnowledge {
  /** `owner/repo` or `owner/repo/path`, lower case. An entry ending in `/*` matches every sub-action. */
  action: string;
  /** Scopes needed whenever the action runs (may be empty: the action never uses the token). */
  grants: Grant[];
  /** Extra scopes that depend on inputs or triggers. */
  when?(ctx: StepContext): Grant[];
  /**
   * Input carrying the token (`token`, `github-token`, ...). When a step sets it to something other than
   * the GITHUB_TOKEN (a PAT or app token), the action does not use the GITHUB_TOKEN at all.
   */
  tokenInput?: string;
  /** The action does whatever its input says (github-script): the scopes cannot be known from the table. */
  review?: string;
}

const g = (scope: Scope, level: Level, reason: string, alt?: Scope): Grant => ({ scope, level, reason, ...(alt ? { alt } : {}) });
const none = (action: string, tokenInput?: string): ActionKnowledge => ({ action, grants: [], tokenInput });
const truthy = (v: string | undefined) => v !== undefined && /^(true|yes|on|1)$/i.test(v.trim());
const PR_TRIGGERS = ['pull_request', 'pull_request_target', 'pull_request_review', 'pull_request_review_comment'];
const ISSUE_TRIGGERS = ['issues', 'issue_comment'];

/**
 * Comment actions call the issues API, which accepts either scope for a pull request's conversation:
 * one need with both choices, preferring pull requests on pull request events.
 */
function commentScopes(ctx: StepContext, what: string): Grant[] {
  const pr = PR_TRIGGERS.some((t) => ctx.triggers.has(t));
  const issue = ISSUE_TRIGGERS.some((t) => ctx.triggers.has(t));
  if (pr && !issue) return [g('pull-requests', 'write', `${what} on pull requests`, 'issues')];
  return [g('issues', 'write', `${what} on issues and pull requests`, 'pull-requests')];
}

export const ACTIONS: readonly ActionKnowledge[] = [
  { action: 'actions/checkout', grants: [g('contents', 'read', 'clones the repository')], tokenInput: 'token' },
  none('actions/upload-artifact'),
  {
    action: 'actions/download-artifact',
    grants: [],
    when: (c) => (c.inputs['run-id'] || c.inputs['github-token'] ? [g('actions', 'read', 'downloads artifacts of another workflow run')] : []),
  },
  none('actions/cache'),
  none('actions/cache/restore'),
  none('actions/cache/save'),
  { action: 'actions/github-script', grants: [], tokenInput: 'github-token', review: 'actions/github-script runs a script that can call any API' },
  { action: 'softprops/action-gh-release', grants: [g('contents', 'write', 'creates the GitHub release')], tokenInput: 'token' },
  { action: 'ncipollo/release-action', grants: [g('contents', 'write', 'creates the GitHub release')], tokenInput: 'token' },
  { action: 'actions/create-release', grants: [g('contents', 'write', 'creates the GitHub release')] },
  { action: 'actions/upload-release-asset', grants: [g('contents', 'write', 'uploads release assets')] },
  { action: 'svenstaro/upload-release-action', grants: [g('contents', 'write', 'uploads release assets')], tokenInput: 'repo_token' },
  {
    action: 'goreleaser/goreleaser-action',
    grants: [],
    // A snapshot, build or check run publishes nothing; `release` (the default) publishes the GitHub release.
    when: (c) => (/--snapshot\b|^\s*(?:build|check|healthcheck)\b/.test(c.inputs.args ?? '') ? [] : [g('contents', 'write', 'publishes the GitHub release')]),
  },
  { action: 'peter-evans/create-or-update-comment', grants: [], when: (c) => commentScopes(c, 'comments'), tokenInput: 'token' },
  { action: 'peter-evans/find-comment', grants: [], when: (c) => commentScopes(c, 'reads comments').map((x) => ({ ...x, level: 'read' as Level })), tokenInput: 'token' },
  { action: 'marocchino/sticky-pull-request-comment', grants: [g('pull-requests', 'write', 'comments on pull requests')], tokenInput: 'GITHUB_TOKEN' },
  { action: 'thollander/actions-comment-pull-request', grants: [g('pull-requests', 'write', 'comments on pull requests')], tokenInput: 'github-token' },
  {
    action: 'actions/first-interaction',
    grants: [g('issues', 'write', "greets first-time contributors' issues"), g('pull-requests', 'write', "greets first-time contributors' pull requests")],
    tokenInput: 'repo-token',
  },
  { action: 'actions/labeler', grants: [g('contents', 'read', 'reads the labeler configuration'), g('pull-requests', 'write', 'labels pull requests')], tokenInput: 'repo-token' },
  {
    action: 'actions/stale',
    // v9 keeps its progress in the Actions cache and deletes the old entry through the API, which
    // needs `actions: write` (its README's recommended permissions; actions/stale#1133).
    grants: [g('issues', 'write', 'labels and closes stale issues'), g('pull-requests', 'write', 'labels and closes stale pull requests'), g('actions', 'write', 'replaces its saved progress in the Actions cache')],
    when: (c) => (truthy(c.inputs['delete-branch']) ? [g('contents', 'write', 'deletes branches of closed pull requests')] : []),
    tokenInput: 'repo-token',
  },
  {
    action: 'dessant/lock-threads',
    grants: [g('issues', 'write', 'locks inactive issues'), g('pull-requests', 'write', 'locks inactive pull requests'), g('discussions', 'write', 'locks inactive discussions')],
    tokenInput: 'github-token',
  },
  { action: 'actions/deploy-pages', grants: [g('pages', 'write', 'deploys the GitHub Pages site'), g('id-token', 'write', 'proves the deployment comes from this workflow')], tokenInput: 'token' },
  none('actions/upload-pages-artifact'),
  { action: 'actions/configure-pages', grants: [g('pages', 'read', 'reads the Pages site settings')], tokenInput: 'token' },
  ...['actions/attest-build-provenance', 'actions/attest-sbom', 'actions/attest'].map(
    (action): ActionKnowledge => ({
      action,
      grants: [g('id-token', 'write', 'signs the attestation with a Sigstore certificate'), g('attestations', 'write', 'stores the attestation'), g('contents', 'read', 'reads the repository for the attestation')],
      tokenInput: 'github-token',
    }),
  ),
  {
    action: 'pypa/gh-action-pypi-publish',
    grants: [],
    // Trusted publishing unless an API token is passed as `password`.
    when: (c) => (c.inputs.password ? [] : [g('id-token', 'write', 'publishes to PyPI with trusted publishing')]),
  },
  {
    action: 'github/codeql-action/*',
    grants: [g('security-events', 'write', 'uploads code scanning results'), g('actions', 'read', 'reads workflow run information for code scanning'), g('contents', 'read', 'reads the code it analyses')],
    tokenInput: 'token',
  },
  none('github/codeql-action/autobuild'),
  {
    action: 'docker/login-action',
    grants: [],
    when: (c) => {
      const reg = (c.inputs.registry ?? '').toLowerCase();
      const pw = c.inputs.password ?? '';
      return reg.includes('ghcr.io') && /github\.token|secrets\.github_token/i.test(pw) ? [g('packages', 'write', 'pushes images to ghcr.io with the token')] : [];
    },
  },
  { action: 'codecov/codecov-action', grants: [], when: (c) => (truthy(c.inputs.use_oidc) ? [g('id-token', 'write', 'authenticates to Codecov with OIDC')] : []) },
  {
    action: 'actions/dependency-review-action',
    grants: [g('contents', 'read', 'compares the dependency manifests')],
    when: (c) => {
      const v = c.inputs['comment-summary-in-pr'];
      return v && !/^(never|false)$/i.test(v.trim()) ? [g('pull-requests', 'write', 'posts the review summary on the pull request')] : [];
    },
    tokenInput: 'repo-token',
  },
  {
    action: 'ossf/scorecard-action',
    grants: [g('security-events', 'write', 'publishes Scorecard results to code scanning'), g('id-token', 'write', 'publishes results to the Scorecard API')],
    tokenInput: 'repo_token',
  },
  {
    action: 'zizmorcore/zizmor-action',
    grants: [g('contents', 'read', 'reads the workflows it audits')],
    when: (c) => (/^false$/i.test(c.inputs['advanced-security'] ?? '') ? [] : [g('security-events', 'write', 'uploads audit results to code scanning')]),
  },
  { action: 'peter-evans/create-pull-request', grants: [g('contents', 'write', 'pushes the pull request branch'), g('pull-requests', 'write', 'opens the pull request')], tokenInput: 'token' },
  { action: 'stefanzweifel/git-auto-commit-action', grants: [g('contents', 'write', 'pushes a commit')] },
  { action: 'EndBug/add-and-commit'.toLowerCase(), grants: [g('contents', 'write', 'pushes a commit')] },
  { action: 'jamesives/github-pages-deploy-action', grants: [g('contents', 'write', 'pushes the built site to a branch')], tokenInput: 'token' },
  { action: 'peaceiris/actions-gh-pages', grants: [g('contents', 'write', 'pushes the built site to a branch')], tokenInput: 'github_token' },
  { action: 'release-drafter/release-drafter', grants: [g('contents', 'write', 'writes the draft release'), g('pull-requests', 'read', 'reads merged pull requests for the notes')] },
  {
    action: 'googleapis/release-please-action',
    grants: [g('contents', 'write', 'creates releases and the release branch'), g('pull-requests', 'write', 'opens the release pull request'), g('issues', 'write', 'labels the release pull request')],
    tokenInput: 'token',
  },
  { action: 'amannn/action-semantic-pull-request', grants: [g('pull-requests', 'read', 'reads the pull request title')] },
  { action: 'dependabot/fetch-metadata', grants: [g('pull-requests', 'read', 'reads the Dependabot pull request')], tokenInput: 'github-token' },
  { action: 'dorny/paths-filter', grants: [g('pull-requests', 'read', 'lists the files a pull request changes')], tokenInput: 'token' },
  { action: 'tj-actions/changed-files', grants: [g('pull-requests', 'read', 'lists the files a pull request changes')], tokenInput: 'token' },
  { action: 'mikepenz/action-junit-report', grants: [g('checks', 'write', 'publishes test results as a check run')], tokenInput: 'token' },
  { action: 'enricomi/publish-unit-test-result-action', grants: [g('checks', 'write', 'publishes test results as a check run'), g('pull-requests', 'write', 'comments test results on pull requests')], tokenInput: 'github_token' },
  { action: 'geekyeggo/delete-artifact', grants: [g('actions', 'write', 'deletes workflow artifacts')], tokenInput: 'token' },
  { action: 'actions/delete-package-versions', grants: [g('packages', 'write', 'deletes package versions')], tokenInput: 'token' },
  { action: 'actions/publish-immutable-action', grants: [g('contents', 'read', 'reads the release to publish'), g('packages', 'write', 'publishes the action package'), g('id-token', 'write', 'signs the published action')] },
  { action: 'actions/ai-inference', grants: [g('models', 'read', 'calls GitHub Models')], tokenInput: 'token' },
  { action: 'github/super-linter', grants: [g('contents', 'read', 'reads the code it lints'), g('statuses', 'write', 'reports a commit status per linter')] },
  { action: 'super-linter/super-linter', grants: [g('contents', 'read', 'reads the code it lints'), g('statuses', 'write', 'reports a commit status per linter')] },
  {
    action: 'aws-actions/configure-aws-credentials',
    grants: [],
    when: (c) => (c.inputs['role-to-assume'] && !c.inputs['aws-access-key-id'] ? [g('id-token', 'write', 'assumes the AWS role with OIDC')] : []),
  },
  { action: 'google-github-actions/auth', grants: [], when: (c) => (c.inputs.workload_identity_provider ? [g('id-token', 'write', 'authenticates to Google Cloud with OIDC')] : []) },
  { action: 'azure/login', grants: [], when: (c) => (c.inputs['client-id'] && !c.inputs.creds ? [g('id-token', 'write', 'authenticates to Azure with OIDC')] : []) },
  // Tool installers, caches and builders: they never call the API with write scopes (some read public
  // release data with the token, which needs no scope on public repositories).
  ...[
    'actions/setup-node',
    'actions/setup-python',
    'actions/setup-go',
    'actions/setup-java',
    'actions/setup-dotnet',
    'ruby/setup-ruby',
    'astral-sh/setup-uv',
    'astral-sh/ruff-action',
    'pnpm/action-setup',
    'dtolnay/rust-toolchain',
    'swatinem/rust-cache',
    'oven-sh/setup-bun',
    'denoland/setup-deno',
    'hashicorp/setup-terraform',
    'azure/setup-helm',
    'docker/setup-buildx-action',
    'docker/setup-qemu-action',
    'docker/metadata-action',
    'docker/build-push-action',
    'gradle/actions/setup-gradle',
    'shivammathur/setup-php',
    'erlef/setup-beam',
    'haskell-actions/setup',
    'mlugg/setup-zig',
    'msys2/setup-msys2',
    'ilammy/msvc-dev-cmd',
    'subosito/flutter-action',
    'conda-incubator/setup-miniconda',
    'mamba-org/setup-micromamba',
    'jdx/mise-action',
    'taiki-e/install-action',
    'extractions/setup-just',
    'sigstore/cosign-installer',
    'hynek/build-and-inspect-python-package',
    'pre-commit/action',
    're-actors/alls-green',
    'actions/create-github-app-token',
    'slackapi/slack-github-action',
    'coverallsapp/github-action',
    'crate-ci/typos',
    'codespell-project/actions-codespell',
    'actions/add-to-project',
    'lycheeverse/lychee-action',
    // Checked against their action.yml: no input defaults to the token.
    'pyo3/maturin-action',
    'microsoft/setup-msbuild',
    'test-summary/action',
  ].map((a) => none(a)),
  {
    action: 'golangci/golangci-lint-action',
    grants: [],
    // `github-token` defaults to the token and is used to fetch the pull request's patch for only-new-issues.
    when: (c) => (truthy(c.inputs['only-new-issues']) ? [g('pull-requests', 'read', 'reads the pull request patch for only-new-issues')] : []),
    tokenInput: 'github-token',
  },
];

const EXACT = new Map(ACTIONS.filter((a) => !a.action.endsWith('/*')).map((a) => [a.action, a]));
const PREFIX = ACTIONS.filter((a) => a.action.endsWith('/*'));

/** The knowledge for `owner/repo[/path]` (any case), or undefined when the action is unknown. */
export function lookupAction(owner: string, repo: string, path?: string): ActionKnowledge | undefined {
  const full = `${owner}/${repo}${path ? '/' + path : ''}`.toLowerCase();
  const exact = EXACT.get(full);
  if (exact) return exact;
  return PREFIX.find((p) => full.startsWith(p.action.slice(0, -1)) || full === p.action.slice(0, -2));
}

/**
 * Whether, after some `${{` in `text`, the text up to the first `}` (which must begin `}}` when
 * `closed`; to the end of the text when there is none and not `closed`) holds a match of `re`. Every
 * `${{` before the same `}` reaches that same `}`, and its text is a suffix of the first one's: each
 * stretch is tested once, from its first `${{`, so a hostile line of many unclosed `${{` costs time in
 * proportion to its length (a regular expression `\$\{\{[^}]*…` scanned to the end from each).
 */
export function inExpression(text: string, re: RegExp, closed: boolean): boolean {
  for (let open = text.indexOf('${{'); open >= 0; ) {
    const brace = text.indexOf('}', open + 3);
    if (brace < 0) return !closed && re.test(text.slice(open + 3));
    if ((!closed || text[brace + 1] === '}') && re.test(text.slice(open + 3, brace))) return true;
    open = text.indexOf('${{', brace + 1);
  }
  return false;
}

const TOKEN_WORDS = /\b(?:secrets\.github_token|github\.token)\b/i;

/** The token reaches whatever reads this text: `${{ secrets.GITHUB_TOKEN }}`, `${{ github.token }}`. */
export const TOKEN_EXPR = { test: (text: string): boolean => inExpression(text, TOKEN_WORDS, true) };

type GhGrant = { scope: Scope; level: Level; reason: string; alt?: Scope };
type GhRule = GhGrant | GhGrant[] | 'none' | 'review';

/** `gh <group> <command>` → scope. Commands not listed in a known group are for review. */
const GH: Record<string, Record<string, GhRule> & { '*'?: GhRule }> = {
  pr: {
    comment: { scope: 'pull-requests', level: 'write', alt: 'issues', reason: 'comments on pull requests' },
    create: { scope: 'pull-requests', level: 'write', reason: 'opens pull requests' },
    edit: { scope: 'pull-requests', level: 'write', reason: 'edits pull requests' },
    merge: [
      { scope: 'contents', level: 'write', reason: 'merges pull requests into the branch' },
      { scope: 'pull-requests', level: 'write', reason: 'merges pull requests' },
    ],
    close: { scope: 'pull-requests', level: 'write', reason: 'closes pull requests' },
    reopen: { scope: 'pull-requests', level: 'write', reason: 'reopens pull requests' },
    review: { scope: 'pull-requests', level: 'write', reason: 'reviews pull requests' },
    ready: { scope: 'pull-requests', level: 'write', reason: 'marks pull requests ready' },
    lock: { scope: 'pull-requests', level: 'write', reason: 'locks pull requests' },
    unlock: { scope: 'pull-requests', level: 'write', reason: 'unlocks pull requests' },
    list: { scope: 'pull-requests', level: 'read', reason: 'lists pull requests' },
    view: { scope: 'pull-requests', level: 'read', reason: 'reads pull requests' },
    diff: { scope: 'pull-requests', level: 'read', reason: 'reads pull request diffs' },
    checks: { scope: 'checks', level: 'read', reason: 'reads pull request checks' },
    status: { scope: 'pull-requests', level: 'read', reason: 'reads pull request status' },
    checkout: { scope: 'contents', level: 'read', reason: 'checks out pull requests' },
  },
  issue: {
    comment: { scope: 'issues', level: 'write', reason: 'comments on issues' },
    create: { scope: 'issues', level: 'write', reason: 'opens issues' },
    edit: { scope: 'issues', level: 'write', reason: 'edits issues' },
    close: { scope: 'issues', level: 'write', reason: 'closes issues' },
    reopen: { scope: 'issues', level: 'write', reason: 'reopens issues' },
    lock: { scope: 'issues', level: 'write', reason: 'locks issues' },
    unlock: { scope: 'issues', level: 'write', reason: 'unlocks issues' },
    pin: { scope: 'issues', level: 'write', reason: 'pins issues' },
    unpin: { scope: 'issues', level: 'write', reason: 'unpins issues' },
    transfer: { scope: 'issues', level: 'write', reason: 'transfers issues' },
    delete: { scope: 'issues', level: 'write', reason: 'deletes issues' },
    develop: { scope: 'contents', level: 'write', reason: 'creates branches for issues' },
    list: { scope: 'issues', level: 'read', reason: 'lists issues' },
    view: { scope: 'issues', level: 'read', reason: 'reads issues' },
    status: { scope: 'issues', level: 'read', reason: 'reads issue status' },
  },
  release: {
    create: { scope: 'contents', level: 'write', reason: 'creates releases' },
    upload: { scope: 'contents', level: 'write', reason: 'uploads release assets' },
    edit: { scope: 'contents', level: 'write', reason: 'edits releases' },
    delete: { scope: 'contents', level: 'write', reason: 'deletes releases' },
    'delete-asset': { scope: 'contents', level: 'write', reason: 'deletes release assets' },
    download: { scope: 'contents', level: 'read', reason: 'downloads release assets' },
    view: { scope: 'contents', level: 'read', reason: 'reads releases' },
    list: { scope: 'contents', level: 'read', reason: 'lists releases' },
  },
  run: {
    rerun: { scope: 'actions', level: 'write', reason: 're-runs workflow runs' },
    cancel: { scope: 'actions', level: 'write', reason: 'cancels workflow runs' },
    delete: { scope: 'actions', level: 'write', reason: 'deletes workflow runs' },
    list: { scope: 'actions', level: 'read', reason: 'lists workflow runs' },
    view: { scope: 'actions', level: 'read', reason: 'reads workflow runs' },
    watch: { scope: 'actions', level: 'read', reason: 'watches workflow runs' },
    download: { scope: 'actions', level: 'read', reason: 'downloads run artifacts' },
  },
  workflow: {
    run: { scope: 'actions', level: 'write', reason: 'starts workflows' },
    enable: { scope: 'actions', level: 'write', reason: 'enables workflows' },
    disable: { scope: 'actions', level: 'write', reason: 'disables workflows' },
    list: { scope: 'actions', level: 'read', reason: 'lists workflows' },
    view: { scope: 'actions', level: 'read', reason: 'reads workflows' },
  },
  cache: {
    delete: { scope: 'actions', level: 'write', reason: 'deletes Actions caches' },
    list: { scope: 'actions', level: 'read', reason: 'lists Actions caches' },
  },
  label: {
    create: { scope: 'issues', level: 'write', reason: 'creates labels' },
    edit: { scope: 'issues', level: 'write', reason: 'edits labels' },
    delete: { scope: 'issues', level: 'write', reason: 'deletes labels' },
    clone: { scope: 'issues', level: 'write', reason: 'copies labels' },
    list: { scope: 'issues', level: 'read', reason: 'lists labels' },
  },
  repo: {
    clone: { scope: 'contents', level: 'read', reason: 'clones the repository' },
    view: { scope: 'contents', level: 'read', reason: 'reads repository details' },
  },
  attestation: { verify: 'none', 'trusted-root': 'none', download: { scope: 'attestations', level: 'read', reason: 'downloads attestations' } },
  auth: { '*': 'none' },
  config: { '*': 'none' },
  alias: { '*': 'none' },
  extension: { '*': 'none' },
  help: { '*': 'none' },
  api: { '*': 'review' },
  secret: { '*': 'review' },
  variable: { '*': 'review' },
};

/** Whether a `${{ … }}` text hands over the GITHUB_TOKEN (also through inputs known to carry it). */
export type TokenTest = (text: string) => boolean;
export const isTokenText: TokenTest = (t) => TOKEN_EXPR.test(t);

export interface RunNeeds {
  grants: (Grant & { source: string })[];
  /** Commands whose scopes cannot be known (`gh api graphql`, unknown `gh` subcommands, unknown endpoints). */
  review: string[];
  /** Whether any recognised command uses the GitHub API or git with the token. */
  recognised: boolean;
  /** Repository files the commands run (`python .github/scripts/x.py`, `./tools/z.sh`), as written. */
  scripts: string[];
}

function shellLines(script: string): string[] {
  // Join backslash continuations so `gh pr comment \` + `  --body …` reads as one command.
  return script.replace(/\\\r?\n/g, ' ').split(/\r?\n|;|&&|\|\|/);
}

// Remembered per environment object and token test: every step of a job shares the job's
// environment object, and reading a hostile 10k-variable env once per step was quadratic.
const tokenVarMemo = new WeakMap<Record<string, string>, WeakMap<TokenTest, Set<string>>>();

/** Names of environment variables whose value is the token. */
function tokenVars(env: Record<string, string>, isToken: TokenTest): Set<string> {
  let byTest = tokenVarMemo.get(env);
  if (!byTest) tokenVarMemo.set(env, (byTest = new WeakMap()));
  let vars = byTest.get(isToken);
  if (!vars) byTest.set(isToken, (vars = new Set(Object.entries(env).filter(([, v]) => isToken(v)).map(([k]) => k))));
  return vars;
}

/** Whether any variable of `env` holds the token (remembered like tokenVars). */
export function envHasToken(env: Record<string, string>, isToken: TokenTest): boolean {
  return tokenVars(env, isToken).size > 0;
}

/** The line passes the token itself: `$GITHUB_TOKEN`, `${TOKEN}`, or an expression. */
function lineHasToken(line: string, vars: ReadonlySet<string>, isToken: TokenTest): boolean {
  if (isToken(line)) return true;
  for (const m of line.matchAll(/\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?|\$env:([A-Za-z_][A-Za-z0-9_]*)/g)) if (vars.has(m[1] ?? m[2])) return true;
  return false;
}

const RUNNERS = /^(?:sudo\s+)?(?:(?:python[0-9.]*|python3|py|node|nodejs|bun|deno\s+run(?:\s+-\S+)*|tsx|ts-node|npx\s+(?:tsx|ts-node)|bash|sh|zsh|ruby|perl|pwsh|powershell(?:\.exe)?(?:\s+-File)?|php|uv\s+run|poetry\s+run\s+python[0-9.]*)\s+(?:-[A-Za-z]+\s+)*)?((?:\.{1,2}\/)?[\w@.-]+(?:\/[\w@.-]+)*\.(?:py|js|mjs|cjs|ts|mts|sh|bash|rb|pl|ps1|php)|\.{1,2}\/[\w@.-]+(?:\/[\w@.-]+)*|[\w@.-]+(?:\/[\w@.-]+)+)(?=\s|$)/;

/** Repository scripts a shell line runs: `python .github/scripts/x.py`, `node scripts/y.js`, `./tools/z.sh`. */
export function scriptsRun(line: string): string[] {
  const out: string[] = [];
  const t = line.trim().replace(/^(?:[A-Za-z_][A-Za-z0-9_]*=\S*\s+)+/, '').replace(/^(?:exec|time|env)\s+/, '');
  const m = RUNNERS.exec(t);
  // Installed tools and build outputs (`node_modules/.bin/x`, `target/release/x`) are not repository scripts.
  if (m && m[1] && !/^-/.test(m[1]) && !/^(?:\.\/)?(?:node_modules|\.venv|venv|target|dist|build|out)\//.test(m[1])) {
    const interpreted = t !== m[1] && !t.startsWith(m[1]);
    // A bare word without a slash or extension (`make`, `cargo`) is a program, not a script.
    if (interpreted || m[1].includes('/')) out.push(m[1]);
  }
  return out;
}

/** `gh api` arguments: the method and the endpoint, or undefined when they cannot be told. */
function ghApiCall(line: string, from: number): { method: string; path: string } | undefined {
  // The call's first GH_API_WORDS words: reading every word of the rest of the line at every `gh api`
  // cost a hostile line of many time in the square of its length.
  const words: string[] = [];
  const word = /"[^"]*"|'[^']*'|\S+/g;
  word.lastIndex = from;
  for (let m = word.exec(line); m && words.length < GH_API_WORDS; m = word.exec(line)) words.push(m[0]);
  let method: string | undefined;
  let path: string | undefined;
  let fields = false;
  for (let i = 0; i < words.length; i++) {
    const w = words[i].replace(/^["']|["']$/g, '');
    if (w === '-X' || w === '--method') method = (words[++i] ?? '').replace(/^["']|["']$/g, '');
    else if (/^--method=/.test(w)) method = w.slice(9);
    else if (/^-X[A-Z]+$/.test(w)) method = w.slice(2);
    else if (['-f', '-F', '--field', '--raw-field', '--input'].includes(w)) {
      fields = true;
      i++;
    } else if (/^--(?:raw-)?field=|^--input=/.test(w)) fields = true;
    else if (['-H', '--header', '-q', '--jq', '-t', '--template', '--hostname', '--cache', '-p', '--preview'].includes(w)) i++;
    else if (w.startsWith('-')) continue;
    else if (path === undefined) path = w;
  }
  if (!path) return undefined;
  return { method: (method ?? (fields ? 'POST' : 'GET')).toUpperCase(), path };
}

/** How many words of a `gh api` call are read (its flags and path; more is a hostile line). */
const GH_API_WORDS = 256;

/** `curl`/`wget` to the API: the method and URL. */
function curlCall(line: string): { method: string; path: string } | undefined {
  const url = /(?:https?:\/\/api\.github\.com|\$\{?GITHUB_API_URL\}?|\$\{\{\s*github\.api_url\s*\}\})(\/[^\s"'`)]*)?/i.exec(line);
  if (!url) return undefined;
  const m = /(?:-X|--request)\s*['"]?([A-Za-z]+)/.exec(line);
  const data = /\s(?:-d|--data(?:-raw|-binary|-urlencode)?|-F|--form|-T|--upload-file|--json)[\s=]/.test(line);
  const wgetPost = /\s--post-(?:data|file)[\s=]/.test(line);
  return { method: (m?.[1] ?? (data || wgetPost ? 'POST' : 'GET')).toUpperCase(), path: url[1] ?? '/' };
}

function pushRoute(out: RunNeeds, call: { method: string; path: string }, source: string): void {
  const r = routeNeeds(call.method, call.path);
  out.recognised = true;
  if (r === 'none') return;
  if (!r) {
    out.review.push(/graphql/i.test(call.path) ? `Steward cannot tell what the GraphQL call of \`${source}\` needs` : `Steward does not know which permission \`${call.method} ${call.path}\` needs`);
    return;
  }
  out.grants.push({ scope: r.scope, level: r.level, ...(r.alt ? { alt: r.alt } : {}), reason: r.reason, source });
}

/**
 * Scopes the commands of a `run:` script (or a shell script file) need. `env` is the step's effective
 * environment text; `isToken` tells whether a text hands over the token.
 */
export function runNeeds(script: string, env: Record<string, string> = {}, isToken: TokenTest = isTokenText): RunNeeds {
  const out: RunNeeds = { grants: [], review: [], recognised: false, scripts: [] };
  const vars = tokenVars(env, isToken);
  // `gh` reads GH_TOKEN, then GITHUB_TOKEN. Set to another credential, it does not use the GITHUB_TOKEN.
  const ghCred = env.GH_TOKEN ?? env.GITHUB_TOKEN;
  const ghOther = ghCred !== undefined && ghCred.trim() !== '' && !isToken(ghCred) && !/^\$\{?(GH_TOKEN|GITHUB_TOKEN)\}?$/.test(ghCred.trim());
  for (const raw of shellLines(script)) {
    const line = raw.replace(/(^|\s)#.*$/, '');
    for (const s of scriptsRun(line)) if (!out.scripts.includes(s)) out.scripts.push(s);
    for (const m of line.matchAll(/(?:^|[\s(`|$])gh\s+([a-z][\w-]*)(?:\s+([a-z][\w-]*))?/g)) {
      const group = m[1];
      const cmd = m[2] ?? '';
      out.recognised = true;
      if (ghOther) continue;
      if (group === 'api') {
        const call = ghApiCall(line, (m.index ?? 0) + m[0].indexOf('api') + 3);
        if (!call) out.review.push('Steward cannot tell which endpoint a `gh api` call uses');
        else pushRoute(out, call, 'gh api');
        continue;
      }
      const rules = GH[group];
      const rule: GhRule | undefined = rules ? (rules[cmd] ?? rules['*']) : undefined;
      const source = `gh ${group}${cmd && rules?.[cmd] ? ' ' + cmd : ''}`;
      if (rule === 'none') continue;
      if (rule === undefined || rule === 'review') {
        out.review.push(`Steward does not know which permissions \`gh ${group}${cmd ? ' ' + cmd : ''}\` needs`);
        continue;
      }
      for (const r of Array.isArray(rule) ? rule : [rule]) out.grants.push({ ...r, source });
    }
    if (GIT_PUSH_LINE.test(line)) {
      out.recognised = true;
      out.grants.push({ scope: 'contents', level: 'write', reason: 'pushes to the repository', source: 'git push' });
    }
    // Documentation deployers and release tools push with the credentials actions/checkout saved. A
    // release tool may call the API with a token it is given too: it stays unrecognised then, so a step
    // given the token is one Steward cannot see into.
    const tool = pushingTool(line);
    if (tool) {
      if (tool.gitOnly) out.recognised = true;
      out.grants.push({ scope: 'contents', level: 'write', reason: tool.reason, source: tool.source });
    }
    const provenance = /--provenance\b/.test(line) || truthy(env.NPM_CONFIG_PROVENANCE);
    if (/(?:^|\s)(?:npm|pnpm|yarn(?:\s+npm)?)\s+publish\b/.test(line) && provenance) {
      out.recognised = true;
      out.grants.push({ scope: 'id-token', level: 'write', reason: 'signs npm provenance', source: 'npm publish --provenance' });
    }
    if (/ghcr\.io/i.test(line) && /(?:^|\s)(?:docker|podman)\s+(?:push|buildx\s+build\b[^\n]*--push|login)\b/.test(line)) {
      out.recognised = true;
      out.grants.push({ scope: 'packages', level: 'write', reason: 'pushes images to ghcr.io', source: 'docker push' });
    }
    if (/\b(?:curl|wget|http|Invoke-RestMethod|Invoke-WebRequest|irm|iwr)\b/i.test(line)) {
      const call = curlCall(line);
      // Without the token the call is anonymous: it needs no permission.
      if (call && lineHasToken(line, vars, isToken)) pushRoute(out, call, line.match(/\b(curl|wget|http|Invoke-RestMethod|Invoke-WebRequest|irm|iwr)\b/i)![1]);
    }
  }
  return out;
}

// ---- actions/github-script and repository scripts -----------------------------------------------------

function addOctokit(out: RunNeeds, ns: string, method: string, source: string): void {
  out.recognised = true;
  const r = octokitNeeds(ns, method);
  if (r === 'none') return;
  if (!r) {
    out.review.push(`Steward does not know which permission \`${ns}.${method}\` needs`);
    return;
  }
  out.grants.push({ scope: r.scope, level: r.level, ...(r.alt ? { alt: r.alt } : {}), reason: r.reason, source });
}

/** Route strings (`'POST /repos/{owner}/{repo}/issues/{issue_number}/comments'`) in a script. */
function routeCalls(text: string): { method: string; path: string }[] {
  const out: { method: string; path: string }[] = [];
  for (const m of text.matchAll(/['"`]\s*(GET|POST|PUT|PATCH|DELETE)\s+(\/[^'"`\s]*)['"`]/g)) out.push({ method: m[1], path: m[2] });
  return out;
}

/**
 * Scopes a github-script (or a JavaScript file it requires) calls: `github.rest.<ns>.<method>`, the
 * older `github.<ns>.<method>`, `github.request('<METHOD> <route>')`; GraphQL and dynamic calls stay
 * unknown. `source` names what runs the script in the reasons.
 */
export function scriptNeeds(script: string, source = 'actions/github-script'): RunNeeds {
  const out: RunNeeds = { grants: [], review: [], recognised: false, scripts: [] };
  const code = script.replace(/\/\/[^\n]*|\/\*[\s\S]*?\*\//g, '');
  for (const m of code.matchAll(/\b(?:github|octokit)\.(?:rest\.)?(\w+)\.(\w+)\b/g)) {
    const [, ns, method] = m;
    if (!m[0].includes('.rest.') && !OCTOKIT_NAMESPACE_NAMES.has(ns)) continue; // github.context…, github.event…
    addOctokit(out, ns, method, source);
  }
  for (const call of routeCalls(code)) pushRoute(out, call, source);
  if (/\b(?:github|octokit)\.graphql\b/.test(code)) out.review.push(`Steward cannot tell what the GraphQL queries of ${source} need`);
  if (/\b(?:github|octokit)\.(?:rest\.\w+)?\[|\b(?:github|octokit)\.request\s*\(\s*[^'"`\s]/.test(code)) out.review.push(`${source} calls the API in a way Steward cannot read`);
  if (/\bexec(?:Sync)?\s*\(|\bexec\.(?:exec|getExecOutput)\s*\(|child_process/.test(code)) {
    // Commands the script starts: the same reading as a run step.
    for (const m of code.matchAll(/['"`]((?:gh|git|curl)\s[^'"`]*)['"`]/g)) {
      const r = runNeeds(m[1]);
      out.grants.push(...r.grants);
      out.review.push(...r.review);
      if (r.recognised) out.recognised = true;
    }
    if (/exec[^\n]*['"`]gh['"`]/.test(code)) out.review.push(`${source} runs \`gh\` with arguments Steward cannot read`);
    if (/exec[^\n]*['"`]git['"`][^\n]*['"`]push['"`]/.test(code)) out.grants.push({ scope: 'contents', level: 'write', reason: 'pushes to the repository', source });
  }
  // github-script's require resolves paths that start with a dot against the working directory
  // (`require('.github/scripts/x.cjs')` as well as `./`).
  for (const m of code.matchAll(/\brequire\s*\(\s*['"`]((?:\.|\$\{\s*process\.env\.GITHUB_WORKSPACE\s*\}\/)[^'"`]+)['"`]\s*\)|\bimport\s*\(\s*['"`](\.[^'"`]+|\$\{\s*process\.env\.GITHUB_WORKSPACE\s*\}\/[^'"`]+)['"`]\s*\)/g)) {
    out.scripts.push((m[1] ?? m[2]).replace(/^\$\{\s*process\.env\.GITHUB_WORKSPACE\s*\}\//, ''));
  }
  return out;
}

/**
 * What a repository script file does with the token and the checkout's credentials, by language.
 * Shell files read like run steps; Python, JavaScript and Ruby files are searched for pushes, REST
 * routes and client-library calls. Anything that talks to GitHub in a way Steward cannot map is
 * reported in `review`.
 */
export function fileScriptNeeds(path: string, text: string, env: Record<string, string>, isToken: TokenTest = isTokenText): RunNeeds {
  const ext = /\.([a-z0-9]+)$/i.exec(path)?.[1]?.toLowerCase() ?? '';
  const shebang = /^#!.*\b(bash|sh|zsh|python[0-9.]*|node|ruby|perl)\b/.exec(text)?.[1] ?? '';
  const shell = ['sh', 'bash', 'zsh'].includes(ext) || (!ext && /^(bash|sh|zsh)$/.test(shebang));
  const name = `\`${path}\``;
  if (shell) return runNeeds(text, env, isToken);
  if (['js', 'mjs', 'cjs', 'ts', 'mts'].includes(ext) || shebang === 'node') {
    const r = scriptNeeds(text, name);
    addFileCommon(r, text, name, env, isToken);
    return r;
  }
  const out: RunNeeds = { grants: [], review: [], recognised: false, scripts: [] };
  addFileCommon(out, text, name, env, isToken);
  if (/\bfrom\s+github\s+import\b|\bimport\s+github\b|\bGithub\s*\(|\bOctokit(?:::Client)?\b|\bghapi\b|\bgithub3\b/.test(text)) {
    out.recognised = true;
    out.review.push(`Steward cannot tell which permissions the GitHub client calls in ${name} need`);
  }
  return out;
}

/** Pushes, shelled-out commands and REST URLs in any script language. */
function addFileCommon(out: RunNeeds, text: string, name: string, env: Record<string, string>, isToken: TokenTest): void {
  // `git push` as a command string or an argument list (`["git", "push", ...]`), or a client push.
  if (GIT_PUSH_ANY.test(text) || /['"]git['"]\s*,\s*['"]push['"]|\.push\(\s*(?:['"][^'"]*['"]\s*,\s*)?['"]?(?:refs\/|HEAD|\w+:)|\bremotes?\.\w+\.push\s*\(|\borigin\.push\s*\(|\bremote\(\s*['"]\w+['"]\s*\)\.push\s*\(/.test(text)) {
    out.recognised = true;
    out.grants.push({ scope: 'contents', level: 'write', reason: 'pushes to the repository', source: name });
  }
  for (const m of text.matchAll(/['"`]((?:gh|curl)\s[^'"`\n]*)['"`]/g)) {
    const r = runNeeds(m[1], env, isToken);
    for (const g of r.grants) out.grants.push({ ...g, source: name });
    out.review.push(...r.review);
    if (r.recognised) out.recognised = true;
  }
  const usesToken = /GITHUB_TOKEN|GH_TOKEN|INPUT_GITHUB_TOKEN|INPUT_TOKEN/.test(text) || Object.keys(env).some((k) => isToken(env[k]) && text.includes(k));
  if (!usesToken) return;
  let api = false;
  for (const m of text.matchAll(/(?:api\.github\.com|GITHUB_API_URL[^'"`\n]*?)(\/repos\/[^'"`\s)]*)/g)) {
    api = true;
    const path = m[1].replace(/\{[^}]*\}|\$\{[^}]*\}|%\w/g, 'x');
    const verb = /\b(?:requests|httpx|session|client)\.(post|put|patch|delete)\b|method\s*[:=]\s*['"](POST|PUT|PATCH|DELETE)['"]|-X\s*(POST|PUT|PATCH|DELETE)/i.exec(text.slice(Math.max(0, (m.index ?? 0) - 200), (m.index ?? 0) + 200));
    pushRoute(out, { method: (verb?.[1] ?? verb?.[2] ?? verb?.[3] ?? 'GET').toUpperCase(), path }, name);
  }
  for (const call of routeCalls(text)) {
    api = true;
    pushRoute(out, call, name);
  }
  if (/graphql/i.test(text) && /api\.github\.com|GITHUB_GRAPHQL_URL|\.graphql\s*\(/.test(text)) {
    api = true;
    out.review.push(`Steward cannot tell what the GraphQL queries of ${name} need`);
  }
  if (!api && /api\.github\.com|GITHUB_API_URL/.test(text)) {
    out.recognised = true;
    out.review.push(`Steward cannot tell which GitHub API calls ${name} makes`);
  }
}
