import { z } from 'zod';

// The answers the SECURITY.md wizard asks for (VS Code) or reads from a JSON file (CLI). One schema
// for both front-ends, so a file that validates here renders the same text everywhere.

export const PVR_CHANNEL = z.object({
  type: z.literal('github-pvr'),
  /** https://github.com/<owner>/<repo>/security/advisories/new */
  url: z.url(),
});

export const EMAIL_CHANNEL = z.object({
  type: z.literal('email'),
  address: z.email(),
  /** Whose address it is, e.g. "the maintainers" or a person's name. */
  name: z.string().min(1).optional(),
});

export const URL_CHANNEL = z.object({
  type: z.literal('url'),
  url: z.url(),
  /** What the page is, e.g. "our HackerOne programme". */
  label: z.string().min(1).optional(),
});

export const CHANNEL = z.discriminatedUnion('type', [PVR_CHANNEL, EMAIL_CHANNEL, URL_CHANNEL]);

export const SUPPORT_STATUSES = ['active', 'maintenance-only', 'best-effort-volunteers'] as const;

export const SUPPORTED_VERSION_ROW = z.object({
  /** A version line as people write it: "2.x", "1.4", "< 1.0". */
  version: z.string().min(1),
  supported: z.boolean(),
  note: z.string().optional(),
});

export const SECURITY_MD_ANSWERS = z
  .object({
    projectName: z.string().min(1),
    repositoryUrl: z.url().optional(),
    channels: z.array(CHANNEL).min(1, 'give at least one private way to report (github-pvr, email or url)'),
    /**
     * Commitments only the maintainers can make (issue 14.5): absent when nobody answered, and the
     * text then says plainly that no time was set, which the rubric reports.
     */
    responseTimes: z
      .object({
        acknowledgeDays: z.number().int().min(1).max(90),
        assessmentDays: z.number().int().min(1).max(365),
      })
      .optional(),
    disclosure: z
      .object({
        /** coordinated: reporter waits for the fix or the embargo; after-fix: details go public with the fixed release. */
        policy: z.enum(['coordinated', 'after-fix']).default('coordinated'),
        /** The longest wait before a reporter may go public; absent when the maintainers set none. */
        embargoDays: z.number().int().min(1).max(365).optional(),
      })
      .default({ policy: 'coordinated' }),
    scope: z
      .object({
        inScope: z.array(z.string().min(1)).default([]),
        outOfScope: z.array(z.string().min(1)).default([]),
      })
      .default({ inScope: [], outOfScope: [] }),
    supportStatus: z.enum(SUPPORT_STATUSES),
    supportedVersions: z.array(SUPPORTED_VERSION_ROW).min(1, 'list at least one version line'),
    contributorFixes: z.object({
      welcome: z.boolean(),
      /** How to send one, e.g. "open a private fork from the draft advisory". */
      how: z.string().min(1).optional(),
    }),
    safeHarbor: z.boolean().default(false),
  })
  .strict();

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
