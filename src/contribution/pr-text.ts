import type { CheckMeta, Evidence } from '../core/model';
import { rulesDocUrl } from '../core/report/docs';
import { escapeMarkdown } from '../core/report/escape';
import type { Concern } from './concerns';

// The pull request text, written for a maintainer who is not a security expert: what changed, why it
// matters, what could break, how to verify, how to undo — for each change — plus the evidence.

export interface PlannedChange {
  /** Commit subject. */
  title: string;
  ruleId: string;
  files: string[];
  added: number;
  removed: number;
  caveat?: string;
  evidence: Evidence[];
  /** Set once committed. */
  commit?: string;
}

const VERIFY: Record<string, string> = {
  'security-policy': 'Open the new SECURITY.md on the PR\'s "Files changed" tab and check that the contact channel, response times and supported versions are what you intend to promise.',
  'pin-actions': 'For each pinned action, open the compare link in the evidence table: it should show no code changes between the tag the workflow used and the pinned commit. Then let CI run on this PR.',
  'token-permissions': 'Let the workflows run on this PR (and on the next push or release). A job that needs a permission that is not granted fails with "Resource not accessible by integration"; the comment on each granted line says why it is there.',
  'checkout-credentials': 'Let CI run on this PR. Only a step that runs `git push` (or similar) after checkout would need the credential; none of the changed jobs does, as far as Steward can tell.',
  'template-injection': 'Let the workflow run: the script now reads the values from environment variables, as data, so text in titles or branch names can no longer be executed as commands. Where Steward could not show that the script receives exactly what it did before, the change says why and asks for a look.',
  dependabot: 'After merging, open Insights → Dependency graph → Dependabot to see the configured ecosystems. Update PRs arrive at most weekly and only for releases older than the cooldown.',
};

function plain(s: string): string {
  return s.replace(/`([^`]*)`/g, '`$1`');
}

export interface PrTextInput {
  concern: Concern;
  changes: PlannedChange[];
  metas: ReadonlyMap<string, CheckMeta>;
  templateChecklist: string[];
  requiresSignoff: boolean;
  /** The contributor's name, for the first-person summary. */
  author?: string;
}

export function prTitle(concern: Concern): string {
  return concern.def.prTitle;
}

export function prBody(input: PrTextInput): string {
  const { concern, changes, metas } = input;
  const files = [...new Set(changes.flatMap((c) => c.files))];
  const added = changes.reduce((n, c) => n + c.added, 0);
  const removed = changes.reduce((n, c) => n + c.removed, 0);
  const out: string[] = [];
  out.push('## Summary', '');
  out.push(
    `${concern.def.prTitle}. This is a small, focused change: ${changes.length} commit${changes.length === 1 ? '' : 's'} touching ${files.length} file${files.length === 1 ? '' : 's'} (+${added} −${removed} lines), one concern only. ` +
      `Each change is explained below for reviewers who are not security specialists. I prepared it with [Steward](https://github.com/steward-oss/steward) and reviewed every line myself${input.author ? ` (${escapeMarkdown(input.author)})` : ''}.`,
  );
  out.push('');
  out.push('## Changes', '');
  changes.forEach((c, i) => {
    const meta = metas.get(c.ruleId);
    out.push(`### ${i + 1}. ${escapeMarkdown(c.title)}`, '');
    out.push(`**What changed.** ${escapeMarkdown(c.title)} in ${c.files.map((f) => '`' + f.replace(/`/g, "'") + '`').join(', ')} (+${c.added} −${c.removed} lines).${c.commit ? ` Commit ${c.commit.slice(0, 12)}.` : ''}`, '');
    if (meta) out.push(`**Why it matters.** ${plain(meta.docs.whyItMatters)}`, '');
    out.push(`**What could break.** ${plain(c.caveat ?? meta?.docs.fixSafety ?? 'Nothing expected.')}`, '');
    out.push(`**How to verify.** ${VERIFY[concern.def.id] ?? 'Let CI run on this PR; `steward scan` no longer reports this finding.'}`, '');
    out.push(`**How to undo.** Revert ${c.commit ? `commit ${c.commit.slice(0, 12)}` : 'this commit'} (\`git revert\`); nothing else depends on it.`, '');
  });
  const evidence = changes.flatMap((c) => c.evidence);
  const pins = evidence.filter((e) => e.kind === 'pin');
  if (pins.length) {
    out.push('## Evidence', '');
    out.push('| Action | Was | Pinned to | Tag | Date | Links |', '| --- | --- | --- | --- | --- | --- |');
    for (const e of pins) {
      const d = e.details ?? {};
      const links = (e.links ?? []).map((l) => `[${escapeMarkdown(l.title)}](${l.url})`).join(' · ');
      const date = d.tagDate ?? d.commitDate;
      out.push(`| ${escapeMarkdown(d.action ?? e.summary)} | \`${(d.ref ?? '').replace(/`/g, '')}\` | \`${(d.commit ?? '').slice(0, 12)}\` | ${escapeMarkdown(d.version ?? d.tag ?? '')} | ${date ? date.slice(0, 10) : 'unknown'} | ${links} |`);
    }
    out.push('', 'Each commit was resolved from the action\'s own repository, so it is reachable from that tag in that repository and cannot be an impostor commit pushed to a fork. The compare link should show no changes between the tag and the pinned commit.', '');
  } else if (evidence.length) {
    out.push('## Evidence', '');
    for (const e of evidence) out.push(`- ${escapeMarkdown(e.summary)}`);
    out.push('');
  }
  const rules = [...new Set(changes.map((c) => c.ruleId))];
  out.push('## Background', '');
  for (const r of rules) {
    const m = metas.get(r);
    if (m) out.push(`- [${escapeMarkdown(m.title)}](${rulesDocUrl(r)}) — ${plain(m.docs.summary)}`);
  }
  if (input.requiresSignoff) out.push('', 'All commits carry a `Signed-off-by` line, as this project\'s contributing guide asks.');
  if (input.templateChecklist.length) {
    out.push('', '## Checklist', '', 'From this project\'s pull request template:', '', ...input.templateChecklist);
  }
  out.push('');
  return out.join('\n');
}

/** Commit message: a plain subject, a body that says why, and the trailers. */
export function commitMessage(change: PlannedChange, meta: CheckMeta | undefined, opts: { signoff?: string; concernId: string }): string {
  const body = meta ? wrap72(`${plain(meta.docs.whyItMatters)}`) : '';
  const trailers = [`Steward-Concern: ${opts.concernId}`];
  if (opts.signoff) trailers.push(`Signed-off-by: ${opts.signoff}`);
  return `${change.title}\n\n${body}${body ? '\n\n' : ''}${trailers.join('\n')}\n`;
}

function wrap72(s: string): string {
  const out: string[] = [];
  let line = '';
  for (const w of s.split(/\s+/).filter(Boolean)) {
    if (line && line.length + 1 + w.length > 72) {
      out.push(line);
      line = w;
    } else line = line ? `${line} ${w}` : w;
  }
  if (line) out.push(line);
  return out.join('\n');
}
