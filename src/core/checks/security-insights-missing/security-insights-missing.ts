import type { CheckMeta, Fix } from '../../model';
import type { Check, RepoContext } from '../types';
import { finding } from '../helpers';
// From the generator itself, not the insights index: the index also exports the zod schema, which a
// scan needs only when the file exists (security-insights-invalid).
import { buildInsights, insightsFactsFrom, INSIGHTS_DEFAULT_PATH, readInsightsInputs, renderInsights, todayUtc } from '../../insights/generate';
import { decodeText } from '../../yaml/text';
import { withLazyEdits } from '../../fix/lazy';

export const meta: CheckMeta = {
  id: 'security-insights-missing',
  title: 'Security Insights file (security-insights.yml)',
  category: 'reporting',
  severity: 'info',
  confidence: 'high',
  fixable: true,
  docs: {
    summary: 'The repository has no security-insights.yml (at the root or in .github/). This is informational.',
    whyItMatters:
      'Security Insights is a small YAML file that tells tools and the people who depend on you, in one machine-readable place, how to report a vulnerability, who maintains the project, which licence applies, where releases come from and which security tools run. Tools such as CLOMonitor and OpenSSF projects read it; without it they guess or ask you.',
    howToFix:
      'Generate one with `steward insights` (or `Steward: Generate security-insights.yml`): it fills the 2.0 schema with what the repository shows (URLs, licence, SECURITY.md, contributing guide, changelog, release destinations, security tools in the workflows) and, online, what GitHub reports (archived, private vulnerability reporting, releases). What only the maintainers know (administrators, core team, bug bounty, status, when the file was last reviewed) is written as a "FILL IN: …" value for them to answer; the Security Insights validity check reports each one until it is answered.',
    effort: 'minutes',
    fixSafety: 'Review: nothing in the code or automation changes, but the file speaks for the maintainers. Steward states only what it read from the repository (and GitHub, online) and leaves the rest as "FILL IN" values for them.',
  },
  references: {
    other: [{ title: 'Security Insights specification', url: 'https://github.com/ossf/security-insights-spec' }],
  },
};

async function createFix(ctx: RepoContext): Promise<Fix | undefined> {
  const read = async (p: string) => {
    const sf = await ctx.read(p);
    if (sf) return sf.text;
    const bytes = p === '.git/config' || p === 'TAGS.txt' ? await ctx.snapshot.readFile(p) : undefined;
    return bytes ? decodeText(bytes).text : undefined;
  };
  // The reads happen now (a file the check could not see is reported as before); the facts drawn from
  // them (licence detection, tools and release targets in the workflows, the documents' paths) and the
  // file's text (a YAML document built and stringified) only when the fix is used: they were most of
  // this check's time on every scan. The date is the scan's.
  const reads = await readInsightsInputs({ paths: ctx.paths, read, facts: ctx.facts, fallbackName: ctx.snapshot.name, shareWith: ctx.paths });
  if (!reads) return undefined;
  const today = todayUtc();
  return withLazyEdits(
    {
      title: `Create ${INSIGHTS_DEFAULT_PATH} from the repository's facts`,
      safe: false,
      reviewReason: 'It speaks for the maintainers: the values marked "FILL IN" (administrators, core team, bug bounty, status, the last review date) are theirs to answer, and the facts Steward read from the repository are theirs to confirm.',
    },
    [INSIGHTS_DEFAULT_PATH],
    () => [{ file: INSIGHTS_DEFAULT_PATH, start: 0, end: 0, newText: renderInsights(buildInsights(insightsFactsFrom(reads), today, INSIGHTS_DEFAULT_PATH)), create: true }],
  );
}

export const check: Check = {
  meta,
  async checkRepo(ctx) {
    const present = ctx.byKind('security-insights');
    if (present.length) return { status: 'pass', reason: `Found ${present[0].path}`, findings: [] };
    const fix = await createFix(ctx);
    return {
      status: 'fail',
      reason: 'No security-insights.yml (informational)',
      findings: [finding(meta, { message: 'No security-insights.yml: tools and users cannot read the project\'s security facts in one place', fixes: fix ? [fix] : [] })],
    };
  },
};
