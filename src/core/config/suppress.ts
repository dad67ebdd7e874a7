import picomatch from 'picomatch';
import type { CheckMeta, Finding } from '../model';
import type { StewardConfig, ZizmorConfig } from './schema';

// Triage decisions a project already made: our own inline comments and config, and zizmor's, so a
// contributor does not re-report what the maintainers looked at and accepted.

const STEWARD_COMMENT = /steward:\s*ignore\[([^\]]*)\]/i;
const ZIZMOR_COMMENT = /zizmor:\s*ignore\[([^\]]*)\]/i;

function listed(line: string | undefined, re: RegExp, ids: readonly string[]): boolean {
  if (!line) return false;
  const m = re.exec(line);
  if (!m) return false;
  const names = m[1].split(',').map((s) => s.trim().toLowerCase());
  return names.some((n) => n === 'all' || ids.includes(n));
}

export function zizmorIds(meta: CheckMeta): string[] {
  const z = meta.references.zizmor;
  return z === undefined ? [] : Array.isArray(z) ? z : [z];
}

const globCache = new Map<string, (p: string) => boolean>();
export function globMatch(glob: string, path: string): boolean {
  let m = globCache.get(glob);
  if (!m) {
    // A bare folder or file name matches itself and everything under it.
    const isGlob = picomatch.scan(glob).isGlob;
    const pm = picomatch(glob, { dot: true });
    const prefix = glob.replace(/\/+$/, '');
    m = isGlob ? pm : (p: string) => p === prefix || p.startsWith(prefix + '/') || pm(p);
    globCache.set(glob, m);
  }
  return m(path);
}

/** `path`, `glob`, `path:line` or `path:line:col` (zizmor's ignore form). */
function entryMatches(entry: string, f: Finding): boolean {
  if (!f.location) return false;
  const m = /^(.*?)(?::(\d+))?(?::(\d+))?$/.exec(entry)!;
  const [, p, line, col] = m;
  const file = f.location.file;
  const base = file.slice(file.lastIndexOf('/') + 1);
  if (!(globMatch(p, file) || p === base)) return false;
  if (line && Number(line) !== f.location.start.line) return false;
  if (col && Number(col) !== f.location.start.column) return false;
  return true;
}

export interface SuppressionSources {
  config: StewardConfig;
  zizmor?: ZizmorConfig;
  /** Lines of a file, for inline comments (1-based access through lineText). */
  lineText(file: string, line: number): string | undefined;
}

/** Marks a finding suppressed (returns the reason) or leaves it (undefined). */
export function suppressionFor(f: Finding, meta: CheckMeta, src: SuppressionSources): Finding['suppressed'] {
  const ids = [meta.id];
  const zids = zizmorIds(meta);
  if (f.location) {
    const { file } = f.location;
    for (const line of [f.location.start.line, f.location.start.line - 1]) {
      const text = src.lineText(file, line);
      if (listed(text, STEWARD_COMMENT, ids)) return { by: 'steward-comment', where: `${file}:${line}` };
      if (zids.length && listed(text, ZIZMOR_COMMENT, zids)) return { by: 'zizmor-comment', where: `${file}:${line}` };
    }
  }
  const rule = src.config.rules?.[meta.id];
  if (rule?.ignore?.some((e) => entryMatches(e, f))) return { by: 'steward-config', where: '.github/steward.yml' };
  for (const z of zids) {
    const zr = src.zizmor?.rules?.[z];
    if (!zr) continue;
    if (zr.ignore?.some((e) => entryMatches(e, f))) return { by: 'zizmor-config', where: 'zizmor.yml' };
  }
  return undefined;
}

/** Rules turned off wholesale by our config or by zizmor's `rules.<audit>.disable`. */
export function ruleDisabled(meta: CheckMeta, config: StewardConfig, zizmor?: ZizmorConfig): 'steward-config' | 'zizmor-config' | undefined {
  if (config.disable?.includes(meta.id) || config.rules?.[meta.id]?.disable) return 'steward-config';
  const zids = zizmorIds(meta);
  if (zids.length && zids.every((z) => zizmor?.rules?.[z]?.disable)) return 'zizmor-config';
  return undefined;
}

export function pathIgnored(path: string, config: StewardConfig): boolean {
  return (config.ignore ?? []).some((g) => globMatch(g, path));
}
