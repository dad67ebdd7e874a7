// Markdown links and bare URLs in a policy text, found in time linear in the text. The regular
// expressions these replace (`\[([^\]]*)\]\(…\)|\[([^\]]+)\]\s*\[[^\]]*\]|(?:https?:)?\/\/…`) scanned
// from every `[` to the next `]`, and from there to the next `)`: a hostile SECURITY.md of many
// unclosed `[` cost time in the square of its length. Here each scan for the next `]`, `)` or end of
// an address is done once per stretch (the answers are kept while the position has not passed them),
// and what follows a `]` is worked out once per `]`.

export interface LinkMatch {
  index: number;
  end: number;
  /** `[label](url)`: the label and the address. */
  label?: string;
  url?: string;
  /** `[label][ref]`: the label (looked up as a reference by the caller). */
  refLabel?: string;
}

/** The next position at or after `from` holding one of the characters `test` accepts, or -1; kept per stretch. */
class NextOf {
  private from = -1;
  private at = -1;
  constructor(
    private readonly text: string,
    private readonly test: (c: string) => boolean,
  ) {}
  find(from: number): number {
    if (this.from !== -1 && from >= this.from && (this.at === -1 || from <= this.at)) return this.at;
    let i = from;
    while (i < this.text.length && !this.test(this.text[i])) i++;
    this.from = from;
    this.at = i < this.text.length ? i : -1;
    return this.at;
  }
}

const isSpace = (c: string) => /\s/.test(c);
const BARE = /(?:https?:)?\/\/[^\s)<>\]]+/y;
const CANDIDATE = /\[|(?:https?:)?\/\//g;

/**
 * `[label](url)` links, `[label][ref]` references (when `refs`) and bare `//` addresses, left to
 * right, as one regular expression with those alternatives (in that order) would match them.
 */
export function* markdownLinks(text: string, refs: boolean): Generator<LinkMatch> {
  // One finder per call site: each is asked at positions that only grow, so its kept answer serves.
  const close = new NextOf(text, (c) => c === ']');
  const refClose = new NextOf(text, (c) => c === ']');
  const paren = new NextOf(text, (c) => c === ')');
  const urlStop = new NextOf(text, (c) => c === ')' || c === '>' || isSpace(c));
  // What follows each `]`: the inline link's end and address, and the reference's end.
  const inlineAfter = new Map<number, { end: number; url: string } | null>();
  const refAfter = new Map<number, number | null>();
  const inline = (c: number): { end: number; url: string } | null => {
    let r = inlineAfter.get(c);
    if (r !== undefined) return r;
    r = null;
    if (text[c + 1] === '(') {
      let i = c + 2;
      while (i < text.length && isSpace(text[i])) i++;
      const end = paren.find(i);
      if (end >= 0) {
        // `<?([^)\s>]+)`: an address after an optional `<`; when nothing follows the `<` but a `>`,
        // the `<` itself is the address (as the expression backtracks).
        const start = text[i] === '<' ? i + 1 : i;
        let stop = urlStop.find(start);
        if (stop < 0) stop = text.length;
        if (stop > start) r = { end: end + 1, url: text.slice(start, stop) };
        else if (start === i + 1) r = { end: end + 1, url: '<' };
      }
    }
    inlineAfter.set(c, r);
    return r;
  };
  const reference = (c: number): number | null => {
    let r = refAfter.get(c);
    if (r !== undefined) return r;
    r = null;
    let i = c + 1;
    while (i < text.length && isSpace(text[i])) i++;
    if (text[i] === '[') {
      const e = refClose.find(i + 1);
      if (e >= 0) r = e + 1;
    }
    refAfter.set(c, r);
    return r;
  };
  CANDIDATE.lastIndex = 0;
  for (let m = CANDIDATE.exec(text); m; m = CANDIDATE.exec(text)) {
    const p = m.index;
    let hit: LinkMatch | undefined;
    if (text[p] === '[') {
      const c = close.find(p + 1);
      if (c >= 0) {
        const a = inline(c);
        if (a) hit = { index: p, end: a.end, label: text.slice(p + 1, c), url: a.url };
        else if (refs && c > p + 1) {
          const e = reference(c);
          if (e !== null) hit = { index: p, end: e, refLabel: text.slice(p + 1, c) };
        }
      }
    } else {
      BARE.lastIndex = p;
      const b = BARE.exec(text);
      if (b) hit = { index: p, end: p + b[0].length };
    }
    if (hit) {
      yield hit;
      CANDIDATE.lastIndex = hit.end;
    } else CANDIDATE.lastIndex = p + 1;
  }
}
