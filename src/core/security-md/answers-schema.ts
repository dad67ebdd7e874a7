import { z } from 'zod';
import { SUPPORT_STATUSES } from './answers';

// The zod schema of the SECURITY.md answers (see answers.ts), loaded only when answers are validated:
// a scan proposes answers but never validates a file of them, and building zod schemas is most of
// what loading this part cost at start-up (issue 19).

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

