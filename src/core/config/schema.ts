import { z } from 'zod';
import { SEVERITIES } from '../model';

// `.github/steward.yml` — how a project (or a contributor, locally) tunes Steward. Strict: an unknown
// key is a mistake we name, not something we silently ignore.

const ruleConfig = z.strictObject({
  /** Turn the rule off for this repository. */
  disable: z.boolean().optional(),
  /** Paths (globs) or `path:line` entries where this rule's findings are ignored. */
  ignore: z.array(z.string()).optional(),
  /** Override the rule's severity. */
  severity: z.enum(SEVERITIES).optional(),
});

export const configSchema = z.strictObject({
  version: z.literal(1).optional(),
  /** Rule ids to turn off. */
  disable: z.array(z.string()).optional(),
  /** Paths (globs) no check looks at. */
  ignore: z.array(z.string()).optional(),
  rules: z.record(z.string(), ruleConfig).optional(),
  cooldown: z.strictObject({ 'minimum-days': z.number().int().min(0).max(365) }).optional(),
  'min-severity': z.enum(SEVERITIES).optional(),
  /** How the Essentials score is read: the lowest severity of a finding that fails an Essential. */
  essentials: z.strictObject({ 'fail-at': z.enum(SEVERITIES) }).optional(),
});

export type StewardConfig = z.infer<typeof configSchema>;

export { EMPTY_CONFIG } from './error';

// zizmor's own config (`zizmor.yml`): we read only the parts that express triage decisions.
export const zizmorConfigSchema = z.looseObject({
  rules: z
    .record(
      z.string(),
      z.looseObject({
        disable: z.boolean().optional(),
        ignore: z.array(z.string()).optional(),
      }).nullable(),
    )
    .optional(),
});
export type ZizmorConfig = z.infer<typeof zizmorConfigSchema>;
