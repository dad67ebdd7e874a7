import type { z } from 'zod';
import type { CHANNEL, SECURITY_MD_ANSWERS } from './answers-schema';

// The answers the SECURITY.md wizard asks for (VS Code) or reads from a JSON file (CLI). One schema
// for both front-ends (answers-schema.ts), so a file that validates here renders the same text everywhere.

export const SUPPORT_STATUSES = ['active', 'maintenance-only', 'best-effort-volunteers'] as const;

export type SecurityMdAnswers = z.infer<typeof SECURITY_MD_ANSWERS>;
export type ReportingChannel = z.infer<typeof CHANNEL>;
export type SupportStatus = (typeof SUPPORT_STATUSES)[number];
export type AnswersInput = z.input<typeof SECURITY_MD_ANSWERS>;

export class AnswersError extends Error {
  constructor(
    message: string,
    readonly field: string,
  ) {
    super(message);
    this.name = 'AnswersError';
  }
}

/** `channels[0].address` style path for messages. */
export function fieldPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : out ? `.${String(p)}` : String(p);
  return out || '(top level)';
}

/**
 * Validates answers (e.g. parsed from JSON). Throws AnswersError whose message is ONE line naming the
 * first failing field, because that is what a person fixing a hand-written file needs.
 */
export function parseAnswers(value: unknown): SecurityMdAnswers {
  const { SECURITY_MD_ANSWERS } = require('./answers-schema') as typeof import('./answers-schema');
  const r = SECURITY_MD_ANSWERS.safeParse(value);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  let path = [...issue.path];
  let message = issue.message;
  if (issue.code === 'unrecognized_keys') {
    path = [...path, issue.keys[0]];
    message = 'unknown field';
  } else if (issue.code === 'invalid_type') {
    // zod says "Invalid input: expected string, received undefined"; a person wants "missing".
    message = / received undefined$/.test(message) ? `missing (expected ${issue.expected})` : message.replace(/^Invalid input: /, '');
  }
  const field = fieldPath(path);
  throw new AnswersError(`${field}: ${message.replace(/\s+/g, ' ')}`, field);
}
