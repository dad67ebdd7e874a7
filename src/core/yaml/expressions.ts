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
/** Matched at an index (sticky): no copy of the rest of the expression per token. */
const IDENT_AT = /[A-Za-z_][A-Za-z0-9_-]*/y;
const NUMBER_AT = /-?(0x[0-9a-fA-F]+|[0-9]*\.?[0-9]+(e[+-]?[0-9]+)?)/y;

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
      IDENT_AT.lastIndex = i;
      const m = IDENT_AT.exec(expr)!;
      out.push({ kind: 'ident', text: m[0], start: i, end: i + m[0].length });
      i += m[0].length;
      continue;
    }
    if (/[0-9]/.test(c) || (c === '-' && /[0-9]/.test(expr[i + 1] ?? ''))) {
      NUMBER_AT.lastIndex = i;
      const m = NUMBER_AT.exec(expr)!;
      out.push({ kind: 'number', text: m[0], start: i, end: i + m[0].length });
      i += m[0].length;
      continue;
    }
    let op: string | undefined;
    for (const o of OPS) {
      if (expr.startsWith(o, i)) {
        op = o;
        break;
      }
    }
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

// --- A parser for the expression language --------------------------------------------------------
// Enough of GitHub's grammar to reason about structure: which parts of an expression can become its
// value (for taint), and what a condition evaluates to under stated facts (for guards). Precedence,
// lowest first: `||`, `&&`, `==`/`!=`, `<`/`<=`/`>`/`>=`, `!`, then primaries with `.name`, `.*` and
// `[index]`. Unparseable text yields undefined, never an exception.

export type ExprNode =
  | { kind: 'literal'; value: string | number | boolean | null; start: number; end: number }
  | { kind: 'ref'; segments: string[]; path: string; start: number; end: number }
  | { kind: 'call'; name: string; args: ExprNode[]; start: number; end: number }
  | { kind: 'not'; operand: ExprNode; start: number; end: number }
  | { kind: 'binary'; op: string; left: ExprNode; right: ExprNode; start: number; end: number }
  /** Property access or index on something that is not a plain context path (`fromJSON(x).a`). */
  | { kind: 'member'; object: ExprNode; key: ExprNode | string; start: number; end: number };

/** Parses an expression (the inside of `${{ }}` or a bare `if:` condition). */
export function parseExpression(expr: string): ExprNode | undefined {
  const toks = tokenize(expr);
  let i = 0;
  const peek = () => toks[i];
  const isOp = (t: Token | undefined, ...ops: string[]) => !!t && t.kind === 'op' && ops.includes(t.text);
  const isPunct = (t: Token | undefined, p: string) => !!t && t.kind === 'punct' && t.text === p;
  const fail = (): never => {
    throw new SyntaxError('expression');
  };
  const binary = (next: () => ExprNode, ops: string[]) => (): ExprNode => {
    let left = next();
    while (isOp(peek(), ...ops)) {
      const op = toks[i++].text;
      const right = next();
      left = { kind: 'binary', op, left, right, start: left.start, end: right.end };
    }
    return left;
  };
  const fin = (n: ExprNode): ExprNode => (n.kind === 'ref' ? { ...n, path: n.segments.map((s) => s.toLowerCase()).join('.') } : n);
  const postfix = (base: ExprNode): ExprNode => {
    let node = base;
    for (;;) {
      const t = peek();
      if (isPunct(t, '.')) {
        const n = toks[i + 1];
        if (!n || !(n.kind === 'ident' || isPunct(n, '*'))) fail();
        i += 2;
        // The ref's segments array is this parse's own (made in primary()): extended in place, since a
        // copy per segment cost a long `a.b.c.…` reference time in the square of its length.
        if (node.kind === 'ref') {
          node.segments.push(n.text);
          node = { ...node, end: n.end };
        }
        else node = { kind: 'member', object: fin(node), key: n.text, start: node.start, end: n.end };
      } else if (isPunct(t, '[')) {
        i++;
        const index = parseOr();
        if (!isPunct(peek(), ']')) fail();
        const close = toks[i++];
        if (node.kind === 'ref') {
          const seg = index.kind === 'literal' && typeof index.value === 'string' ? index.value : '*';
          // A computed index keeps its own references (inside the member node) out of the path.
          node = seg === '*' && index.kind !== 'literal' ? { kind: 'member', object: fin(node), key: index, start: node.start, end: close.end } : (node.segments.push(seg), { ...node, end: close.end });
        } else node = { kind: 'member', object: node, key: index, start: node.start, end: close.end };
      } else return fin(node);
    }
  };
  const primary = (): ExprNode => {
    const t = toks[i++];
    if (!t) return fail();
    if (t.kind === 'string') return postfix({ kind: 'literal', value: t.value ?? '', start: t.start, end: t.end });
    if (t.kind === 'number') return { kind: 'literal', value: Number(t.text), start: t.start, end: t.end };
    if (isPunct(t, '(')) {
      const inner = parseOr();
      if (!isPunct(peek(), ')')) fail();
      i++;
      return postfix(inner);
    }
    if (t.kind === 'ident') {
      if (t.text === 'true' || t.text === 'false') return { kind: 'literal', value: t.text === 'true', start: t.start, end: t.end };
      if (t.text === 'null') return { kind: 'literal', value: null, start: t.start, end: t.end };
      if (isPunct(peek(), '(')) {
        i++;
        const args: ExprNode[] = [];
        if (!isPunct(peek(), ')')) {
          args.push(parseOr());
          while (isPunct(peek(), ',')) {
            i++;
            args.push(parseOr());
          }
        }
        if (!isPunct(peek(), ')')) fail();
        const close = toks[i++];
        return postfix({ kind: 'call', name: t.text.toLowerCase(), args, start: t.start, end: close.end });
      }
      return postfix({ kind: 'ref', segments: [t.text], path: '', start: t.start, end: t.end });
    }
    return fail();
  };
  const unary = (): ExprNode => {
    if (isOp(peek(), '!')) {
      const t = toks[i++];
      const operand = unary();
      return { kind: 'not', operand, start: t.start, end: operand.end };
    }
    return primary();
  };
  const parseRel = binary(unary, ['<', '<=', '>', '>=']);
  const parseEq = binary(parseRel, ['==', '!=']);
  const parseAnd = binary(parseEq, ['&&']);
  const parseOr: () => ExprNode = binary(parseAnd, ['||']);
  try {
    const node = parseOr();
    return i === toks.length ? node : undefined;
  } catch {
    return undefined;
  }
}

// Functions whose result is a boolean or a hash, whatever goes in: nothing of their arguments reaches the value.
const OPAQUE_CALLS = new Set(['contains', 'startswith', 'endswith', 'hashfiles', 'success', 'failure', 'always', 'cancelled']);

/**
 * The parts of an expression whose text can become its value: `a || b` yields either side, `a && b`
 * yields `b` (or a falsy `a`, which carries no text), comparisons and `!` yield booleans, `format`,
 * `join`, `toJSON` and `fromJSON` pass their arguments through. Returns references and literals.
 */
export function valueSources(node: ExprNode): Extract<ExprNode, { kind: 'ref' | 'literal' }>[] {
  switch (node.kind) {
    case 'literal':
    case 'ref':
      return [node];
    case 'not':
      return [];
    case 'binary':
      if (node.op === '||') return [...valueSources(node.left), ...valueSources(node.right)];
      if (node.op === '&&') return valueSources(node.right);
      return [];
    case 'call':
      return OPAQUE_CALLS.has(node.name) ? [] : node.args.flatMap(valueSources);
    case 'member':
      // `fromJSON(x).field` carries part of x; a literal member of a literal stays unknown-free.
      return valueSources(node.object).filter((s) => s.kind === 'ref');
  }
}

/** The literal values an expression can take, when every source of its value is a literal. */
export function literalValues(node: ExprNode): string[] | undefined {
  const sources = valueSources(node);
  if (!sources.length || sources.some((s) => s.kind !== 'literal')) return undefined;
  // `a && 'x' || ''`: the left side of && can make the whole thing falsy; stringified falsy values are
  // '' / 'false' / '0', which only appear when a literal says so, except `false` from a bare condition.
  return [...new Set(sources.map((s) => (s.kind === 'literal' ? (s.value === null ? '' : String(s.value)) : '')))];
}

// --- Evaluating conditions under facts -----------------------------------------------------------

/** What a fact source says a context path is: a known value, an opaque identity, or unknown (undefined). */
export type FactValue = { known: string | number | boolean | null } | { opaque: string };
export type Facts = (path: string) => FactValue | undefined;
/** Three-valued: true, false, or undefined when the facts do not decide. */
type Tri = boolean | undefined;
type Val = { v: string | number | boolean | null } | { opaque: string } | { list: Val[] } | undefined;

function truthy(v: Val): Tri {
  if (v === undefined) return undefined;
  if ('opaque' in v) return true; // an identity (a repository name, a login) is a non-empty string
  if ('list' in v) return true;
  const x = v.v;
  return !(x === null || x === false || x === 0 || x === '' || (typeof x === 'number' && Number.isNaN(x)));
}

// Opaque identities: `*` equals any literal (a label the condition asks for, when approved), `set:A|B`
// is one of those literals, `?x` may equal anything; any other name equals only itself.
function opaqueEqLiteral(o: string, lit: string | number | boolean | null): Tri {
  if (o === '*') return true;
  if (o.startsWith('?')) return undefined;
  if (o.startsWith('set:')) return o.slice(4).split('|').some((x) => x.toLowerCase() === String(lit).toLowerCase()) ? undefined : false;
  return false;
}

function eq(a: Val, b: Val): Tri {
  if (a === undefined || b === undefined || 'list' in a || 'list' in b) return undefined;
  if ('opaque' in a && !('opaque' in b)) return opaqueEqLiteral(a.opaque, b.v);
  if ('opaque' in b && !('opaque' in a)) return opaqueEqLiteral(b.opaque, a.v);
  if ('opaque' in a && 'opaque' in b) return a.opaque === b.opaque ? true : a.opaque.startsWith('?') || b.opaque.startsWith('?') ? undefined : false;
  if ('opaque' in a || 'opaque' in b) {
    // An opaque identity never equals a literal the maintainers wrote, unless it is marked maybe-equal ('?').
    const o = 'opaque' in a ? a.opaque : (b as { opaque: string }).opaque;
    return o.startsWith('?') ? undefined : false;
  }
  const x = a.v;
  const y = b.v;
  if (typeof x === 'string' && typeof y === 'string') return x.toLowerCase() === y.toLowerCase();
  return x === y;
}

/**
 * Evaluates a condition under facts. Contexts the facts do not name are unknown, and an unknown
 * operand makes the result unknown unless the other operand decides it (`false && x` is false).
 */
export function evaluateCondition(node: ExprNode, facts: Facts): Tri {
  return truthy(evalNode(node, facts));
}

function evalNode(node: ExprNode, facts: Facts): Val {
  switch (node.kind) {
    case 'literal':
      return { v: node.value };
    case 'ref': {
      const f = facts(node.path);
      if (!f) return undefined;
      return 'known' in f ? { v: f.known } : { opaque: f.opaque };
    }
    case 'member':
      return undefined;
    case 'not': {
      const t = truthy(evalNode(node.operand, facts));
      return t === undefined ? undefined : { v: !t };
    }
    case 'binary': {
      if (node.op === '&&' || node.op === '||') {
        const l = evalNode(node.left, facts);
        const lt = truthy(l);
        if (node.op === '&&' && lt === false) return l;
        if (node.op === '||' && lt === true) return l;
        const r = evalNode(node.right, facts);
        const rt = truthy(r);
        if (lt === undefined) {
          if (node.op === '&&' && rt === false) return { v: false };
          if (node.op === '||' && rt === true) return { v: true };
          return undefined;
        }
        return r;
      }
      const l = evalNode(node.left, facts);
      const r = evalNode(node.right, facts);
      if (node.op === '==' || node.op === '!=') {
        const e = eq(l, r);
        return e === undefined ? undefined : { v: node.op === '==' ? e : !e };
      }
      return undefined;
    }
    case 'call': {
      const args = node.args.map((a) => evalNode(a, facts));
      switch (node.name) {
        case 'always':
        case 'success':
          return { v: true };
        case 'contains': {
          const [hay, needle] = args;
          if (hay && 'list' in hay) {
            const hits = hay.list.map((x) => eq(x, needle));
            return hits.some((h) => h === true) ? { v: true } : hits.every((h) => h === false) ? { v: false } : undefined;
          }
          if (hay && needle && 'v' in hay && 'v' in needle && typeof hay.v === 'string') return { v: hay.v.toLowerCase().includes(String(needle.v).toLowerCase()) };
          if (hay && 'opaque' in hay) return needle && 'v' in needle ? opaqueEqLiteral(hay.opaque, needle.v) === true ? { v: true } : hay.opaque.startsWith('?') ? undefined : { v: false } : undefined;
          return undefined;
        }
        case 'startswith':
        case 'endswith': {
          const [s, p] = args;
          if (s && p && 'v' in s && 'v' in p) {
            const a = String(s.v).toLowerCase();
            const b = String(p.v).toLowerCase();
            return { v: node.name === 'startswith' ? a.startsWith(b) : a.endsWith(b) };
          }
          if (s && 'opaque' in s && !s.opaque.startsWith('?') && p && 'v' in p) return { v: false };
          return undefined;
        }
        case 'fromjson': {
          const [s] = args;
          if (s && 'v' in s && typeof s.v === 'string') {
            try {
              const parsed: unknown = JSON.parse(s.v);
              if (Array.isArray(parsed)) return { list: parsed.map((x) => ({ v: typeof x === 'object' ? null : (x as string | number | boolean | null) })) };
              if (parsed === null || typeof parsed !== 'object') return { v: parsed as string | number | boolean | null };
            } catch {
              return undefined;
            }
          }
          return undefined;
        }
        default:
          return undefined;
      }
    }
  }
}

/** Parses an `if:` value: a bare condition, or one wrapped whole in `${{ }}`. Text around an expression makes a non-empty string. */
export function parseCondition(text: string): ExprNode | undefined {
  const t = text.trim();
  if (!t) return undefined;
  const spans = findExpressions(t);
  if (spans.length === 1 && spans[0].start === 0 && spans[0].end === t.length) return parseExpression(spans[0].inner);
  if (spans.length === 0) return parseExpression(t);
  return { kind: 'literal', value: t, start: 0, end: t.length };
}

/**
 * The context references of an expression whose text can reach its value (see `valueSources`), as
 * `contextRefs` reports them. When the expression does not parse, every reference that is not an
 * operand of a comparison or an argument of a boolean function counts, as before.
 */
export function flowingRefs(expr: string): ContextRef[] {
  const refs = contextRefs(expr);
  const ast = parseExpression(expr);
  if (!ast) return refs.filter((r) => !r.compared && !(r.inCall && OPAQUE_CALLS.has(r.inCall)));
  const starts = new Set(valueSources(ast).filter((s) => s.kind === 'ref').map((s) => s.start));
  return refs.filter((r) => starts.has(r.start));
}
