// GitHub Actions expressions (`${{ … }}`): finding them in text and reading which contexts they
// reference. Shared by every check that needs to know what data flows where (template injection,
// spoofable conditions, unsound conditions, secrets handling). This is a scanner, not an evaluator:
// it understands string literals well enough never to be fooled by `'}}'` inside one, and reports
// context references (`github.event.issue.title`) with their offsets.

export interface ExpressionSpan {
  /** Offset of `${{` in the scanned text. */
  start: number;
  /** Offset just past the closing `}}`. */
  end: number;
  /** The text between `${{` and `}}`, as written. */
  inner: string;
  innerStart: number;
}

/**
 * Every `${{ … }}` in `text`. String literals inside expressions use single quotes with `''` as the
 * escape, so a `}}` inside one does not close the expression. An unterminated `${{` ends the scan.
 */
export function findExpressions(text: string): ExpressionSpan[] {
  const out: ExpressionSpan[] = [];
  let i = text.indexOf('${{');
  while (i !== -1) {
    const innerStart = i + 3;
    let j = innerStart;
    let closed = -1;
    while (j < text.length) {
      const c = text[j];
      if (c === "'") {
        j++;
        while (j < text.length) {
          if (text[j] === "'" && text[j + 1] === "'") j += 2;
          else if (text[j] === "'") break;
          else j++;
        }
        j++;
        continue;
      }
      if (c === '}' && text[j + 1] === '}') {
        closed = j;
        break;
      }
      j++;
    }
    if (closed === -1) break;
    out.push({ start: i, end: closed + 2, inner: text.slice(innerStart, closed), innerStart });
    i = text.indexOf('${{', closed + 2);
  }
  return out;
}

export type TokenKind = 'ident' | 'string' | 'number' | 'op' | 'punct';

export interface Token {
  kind: TokenKind;
  text: string;
  /** Offset in the expression text. */
  start: number;
  end: number;
  /** For strings: the literal's value with `''` unescaped. */
  value?: string;
}

const OPS = ['==', '!=', '<=', '>=', '&&', '||', '<', '>', '!'];

/** Splits an expression (the inside of `${{ }}`, or a bare `if:` condition) into tokens. Never throws. */
export function tokenize(expr: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < expr.length) {
    const c = expr[i];
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === "'") {
      let j = i + 1;
      let value = '';
      while (j < expr.length) {
        if (expr[j] === "'" && expr[j + 1] === "'") {
          value += "'";
          j += 2;
        } else if (expr[j] === "'") break;
        else value += expr[j++];
      }
      out.push({ kind: 'string', text: expr.slice(i, j + 1), start: i, end: Math.min(j + 1, expr.length), value });
      i = j + 1;
      continue;
    }
    if (/[A-Za-z_]/.test(c)) {
      // Property names may contain dashes (`steps.my-step.outputs.file-name`).
      const m = /^[A-Za-z_][A-Za-z0-9_-]*/.exec(expr.slice(i))!;
      out.push({ kind: 'ident', text: m[0], start: i, end: i + m[0].length });
      i += m[0].length;
      continue;
    }
    if (/[0-9]/.test(c) || (c === '-' && /[0-9]/.test(expr[i + 1] ?? ''))) {
      const m = /^-?(0x[0-9a-fA-F]+|[0-9]*\.?[0-9]+(e[+-]?[0-9]+)?)/.exec(expr.slice(i))!;
      out.push({ kind: 'number', text: m[0], start: i, end: i + m[0].length });
      i += m[0].length;
      continue;
    }
    const op = OPS.find((o) => expr.startsWith(o, i));
    if (op) {
      out.push({ kind: 'op', text: op, start: i, end: i + op.length });
      i += op.length;
      continue;
    }
    out.push({ kind: 'punct', text: c, start: i, end: i + 1 });
    i++;
  }
  return out;
}

export interface ContextRef {
  /**
   * Normalised path: lower-case segments joined by dots, `*` for wildcards and computed indexes,
   * e.g. `github.event.pull_request.head.ref`, `github.event.commits.*.message`.
   */
  path: string;
  /** The path's segments as written (original case), for naming. */
  segments: string[];
  /** Offsets in the expression text. */
  start: number;
  end: number;
  /** Whether the reference is an argument of a function call (e.g. `toJSON(x)`), and which function. */
  inCall?: string;
  /** True when the reference is an operand of a comparison or `!`, so only a boolean comes out of it. */
  compared?: boolean;
}

const COMPARISONS = new Set(['==', '!=', '<', '<=', '>', '>=', '!']);
const LITERAL_IDENTS = new Set(['true', 'false', 'null']);

/**
 * Context references in an expression: `a.b.c`, `a['b'].c`, `a.*.b`, `a[0]`. Function names are not
 * references; literals are skipped. Each reference also says which function call it sits directly in.
 */
export function contextRefs(expr: string): ContextRef[] {
  const toks = tokenize(expr);
  const out: ContextRef[] = [];
  const callStack: (string | undefined)[] = [];
  for (let i = 0; i < toks.length; i++) {
    const t = toks[i];
    if (t.kind === 'punct' && t.text === '(') {
      const prev = toks[i - 1];
      callStack.push(prev && prev.kind === 'ident' ? prev.text.toLowerCase() : undefined);
      continue;
    }
    if (t.kind === 'punct' && t.text === ')') {
      callStack.pop();
      continue;
    }
    if (t.kind !== 'ident' || LITERAL_IDENTS.has(t.text)) continue;
    const next = toks[i + 1];
    if (next && next.kind === 'punct' && next.text === '(') continue; // a function name
    const prev = toks[i - 1];
    if (prev && prev.kind === 'punct' && prev.text === '.') continue; // mid-path, already consumed
    const segments = [t.text];
    let end = t.end;
    let j = i + 1;
    while (j < toks.length) {
      const a = toks[j];
      const b = toks[j + 1];
      if (a.kind === 'punct' && a.text === '.' && b && (b.kind === 'ident' || (b.kind === 'punct' && b.text === '*'))) {
        segments.push(b.text);
        end = b.end;
        j += 2;
        continue;
      }
      if (a.kind === 'punct' && a.text === '[') {
        // Find the matching bracket; a single string literal index is a property name.
        let depth = 1;
        let k = j + 1;
        while (k < toks.length && depth > 0) {
          if (toks[k].text === '[' && toks[k].kind === 'punct') depth++;
          else if (toks[k].text === ']' && toks[k].kind === 'punct') depth--;
          if (depth > 0) k++;
        }
        if (k >= toks.length) break;
        const inside = toks.slice(j + 1, k);
        if (inside.length === 1 && inside[0].kind === 'string') segments.push(inside[0].value ?? '');
        else segments.push('*');
        end = toks[k].end;
        j = k + 1;
        continue;
      }
      break;
    }
    const after = toks[j];
    const compared = (prev !== undefined && prev.kind === 'op' && COMPARISONS.has(prev.text)) || (after !== undefined && after.kind === 'op' && COMPARISONS.has(after.text) && after.text !== '!');
    out.push({
      path: segments.map((s) => s.toLowerCase()).join('.'),
      segments,
      start: t.start,
      end,
      inCall: callStack.length ? callStack[callStack.length - 1] : undefined,
      compared,
    });
    // No skipping ahead: a computed index (`secrets[format('A_{0}', matrix.env)]`) holds references too,
    // and the path's own later identifiers are recognised by the '.' before them.
  }
  return out;
}

/** Collapses runs of whitespace (an expression folded across lines reads the same on one line). */
export function normalizeExpression(inner: string): string {
  return inner.replace(/\s+/g, ' ').trim();
}

/** True when `text` is exactly one `${{ … }}` and nothing else. */
export function isSingleExpression(text: string): boolean {
  const spans = findExpressions(text);
  return spans.length === 1 && spans[0].start === 0 && spans[0].end === text.length;
}
