import type * as semver from 'semver';

/** semver, loaded on first use: its module builds range tables when loaded, and most scans never compare versions. */
const sv = (): typeof semver => require('semver') as typeof semver;
import type { RepoFacts } from '../model/facts';
import type { ReportingChannel, SecurityMdAnswers } from './answers';
import { replaceHtmlComments } from './comments';

// Pre-filling the SECURITY.md answers from what the repository already says: its remote URL, package
// metadata (name, contact e-mails), tags (supported version lines) and, online, whether GitHub private
// vulnerability reporting is on. Nothing here guesses a contact that is not written down somewhere.

export interface Contact {
  name?: string;
  email: string;
  /** Where it was found, e.g. "package.json author". */
  source: string;
}

export interface ProjectFacts {
  name?: string;
  /** https://github.com/<owner>/<repo> (or another forge's web URL). */
  repositoryUrl?: string;
  github?: { owner: string; repo: string };
  /** true/false when the GitHub facts know; undefined when unknown. */
  pvrEnabled?: boolean;
  tags: string[];
  /** Release dates by tag (ISO), where the snapshot has them (TAGS.txt `tag date` lines, git). */
  tagDates?: Record<string, string>;
  /** Addresses from package metadata: shown to the person, never proposed as the private channel. */
  contacts: Contact[];
  /** Channels the existing policy already names: a rewrite keeps every one of them. */
  policyChannels?: ReportingChannel[];
}

/** Reads a repository-relative file as text, or undefined. */
export type ReadText = (path: string) => Promise<string | undefined>;

/** `git@github.com:o/r.git`, `https://github.com/o/r`, `github:o/r`, `git+https://…` → web URL. */
export function normaliseRepoUrl(raw: string): string | undefined {
  let s = raw.trim().replace(/^git\+/, '');
  const short = /^(github|gitlab|bitbucket):([\w.-]+\/[\w.-]+)$/.exec(s);
  if (short) s = `https://${short[1]}.${short[1] === 'bitbucket' ? 'org' : 'com'}/${short[2]}`;
  else if (/^[\w.-]+\/[\w.-]+$/.test(s)) s = `https://github.com/${s}`;
  const scp = /^[\w.-]+@([\w.-]+):(.+)$/.exec(s);
  if (scp) s = `https://${scp[1]}/${scp[2]}`;
  s = s.replace(/^(?:ssh|git):\/\/(?:[^@/]+@)?/, 'https://').replace(/^http:\/\//, 'https://');
  if (!/^https:\/\/[^/]+\/[^/]+\/[^/]+/.test(s)) return undefined;
  s = s.replace(/\.git$/, '').replace(/\/+$/, '');
  // Credentials in a remote URL never belong in generated text.
  s = s.replace(/^https:\/\/[^@/]+@/, 'https://');
  const m = /^(https:\/\/[^/]+\/[^/]+\/[^/#?]+)/.exec(s);
  return m?.[1];
}

export function githubOf(url: string | undefined): { owner: string; repo: string } | undefined {
  const m = url && /^https:\/\/github\.com\/([^/]+)\/([^/]+)$/.exec(url);
  return m ? { owner: m[1], repo: m[2] } : undefined;
}

/** The `url` of `[remote "origin"]` (else upstream, else the first remote) in .git/config text. */
export function remoteFromGitConfig(text: string): string | undefined {
  const remotes = new Map<string, string>();
  let current: string | undefined;
  for (const line of text.split(/\r?\n/)) {
    const sec = /^\s*\[\s*remote\s+"([^"]+)"\s*\]/.exec(line);
    if (sec) {
      current = sec[1];
      continue;
    }
    if (/^\s*\[/.test(line)) current = undefined;
    const url = current && /^\s*url\s*=\s*(.+?)\s*$/.exec(line);
    if (url && current && !remotes.has(current)) remotes.set(current, url[1]);
  }
  return remotes.get('origin') ?? remotes.get('upstream') ?? remotes.values().next().value;
}

/** "Name <email> (url)" as npm and Cargo write people. */
function parsePerson(s: string): { name?: string; email?: string } {
  const m = /^\s*([^<(]*?)\s*(?:<([^>]+)>)?\s*(?:\(([^)]*)\))?\s*$/.exec(s);
  return { name: m?.[1] || undefined, email: m?.[2] };
}

const EMAIL = /^[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}$/;

/**
 * Addresses anyone can read: mailing lists and discussion groups. A report sent there is public, so
 * such an address is never offered as a private channel (issue 14.5).
 */
export function isPublicAddress(email: string, mailingListUrls: readonly string[] = []): boolean {
  const e = email.toLowerCase();
  const domain = e.slice(e.indexOf('@') + 1);
  if (/(?:^|\.)lists?\./.test(domain) || /^lists?\./.test(domain) || /googlegroups\.com$|(?:^|\.)groups\.io$|freelists\.org$|lists\.sourceforge\.net$/.test(domain)) return true;
  if (/-(?:discuss|announce|users?|devel|dev|general|list|talk|community)@/.test(e) || /^(?:discuss|announce|users|devel|list|mailing-list)@/.test(e)) return true;
  return mailingListUrls.some((u) => u.toLowerCase().includes(e) || u.toLowerCase().includes(domain));
}

function addContact(out: Contact[], name: string | undefined, email: string | undefined, source: string): void {
  if (!email || !EMAIL.test(email) || /noreply|no-reply/i.test(email) || isPublicAddress(email)) return;
  if (!out.some((c) => c.email.toLowerCase() === email.toLowerCase())) out.push({ name, email, source });
}

export function packageJsonFacts(text: string): { name?: string; repositoryUrl?: string; contacts: Contact[] } {
  let pkg: Record<string, unknown>;
  try {
    pkg = JSON.parse(text) as Record<string, unknown>;
  } catch {
    return { contacts: [] };
  }
  const contacts: Contact[] = [];
  const person = (p: unknown, source: string) => {
    if (typeof p === 'string') {
      const { name, email } = parsePerson(p);
      addContact(contacts, name, email, source);
    } else if (p && typeof p === 'object') {
      const o = p as { name?: unknown; email?: unknown };
      addContact(contacts, typeof o.name === 'string' ? o.name : undefined, typeof o.email === 'string' ? o.email : undefined, source);
    }
  };
  person(pkg.author, 'package.json author');
  if (Array.isArray(pkg.maintainers)) for (const m of pkg.maintainers) person(m, 'package.json maintainers');
  const repo = pkg.repository;
  const rawUrl = typeof repo === 'string' ? repo : repo && typeof repo === 'object' ? (repo as { url?: unknown }).url : undefined;
  return {
    name: typeof pkg.name === 'string' ? pkg.name : undefined,
    repositoryUrl: typeof rawUrl === 'string' ? normaliseRepoUrl(rawUrl) : undefined,
    contacts,
  };
}

/** The body of a TOML table `[name]` (up to the next table header). Enough for the few keys we read. */
function tomlTable(text: string, name: string): string | undefined {
  const re = new RegExp(`^\\s*\\[\\s*${name.replace(/\./g, '\\.')}\\s*\\]\\s*$`, 'm');
  const m = re.exec(text);
  if (!m) return undefined;
  const rest = text.slice(m.index + m[0].length);
  const next = /^\s*\[[^\]]+\]\s*$/m.exec(rest);
  return next ? rest.slice(0, next.index) : rest;
}

function tomlString(table: string | undefined, key: string): string | undefined {
  const m = table && new RegExp(`^\\s*${key}\\s*=\\s*(?:"([^"]*)"|'([^']*)')`, 'm').exec(table);
  return m ? (m[1] ?? m[2]) : undefined;
}

/** The text of a TOML array value `key = [ ... ]`, possibly spanning lines. */
function tomlArray(table: string | undefined, key: string): string | undefined {
  const m = table && new RegExp(`^\\s*${key}\\s*=\\s*\\[`, 'm').exec(table);
  if (!m || !table) return undefined;
  let depth = 0;
  for (let i = m.index + m[0].length - 1; i < table.length; i++) {
    const c = table[i];
    if (c === '"' || c === "'") {
      const end = table.indexOf(c, i + 1);
      if (end < 0) break;
      i = end;
    } else if (c === '[') depth++;
    else if (c === ']' && --depth === 0) return table.slice(m.index + m[0].length, i);
  }
  return undefined;
}

export function pyprojectFacts(text: string): { name?: string; repositoryUrl?: string; contacts: Contact[] } {
  const project = tomlTable(text, 'project');
  const contacts: Contact[] = [];
  for (const key of ['maintainers', 'authors']) {
    const arr = tomlArray(project, key);
    if (!arr) continue;
    for (const t of arr.matchAll(/\{([^}]*)\}/g)) {
      const email = /email\s*=\s*["']([^"']+)["']/.exec(t[1])?.[1];
      const name = /name\s*=\s*["']([^"']+)["']/.exec(t[1])?.[1];
      addContact(contacts, name, email, `pyproject.toml ${key}`);
    }
  }
  const urls = tomlTable(text, 'project.urls');
  // A package's "Mailing list" URL names a public list: addresses on it are not private channels.
  const lists = [...(urls ?? '').matchAll(/^\s*["']?[^=\n]*(?:mailing|list|forum|discuss)[^=\n]*["']?\s*=\s*["']([^"']+)["']/gim)].map((m) => m[1]);
  if (lists.length) for (let i = contacts.length - 1; i >= 0; i--) if (isPublicAddress(contacts[i].email, lists)) contacts.splice(i, 1);
  let repositoryUrl: string | undefined;
  for (const key of ['Repository', 'repository', 'Source', 'source', '"Source Code"', 'Code', 'GitHub', 'Homepage', 'homepage']) {
    const v = tomlString(urls, key);
    const n = v && normaliseRepoUrl(v);
    if (n && (key.toLowerCase() !== 'homepage' || /github\.com|gitlab\.com/.test(n))) {
      repositoryUrl = n;
      break;
    }
  }
  return { name: tomlString(project, 'name'), repositoryUrl, contacts };
}

export function cargoFacts(text: string): { name?: string; repositoryUrl?: string; contacts: Contact[] } {
  const pkg = tomlTable(text, 'package');
  const contacts: Contact[] = [];
  const arr = tomlArray(pkg, 'authors');
  if (arr) {
    for (const s of arr.matchAll(/"([^"]*)"/g)) {
      const { name, email } = parsePerson(s[1]);
      addContact(contacts, name, email, 'Cargo.toml authors');
    }
  }
  const repo = tomlString(pkg, 'repository');
  return { name: tomlString(pkg, 'name'), repositoryUrl: repo ? normaliseRepoUrl(repo) : undefined, contacts };
}

/** The release version a tag names, if it names one (no pre-releases). */
function tagVersion(tag: string): semver.SemVer | undefined {
  const m = /(\d+(?:[._]\d+){1,2})([-.]?(?:a|b|rc|alpha|beta|pre|dev)\d*)?$/i.exec(tag.trim());
  if (!m || m[2]) return undefined;
  return sv().coerce(m[1].replace(/_/g, '.')) ?? undefined;
}

/**
 * The versions of one tag list, worked out once: a proposal asks for them three times, and a
 * repository can have 12,000 tags (renovate), which made this most of a cold scan's checks.
 */
const versionsOfTags = new WeakMap<readonly string[], { sorted: semver.SemVer[]; byTag: Map<string, semver.SemVer> }>();

function versionsOf(tags: readonly string[]): { sorted: semver.SemVer[]; byTag: Map<string, semver.SemVer> } {
  let r = versionsOfTags.get(tags);
  if (!r) {
    const byTag = new Map<string, semver.SemVer>();
    const sorted: semver.SemVer[] = [];
    for (const tag of tags) {
      const v = tagVersion(tag);
      if (!v) continue;
      byTag.set(tag, v);
      sorted.push(v);
    }
    // Coerced versions have no pre-release part, so newest first is major, minor, patch descending
    // (what semver.rcompare gives them, at a fraction of the cost; the sort is stable either way).
    sorted.sort((a, b) => b.major - a.major || b.minor - a.minor || b.patch - a.patch);
    r = { sorted, byTag };
    versionsOfTags.set(tags, r);
  }
  return r;
}

/** Release versions among tags (`v1.2.3`, `1.2.3`, `curl-8_10_1`, `release-2.0`), newest first. */
export function releaseVersions(tags: readonly string[]): semver.SemVer[] {
  return [...versionsOf(tags).sorted];
}

/** A release line: the major version from 1.0 on, the minor below it (0.x lines break at minors). */
function lineOf(v: semver.SemVer): string {
  return v.major >= 1 ? String(v.major) : `0.${v.minor}`;
}

// A line whose newest release is this recent (against the newest release of all) still gets releases.
const ACTIVE_LINE_DAYS = 183;

/**
 * Supported version lines proposed from tags: the newest major.minor line, plus every other release
 * line that still gets releases (its newest release within half a year of the newest release), when
 * the tags' dates are known. Everything else is "No".
 */
export function proposeSupportedVersions(tags: readonly string[], dates?: Readonly<Record<string, string>>): SecurityMdAnswers['supportedVersions'] {
  const versions = releaseVersions(tags);
  if (!versions.length) {
    return [
      { version: 'Latest release', supported: true },
      { version: 'Older releases', supported: false },
    ];
  }
  const latest = versions[0];
  const rows: SecurityMdAnswers['supportedVersions'] = [{ version: `${latest.major}.${latest.minor}.x`, supported: true }];
  const dated = dates ? tagVersions(tags, dates) : [];
  if (dated.length) {
    const newest = Math.max(...dated.map((d) => d.time));
    const byLine = new Map<string, { v: semver.SemVer; time: number }>();
    for (const d of dated) {
      const k = lineOf(d.v);
      const have = byLine.get(k);
      if (!have || sv().gt(d.v, have.v)) byLine.set(k, d);
    }
    const active = [...byLine.entries()]
      .filter(([k, d]) => k !== lineOf(latest) && newest - d.time <= ACTIVE_LINE_DAYS * 86_400_000)
      .map(([, d]) => d.v)
      .sort((a, b) => sv().rcompare(a, b));
    for (const v of active) rows.push({ version: `${v.major}.${v.minor}.x`, supported: true });
    if (active.length) {
      if (versions.some((v) => !rows.some((r) => r.version === `${v.major}.${v.minor}.x`))) rows.push({ version: 'Older versions', supported: false });
      return rows;
    }
  }
  if (versions.some((v) => v.major < latest.major || v.minor < latest.minor)) rows.push({ version: `< ${latest.major}.${latest.minor}`, supported: false });
  return rows;
}

function tagVersions(tags: readonly string[], dates: Readonly<Record<string, string>>): { v: semver.SemVer; time: number }[] {
  const out: { v: semver.SemVer; time: number }[] = [];
  const { byTag } = versionsOf(tags);
  for (const tag of tags) {
    const time = Date.parse(dates[tag] ?? '');
    if (!Number.isFinite(time)) continue;
    const v = byTag.get(tag);
    if (v) out.push({ v, time });
  }
  return out;
}

/** `tag` or `tag<whitespace>date` lines (TAGS.txt, `git tag --format='%(refname:short) %(creatordate:iso-strict)'`). */
export function parseTagLines(text: string): { tags: string[]; dates: Record<string, string> } {
  const tags: string[] = [];
  const dates: Record<string, string> = {};
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line) continue;
    const m = /^(\S+)\s+(\d{4}-\d{2}-\d{2}\S*)/.exec(line);
    if (m) {
      tags.push(m[1]);
      dates[m[1]] = m[2];
    } else tags.push(line.split(/\s+/)[0]);
  }
  return { tags, dates };
}

const POLICY_PATHS = ['.github/SECURITY.md', 'SECURITY.md', 'docs/SECURITY.md'];
/** What gatherProjectFacts() reads, in the order projectFactsFrom() takes them (TAGS.txt left out with noTags). */
const FACT_PATHS = ['.git/config', 'package.json', 'pyproject.toml', 'Cargo.toml', 'TAGS.txt', 'MANIFEST.json'];
const FACT_PATHS_NO_TAGS = FACT_PATHS.map((p) => (p === 'TAGS.txt' ? undefined : p));

/**
 * The private channels an existing policy names (e-mail addresses, GitHub private reporting links,
 * reporting pages), so a rewrite keeps every one. Placeholders and public addresses are not channels.
 */
export function channelsInPolicy(text: string): ReportingChannel[] {
  const out: ReportingChannel[] = [];
  const noComments = replaceHtmlComments(text, () => ' ');
  for (const m of noComments.matchAll(/https:\/\/github\.com\/([\w.-]+)\/([\w.-]+)\/security\/advisories\/new/g)) {
    if (m[1] === 'owner' && m[2] === 'repo') continue;
    if (!out.some((c) => c.type === 'github-pvr' && c.url === m[0])) out.push({ type: 'github-pvr', url: m[0] });
  }
  for (const m of noComments.matchAll(/[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g)) {
    const a = m[0];
    // security@example.org is the snippet's placeholder, not a channel.
    if (/^security@example\.org$|noreply|no-reply|^git@/i.test(a) || isPublicAddress(a)) continue;
    if (!out.some((c) => c.type === 'email' && c.address.toLowerCase() === a.toLowerCase())) out.push({ type: 'email', address: a });
  }
  for (const m of noComments.matchAll(/https:\/\/[^\s)<>\]"']+/g)) {
    const u = m[0].replace(/[.,;:]+$/, '');
    if (/\/security\/advisories\/new/.test(u) || /github\.com\/[^/]+\/[^/]+\/(?:issues|pulls|discussions)/.test(u)) continue;
    if (!/hackerone|bugcrowd|intigriti|yeswehack|huntr|tidelift\.com\/security|\/security(?:[/.#?-]|$)|disclos|vulnerab/i.test(u)) continue;
    if (!out.some((c) => c.type === 'url' && c.url === u)) out.push({ type: 'url', url: u });
  }
  return out;
}

/** Corpus snapshots (shared/corpus) name their repository in MANIFEST.json as `owner/name`. */
function corpusRepo(manifest: string | undefined): string | undefined {
  if (!manifest) return undefined;
  try {
    const repo = (JSON.parse(manifest) as { repo?: unknown }).repo;
    return typeof repo === 'string' && /^[\w.-]+\/[\w.-]+$/.test(repo) ? `https://github.com/${repo}` : undefined;
  } catch {
    return undefined;
  }
}

export interface GatherOptions {
  /** `git tag` output lines, when the caller ran git. */
  tags?: readonly string[];
  facts?: RepoFacts;
  /** Folder name, used when no metadata names the project. */
  fallbackName?: string;
  /** Release dates by tag, when the caller knows them. */
  tagDates?: Record<string, string>;
  /** Calls given the same object (the checks of a scan give its path list) share the work on equal texts. */
  shareWith?: object;
  /**
   * The caller uses neither `tags` nor `tagDates` (the checks' fixes and Security Insights write no
   * supported versions): TAGS.txt is not read or parsed (12,000 lines at renovate) and `tags` is empty.
   */
  noTags?: boolean;
}

/**
 * Work shared by calls given the same `shareWith` object (a scan's checks pass its path list): keyed by
 * every text read and every option, so a call whose reader saw other texts computes its own facts.
 */
const sharedFacts = new WeakMap<object, { key: readonly unknown[]; facts: ProjectFacts }[]>();

/** A copy whose lists and records a caller may change without changing what another call gets. */
function copyFacts(f: ProjectFacts): ProjectFacts {
  return {
    ...f,
    tags: [...f.tags],
    ...(f.tagDates ? { tagDates: { ...f.tagDates } } : {}),
    contacts: f.contacts.map((c) => ({ ...c })),
    ...(f.policyChannels ? { policyChannels: f.policyChannels.map((c) => ({ ...c })) } : {}),
  };
}

/**
 * Reads the files that say who and where the project is. Every call reads through its own `read` (the
 * checks of a scan each see, and report, what they could not read); with `shareWith`, the work on those
 * texts is done once for equal texts and options (three checks of every scan ask, issue 19).
 */
export async function gatherProjectFacts(read: ReadText, opts: GatherOptions = {}): Promise<ProjectFacts> {
  const texts = await Promise.all((opts.noTags ? FACT_PATHS_NO_TAGS : FACT_PATHS).map((p) => (p ? read(p) : undefined)));
  const policies: (string | undefined)[] = [];
  for (const p of POLICY_PATHS) policies.push(await read(p));
  if (!opts.shareWith) return projectFactsFrom(texts, policies, opts);
  const key = [...texts, ...policies, opts.facts, opts.tags, opts.fallbackName, opts.tagDates, !!opts.noTags];
  let list = sharedFacts.get(opts.shareWith);
  if (!list) sharedFacts.set(opts.shareWith, (list = []));
  const hit = list.find((e) => e.key.length === key.length && e.key.every((k, i) => k === key[i]));
  if (hit) return copyFacts(hit.facts);
  const facts = projectFactsFrom(texts, policies, opts);
  // A long-lived editor keeps one path list across re-checks while package.json changes: a few entries.
  if (list.length >= 4) list.shift();
  list.push({ key, facts: copyFacts(facts) });
  return facts;
}

function projectFactsFrom(texts: readonly (string | undefined)[], policies: readonly (string | undefined)[], opts: GatherOptions): ProjectFacts {
  const [gitConfig, pkg, py, cargo, tagsTxt, manifest] = texts;
  const parts = [pkg ? packageJsonFacts(pkg) : undefined, py ? pyprojectFacts(py) : undefined, cargo ? cargoFacts(cargo) : undefined].filter((x) => !!x);
  const remote = gitConfig ? remoteFromGitConfig(gitConfig) : undefined;
  // In order of authority; a GitHub URL is preferred because it gives the private reporting link (a
  // clone of a mirror or a local test server should not hide the package's own GitHub repository).
  const candidates = [opts.facts?.htmlUrl, remote ? normaliseRepoUrl(remote) : undefined, ...parts.map((p) => p.repositoryUrl), corpusRepo(manifest)]
    .filter((u): u is string => !!u)
    .map((u) => normaliseRepoUrl(u) ?? u);
  const repositoryUrl = candidates.find((u) => githubOf(u)) ?? candidates[0];
  const contacts: Contact[] = [];
  for (const p of parts) for (const c of p.contacts) addContact(contacts, c.name, c.email, c.source);
  const pvr = opts.facts?.privateVulnerabilityReporting;
  const parsedTags = tagsTxt ? parseTagLines(tagsTxt) : undefined;
  const tags = opts.tags ?? parsedTags?.tags ?? [];
  const tagDates = opts.tagDates ?? (opts.tags ? undefined : parsedTags?.dates);
  const policyChannels: ReportingChannel[] = [];
  for (const text of policies) {
    if (text) for (const c of channelsInPolicy(text)) if (!policyChannels.some((x) => JSON.stringify(x) === JSON.stringify(c))) policyChannels.push(c);
  }
  const gh = opts.facts ? { owner: opts.facts.owner, repo: opts.facts.repo } : githubOf(repositoryUrl);
  return {
    name: parts.find((p) => p.name)?.name ?? gh?.repo ?? opts.fallbackName,
    repositoryUrl,
    github: gh,
    pvrEnabled: pvr?.known ? pvr.value : undefined,
    tags: [...tags],
    ...(tagDates && Object.keys(tagDates).length ? { tagDates } : {}),
    contacts,
    ...(policyChannels.length ? { policyChannels } : {}),
  };
}

export function pvrLink(gh: { owner: string; repo: string }): string {
  return `https://github.com/${gh.owner}/${gh.repo}/security/advisories/new`;
}

export interface Proposal {
  answers: SecurityMdAnswers;
  /** True when every required answer could be filled (the answers validate as they are). */
  complete: boolean;
  /** What the person should confirm or fill in, in plain words. */
  notes: string[];
}

/** Every channel the existing policy names stays (issue 14.5). */
function keptChannels(f: ProjectFacts): SecurityMdAnswers['channels'] {
  return (f.policyChannels ?? []).map((c) => {
    // The same address in package metadata gives the name to write next to it.
    const known = c.type === 'email' ? f.contacts.find((k) => k.email.toLowerCase() === c.address.toLowerCase()) : undefined;
    return known?.name && c.type === 'email' ? { ...c, name: known.name } : c;
  });
}

function addPvr(channels: SecurityMdAnswers['channels'], gh: { owner: string; repo: string }): void {
  const url = pvrLink(gh);
  // The preferred channel is listed first.
  if (!channels.some((c) => c.type === 'github-pvr' && c.url === url)) channels.unshift({ type: 'github-pvr', url });
}

/**
 * The part of proposeAnswers() the checks' fixes write from: the project's name, URL and the private
 * channels, exactly as proposeAnswers() gives them. Without the supported versions, which the fixes
 * leave as a marked blank: working those out from a repository's tags (12,000 at renovate) was most
 * of a scan's checks there.
 */
export function proposeChannelAnswers(f: ProjectFacts): Pick<SecurityMdAnswers, 'projectName' | 'repositoryUrl' | 'channels'> {
  const channels = keptChannels(f);
  if (f.github && f.pvrEnabled !== false) addPvr(channels, f.github);
  return { projectName: projectNameOf(f), ...(f.repositoryUrl ? { repositoryUrl: f.repositoryUrl } : {}), channels };
}

const projectNameOf = (f: ProjectFacts): string => f.name ?? f.github?.repo ?? 'this project';

/**
 * Answers proposed from facts. The wizard shows them as defaults; the CLI uses them when no answers
 * file is given. PVR is proposed for GitHub repositories unless the facts say it is off, because it is
 * the channel that needs no published address; the notes say when a maintainer must switch it on.
 */
export function proposeAnswers(f: ProjectFacts): Proposal {
  const notes: string[] = [];
  const channels = keptChannels(f);
  if (channels.length) notes.push(`Kept the ${channels.length === 1 ? 'channel' : 'channels'} your current policy names: ${channels.map((c) => (c.type === 'email' ? c.address : c.url)).join(', ')}.`);
  if (f.github && f.pvrEnabled !== false) {
    addPvr(channels, f.github);
    if (f.pvrEnabled === undefined) notes.push('Private vulnerability reporting could not be checked: a maintainer must make sure it is enabled (Settings → Security → Private vulnerability reporting).');
  } else if (f.github) {
    notes.push('Private vulnerability reporting is off for this repository: ask a maintainer to enable it, or give an e-mail address the maintainers read privately.');
  }
  // A manifest's author address is a guess at who reads security mail, not a channel anyone chose.
  const contact = f.contacts[0];
  if (contact) notes.push(`${contact.source} gives ${contact.email}; it is not proposed as the private channel (a package address is not necessarily read privately or by the maintainers): add it only if they want reports there.`);
  if (!channels.length) notes.push('No private reporting channel found: give an e-mail address or a reporting page the maintainers read privately.');
  notes.push('Response times and a disclosure deadline are the maintainers\' promises: the policy says none were set until you answer them.');
  const supportedVersions = proposeSupportedVersions(f.tags, f.tagDates);
  if (f.tags.length && releaseVersions(f.tags).length) {
    notes.push(
      f.tagDates
        ? `Supported versions were proposed from the release tags and their dates (${supportedVersions.filter((r) => r.supported).map((r) => r.version).join(', ')}).`
        : `Supported versions were proposed from the latest release tag (${supportedVersions[0].version}); Steward could not see release dates, so add older lines that still get fixes.`,
    );
  }
  const answers: SecurityMdAnswers = {
    projectName: projectNameOf(f),
    ...(f.repositoryUrl ? { repositoryUrl: f.repositoryUrl } : {}),
    channels,
    disclosure: { policy: 'coordinated' },
    scope: { inScope: [], outOfScope: [] },
    supportStatus: 'active',
    supportedVersions,
    contributorFixes: { welcome: true },
    safeHarbor: false,
  };
  return { answers, complete: channels.length > 0, notes };
}
