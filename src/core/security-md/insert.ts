import type { TextEdit } from '../model';
import { detectEol } from '../yaml/text';
import type { SecurityMdAnswers } from './answers';
import { findSectionHeading, sectionEnd, type Heading, type RubricItemId } from './rubric';
import { renderReporting, renderResponseTimes, renderSupportedVersionsPlaceholder, reportingBody } from './render';

// Where a missing part goes in an existing Markdown SECURITY.md, as one insertion that leaves every
// existing byte in place: into the reporting section when one exists, after the most related section
// otherwise, else at the end of the file. The answers here are proposed from the repository's facts,
// not given by a maintainer: only the private channel is written out; what only the maintainers can
// commit to (their process, which versions get fixes) is a marked blank or nothing.

function withEol(s: string, eol: string): string {
  return eol === '\n' ? s : s.replace(/\n/g, eol);
}

/** Text to insert at `offset` so the block is separated by exactly one blank line on both sides. */
function blockAt(text: string, offset: number, block: string, eol: string): string {
  const before = text.slice(0, offset);
  const after = text.slice(offset);
  let lead = '';
  if (before.length && !before.endsWith('\n')) lead = eol + eol;
  else if (before.length && !/\n\s*\n$/.test(before)) lead = eol;
  const body = withEol(block.replace(/\n+$/, '\n'), eol);
  const trail = after.length && !/^\s*\n/.test(after) ? eol : '';
  return lead + body + trail;
}

function childLevel(headings: readonly Heading[]): number {
  const top = headings[0];
  if (!top) return 2;
  const second = headings.find((h) => h.level > top.level);
  return second ? second.level : Math.min(6, top.level + 1);
}

/** What an insertion is written from: the channels (and answered response times, when there are any). */
export type InsertionAnswers = Pick<SecurityMdAnswers, 'channels'> & Partial<Pick<SecurityMdAnswers, 'responseTimes' | 'supportStatus'>>;

/** One insertion for a missing rubric item, or undefined when the part cannot be written from answers. */
export function insertionFor(item: RubricItemId, file: string, text: string, headings: readonly Heading[], a: InsertionAnswers): TextEdit | undefined {
  const eol = detectEol(text);
  const level = childLevel(headings);
  const reporting = findSectionHeading(headings, 'reporting');
  const process = findSectionHeading(headings, 'process');
  const atEnd = (block: string): TextEdit => ({ file, start: text.length, end: text.length, newText: blockAt(text, text.length, block, eol) });
  const afterSection = (h: Heading | undefined, block: string): TextEdit => {
    if (!h) return atEnd(block);
    const end = sectionEnd(headings, h, text.length);
    return { file, start: end, end, newText: blockAt(text, end, block, eol) };
  };
  switch (item) {
    case 'channel': {
      if (!a.channels.length) return undefined;
      if (reporting) {
        // Put the channels right under the existing reporting heading: that is where readers look.
        const at = reporting.after;
        return { file, start: at, end: at, newText: blockAt(text, at, reportingBody(a) + '\n', eol) };
      }
      return atEnd(renderReporting(a, { level }));
    }
    case 'process':
      // What happens after a report is the maintainers' promise to make.
      return undefined;
    case 'response-time':
      // No answered times: inserting "none set" would not be a response time. The maintainers choose.
      if (!a.responseTimes) return undefined;
      return afterSection(process ?? reporting, renderResponseTimes(a, { level: (process ?? reporting)?.level ?? level }));
    case 'supported-versions':
      return atEnd(renderSupportedVersionsPlaceholder({ level }));
    case 'not-template':
      return undefined;
  }
}

const PLACEHOLDER_LINE = /use this section to tell people|tell them where to go|reported vulnerability, what to expect|^\s*declined, etc\.?\s*$|currently being supported with security updates/i;
const TABLE_LINE = /^\s*\|.*\|\s*$/;
const SAMPLE_ROW = /^\s*\|\s*(?:version|-+|5\.1\.x|5\.0\.x|4\.0\.x|<\s*4\.0)\s*\|\s*(?:supported|-+|:white_check_mark:|:x:)\s*\|\s*$/i;

/**
 * Replaces GitHub's placeholder paragraphs (and its sample version table) with real sections, keeping
 * the headings and anything the maintainers already wrote. Undefined when the template was edited so
 * much that the placeholders cannot be told apart from the maintainers' own text.
 */
export function replaceTemplate(file: string, text: string, headings: readonly Heading[], a: Pick<SecurityMdAnswers, 'channels'>): TextEdit[] | undefined {
  const eol = detectEol(text);
  const lines = text.split('\n');
  const starts: number[] = [];
  let o = 0;
  for (const l of lines) {
    starts.push(o);
    o += l.length + 1;
  }
  const isPlaceholder = (i: number) => PLACEHOLDER_LINE.test(lines[i]) || (TABLE_LINE.test(lines[i]) && SAMPLE_ROW.test(lines[i].replace(/\r$/, '')));
  // Contiguous runs of placeholder lines (blank lines between them join the run).
  const runs: { from: number; to: number }[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (!isPlaceholder(i)) continue;
    const last = runs[runs.length - 1];
    if (last && lines.slice(last.to + 1, i).every((l) => !l.trim())) last.to = i;
    else runs.push({ from: i, to: i });
  }
  if (!runs.length) return undefined;
  const edits: TextEdit[] = [];
  const supported = findSectionHeading(headings, 'supported');
  let reportingDone = false;
  let supportedDone = false;
  for (const r of runs) {
    const owner = [...headings].reverse().find((h) => h.line - 1 < r.from);
    const isSupported = !!owner && owner === supported;
    const start = starts[r.from];
    const end = r.to + 1 < lines.length ? starts[r.to + 1] : text.length;
    let body: string;
    if (isSupported) {
      body = supportedDone ? '' : renderSupportedVersionsPlaceholder().replace(/^#+ [^\n]*\n\n/, '');
      supportedDone = true;
    } else {
      body = reportingDone ? '' : reportingBody(a);
      reportingDone = true;
    }
    const trailingNewline = end < text.length || text.endsWith('\n');
    const newText = body ? withEol(body.replace(/\n+$/, '') + (trailingNewline ? '\n' : ''), eol) : '';
    edits.push({ file, start, end, newText });
  }
  return edits;
}
