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
  regex?: RegExp;
  /** Why GitHub ignores this rule, when it does. */
  invalid?: string;
}

export const CODEOWNERS_LOCATIONS = ['.github/CODEOWNERS', 'CODEOWNERS', 'docs/CODEOWNERS'] as const;

function escapeRe(s: string): string {
  return s.replace(/[.+^${}()|[\]\\]/g, '\\$&');
}

/** The regular expression for one pattern, or a reason it is not supported. */
export function compilePattern(raw: string): RegExp | string {
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
  if (p === '') return anchored ? /^.*$/ : 'empty pattern';
  // A slash anywhere but at the end ties the pattern to the repository root (gitignore rule).
  if (p.includes('/')) anchored = true;
  const segs = p.split('/');
  let re = '';
  for (let i = 0; i < segs.length; i++) {
    const s = segs[i];
    const last = i === segs.length - 1;
    if (s === '**') {
      // `a/**/b`: zero or more folders; trailing `a/**`: everything inside a.
      re += last ? '.*' : '(?:[^/]+/)*';
      continue;
    }
    // `\x` is a literal x (how a pattern starting with # is written); `*` and `?` stay in one folder.
    re += s.replace(/\\(.)|(\*)|(\?)|([^*?\\]+)/g, (_m, esc: string, star: string, q: string, lit: string) =>
      esc !== undefined ? escapeRe(esc) : star ? '[^/]*' : q ? '[^/]' : escapeRe(lit),
    );
    if (!last) re += '/';
  }
  const lastSeg = segs[segs.length - 1];
  const prefix = anchored ? '^' : '^(?:.*/)?';
  // A pattern naming a folder owns everything below it; a wildcard last segment (`docs/*`) only
  // matches the entries directly there, as GitHub documents.
  let suffix: string;
  if (dirOnly) suffix = '/.*$';
  else if (lastSeg === '**') suffix = '$';
  else if (lastSeg.includes('*')) suffix = '$';
  else suffix = '(?:/.*)?$';
  return new RegExp(prefix + re + suffix);
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
