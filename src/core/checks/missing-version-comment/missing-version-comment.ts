import type { CheckMeta, Finding } from '../../model';
import type { Check } from '../types';
import { finding, usesSites } from '../helpers';
import { parseUses, VERSION_COMMENT } from '../../yaml/uses';
import { locationOf, rangeLocation } from '../../yaml/parse';
import { PIN_ACTION_PROVIDER, type PinActionData } from '../../fix/deferred';

export const meta: CheckMeta = {
  id: 'missing-version-comment',
  title: 'SHA pins carry a version comment',
  category: 'workflows',
  severity: 'low',
  confidence: 'high',
  fixable: true,
  docs: {
    summary:
      'An action is pinned to a commit SHA but the line has no comment saying which version that is (`uses: actions/checkout@11bd719… # v4.2.2`), or the comment is not a version.',
    whyItMatters:
      'A bare 40-character SHA tells a reviewer nothing: nobody can see whether it is an old release, a pre-release or a random commit from a fork. With the comment, Dependabot and Renovate update it together with the SHA, so their pull requests read `v4.1.0 → v4.2.2` instead of one unexplained SHA replacing another.',
    howToFix:
      'Add the release tag the SHA belongs to as a trailing comment on the same line: `uses: owner/action@<sha> # v1.2.3`. Find it on the action\'s releases page or with `git ls-remote --tags https://github.com/owner/action`. Dependabot keeps the comment in step from then on.',
    effort: 'minutes',
    fixSafety:
      'Safe: only a comment changes, the workflow runs exactly the same code. Steward looks up which tag points at the SHA when online; when no tag does, it offers no fix.',
  },
  references: {
    other: [{ title: 'Dependabot: version comments on SHA-pinned actions', url: 'https://docs.github.com/en/code-security/dependabot/working-with-dependabot/keeping-your-actions-up-to-date-with-dependabot' }],
  },
};

/** Ratchet and similar tools write the ref they pinned: `# ratchet:actions/checkout@v4`. */
const REF_COMMENT = /#\s*(?:ratchet|pin|tag)\s*[:=]\s*\S*@v?\d/i;
/** A release branch the SHA was taken from, e.g. `# release/v1` (pypa/gh-action-pypi-publish's scheme). */
const BRANCH_COMMENT = /#\s*(?:[\w.-]+\/)+v?\d+(?:\.\d+)*\b/;

const IGNORE_HEAD = /(?:zizmor|steward):\s*ignore\[/gi;
const OTHER_DIRECTIVES = /noqa\S*|nosec|ratchet:exclude/gi;

/**
 * The comment without its linter directives: `steward: ignore[…]`/`zizmor: ignore[…]` (each list ends
 * at the next `]`; with none left, no later head has one either, so the scan stops: one pattern
 * tried every head to the end of a hostile line), `noqa…`, `nosec`, `ratchet:exclude`.
 */
export function withoutDirectives(comment: string): string {
  let out = '';
  let at = 0;
  IGNORE_HEAD.lastIndex = 0;
  for (let h = IGNORE_HEAD.exec(comment); h; h = IGNORE_HEAD.exec(comment)) {
    const close = comment.indexOf(']', h.index + h[0].length);
    if (close < 0) break;
    out += comment.slice(at, h.index);
    at = close + 1;
    IGNORE_HEAD.lastIndex = at;
  }
  return (out + comment.slice(at)).replace(OTHER_DIRECTIVES, '');
}

export function versionInComment(comment: string): boolean {
  return VERSION_COMMENT.test(comment) || REF_COMMENT.test(comment) || BRANCH_COMMENT.test(comment);
}

export const check: Check = {
  meta,
  fileKinds: ['workflow', 'action'],
  notApplicableReason: 'No workflows or actions',
  checkFile(file) {
    const out: Finding[] = [];
    const yaml = file.yaml!;
    for (const site of usesSites(file)) {
      const u = parseUses(site.value);
      if (u.kind !== 'repo' || !u.pinned) continue;
      const range = site.node.range!;
      // The comment is whatever follows the value on its line (after a flow mapping's `}` too).
      const line = yaml.lines.position(range[1]).line;
      const rest = yaml.text.slice(range[1], yaml.lines.lineEnd(line));
      const hash = /(?:^|\s)#/.exec(rest);
      const raw = hash ? rest.slice(hash.index + hash[0].length - 1).trimEnd() : undefined;
      // A comment that only holds a linter directive says nothing about the version either.
      const comment = raw && withoutDirectives(raw).replace(/^[#\s]+$/, '') ? raw : undefined;
      if (comment && versionInComment(comment)) continue;
      const name = `${u.owner}/${u.repo}${u.path ? '/' + u.path : ''}`;
      const data: PinActionData = { file: file.path, owner: u.owner, repo: u.repo, path: u.path, ref: u.ref, start: range[0], end: range[1] };
      const commentStart = hash ? range[1] + hash.index + hash[0].length - 1 : 0;
      out.push(
        finding(meta, {
          message: comment
            ? `${name} is pinned to ${u.ref.slice(0, 12)}… but its comment '${comment}' is not a version: reviewers and update bots cannot tell which release this is`
            : `${name} is pinned to ${u.ref.slice(0, 12)}… with no version comment: reviewers and update bots cannot tell which release this is`,
          location: comment ? rangeLocation(yaml, commentStart, commentStart + comment.length) : locationOf(yaml, site.node),
          fixes: [
            {
              title: `Add the version of ${name}@${u.ref.slice(0, 12)} as a comment`,
              safe: true,
              edits: [],
              deferred: { provider: PIN_ACTION_PROVIDER, data },
            },
          ],
        }),
      );
    }
    return out;
  },
};
