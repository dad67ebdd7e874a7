// Parsing `uses:` references the way the Actions runner does.

export type UsesRef =
  /**
   * An action or reusable workflow in this repository: `./path` (from the workspace, needs a checkout)
   * or `$/path` (self-repository syntax, resolved at the running commit; `self` is set and `path` is
   * given in `./` form so both read the same file).
   */
  | { kind: 'local'; path: string; raw: string; self?: boolean; obfuscated?: string }
  | { kind: 'docker'; image: string; tag?: string; digest?: string; raw: string }
  | {
      kind: 'repo';
      owner: string;
      repo: string;
      /** Sub-path inside the repository (actions in sub-folders, reusable workflow files). */
      path?: string;
      ref: string;
      /** The ref is a full 40-hex commit SHA (or 64-hex for SHA-256 repositories). */
      pinned: boolean;
      /** A reusable workflow (`.github/workflows/x.yml`). */
      reusable: boolean;
      raw: string;
      /** `owner/repo[/path]@ref` with the path written the one plain way (see `parseUses`). */
      canonical: string;
      /** Set when the value is written in a form that hides what it names (`actions//checkout`, `a/b/./c`, `a/b/`). */
      obfuscated?: string;
    }
  | { kind: 'invalid'; raw: string; reason: string };

export const FULL_SHA = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;

/** Parsed values, shared: a scan parses each `uses:` value once per check (about ten times). */
const parsedUses = new Map<string, UsesRef>();

/** The reference a `uses:` value names. The result is shared between callers: never change it. */
export function parseUses(raw: string): UsesRef {
  let u = parsedUses.get(raw);
  if (!u) {
    u = parseUsesOnce(raw);
    if (parsedUses.size >= 4096) parsedUses.clear();
    parsedUses.set(raw, u);
  }
  return u;
}

function parseUsesOnce(raw: string): UsesRef {
  const value = raw.trim();
  if (value.startsWith('./') || value.startsWith('../')) {
    // `./.github//actions/x/`, `././x`: the runner reads the same folder as `./.github/actions/x`.
    const segs = value.split('/');
    const clean = [segs[0], ...segs.slice(1).filter((x) => x !== '' && x !== '.')].join('/');
    // A trailing `/` on a folder is ordinary spelling, not worth a finding; `//` and `/./` inside are.
    const odd = segs.slice(1, -1).some((x) => x === '' || x === '.') || segs[segs.length - 1] === '.';
    if (clean === value || clean === '.') return { kind: 'local', path: value, raw };
    return odd ? { kind: 'local', path: clean, raw, obfuscated: 'empty or `.` path segments' } : { kind: 'local', path: clean, raw };
  }
  // Self-repository references (GitHub changelog 2026-07-30, "Reference same-repository actions with
  // self-repository syntax"): `$/.github/actions/x` and `$/./actions/x` name a path in this repository.
  if (value.startsWith('$/')) return { kind: 'local', path: `./${value.slice(2).replace(/^(?:\.\/)+/, '')}`, raw, self: true };
  if (value.startsWith('docker://')) {
    const image = value.slice('docker://'.length);
    const at = image.indexOf('@');
    if (at >= 0) return { kind: 'docker', image: image.slice(0, at), digest: image.slice(at + 1), raw };
    const lastSlash = image.lastIndexOf('/');
    const colon = image.indexOf(':', lastSlash + 1);
    return colon >= 0
      ? { kind: 'docker', image: image.slice(0, colon), tag: image.slice(colon + 1), raw }
      : { kind: 'docker', image, raw };
  }
  const at = value.lastIndexOf('@');
  if (at <= 0) return { kind: 'invalid', raw, reason: 'has no @ref' };
  const target = value.slice(0, at);
  const ref = value.slice(at + 1);
  // GitHub resolves `owner/repo/path` by its non-empty segments: `actions//checkout@v4`,
  // `actions/checkout/@v4` and `github/codeql-action/./init@v3` name the same action as the plain
  // form, so every matcher sees the plain form and the odd spelling is reported (obfuscated-uses).
  const written = target.split('/');
  const parts = written.filter((x, i) => x !== '' && !(i >= 2 && x === '.'));
  if (parts.length < 2 || !written[0] || !parts[1] || parts.slice(0, 2).includes('.') || parts.includes('..')) return { kind: 'invalid', raw, reason: 'is not owner/repo@ref' };
  const path = parts.slice(2).join('/') || undefined;
  const canonical = `${parts.join('/')}@${ref}`;
  return {
    kind: 'repo',
    owner: parts[0],
    repo: parts[1],
    path,
    ref,
    pinned: FULL_SHA.test(ref),
    reusable: !!path && /\.github\/workflows\/[^/]+\.ya?ml$/.test(path),
    raw,
    canonical,
    ...(canonical !== value ? { obfuscated: written.includes('') ? 'empty path segments (`//` or a trailing `/`)' : '`.` path segments' } : {}),
  };
}

/** `owner/repo[/path]` in lower case, as every table of actions is keyed; undefined for local, docker and invalid values. */
export function actionName(raw: string): string | undefined {
  const u = parseUses(raw);
  return u.kind === 'repo' ? `${u.owner}/${u.repo}${u.path ? '/' + u.path : ''}`.toLowerCase() : undefined;
}

/** owner/repo in lower case, the unit GitHub resolves refs in. */
export function repoKey(u: { owner: string; repo: string }): string {
  return `${u.owner}/${u.repo}`.toLowerCase();
}

/** Actions published by GitHub itself: lower risk of a malicious tag move, still worth pinning. */
export function isFirstParty(owner: string): boolean {
  const o = owner.toLowerCase();
  return o === 'actions' || o === 'github';
}

/** A version-looking comment after a pin: `# v4.2.2`, `#v4`, `# tag=v1.2.3`, `# 1.2.3`. */
export const VERSION_COMMENT = /#\s*(?:tag\s*[=:]\s*|pin\s*@?\s*)?(v?\d+(?:\.\d+){0,3}(?:[-+][\w.]+)?)\b/;
