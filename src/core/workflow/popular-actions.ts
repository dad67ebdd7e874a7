// Widely used actions, by `owner/repo` (lower case): the names a typosquatter imitates. Kept by hand
// from the actions that recur across public workflows (the corpora in /work/shared/corpus among them)
// and the GitHub Marketplace's most used; a name here is never reported, a name one edit away from
// one of them under a different owner is (typosquat-uses).

export const POPULAR_ACTIONS: readonly string[] = [
  // GitHub
  'actions/checkout', 'actions/setup-node', 'actions/setup-python', 'actions/setup-java', 'actions/setup-go',
  'actions/setup-dotnet', 'actions/cache', 'actions/upload-artifact', 'actions/download-artifact',
  'actions/github-script', 'actions/labeler', 'actions/stale', 'actions/create-release',
  'actions/upload-release-asset', 'actions/first-interaction', 'actions/dependency-review-action',
  'actions/configure-pages', 'actions/deploy-pages', 'actions/upload-pages-artifact', 'actions/jekyll-build-pages',
  'actions/attest-build-provenance', 'actions/attest', 'actions/attest-sbom', 'actions/create-github-app-token',
  'actions/add-to-project', 'actions/delete-package-versions', 'actions/setup-haskell', 'actions/ai-inference',
  'github/codeql-action', 'github/super-linter', 'github/issue-labeler', 'super-linter/super-linter',
  // Containers and clouds
  'docker/setup-buildx-action', 'docker/login-action', 'docker/build-push-action', 'docker/metadata-action',
  'docker/setup-qemu-action', 'docker/bake-action', 'docker/scout-action', 'docker/setup-docker-action',
  'aws-actions/configure-aws-credentials', 'aws-actions/amazon-ecr-login', 'aws-actions/amazon-ecs-deploy-task-definition',
  'azure/login', 'azure/webapps-deploy', 'azure/cli', 'azure/powershell', 'azure/setup-helm', 'azure/setup-kubectl',
  'azure/k8s-set-context', 'azure/docker-login', 'google-github-actions/auth', 'google-github-actions/setup-gcloud',
  'google-github-actions/deploy-cloudrun', 'google-github-actions/release-please-action', 'googleapis/release-please-action',
  'hashicorp/setup-terraform', 'cloudflare/wrangler-action', 'firebaseextended/action-hosting-deploy',
  'helm/kind-action', 'helm/chart-testing-action', 'helm/chart-releaser-action',
  // Languages and tools
  'dtolnay/rust-toolchain', 'swatinem/rust-cache', 'actions-rs/toolchain', 'actions-rs/cargo', 'taiki-e/install-action',
  'pypa/gh-action-pypi-publish', 'pypa/cibuildwheel', 'astral-sh/setup-uv', 'astral-sh/ruff-action', 'pnpm/action-setup',
  'oven-sh/setup-bun', 'denoland/setup-deno', 'gradle/actions', 'gradle/gradle-build-action', 'gradle/wrapper-validation-action',
  'ruby/setup-ruby', 'shivammathur/setup-php', 'subosito/flutter-action', 'erlef/setup-beam', 'julia-actions/setup-julia',
  'haskell-actions/setup', 'r-lib/actions', 'msys2/setup-msys2', 'microsoft/setup-msbuild', 'ilammy/msvc-dev-cmd',
  'jdx/mise-action', 'pre-commit/action', 'conda-incubator/setup-miniconda', 'mamba-org/setup-micromamba',
  'prefix-dev/setup-pixi', 'cachix/install-nix-action', 'cachix/cachix-action', 'determinatesystems/nix-installer-action',
  'goreleaser/goreleaser-action', 'golangci/golangci-lint-action', 'mikefarah/yq', 'pyo3/maturin-action',
  'mozilla-actions/sccache-action', 'hendrikmuhs/ccache-action', 'ramsey/composer-install', 'bahmutov/npm-install',
  'cypress-io/github-action', 'browser-actions/setup-chrome', 'nanasess/setup-chromedriver', 'coursier/setup-action',
  'coursier/cache-action', 'sbt/setup-sbt', 'graalvm/setup-graalvm', 'mlugg/setup-zig', 'goto-bus-stop/setup-zig',
  'jiro4989/setup-nim-action', 'leafo/gh-actions-lua', 'leafo/gh-actions-luarocks', 'arduino/setup-protoc',
  'bufbuild/buf-setup-action', 'extractions/setup-just', 'crate-ci/typos', 'crate-ci/committed',
  // Releases, pull requests, repository chores
  'softprops/action-gh-release', 'ncipollo/release-action', 'release-drafter/release-drafter', 'peter-evans/create-pull-request',
  'peter-evans/repository-dispatch', 'peter-evans/create-or-update-comment', 'peter-evans/find-comment',
  'peter-evans/slash-command-dispatch', 'stefanzweifel/git-auto-commit-action', 'endbug/add-and-commit',
  'tj-actions/changed-files', 'dorny/paths-filter', 'dorny/test-reporter', 'dependabot/fetch-metadata',
  'fastify/github-action-merge-dependabot', 'amannn/action-semantic-pull-request', 'wagoid/commitlint-github-action',
  'crazy-max/ghaction-import-gpg', 'crazy-max/ghaction-github-labeler', 'crazy-max/ghaction-setup-docker',
  'jamesives/github-pages-deploy-action', 'peaceiris/actions-gh-pages', 'peaceiris/actions-hugo', 'peaceiris/actions-mdbook',
  'nick-fields/retry', 'nick-invision/retry', 'wandalen/wretry.action', 'benchmark-action/github-action-benchmark',
  'marocchino/sticky-pull-request-comment', 'thollander/actions-comment-pull-request', 'mshick/add-pr-comment',
  'actions-ecosystem/action-add-labels', 'andymckay/labeler', 'kentaro-m/auto-assign-action', 'pascalgn/automerge-action',
  'octokit/request-action', 'octokit/graphql-action', 'rhysd/action-setup-vim', 'reviewdog/action-actionlint',
  'reviewdog/reviewdog', 'ludeeus/action-shellcheck', 'hadolint/hadolint-action', 'gaurav-nelson/github-action-markdown-link-check',
  'lycheeverse/lychee-action', 'streetsidesoftware/cspell-action', 'codespell-project/actions-codespell', 'dessant/lock-threads',
  'codecov/codecov-action', 'codecov/test-results-action', 'coverallsapp/github-action', 'sonarsource/sonarcloud-github-action',
  'sonarsource/sonarqube-scan-action', 'snyk/actions', 'gitleaks/gitleaks-action', 'trufflesecurity/trufflehog',
  'sigstore/cosign-installer', 'sigstore/gh-action-sigstore-python', 'anchore/sbom-action', 'anchore/scan-action',
  'aquasecurity/trivy-action', 'ossf/scorecard-action', 'step-security/harden-runner', 'zizmorcore/zizmor-action',
  'slsa-framework/slsa-github-generator', 'slackapi/slack-github-action', '8398a7/action-slack', 'rtcamp/action-slack-notify',
  'appleboy/ssh-action', 'appleboy/scp-action', 'burnett01/rsync-deployments', 'jannekem/run-python-script-action',
  'amadevus/pwsh-script', 'homebrew/actions', 'mxschmitt/action-tmate', 'styfle/cancel-workflow-action',
  'rojopolis/spellcheck-github-actions', 'actions/setup-ruby', 'actionsx/prettier', 'creyd/prettier_action',
  'wearerequired/lint-action', 'github/branch-deploy', 'joshuaoconnor/markdown-link-check', 'irongut/codecoveragesummary',
];

/**
 * Whether `a` and `b` are at most one edit apart (one character inserted, removed, replaced, or two
 * neighbours swapped). Linear in the length: checked against every popular name for every `uses:`.
 */
export function oneEditApart(a: string, b: string): boolean {
  if (a === b) return false;
  const la = a.length;
  const lb = b.length;
  if (Math.abs(la - lb) > 1) return false;
  let i = 0;
  while (i < la && i < lb && a[i] === b[i]) i++;
  if (la === lb) {
    if (a.slice(i + 1) === b.slice(i + 1)) return true; // replaced
    return a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2); // swapped
  }
  return la > lb ? a.slice(i + 1) === b.slice(i) : a.slice(i) === b.slice(i + 1);
}

const POPULAR = new Set(POPULAR_ACTIONS);
/** Each popular action with its owner, split once (not once per comparison). */
const POPULAR_OWNERS = POPULAR_ACTIONS.map((p) => ({ name: p, owner: p.split('/')[0] }));
/** Answers by name: a repository names the same few actions in many steps, and every scan asks again. */
const imitated = new Map<string, string | undefined>();

/** The popular action `ownerRepo` (lower case) imitates, if it is one edit away under another owner. */
export function imitatedAction(ownerRepo: string): string | undefined {
  if (imitated.has(ownerRepo)) return imitated.get(ownerRepo);
  const found = findImitated(ownerRepo);
  if (imitated.size >= 4096) imitated.clear();
  imitated.set(ownerRepo, found);
  return found;
}

function findImitated(ownerRepo: string): string | undefined {
  if (POPULAR.has(ownerRepo)) return undefined;
  const owner = ownerRepo.split('/')[0];
  for (const p of POPULAR_OWNERS) {
    // The same owner publishing a similarly named repository is that owner's own action, not a squat.
    if (p.owner === owner) continue;
    if (oneEditApart(ownerRepo, p.name)) return p.name;
  }
  return undefined;
}
