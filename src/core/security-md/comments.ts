/**
 * `text` with each HTML comment (`<!-- … -->`) replaced by `replace(comment)`. The first `-->` after a
 * `<!--` closes it; with none after, no later `<!--` is closed either, so the scan stops there (the
 * expression `<!--[\s\S]*?-->` scanned to the end from every unclosed `<!--`: the square of a hostile
 * policy's length).
 */
export function replaceHtmlComments(text: string, replace: (comment: string) => string): string {
  let out = '';
  let at = 0;
  for (let open = text.indexOf('<!--'); open >= 0; open = text.indexOf('<!--', at)) {
    const close = text.indexOf('-->', open + 4);
    if (close < 0) break;
    out += text.slice(at, open) + replace(text.slice(open, close + 3));
    at = close + 3;
  }
  return at === 0 ? text : out + text.slice(at);
}
