// CODEOWNERS as GitHub reads it: one rule per line, `pattern owner...`; `#` starts a comment (`\#`
// escapes a leading one); the LAST matching rule wins; a rule with no owners makes matching paths
// unowned. Patterns follow gitignore rules with GitHub's documented differences: no `!` negation and
// no `[ ]` ranges, and `docs/*` matches files directly in docs/ but not deeper ones.

export interface CodeownersRule {
  /** 1-based line. */
  line: number;
  /** 1-based column of the pattern. */
  column: number;
  pattern: string;
  owners: string[];
  regex?: PathMatcher;
  /** Why GitHub ignores this rule, when it does. */
  invalid?: string;
}

export const CODEOWNERS_LOCATIONS = ['.github/CODEOWNERS', 'CODEOWNERS', 'docs/CODEOWNERS'] as const;

/** A compiled pattern: whether a repository path is one it matches. */
export interface PathMatcher {
  test(path: string): boolean;
}

// A pattern is matched segment by segment, without regular expressions: compiled to one, `**/` and
// `*` nest quantifiers, and a hostile CODEOWNERS line of 16 `**/` took 89 s to fail on one path
// (each more doubled it). Here `**` is a wildcard over whole segments and `*`/`?` over one segment's
// characters, each matched greedily with a return to the last wildcard (the classic wildcard match):
// time in the product of the pattern's and the path's lengths at worst.

/** In a segment: `*` (any characters), `?` (one) or a literal character. */
type SegToken = { kind: 'star' } | { kind: 'one' } | { kind: 'char'; c: string };
type Part = { kind: 'globstar' } | { kind: 'any' } | { kind: 'seg'; tokens: SegToken[] };

/**
 * The classic wildcard match of `items` against `pattern`: `isStar(p)` matches any run of items (none
 * included), every other element exactly one item it `matches`. Greedy, returning to the last star:
 * time in the product of the two lengths at worst.
 */
function wildcardMatch<P, T>(pattern: readonly P[], items: ArrayLike<T>, isStar: (p: P) => boolean, matches: (p: P, t: T) => boolean): boolean {
  let i = 0;
  let j = 0;
  let star = -1;
  let mark = 0;
  while (j < items.length) {
    if (i < pattern.length && !isStar(pattern[i]) && matches(pattern[i], items[j])) {
      i++;
      j++;
    } else if (i < pattern.length && isStar(pattern[i])) {
      star = i++;
      mark = j;
    } else if (star >= 0) {
      i = star + 1;
      j = ++mark;
    } else return false;
  }
  while (i < pattern.length && isStar(pattern[i])) i++;
  return i === pattern.length;
}

/** Whether one path segment matches a segment pattern (`*` any characters, `?` one). */
function segmentMatches(p: Extract<Part, { kind: 'seg' }>, seg: string): boolean {
  return wildcardMatch(p.tokens, seg, (t) => t.kind === 'star', (t, c) => t.kind === 'one' || (t.kind === 'char' && t.c === c));
}

/** Whether the path's segments match the parts (`globstar`: any number of segments, `any`: one). */
function partsMatch(parts: readonly Part[], segs: readonly string[]): boolean {
  return wildcardMatch(parts, segs, (p) => p.kind === 'globstar', (p, s) => p.kind === 'any' || (p.kind === 'seg' && segmentMatches(p, s)));
}

/** The matcher for one pattern, or a reason it is not supported. */
export function compilePattern(raw: string): PathMatcher | string {
  let p = raw;
  if (p.startsWith('!')) return 'negation (!) is not supported in CODEOWNERS';
  if (/\[[^\]]*\]/.test(p)) return 'character ranges ([ ]) are not supported in CODEOWNERS';
  let anchored = false;
  let dirOnly = false;
  if (p.startsWith('/')) {
    anchored = true;
    p = p.slice(1);
  }
  if (p.endsWith('/')) {
    dirOnly = true;
    p = p.replace(/\/+$/, '');
  }
  if (p === '') return anchored ? { test: () => true } : 'empty pattern';
  // A slash anywhere but at the end ties the pattern to the repository root (gitignore rule).
  if (p.includes('/')) anchored = true;
  const segs = p.split('/');
  // Not tied to the root: it may start at any folder.
  const parts: Part[] = anchored ? [] : [{ kind: 'globstar' }];
  for (let i = 0; i < segs.length; i++) {
    const s = segs[i];
    const last = i === segs.length - 1;
    if (s === '**') {
      // `a/**/b`: zero or more folders (`**/**` is one); trailing `a/**`: everything inside a.
      if (last) parts.push({ kind: 'any' });
      if (parts[parts.length - 1]?.kind !== 'globstar') parts.push({ kind: 'globstar' });
      continue;
    }
    // `\x` is a literal x (how a pattern starting with # is written); `*` and `?` stay in one folder.
    const tokens: SegToken[] = [];
    for (const m of s.matchAll(/\\(.)|(\*+)|(\?)|([^*?\\]+)/g)) {
      if (m[1] !== undefined) tokens.push({ kind: 'char', c: m[1] });
      else if (m[2]) tokens.push({ kind: 'star' });
      else if (m[3]) tokens.push({ kind: 'one' });
      else for (const c of m[4]) tokens.push({ kind: 'char', c });
    }
    // A lone backslash at the end matches nothing (as the former regular expression did not compile it away).
    if (/(?:^|[^\\])(?:\\\\)*\\$/.test(s)) return { test: () => false };
    parts.push({ kind: 'seg', tokens });
  }
  const lastSeg = segs[segs.length - 1];
  // A pattern naming a folder owns everything below it; a wildcard last segment (`docs/*`) only
  // matches the entries directly there, as GitHub documents.
  if (dirOnly) parts.push({ kind: 'any' }, { kind: 'globstar' });
  else if (lastSeg === '**' || lastSeg.includes('*')) {
    // exactly the segments matched
  } else parts.push({ kind: 'globstar' });
  return { test: (path: string) => partsMatch(parts, path.split('/')) };
}

export function parseCodeowners(text: string): CodeownersRule[] {
  const rules: CodeownersRule[] = [];
  const lines = text.split(/\r\n|\n|\r/);
  lines.forEach((rawLine, i) => {
    const lead = /^\s*/.exec(rawLine)![0].length;
    const line = rawLine.slice(lead);
    if (line === '' || line.startsWith('#')) return;
    // Tokens up to an unescaped `#` that starts a comment.
    const tokens: string[] = [];
    const re = /(?:\\.|[^\s\\])+/g;
    let m: RegExpExecArray | null;
    while ((m = re.exec(line))) {
      if (m[0].startsWith('#')) break;
      tokens.push(m[0]);
    }
    if (!tokens.length) return;
    const [pattern, ...owners] = tokens;
    const compiled = compilePattern(pattern);
    rules.push({
      line: i + 1,
      column: lead + 1,
      pattern,
      owners,
      ...(typeof compiled === 'string' ? { invalid: compiled } : { regex: compiled }),
    });
  });
  return rules;
}

/** The rule that decides a path's owners (the last match), if any. */
export function ruleFor(rules: readonly CodeownersRule[], path: string): CodeownersRule | undefined {
  for (let i = rules.length - 1; i >= 0; i--) {
    const r = rules[i];
    if (r.regex && r.regex.test(path)) return r;
  }
  return undefined;
}
