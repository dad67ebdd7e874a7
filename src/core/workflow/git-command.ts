// How a shell line names a git subcommand. Between `git` and the subcommand may come global options:
// `-C <dir>`, `-c <name>=<value>`, `--git-dir <dir>`, `--work-tree <dir>`, `--namespace <name>` (the
// last three also with `=`), and flags such as `--no-pager` or `--bare`. A pattern that allowed only
// `-c`/`-C` read `git --no-pager push` as no push, and the fix that removes the saved credentials
// then broke the job. The option forms do not overlap (`-c` followed by a space is only the first
// form), so options are matched without backtracking between them; at most 12 are read (a real
// command has a few), so a hostile line of many `git -c git -c …` is not read to its end at every `git`.

/** `git`, its global options and the whitespace before the subcommand (no capturing groups). */
export const GIT_COMMAND = String.raw`\bgit(?:\s+(?:-[cC]\s+\S+|--(?:git-dir|work-tree|namespace)\s+\S+|-(?!(?:[cC]|-git-dir|-work-tree|-namespace)(?:\s|$))\S+)){0,12}\s+`;

/** The subcommands that push: `push`, and `subtree push` and `lfs push`, which push with the same credentials. */
export const PUSH_SUBCOMMAND = String.raw`(?:(?:subtree|lfs)\s+)?push\b`;
