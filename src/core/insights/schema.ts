import { z } from 'zod';

// Security Insights 2.0.0 (OpenSSF security-insights-spec, schema.cue) in zod. Objects are strict, as
// the CUE definitions are closed: a misspelt key ("last-update") is an error, not silently ignored.

const URL_RE = /^https?:\/\/\S+$/;
const EMAIL_RE = /^[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}$/;
const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;

export const Url = z.string().regex(URL_RE, 'must be an http(s) URL');
export const Email = z.string().regex(EMAIL_RE, 'must be an e-mail address');
// YAML turns an unquoted 2025-01-31 into a Date; the spec's date is that calendar day either way.
export const DateField = z.union([
  z.string().regex(DATE_RE, 'must be a date written YYYY-MM-DD').refine((s) => !Number.isNaN(Date.parse(s)), 'is not a real date'),
  z.date(),
]);
export const SchemaVersion = z.string().regex(/^[1-9]+\.[0-9]+\.[0-9]+$/, 'must be a version like 2.0.0');

export const Assessment = z.strictObject({
  comment: z.string(),
  name: z.string().optional(),
  evidence: Url.optional(),
  date: DateField.optional(),
});

export const Attestation = z.strictObject({
  name: z.string(),
  location: Url,
  'predicate-uri': z.string(),
  comment: z.string().optional(),
});

export const Contact = z.strictObject({
  name: z.string(),
  primary: z.boolean(),
  affiliation: z.string().optional(),
  email: Email.optional(),
  social: z.string().optional(),
});

export const License = z.strictObject({ url: Url, expression: z.string() });
export const Link = z.strictObject({ uri: z.string(), comment: z.string() });
export const ProjectRepository = z.strictObject({ name: z.string(), comment: z.string(), url: Url });

export const Header = z.strictObject({
  'last-reviewed': DateField,
  'last-updated': DateField,
  'schema-version': SchemaVersion,
  url: Url,
  comment: z.string().optional(),
  'project-si-source': Url.optional(),
});

export const Project = z.strictObject({
  name: z.string(),
  homepage: Url.optional(),
  roadmap: Url.optional(),
  funding: Url.optional(),
  steward: Link.optional(),
  administrators: z.array(Contact).min(1, 'needs at least one administrator'),
  repositories: z.array(ProjectRepository).min(1, 'needs at least one repository'),
  'vulnerability-reporting': z.strictObject({
    'reports-accepted': z.boolean(),
    'bug-bounty-available': z.boolean(),
    'bug-bounty-program': Url.optional(),
    contact: Contact.optional(),
    comment: z.string().optional(),
    'security-policy': Url.optional(),
    'pgp-key': z.string().optional(),
    'in-scope': z.array(z.string()).optional(),
    'out-of-scope': z.array(z.string()).optional(),
  }),
  documentation: z
    .strictObject({
      'detailed-guide': Url.optional(),
      'code-of-conduct': Url.optional(),
      'quickstart-guide': Url.optional(),
      'release-process': Url.optional(),
      'support-policy': Url.optional(),
      'signature-verification': Url.optional(),
    })
    .optional(),
});

export const TOOL_TYPES = ['fuzzing', 'container', 'secret', 'SCA', 'SAST', 'other'] as const;

export const Tool = z.strictObject({
  name: z.string(),
  type: z.enum(TOOL_TYPES),
  version: z.string().optional(),
  comment: z.string().optional(),
  rulesets: z.array(z.string()).min(1, 'list the rulesets, or ["default"]'),
  integration: z.strictObject({ adhoc: z.boolean(), ci: z.boolean(), release: z.boolean() }),
  results: z.strictObject({ adhoc: Attestation.optional(), ci: Attestation.optional(), release: Attestation.optional() }),
});

export const REPO_STATUSES = ['active', 'abandoned', 'concept', 'inactive', 'moved', 'suspended', 'unsupported', 'WIP'] as const;

export const Repository = z.strictObject({
  status: z.enum(REPO_STATUSES),
  url: Url,
  'accepts-change-request': z.boolean(),
  'accepts-automated-change-request': z.boolean(),
  'bug-fixes-only': z.boolean().optional(),
  'no-third-party-packages': z.boolean().optional(),
  'core-team': z.array(Contact).min(1, 'needs at least one core team member'),
  license: License,
  security: z.strictObject({
    assessments: z.strictObject({ self: Assessment, 'third-party': z.array(Assessment).optional() }),
    champions: z.array(Contact).optional(),
    tools: z.array(Tool).optional(),
  }),
  documentation: z
    .strictObject({
      'contributing-guide': Url.optional(),
      'dependency-management-policy': Url.optional(),
      governance: Url.optional(),
      'review-policy': Url.optional(),
      'security-policy': Url.optional(),
    })
    .optional(),
  release: z
    .strictObject({
      'automated-pipeline': z.boolean(),
      'distribution-points': z.array(Link).min(1, 'needs at least one distribution point'),
      changelog: Url.optional(),
      license: License.optional(),
      attestations: z.array(Attestation).optional(),
    })
    .optional(),
});

export const SecurityInsights = z.strictObject({
  header: Header,
  project: Project.optional(),
  repository: Repository.optional(),
});

export type SecurityInsightsDoc = z.infer<typeof SecurityInsights>;
export type InsightsTool = z.infer<typeof Tool>;
export type InsightsContact = z.infer<typeof Contact>;
