// What kind of file a path is, the way GitHub and the tools around it interpret it.

export type FileKind =
  | 'workflow'
  | 'action'
  | 'dependabot'
  | 'renovate'
  | 'security-policy'
  | 'codeowners'
  | 'license'
  | 'dockerfile'
  | 'security-insights'
  | 'steward-config'
  | 'zizmor-config'
  | 'other';

/** Kinds whose content the engine parses as YAML. */
export const YAML_KINDS: ReadonlySet<FileKind> = new Set([
  'workflow',
  'action',
  'dependabot',
  'security-insights',
  'steward-config',
  'zizmor-config',
]);

const SECURITY_POLICY = /^(?:|\.github\/|docs\/)security\.(?:md|markdown|rst|adoc|txt)$/i;
const SECURITY_POLICY_BARE = /^(?:|\.github\/|docs\/)security$/i;

// Every scan classifies every path several times (the engine, repository-level checks); the answer
// depends on the path alone. Bounded so a long-lived editor process does not grow without limit.
const classified = new Map<string, FileKind>();
const MAX_CLASSIFIED = 200_000;

/**
 * Lower-case first characters of every base name a kind below can have (action.yml, renovate.json,
 * .renovaterc, security*, steward.yml, codeowners, copying, containerfile, licen[cs]e, unlicense,
 * dockerfile, dependabot.yml, zizmor.yml). Workflows live under `.github/`; the other dockerfile form
 * ends in `.dockerfile`. Any other path is 'other' without further tests: most paths of a repository are.
 */
const FIRST_CHARS = new Set(['a', 'r', '.', 's', 'c', 'l', 'u', 'd', 'z']);
/** FIRST_CHARS by character code, upper-case ASCII letters too: no one-character string per path. */
const FIRST_CODES = new Uint8Array(128);
for (const c of FIRST_CHARS) FIRST_CODES[c.charCodeAt(0)] = FIRST_CODES[c.toUpperCase().charCodeAt(0)] = 1;

/**
 * Below a folder other than `.github/`, `.gitlab/` and `docs/` (in any case), only an action
 * (action.yml) or a Dockerfile (dockerfile*, containerfile*, *.dockerfile) is of a kind: every other
 * kind lives at the root or in one of those folders. Their base names' first characters, by code.
 */
const DEEP_FIRST_CHARS = new Set(['a', 'd', 'c']);
const DEEP_FIRST_CODES = new Uint8Array(128);
for (const c of DEEP_FIRST_CHARS) DEEP_FIRST_CODES[c.charCodeAt(0)] = DEEP_FIRST_CODES[c.toUpperCase().charCodeAt(0)] = 1;

/** Whether `path` at `at` reads `lit` (lower-case ASCII letters and punctuation) with ASCII letters in any case. */
function readsAt(path: string, at: number, lit: string): boolean {
  for (let k = 0; k < lit.length; k++) {
    const c = path.charCodeAt(at + k);
    const l = lit.charCodeAt(k);
    // `| 0x20` lower-cases an ASCII letter and turns no other character into one.
    if (c !== l && !(l >= 0x61 && l <= 0x7a && (c | 0x20) === l)) return false;
  }
  return true;
}

/**
 * Whether the folder part of `path` (its first `end` characters, the last `/` included) is the root's
 * `.github/`, `.gitlab/` or `docs/` as classify() compares them (lower-cased, or /i). No character
 * beyond ASCII can be one of their letters: lower-casing gives ASCII only for the Kelvin sign (k, in
 * none of them), and /i without the u flag never matches such a character to an ASCII one.
 */
function kindFolder(path: string, end: number): boolean {
  if (end === 5) return readsAt(path, 0, 'docs/');
  if (end === 8) return readsAt(path, 0, '.github/') || readsAt(path, 0, '.gitlab/');
  return false;
}

function endsDockerfile(path: string, i: number): boolean {
  // Only `.` lower-cases to `.`: the slice is needed only when the character there is one.
  return path.length - i > 11 && path.charCodeAt(path.length - 11) === 0x2e && path.slice(-11).toLowerCase() === '.dockerfile';
}

function mayHaveKind(path: string): boolean {
  if (path.startsWith('.github/')) return true;
  const i = path.lastIndexOf('/') + 1;
  const c = path.charCodeAt(i);
  if (i > 0 && !kindFolder(path, i)) {
    if (c < 128 ? DEEP_FIRST_CODES[c] === 1 : DEEP_FIRST_CHARS.has(path.charAt(i).toLowerCase())) return true;
    return endsDockerfile(path, i);
  }
  // Beyond ASCII, lower-casing may give one of them (the Kelvin sign gives k): the old test decides.
  if (c < 128 ? FIRST_CODES[c] === 1 : FIRST_CHARS.has(path.charAt(i).toLowerCase())) return true;
  return endsDockerfile(path, i);
}

export function classifyPath(path: string): FileKind {
  if (!mayHaveKind(path)) return 'other';
  let kind = classified.get(path);
  if (kind === undefined) {
    kind = classify(path);
    if (classified.size >= MAX_CLASSIFIED) classified.clear();
    classified.set(path, kind);
  }
  return kind;
}

const kindsByPaths = new WeakMap<readonly string[], FileKind[]>();

/**
 * classifyPath() of every path of `paths`, in the same order, worked out once per path list: the
 * engine (which files to load) and several repository checks look for files of a kind among every
 * path of a scan, and they are given the same list. Do not change the list.
 */
export function pathKinds(paths: readonly string[]): readonly FileKind[] {
  let kinds = kindsByPaths.get(paths);
  if (!kinds) {
    kinds = new Array<FileKind>(paths.length);
    for (let i = 0; i < paths.length; i++) kinds[i] = classifyPath(paths[i]);
    kindsByPaths.set(paths, kinds);
  }
  return kinds;
}

function classify(path: string): FileKind {
  const lower = path.toLowerCase();
  const base = lower.slice(lower.lastIndexOf('/') + 1);
  if (/^\.github\/workflows\/[^/]+\.ya?ml$/.test(path)) return 'workflow';
  if (base === 'action.yml' || base === 'action.yaml') return 'action';
  if (lower === '.github/dependabot.yml' || lower === '.github/dependabot.yaml') return 'dependabot';
  if (/^(?:|\.github\/|\.gitlab\/)(?:renovate\.json5?|\.renovaterc(?:\.json5?)?)$/.test(lower)) return 'renovate';
  if (SECURITY_POLICY.test(path) || SECURITY_POLICY_BARE.test(path)) return 'security-policy';
  if (lower === 'codeowners' || lower === '.github/codeowners' || lower === 'docs/codeowners') return 'codeowners';
  if (!lower.includes('/') && /^(?:licen[cs]e|copying|unlicense)(?:[.-].*)?$/.test(base)) return 'license';
  if (isDockerfileName(base)) return 'dockerfile';
  if (/^(?:|\.github\/)security-insights\.ya?ml$/.test(lower)) return 'security-insights';
  if (lower === '.github/steward.yml' || lower === '.github/steward.yaml') return 'steward-config';
  if (/^(?:|\.github\/)zizmor\.ya?ml$/.test(lower)) return 'zizmor-config';
  return 'other';
}

// Suffixes that make `dockerfile.<x>` a source, data or documentation file about Dockerfiles (a Go
// parser's `dockerfile.go`, `dockerfile.md`) rather than a Dockerfile variant (`Dockerfile.dev`,
// `Dockerfile.alpine`, `Containerfile.ci`), which Docker and Dependabot read by naming convention.
const NOT_DOCKERFILE_SUFFIX = new Set([
  'go', 'js', 'mjs', 'cjs', 'ts', 'tsx', 'jsx', 'py', 'rb', 'rs', 'java', 'kt', 'scala', 'cs', 'fs', 'vb', 'c', 'h', 'cc', 'cpp', 'hpp',
  'swift', 'php', 'pl', 'lua', 'ex', 'exs', 'erl', 'hs', 'ml', 'clj', 'dart', 'groovy', 'sh', 'bash', 'ps1', 'bat',
  'md', 'markdown', 'rst', 'txt', 'adoc', 'html', 'json', 'yml', 'yaml', 'toml', 'xml', 'ini', 'cfg', 'j2', 'jinja', 'tmpl', 'tpl',
  'snap', 'golden', 'orig', 'bak', 'swp', 'patch', 'diff', 'lock', 'sum', 'test', 'spec', 'dockerignore',
]);

/**
 * Whether a base name is a Dockerfile as Docker tooling names them: `Dockerfile`, `Containerfile`,
 * `Dockerfile.<variant>` and `<name>.Dockerfile`; not `dockerfile.go` or `Dockerfile_test.go`.
 */
export function isDockerfileName(base: string): boolean {
  const lower = base.toLowerCase();
  if (lower.endsWith('.dockerfile') && lower.length > '.dockerfile'.length) return true;
  const m = /^(?:dockerfile|containerfile)(?:\.([^/]+))?$/.exec(lower);
  if (!m) return false;
  if (m[1] === undefined) return true;
  const last = m[1].slice(m[1].lastIndexOf('.') + 1);
  return !NOT_DOCKERFILE_SUFFIX.has(last);
}

/**
 * A single file given on the command line outside a repository layout: classify by name first, and
 * for YAML whose name says nothing, by content (a workflow has `jobs:` and `on:`; an action has `runs:`).
 */
export function classifyLoose(path: string, text: string | undefined): FileKind {
  const byPath = classifyPath(path);
  if (byPath !== 'other') return byPath;
  const base = path.slice(path.lastIndexOf('/') + 1).toLowerCase();
  if (base === 'dependabot.yml' || base === 'dependabot.yaml') return 'dependabot';
  if (/^security\.(md|markdown|rst|adoc)$/.test(base)) return 'security-policy';
  if (base === 'codeowners') return 'codeowners';
  if (/\.ya?ml$/.test(base) && text !== undefined) {
    const head = text.slice(0, 200_000);
    if (/^jobs\s*:/m.test(head) && /^(?:on|"on"|'on'|true)\s*:/m.test(head)) return 'workflow';
    if (/^runs\s*:/m.test(head)) return 'action';
    if (/^version\s*:\s*["']?2/m.test(head) && /^updates\s*:/m.test(head)) return 'dependabot';
  }
  return 'other';
}

/** For tests: the pre-test of classifyPath() and the classification it stands in front of. */
export const classifyTests = { mayHaveKind, classify };
