// Conditions that keep pull requests from forks out of a job or step: with one of these, only people
// who can push to the repository reach it, which changes how bad an injection or a checkout is.
export const SAME_REPO_GUARD =
  /head\.repo\.full_name\s*==\s*github\.repository\b|github\.repository\s*==\s*github\.event\.pull_request\.head\.repo\.full_name|head_repository\.full_name\s*==\s*github\.repository\b|head\.repo\.fork\s*==\s*false|!\s*github\.event\.pull_request\.head\.repo\.fork\b/i;
