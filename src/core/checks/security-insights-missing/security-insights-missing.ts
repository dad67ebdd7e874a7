import type { CheckMeta, Fix } from '../../model';
import type { Check, RepoContext } from '../types';
import { finding } from '../helpers';
import { buildInsights, gatherInsightsFacts, INSIGHTS_DEFAULT_PATH, renderInsights, todayUtc } from '../../insights';
import { decodeText } from '../../yaml/text';

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
      'Generate one with `steward insights` (or `Steward: Generate security-insights.yml`): it fills the 2.0 schema from the repository (URLs, licence, SECURITY.md, contributing guide, changelog, release destinations, security tools in the workflows). Review the contacts before committing.',
    effort: 'minutes',
    fixSafety: 'Safe to add (no code or automation changes), but review it: it names contacts and makes statements about the project.',
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
  const facts = await gatherInsightsFacts({ paths: ctx.paths, read, facts: ctx.facts, fallbackName: ctx.snapshot.name });
  if (!facts) return undefined;
  const text = renderInsights(buildInsights(facts, todayUtc(), INSIGHTS_DEFAULT_PATH));
  return {
    title: `Create ${INSIGHTS_DEFAULT_PATH} from the repository's facts`,
    safe: false,
    caveat: 'Names contacts and states facts about the project: a maintainer should review it.',
    edits: [{ file: INSIGHTS_DEFAULT_PATH, start: 0, end: 0, newText: text, create: true }],
  };
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
