// Actions whose repositories are archived, with what to use instead where there is something. Kept by
// hand (a scan refreshes each repository's `archived` flag online; this list is the offline answer and
// the source of successors). A successor is marked drop-in only where the action's own maintainers say
// the replacement takes the same inputs; everywhere else the finding names it and offers no fix.

export interface ArchivedAction {
  /** `owner/repo`, lower case. */
  repo: string;
  /** What to use instead, in words ("ruby/setup-ruby", "`gh release create`"). */
  successor?: string;
  /** A swap that keeps the step working as it is, by the ref used today. */
  dropIn?: { refs: RegExp; uses: string };
  /** Where the fact comes from. */
  source: string;
}

export const ARCHIVED_ACTIONS: readonly ArchivedAction[] = [
  {
    repo: 'actions/create-release',
    // shogo82148/actions-create-release says it takes the same inputs, but moving a first-party step to
    // a third party's action is a trust decision, so no automatic swap.
    successor:
      '`gh release create` (the GitHub CLI is on every hosted runner) or softprops/action-gh-release, which take different inputs, so the step needs rewriting (shogo82148/actions-create-release says it accepts the same inputs, from another publisher)',
    source: 'the repository README: unmaintained by GitHub, pointing to maintained release actions (softprops/action-gh-release, ncipollo/release-action and others)',
  },
  {
    repo: 'actions/upload-release-asset',
    successor: '`gh release upload`, or softprops/action-gh-release with `files:`; neither takes the same inputs',
    source: 'the repository README: unmaintained by GitHub; archived',
  },
  { repo: 'actions/setup-ruby', successor: 'ruby/setup-ruby (it reads `ruby-version` differently and can read .ruby-version: check the version line)', source: 'the repository README points to ruby/setup-ruby' },
  { repo: 'actions/setup-elixir', successor: 'erlef/setup-beam', source: 'the repository README: moved to the Erlang Ecosystem Foundation' },
  { repo: 'actions/setup-haskell', successor: 'haskell-actions/setup', source: 'the repository README: moved to the Haskell community organisation' },
  {
    repo: 'gradle/gradle-build-action',
    successor: 'gradle/actions/setup-gradle',
    // v3 of gradle-build-action only delegates to setup-gradle@v3 with the same inputs.
    dropIn: { refs: /^v3$/, uses: 'gradle/actions/setup-gradle@v3' },
    source: 'the v3 README: "Any workflow that uses gradle/gradle-build-action@v3 will transparently delegate to gradle/actions/setup-gradle@v3"',
  },
  { repo: 'mikepenz/gradle-dependency-submission', successor: 'gradle/actions/dependency-submission', source: 'the repository README' },
  { repo: 'crazy-max/ghaction-docker-buildx', successor: 'docker/setup-buildx-action (different inputs)', source: 'the repository README: deprecated in favour of the Docker action' },
  { repo: 'tibdex/github-app-token', successor: 'actions/create-github-app-token (inputs are named app-id and private-key there)', source: 'the repository README' },
  { repo: 'semgrep/semgrep-action', successor: 'running `semgrep ci` in the semgrep/semgrep container image', source: 'the repository README: deprecated in favour of the CLI' },
  { repo: 'actions-rs/toolchain', successor: 'rustup, which is on every hosted runner (`rustup toolchain install stable`), or dtolnay/rust-toolchain (different inputs)', source: 'actions-rs was archived by its owner in 2023' },
  { repo: 'actions-rs/cargo', successor: 'a `run: cargo …` step', source: 'actions-rs was archived by its owner in 2023' },
  { repo: 'actions-rs/audit-check', successor: 'rustsec/audit-check, the RustSec project\'s continuation', source: 'actions-rs was archived by its owner in 2023' },
  { repo: 'actions-rs/clippy-check', successor: 'a `run: cargo clippy …` step', source: 'actions-rs was archived by its owner in 2023' },
  { repo: 'actions-rs/install', successor: 'a `run: cargo install …` step', source: 'actions-rs was archived by its owner in 2023' },
  { repo: 'actions-rs/tarpaulin', source: 'actions-rs was archived by its owner in 2023' },
  { repo: 'actions-rs/grcov', source: 'actions-rs was archived by its owner in 2023' },
  { repo: 'actions-rs/components-nightly', source: 'actions-rs was archived by its owner in 2023' },
  { repo: 'marvinpinto/action-automatic-releases', successor: '`gh release create`; the inputs differ', source: 'archived by its owner' },
  { repo: '8398a7/action-slack', source: 'archived by its owner' },
  { repo: 'jakejarvis/s3-sync-action', successor: '`aws s3 sync` after aws-actions/configure-aws-credentials', source: 'archived by its owner' },
  { repo: 'sonarsource/sonarcloud-github-action', source: 'archived by SonarSource' },
];

const BY_REPO = new Map(ARCHIVED_ACTIONS.map((a) => [a.repo, a]));

export function archivedEntry(owner: string, repo: string): ArchivedAction | undefined {
  return BY_REPO.get(`${owner}/${repo}`.toLowerCase());
}
