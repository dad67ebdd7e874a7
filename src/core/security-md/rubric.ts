// The SECURITY.md quality rubric: what a reporter needs to find in a security policy. Pure text
// heuristics, tuned on real policies (see the corpus table in security-policy-incomplete.test.ts): each
// item looks for the several ways people actually write it, because a false "missing" on a good policy
// costs more trust than a missed weak one.

import { markdownLinks } from './links';
import { replaceHtmlComments } from './comments';

export type RubricItemId = 'channel' | 'process' | 'response-time' | 'supported-versions' | 'not-template';

export const RUBRIC_ITEMS: readonly { id: RubricItemId; label: string; missing: string }[] = [
  { id: 'channel', label: 'Private reporting channel', missing: 'has no private way to report (e-mail, GitHub private vulnerability reporting link, or a reporting page)' },
  { id: 'process', label: 'What happens after a report', missing: 'does not say what happens after a report (confirmation, fix, advisory)' },
  { id: 'response-time', label: 'Response time expectations', missing: 'gives no time frame for a first response (e.g. "within 7 days")' },
  { id: 'supported-versions', label: 'Supported versions', missing: 'does not say which versions receive security fixes' },
  { id: 'not-template', label: "More than GitHub's template", missing: "still contains unedited template text (GitHub's template, or placeholders such as security@example.org)" },
];

export interface Heading {
  line: number;
  level: number;
  text: string;
  /** Offset of the heading line's start and of the line after it (or text end). */
  start: number;
  after: number;
}

export interface RubricItemResult {
  id: RubricItemId;
  label: string;
  present: boolean;
  /** What was found (for tooltips), or why it counts as missing. */
  evidence?: string;
  /** 1-based line that matters: the evidence line when present, the template line for not-template. */
  line?: number;
}

export interface PolicyEvaluation {
  format: 'markdown' | 'rst' | 'asciidoc' | 'text';
  items: RubricItemResult[];
  headings: Heading[];
  /** Lines of GitHub's placeholder text, when the template was left in. */
  templateLines: number[];
  /** Lines holding unedited snippet placeholders (security@example.org, owner/repo, `${1:…}` markers). */
  placeholderLines: number[];
  /** The page or repository the policy sends reporters to for its process, when it delegates. */
  delegatesTo?: string;
}

// What Steward's own snippets (media/snippets/markdown.json) and generic examples leave behind when
// nobody fills them in: a reporter would write to nobody.
const PLACEHOLDER_PATTERNS = [
  /\b[\w.+-]{1,64}@example\.(?:org|com|net)\b/i,
  /github\.com\/owner\/repo\b/i,
  /\$\{\d+(?::[^}]*)?\}|\$\{\d+\|[^}]*\|\}|^\s*\$0\s*$/,
  /\[to be filled in by the maintainers[^\]]*\]/i,
];

/** Lines (1-based) with unedited placeholders. */
export function placeholderLines(text: string): number[] {
  // A placeholder on a line is one in the whole text too (no pattern looks past its match), except the
  // anchored `$0` line: without any, no line is looked at.
  if (!text.includes('$0') && !PLACEHOLDER_PATTERNS.some((re) => re.test(text))) return [];
  const out: number[] = [];
  text.split('\n').forEach((l, i) => {
    if (PLACEHOLDER_PATTERNS.some((re) => re.test(l))) out.push(i + 1);
  });
  return out;
}

// "See https://example.org/security for our process", "Please refer to the [security policy](…)":
// the policy hands the reader to another page or repository (an organisation-wide policy, a website).
const DELEGATION_VERB = /\b(?:see|refer\s+to|visit|read|follow|consult|described\s+(?:in|at|on)|documented\s+(?:in|at|on)|can\s+be\s+found\s+(?:at|in|on|here)|available\s+(?:at|on|here)|go\s+to|located\s+at|outlined\s+(?:in|at)|details?\s+(?:are\s+)?(?:in|at)|head\s+over\s+to)\b/i;
const POLICY_LINK = /(securit|vulnerab|disclos|polic|\.github\b|psirt|cert\b)/i;

function delegationTarget(flat: string): string | undefined {
  const links: { url: string; label: string; at: number }[] = [];
  for (const m of markdownLinks(flat, false)) {
    const url = m.url ?? flat.slice(m.index, m.end);
    if (!/^(?:https?:)?\/\//i.test(url)) continue;
    // The repository's own private report form is a channel, not a delegation.
    if (/\/security\/advisories\/new\b/i.test(url) || /^mailto:/i.test(url)) continue;
    links.push({ url, label: m.label ?? '', at: m.index });
  }
  for (const l of links) {
    if (!POLICY_LINK.test(l.url) && !POLICY_LINK.test(l.label)) continue;
    const before = flat.slice(Math.max(0, l.at - 120), l.at);
    if (DELEGATION_VERB.test(before)) return l.url.replace(/[.,;:]+$/, '');
  }
  return undefined;
}

// GitHub's "Add a security policy" template. Its instructions are placeholders, not policy; the
// sample table lists made-up versions.
const TEMPLATE_PHRASES = [
  /use this section to tell people about which versions of your project/i,
  /use this section to tell people how to report a vulnerability/i,
  /tell them where to go, how often they can expect to get an update/i,
  /what to expect if the vulnerability is accepted or\s+declined/i,
];
const TEMPLATE_TABLE_ROW = /^\|\s*(?:5\.1\.x|5\.0\.x|4\.0\.x|<\s*4\.0)\s*\|\s*:(?:white_check_mark|x):\s*\|\s*$/;

export function formatOf(path: string): PolicyEvaluation['format'] {
  const l = path.toLowerCase();
  if (l.endsWith('.rst')) return 'rst';
  if (l.endsWith('.adoc')) return 'asciidoc';
  if (l.endsWith('.txt')) return 'text';
  return 'markdown';
}

/** Headings in Markdown (ATX and setext), reStructuredText (underlined) and AsciiDoc (`==`). */
export function findHeadings(text: string, format: PolicyEvaluation['format']): Heading[] {
  const lines = text.split('\n');
  const out: Heading[] = [];
  let offset = 0;
  let inFence = false;
  const underlineLevels: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i];
    const line = raw.replace(/\r$/, '');
    const start = offset;
    offset += raw.length + 1;
    if (/^\s*(```|~~~)/.test(line)) inFence = !inFence;
    if (inFence) continue;
    const atx = format === 'asciidoc' ? /^(={1,6})\s+(.+?)\s*=*\s*$/.exec(line) : /^(#{1,6})\s+(.+?)\s*#*\s*$/.exec(line);
    if (atx) {
      out.push({ line: i + 1, level: atx[1].length, text: atx[2], start, after: Math.min(offset, text.length) });
      continue;
    }
    const next = lines[i + 1]?.replace(/\r$/, '');
    if (next !== undefined && line.trim() && !/^\s*[-*+|>]/.test(line)) {
      const u = /^([=\-~^*#+"'`])\1{2,}\s*$/.exec(next);
      if (u && (format !== 'markdown' || u[1] === '=' || u[1] === '-')) {
        let level: number;
        if (format === 'markdown') level = u[1] === '=' ? 1 : 2;
        else {
          if (!underlineLevels.includes(u[1])) underlineLevels.push(u[1]);
          level = underlineLevels.indexOf(u[1]) + 1;
        }
        const afterUnderline = Math.min(offset + lines[i + 1].length + 1, text.length);
        out.push({ line: i + 1, level, text: line.trim(), start, after: afterUnderline });
      }
    }
  }
  return out;
}

/** Offset where the section that starts at `h` ends: the next heading of the same or a higher level. */
export function sectionEnd(headings: readonly Heading[], h: Heading, textLength: number): number {
  const next = headings.find((x) => x.start > h.start && x.level <= h.level);
  return next ? next.start : textLength;
}

const HEADING_PATTERNS: Record<'reporting' | 'process' | 'response' | 'supported', RegExp> = {
  reporting: /\b(report|reporting|disclos|vulnerabilit|contact)/i,
  process: /\b(process|what happens|what to expect|handling|how we|after (?:you|a) report|timeline|response|disclosure)/i,
  response: /\b(response|timeline|how (?:quickly|fast|long))/i,
  supported: /\b(supported|support(?:ed)? versions?|versions?|maintained|release lines?)\b/i,
};

export function findSectionHeading(headings: readonly Heading[], kind: keyof typeof HEADING_PATTERNS): Heading | undefined {
  return headings.find((h) => h.level > 1 && HEADING_PATTERNS[kind].test(h.text)) ?? (kind === 'reporting' ? headings.find((h) => HEADING_PATTERNS[kind].test(h.text) && h.level > 1) : undefined);
}

// --- item detectors -------------------------------------------------------------------------------

// A local part is at most 64 characters (RFC 5321): unbounded, the run before the `@` was scanned from
// each of its positions, and a long run of letters and dots with no address in it (a hostile
// SECURITY.md) cost time in the square of its length.
const EMAIL = /[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/;
// "security at python dot org", "name [at] example [dot] com", and the same wrapped in backticks.
const OBFUSCATED_EMAIL = /\b[\w.+-]{1,64}\s*(?:\(at\)|\[at\]|\{at\}|\sat\s)\s*[\w-]+\s*(?:\(dot\)|\[dot\]|\{dot\}|\sdot\s|\.)\s*[a-z]{2,}/i;
export const PVR: readonly GuardedPattern[] = [
  needs([['/security/advisories/new']], /\/security\/advisories\/new\b/i),
  needs([['private'], ['vulnerability', 'security'], ['report', 'disclos']], /\bprivate(?:ly)?\s+(?:vulnerability|security)\s+(?:report|disclos)/i),
  needs([['security'], ['advisor']], /\b(?:draft|private|open|create|submit|file)\s+(?:a\s+)?(?:new\s+)?(?:draft\s+)?(?:github\s+)?security\s+advisor/i),
  needs([['report a vulnerability'], ['button']], /\breport a vulnerability["”]?\s+button/i),
  needs([['security'], ['tab'], ['report']], /\bsecurity\s+tab\b[^.]{0,80}\breport/i),
];
// A link or bare URL whose address or text says it is for reports (a disclosure page, bug bounty,
// security contact); public trackers do not count as private channels.
const REF_DEF = /^\s*\[([^\]]+)\]:\s*(\S*)\s*$/gm;
const CHANNEL_WORDS = /(securit|vuln|disclos|report|bounty|hackerone|bugcrowd|huntr|intigriti|yeswehack|tidelift|contact|psirt|cert\b)/i;
const PUBLIC_TRACKER = /github\.com\/[^/\s]+\/[^/\s]+\/(?:issues|pulls|discussions)|\/security\/advisories\/?(?:$|[?#)]|GHSA)|bestpractices\.dev|gitlab\.com\/[^\s]+\/-\/issues/i;

const PLACEHOLDER_URL = /^https?:\/\/github\.com\/owner\/repo\//i;
const PLACEHOLDER_BARE = /https?:\/\/github\.com\/owner\/repo\/\S*/gi;

/** The text with the snippet's placeholder links (`[…](https://github.com/owner/repo/…)`, bare or linked) blanked out. */
function withoutPlaceholderLinks(flat: string): string {
  if (!/github\.com\/owner\/repo\//i.test(flat)) return flat;
  let out = '';
  let at = 0;
  for (const m of markdownLinks(flat, false)) {
    if (m.url === undefined || !PLACEHOLDER_URL.test(m.url)) continue;
    out += flat.slice(at, m.index) + ' ';
    at = m.end;
  }
  return (out + flat.slice(at)).replace(PLACEHOLDER_BARE, ' ');
}

function channelEvidence(text: string, flat: string): string | undefined {
  const stripped = flat.replace(/[`*_]/g, '');
  // A report link to the snippet's `owner/repo` goes nowhere: it is a placeholder, not a channel.
  const noPlaceholderLinks = withoutPlaceholderLinks(flat);
  for (const re of PVR) {
    const m = re.exec(noPlaceholderLinks);
    if (m) return `GitHub private vulnerability reporting (${m[0].trim()})`;
  }
  const isPlaceholder = (addr: string): boolean => /^security@example\.org$/i.test(addr) || /\$\{/.test(addr);
  const email = EMAIL.exec(text.replace(/\]\(mailto:[^)]*\)/g, ']'));
  if (email && !/^git@/i.test(email[0]) && !/@users\.noreply\.github\.com$/i.test(email[0]) && !isPlaceholder(email[0])) return `e-mail ${email[0]}`;
  const mailto = /mailto:([^\s)>]+)/i.exec(text);
  if (mailto && !isPlaceholder(mailto[1])) return `e-mail ${mailto[1]}`;
  const ob = OBFUSCATED_EMAIL.exec(stripped);
  if (ob) return `e-mail (written out) ${ob[0]}`;
  const refs = new Map<string, string>();
  for (const m of text.matchAll(REF_DEF)) refs.set(m[1].toLowerCase(), m[2]);
  for (const m of markdownLinks(flat, true)) {
    const label = m.label ?? m.refLabel ?? '';
    const url = m.url ?? (m.refLabel ? refs.get(m.refLabel.toLowerCase()) : undefined) ?? flat.slice(m.index, m.end);
    if (!url || PUBLIC_TRACKER.test(url) || /github\.com\/owner\/repo\//i.test(url)) continue;
    if (!/^(?:https?:)?\/\//i.test(url)) continue;
    if (CHANNEL_WORDS.test(url) || CHANNEL_WORDS.test(label)) return `reporting page ${url}`;
  }
  return undefined;
}

/** A pattern firstMatch() can try: a regular expression, or code that matches exactly like one. */
interface Matcher {
  exec(s: string): { 0: string } | null;
}

/**
 * `re`, tried only when the text holds, for every group, one of its words (lower case): words `re`
 * cannot match without. Each pattern costs a compilation the first time it runs in a process (about
 * 0.2 to 1.5 ms each here, issue 19); most policies hold only some of the words, so most are never
 * compiled. A plain lower-cased copy is a fair test: /i makes ASCII letters match either case, and
 * lower-casing never splits or joins ASCII letters.
 */
export interface GuardedPattern extends Matcher {
  readonly re: RegExp;
}
let lowerOf: { text: string; lower: string } | undefined;
function needs(groups: readonly (readonly string[])[], re: RegExp): GuardedPattern {
  return {
    re,
    exec(s: string) {
      if (lowerOf?.text !== s) lowerOf = { text: s, lower: s.toLowerCase() };
      const lower = lowerOf.lower;
      return groups.every((words) => words.some((w) => lower.includes(w))) ? re.exec(s) : null;
    },
  };
}

// "we will confirm", "we'll then review", "we aim to quickly fix": exactly
//   /\bwe(?:'ll|\s+will|\s+would|\s+aim\s+to|\s+try\s+to|\s+shall|\s+then)?\s+(?:\w+\s+){0,3}?(?:VERB)\b/i
// (VERB: one of PROCESS_VERBS, or keep you, work with you, contact you, get back), matched by hand:
// compiling that expression cost 2 to 3 ms of every scan of a repository with a security policy, more
// than the rest of the check (V8 compiles regular expressions on first use, in every process; issue 19).
const PROCESS_VERBS = new Set(['acknowledge', 'confirm', 'investigate', 'triage', 'assess', 'evaluate', 'review', 'fix', 'patch', 'coordinate', 'respond', 'reply', 'notify', 'inform', 'publish', 'release', 'disclose', 'credit', 'treat', 'handle', 'prepare']);
const PROCESS_PHRASES: readonly (readonly string[])[] = [['keep', 'you'], ['work', 'with', 'you'], ['contact', 'you'], ['get', 'back']];
const AUXILIARIES: readonly (readonly string[])[] = [['will'], ['would'], ['aim', 'to'], ['try', 'to'], ['shall'], ['then']];
const WE = /\bwe/gi;
const SPACES = /\s+/y;
const WORD = /\w+/y;

/** End of the whitespace run at `i` (`i` when there is none). */
function spacesEnd(s: string, i: number): number {
  SPACES.lastIndex = i;
  return SPACES.test(s) ? SPACES.lastIndex : i;
}

/** End of the word (`\w+`) at `i`, or -1. */
function wordEnd(s: string, i: number): number {
  WORD.lastIndex = i;
  return WORD.test(s) ? WORD.lastIndex : -1;
}

/** Whether `s` at `i` reads `lit` (lower-case ASCII) in any case: what /i does for ASCII letters. */
function hasAt(s: string, i: number, lit: string): boolean {
  return s.length - i >= lit.length && s.slice(i, i + lit.length).toLowerCase() === lit;
}

/**
 * End of `words` at `i`, each a whole `\w+` run, separated by whitespace; -1 when they are not there.
 * For an auxiliary this is what the pattern's `\s+will` does too: it may match the start of "willing",
 * but the whitespace the pattern needs next then fails, so only a whole word leads to a match.
 */
function wordsEnd(s: string, i: number, words: readonly string[]): number {
  let at = i;
  for (let k = 0; k < words.length; k++) {
    if (k > 0) {
      const sp = spacesEnd(s, at);
      if (sp === at) return -1;
      at = sp;
    }
    const end = wordEnd(s, at);
    if (end < 0 || s.slice(at, end).toLowerCase() !== words[k]) return -1;
    at = end;
  }
  return at;
}

/** End of `(?:VERB)\b` at `i`, or -1. */
function verbEnd(s: string, i: number): number {
  const end = wordEnd(s, i);
  if (end < 0) return -1;
  if (PROCESS_VERBS.has(s.slice(i, end).toLowerCase())) return end;
  for (const phrase of PROCESS_PHRASES) {
    const e = wordsEnd(s, i, phrase);
    if (e >= 0) return e;
  }
  return -1;
}

/** The rest of the pattern after `we` (and an auxiliary) ends at `i`: `\s+(?:\w+\s+){0,3}?(?:VERB)\b`. */
function afterWe(s: string, i: number): number {
  let at = spacesEnd(s, i);
  if (at === i) return -1;
  for (let words = 0; ; words++) {
    const v = verbEnd(s, at);
    if (v >= 0) return v;
    if (words === 3) return -1;
    const w = wordEnd(s, at);
    if (w < 0) return -1;
    const sp = spacesEnd(s, w);
    if (sp === w) return -1;
    at = sp;
  }
}

export const WE_WILL_ACT: Matcher = {
  exec(s: string) {
    WE.lastIndex = 0;
    for (let m = WE.exec(s); m; m = WE.exec(s)) {
      const start = m.index;
      const we = start + 2;
      // The auxiliaries in the pattern's order, then none: the first that leads to a verb wins.
      const ends: number[] = [];
      if (hasAt(s, we, "'ll")) ends.push(we + 3);
      const sp = spacesEnd(s, we);
      if (sp > we) for (const aux of AUXILIARIES) {
        const e = wordsEnd(s, sp, aux);
        if (e >= 0) ends.push(e);
      }
      ends.push(we);
      for (const e of ends) {
        const end = afterWe(s, e);
        if (end >= 0) return [s.slice(start, end)];
      }
      WE.lastIndex = start + 1;
    }
    return null;
  },
};

export const PROCESS: readonly Matcher[] = [
  WE_WILL_ACT,
  needs([['triage', 'embargo', 'cve', 'coordinated']], /\b(?:triage|embargo|CVE|coordinated\s+(?:vulnerability\s+)?disclosure)\b/i),
  needs([['coordinat']], /\bcoordinat\w*\s+(?:the\s+)?(?:fix|disclosure|release|verification|next\s+steps)/i),
  needs([['policy', 'process', 'timeline', 'response']], /\b(?:disclosure|response)\s+(?:policy|process|timeline)\b|\bsecurity\s+(?:process|response\s+team)\b/i),
  needs([['work'], ['with'], ['you']], /\bwork\s+with\s+you\b/i),
  needs([['advisor'], ['used']], /\b(?:draft|security)\s+advisor(?:y|ies)\s+(?:will|is|are)\s+(?:be\s+)?used/i),
  needs([['until'], ['disclosed']], /\buntil\s+(?:\w+\s+){0,4}disclosed\b/i),
];

const NUM_WORD = '(?:\\d+(?:\\s*(?:-|to|–)\\s*\\d+)?|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fourteen|fifteen|twenty|thirty|forty-five|sixty|ninety|few|couple\\s+of|several)';
export const TIME_FRAME: readonly GuardedPattern[] = [
  needs([['hour', 'day', 'week', 'month']], new RegExp(`\\b(?:within|in|under|after|at\\s+least|up\\s+to|no\\s+(?:more|later)\\s+than|less\\s+than|about|around|approximately|every|of|for)\\s+(?:the\\s+next\\s+)?(?:a\\s+)?${NUM_WORD}\\s+(?:business\\s+|working\\s+|calendar\\s+)?(?:hours?|days?|weeks?|months?)\\b`, 'i')),
  needs([['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'], ['h', 'day', 'week']], /\b\d+\s*-?\s*(?:h|hrs?|hours?|days?|business\s+days?|working\s+days?|weeks?)\b/i),
];

export const SUPPORTED: readonly GuardedPattern[] = [
  needs([['supported', 'maintained']], /\b(?:supported|maintained)\s+(?:versions?|releases?|branches?|release\s+lines?)\b/i),
  needs([['version'], ['supported', 'maintained']], /\bversions?\s+(?:that\s+)?(?:are|is)\s+(?:currently\s+)?(?:supported|maintained)/i),
  needs([['only', 'just'], ['latest', 'newest', 'recent', 'current', 'last']], /\b(?:only|just)\s+(?:the\s+)?(?:latest|newest|most\s+recent|current|last)\b/i),
  needs([['latest', 'newest', 'recent', 'current'], ['release', 'version', 'major', 'minor'], ['supported', 'receive', 'maintained', 'security']], /\b(?:latest|newest|most\s+recent|current)\s+(?:\S+\s+){0,2}(?:release|version|major|minor)s?\b.{0,100}\b(?:supported|receives?|maintained|security\s+(?:fix|update|patch))/i),
  needs([['fixes', 'updates', 'patches'], ['released', 'backported', 'provided', 'made', 'issued']], /\b(?:security\s+(?:fixes|updates|patches)|fixes)\s+(?:are\s+)?(?:only\s+)?(?:released|backported|provided|made|issued)\s+(?:for|to|in|against)\b/i),
  needs([['support']], /\bwe\s+(?:only\s+)?support\s+(?:the\s+)?(?:latest|current|last|most\s+recent|\d)/i),
  needs([['update', 'upgrade'], ['latest']], /\b(?:always\s+)?(?:update|upgrade)\s+to\s+the\s+latest\s+(?:version|release)/i),
];

/** Text with comments blanked (offsets/lines kept) and a flattened copy for phrase matching. */
function prepare(text: string, format: PolicyEvaluation['format']): { clean: string; flat: string } {
  let clean = text.replace(/\r\n?/g, '\n');
  if (format === 'markdown') clean = replaceHtmlComments(clean, (m) => m.replace(/[^\n]/g, ' '));
  if (format === 'asciidoc') clean = clean.replace(/^\/\/\/\/[\s\S]*?^\/\/\/\/$/gm, (m) => m.replace(/[^\n]/g, ' '));
  // GitHub's placeholder paragraphs and sample table must not count as policy: blank whole paragraphs
  // that contain a placeholder sentence, and the sample rows.
  // Most policies hold no template text: a phrase in a paragraph is also one in the whole text
  // flattened (each phrase starts and ends with a letter, and flattening a paragraph alone differs only
  // at its white-space edges), so without one anywhere no paragraph is blanked and the pass is skipped.
  const flatBefore = clean.replace(/\s+/g, ' ');
  let blanked = false;
  if (TEMPLATE_PHRASES.some((re) => re.test(flatBefore))) {
    blanked = true;
    clean = clean.replace(/(?:^|(?<=\n\n))[\s\S]*?(?=\n\s*\n|$)/g, (para) => {
      const one = para.replace(/\s+/g, ' ');
      return TEMPLATE_PHRASES.some((re) => re.test(one)) ? para.replace(/[^\n]/g, ' ') : para;
    });
  }
  // A template table row starts with `|`: without one the lines stay as they are.
  if (clean.includes('|')) {
    const rows = clean
      .split('\n')
      .map((l) => (TEMPLATE_TABLE_ROW.test(l) ? l.replace(/[^\n]/g, ' ') : l))
      .join('\n');
    if (rows !== clean) {
      clean = rows;
      blanked = true;
    }
  }
  const flat = blanked ? clean.replace(/\s+/g, ' ') : flatBefore;
  return { clean, flat };
}

function lineOf(text: string, needle: string | undefined): number | undefined {
  if (!needle) return undefined;
  const i = text.indexOf(needle);
  if (i < 0) return undefined;
  return text.slice(0, i).split('\n').length;
}

function firstMatch(res: readonly (RegExp | Matcher)[], s: string): string | undefined {
  for (const re of res) {
    const m = re.exec(s);
    if (m) return m[0];
  }
  return undefined;
}

/** Lines holding GitHub's template placeholders (1-based). */
export function templateLines(text: string): number[] {
  const flatAll = text.replace(/\s+/g, ' ');
  if (!TEMPLATE_PHRASES.some((re) => re.test(flatAll))) return [];
  const lines = text.split('\n');
  const out: number[] = [];
  lines.forEach((l, i) => {
    if (/use this section to tell people|tell them where to go|what to expect if the vulnerability/i.test(l) || TEMPLATE_TABLE_ROW.test(l.replace(/\r$/, ''))) out.push(i + 1);
  });
  return out;
}

export function evaluatePolicy(path: string, text: string): PolicyEvaluation {
  const format = formatOf(path);
  const { clean, flat } = prepare(text, format);
  const headings = findHeadings(text, format);
  const headingTexts = headings.map((h) => h.text);
  const tLines = templateLines(text.replace(/\r\n?/g, '\n'));
  const pLines = placeholderLines(clean);

  const channel = channelEvidence(clean, flat);
  const process = firstMatch(PROCESS, flat) ?? headingTexts.find((t) => /\b(?:process|what happens|what to expect|how we handle)\b/i.test(t));
  const response = firstMatch(TIME_FRAME, flat);
  // A "Supported versions" heading counts when its section says something once placeholders are
  // blanked; a version table counts when it has a real row (GitHub's sample rows are blanked).
  const cleanLines = clean.split('\n');
  const sectionHasContent = (h: Heading) => {
    const next = headings.find((x) => x.start > h.start && x.level <= h.level);
    return cleanLines.slice(h.line, next ? next.line - 1 : cleanLines.length).some((l) => /[A-Za-z0-9]/.test(l) && !/^\s*[=\-~^]+\s*$/.test(l) && !/^\s*\|?\s*versions?\s*\|\s*supported\s*\|?\s*$/i.test(l));
  };
  const supportedHeading = headings.find((h) => /\b(?:supported|support)\b.*\bversions?\b|\bversions?\b.*\bsupport|^supported\b|^versions?$/i.test(h.text) && sectionHasContent(h));
  const tableHeader = cleanLines.findIndex((l) => /^\s*\|?\s*versions?\s*\|/i.test(l));
  const hasVersionTable = tableHeader >= 0 && /^\s*\|?[^|]*[A-Za-z0-9<>=][^|]*\|/.test(cleanLines[tableHeader + 2] ?? '');
  const headingLines = new Set(headings.map((h) => h.line - 1));
  const bodyFlat = cleanLines.filter((_, i) => !headingLines.has(i)).join('\n').replace(/\s+/g, ' ');
  const supported = supportedHeading ? `section "${supportedHeading.text}"` : hasVersionTable ? 'a version table' : firstMatch(SUPPORTED, bodyFlat);
  const supportedCounts = supported !== undefined;

  const items: RubricItemResult[] = [
    { id: 'channel', label: 'Private reporting channel', present: !!channel, evidence: channel, line: lineOf(clean, channel?.split(' ').pop()) },
    { id: 'process', label: 'What happens after a report', present: !!process, evidence: process },
    { id: 'response-time', label: 'Response time expectations', present: !!response, evidence: response },
    { id: 'supported-versions', label: 'Supported versions', present: supportedCounts, evidence: supported, line: supportedHeading?.line },
    {
      id: 'not-template',
      label: "More than GitHub's template",
      present: tLines.length === 0 && pLines.length === 0,
      evidence: tLines.length ? `template text on line ${tLines[0]}` : pLines.length ? `unedited placeholder on line ${pLines[0]}` : undefined,
      line: tLines[0] ?? pLines[0],
    },
  ];
  return { format, items, headings, templateLines: tLines, placeholderLines: pLines, delegatesTo: delegationTarget(flat) };
}
