import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { findDownloadAndRun } from '../../src/core/checks/download-and-run/download-and-run';
import { assertLinear } from '../support/linear';

// findDownloadAndRun reads a pipe, a process substitution and a command substitution in time linear
// in the line. Before, each `curl` of a line without a pipe scanned the rest of the line again, and
// every pipe tokenised the whole rest of the line: a 40 KB run line of `curl x | ` took 3 s, and
// twice as long a line four times that. The reference below is that former matcher (one regular
// expression per form, the piped command tokenised in full): on lines built from the words these
// forms are made of, both must find the same commands.

const SHELLS = /^(?:ba|z|da|k|fi|c|tc)?sh$/;
const INTERPRETERS = /^(?:(?:ba|z|da|k|fi|c|tc)?sh|python[\d.]*|perl|ruby|node|pwsh|powershell)$/;
const NOT_STDIN_FLAGS = /^-(?:c|m|e|p|E|-version|-help|V|h)$/;
const PIPE = /\b(curl|wget)\b(?:[^|;&\n]|&(?=[^&\s]))*(?<!\|)\|(?!\|)[ \t]*/g;
const PROCESS_SUBST = /(?:^|[\s;&|(])((?:(?:ba|z|k)?sh|source|\.)\s+<\(\s*(?:curl|wget)\b[^)\n]*\))/g;
const COMMAND_SUBST = /(?:^|[\s;&|(])((?:(?:(?:ba|z|k)?sh|python[\d.]*|perl|ruby|node)\s+-[ce]|eval)\s+["']?\$\(\s*(?:curl|wget)\b[^)\n]*\)["']?)/g;
const PWSH = [
  /\b(?:iwr|irm|Invoke-WebRequest|Invoke-RestMethod|curl|wget)\b[^|\n]*\|\s*(?:iex|Invoke-Expression)\b/gi,
  /\b(?:iex|Invoke-Expression)\s*[(&]*\s*\(*\s*(?:iwr|irm|Invoke-WebRequest|Invoke-RestMethod|\(?\s*New-Object\s+(?:System\.)?Net\.WebClient)\b[^\n]*/gi,
  /\.DownloadString\([^)\n]*\)\s*\)?\s*\|\s*(?:iex|Invoke-Expression)\b/gi,
];

function referenceInterpreter(rest: string): number | undefined {
  const tokens = [...rest.matchAll(/[^\s;&|)]+/g)];
  let i = 0;
  let end = 0;
  if (tokens[i]?.[0] === 'sudo') {
    end = tokens[i].index! + tokens[i][0].length;
    i++;
    while (tokens[i] && tokens[i][0].startsWith('-')) i++;
  }
  if (tokens[i]?.[0] === 'env') {
    i++;
    while (tokens[i] && (tokens[i][0].includes('=') || tokens[i][0].startsWith('-'))) i++;
  }
  const first = tokens[i];
  if (!first || /[;&|)]/.test(rest.slice(end, first.index))) return undefined;
  const name = first[0].replace(/^.*\//, '');
  if (!INTERPRETERS.test(name)) return undefined;
  end = first.index! + first[0].length;
  for (let j = i + 1; j < tokens.length; j++) {
    if (/[;&|)]/.test(rest.slice(end, tokens[j].index))) break;
    const t = tokens[j][0];
    if (t === '-' || t === '--' || t === '/dev/stdin') break;
    if (NOT_STDIN_FLAGS.test(t)) return undefined;
    if (t.startsWith('-')) {
      end = tokens[j].index! + t.length;
      continue;
    }
    if (SHELLS.test(name) && tokens.slice(i + 1, j).some((x) => x[0] === '-s')) break;
    return undefined;
  }
  return end;
}

/** The former matcher's commands, as the text of each. */
function reference(line: string): string[] {
  const hits: [number, number][] = [];
  for (const m of line.matchAll(PIPE)) {
    const after = m.index! + m[0].length;
    const len = referenceInterpreter(line.slice(after));
    if (len !== undefined) hits.push([m.index!, after + len]);
  }
  for (const re of [PROCESS_SUBST, COMMAND_SUBST]) {
    for (const m of line.matchAll(re)) {
      const start = m.index! + m[0].length - m[1].length;
      hits.push([start, start + m[1].length]);
    }
  }
  if (/iex|invoke-expression/i.test(line)) for (const re of PWSH) for (const m of line.matchAll(re)) hits.push([m.index!, m.index! + m[0].trimEnd().length]);
  hits.sort((a, b) => a[0] - b[0]);
  return hits.filter((h, i) => i === 0 || h[0] >= hits[i - 1][1]).map(([s, e]) => line.slice(s, e));
}

const current = (line: string) => findDownloadAndRun(line).map((h) => line.slice(h.start, h.end));

const WORDS = ['curl', 'wget', '-fsSL', 'https://x.example/i.sh', '|', '||', ' | ', ';', '&&', '&', '&x', '\n', 'sudo', '-E', 'env', 'A=1', 'sh', 'bash', '-s', '-', '--', '-c', 'python3', 'node', 'x.sh', 'bash <(', 'source <(', '. <(', ')', 'sh -c "$(', 'eval "$(', ')"', '"', "'", ' ', '  ', '\t', '/usr/bin/bash', '/dev/stdin', 'echo', 'iwr', 'irm', 'Invoke-WebRequest', 'iex', 'IEX', 'Invoke-Expression', '(New-Object Net.WebClient).DownloadString(', '.DownloadString(', '(', '((', 'https://x.example/i.ps1'];

describe('download-and-run: linear in the line, the same commands as the former matcher', () => {
  it('finds what the former matcher found, on 3,000 lines of its words', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...WORDS), { maxLength: 40 }), (words) => {
        const line = words.join(' ').replace(/ {3,}/g, '  ');
        assert.deepEqual(current(line), reference(line), JSON.stringify(line));
      }),
      { numRuns: 3_000, seed: 19 },
    );
  });

  for (const word of ['curl ', 'wget -q ', 'curl x | ', 'curl x | sudo -E ', 'bash <(curl ', 'eval "$(curl ', 'iex (iwr ', 'iwr x | iex ', 'iwr x | y ', '.DownloadString(x) | y iex ']) {
    it(`a line of many \`${word.trim()}\` costs time in proportion to its length`, () => {
      assertLinear(word.trim(), (n) => {
        const line = word.repeat(n);
        return () => current(line);
      }, 8_000);
    });

  }
});
