import type { CheckMeta } from '../../model';
import type { Check } from '../types';
import { finding } from '../helpers';

export const meta: CheckMeta = {
  id: 'security-insights-invalid',
  title: 'Security Insights file is valid',
  category: 'reporting',
  severity: 'low',
  confidence: 'high',
  fixable: false,
  docs: {
    summary: 'security-insights.yml does not match the Security Insights 2.0 schema (a required field is missing, a value has the wrong type or format, or a key is misspelt), or still holds a "FILL IN: …" value Steward left for a maintainer to answer.',
    whyItMatters:
      'Tools that read Security Insights reject a file that does not match the schema, so the facts you wrote (how to report, who maintains the project) do not reach anyone. Each finding names the field and the line.',
    howToFix:
      'Correct the named fields, and replace each "FILL IN: …" value with the answer it asks for (a date, true or false, a name). `steward insights` refreshes the file: it adds missing required fields from the repository (or a "FILL IN" value where only you know the answer) and keeps everything you wrote, including comments.',
    effort: 'minutes',
    fixSafety: 'No automatic fix for wrong values; the refresh only adds missing fields.',
  },
  references: { other: [{ title: 'Security Insights 2.0 schema', url: 'https://github.com/ossf/security-insights-spec/blob/main/schema.cue' }] },
};

const MAX_FINDINGS = 50;

export const check: Check = {
  meta,
  fileKinds: ['security-insights'],
  notApplicableReason: 'No security-insights.yml',
  checkFile(file) {
    // Files that do not parse are reported by unparseable-file.
    if (!file.yaml || file.yaml.errors.length) return [];
    // The 2.0 schema (zod) is loaded only for a repository that has the file (start-up, issue 19).
    const { validateInsights } = require('../../insights/validate') as typeof import('../../insights/validate');
    const { problems } = validateInsights(file.yaml);
    return problems.slice(0, MAX_FINDINGS).map((p) =>
      finding(meta, {
        message: p.path ? `${p.path} ${p.message}` : p.message,
        location: p.location,
      }),
    );
  },
};
