import type { Position } from '../model';

// Text helpers shared by parsing, findings and fixes. Offsets are indexes into the decoded string.

export type TextEncoding = 'utf-8' | 'utf-16le' | 'utf-16be';

export interface DecodedText {
  text: string;
  /** Why the bytes are not clean text, when they are not. */
  problem?: string;
  hadBom: boolean;
  /** How the bytes were decoded; absent means UTF-8. A file is written back in the same encoding. */
  encoding?: TextEncoding;
}

export function decodeText(bytes: Uint8Array): DecodedText {
  // A UTF-16 file with a byte-order mark is text full of NUL bytes: look at the mark before calling
  // anything binary. (Without a mark UTF-16 cannot be told from binary reliably, and GitHub itself
  // reads workflows as UTF-8.)
  if (bytes.length >= 2 && ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff))) {
    const encoding: TextEncoding = bytes[0] === 0xff ? 'utf-16le' : 'utf-16be';
    const body = bytes.subarray(2);
    try {
      if (body.length % 2) throw new Error('odd length');
      return { text: new TextDecoder(encoding, { fatal: true, ignoreBOM: true }).decode(body), hadBom: true, encoding };
    } catch {
      return { text: '', hadBom: true, encoding, problem: `is not valid ${encoding === 'utf-16le' ? 'UTF-16LE' : 'UTF-16BE'} text (it starts with a UTF-16 byte-order mark)` };
    }
  }
  const sample = bytes.subarray(0, 8000);
  if (sample.includes(0)) return { text: '', problem: 'is a binary file (contains NUL bytes)', hadBom: false };
  let hadBom = false;
  let start = 0;
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    hadBom = true;
    start = 3;
  }
  try {
    const text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes.subarray(start));
    return { text, hadBom };
  } catch {
    const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes.subarray(start));
    return { text, hadBom, problem: 'is not valid UTF-8 (invalid bytes were replaced while reading)' };
  }
}

/** The bytes of `text` in the encoding it was read in (decodeText's inverse), BOM included when it had one. */
export function encodeText(text: string, opts: { hadBom: boolean; encoding?: TextEncoding }): Uint8Array {
  if (opts.encoding === 'utf-16le' || opts.encoding === 'utf-16be') {
    const le = Buffer.from(text, 'utf16le');
    const out = Buffer.alloc(le.length + 2);
    if (opts.encoding === 'utf-16le') {
      out[0] = 0xff;
      out[1] = 0xfe;
      le.copy(out, 2);
    } else {
      out[0] = 0xfe;
      out[1] = 0xff;
      for (let i = 0; i + 1 < le.length; i += 2) {
        out[i + 2] = le[i + 1];
        out[i + 3] = le[i];
      }
    }
    return out;
  }
  const body = Buffer.from(text, 'utf8');
  return opts.hadBom ? Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), body]) : body;
}

/**
 * The text with every lone CR (old Mac line break) turned into LF. One character for one, so offsets
 * into the result are offsets into the original. YAML counts a lone CR as a line break, but the yaml
 * package and most edit code look only for LF: checks and fixes work on this form, and the fix engine
 * maps the result back to the file's own line breaks.
 */
export function normalizeLoneCr(text: string): string {
  return text.includes('\r') ? text.replace(/\r(?!\n)/g, '\n') : text;
}

/** The line break a file uses most, counting lone CR too (for writing inserted lines back). */
export function dominantBreak(text: string): '\n' | '\r\n' | '\r' {
  if (!text.includes('\r')) return '\n';
  const crlf = (text.match(/\r\n/g) ?? []).length;
  const cr = (text.match(/\r(?!\n)/g) ?? []).length;
  const lf = (text.match(/\n/g) ?? []).length - crlf;
  if (cr > crlf && cr > lf) return '\r';
  return crlf > lf ? '\r\n' : '\n';
}

/** Maps offsets to 1-based line/column and back, for one text. */
export class LineIndex {
  readonly starts: number[] = [0];
  constructor(readonly text: string) {
    if (!text.includes('\r')) {
      // The common case (LF only): indexOf runs natively, several times faster than a character loop.
      for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) this.starts.push(i + 1);
      return;
    }
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 10) this.starts.push(i + 1);
      else if (c === 13 && text.charCodeAt(i + 1) !== 10) this.starts.push(i + 1);
    }
  }
  get lineCount(): number {
    return this.starts.length;
  }
  position(offset: number): Position {
    const o = Math.max(0, Math.min(offset, this.text.length));
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= o) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: o - this.starts[lo] + 1 };
  }
  offset(pos: Position): number {
    const start = this.starts[Math.max(0, Math.min(pos.line - 1, this.starts.length - 1))];
    return Math.min(start + pos.column - 1, this.text.length);
  }
  /** Start offset of a 1-based line. */
  lineStart(line: number): number {
    return this.starts[Math.max(0, Math.min(line - 1, this.starts.length - 1))];
  }
  /** End offset of a 1-based line, before its line break. */
  lineEnd(line: number): number {
    const next = line < this.starts.length ? this.starts[line] : this.text.length + 1;
    let end = next - 1;
    if (line < this.starts.length) {
      if (this.text.charCodeAt(end - 1) === 13 && this.text.charCodeAt(end) === 10) end -= 1;
    } else {
      end = this.text.length;
    }
    return end;
  }
  lineText(line: number): string {
    return this.text.slice(this.lineStart(line), this.lineEnd(line));
  }
}

/** The line break a file predominantly uses, so inserted lines match it. */
export function detectEol(text: string): '\n' | '\r\n' {
  // Every fix of a file asks again (a 34k-job workflow has tens of thousands of fixes): counting the
  // whole text each time made fixing quadratic, so the answer for the last text is kept.
  if (eolMemo && eolMemo.text === text) return eolMemo.eol;
  let crlf = 0;
  let lf = 0;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) {
    if (i > 0 && text.charCodeAt(i - 1) === 13) crlf++;
    else lf++;
  }
  const eol = crlf > lf ? '\r\n' : '\n';
  eolMemo = { text, eol };
  return eol;
}
let eolMemo: { text: string; eol: '\n' | '\r\n' } | undefined;

export function indentOf(line: string): string {
  return /^[ \t]*/.exec(line)![0];
}
