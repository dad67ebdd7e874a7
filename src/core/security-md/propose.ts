import * as semver from 'semver';
import type { RepoFacts } from '../model/facts';
import type { SecurityMdAnswers } from './answers';

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
  contacts: Contact[];
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

function addContact(out: Contact[], name: string | undefined, email: string | undefined, source: string): void {
  if (!email || !EMAIL.test(email) || /noreply|no-reply/i.test(email)) return;
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

/** Release versions among tags (`v1.2.3`, `1.2.3`, `curl-8_10_1`, `release-2.0`), newest first. */
export function releaseVersions(tags: readonly string[]): semver.SemVer[] {
  const out: semver.SemVer[] = [];
  for (const tag of tags) {
    const m = /(\d+(?:[._]\d+){1,2})([-.]?(?:a|b|rc|alpha|beta|pre|dev)\d*)?$/i.exec(tag.trim());
    if (!m || m[2]) continue;
    const v = semver.coerce(m[1].replace(/_/g, '.'));
    if (v) out.push(v);
  }
  return out.sort((a, b) => semver.rcompare(a, b));
}

/** The latest major.minor line is supported; everything older is not. */
export function proposeSupportedVersions(tags: readonly string[]): SecurityMdAnswers['supportedVersions'] {
  const versions = releaseVersions(tags);
  if (!versions.length) {
    return [
      { version: 'Latest release', supported: true },
      { version: 'Older releases', supported: false },
    ];
  }
  const latest = versions[0];
  const rows: SecurityMdAnswers['supportedVersions'] = [{ version: `${latest.major}.${latest.minor}.x`, supported: true }];
  if (versions.some((v) => v.major < latest.major || v.minor < latest.minor)) rows.push({ version: `< ${latest.major}.${latest.minor}`, supported: false });
  return rows;
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
}

/** Reads the files that say who and where the project is. */
export async function gatherProjectFacts(read: ReadText, opts: GatherOptions = {}): Promise<ProjectFacts> {
  const [gitConfig, pkg, py, cargo, tagsTxt, manifest] = await Promise.all(['.git/config', 'package.json', 'pyproject.toml', 'Cargo.toml', 'TAGS.txt', 'MANIFEST.json'].map((p) => read(p)));
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
  const tags = opts.tags ?? (tagsTxt ? tagsTxt.split(/\r?\n/).map((t) => t.trim()).filter(Boolean) : []);
  const gh = opts.facts ? { owner: opts.facts.owner, repo: opts.facts.repo } : githubOf(repositoryUrl);
  return {
    name: parts.find((p) => p.name)?.name ?? gh?.repo ?? opts.fallbackName,
    repositoryUrl,
    github: gh,
    pvrEnabled: pvr?.known ? pvr.value : undefined,
    tags: [...tags],
    contacts,
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

/**
 * Answers proposed from facts. The wizard shows them as defaults; the CLI uses them when no answers
 * file is given. PVR is proposed for GitHub repositories unless the facts say it is off, because it is
 * the channel that needs no published address; the notes say when a maintainer must switch it on.
 */
export function proposeAnswers(f: ProjectFacts): Proposal {
  const notes: string[] = [];
  const channels: SecurityMdAnswers['channels'] = [];
  if (f.github && f.pvrEnabled !== false) {
    channels.push({ type: 'github-pvr', url: pvrLink(f.github) });
    if (f.pvrEnabled === undefined) notes.push('Private vulnerability reporting could not be checked: a maintainer must make sure it is enabled (Settings → Security → Private vulnerability reporting).');
  } else if (f.github) {
    notes.push('Private vulnerability reporting is off for this repository: ask a maintainer to enable it, or keep only the e-mail channel.');
  }
  const contact = f.contacts[0];
  if (contact) {
    channels.push({ type: 'email', address: contact.email, ...(contact.name ? { name: contact.name } : {}) });
    notes.push(`The e-mail address comes from ${contact.source}: confirm the maintainers want security reports there.`);
  }
  if (!channels.length) notes.push('No reporting channel found: give an e-mail address or a reporting page.');
  const supportedVersions = proposeSupportedVersions(f.tags);
  if (f.tags.length && releaseVersions(f.tags).length) notes.push(`Supported versions were proposed from the latest release tag (${supportedVersions[0].version}).`);
  const answers: SecurityMdAnswers = {
    projectName: f.name ?? f.github?.repo ?? 'this project',
    ...(f.repositoryUrl ? { repositoryUrl: f.repositoryUrl } : {}),
    channels,
    responseTimes: { acknowledgeDays: 7, assessmentDays: 30 },
    disclosure: { policy: 'coordinated', embargoDays: 90 },
    scope: { inScope: [], outOfScope: [] },
    supportStatus: 'active',
    supportedVersions,
    contributorFixes: { welcome: true },
    safeHarbor: false,
  };
  return { answers, complete: channels.length > 0, notes };
}
