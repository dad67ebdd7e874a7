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

// Commands that push to the repository with the Git credentials the checkout saved: documentation
// deployers (`mkdocs gh-deploy`; `ghp-import` and `mike deploy` with -p/--push, also inside a cluster of
// short options such as `-npf`; the `gh-pages` package's CLI) and release tools (semantic-release,
// `lerna publish|version`, release-it, `cargo release`, Bundler's `rake release`, which pushes the
// version tag (its own task, not a project's `release:<name>`), Maven's `release:prepare`, which pushes the release commits and tag, sbt-release's
// `sbt release`, and `tbump <version>` unless told --only-patch or --no-push).
//
// Tried line by line, and only on lines holding one of TOOL_WORDS (every rule's match starts with one;
// most run steps hold none). A rule with a span (`ghp-import … -p`) is tried once per line, from the
// first occurrence of its tool's word: tried at every occurrence, as one regular expression does, a
// hostile line of many `ghp-import` words cost time in the square of its length.

/** A pushing command found in a script: as written (spaces folded), and how the permissions fix names it. */
export interface PushingTool {
  text: string;
  /** The tool as a permissions comment names it (`mkdocs gh-deploy`, `lerna version`). */
  source: string;
  /** What it pushes. */
  reason: string;
  /** Git is all it uses (a release tool given a token may call the API too). */
  gitOnly: boolean;
}

type Use = Omit<PushingTool, 'text'>;
type Rule = (line: string) => { index: number; text: string; use: Use } | undefined;
const SITE: Omit<Use, 'source'> = { reason: 'pushes the built site to the gh-pages branch', gitOnly: true };
const RELEASE: Omit<Use, 'source'> = { reason: 'pushes the release commit or tag with Git', gitOnly: false };
const PUSH_FLAG = String.raw`\s(?:-[A-Za-z]*p[A-Za-z]*|--push)\b`;

/** A rule without a span: the expression's first match. `source` undefined: the match itself (`lerna version`). */
const plain = (re: RegExp, use: Omit<Use, 'source'> & { source?: string }): Rule => (line) => {
  const m = re.exec(line);
  return m ? { index: m.index, text: m[0], use: { ...use, source: use.source ?? m[0].replace(/\s+/g, ' ') } } : undefined;
};
/** A rule with a span: `rest` (sticky) tried once, from the first `first`; none when `unless` is in the rest of the line. */
const spanned = (first: RegExp, rest: RegExp, use: Use, unless?: RegExp): Rule => (line) => {
  const m = first.exec(line);
  if (!m) return undefined;
  rest.lastIndex = m.index;
  const r = rest.exec(line);
  if (!r || (unless && unless.test(line.slice(m.index)))) return undefined;
  return { index: m.index, text: r[0], use };
};
const RULES: readonly Rule[] = [
  plain(/\bmkdocs\s+gh-deploy\b/, { ...SITE, source: 'mkdocs gh-deploy' }),
  spanned(/\bghp-import\b/, new RegExp(String.raw`ghp-import\b[^\n]*${PUSH_FLAG}`, 'y'), { ...SITE, source: 'ghp-import' }),
  plain(/(?<=^|[\s/])gh-pages\s+(?:-d|--dist)\b/, { ...SITE, source: 'gh-pages' }),
  spanned(/\bmike\s+deploy\b/, new RegExp(String.raw`mike\s+deploy\b[^\n]*${PUSH_FLAG}`, 'y'), { source: 'mike deploy --push', reason: 'pushes the built documentation to the gh-pages branch', gitOnly: true }),
  plain(/\bsemantic-release\b/, RELEASE),
  plain(/\blerna\s+(?:publish|version)\b/, RELEASE),
  plain(/\brelease-it\b/, RELEASE),
  plain(/\bcargo\s+release\b/, RELEASE),
  // Bundler's gem tasks: `release` (and `release[remote]`) and `release:source_control_push` push the
  // version tag; a project's own `release:<name>` task (sinatra's only runs `gem push`) is not theirs.
  plain(/\brake\s+release(?:\[[^\]\s]*\]|:source_control_push)?(?=$|[\s;&|)'"])/, { ...RELEASE, source: 'rake release' }),
  spanned(/\bmvnw?\b/, /mvnw?\b[^\n]*\srelease:prepare\b/y, { source: 'mvn release:prepare', reason: 'pushes the release commits and tag with Git', gitOnly: false }),
  spanned(/\bsbt\b/, /sbt\b[^\n]*?\s(?:"release\b[^"\n]*"|'release\b[^'\n]*'|release\b)/y, { source: 'sbt release', reason: 'pushes the release commits and tag with Git', gitOnly: false }),
  spanned(/\btbump\s+(?!init\b)/, /tbump\s+/y, { ...RELEASE, source: 'tbump' }, /--(?:only-patch|no-push)\b/),
];
const TOOL_WORDS = /mkdocs|ghp-import|gh-pages|mike|semantic-release|lerna|release-it|cargo|rake|mvn|sbt|tbump/;

/** The first command in `text` that pushes with the checkout's saved Git credentials, or undefined. */
export function pushingTool(text: string): PushingTool | undefined {
  if (!TOOL_WORDS.test(text)) return undefined;
  for (const line of text.split('\n')) {
    if (!TOOL_WORDS.test(line)) continue;
    let best: ReturnType<Rule>;
    for (const rule of RULES) {
      const m = rule(line);
      if (m && (!best || m.index < best.index)) best = m;
    }
    if (best) return { text: best.text.replace(/\s+/g, ' ').trim(), ...best.use };
  }
  return undefined;
}
