import type { Position } from '../model';

// Text helpers shared by parsing, findings and fixes. Offsets are indexes into the decoded string.

export interface DecodedText {
  text: string;
  /** Why the bytes are not clean UTF-8 text, when they are not. */
  problem?: string;
  hadBom: boolean;
}

export function decodeText(bytes: Uint8Array): DecodedText {
  const sample = bytes.subarray(0, 8000);
  if (sample.includes(0)) return { text: '', problem: 'is a binary file (contains NUL bytes)', hadBom: false };
  let hadBom = false;
  let start = 0;
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    hadBom = true;
    start = 3;
  }
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(start));
    return { text, hadBom };
  } catch {
    const text = new TextDecoder('utf-8').decode(bytes.subarray(start));
    return { text, hadBom, problem: 'is not valid UTF-8 (invalid bytes were replaced while reading)' };
  }
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
  const crlf = (text.match(/\r\n/g) ?? []).length;
  const lf = (text.match(/\n/g) ?? []).length - crlf;
  return crlf > lf ? '\r\n' : '\n';
}

export function indentOf(line: string): string {
  return /^[ \t]*/.exec(line)![0];
}
