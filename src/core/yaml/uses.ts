// Parsing `uses:` references the way the Actions runner does.

export type UsesRef =
  /**
   * An action or reusable workflow in this repository: `./path` (from the workspace, needs a checkout)
   * or `$/path` (self-repository syntax, resolved at the running commit; `self` is set and `path` is
   * given in `./` form so both read the same file).
   */
  | { kind: 'local'; path: string; raw: string; self?: boolean }
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
    }
  | { kind: 'invalid'; raw: string; reason: string };

export const FULL_SHA = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;

export function parseUses(raw: string): UsesRef {
  const value = raw.trim();
  if (value.startsWith('./') || value.startsWith('../')) return { kind: 'local', path: value, raw };
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
  const parts = target.split('/');
  if (parts.length < 2 || !parts[0] || !parts[1]) return { kind: 'invalid', raw, reason: 'is not owner/repo@ref' };
  const path = parts.slice(2).join('/') || undefined;
  return {
    kind: 'repo',
    owner: parts[0],
    repo: parts[1],
    path,
    ref,
    pinned: FULL_SHA.test(ref),
    reusable: !!path && /\.github\/workflows\/[^/]+\.ya?ml$/.test(path),
    raw,
  };
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
