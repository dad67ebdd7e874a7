import type { CheckMeta, Finding, Fix, Location } from '../../model';
import type { Check, RepoContext, SourceFile } from '../types';
import { finding, plural } from '../helpers';
import { evaluatePolicy, findSectionHeading, RUBRIC_ITEMS, type PolicyEvaluation, type RubricItemId } from '../../security-md/rubric';
import { insertionFor, replaceTemplate } from '../../security-md/insert';
import { gatherProjectFacts, proposeAnswers } from '../../security-md/propose';
import { decodeText } from '../../yaml/text';

export const meta: CheckMeta = {
  id: 'security-policy-incomplete',
  title: 'Security policy is complete',
  category: 'reporting',
  severity: 'low',
  confidence: 'medium',
  fixable: true,
  docs: {
    summary:
      'The SECURITY.md exists but leaves out something a reporter needs: a private way to report, what happens after a report, how soon to expect an answer, or which versions get fixes; or it is still GitHub\'s unedited template.',
    whyItMatters:
      'A reporter who cannot find a private channel opens a public issue, and one who hears nothing for weeks may publish. Saying how you handle reports and how long it may take sets expectations that volunteers can keep, and saying which versions get fixes tells users when they must upgrade.',
    howToFix:
      'Add the missing sections. Each missing part has a quick fix that inserts a short, plain section (the same text `Steward: Generate SECURITY.md` writes); adjust the numbers and addresses so they are promises the maintainers can keep.',
    effort: 'minutes',
    fixSafety:
      'Not applied blindly: the inserted text states commitments (response times, supported versions, a contact) on the maintainers\' behalf, so they should confirm it. The rest of the file is kept byte for byte.',
  },
  references: {
    scorecard: 'Security-Policy',
    osps: ['OSPS-VM-01.01', 'OSPS-VM-02.01', 'OSPS-VM-03.01', 'OSPS-DO-05.01'],
    other: [{ title: 'GitHub: Adding a security policy to your repository', url: 'https://docs.github.com/en/code-security/getting-started/adding-a-security-policy-to-your-repository' }],
  },
};

// GitHub shows the first of these it finds; a scan judges the same file.
const PRECEDENCE = ['.github/', '', 'docs/'];

export function policyFile(ctx: Pick<RepoContext, 'byKind'>): SourceFile | undefined {
  const nonEmpty = ctx.byKind('security-policy').filter((p) => p.text.replace(/<!--[\s\S]*?-->/g, '').trim().length > 0);
  const dir = (p: string) => (p.includes('/') ? p.slice(0, p.lastIndexOf('/') + 1) : '');
  return nonEmpty.sort((a, b) => PRECEDENCE.indexOf(dir(a.path).toLowerCase()) - PRECEDENCE.indexOf(dir(b.path).toLowerCase()))[0];
}

function lineLocation(file: SourceFile, line: number): Location {
  return { file: file.path, start: { line, column: 1 }, end: { line, column: file.lines.lineText(line).length + 1 } };
}

function itemLine(ev: PolicyEvaluation, id: RubricItemId): number {
  const title = ev.headings[0]?.line ?? 1;
  const reporting = findSectionHeading(ev.headings, 'reporting');
  switch (id) {
    case 'not-template':
      return ev.templateLines[0] ?? title;
    case 'channel':
    case 'process':
      return reporting?.line ?? title;
    case 'response-time':
      return (findSectionHeading(ev.headings, 'process') ?? reporting)?.line ?? title;
    case 'supported-versions':
      return findSectionHeading(ev.headings, 'supported')?.line ?? title;
  }
}

async function fixAnswers(ctx: RepoContext) {
  const readText = async (p: string) => {
    const sf = await ctx.read(p);
    if (sf) return sf.text;
    // .git/config and TAGS.txt are not in the file list; read them straight from the snapshot.
    const bytes = p === '.git/config' || p === 'TAGS.txt' ? await ctx.snapshot.readFile(p) : undefined;
    return bytes ? decodeText(bytes).text : undefined;
  };
  return proposeAnswers(await gatherProjectFacts(readText, { facts: ctx.facts, fallbackName: ctx.snapshot.name })).answers;
}

const CAVEAT = 'The inserted text makes promises for the maintainers (contact, response times, supported versions): have them confirm it.';

export const check: Check = {
  meta,
  async checkRepo(ctx) {
    const file = policyFile(ctx);
    if (!file) {
      // Absence and emptiness are missing-security-policy's findings; reporting them here too would
      // count one problem twice.
      return { status: 'not-applicable', reason: 'No SECURITY.md to assess (see missing-security-policy)', findings: [] };
    }
    const ev = evaluatePolicy(file.path, file.text);
    const missing = ev.items.filter((i) => !i.present);
    if (!missing.length) return { status: 'pass', reason: `${file.path} covers all ${ev.items.length} parts of the rubric`, findings: [] };

    const markdown = ev.format === 'markdown';
    const answers = markdown ? await fixAnswers(ctx) : undefined;
    const template = missing.some((m) => m.id === 'not-template');
    const itemFixes = new Map<RubricItemId, Fix>();
    if (answers) {
      if (template) {
        const edits = replaceTemplate(file.path, file.text, ev.headings, answers);
        if (edits) itemFixes.set('not-template', { title: "Replace GitHub's template text with a real policy", safe: false, caveat: CAVEAT, edits });
      } else {
        for (const m of missing) {
          const edit = insertionFor(m.id, file.path, file.text, ev.headings, answers);
          const label = RUBRIC_ITEMS.find((r) => r.id === m.id)!.label.toLowerCase();
          if (edit) itemFixes.set(m.id, { title: `Add a section: ${label}`, safe: false, caveat: CAVEAT, edits: [edit] });
        }
      }
    }
    const details = missing.map((m) => `Missing: ${RUBRIC_ITEMS.find((r) => r.id === m.id)!.label}`);
    const present = ev.items.filter((i) => i.present).map((i) => i.label.toLowerCase());
    const allFixes = [...itemFixes.values()];
    const summary = finding(meta, {
      message: `${file.path} is missing ${plural(missing.length, 'part')} of a useful security policy: ${missing.map((m) => RUBRIC_ITEMS.find((r) => r.id === m.id)!.label.toLowerCase()).join(', ')}`,
      location: lineLocation(file, 1),
      details,
      fixes: allFixes.length > 1 ? [{ title: 'Add all missing sections', safe: false, caveat: CAVEAT, edits: allFixes.flatMap((f) => f.edits) }] : allFixes,
    });
    const perItem: Finding[] = missing.map((m) => {
      const r = RUBRIC_ITEMS.find((x) => x.id === m.id)!;
      const fix = itemFixes.get(m.id);
      return finding(meta, {
        message: `SECURITY.md ${r.missing}`,
        severity: 'info',
        location: lineLocation(file, itemLine(ev, m.id)),
        fixes: fix ? [fix] : [],
      });
    });
    return {
      status: 'fail',
      reason: `${file.path}: ${plural(missing.length, 'part')} missing${present.length ? ` (has ${present.join(', ')})` : ''}`,
      findings: [summary, ...perItem],
    };
  },
};
