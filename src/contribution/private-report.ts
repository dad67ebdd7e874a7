import type { Finding, Severity } from '../core/model';
import { severityRank } from '../core/model';
import { VERSION } from '../cli/version';
import { GitHubError } from '../github/errors';
import { isExploitable } from './pr-text';

// A real vulnerability is not fixed in public. When the findings behind a contribution are
// exploitable (attacker text run as code, fork code run with secrets, under a trigger outsiders can
// start), a public branch or pull request tells everyone how to attack the project before it is
// fixed. The flow then prepares a private report instead, through the first channel that exists:
// 1. GitHub private vulnerability reporting (POST /repos/{owner}/{repo}/security-advisories/reports);
// 2. the contact SECURITY.md names (an e-mail draft and a mailto: link);
// 3. with no channel at all, a short public issue that asks for one and gives no details.

export interface RepoRef {
  owner: string;
  repo: string;
}

/** The request body of "Privately report a security vulnerability" (GitHub REST, repository advisories). */
export interface PrivateReportRequest {
  summary: string;
  description: string;
  severity: 'critical' | 'high' | 'medium' | 'low';
  cwe_ids: string[];
  start_private_fork: boolean;
}

/** The GitHub calls of the private route (PortFlowGitHub implements them). */
export interface PrivateReportGitHub {
  reportVulnerability(r: RepoRef, report: PrivateReportRequest): Promise<{ ghsaId: string; url: string }>;
  createIssue(r: RepoRef, issue: { title: string; body: string }): Promise<{ number: number; url: string }>;
}

export type PrivateChannel =
  | { kind: 'advisory'; url: string; ghsaId: string }
  /** No API access: the report text is in `file`, to paste into the repository's reporting form at `url`. */
  | { kind: 'advisory-form'; url: string; file: string }
  | { kind: 'email'; address: string; mailto: string; file: string }
  /** No private channel: an issue asking for one (opened when `url` is set, else its text is in `file`). */
  | { kind: 'issue'; url?: string; number?: number; file?: string };

export interface PrivateRouteResult {
  channel: PrivateChannel;
  report: PrivateReportRequest;
  /** Why the earlier channels were not used, one line each. */
  notes: string[];
}

const CWE: Record<string, string[]> = {
  'template-injection': ['CWE-94'],
  'dangerous-triggers': ['CWE-829'],
};

/**
 * The exploitable findings a contribution would expose: its own, and any other exploitable finding in
 * a file it changes (a public PR that edits that workflow points straight at it).
 */
export function exploitableFindings(concernFindings: readonly Finding[], allFindings: readonly Finding[], changedFiles: ReadonlySet<string>): Finding[] {
  const out: Finding[] = [];
  const seen = new Set<Finding>();
  for (const f of [...concernFindings, ...allFindings.filter((x) => x.location && changedFiles.has(x.location.file))]) {
    if (seen.has(f) || !isExploitable(f)) continue;
    seen.add(f);
    out.push(f);
  }
  return out;
}

/** One line naming a finding, for warnings: rule, file and line, message. */
export function findingLabel(f: Finding): string {
  return `${f.ruleId} at ${f.location ? `${f.location.file}:${f.location.start.line}` : 'repository level'} (${f.message})`;
}

function fence(text: string, lang = ''): string {
  const longest = Math.max(2, ...(text.match(/`+/g) ?? []).map((r) => r.length));
  const f = '`'.repeat(longest + 1);
  return `${f}${lang}\n${text.replace(/\n?$/, '\n')}${f}`;
}

/** The report: impact, the exact lines, and the fix as a patch in the text. */
export function buildReport(input: { upstream?: RepoRef; findings: Finding[]; baseCommit: string; fileText: (file: string) => string | undefined; patch: string }): PrivateReportRequest {
  const { findings } = input;
  const worst = findings.reduce<Severity>((s, f) => (severityRank(f.severity) > severityRank(s) ? f.severity : s), 'low');
  const files = [...new Set(findings.map((f) => f.location?.file).filter((f): f is string => !!f))];
  const kind = findings.some((f) => f.ruleId === 'template-injection') ? 'Script injection' : 'Untrusted code run with secrets';
  const summary = `${kind} in GitHub Actions workflow${files.length === 1 ? '' : 's'} ${files.join(', ')}`.slice(0, 1000);
  const out: string[] = [];
  out.push('## Impact', '');
  for (const f of findings) out.push(`- ${f.message} (${f.ruleId}, severity ${f.severity}, confidence ${f.confidence})`);
  out.push('', 'People outside the project can start these workflows, so they can run their own commands with the workflow\'s token and secrets.', '');
  out.push('## Where', '', `At commit ${input.baseCommit}${input.upstream ? ` of ${input.upstream.owner}/${input.upstream.repo}` : ''}:`, '');
  for (const f of findings) {
    if (!f.location) continue;
    const text = input.fileText(f.location.file);
    const lines = text?.split(/\r?\n/) ?? [];
    const from = f.location.start.line;
    const to = Math.min(f.location.end.line, from + 5);
    out.push(`${f.location.file}, line ${from}${to > from ? `–${to}` : ''}:`, '');
    if (lines.length) out.push(fence(lines.slice(from - 1, to).join('\n'), 'yaml'), '');
  }
  out.push('## Fix', '', 'This patch (made with Steward, a tool for security contributions) removes the problem; apply it with `git apply`:', '', fence(input.patch, 'diff'), '');
  out.push(`Found with Steward ${VERSION}. Nothing about this has been published; I will not disclose it before you have had time to fix it.`);
  return {
    summary,
    description: out.join('\n'),
    severity: severityRank(worst) >= severityRank('critical') ? 'critical' : severityRank(worst) >= severityRank('high') ? 'high' : 'medium',
    cwe_ids: [...new Set(findings.flatMap((f) => CWE[f.ruleId] ?? []))],
    start_private_fork: false,
  };
}

export interface SecurityContact {
  path?: string;
  emails: string[];
  /** SECURITY.md points at GitHub's private reporting form. */
  advisoryLink: boolean;
}

const EMAIL = /\b[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}\b/g;

/** The private channels a SECURITY.md names. */
export function securityContact(path: string | undefined, text: string | undefined): SecurityContact {
  if (!text) return { path, emails: [], advisoryLink: false };
  const emails = [...new Set((text.match(EMAIL) ?? []).filter((e) => !/noreply|example\.(com|org|net)$/i.test(e)))];
  return { path, emails, advisoryLink: /security\/advisories\/new/.test(text) };
}

/** The text of the issue that asks for a private channel: no rule, file or detail of the problem. */
export function channelRequestIssue(): { title: string; body: string } {
  return {
    title: 'How can I report a security issue privately?',
    body: [
      'Hello! I believe I have found a security problem in this repository and would like to report it privately, so that it can be fixed before anyone else learns about it.',
      '',
      'I could not find a private channel: private vulnerability reporting is not enabled and there is no contact in a SECURITY.md. Could you either',
      '',
      '- enable private vulnerability reporting (Settings → Code security → Private vulnerability reporting), or',
      '- tell me an e-mail address to write to?',
      '',
      'I will not share any details here.',
    ].join('\n'),
  };
}

function unavailable(e: unknown): string | undefined {
  if (e instanceof GitHubError && (e.status === 422 || e.status === 404 || e.status === 403)) {
    return e.status === 422 ? 'private vulnerability reporting is not enabled for this repository' : e.status === 404 ? 'the reporting endpoint is not available for this repository (404)' : 'the token may not report to this repository (403)';
  }
  return undefined;
}

export interface SendOptions {
  upstream?: RepoRef;
  github?: Partial<PrivateReportGitHub>;
  webUrl: string;
  report: PrivateReportRequest;
  contact: SecurityContact;
  /** Where the report (or e-mail draft) is written when it cannot be sent through the API. */
  reportFile: string;
  write: (abs: string, data: string) => Promise<void>;
}

/** Sends the report through the first channel that exists; never pushes, never publishes details. */
export async function sendPrivately(o: SendOptions): Promise<PrivateRouteResult> {
  const notes: string[] = [];
  const { report } = o;
  if (o.github?.reportVulnerability && o.upstream) {
    try {
      const r = await o.github.reportVulnerability(o.upstream, report);
      return { channel: { kind: 'advisory', url: r.url, ghsaId: r.ghsaId }, report, notes };
    } catch (e) {
      const why = unavailable(e);
      if (!why) throw e;
      notes.push(`Not reported through GitHub: ${why}.`);
    }
  } else if (o.upstream && o.contact.advisoryLink && !o.contact.emails.length) {
    const url = `${o.webUrl}/${o.upstream.owner}/${o.upstream.repo}/security/advisories/new`;
    await o.write(o.reportFile, `Title: ${report.summary}\nSeverity: ${report.severity}\nCWE: ${report.cwe_ids.join(', ')}\n\n${report.description}\n`);
    return { channel: { kind: 'advisory-form', url, file: o.reportFile }, report, notes: [`${o.contact.path} points to GitHub's private reporting form; without GitHub access Steward cannot send it for you.`] };
  }
  const address = o.contact.emails[0];
  if (address) {
    const subject = `Security report: ${report.summary}`;
    const draft = [`To: ${address}`, `Subject: ${subject}`, 'Content-Type: text/plain; charset=utf-8', '', report.description, ''].join('\n');
    await o.write(o.reportFile, draft);
    // A mailto: body is limited in practice (~2000 characters in common mail clients): the draft has it all.
    const short = report.description.length > 1500 ? `${report.description.slice(0, 1500)}\n\n[… the full report, with the patch, is in the draft file I prepared]` : report.description;
    const mailto = `mailto:${encodeURIComponent(address).replace(/%40/g, '@')}?subject=${encodeURIComponent(subject)}&body=${encodeURIComponent(short)}`;
    notes.push(`Using the contact in ${o.contact.path}.`);
    return { channel: { kind: 'email', address, mailto, file: o.reportFile }, report, notes };
  }
  const issue = channelRequestIssue();
  notes.push(o.contact.path ? `${o.contact.path} names no private contact.` : 'The repository has no SECURITY.md.');
  if (o.github?.createIssue && o.upstream) {
    const r = await o.github.createIssue(o.upstream, issue);
    return { channel: { kind: 'issue', url: r.url, number: r.number }, report, notes };
  }
  await o.write(o.reportFile, `${issue.title}\n\n${issue.body}\n`);
  return { channel: { kind: 'issue', file: o.reportFile }, report, notes };
}

/** One paragraph for the CLI and the editor: what was done instead of a public PR, and what is next. */
export function describeChannel(r: PrivateRouteResult): string[] {
  const c = r.channel;
  switch (c.kind) {
    case 'advisory':
      return [`Reported privately through GitHub private vulnerability reporting: ${c.url}`, 'The maintainers see it in the Security tab; nothing was pushed and no pull request was opened.'];
    case 'advisory-form':
      return [`The report is in ${c.file}: open ${c.url} and paste it there (title, severity, description).`, 'Nothing was pushed and no pull request was opened.'];
    case 'email':
      return [`The e-mail to ${c.address} is drafted in ${c.file}; send it yourself (or open this mailto: link):`, c.mailto, 'Nothing was pushed and no pull request was opened.'];
    case 'issue':
      return c.url
        ? [`There is no private channel: opened issue #${c.number} (${c.url}) asking for one, without any details.`, 'Send the report once the maintainers answer; nothing was pushed and no pull request was opened.']
        : [`There is no private channel: the text of an issue asking for one (without details) is in ${c.file}.`, 'Nothing was pushed and no pull request was opened.'];
  }
}
