// Setup actions that install a tool, the input that chooses its version, and what happens without it.
// One table, so a release that changes a default is one row. Sources are the actions' action.yml and
// README, named on each row; rows whose default Steward could not confirm only list the explicit
// "newest" spellings (`latest`, …) and say nothing about a missing input.

export type MissingVersion =
  /** Without the input the action installs the newest release. */
  | { kind: 'latest' }
  /** Without the input it reads a version from repository files, else installs the newest release. */
  | { kind: 'file-or-latest'; files: string }
  /** Without the input nothing floating happens (a version pinned by the action, the runner's tool, or an error). */
  | { kind: 'none' };

export interface SetupToolRow {
  /** `owner/repo`, lower case. */
  action: string;
  tool: string;
  input: string;
  /** Major versions of the action the row applies to (inclusive); absent = all. */
  majors?: [number, number];
  /** Values of the input that mean "the newest release" (compared case-insensitively). */
  newest: readonly string[];
  missing: MissingVersion;
}

const INF = 1_000;

export const SETUP_TOOLS: readonly SetupToolRow[] = [
  // setup-node README "Supported version syntax": `latest`, `current` and `node` are the newest release;
  // without node-version (or node-version-file) it uses the Node.js already on the runner.
  { action: 'actions/setup-node', tool: 'Node.js', input: 'node-version', newest: ['latest', 'current', 'node'], missing: { kind: 'none' } },
  // setup-go README: `stable` installs the newest stable Go release; without go-version it uses the runner's Go.
  { action: 'actions/setup-go', tool: 'Go', input: 'go-version', newest: ['stable'], missing: { kind: 'none' } },
  // setup-uv: v1–v2 installed the uv version pinned in the action's action.yml; pull request #37
  // ("Change default to latest", v3) made the default the newest uv unless uv.toml or pyproject.toml
  // names one (action.yml: "Defaults to the version in pyproject.toml or 'latest'").
  { action: 'astral-sh/setup-uv', tool: 'uv', input: 'version', majors: [1, 2], newest: ['latest'], missing: { kind: 'none' } },
  { action: 'astral-sh/setup-uv', tool: 'uv', input: 'version', majors: [3, INF], newest: ['latest'], missing: { kind: 'file-or-latest', files: '`required-version` in uv.toml or pyproject.toml' } },
  // astral-sh/ruff-action action.yml: version "Defaults to the version in pyproject.toml or 'latest'".
  { action: 'astral-sh/ruff-action', tool: 'Ruff', input: 'version', newest: ['latest'], missing: { kind: 'file-or-latest', files: 'a ruff requirement in pyproject.toml' } },
  // pnpm/action-setup README: `version` is required unless package.json has `packageManager`.
  { action: 'pnpm/action-setup', tool: 'pnpm', input: 'version', newest: ['latest'], missing: { kind: 'none' } },
  // oven-sh/setup-bun README: without bun-version it reads package.json `packageManager`, .bun-version
  // or .tool-versions, and otherwise installs the latest release; `canary` is the newest build.
  { action: 'oven-sh/setup-bun', tool: 'Bun', input: 'bun-version', newest: ['latest', 'canary'], missing: { kind: 'file-or-latest', files: 'package.json `packageManager`, .bun-version or .tool-versions' } },
  // hashicorp/setup-terraform README: terraform_version "Defaults to `latest`".
  { action: 'hashicorp/setup-terraform', tool: 'Terraform', input: 'terraform_version', newest: ['latest'], missing: { kind: 'latest' } },
  // Azure/setup-helm README: `version: '<version>' # default is latest (stable)`.
  { action: 'azure/setup-helm', tool: 'Helm', input: 'version', newest: ['latest'], missing: { kind: 'latest' } },
  // Azure/setup-kubectl README: version "default: latest" (the newest stable kubectl).
  { action: 'azure/setup-kubectl', tool: 'kubectl', input: 'version', newest: ['latest'], missing: { kind: 'latest' } },
  // goreleaser-action: `version` defaulted to `latest` up to v5; v6 changed the default to `~> v2`.
  { action: 'goreleaser/goreleaser-action', tool: 'GoReleaser', input: 'version', majors: [1, 5], newest: ['latest'], missing: { kind: 'latest' } },
  { action: 'goreleaser/goreleaser-action', tool: 'GoReleaser', input: 'version', majors: [6, INF], newest: ['latest'], missing: { kind: 'none' } },
  // golangci-lint-action README: `version: latest` is accepted; its default is not confirmed here.
  { action: 'golangci/golangci-lint-action', tool: 'golangci-lint', input: 'version', newest: ['latest'], missing: { kind: 'none' } },
  // shivammathur/setup-php README: `latest` and `nightly` name the newest PHP builds.
  { action: 'shivammathur/setup-php', tool: 'PHP', input: 'php-version', newest: ['latest', 'nightly'], missing: { kind: 'none' } },
  // google-github-actions/setup-gcloud README: `version: latest` installs the newest Cloud SDK.
  { action: 'google-github-actions/setup-gcloud', tool: 'the Google Cloud SDK', input: 'version', newest: ['latest'], missing: { kind: 'none' } },
  // jdx/mise-action README: `version` of mise; "If not specified, the latest version is used".
  { action: 'jdx/mise-action', tool: 'mise', input: 'version', newest: ['latest'], missing: { kind: 'latest' } },
];

const SETUP_ACTIONS = new Set(SETUP_TOOLS.map((r) => r.action));

/** Whether the table has rows for the action (setupToolRow finds none otherwise, at any version). */
export function isSetupToolAction(action: string): boolean {
  return SETUP_ACTIONS.has(action);
}

/** The row for an action at a major version (undefined major: the newest row). */
export function setupToolRow(action: string, major: number | undefined): SetupToolRow | undefined {
  const rows = SETUP_TOOLS.filter((r) => r.action === action);
  if (major === undefined) return rows.find((r) => !r.majors || r.majors[1] === INF) ?? rows[rows.length - 1];
  return rows.find((r) => !r.majors || (major >= r.majors[0] && major <= r.majors[1]));
}
