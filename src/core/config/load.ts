import { z } from 'zod';
import { parseYaml, rootMap } from '../yaml/parse';
import { decodeText } from '../yaml/text';
import { configSchema, zizmorConfigSchema, type StewardConfig, type ZizmorConfig } from './schema';
import { ConfigError, EMPTY_CONFIG } from './error';

export { ConfigError };

function describeIssue(issue: z.core.$ZodIssue): string {
  const where = issue.path.length ? issue.path.map(String).join('.') : '(top level)';
  if (issue.code === 'unrecognized_keys') {
    const keys = (issue as { keys: string[] }).keys;
    const at = issue.path.length ? ` under ${where}` : '';
    return `unknown key${keys.length > 1 ? 's' : ''} ${keys.map((k) => `'${k}'`).join(', ')}${at}`;
  }
  return `${where}: ${issue.message}`;
}

/**
 * Limits on a configuration file. Real ones are a few hundred bytes with a handful of globs; a
 * multi-megabyte one parsed as YAML exhausted the heap (a native crash, not a message), and every
 * ignore glob is matched against every finding, so their number bounds the work of a scan.
 */
export const CONFIG_LIMITS = { bytes: 256 * 1024, entries: 1000, entryLength: 1024 } as const;

function toPlain(path: string, bytes: Uint8Array): unknown {
  if (bytes.byteLength > CONFIG_LIMITS.bytes) {
    throw new ConfigError(path, `is too large (${sizeText(bytes.byteLength)}; the limit is ${CONFIG_LIMITS.bytes / 1024} KB)`);
  }
  const { text, problem } = decodeText(bytes);
  if (problem) throw new ConfigError(path, problem);
  const file = parseYaml(path, text);
  if (file.errors.length) {
    const e = file.errors[0];
    throw new ConfigError(path, `line ${e.line}: ${e.message}`);
  }
  if (!rootMap(file)) return text.trim() === '' ? {} : undefined;
  try {
    return file.docs[0].toJS({ maxAliasCount: 50 });
  } catch (e) {
    throw new ConfigError(path, e instanceof Error ? e.message : String(e));
  }
}

function sizeText(n: number): string {
  return n >= 1048576 ? `${(n / 1048576).toFixed(1)} MB` : `${Math.ceil(n / 1024)} KB`;
}

/** Counts the list entries (globs, rule ids, rule sections) of a plain config and the longest string. */
function checkEntries(path: string, plain: unknown): void {
  let entries = 0;
  const visit = (v: unknown, where: string): void => {
    if (typeof v === 'string' && v.length > CONFIG_LIMITS.entryLength) {
      throw new ConfigError(path, `${where}: an entry is ${v.length} characters long; the limit is ${CONFIG_LIMITS.entryLength}`);
    }
    if (Array.isArray(v)) {
      entries += v.length;
      v.forEach((x) => visit(x, where));
    } else if (v && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) {
        if (where === 'rules') entries++;
        visit(x, where ? `${where}.${k}` : k);
      }
    }
    if (entries > CONFIG_LIMITS.entries) {
      throw new ConfigError(path, `has more than ${CONFIG_LIMITS.entries} entries (globs, rule ids and rule sections together); the limit keeps every scan fast`);
    }
  };
  visit(plain, '');
}

export function parseStewardConfig(path: string, bytes: Uint8Array, knownRules: ReadonlySet<string>): StewardConfig {
  const plain = toPlain(path, bytes);
  if (plain === undefined) throw new ConfigError(path, 'must be a mapping of settings');
  checkEntries(path, plain);
  const r = configSchema.safeParse(plain);
  if (!r.success) throw new ConfigError(path, describeIssue(r.error.issues[0]));
  const cfg = r.data;
  const unknown = [...(cfg.disable ?? []), ...Object.keys(cfg.rules ?? {})].filter((id) => !knownRules.has(id));
  if (unknown.length) throw new ConfigError(path, `unknown rule id '${unknown[0]}' (see \`steward rules\`)`);
  return cfg;
}

/** zizmor's config is someone else's format: a broken one is ignored (zizmor will complain itself). */
export function parseZizmorConfig(path: string, bytes: Uint8Array): ZizmorConfig | undefined {
  try {
    const plain = toPlain(path, bytes);
    checkEntries(path, plain);
    const r = zizmorConfigSchema.safeParse(plain);
    return r.success ? r.data : undefined;
  } catch {
    return undefined;
  }
}

export { EMPTY_CONFIG };
