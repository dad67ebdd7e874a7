// Where in a script an expression sits, so its replacement by an environment variable keeps the same
// quoting. Each scanner walks the script text (the decoded YAML value, i.e. what the shell receives)
// up to an offset and reports the lexical state there. They are deliberately small: they need to be
// right about quotes, comments and here-documents, not to parse the language.

export type ShellState = 'plain' | 'double' | 'single' | 'heredoc' | 'heredoc-quoted' | 'comment';

/** POSIX shells (bash, sh): quotes, backslashes, `#` comments and `<<EOF` here-documents. */
export function posixStateAt(script: string, offset: number): ShellState {
  let state: 'plain' | 'double' | 'single' | 'comment' = 'plain';
  const pending: { delim: string; quoted: boolean; strip: boolean }[] = [];
  let heredoc: { delim: string; quoted: boolean; strip: boolean } | undefined;
  let i = 0;
  let lineStart = true;
  while (i < offset) {
    if (heredoc) {
      // Inside a here-document: whole lines until the delimiter line.
      const nl = script.indexOf('\n', i);
      const lineEnd = nl === -1 ? script.length : nl;
      if (offset <= lineEnd) return heredoc.quoted ? 'heredoc-quoted' : 'heredoc';
      const line = script.slice(i, lineEnd).replace(/\r$/, '');
      if ((heredoc.strip ? line.replace(/^\t+/, '') : line) === heredoc.delim || line.trim() === heredoc.delim) heredoc = pending.shift();
      i = lineEnd + 1;
      lineStart = true;
      continue;
    }
    const c = script[i];
    if (state === 'comment') {
      if (c === '\n') {
        state = 'plain';
        heredoc = pending.shift();
        lineStart = true;
      }
      i++;
      continue;
    }
    if (state === 'single') {
      if (c === "'") state = 'plain';
      i++;
      continue;
    }
    if (state === 'double') {
      if (c === '\\') i += 2;
      else {
        if (c === '"') state = 'plain';
        i++;
      }
      continue;
    }
    // plain
    if (c === '\\') {
      i += 2;
      lineStart = false;
      continue;
    }
    if (c === "'") state = 'single';
    else if (c === '"') state = 'double';
    else if (c === '#' && (lineStart || /\s/.test(script[i - 1] ?? ' '))) state = 'comment';
    else if (c === '<' && script[i + 1] === '<' && script[i + 2] !== '<') {
      const m = /^<<(-?)\s*(['"]?)([A-Za-z0-9_.-]+)\2/.exec(script.slice(i));
      if (m) {
        pending.push({ delim: m[3], quoted: m[2] !== '', strip: m[1] === '-' });
        i += m[0].length;
        lineStart = false;
        continue;
      }
    } else if (c === '\n') {
      heredoc = pending.shift();
      lineStart = true;
      i++;
      continue;
    }
    lineStart = c === ' ' || c === '\t' ? lineStart : false;
    i++;
  }
  return heredoc ? (heredoc.quoted ? 'heredoc-quoted' : 'heredoc') : state;
}

/** PowerShell: '…' (with '' escape), "…" (with backtick escape), `#` comments. */
export function pwshStateAt(script: string, offset: number): ShellState {
  let state: 'plain' | 'double' | 'single' | 'comment' = 'plain';
  for (let i = 0; i < offset; i++) {
    const c = script[i];
    if (state === 'comment') {
      if (c === '\n') state = 'plain';
    } else if (state === 'single') {
      if (c === "'" && script[i + 1] === "'") i++;
      else if (c === "'") state = 'plain';
    } else if (state === 'double') {
      if (c === '`') i++;
      else if (c === '"') state = 'plain';
    } else if (c === '`') i++;
    else if (c === "'") state = 'single';
    else if (c === '"') state = 'double';
    else if (c === '#') state = 'comment';
  }
  return state;
}

export type JsState = 'code' | 'single' | 'double' | 'template' | 'comment';

/** JavaScript (actions/github-script): strings, template literals (one level) and comments. */
export function jsStateAt(script: string, offset: number): JsState {
  let state: JsState = 'code';
  let block = false;
  for (let i = 0; i < offset; i++) {
    const c = script[i];
    if (state === 'comment') {
      if (block && c === '*' && script[i + 1] === '/') {
        state = 'code';
        i++;
      } else if (!block && c === '\n') state = 'code';
    } else if (state === 'single' || state === 'double') {
      if (c === '\\') i++;
      else if ((state === 'single' && c === "'") || (state === 'double' && c === '"')) state = 'code';
    } else if (state === 'template') {
      if (c === '\\') i++;
      else if (c === '`') state = 'code';
    } else if (c === '/' && script[i + 1] === '/') {
      state = 'comment';
      block = false;
      i++;
    } else if (c === '/' && script[i + 1] === '*') {
      state = 'comment';
      block = true;
      i++;
    } else if (c === "'") state = 'single';
    else if (c === '"') state = 'double';
    else if (c === '`') state = 'template';
  }
  return state;
}
