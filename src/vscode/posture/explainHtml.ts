import { createTwoFilesPatch } from 'diff';
import { applyEdits } from '../../core/fix/apply';
import type { CheckStatus, Finding, Fix } from '../../core/model';
import { CATEGORY_TITLES } from '../../core/model';
import { referenceList, rulesDocUrl } from '../../core/report/docs';
import type { RepoScan } from '../../core/engine';
import type { CheckRow } from './model';

// The Explain page's HTML, built from plain data so it is testable without a webview. Everything that
// comes from the repository or from meta is escaped; the only markup is ours. Styling is a stylesheet
// (no inline styles: the CSP allows styles from the extension only) using the theme's CSS variables.

export interface ExplainModel {
  row: CheckRow;
  finding?: Finding;
  scan: RepoScan;
  /** Fixes can be applied (trusted workspace). */
  canFix: boolean;
  /** The steward.prepareContribution command exists. */
  canPrepare: boolean;
  restrictedReason?: string;
}

export interface Page {
  nonce: string;
  cspSource: string;
  styleUri: string;
  scriptUri: string;
}

export function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/** meta.docs use `code` and **bold** only; render those after escaping everything. */
export function inlineMarkdown(s: string): string {
  return escapeHtml(s)
    .replace(/`([^`]+)`/g, '<code>$1</code>')
    .replace(/\*\*([^*]+)\*\*/g, '<strong>$1</strong>');
}

const STATUS_TEXT: Record<CheckStatus, string> = {
  pass: 'Pass',
  fail: 'Fail',
  unknown: 'Unknown — ask a maintainer',
  'not-applicable': 'Not applicable',
  error: 'Check failed to run',
};

/** Unified diff of a fix, per file, against the text the scan saw. */
export function fixDiff(fix: Fix, scan: RepoScan): string {
  const byFile = new Map<string, Fix['edits']>();
  for (const e of fix.edits) byFile.set(e.file, [...(byFile.get(e.file) ?? []), e]);
  const parts: string[] = [];
  for (const [file, edits] of byFile) {
    const created = edits.some((e) => e.create);
    const before = created ? '' : (scan.files.get(file)?.text ?? '');
    const after = applyEdits(before, edits);
    parts.push(createTwoFilesPatch(created ? '/dev/null' : `a/${file}`, `b/${file}`, before, after, undefined, undefined, { context: 3 }));
  }
  return parts.join('\n');
}

function diffHtml(diff: string): string {
  const lines = diff.split('\n').filter((l) => !/^={5,}$/.test(l) && !l.startsWith('Index: ') && l !== '\\ No newline at end of file');
  return `<pre class="diff">${lines
    .map((l) => {
      const cls = l.startsWith('+++') || l.startsWith('---') ? 'file' : l.startsWith('@@') ? 'hunk' : l.startsWith('+') ? 'add' : l.startsWith('-') ? 'del' : 'ctx';
      return `<span class="${cls}">${escapeHtml(l) || ' '}</span>`;
    })
    .join('')}</pre>`;
}

function contextHtml(f: Finding, scan: RepoScan): string {
  const loc = f.location;
  const file = loc && scan.files.get(loc.file);
  if (!loc || !file) return '';
  const from = Math.max(1, loc.start.line - 3);
  const to = Math.min(file.lines.lineCount, loc.end.line + 3);
  const rows: string[] = [];
  for (let n = from; n <= to; n++) {
    const hit = n >= loc.start.line && n <= loc.end.line;
    rows.push(`<span class="line${hit ? ' hit' : ''}"><span class="ln">${n}</span>${escapeHtml(file.lines.lineText(n)) || ' '}</span>`);
  }
  return `<pre class="context">${rows.join('')}</pre>`;
}

function findingHtml(m: ExplainModel, f: Finding, index: number, primary: boolean): string {
  const loc = f.location;
  const where = loc ? `${loc.file}:${loc.start.line}:${loc.start.column}` : 'the repository as a whole';
  const out: string[] = [];
  out.push(`<section class="finding${primary ? ' primary' : ''}">`);
  // Messages quote repository text in backticks; inlineMarkdown escapes first, then styles the quotes.
  out.push(`<h2>${primary ? 'This finding' : inlineMarkdown(f.message)}</h2>`);
  if (primary) out.push(`<p class="message">${inlineMarkdown(f.message)}</p>`);
  out.push(`<p class="meta"><span class="sev sev-${escapeHtml(f.severity)}">${escapeHtml(f.severity)}</span> severity · ${escapeHtml(f.confidence)} confidence · `);
  out.push(loc ? `<a href="#" data-action="open" data-finding="${index}">${escapeHtml(where)}</a></p>` : `${escapeHtml(where)}</p>`);
  if (f.details?.length) out.push(`<ul class="details">${f.details.map((d) => `<li>${escapeHtml(d)}</li>`).join('')}</ul>`);
  if (primary) out.push(contextHtml(f, m.scan));
  f.fixes.forEach((fix, i) => {
    out.push(`<div class="fix"><h3>Proposed change: ${escapeHtml(fix.title)} <span class="tag ${fix.safe ? 'safe' : 'review'}">${fix.safe ? 'safe' : 'review before applying'}</span></h3>`);
    if (fix.caveat) out.push(`<p class="caveat">${escapeHtml(fix.caveat)}</p>`);
    if (fix.deferred || !fix.edits.length) out.push('<p class="note">The exact change needs online features (for example resolving a tag to its commit SHA), so it is not shown here.</p>');
    else if (primary) {
      out.push(diffHtml(fixDiff(fix, m.scan)));
      if (m.canFix) out.push(`<button data-action="apply" data-finding="${index}" data-fix="${i}">Apply fix</button>`);
    } else if (m.canFix) out.push(`<button class="secondary" data-action="apply" data-finding="${index}" data-fix="${i}">Apply fix</button>`);
    out.push('</div>');
  });
  if (!primary) out.push(`<button class="secondary" data-action="explain" data-finding="${index}">Show details</button>`);
  out.push('</section>');
  return out.join('');
}

export function explainHtml(m: ExplainModel, page: Page): string {
  const { meta, result } = m.row;
  const d = meta.docs;
  const refs = referenceList(meta);
  const body: string[] = [];
  body.push(`<header><h1>${escapeHtml(meta.title)}</h1>`);
  body.push(`<p class="status status-${result.status}"><span class="pill">${STATUS_TEXT[result.status]}</span> ${inlineMarkdown(result.reason)}</p>`);
  body.push(`<p class="meta">${escapeHtml(CATEGORY_TITLES[meta.category])} · <code>${escapeHtml(meta.id)}</code> · default severity ${escapeHtml(meta.severity)}${meta.essential ? ' · one of the Essentials' : ''}</p></header>`);
  if (m.restrictedReason) body.push(`<p class="banner">${escapeHtml(m.restrictedReason)}</p>`);
  const actions: string[] = [];
  if (m.canPrepare && result.status === 'fail') actions.push('<button data-action="prepare">Prepare contribution</button>');
  if (actions.length) body.push(`<div class="actions">${actions.join('')}</div>`);

  // From one finding's details back to the check's list of findings.
  if (m.finding && m.row.findings.length > 1) body.push(`<p class="back"><a href="#" data-action="list">← All ${m.row.findings.length} findings of this check</a></p>`);
  if (m.finding) body.push(findingHtml(m, m.finding, m.row.findings.indexOf(m.finding), true));

  body.push('<section class="docs">');
  body.push(`<p class="summary">${inlineMarkdown(d.summary)}</p>`);
  body.push(`<h2>Why it matters</h2><p>${inlineMarkdown(d.whyItMatters)}</p>`);
  body.push(`<h2>How to fix</h2><p>${inlineMarkdown(d.howToFix)}</p>`);
  body.push(`<h2>Effort and safety</h2><p><strong>Effort:</strong> ${escapeHtml(d.effort)}.</p><p>${inlineMarkdown(d.fixSafety)}</p>`);
  if (refs.length) body.push(`<h2>References</h2><ul class="refs">${refs.map((r) => `<li>${escapeHtml(r)}</li>`).join('')}</ul>`);
  body.push(`<p class="meta"><a href="${escapeHtml(rulesDocUrl(meta.id))}">Rule documentation</a></p>`);
  body.push('</section>');

  if (!m.finding && m.row.findings.length) {
    body.push(`<h2 class="list-title">Findings (${m.row.findings.length})</h2>`);
    m.row.findings.forEach((f, i) => body.push(findingHtml(m, f, i, false)));
  }

  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src ${page.cspSource} https:; style-src ${page.cspSource}; script-src 'nonce-${page.nonce}';">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${escapeHtml(page.styleUri)}">
<title>${escapeHtml(meta.title)}</title>
</head>
<body>
${body.join('\n')}
<script nonce="${page.nonce}" src="${escapeHtml(page.scriptUri)}"></script>
</body>
</html>`;
}
