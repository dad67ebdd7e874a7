import type { ScalarEvent } from 'js-yaml';
// js-yaml's CommonJS build, by `require` so that esbuild takes it too (the "require" condition): its
// ESM build, which an `import` makes esbuild bundle, parses about 2.5x slower (same run: 120 vs 50 ms
// CPU for the events of the 543 corpus files the scan parses).
const { parseEvents, getScalarValue, EVENT_ID } = require('js-yaml') as typeof import('js-yaml');
import { Composer, Document, Scalar, YAMLMap, YAMLSeq, Pair, Alias, isScalar } from 'yaml';

/**
 * A faster front end for the common case: js-yaml 5's event parser (no AST, source offsets only)
 * feeding real `yaml` nodes with the same ranges, values, styles and anchors parseAllDocuments gives.
 * Comments are not attached (no consumer of a scan's parse reads them). Anything it cannot reproduce
 * exactly makes it decline (undefined) and the caller parses with `yaml` as before.
 */

type Opts = { prettyErrors: false; strict: false; uniqueKeys: false };

/**
 * Inputs this front end never takes: directives, document markers (but a first `---`, see START), CRs,
 * tabs, BOM, complex keys. Global so that the search can start after the first `---`.
 */
const DECLINE = /[\r\t\uFEFF]|(?:^|\n)(?:---|\.\.\.|%)|(?:^|\n)[ -]*\?(?:[ \n]|$)/g;

/** A `---` starting the one document, after blank and comment lines only, alone on its line (a comment aside). */
const START = /^(?:[ ]*(?:#[^\n]*)?\n)*(---)[ ]*(?:[ ]#[^\n]*)?(?:\n|$)/;

interface Frame {
  node: YAMLMap | YAMLSeq;
  flow: boolean;
  key: unknown;
  hasKey: boolean;
  start: number;
  /** whether the collection sits where its end takes no trailing comment or line break */
  tight: boolean;
}

export function fastParse(text: string, options: Opts): Document.Parsed[] | undefined {
  if (text.length === 0) return undefined;
  const marker = text.charCodeAt(0) === 45 || text.includes('---') ? START.exec(text) : null;
  // the marker line's own line break may start the next marker line: search from it
  DECLINE.lastIndex = marker ? marker[0].length - 1 : 0;
  if (DECLINE.test(text)) return undefined;
  const markerAt = marker ? marker[0].lastIndexOf('---') : -1;
  let events;
  try {
    events = parseEvents(text, { maxDepth: 200 });
  } catch {
    return undefined;
  }
  const docs: Document.Parsed[] = [];
  let doc: Document | undefined;
  let schema: unknown;
  const stack: Frame[] = [];
  let tags: { default?: unknown; test?: RegExp; resolve: (s: string, e: (m: string) => void, o: unknown) => unknown; format?: string }[] = [];
  let failed = false;
  /** whether the last node added is an empty value (the lines after it are then its pair's, not the document's) */
  let lastEmpty = false;
  const onError = () => {
    failed = true;
  };
  const anchorName = (s: number, e: number) => (s < 0 ? undefined : text.slice(s, e));

  const add = (node: Scalar | YAMLMap | YAMLSeq | Alias) => {
    lastEmpty = node instanceof Scalar && node.source === '' && node.value === null;
    const top = stack[stack.length - 1];
    if (!top) {
      doc!.contents = node as never;
      return;
    }
    if (top.node instanceof YAMLSeq) {
      top.node.items.push(node);
      return;
    }
    if (!top.hasKey) {
      top.key = node;
      top.hasKey = true;
    } else {
      top.node.items.push(new Pair(top.key, node) as never);
      top.hasKey = false;
      top.key = undefined;
    }
  };
  const inFlow = () => stack.length > 0 && stack[stack.length - 1].flow;
  const isKeyPos = () => {
    const top = stack[stack.length - 1];
    return !!top && top.node instanceof YAMLMap && !top.hasKey;
  };

  /** After a node's value end in block context: trailing blanks, a comment and one line break. */
  const blockEnd = (p: number): number => {
    while (text.charCodeAt(p) === 32) p++;
    if (text.charCodeAt(p) === 35 /* # */) {
      const nl = text.indexOf('\n', p);
      p = nl < 0 ? text.length : nl;
    }
    if (text.charCodeAt(p) === 10) p++;
    return p;
  };

  for (const ev of events) {
    if (failed) return undefined;
    // yaml reports an anchor or alias ending in `:` as ambiguous (found by the corpus mutation test)
    if ('anchorEnd' in ev && ev.anchorStart >= 0 && text.charCodeAt(ev.anchorEnd - 1) === 58) return undefined;
    switch (ev.type) {
      case EVENT_ID.DOCUMENT: {
        if (doc || ev.explicitStart !== markerAt >= 0 || ev.explicitEnd || ev.directives.length) return undefined;
        // as parseAllDocuments does: the document's directives come from its composer's
        doc = new Document(undefined, Object.assign({ _directives: (new Composer(options) as unknown as { directives: never }).directives }, options));
        schema = doc.schema;
        tags = (doc.schema as unknown as { tags: typeof tags }).tags;
        break;
      }
      case EVENT_ID.SCALAR: {
        // an anchored key (or an anchor that may belong to the mapping the key opens) is declined
        if (ev.tagStart >= 0 || (ev.anchorStart >= 0 && (isKeyPos() || !stack.length))) return undefined;
        const s = scalar(ev);
        if (!s) return undefined;
        if (ev.anchorStart >= 0) s.anchor = anchorName(ev.anchorStart, ev.anchorEnd);
        add(s);
        break;
      }
      case EVENT_ID.ALIAS: {
        const a = new Alias(text.slice(ev.anchorStart, ev.anchorEnd));
        const e = ev.anchorEnd;
        if (isKeyPos()) return undefined;
        a.range = [ev.anchorStart - 1, e, inFlow() ? e : valueEnd(e)];
        add(a);
        break;
      }
      case EVENT_ID.MAPPING:
      case EVENT_ID.SEQUENCE: {
        // an anchor on the root node starts yaml's document there (found by the corpus mutation test)
        if (ev.tagStart >= 0 || isKeyPos() || (ev.anchorStart >= 0 && !stack.length)) return undefined;
        const tight = inFlow();
        // a block collection's anchor must stand before the line the collection starts on
        if (ev.anchorStart >= 0 && !flow0(ev.style) && text.lastIndexOf('\n', ev.start - 1) < ev.anchorStart) return undefined;
        const flow = ev.style === 2;
        const node = ev.type === EVENT_ID.MAPPING ? new YAMLMap(schema as never) : new YAMLSeq(schema as never);
        if (flow) node.flow = true;
        if (ev.anchorStart >= 0) node.anchor = anchorName(ev.anchorStart, ev.anchorEnd);
        add(node);
        stack.push({ node, flow, key: undefined, hasKey: false, start: ev.start, tight });
        break;
      }
      case EVENT_ID.POP: {
        const f = stack.pop();
        if (!f) {
          // end of document
          if (!doc) return undefined;
          const c = doc.contents as unknown as { range: [number, number, number] } | null;
          if (!c) return undefined;
          // yaml's document starts at its `---`, else at the start of the line its content starts on, and
          // ends with the text, but after a last empty value the lines after it are that value's pair's
          if (markerAt >= 0) doc.directives!.docStart = true;
          doc.range = [markerAt >= 0 ? markerAt : text.lastIndexOf('\n', c.range[0] - 1) + 1, c.range[2], lastEmpty ? c.range[2] : text.length];
          docs.push(doc as Document.Parsed);
          break;
        }
        if (f.hasKey) return undefined;
        const items = f.node.items as unknown[];
        if (f.flow) {
          const close = f.node instanceof YAMLMap ? '}' : ']';
          let p = items.length ? end(items[items.length - 1]) : f.start + 1;
          while (p < text.length && text[p] !== close) {
            const c = text[p];
            if (c !== ' ' && c !== ',' && c !== '\n') return undefined;
            p++;
          }
          if (p >= text.length) return undefined;
          const ve = p + 1;
          // a flow collection over several lines: yaml hands line breaks and indentation to its items in
          // ways not reproduced here (found by the generated and mutation properties)
          const nl = text.indexOf('\n', f.start);
          if (nl >= 0 && nl < ve) return undefined;
          // inside another flow collection it takes in the spaces after it, like a flow scalar
          let e = ve;
          if (f.tight) while (text.charCodeAt(e) === 32) e++;
          f.node.range = [f.start, ve, f.tight ? e : valueEnd(ve)];
        } else {
          if (!items.length) return undefined;
          const last = end(items[items.length - 1]);
          f.node.range = [f.start, last, trailingComments(last, column(f.start))];
        }
        break;
      }
    }
  }
  if (failed || stack.length || !docs.length || docs.length !== 1) return undefined;
  return docs;

  /**
   * After a value that yaml's parser gives `end` tokens (plain and quoted scalars, aliases, flow
   * collections) in a block collection: the blanks, comment and line break ending its line, then each
   * following comment line indented further than that collection when only blank lines lie between
   * (yaml's Parser.atIndentedComment appends those to the value's end, stretching its range).
   */
  function valueEnd(p: number): number {
    p = blockEnd(p);
    const top = stack[stack.length - 1];
    if (!top) return p;
    const indent = column(top.start);
    commentLines(p, (start, hash) => {
      if (hash - start <= indent) return true;
      const nl = text.indexOf('\n', hash);
      p = nl < 0 ? text.length : nl + 1;
      return false;
    });
    return p;
  }

  /**
   * Where a block collection indented `indent` ends whose last item ends at `e`. The blank and comment
   * lines after it, with the indentation of the next content line, form one trailing item of the
   * innermost collection; when the collection closes, yaml's parser (Parser.pop) hands that item up
   * to the enclosing one if the collection is at indent 0 or every comment in it is indented less than
   * the collection, else keeps it and the collection's range takes it in. (When it is handed up, the
   * enclosing collection's last item still ends at `e` and the same rule applies to it in turn.)
   */
  function trailingComments(e: number, indent: number): number {
    if (indent === 0) return e;
    let keep = false;
    const stop = commentLines(e, (start, hash) => {
      if (hash - start >= indent) keep = true;
      return false;
    });
    return keep ? stop : e;
  }

  /**
   * Walks the blank and comment lines from `p`, calling `each` with every comment line's start and the
   * offset of its `#` until it returns true. Returns -1 when `each` stopped the walk, else where the
   * first other line's content begins (the end of the text when there is none).
   */
  function commentLines(p: number, each: (start: number, hash: number) => boolean): number {
    while (p < text.length) {
      let q = p;
      while (text.charCodeAt(q) === 32) q++;
      const c = text.charCodeAt(q);
      if (c === 10) {
        p = q + 1;
        continue;
      }
      if (c !== 35) return q;
      if (each(p, q)) return -1;
      const nl = text.indexOf('\n', q);
      p = nl < 0 ? text.length : nl + 1;
    }
    return text.length;
  }

  function flow0(style: number): boolean {
    return style === 2;
  }

  function column(at: number): number {
    return at - text.lastIndexOf('\n', at - 1) - 1;
  }

  function end(n: unknown): number {
    const x = n instanceof Pair ? n.value : n;
    return (x as { range: [number, number, number] }).range[2];
  }

  function scalar(ev: ScalarEvent): Scalar | undefined {
    const style = ev.style;
    const key = isKeyPos();
    const flow = inFlow();
    let value: string;
    try {
      value = getScalarValue(text, ev);
    } catch {
      return undefined;
    }
    let s: Scalar;
    let start = ev.valueStart;
    let ve = ev.valueEnd;
    if (style === 1) {
      if (ve === start) {
        // an empty value: only a block mapping's (yaml puts it after the `:`), not an anchored one
        const top = stack[stack.length - 1];
        if (key || flow || ev.anchorStart >= 0 || !top || !(top.node instanceof YAMLMap) || !(top.key instanceof Scalar)) return undefined;
        const colon = top.key.range![1];
        if (text.charCodeAt(colon) !== 58) return undefined;
        let o = colon + 1;
        while (text.charCodeAt(o) === 32) o++;
        const e = emptyValueEnd(o, column(top.start));
        if (e < 0) return undefined;
        s = new Scalar(null);
        s.range = [o, o, e];
        s.source = '';
        s.type = 'PLAIN';
        return s;
      }
      const tag = tags.find((t) => t.default === true && t.test?.test(value));
      if (!tag) s = new Scalar(value);
      else {
        const r = tag.resolve(value, onError, options);
        s = isScalar(r) ? (r as Scalar) : new Scalar(r);
        if (tag.format) s.format = tag.format;
      }
      s.type = 'PLAIN';
    } else if (style === 2 || style === 3) {
      start -= 1;
      ve += 1;
      if (text[start] !== (style === 2 ? "'" : '"') || text[ve - 1] !== text[start]) return undefined;
      s = new Scalar(value);
      s.type = style === 2 ? 'QUOTE_SINGLE' : 'QUOTE_DOUBLE';
    } else {
      if (key || flow) return undefined;
      // The header (`|`, `>`, indicators, comment) is the line before the content.
      const lineStart = text.lastIndexOf('\n', start - 1);
      if (lineStart < 0 || text[start - 1] !== '\n') return undefined;
      const hdrLineStart = text.lastIndexOf('\n', lineStart - 1) + 1;
      const m = /[|>][1-9+-]{0,2}[ ]*(?:#.*)?$/.exec(text.slice(hdrLineStart, lineStart));
      if (!m) return undefined;
      start = hdrLineStart + m.index;
      if (/[1-9]/.test(m[0]) || ev.chomping === 3) return undefined;
      // an empty block scalar: yaml's range takes in one following blank line, which is not worth copying
      if (value === '') return undefined;
      const top = stack[stack.length - 1];
      ve = blockScalarEnd(lineStart + 1, top ? column(top.start) : -1);
      if (ve < 0) return undefined;
      s = new Scalar(value);
      s.type = style === 4 ? 'BLOCK_LITERAL' : 'BLOCK_FOLDED';
      s.range = [start, ve, ve];
      s.source = value;
      // the lines after it are left to the enclosing collection (yaml gives a block scalar no `end`)
      return s;
    }
    s.source = value;
    if (key && !flow && text.charCodeAt(ve) !== 58) return undefined;
    let e = ve;
    // a flow value takes in the spaces after it; a flow key leaves them to its pair (found by the corpus
    // mutation test: `{a : 1}`)
    if (flow) while (text.charCodeAt(e) === 32) e++;
    if (flow && key) {
      if (text.charCodeAt(e) !== 58) return undefined;
      e = ve;
    }
    s.range = [start, ve, key || flow ? e : valueEnd(ve)];
    return s;
  }

  /**
   * The end of an empty value that follows a `:` and its spaces at `o`, in a block mapping indented
   * `indent`. yaml's parser keeps the lines after the `:` in the pair's `sep` and composeEmptyNode
   * stretches the empty scalar's range to the end of them only when they hold a comment. When the next
   * content line is the mapping's next key, Parser.blockMap hands it all from the second line break
   * after the `:` (or after the last comment indented further than the mapping) on; when the mapping
   * closes instead, the pair keeps all of them, up to the next content. -1: content after the `:`.
   */
  function emptyValueEnd(o: number, indent: number): number {
    const c0 = text.charCodeAt(o);
    if (o < text.length && c0 !== 10 && c0 !== 35) return -1;
    // the line breaks since the `:` or the last deeper comment, and the first comment
    let nl1 = -1;
    let nl0 = -1;
    let firstComment = c0 === 35 ? o : -1;
    let p = o;
    let q = text.length;
    for (;;) {
      const eol = text.indexOf('\n', p);
      if (eol < 0) break;
      if (nl0 < 0) nl0 = eol;
      else if (nl1 < 0) nl1 = eol;
      p = eol + 1;
      let c = p;
      while (text.charCodeAt(c) === 32) c++;
      if (c >= text.length) break;
      const ch = text.charCodeAt(c);
      if (ch === 35) {
        if (firstComment < 0) firstComment = c;
        if (c - p > indent) nl0 = nl1 = -1;
      } else if (ch !== 10) {
        q = c;
        break;
      }
    }
    const nextKey = q < text.length && column(q) === indent;
    if (q < text.length && column(q) > indent) return -1;
    const cut = nextKey && nl1 >= 0 ? nl1 : q;
    return firstComment >= 0 && firstComment < cut ? cut : o;
  }

  /**
   * Where yaml's lexer ends a clipped or stripped block scalar (Lexer.parseBlockScalar) whose content
   * starts at `pos`: the first non-blank line sets the indentation, every following line that is blank or
   * indented at least as far belongs to it, then trailing lines of no more spaces than that indentation
   * are dropped again (a longer line of spaces stays). -1 for what is not reproduced: no content line
   * indented past the enclosing collection (an empty scalar) or a leading blank line longer than the
   * indentation (an error for yaml).
   */
  function blockScalarEnd(pos: number, parentIndent: number): number {
    let nl = pos - 1;
    let indent = 0;
    let longest = 0;
    let i = pos;
    for (; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 32) indent++;
      else if (c === 10) {
        if (indent > longest) longest = indent;
        nl = i;
        indent = 0;
      } else break;
    }
    if (i >= text.length || indent <= parentIndent || longest > indent) return -1;
    for (;;) {
      const o = nl + 1;
      let n = 0;
      while (text.charCodeAt(o + n) === 32) n++;
      if (text.charCodeAt(o + n) !== 10 && n < indent) break;
      const next = text.indexOf('\n', o + n);
      if (next < 0) {
        nl = text.length;
        break;
      }
      nl = next;
    }
    for (;;) {
      const last = nl - 1;
      let j = last;
      while (text.charCodeAt(j) === 32) j--;
      if (j >= pos && text.charCodeAt(j) === 10 && j + 1 + indent > last) nl = j;
      else break;
    }
    return Math.min(nl + 1, text.length);
  }
}

/**
 * Drops the comments (and blank-line marks) from parsed documents, in place, so that a fallback parse
 * has the same shape as a fast one: no consumer of a scan's parse reads them (comment text is read
 * from the source where needed) and the incremental re-parse must match a full parse exactly.
 */
export function stripComments(docs: Document.Parsed[]): Document.Parsed[] {
  const stack: unknown[] = [];
  for (const d of docs) {
    d.comment = null;
    d.commentBefore = null;
    stack.push(d.contents);
  }
  while (stack.length) {
    const n = stack.pop() as Record<string, unknown> | null;
    if (!n || typeof n !== 'object') continue;
    if ('comment' in n) delete n.comment;
    if ('commentBefore' in n) delete n.commentBefore;
    if ('spaceBefore' in n) delete n.spaceBefore;
    if (n instanceof Pair) stack.push(n.key, n.value);
    else if (n instanceof YAMLMap || n instanceof YAMLSeq) for (const it of n.items) stack.push(it);
  }
  return docs;
}
