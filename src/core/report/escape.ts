// Repository-controlled text — workflow, job and step names, file paths, branch names, commit
// messages, and finding messages that quote them — is shown as text in every surface, never
// interpreted: not as HTML in the webview, not as markdown in tooltips, hovers and pull request
// bodies, not as control sequences in a terminal. Every front-end escapes through these helpers.

const HTML_ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text for HTML element content and quoted attribute values. */
export function escapeHtml(text: string): string {
  return String(text).replace(/[&<>"']/g, (c) => HTML_ENTITIES[c]);
}

// CommonMark lets any ASCII punctuation be backslash-escaped, and an escaped character is always
// literal text. These are the ones that can open markup anywhere in a line: emphasis, code, links and
// images, raw HTML, entities, tables, strikethrough, GitHub math, footnotes, and `@` mentions and `#`
// references, which ping people or link issues from a pull request body.
const MD_INLINE = /[\\`*_{}[\]()<>#!|~&$^@]/g;

/**
 * Text for inline markdown (a tooltip line, a list item, a table cell, a heading): shows exactly the
 * characters given. Line breaks become spaces so the text cannot start a block (heading, list, fence)
 * or end a table row; markers that only count at the start of a line are escaped there.
 */
export function escapeMarkdown(text: string): string {
  return String(text)
    .replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, '')
    .replace(/\r\n?|\n|\t/g, ' ')
    .replace(BIDI, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
    .replace(MD_INLINE, '\\$&')
    .replace(/^(\s*)([-+=])/, '$1\\$2')
    .replace(/^(\s*\d+)([.)])/, '$1\\$2');
}

/**
 * Inline code for repository text (file paths, `uses:` values): a code span shows everything
 * literally, so it only needs a backtick fence longer than any backtick run inside. Control and bidi
 * characters are shown as visible escapes (a code span would pass them through raw: a newline would
 * end the span's line, a U+202E would reverse how the rest of the name reads).
 */
export function markdownCode(text: string): string {
  const s = visibleControls(String(text), true);
  const longest = Math.max(0, ...(s.match(/`+/g) ?? []).map((r) => r.length));
  const fence = '`'.repeat(longest + 1);
  const pad = s.startsWith('`') || s.endsWith('`') || (s.startsWith(' ') && s.endsWith(' ') && s.trim()) ? ' ' : '';
  return `${fence}${pad}${s}${pad}${fence}`;
}

/** The name the PR text and other Markdown use for a file path in a code span (same as markdownCode). */
export const markdownPath = markdownCode;

/** A link only when the URL is http(s); anything else (javascript:, data:, relative) stays text. */
export function markdownLink(text: string, url: string): string {
  let ok = false;
  try {
    const u = new URL(url);
    ok = u.protocol === 'https:' || u.protocol === 'http:';
  } catch {
    ok = false;
  }
  if (!ok) return escapeMarkdown(text);
  // Parentheses, spaces and angle brackets would end or break the destination; encode them.
  const dest = url.replace(/[()<> \\]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0'));
  return `[${escapeMarkdown(text)}](${dest})`;
}

// Bidirectional controls (Trojan Source, CVE-2021-42574) and the line/paragraph separators: they
// reorder or break what a reader sees without being visible themselves.
const BIDI = /[\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
const CONTROLS_KEEP_NL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;
const CONTROLS_ALL = /[\u0000-\u001f\u007f-\u009f]/g;

function visibleControls(text: string, lineBreaksToo: boolean): string {
  return text
    .replace(lineBreaksToo ? CONTROLS_ALL : CONTROLS_KEEP_NL, (c) => (c === '\n' ? '\\n' : c === '\t' && lineBreaksToo ? '\\t' : c === '\r' && lineBreaksToo ? '\\r' : `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`))
    .replace(BIDI, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * Text for a terminal: control characters (ESC sequences that recolour, move the cursor, set the
 * window title or write hyperlinks; a bare CR that overwrites the line) and bidi controls are shown as
 * visible escapes. Newline and tab pass (multi-line text stays multi-line).
 */
export function escapeTerminal(text: string): string {
  return visibleControls(String(text), false);
}

/** One-line text for a terminal (a file name in a summary line): newline and tab are escaped too. */
export function escapeTerminalLine(text: string): string {
  return visibleControls(String(text), true);
}
