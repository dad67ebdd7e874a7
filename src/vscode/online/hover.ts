import * as vscode from 'vscode';
import type { Evidence } from '../../core/model';
import { evidenceMarkdown, pinEvidence } from '../../github';
import type { EditorGitHub } from './github';
import { escapeMarkdown, parseUsesLine } from './usesLine';

// Pin evidence on `uses:` lines of workflows and actions. For `@<sha> # v4.2.2` it checks that the tag
// named by the comment points to that commit in the action's own repository; for `@v4` it shows what
// pinning would write and why it can be trusted. Resolutions are cached by the resolver (memory and
// global storage); nothing goes to the network unless online features are on in a trusted workspace.

export const USES_DOCUMENTS: vscode.DocumentSelector = [{ pattern: '**/.github/workflows/*.{yml,yaml}' }, { pattern: '**/action.{yml,yaml}' }];

/** Evidence with its repository-derived text escaped for Markdown (names can hold `_`, `*`, `[`). */
function escapedEvidence(e: Evidence): Evidence {
  return { ...e, summary: escapeMarkdown(e.summary), links: e.links?.map((l) => ({ title: escapeMarkdown(l.title), url: l.url.replace(/[()\s]/g, encodeURIComponent) })) };
}

export class PinHoverProvider implements vscode.HoverProvider {
  constructor(private readonly github: EditorGitHub) {}

  async provideHover(doc: vscode.TextDocument, pos: vscode.Position, token: vscode.CancellationToken): Promise<vscode.Hover | undefined> {
    const text = doc.lineAt(pos.line).text;
    const u = parseUsesLine(text);
    if (!u || pos.character < u.start || pos.character > text.length) return undefined;
    // A SHA without a version comment claims nothing to verify; the other cases are worth a lookup.
    if (u.pinned && !u.commentVersion) return undefined;
    const range = new vscode.Range(pos.line, u.start, pos.line, text.length);
    const name = `${u.owner}/${u.repo}${u.path ? '/' + u.path : ''}`;
    const md = new vscode.MarkdownString(undefined, true);
    md.isTrusted = false;
    md.supportHtml = false;
    const on = this.github.online();
    if (!on.ok) {
      md.appendMarkdown(`**Steward:** pin evidence for ${escapeMarkdown(name)} needs GitHub; ${escapeMarkdown(on.why)}.`);
      return new vscode.Hover(md, range);
    }
    const ref = u.pinned ? u.commentVersion! : u.ref;
    let evidence: Evidence;
    let sha: string;
    try {
      const r = await this.github.resolve(u.owner, u.repo, ref);
      if (token.isCancellationRequested) return undefined;
      evidence = pinEvidence(this.github.services()!.endpoints, r, u.path);
      sha = r.sha;
    } catch (e) {
      md.appendMarkdown(`**Steward** could not resolve ${escapeMarkdown(`${name}@${ref}`)}: ${escapeMarkdown(e instanceof Error ? e.message : String(e))}`);
      return new vscode.Hover(md, range);
    }
    if (u.pinned) {
      if (sha.toLowerCase() === u.ref.toLowerCase()) md.appendMarkdown(`$(pass) **Pin verified:** the comment says ${escapeMarkdown(ref)}, and ${escapeMarkdown(ref)} of ${escapeMarkdown(`${u.owner}/${u.repo}`)} points to this commit.\n\n`);
      else
        md.appendMarkdown(
          `$(warning) **Pin and comment disagree:** ${escapeMarkdown(ref)} of ${escapeMarkdown(`${u.owner}/${u.repo}`)} points to \`${sha.slice(0, 12)}\`, not to the pinned \`${u.ref.slice(0, 12)}\`. The comment is stale, or the pin is not that release.\n\n`,
        );
    } else {
      md.appendMarkdown(`$(pin) **Not pinned.** Pinning writes \`@${sha}\` with the comment \`# ${(evidence.details?.version ?? ref).replace(/`/g, '')}\` (quick fix on this line).\n\n`);
    }
    md.appendMarkdown(evidenceMarkdown(escapedEvidence(evidence)));
    return new vscode.Hover(md, range);
  }
}
