import { parseEvents, getScalarValue, EVENT_ID } from 'js-yaml';
import type { ScalarEvent } from 'js-yaml';
import { Composer, Document, Scalar, YAMLMap, YAMLSeq, Pair, Alias, isScalar } from 'yaml';

/**
 * A faster front end for the common case: js-yaml 5's event parser (no AST, source offsets only)
 * feeding real `yaml` nodes with the same ranges, values, styles and anchors parseAllDocuments gives.
 * Comments are not attached (no consumer of a scan's parse reads them). Anything it cannot reproduce
 * exactly makes it decline (undefined) and the caller parses with `yaml` as before.
 */

type Opts = { prettyErrors: false; strict: false; uniqueKeys: false };

/** Inputs this front end never takes: tags, directives, document markers, CRs, tabs, BOM, complex keys. */
const DECLINE = /[\r\t\uFEFF]|(?:^|\n)(?:---|\.\.\.|%)|(?:^|\n)[ -]*\?(?:[ \n]|$)/;

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
  if (text.length === 0 || DECLINE.test(text)) return undefined;
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
  const onError = () => {
    failed = true;
  };
  const anchorName = (s: number, e: number) => (s < 0 ? undefined : text.slice(s, e));

  const add = (node: Scalar | YAMLMap | YAMLSeq | Alias) => {
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
    switch (ev.type) {
      case EVENT_ID.DOCUMENT: {
        if (doc || ev.explicitStart || ev.explicitEnd || ev.directives.length) return undefined;
        // as parseAllDocuments does: the document's directives come from its composer's
        doc = new Document(undefined, Object.assign({ _directives: (new Composer(options) as unknown as { directives: never }).directives }, options));
        schema = doc.schema;
        tags = (doc.schema as unknown as { tags: typeof tags }).tags;
        break;
      }
      case EVENT_ID.SCALAR: {
        // an anchored key (or an anchor that may belong to the mapping the key opens) is declined
        if (ev.tagStart >= 0 || (ev.anchorStart >= 0 && isKeyPos())) return undefined;
        const s = scalar(ev);
        if (!s) return undefined;
        if (ev.anchorStart >= 0) s.anchor = anchorName(ev.anchorStart, ev.anchorEnd);
        add(s);
        break;
      }
      case EVENT_ID.ALIAS: {
        const a = new Alias(text.slice(ev.anchorStart, ev.anchorEnd));
        const e = ev.anchorEnd;
        a.range = [ev.anchorStart - 1, e, inFlow() || isKeyPos() ? e : blockEnd(e)];
        if (isKeyPos() || (!inFlow() && deeperCommentAt(a.range[2]))) return undefined;
        add(a);
        break;
      }
      case EVENT_ID.MAPPING:
      case EVENT_ID.SEQUENCE: {
        if (ev.tagStart >= 0 || isKeyPos()) return undefined;
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
          doc.range = [c.range[0], c.range[2], text.length];
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
          f.node.range = [f.start, ve, f.tight ? ve : blockEnd(ve)];
          if (!f.tight && deeperCommentAt(f.node.range[2])) return undefined;
        } else {
          if (!items.length) return undefined;
          const last = end(items[items.length - 1]);
          const parent = stack[stack.length - 1];
          const e = commentsAfter(last, column(f.start), parent ? column(parent.start) : -1, !parent);
          if (Number.isNaN(e)) return undefined;
          f.node.range = [f.start, last, e];
        }
        break;
      }
    }
  }
  if (failed || stack.length || !docs.length || docs.length !== 1) return undefined;
  return docs;

  /**
   * A block collection's end takes in the blank and comment lines after its last item, and the
   * indentation of the next content line, when one of those comment lines is indented at least as
   * far as the collection and further than the enclosing one. This is what yaml's parser does, derived
   * by comparing with it on the corpus. After the root collection the comments belong to the document.
   */
  function commentsAfter(e: number, indent: number, parentIndent: number, root: boolean): number {
    if (root) return e;
    let took = false;
    const stop = commentLines(e, (start, hash) => {
      if (hash - start >= indent && hash - start > parentIndent) took = true;
      return false;
    });
    return took ? stop : e;
  }

  /**
   * Whether the blank and comment lines from `p` hold a comment indented further than the innermost
   * open collection: yaml then stretches the preceding node over them in ways not reproduced here.
   */
  function deeperCommentAt(p: number, than?: number): boolean {
    const top = stack[stack.length - 1];
    if (!top || top.flow) return false;
    const indent = than ?? column(top.start);
    return commentLines(p, (start, hash) => hash - start > indent) < 0;
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
        // an empty value: yaml puts it at the end of the preceding token
        return undefined;
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
      // yaml ends a clipped or stripped block scalar after its last non-blank line
      let e = ve;
      while (e > ev.valueStart) {
        const ls = text.lastIndexOf('\n', e - 2) + 1;
        if (text.slice(ls, e).trim() !== '') break;
        e = ls;
      }
      ve = e;
      s = new Scalar(value);
      s.type = style === 4 ? 'BLOCK_LITERAL' : 'BLOCK_FOLDED';
      s.range = [start, ve, ve];
      s.source = value;
      // a comment line after a block scalar, at any indentation, may be stretched into its range
      return deeperCommentAt(ve, -1) ? undefined : s;
    }
    s.source = value;
    if (key && !flow && text.charCodeAt(ve) !== 58) return undefined;
    let e = ve;
    if (flow) while (text.charCodeAt(e) === 32) e++;
    s.range = [start, ve, key || flow ? e : blockEnd(ve)];
    if (!key && !flow && deeperCommentAt(s.range[2])) return undefined;
    return s;
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
