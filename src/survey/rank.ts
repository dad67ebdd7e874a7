import { CONCERN_DEFS } from '../contribution/concerns';
import { PATHS_CAP } from './model';
import { packageRecordKey, type PackageRecord, type RepoRecord, type ResultsFile } from './results';

// Need × reach. Need is what a contribution could change: failing Essentials count double (they are
// the few checks that make good-enough security), each fixable concern counts once (up to five), and
// thin maintenance adds to it (a personal account rather than an organisation; no release for a year
// or more), because those projects get the least help. Reach is how much the surveyed project leans
// on the repository: the dependency paths that lead to its packages (logarithmically: the thousandth
// path matters less than the second) and whether the project uses it directly.

export interface RankedRepo {
  rank: number;
  key: string;
  owner: string;
  repo: string;
  htmlUrl: string;
  state: RepoRecord['state'];
  score: number;
  need: number;
  paths: number;
  direct: boolean;
  /** Packages of the surveyed project that come from this repository ("npm:react"). */
  packages: string[];
  /** One line: why it ranks where it does. */
  why: string;
  /** The suggested first pull request (a concern id for `steward pr --concern`). */
  first?: { concern: string; title: string };
  record: RepoRecord;
}

export interface PostureBar {
  label: string;
  repos: number;
  /** Dependency paths into those repositories (how much of the project stands on them). */
  paths: number;
}

export interface SurveyReport {
  project: string;
  totals: { dependencies: number; direct: number; withRepo: number; repos: number; surveyed: number; pending: number; unresolved: number };
  /** Repositories where a contribution helps, best first. */
  ranked: RankedRepo[];
  /** Surveyed repositories with nothing Steward can add. */
  healthy: RankedRepo[];
  /** Archived, gone, empty or unreadable repositories (they cannot take a contribution). */
  unavailable: RankedRepo[];
  /** Packages whose repository could not be found, most-depended-on first. */
  unresolved: PackageRecord[];
  posture: PostureBar[];
}

const YEAR = 365 * 24 * 3600 * 1000;

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;
}

function age(iso: string, now: number): string {
  const years = (now - Date.parse(iso)) / YEAR;
  if (years >= 2) return `${Math.floor(years)} years ago`;
  if (years >= 1) return 'over a year ago';
  const months = Math.floor(years * 12);
  return months <= 1 ? 'this month' : `${months} months ago`;
}

function firstContribution(rec: RepoRecord): RankedRepo['first'] {
  const concerns = rec.concerns ?? [];
  if (!concerns.length) return undefined;
  const failing = new Set((rec.essentials?.failing ?? []).map((f) => f.checkId));
  const rules = (id: string) => CONCERN_DEFS.find((d) => d.id === id)?.rules ?? [id];
  // A concern that turns a failing Essential green comes first; then the list's own order.
  const best = concerns.find((c) => rules(c.id).some((r) => failing.has(r))) ?? concerns[0];
  return { concern: best.id, title: best.title };
}

export function buildReport(results: ResultsFile, opts: { now: number; project?: string }): SurveyReport {
  const packages = [...results.packages.values()].sort((a, b) => (packageRecordKey(a) < packageRecordKey(b) ? -1 : 1));
  const byRepo = new Map<string, PackageRecord[]>();
  for (const p of packages) if (p.repo) byRepo.set(p.repo, [...(byRepo.get(p.repo) ?? []), p]);
  const entries: RankedRepo[] = [];
  for (const [key, rec] of results.repos) {
    const pk = byRepo.get(key) ?? [];
    const paths = Math.min(PATHS_CAP, pk.reduce((s, p) => s + p.paths, 0));
    const direct = pk.some((p) => p.direct);
    const failing = rec.essentials ? rec.essentials.failing.length : 0;
    const concerns = rec.concerns?.length ?? 0;
    const personal = rec.ownerKind === 'User';
    const stale = rec.state === 'ok' && (rec.lastRelease === null || (rec.lastRelease && opts.now - Date.parse(rec.lastRelease.publishedAt) > YEAR));
    const help = 2 * failing + Math.min(concerns, 5);
    const need = help ? help + (personal ? 1 : 0) + (stale ? 1 : 0) : 0;
    const weight = 1 + Math.log2(1 + paths) + (direct ? 1 : 0);
    const score = Math.round(need * weight * 10) / 10;
    const parts: string[] = [];
    if (rec.state === 'ok') {
      if (rec.essentials) {
        const titles = rec.essentials.failing.map((f) => f.title);
        parts.push(failing ? `fails ${failing} of ${rec.essentials.checked} Essentials (${titles.slice(0, 3).join(', ')}${titles.length > 3 ? ', …' : ''})` : `passes all ${rec.essentials.checked} Essentials it could check`);
      }
      if (concerns) parts.push(`${plural(concerns, 'fixable concern')}`);
    } else parts.push(rec.message ?? rec.state);
    parts.push(`${plural(paths, 'dependency path')} from ${plural(pk.length, 'package')}${direct ? ', used directly' : ''}`);
    if (rec.state === 'ok') {
      if (personal) parts.push("a personal account's project");
      if (rec.lastRelease === null) parts.push('no GitHub release');
      else if (rec.lastRelease) parts.push(`last release ${age(rec.lastRelease.publishedAt, opts.now)}`);
    }
    entries.push({
      rank: 0,
      key,
      owner: rec.owner,
      repo: rec.repo,
      htmlUrl: rec.htmlUrl,
      state: rec.state,
      score,
      need,
      paths,
      direct,
      packages: pk.map(packageRecordKey),
      why: parts.join('; '),
      first: rec.state === 'ok' ? firstContribution(rec) : undefined,
      record: rec,
    });
  }
  const order = (a: RankedRepo, b: RankedRepo) => b.score - a.score || b.paths - a.paths || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
  const ranked = entries.filter((e) => e.state === 'ok' && e.need > 0).sort(order);
  ranked.forEach((e, i) => (e.rank = i + 1));
  const healthy = entries.filter((e) => e.state === 'ok' && e.need === 0).sort(order);
  const unavailable = entries.filter((e) => e.state !== 'ok').sort(order);
  const unresolved = packages.filter((p) => !p.repo).sort((a, b) => b.paths - a.paths || (packageRecordKey(a) < packageRecordKey(b) ? -1 : 1));
  const pendingRepos = [...byRepo.keys()].filter((k) => !results.repos.has(k)).length;
  const bar = (label: string, list: RankedRepo[]): PostureBar => ({ label, repos: list.length, paths: Math.min(PATHS_CAP, list.reduce((s, e) => s + e.paths, 0)) });
  const okAll = entries.filter((e) => e.state === 'ok');
  const fails = (n: number) => okAll.filter((e) => (e.record.essentials?.failing.length ?? 0) === n);
  const posture: PostureBar[] = [
    bar('All Essentials pass', fails(0)),
    bar('1 Essential fails', fails(1)),
    bar('2 Essentials fail', fails(2)),
    bar('3 or more fail', okAll.filter((e) => (e.record.essentials?.failing.length ?? 0) >= 3)),
    bar('Archived or gone', unavailable),
    { label: 'Packages without a repository', repos: 0, paths: Math.min(PATHS_CAP, unresolved.reduce((s, p) => s + p.paths, 0)) },
  ];
  posture[5].repos = unresolved.length;
  return {
    project: opts.project ?? results.header?.project ?? '',
    totals: {
      dependencies: packages.length,
      direct: packages.filter((p) => p.direct).length,
      withRepo: packages.filter((p) => p.repo).length,
      repos: byRepo.size,
      surveyed: results.repos.size,
      pending: pendingRepos,
      unresolved: unresolved.length,
    },
    ranked,
    healthy,
    unavailable,
    unresolved,
    posture,
  };
}
