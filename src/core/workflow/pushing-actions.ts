// Actions that push commits, tags or branches with the credentials `actions/checkout` saved (or with
// the token they are given). A checkout followed by one of these must keep its credentials, so
// `persist-credentials: false` there is a review fix, never a safe one. Each row names its source.

export const PUSHING_ACTIONS: Readonly<Record<string, string>> = {
  // README: "commits and pushes changed files back to the repository" using the checkout's credentials.
  'stefanzweifel/git-auto-commit-action': 'commits and pushes with the saved credentials',
  // README: "Add & commit files from a path directly from GitHub Actions" (runs git push).
  'endbug/add-and-commit': 'commits and pushes with git',
  // README: "GitHub Action for pushing to GitHub repositories" with a provided or the default token.
  'ad-m/github-push-action': 'pushes with git',
  // README: creates a release pull request and pushes its branch with git.
  'changesets/action': 'pushes a release branch with git',
  // README ("persist-credentials"): pushes the pull request branch with git; documents the checkout's saved token.
  'peter-evans/create-pull-request': 'pushes the pull request branch with git',
  // README: commits and pushes with git.
  'github-actions-x/commit': 'commits and pushes with git',
  // README: "commit and push" action.
  'devops-infra/action-commit-push': 'commits and pushes with git',
  // README: pushes changes to the repository.
  'actions-js/push': 'pushes with git',
  // README: deploys by pushing a branch (gh-pages) with git.
  'peaceiris/actions-gh-pages': 'pushes a branch with git',
  // README: deploys by pushing a branch with git.
  'jamesives/github-pages-deploy-action': 'pushes a branch with git',
  // README: runs `git fetch`/`git push` to update pull request branches.
  'peter-evans/rebase': 'fetches and pushes with git',
  // README: creates and pushes tags with git.
  'mathieudutour/github-tag-action': 'pushes a tag',
  // README: updates the major-version tag and pushes it.
  'nowactions/update-majorver': 'pushes a tag with git',
};

/** Why the action needs the saved credentials, when it is one of the table's actions (`owner/repo`, lower case). */
export function pushingAction(ownerRepo: string): string | undefined {
  return PUSHING_ACTIONS[ownerRepo.toLowerCase()];
}
