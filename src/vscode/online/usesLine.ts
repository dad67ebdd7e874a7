import { parseUses, VERSION_COMMENT } from '../../core/yaml/uses';

// Reading a `uses:` line for the pin-evidence hover (pure, unit-tested): where the value is, which
// action and ref it names, and the version its comment claims (`@<sha> # v4.2.2`).

export interface UsesLine {
  /** The value without quotes. */
  value: string;
  /** 0-based columns of the value (quotes included). */
  start: number;
  end: number;
  owner: string;
  repo: string;
  path?: string;
  ref: string;
  pinned: boolean;
  /** The version named by the trailing comment, when it is a version note. */
  commentVersion?: string;
}

const USES = /^(\s*(?:-\s+)?)uses\s*:[ \t]+/;

export function parseUsesLine(line: string): UsesLine | undefined {
  const m = USES.exec(line);
  if (!m) return undefined;
  const start = m[0].length;
  let value: string;
  let end: number;
  const q = line[start];
  if (q === '"' || q === "'") {
    const close = line.indexOf(q, start + 1);
    if (close < 0) return undefined;
    value = line.slice(start + 1, close);
    end = close + 1;
  } else {
    const rest = line.slice(start);
    const hash = rest.search(/\s#/);
    value = (hash < 0 ? rest : rest.slice(0, hash)).trimEnd();
    end = start + value.length;
  }
  if (!value || value.includes('${{')) return undefined;
  const u = parseUses(value);
  if (u.kind !== 'repo') return undefined;
  const after = line.slice(end);
  const c = /^\s+(#.*)$/.exec(after);
  const vm = c ? VERSION_COMMENT.exec(c[1]) : null;
  return {
    value,
    start,
    end,
    owner: u.owner,
    repo: u.repo,
    path: u.path,
    ref: u.ref,
    pinned: u.pinned,
    ...(vm && vm.index === 0 ? { commentVersion: vm[1] } : {}),
  };
}

/** Escapes text for Markdown so repository text cannot add links, emphasis or HTML. */
export function escapeMarkdown(s: string): string {
  return s.replace(/[\\`*_{}[\]()#+\-.!|<>~]/g, '\\$&');
}
