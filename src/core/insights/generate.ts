import { parseDocument, isMap, isSeq, type Document } from 'yaml';
import type { RepoFacts } from '../model/facts';
import { detectLicense, licenseFiles } from '../license/detect';
import { gatherProjectFacts, type Contact, type ReadText } from '../security-md/propose';
import type { InsightsTool, SecurityInsightsDoc } from './schema';
import { fillIn } from './placeholder';
import { localeOrder } from '../repo/order';
import { nestingBound } from '../yaml/depth';
import { MAX_NESTING } from '../yaml/parse';

/** Where GitHub-hosted projects keep the file; the root name is what the spec's examples use. */
export const INSIGHTS_DEFAULT_PATH = 'security-insights.yml';

// security-insights.yml from what the repository shows: URLs, the licence (detected from the licence
// file's text), SECURITY.md / CONTRIBUTING / changelog links, where releases go and which security
// tools run, read from the workflows and configuration files, and, when online, what the GitHub API
// says (archived, private vulnerability reporting, a published release). The file speaks for the
// maintainers, so it states only those facts: who administers the project, whether it pays bounties,
// when someone last reviewed the file and the like are left as "FILL IN: …" placeholders, which the
// security-insights-invalid check reports until a maintainer answers them (issue 14). Refreshing an
// existing file only adds what is missing and bumps `last-updated`: hand-written values and comments stay.

export interface InsightsFacts {
  name: string;
  repositoryUrl: string;
  /** Branch used in blob links (default branch, else HEAD, which GitHub resolves). */
  branch: string;
  archived?: boolean;
  license?: { spdx: string; path: string };
  /** The licence GitHub detected (online), when Steward found no licence file it recognises. */
  licenseSpdxFromApi?: string;
  securityPolicy?: string;
  contributing?: string;
  changelog?: string;
  codeOfConduct?: string;
  /** Addresses package metadata names (authors): a hint for the maintainer, never written as a role. */
  contacts: Contact[];
  owner?: string;
  distributionPoints: { uri: string; comment: string }[];
  automatedRelease: boolean;
  tools: InsightsTool[];
  /** The project takes vulnerability reports: private reporting is on (GitHub API) or the policy names a channel. */
  reportsAccepted?: boolean;
  /** Dependabot or Renovate is configured: the project takes automated change requests. */
  updateBot?: string;
}

export interface InsightsInput {
  paths: readonly string[];
  read: ReadText;
  facts?: RepoFacts;
  fallbackName?: string;
  /** Passed on to gatherProjectFacts(). */
  shareWith?: object;
}

const SECURITY_MD = /^(?:\.github\/|docs\/)?security\.(?:md|markdown|rst|adoc|txt)$/i;
const CONTRIBUTING = /^(?:\.github\/|docs\/)?contributing(?:\.(?:md|markdown|rst|adoc|txt))?$/i;
const CHANGELOG = /^(?:docs\/)?(?:changelog|changes|history|news|release[-_]?notes)(?:\.(?:md|markdown|rst|adoc|txt))?$/i;
const COC = /^(?:\.github\/|docs\/)?code[-_]of[-_]conduct(?:\.(?:md|markdown|rst|txt))?$/i;

const DEPENDABOT = /^\.github\/dependabot\.ya?ml$/i;
const WORKFLOW_PATH = /^\.github\/workflows\/[^/]+\.ya?ml$/;
const RENOVATE = /^(?:\.github\/)?(?:renovate\.json5?|\.renovaterc(?:\.json5?)?)$/i;

function first(paths: readonly string[], re: RegExp): string | undefined {
  const hits = paths.filter((p) => re.test(p));
  // Root first, then .github/, then docs/ — the order GitHub links them.
  const rank = (p: string) => (p.includes('/') ? (p.toLowerCase().startsWith('.github/') ? 1 : 2) : 0);
  return hits.sort((a, b) => rank(a) - rank(b) || localeOrder(a, b))[0];
}

function tool(name: string, type: InsightsTool['type'], integration: InsightsTool['integration'], comment: string): InsightsTool {
  return { name, type, rulesets: ['default'], integration, results: {}, comment };
}

/** Security tools and release automation found in workflow texts and configuration files. */
export function detectTooling(paths: readonly string[], workflows: readonly { path: string; text: string }[], pkgName?: { npm?: string; pypi?: string; github?: string }): {
  tools: InsightsTool[];
  distribution: { uri: string; comment: string }[];
  automatedRelease: boolean;
} {
  const tools: InsightsTool[] = [];
  const all = workflows.map((w) => w.text).join('\n');
  const uses = (re: RegExp) => workflows.some((w) => re.test(w.text));
  if (paths.some((p) => DEPENDABOT.test(p))) tools.push(tool('Dependabot', 'SCA', { adhoc: true, ci: false, release: false }, 'Opens pull requests for outdated or vulnerable dependencies (.github/dependabot.yml).'));
  if (paths.some((p) => RENOVATE.test(p))) tools.push(tool('Renovate', 'SCA', { adhoc: true, ci: false, release: false }, 'Keeps dependencies up to date.'));
  if (uses(/uses:\s*['"]?github\/codeql-action\/(?:init|analyze)@/)) tools.push(tool('CodeQL', 'SAST', { adhoc: false, ci: true, release: false }, 'GitHub code scanning in a workflow.'));
  if (uses(/uses:\s*['"]?zizmorcore\/zizmor-action@|\bzizmor\b.*(?:\.github|--format|--persona|\s\.)/)) tools.push(tool('zizmor', 'SAST', { adhoc: false, ci: true, release: false }, 'Static analysis of the GitHub Actions workflows.'));
  if (uses(/uses:\s*['"]?ossf\/scorecard-action@/)) tools.push(tool('OpenSSF Scorecard', 'other', { adhoc: true, ci: false, release: false }, 'Scheduled supply-chain posture checks.'));
  if (uses(/uses:\s*['"]?actions\/dependency-review-action@/)) tools.push(tool('Dependency Review', 'SCA', { adhoc: false, ci: true, release: false }, 'Blocks pull requests that add known-vulnerable dependencies.'));
  if (uses(/uses:\s*['"]?(?:gitleaks\/gitleaks-action|trufflesecurity\/trufflehog)@/)) tools.push(tool('Secret scanning in CI', 'secret', { adhoc: false, ci: true, release: false }, 'Looks for committed credentials.'));
  if (uses(/uses:\s*['"]?(?:google\/clusterfuzzlite|google\/oss-fuzz)\//)) tools.push(tool('Fuzzing (ClusterFuzzLite / OSS-Fuzz)', 'fuzzing', { adhoc: false, ci: true, release: false }, 'Fuzz tests in CI.'));

  const distribution: { uri: string; comment: string }[] = [];
  const pypi = uses(/uses:\s*['"]?pypa\/gh-action-pypi-publish@|\btwine\s+upload\b|\buv\s+publish\b|\bpoetry\s+publish\b|\bflit\s+publish\b|\bhatch\s+publish\b/);
  const npm = uses(/\bnpm\s+publish\b|\byarn\s+(?:npm\s+)?publish\b|\bpnpm\s+publish\b|JS-DevTools\/npm-publish@/);
  const crates = uses(/\bcargo\s+publish\b/);
  const ghRelease = uses(/uses:\s*['"]?softprops\/action-gh-release@|\bgh\s+release\s+create\b|uses:\s*['"]?ncipollo\/release-action@|uses:\s*['"]?goreleaser\/goreleaser-action@/);
  if (pypi && pkgName?.pypi) distribution.push({ uri: `https://pypi.org/project/${pkgName.pypi}/`, comment: 'Python package on PyPI, published from a workflow.' });
  if (npm && pkgName?.npm) distribution.push({ uri: `https://www.npmjs.com/package/${pkgName.npm}`, comment: 'npm package, published from a workflow.' });
  if (ghRelease && pkgName?.github) distribution.push({ uri: `${pkgName.github}/releases`, comment: 'GitHub releases, created from a workflow.' });
  return { tools, distribution, automatedRelease: pypi || npm || crates || ghRelease || /\bdocker\/build-push-action@[\s\S]*push:\s*true/.test(all) };
}

function pythonName(text: string | undefined): string | undefined {
  const project = text && /^\s*\[project\]\s*$([\s\S]*?)(?=^\s*\[|$(?![\s\S]))/m.exec(text)?.[1];
  return project ? /^\s*name\s*=\s*["']([^"']+)["']/m.exec(project)?.[1] : undefined;
}

/**
 * What gatherInsightsFacts() reads, read: the project facts and the texts of the licence file, the
 * workflows, package.json and pyproject.toml. undefined when the repository URL cannot be told (then
 * there is nothing to generate). Splitting the reads from the work on them lets a scan do the reads
 * (what it could not see is reported the same) and leave the work to the fix's text, written only when
 * the fix is used (issue 19).
 */
export interface InsightsReads {
  input: InsightsInput;
  project: Awaited<ReturnType<typeof gatherProjectFacts>> & { repositoryUrl: string };
  licPath?: string;
  licText?: string;
  workflows: { path: string; text: string }[];
  pkgText?: string;
  pyText?: string;
}

export async function readInsightsInputs(input: InsightsInput): Promise<InsightsReads | undefined> {
  const { paths, read } = input;
  const project = await gatherProjectFacts(read, { facts: input.facts, fallbackName: input.fallbackName, shareWith: input.shareWith, noTags: true });
  if (!project.repositoryUrl) return undefined;
  const licPath = licenseFiles(paths)[0];
  const licText = licPath ? await read(licPath) : undefined;
  const workflowPaths = paths.filter((p) => p.startsWith('.github/workflows/') && WORKFLOW_PATH.test(p));
  const workflows = (await Promise.all(workflowPaths.map(async (p) => ({ path: p, text: (await read(p)) ?? '' })))).filter((w) => w.text);
  const pkgText = paths.includes('package.json') ? await read('package.json') : undefined;
  const pyText = paths.includes('pyproject.toml') ? await read('pyproject.toml') : undefined;
  return { input, project: project as InsightsReads['project'], licPath, licText, workflows, pkgText, pyText };
}

export async function gatherInsightsFacts(input: InsightsInput): Promise<InsightsFacts | undefined> {
  const reads = await readInsightsInputs(input);
  return reads && insightsFactsFrom(reads);
}

/** The facts from what readInsightsInputs() read: no I/O. */
export function insightsFactsFrom(reads: InsightsReads): InsightsFacts {
  const { input, project, licPath, licText, workflows, pkgText, pyText } = reads;
  const { paths } = input;
  const lic = licText ? detectLicense(licText) : undefined;
  let npmName: string | undefined;
  let npmPrivate = false;
  try {
    const pkg = pkgText ? (JSON.parse(pkgText) as { name?: unknown; private?: unknown }) : undefined;
    npmName = typeof pkg?.name === 'string' ? pkg.name : undefined;
    npmPrivate = pkg?.private === true;
  } catch {
    npmName = undefined;
  }
  const pypiName = paths.includes('pyproject.toml') ? pythonName(pyText) : undefined;
  const gh = project.github;
  const tooling = detectTooling(paths, workflows, { npm: npmPrivate ? undefined : npmName, pypi: pypiName, github: gh ? project.repositoryUrl : undefined });
  const distribution = [...tooling.distribution];
  // A published release the API reports is a fact even when no workflow makes it.
  const latest = input.facts?.latestRelease;
  if (gh && latest?.known && latest.value && !distribution.some((d) => d.uri.endsWith('/releases'))) distribution.push({ uri: `${project.repositoryUrl}/releases`, comment: `GitHub releases (latest: ${latest.value.tag}).` });
  const archived = input.facts?.archived;
  const spdx = input.facts?.licenseSpdx;
  const apiLicense = spdx?.known && spdx.value && spdx.value !== 'NOASSERTION' ? spdx.value : undefined;
  const pvr = input.facts?.privateVulnerabilityReporting;
  const reportsAccepted = (pvr?.known && pvr.value) || (project.policyChannels?.length ?? 0) > 0 ? true : undefined;
  const bot = paths.some((p) => DEPENDABOT.test(p)) ? 'Dependabot' : paths.some((p) => RENOVATE.test(p)) ? 'Renovate' : undefined;
  return {
    name: project.name ?? gh?.repo ?? input.fallbackName ?? 'project',
    repositoryUrl: project.repositoryUrl,
    branch: input.facts?.defaultBranch ?? 'HEAD',
    archived: archived?.known ? archived.value : undefined,
    license: lic && licPath ? { spdx: lic.spdx, path: licPath } : undefined,
    ...(!(lic && licPath) && apiLicense ? { licenseSpdxFromApi: apiLicense } : {}),
    securityPolicy: first(paths, SECURITY_MD),
    contributing: first(paths, CONTRIBUTING),
    changelog: first(paths, CHANGELOG),
    codeOfConduct: first(paths, COC),
    contacts: project.contacts,
    owner: gh?.owner,
    distributionPoints: distribution,
    automatedRelease: tooling.automatedRelease,
    tools: tooling.tools,
    ...(reportsAccepted ? { reportsAccepted } : {}),
    ...(bot ? { updateBot: bot } : {}),
  };
}

/** A placeholder person: who administers the project is the maintainers' to say, not a manifest's author. */
function personToFill(role: string, f: InsightsFacts): { name: string; primary: boolean } {
  const c = f.contacts[0];
  const hint = c ? ` (${c.source}: ${c.name ? `${c.name} <${c.email}>` : c.email}; Steward cannot tell whether that is one)` : '';
  return { name: fillIn(`the name of ${role}${hint}`), primary: true };
}

/** A draft: the schema's shape, where a value Steward cannot know is a "FILL IN: …" string instead. */
type Draft<T> = T extends boolean ? boolean | string : T extends string ? string : T extends Date ? T : T extends readonly (infer U)[] ? Draft<U>[] : T extends object ? { [K in keyof T]: Draft<T[K]> } : T;
export type InsightsDraft = Draft<SecurityInsightsDoc>;

/** A fresh 2.0 document. `today` is YYYY-MM-DD (passed in so output is reproducible): the day it is written. */
export function buildInsights(f: InsightsFacts, today: string, filePath = 'security-insights.yml'): InsightsDraft {
  const blob = (p: string) => `${f.repositoryUrl}/blob/${f.branch}/${p.split('/').map(encodeURIComponent).join('/')}`;
  // GitHub makes an archived repository read-only: no change requests of any kind.
  const archived = f.archived === true;
  const doc: InsightsDraft = {
    header: {
      'schema-version': '2.0.0',
      'last-updated': today,
      'last-reviewed': fillIn('the date a maintainer last reviewed this file, as YYYY-MM-DD'),
      url: blob(filePath),
      comment: 'Generated by Steward from the repository. Each "FILL IN:" value is for a maintainer to answer: Steward cannot know it.',
    },
    project: {
      name: f.name,
      administrators: [personToFill('a person who administers the project', f)],
      repositories: [{ name: f.name, url: f.repositoryUrl, comment: 'The main repository of the project.' }],
      'vulnerability-reporting': {
        'reports-accepted': f.reportsAccepted ?? fillIn('true or false: does the project accept vulnerability reports?'),
        'bug-bounty-available': fillIn('true or false: does the project pay bug bounties?'),
        ...(f.securityPolicy ? { 'security-policy': blob(f.securityPolicy) } : {}),
      },
      ...(f.codeOfConduct ? { documentation: { 'code-of-conduct': blob(f.codeOfConduct) } } : {}),
    },
    repository: {
      status: archived ? 'inactive' : fillIn(`one of active, inactive, abandoned, concept, moved, suspended, unsupported, WIP`),
      url: f.repositoryUrl,
      'accepts-change-request': archived ? false : fillIn('true or false: does the project accept pull requests?'),
      'accepts-automated-change-request': archived ? false : f.updateBot ? true : fillIn('true or false: does the project accept pull requests from bots?'),
      'core-team': [personToFill('a core team member', f)],
      license: f.license ? { url: blob(f.license.path), expression: f.license.spdx } : { url: fillIn('the URL of the licence file'), expression: f.licenseSpdxFromApi ?? fillIn('the SPDX expression of the licence, e.g. MIT') },
      security: {
        assessments: { self: { comment: fillIn("a note on the project's own security assessment, or that there is none yet") } },
        ...(f.tools.length ? { tools: f.tools } : {}),
      },
      ...(f.contributing || f.securityPolicy
        ? {
            documentation: {
              ...(f.contributing ? { 'contributing-guide': blob(f.contributing) } : {}),
              ...(f.securityPolicy ? { 'security-policy': blob(f.securityPolicy) } : {}),
            },
          }
        : {}),
      // Only where releases are seen to go (a publishing workflow, a release the API reports).
      ...(f.distributionPoints.length
        ? {
            release: {
              'automated-pipeline': f.automatedRelease ? true : fillIn('true or false: are releases built and published by an automated pipeline?'),
              'distribution-points': f.distributionPoints,
              ...(f.changelog ? { changelog: blob(f.changelog) } : {}),
            },
          }
        : {}),
    },
  };
  return doc;
}

const HEADER_COMMENT = ' Security Insights 2.0 (https://github.com/ossf/security-insights-spec): machine-readable security facts about this project.';

export function renderInsights(doc: InsightsDraft): string {
  const d = parseDocument('{}');
  // Plain copies, not YAML anchors, where the same list (the team) appears twice: easier to edit.
  d.contents = d.createNode(doc, { aliasDuplicateObjects: false }) as typeof d.contents;
  d.commentBefore = HEADER_COMMENT;
  return d.toString({ lineWidth: 0 });
}

/** Keys whose lists are merged by identity instead of being left alone when present. */
const LIST_IDENTITY: Record<string, string> = {
  'repository.security.tools': 'name',
  'repository.release.distribution-points': 'uri',
};

function mergeInto(d: Document, path: (string | number)[], value: unknown): void {
  const key = path.join('.');
  if (!d.hasIn(path)) {
    d.setIn(path, d.createNode(value, { aliasDuplicateObjects: false }));
    return;
  }
  const existing = d.getIn(path, true);
  if (Array.isArray(value) && LIST_IDENTITY[key] && isSeq(existing)) {
    const id = LIST_IDENTITY[key];
    const have = new Set(existing.items.map((it) => (isMap(it) ? String(it.get(id)) : '')));
    for (const v of value as Record<string, unknown>[]) if (!have.has(String(v[id]))) existing.items.push(d.createNode(v, { aliasDuplicateObjects: false }) as never);
    return;
  }
  if (value && typeof value === 'object' && !Array.isArray(value) && isMap(existing)) {
    for (const [k, v] of Object.entries(value)) mergeInto(d, [...path, k], v);
  }
  // A scalar or list the maintainers wrote stays as it is.
}

/**
 * Refreshes an existing file: adds fields and list entries that are missing, sets `last-updated`,
 * and keeps every existing value, unknown key and comment. Returns undefined when the existing text
 * is not YAML that can be merged (the caller then reports instead of overwriting).
 */
export function refreshInsights(existing: string, fresh: InsightsDraft): string | undefined {
  // Too deep to parse safely (yaml/depth.ts): reported like any text that cannot be merged.
  if (nestingBound(existing, MAX_NESTING) > MAX_NESTING) return undefined;
  const d = parseDocument(existing, { keepSourceTokens: false });
  if (d.errors.length || (d.contents !== null && !isMap(d.contents))) return undefined;
  // An empty file parses to null contents; start from an empty mapping.
  if (d.contents === null) (d as unknown as { contents: unknown }).contents = d.createNode({});
  const version = d.getIn(['header', 'schema-version']);
  if (typeof version === 'string' && /^1\./.test(version)) return undefined;
  // The generated-by note is for new files; a maintained file keeps its own header comment (or none).
  const { comment: _generated, ...header } = fresh.header;
  mergeInto(d, [], { ...fresh, header });
  d.setIn(['header', 'last-updated'], fresh.header['last-updated']);
  return d.toString({ lineWidth: 0 });
}

export function todayUtc(now = new Date()): string {
  return now.toISOString().slice(0, 10);
}
