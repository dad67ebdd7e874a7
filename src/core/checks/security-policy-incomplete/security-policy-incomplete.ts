import type { CheckMeta, Fix, Location } from '../../model';
import type { Check, RepoContext, RepoOutcome, SourceFile } from '../types';
import type { OwnerPolicy } from '../../model/facts';
import { finding, plural } from '../helpers';
import { evaluatePolicy, RUBRIC_ITEMS, type RubricItemId } from '../../security-md/rubric';
import { insertionFor, replaceTemplate } from '../../security-md/insert';
import { gatherProjectFacts, proposeChannelAnswers } from '../../security-md/propose';
import { decodeText } from '../../yaml/text';
import { replaceHtmlComments } from '../../security-md/comments';

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
      'Review: the inserted text names a private channel (the maintainers confirm they read it); what only they can commit to is not written for them — a missing process or response time gets no insertion, missing supported versions get a marked blank for them to fill in. The rest of the file is kept byte for byte.',
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
  const nonEmpty = ctx.byKind('security-policy').filter((p) => replaceHtmlComments(p.text, () => '').trim().length > 0);
  const dir = (p: string) => (p.includes('/') ? p.slice(0, p.lastIndexOf('/') + 1) : '');
  return nonEmpty.sort((a, b) => PRECEDENCE.indexOf(dir(a.path).toLowerCase()) - PRECEDENCE.indexOf(dir(b.path).toLowerCase()))[0];
}

function lineOf(file: SourceFile, needle: string): number | undefined {
  const i = file.text.indexOf(needle);
  return i < 0 ? undefined : file.lines.position(i).line;
}

function lineLocation(file: SourceFile, line: number): Location {
  return { file: file.path, start: { line, column: 1 }, end: { line, column: file.lines.lineText(line).length + 1 } };
}


async function fixAnswers(ctx: RepoContext) {
  const readText = async (p: string) => {
    const sf = await ctx.read(p);
    if (sf) return sf.text;
    // .git/config and TAGS.txt are not in the file list; read them straight from the snapshot.
    const bytes = p === '.git/config' || p === 'TAGS.txt' ? await ctx.snapshot.readFile(p) : undefined;
    return bytes ? decodeText(bytes).text : undefined;
  };
  // What the fixes write: the channels; supported versions stay a marked blank (not worked out from tags).
  return proposeChannelAnswers(await gatherProjectFacts(readText, { facts: ctx.facts, fallbackName: ctx.snapshot.name, shareWith: ctx.paths, noTags: true }));
}

const labelOf = (id: RubricItemId): string => RUBRIC_ITEMS.find((r) => r.id === id)!.label.toLowerCase();

/**
 * The owner's `.github` policy, which GitHub shows for this repository: judged by the same rubric,
 * reported without a location or fixes (the file lives in another repository).
 */
function inheritedOutcome(p: OwnerPolicy): RepoOutcome {
  const name = `${p.repo}/${p.path}`;
  const ev = evaluatePolicy(p.path, p.text);
  const missing = ev.items.filter((i) => !i.present);
  if (!missing.length) return { status: 'pass', reason: `Inherited from ${name}, which covers all ${ev.items.length} parts of the rubric`, findings: [] };
  if (ev.delegatesTo && !ev.placeholderLines.length && !ev.templateLines.length) {
    return {
      status: 'fail',
      reason: `Inherited from ${name}, which delegates to ${ev.delegatesTo}`,
      findings: [finding(meta, { message: `${name} (inherited: GitHub shows it for this repository) sends reporters to ${ev.delegatesTo}; Steward does not read linked pages, so it cannot tell whether that page covers: ${missing.map((m) => labelOf(m.id)).join(', ')}`, severity: 'info' })],
    };
  }
  return {
    status: 'fail',
    reason: `Inherited from ${name}: ${plural(missing.length, 'part')} missing`,
    findings: [
      finding(meta, {
        message: `${name} (inherited: GitHub shows it for this repository) is missing ${plural(missing.length, 'part')} of a useful security policy: ${missing.map((m) => labelOf(m.id)).join(', ')}`,
        details: missing.map((m) => `Missing: ${RUBRIC_ITEMS.find((x) => x.id === m.id)!.label}`),
      }),
    ],
  };
}

const CAVEAT = 'The inserted text names a private channel for the maintainers (have them confirm they read it) and leaves what only they can say (which versions get fixes) as a marked blank for them to fill in.';

export const check: Check = {
  meta,
  async checkRepo(ctx) {
    const file = policyFile(ctx);
    if (!file) {
      const inherited = ctx.facts?.ownerSecurityPolicy;
      if (inherited?.known && inherited.value) return inheritedOutcome(inherited.value);
      // Absence and emptiness are missing-security-policy's findings; reporting them here too would
      // count one problem twice.
      return { status: 'not-applicable', reason: 'No SECURITY.md to assess (see missing-security-policy)', findings: [] };
    }
    const ev = evaluatePolicy(file.path, file.text);
    const missing = ev.items.filter((i) => !i.present);
    if (!missing.length) return { status: 'pass', reason: `${file.path} covers all ${ev.items.length} parts of the rubric`, findings: [] };

    const label = (id: RubricItemId): string => RUBRIC_ITEMS.find((r) => r.id === id)!.label.toLowerCase();
    // A policy that hands reporters to another page or repository (an organisation-wide policy, the
    // project's website) is not "missing" what that page may well say: Steward does not follow links.
    const placeholders = ev.placeholderLines.length > 0 || ev.templateLines.length > 0;
    if (ev.delegatesTo && !placeholders) {
      return {
        status: 'fail',
        reason: `${file.path} delegates to ${ev.delegatesTo}`,
        findings: [
          finding(meta, {
            message: `${file.path} sends reporters to ${ev.delegatesTo} for its process; Steward does not read linked pages, so it cannot tell whether that page covers: ${missing.map((m) => label(m.id)).join(', ')}`,
            severity: 'info',
            location: lineLocation(file, lineOf(file, ev.delegatesTo) ?? 1),
          }),
        ],
      };
    }

    const markdown = ev.format === 'markdown';
    const answers = markdown ? await fixAnswers(ctx) : undefined;
    const template = ev.templateLines.length > 0;
    const fixes: Fix[] = [];
    if (answers) {
      if (template) {
        const edits = replaceTemplate(file.path, file.text, ev.headings, answers);
        if (edits) fixes.push({ title: "Replace GitHub's template text with a real policy", safe: false, reviewReason: CAVEAT, caveat: CAVEAT, edits });
      } else if (!ev.placeholderLines.length) {
        const perItem: Fix[] = [];
        for (const m of missing) {
          const edit = insertionFor(m.id, file.path, file.text, ev.headings, answers);
          if (edit) perItem.push({ title: `Add a section: ${label(m.id)}`, safe: false, reviewReason: CAVEAT, caveat: CAVEAT, edits: [edit] });
        }
        if (perItem.length > 1) fixes.push({ title: 'Add all missing sections', safe: false, reviewReason: CAVEAT, caveat: CAVEAT, edits: perItem.flatMap((f) => f.edits) });
        fixes.push(...perItem);
      }
    }
    const details = missing.map((m) => `Missing: ${RUBRIC_ITEMS.find((x) => x.id === m.id)!.label}`);
    const present = ev.items.filter((i) => i.present).map((i) => i.label.toLowerCase());
    // One finding per policy: the parts are its details, each with its own fix.
    const summary = finding(meta, {
      message: `${file.path} is missing ${plural(missing.length, 'part')} of a useful security policy: ${missing.map((m) => label(m.id)).join(', ')}`,
      location: lineLocation(file, 1),
      details,
      fixes,
    });
    return {
      status: 'fail',
      reason: `${file.path}: ${plural(missing.length, 'part')} missing${present.length ? ` (has ${present.join(', ')})` : ''}`,
      findings: [summary],
    };
  },
};
