// A bound on how deeply a YAML text nests, read without parsing it. The `yaml` parser recurses once
// per level, and V8 cannot always report what happens near the end of the stack as an error: with
// 1,000 nested `[` the second parse in a process ended it ("RegExpCompiler Allocation failed -
// process out of memory"), so a hostile repository's YAML file crashed the command line and the
// editor's extension host. Texts whose bound exceeds the limit are refused before they are parsed.
//
// The bound counts block levels (the stack of indentations, and `- ` indicators on one line) plus
// flow levels (`[` and `{` that open a collection: inside one, or where a value starts). Quoted
// scalars, comments and block scalars' contents are skipped, so a script full of brackets does not
// count. It may count a level the parser would not see (a bound), never miss one that it does.

const isSpace = (c: number) => c === 32 || c === 9 || c === 13 || c === 10;

/** The position of the quote that closes the quoted scalar opened at `at` (the text's length when none does). */
function quotedEnd(text: string, at: number): number {
  const q = text[at];
  let k = at + 1;
  for (; k < text.length; k++) {
    if (q === "'" && text[k] === "'") {
      if (text[k + 1] !== "'") break;
      k++;
    } else if (q === '"' && text[k] === '\\') k++;
    else if (q === '"' && text[k] === '"') break;
  }
  return k;
}

/** The deepest nesting `text` can have, or more than `limit` as soon as it is known to exceed it. */
export function nestingBound(text: string, limit: number): number {
  // Open block levels by indentation; `keyLine` marks a line's own level when it did not start with
  // `- ` (a sequence may sit at its key's indentation: `steps:` then `- uses:` below it, one deeper).
  const indents: number[] = [];
  const keyLine: boolean[] = [];
  let max = 0;
  let flow = 0;
  let blockScalarParent = -1;
  let i = 0;
  const n = text.length;
  while (i < n) {
    // One line.
    let lineEnd = text.indexOf('\n', i);
    if (lineEnd < 0) lineEnd = n;
    let j = i;
    while (j < lineEnd && (text[j] === ' ' || text[j] === '\t')) j++;
    const indent = j - i;
    const blank = j >= lineEnd || text[j] === '\r' || (text[j] === '#' && flow === 0);
    if (blockScalarParent >= 0) {
      if (blank || indent > blockScalarParent) {
        i = lineEnd + 1;
        continue;
      }
      blockScalarParent = -1;
    }
    if (blank) {
      i = lineEnd + 1;
      continue;
    }
    if (flow === 0) {
      const dash = (text[j] === '-' || text[j] === '?') && j + 1 < lineEnd && (text[j + 1] === ' ' || text[j + 1] === '\t');
      while (indents.length) {
        const top = indents[indents.length - 1];
        if (top < indent || (top === indent && dash && keyLine[keyLine.length - 1])) break;
        indents.pop();
        keyLine.pop();
      }
      indents.push(indent);
      keyLine.push(!dash);
      // `- - - x`: each indicator opens a level on this line.
      while (j + 1 < lineEnd && (text[j] === '-' || text[j] === '?') && (text[j + 1] === ' ' || text[j + 1] === '\t')) {
        indents.push(j - i + 1);
        keyLine.push(false);
        j += 2;
        while (j < lineEnd && (text[j] === ' ' || text[j] === '\t')) j++;
      }
    }
    // Where the line's own node starts (after any `- `): a block scalar's content is indented past it.
    const contentColumn = j - i;
    let valueStart = true;
    for (; j < lineEnd; j++) {
      const c = text[j];
      if (c === '#' && (j === i || isSpace(text.charCodeAt(j - 1)))) break;
      if ((c === "'" || c === '"') && valueStart) {
        // To the closing quote (`''` escapes a single quote, `\` a character in double quotes); a
        // quoted scalar may go on over lines.
        const k = quotedEnd(text, j);
        j = k;
        if (k >= lineEnd) {
          lineEnd = text.indexOf('\n', Math.min(k, n));
          if (lineEnd < 0) lineEnd = n;
        }
        valueStart = false;
        continue;
      }
      if ((c === '[' || c === '{') && (flow > 0 || valueStart)) {
        flow++;
        if (indents.length + flow > max) max = indents.length + flow;
        if (max > limit) return max;
        valueStart = true;
        continue;
      }
      if ((c === ']' || c === '}') && flow > 0) {
        flow--;
        valueStart = false;
        continue;
      }
      if (c === ',' && flow > 0) valueStart = true;
      else if ((c === ':' || c === '-' || c === '?') && (j + 1 >= lineEnd || isSpace(text.charCodeAt(j + 1)))) valueStart = true;
      else if (!isSpace(text.charCodeAt(j))) valueStart = false;
    }
    if (indents.length + flow > max) max = indents.length + flow;
    if (max > limit) return max;
    // A block scalar header (`key: |`, `- >-`, `|2+`): its content lines are text.
    if (flow === 0) {
      let k = j - 1;
      while (k >= i && isSpace(text.charCodeAt(k))) k--;
      // Most lines end in a letter or a quote: the header pattern is tried only after `|`, `>`, a digit, `+` or `-`.
      if (k >= i && '|>+-0123456789'.includes(text[k]) && /(?:^|[\s:-])[|>][-+0-9]*$/.test(text.slice(i, k + 1))) blockScalarParent = contentColumn;
    }
    i = lineEnd + 1;
  }
  return max;
}
