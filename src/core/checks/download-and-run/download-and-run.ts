import type { CheckMeta, Finding } from '../../model';
import type { Check } from '../types';
import { finding } from '../helpers';
import { locateInScalar, runSites, scriptLines } from './script';

export const meta: CheckMeta = {
  id: 'download-and-run',
  title: 'Downloaded scripts checked before they run',
  category: 'workflows',
  severity: 'medium',
  confidence: 'high',
  fixable: false,
  docs: {
    summary:
      'A `run:` step downloads a script from the internet and runs it straight away (`curl … | sh`, `bash <(curl …)`, `sh -c "$(curl …)"`, `iwr … | iex`), so nothing checks what was downloaded.',
    whyItMatters:
      'Whatever the server sends is executed inside your workflow, with its token and secrets. If the site, the CDN or the project behind the script is ever compromised — or the URL simply starts serving something else — your next run executes it. Nothing in your repository records which version ran, so you cannot review or reproduce it.',
    howToFix:
      'Prefer a pinned action or the package manager (`apt-get install`, `pip install tool==1.2.3`). If you must use the install script, download a specific release to a file, compare it against a checksum you keep in the workflow (`echo "<sha256>  install.sh" | sha256sum -c`), and only then run it.',
    effort: 'minutes',
    fixSafety:
      'No automatic fix: choosing the version and checksum to trust needs a person. Pinning a checksum can break the step when the publisher updates the script — that is the point, but expect to update it.',
  },
  references: {
    scorecard: 'Pinned-Dependencies',
    other: [{ title: 'OpenSSF Scorecard: Pinned-Dependencies (download then run)', url: 'https://github.com/ossf/scorecard/blob/main/docs/checks.md#pinned-dependencies' }],
  },
};

const SHELLS = /^(?:ba|z|da|k|fi|c|tc)?sh$/;
const INTERPRETERS = /^(?:(?:ba|z|da|k|fi|c|tc)?sh|python[\d.]*|perl|ruby|node|pwsh|powershell)$/;
/** Flags after which the interpreter runs something other than standard input. */
const NOT_STDIN_FLAGS = /^-(?:c|m|e|p|E|-version|-help|V|h)$/;

interface Hit {
  start: number;
  end: number;
  how: string;
}

// `curl … | [sudo [-flags]] [env X=Y] sh [-s] [-] [-- args]`: see pipes().
// `bash <(curl …)`, `source <(wget …)`, `. <(curl …)`
const PROCESS_SUBST = /(?:^|[\s;&|(])((?:(?:ba|z|k)?sh|source|\.)\s+<\(\s*(?:curl|wget)\b[^)\n]*\))/g;
const PROCESS_SUBST_HEAD = /(?:^|[\s;&|(])(?:(?:ba|z|k)?sh|source|\.)\s+<\(\s*(?:curl|wget)\b/g;
// `sh -c "$(curl …)"`, `eval "$(wget …)"`, `python3 -c "$(curl …)"`
const COMMAND_SUBST = /(?:^|[\s;&|(])((?:(?:(?:ba|z|k)?sh|python[\d.]*|perl|ruby|node)\s+-[ce]|eval)\s+["']?\$\(\s*(?:curl|wget)\b[^)\n]*\)["']?)/g;
const COMMAND_SUBST_HEAD = /(?:^|[\s;&|(])(?:(?:(?:ba|z|k)?sh|python[\d.]*|perl|ruby|node)\s+-[ce]|eval)\s+["']?\$\(\s*(?:curl|wget)\b/g;
// PowerShell: `iwr … | iex`, `irm … | Invoke-Expression`, `iex (iwr …)`, `iex ((New-Object Net.WebClient).DownloadString(…))`
const PWSH_PIPE = /\b(?:iwr|irm|Invoke-WebRequest|Invoke-RestMethod|curl|wget)\b[^|\n]*\|\s*(?:iex|Invoke-Expression)\b/gi;
const PWSH_CALL = /\b(?:iex|Invoke-Expression)\s*[(&]*\s*\(*\s*(?:iwr|irm|Invoke-WebRequest|Invoke-RestMethod|\(?\s*New-Object\s+(?:System\.)?Net\.WebClient)\b[^\n]*/gi;
const PWSH_DOWNLOADSTRING = /\.DownloadString\([^)\n]*\)\s*\)?\s*\|\s*(?:iex|Invoke-Expression)\b/gi;
const PWSH_PIPE_HEAD = /\b(?:iwr|irm|Invoke-WebRequest|Invoke-RestMethod|curl|wget)\b/gi;
const PWSH_DOWNLOADSTRING_HEAD = /\.DownloadString\(/gi;

/**
 * Tokens of the command after the pipe at `from` in `line`: decides whether the interpreter reads the
 * piped script. Tokens are read as they are needed (a few, mostly): reading the whole rest of the line
 * at every pipe cost time in the square of a long line's length.
 */
function pipedInterpreter(line: string, from: number): { length: number; name: string } | undefined {
  const re = /[^\s;&|)]+/g;
  re.lastIndex = from;
  const tokens: RegExpExecArray[] = [];
  const tok = (k: number): RegExpExecArray | undefined => {
    while (tokens.length <= k) {
      const m = re.exec(line);
      if (!m) return undefined;
      tokens.push(m);
    }
    return tokens[k];
  };
  let i = 0;
  let end = from;
  if (tok(i)?.[0] === 'sudo') {
    end = tokens[i].index + tokens[i][0].length;
    i++;
    while (tok(i)?.[0].startsWith('-')) i++;
  }
  if (tok(i)?.[0] === 'env') {
    i++;
    for (let t = tok(i); t && (t[0].includes('=') || t[0].startsWith('-')); t = tok(i)) i++;
  }
  // Anything between tokens other than spaces (a `;`, `&&`, `|`) ends the command.
  const first = tok(i);
  if (!first || /[;&|)]/.test(line.slice(end, first.index))) return undefined;
  const name = first[0].replace(/^.*\//, '');
  if (!INTERPRETERS.test(name)) return undefined;
  end = first.index + first[0].length;
  for (let j = i + 1, t = tok(j); t; t = tok(++j)) {
    const between = line.slice(end, t.index);
    if (/[;&|)]/.test(between)) break;
    const w = t[0];
    if (w === '-' || w === '--' || w === '/dev/stdin') break;
    if (NOT_STDIN_FLAGS.test(w)) return undefined;
    if (w.startsWith('-')) {
      end = t.index + w.length;
      continue;
    }
    // A file argument: for shells only after `-s` do the arguments belong to the piped script.
    if (SHELLS.test(name) && tokens.slice(i + 1, j).some((x) => x[0] === '-s')) break;
    return undefined;
  }
  return { length: end - from, name };
}

/**
 * PIPE's matches, found in time linear in the line: tried from every `curl`, the pattern scanned the
 * rest of its command each time, the square of a long line's length when no pipe follows. A download
 * command's words up to a `;`, `&&`, `||` or newline stop where any later one in them stops too, so
 * after a failure the search goes on from that stop.
 */
function* pipes(line: string): Generator<{ index: number; end: number }> {
  const word = /\b(?:curl|wget)\b/g;
  const run = /(?:[^|;&\n]|&(?=[^&\s]))*/y;
  let from = 0;
  for (;;) {
    word.lastIndex = from;
    const w = word.exec(line);
    if (!w) return;
    run.lastIndex = w.index + w[0].length;
    run.exec(line);
    let stop = run.lastIndex;
    if (line[stop] === '|' && line[stop + 1] !== '|') {
      stop++;
      while (line[stop] === ' ' || line[stop] === '\t') stop++;
      yield { index: w.index, end: stop };
      from = stop;
    } else from = Math.max(stop, w.index + w[0].length);
  }
}

const STICKY = new WeakMap<RegExp, RegExp>();

/**
 * Matches of `re` (global: a head, then `[^<close>\n]*`, `close` and what must follow it), linear in
 * the line: every head before the same `close` (or newline) reaches that same place, so when a head
 * fails there, so do the others, and they are skipped without scanning to it again.
 */
function* closedMatches(line: string, re: RegExp, head: RegExp, close: string): Generator<RegExpExecArray> {
  // Tried at each head only (sticky): a global expression that fails at a head searches the rest of the line.
  let sticky = STICKY.get(re);
  if (!sticky) STICKY.set(re, (sticky = new RegExp(re.source, re.flags.replace('g', '') + 'y')));
  // The next `close` and the next newline at or after the last head looked at (the line's length
  // when there is none), each looked up again only once a head is past it.
  let nextClose = -1;
  let nextNl = -1;
  head.lastIndex = 0;
  for (let h = head.exec(line); h; h = head.exec(line)) {
    const after = h.index + h[0].length;
    if (nextClose < after) nextClose = (line.indexOf(close, after) + 1 || line.length + 1) - 1;
    if (nextNl < after) nextNl = (line.indexOf('\n', after) + 1 || line.length + 1) - 1;
    const stop = Math.min(nextClose, nextNl);
    if (line[stop] !== close) {
      head.lastIndex = Math.max(stop, after);
      continue;
    }
    sticky.lastIndex = h.index;
    const m = sticky.exec(line);
    if (m) {
      yield m;
      head.lastIndex = Math.max(sticky.lastIndex, after);
    } else head.lastIndex = Math.max(stop, after);
  }
}

/**
 * Every pattern above needs one of these words (a download command or PowerShell's download calls).
 * Testing for them first skips the patterns on almost every line: PIPE alone is tried at each `curl`-less
 * position otherwise.
 */
const CURL_WGET = /curl|wget/;
const INVOKES = /iex|invoke-expression/i;
const HINT = /curl|wget|iwr|irm|invoke-|new-object|downloadstring/i;

export function findDownloadAndRun(line: string): Hit[] {
  const hits: Hit[] = [];
  if (!HINT.test(line)) return hits;
  // The curl/wget patterns need one of those words, the PowerShell ones iex or Invoke-Expression.
  const fetches = CURL_WGET.test(line);
  if (fetches) for (const m of pipes(line)) {
    const interp = pipedInterpreter(line, m.end);
    if (interp) hits.push({ start: m.index, end: m.end + interp.length, how: `piped into ${interp.name}` });
  }
  if (fetches) for (const m of closedMatches(line, PROCESS_SUBST, PROCESS_SUBST_HEAD, ')')) {
    const start = m.index! + m[0].length - m[1].length;
    hits.push({ start, end: start + m[1].length, how: 'run through process substitution' });
  }
  if (fetches) for (const m of closedMatches(line, COMMAND_SUBST, COMMAND_SUBST_HEAD, ')')) {
    const start = m.index! + m[0].length - m[1].length;
    hits.push({ start, end: start + m[1].length, how: 'run from a command substitution' });
  }
  if (INVOKES.test(line)) {
    const found = [...closedMatches(line, PWSH_PIPE, PWSH_PIPE_HEAD, '|'), ...line.matchAll(PWSH_CALL), ...closedMatches(line, PWSH_DOWNLOADSTRING, PWSH_DOWNLOADSTRING_HEAD, ')')];
    for (const m of found) hits.push({ start: m.index!, end: m.index! + m[0].trimEnd().length, how: 'run with Invoke-Expression' });
  }
  // Overlapping patterns (e.g. a PowerShell call that also matches the pipe form) report once.
  hits.sort((a, b) => a.start - b.start);
  return hits.filter((h, i) => i === 0 || h.start >= hits[i - 1].end);
}

function urlIn(text: string): string | undefined {
  const m = /https?:\/\/[^\s"'`)|;]+/.exec(text);
  return m?.[0];
}

export const check: Check = {
  meta,
  fileKinds: ['workflow', 'action'],
  notApplicableReason: 'No workflows or actions',
  checkFile(file) {
    const out: Finding[] = [];
    for (const site of runSites(file)) {
      if (!HINT.test(site.script)) continue;
      for (const line of scriptLines(site.script)) {
        for (const hit of findDownloadAndRun(line.text)) {
          const cmd = line.text.slice(hit.start, hit.end).replace(/\s+/g, ' ');
          const url = urlIn(cmd);
          const firstLineEnd = line.text.indexOf('\n', hit.start);
          const len = (firstLineEnd < 0 ? hit.end : Math.min(hit.end, firstLineEnd)) - hit.start;
          out.push(
            finding(meta, {
              message: `Downloads ${url ? url : 'a script'} and runs it unchecked (${hit.how}): a change on that server runs in this workflow`,
              location: locateInScalar(file.yaml!, site.node, line.offset + hit.start, len),
            }),
          );
        }
      }
    }
    return out;
  },
};
