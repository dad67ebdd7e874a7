import { z } from 'zod';
import { parseYaml, rootMap } from '../yaml/parse';
import { decodeText } from '../yaml/text';
import { configSchema, EMPTY_CONFIG, zizmorConfigSchema, type StewardConfig, type ZizmorConfig } from './schema';

/** A configuration mistake: stops the scan (CLI exit 2) with one line naming the file and the key. */
export class ConfigError extends Error {
  constructor(readonly file: string, message: string) {
    super(`${file}: ${message}`);
    this.name = 'ConfigError';
  }
}

function describeIssue(issue: z.core.$ZodIssue): string {
  const where = issue.path.length ? issue.path.map(String).join('.') : '(top level)';
  if (issue.code === 'unrecognized_keys') {
    const keys = (issue as { keys: string[] }).keys;
    const at = issue.path.length ? ` under ${where}` : '';
    return `unknown key${keys.length > 1 ? 's' : ''} ${keys.map((k) => `'${k}'`).join(', ')}${at}`;
  }
  return `${where}: ${issue.message}`;
}

function toPlain(path: string, bytes: Uint8Array): unknown {
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

export function parseStewardConfig(path: string, bytes: Uint8Array, knownRules: ReadonlySet<string>): StewardConfig {
  const plain = toPlain(path, bytes);
  if (plain === undefined) throw new ConfigError(path, 'must be a mapping of settings');
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
    const r = zizmorConfigSchema.safeParse(toPlain(path, bytes));
    return r.success ? r.data : undefined;
  } catch {
    return undefined;
  }
}

export { EMPTY_CONFIG };
