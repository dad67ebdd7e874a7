import type { CheckMeta, Finding, Fix, Location } from '../../model';
import type { Check, RepoContext, RepoOutcome, SourceFile } from '../types';
import { finding, plural } from '../helpers';
import { keyLocation, locationOf, rangeLocation } from '../../yaml/parse';
import { fileMemo, isUsable } from '../../repo/load';
import { detectEcosystems, ECOSYSTEMS, ecosystemLabel, foldWorkspaces, packageJsonWorkspaces, pnpmWorkspaces, type DetectedManifests, type Workspace } from '../../dependabot/ecosystems';
import { isCovered, readDependabot, type DependabotConfig } from '../../dependabot/config';
import { addEntriesEdits, createDependabotEdit, DEPENDABOT_PATH, entryToExtend, newStreamsReason, specsFromDetected, streamsAdded } from '../../dependabot/generate';
import { loadRenovateConfigs, renovateCovers, type RenovateConfig } from '../../dependabot/renovate';

export const meta: CheckMeta = {
  id: 'missing-dependency-updates',
  title: 'Dependencies kept up to date (Dependabot or Renovate)',
  category: 'dependencies',
  severity: 'medium',
  confidence: 'high',
  fixable: true,
  essential: true,
  docs: {
    summary:
      'The repository has no Dependabot or Renovate configuration, or its configuration leaves out some of the package ecosystems the repository uses (GitHub Actions, npm, pip, Docker, ...), including dependency files in sub-folders.',
    whyItMatters:
      'Security fixes in your dependencies only help once you upgrade to them. A bot that opens small update pull requests turns "we should upgrade someday" into a review you can do in a minute. GitHub Actions matter most: the actions in your workflows run with your repository token and secrets, and pinned actions never move unless something updates them.',
    howToFix:
      'Add `.github/dependabot.yml` with one `updates` entry per ecosystem (Steward writes it, with weekly updates and a 7-day cooldown), or add the missing folders and ecosystems to the file you have: Steward extends an ecosystem\'s existing entry and copies your schedule, commit-message, labels and groups. Test fixtures, vendored and example folders, git submodules and dev containers get no entries unless you add them. If you use Renovate, make sure `enabledManagers` or package rules do not switch off an ecosystem you use.',
    effort: 'minutes',
    fixSafety:
      'Review: the change turns on something new, Dependabot pull requests the maintainers then have to read, so the project decides whether it wants them (and how often). Nothing in the code changes until a maintainer merges one of those pull requests.',
  },
  references: {
    scorecard: 'Dependency-Update-Tool',
    other: [{ title: 'Dependabot options reference', url: 'https://docs.github.com/code-security/dependabot/working-with-dependabot/dependabot-options-reference' }],
  },
};

// A workflow that runs `pre-commit autoupdate` (or prek's equivalent) is the project's own updater.
const HOOK_UPDATER = /\b(?:pre-commit\s+autoupdate|prek\s+auto-?update)\b/;

const runsHookUpdater = (w: SourceFile): boolean => HOOK_UPDATER.test(w.text);

/**
 * Folders whose pre-commit hooks something else updates: pre-commit.ci (the config has a `ci:`
 * section) or a workflow that runs the autoupdate command (then every folder).
 */
async function preCommitCiDirs(ctx: RepoContext, detected: readonly DetectedManifests[]): Promise<Set<string>> {
  const out = new Set<string>();
  // Per file and kept while the file is unchanged: a re-check after a save tests one file's text.
  const byWorkflow = ctx.byKind('workflow').some((w) => fileMemo(w, 'missing-dependency-updates:hook-updater', runsHookUpdater));
  // pre-commit.ci is a GitHub app: a repository can use it with no `ci:` section, and then says so in
  // its README or contributing guide (the status badge links results.pre-commit.ci).
  const byBadge = detected.some((d) => d.ecosystem === 'pre-commit') && (await rootDocsMention(ctx, /\bpre-commit\.ci\b/));
  for (const d of detected) {
    if (d.ecosystem === 'pre-commit' && (byWorkflow || byBadge)) out.add(d.directory);
    if (d.ecosystem !== 'pre-commit') continue;
    for (const p of d.evidence) {
      const f = await ctx.read(p);
      if (f && /^ci\s*:/m.test(f.text)) out.add(d.directory);
      // Only `repo: local` / `repo: meta` hooks: nothing has a version for Dependabot to update.
      const repos = f ? [...f.text.matchAll(/^\s*-\s*repo\s*:\s*['"]?([^'"#\s]+)/gm)].map((m) => m[1]) : [];
      if (repos.length && repos.every((r) => r === 'local' || r === 'meta')) out.add(d.directory);
    }
  }
  return out;
}

const ROOT_DOC = /^(?:readme|contributing)(?:\.[a-z]+)?$/i;

async function rootDocsMention(ctx: RepoContext, re: RegExp): Promise<boolean> {
  for (const p of ctx.paths) {
    if (p.includes('/') || !ROOT_DOC.test(p)) continue;
    const f = await ctx.read(p);
    if (f && re.test(f.text)) return true;
  }
  return false;
}

// A step that uses another repository's action (`owner/repo@ref`): what Dependabot's github-actions
// ecosystem updates. Local (`./…`) and `docker://` references have no version for it.
const REMOTE_USES = /^\s*(?:-\s*)?uses\s*:\s*['"]?(?!\.{1,2}\/|docker:\/\/)[\w.-]+\/[\w.\/-]+@/m;

/**
 * Folders of local actions that use no other repository's action: an entry for them gives Dependabot
 * nothing to update (PyO3's fetch-merge-base, codeql-action's run-only actions). The root stays: it
 * also covers the workflows.
 */
async function actionDirsWithoutUses(ctx: RepoContext, detected: readonly DetectedManifests[]): Promise<Set<string>> {
  const out = new Set<string>();
  for (const d of detected) {
    if (d.ecosystem !== 'github-actions' || d.directory === '/') continue;
    let uses = false;
    for (const p of d.evidence) {
      const f = await ctx.read(p);
      if (!f || REMOTE_USES.test(f.text)) uses = true;
    }
    if (!uses) out.add(d.directory);
  }
  return out;
}

/** JavaScript workspaces declared by the npm/bun folders found (package.json `workspaces`, pnpm-workspace.yaml). */
async function workspacesOf(ctx: RepoContext, detected: readonly DetectedManifests[]): Promise<Workspace[]> {
  const out: Workspace[] = [];
  const set = ctx.pathSet ?? new Set(ctx.paths);
  for (const d of detected) {
    if (d.ecosystem !== 'npm' && d.ecosystem !== 'bun') continue;
    const prefix = d.directory === '/' ? '' : `${d.directory.slice(1)}/`;
    const patterns: string[] = [];
    const pkg = await ctx.read(`${prefix}package.json`);
    if (pkg) patterns.push(...packageJsonWorkspaces(pkg.text));
    if (set.has(`${prefix}pnpm-workspace.yaml`)) {
      const pnpm = await ctx.read(`${prefix}pnpm-workspace.yaml`);
      if (pnpm) patterns.push(...pnpmWorkspaces(pnpm.text));
    }
    if (patterns.length) out.push({ root: d.directory, patterns });
  }
  return out;
}

function describe(d: { ecosystem: string; dirs: string[] }): string {
  const sub = d.dirs.filter((x) => x !== '/').map((x) => `${x.slice(1)}/`);
  const root = d.dirs.includes('/');
  const where = !sub.length ? 'at the root' : root ? `at the root and in ${sub.join(', ')}` : `in ${sub.join(', ')}`;
  return `${ecosystemLabel(d.ecosystem)} ${where}`;
}

function groupByEcosystem(list: readonly DetectedManifests[]): { ecosystem: string; dirs: string[]; items: DetectedManifests[] }[] {
  const by = new Map<string, DetectedManifests[]>();
  for (const d of list) by.set(d.ecosystem, [...(by.get(d.ecosystem) ?? []), d]);
  return [...by.entries()].map(([ecosystem, items]) => ({ ecosystem, dirs: items.map((i) => i.directory), items }));
}

function fileStart(path: string): Location {
  return { file: path, start: { line: 1, column: 1 }, end: { line: 1, column: 1 } };
}

/**
 * detectEcosystems of one listing, kept per `paths` array: the engine hands every re-check that keeps
 * the listing the same array (a workflow save re-runs this pass for its hook-updater look, issue 19), and
 * a new listing is a new array. Never edited: foldWorkspaces and the filters below make new arrays.
 */
const detectedByListing = new WeakMap<readonly string[], readonly DetectedManifests[]>();

function detectedIn(ctx: RepoContext): readonly DetectedManifests[] {
  let d = detectedByListing.get(ctx.paths);
  if (!d) {
    d = detectEcosystems(ctx.paths, { pathSet: ctx.pathSet });
    detectedByListing.set(ctx.paths, d);
  }
  return d;
}

export const check: Check = {
  meta,
  async checkRepo(ctx): Promise<RepoOutcome> {
    let detected = detectedIn(ctx);
    detected = foldWorkspaces(detected, await workspacesOf(ctx, detected));
    const ci = await preCommitCiDirs(ctx, detected);
    detected = detected.filter((d) => !(d.ecosystem === 'pre-commit' && ci.has(d.directory)));
    const noUses = await actionDirsWithoutUses(ctx, detected);
    detected = detected.filter((d) => !(d.ecosystem === 'github-actions' && noUses.has(d.directory)));

    const dependabotFile: SourceFile | undefined = ctx.byKind('dependabot')[0];
    const renovate: RenovateConfig[] = await loadRenovateConfigs(ctx.paths, (p) => ctx.read(p), ctx.pathSet);
    const fixOpts = { cooldownDays: ctx.settings.cooldownDays };

    if (!dependabotFile && renovate.length === 0) {
      if (detected.length === 0) return { status: 'not-applicable', reason: 'No dependency manifests or workflows found', findings: [] };
      const specs = specsFromDetected(detected);
      const groups = groupByEcosystem(detected);
      const fix: Fix = {
        title: `Create ${DEPENDABOT_PATH} for ${specs.map((s) => s.ecosystem).join(', ')}`,
        // New behaviour on the maintainers' repository (update pull requests), not the old one minus
        // a hazard: the project decides, so it is review (issue 14).
        safe: false,
        reviewReason: newStreamsReason(streamsAdded(undefined, specs, fixOpts), DEPENDABOT_PATH),
        edits: [createDependabotEdit(specs, fixOpts)],
        caveat: 'Dependabot starts opening update pull requests once this is merged; adjust the schedule if weekly is too often.',
      };
      return {
        status: 'fail',
        reason: 'No Dependabot or Renovate configuration',
        findings: [
          finding(meta, {
            message: `No Dependabot or Renovate configuration: nothing proposes updates for ${groups.map((g) => ecosystemLabel(g.ecosystem)).join(', ')}`,
            details: groups.map((g) => describe(g)),
            fixes: [fix],
          }),
        ],
      };
    }

    let cfg: DependabotConfig | undefined;
    if (dependabotFile) {
      if (!isUsable(dependabotFile) || !dependabotFile.yaml) {
        return {
          status: 'fail',
          reason: `${dependabotFile.path} cannot be read, so Dependabot cannot use it either`,
          findings: [finding(meta, { message: `${dependabotFile.path} does not parse: Dependabot reports an error instead of opening updates`, location: fileStart(dependabotFile.path) })],
        };
      }
      cfg = readDependabot(dependabotFile.yaml);
    }
    const entries = cfg?.entries ?? [];
    const uncovered = detected.filter((d) => !isCovered(entries, d) && !renovate.some((r) => renovateCovers(r, d.ecosystem)));
    const tools = [cfg ? 'Dependabot' : '', renovate.length ? 'Renovate' : ''].filter(Boolean).join(' and ');
    const verb = cfg && renovate.length ? 'cover' : 'covers';
    const findings: Finding[] = [];
    // A misspelt ecosystem makes Dependabot reject the whole file; it also explains a gap below.
    for (const e of entries) {
      if (!cfg || !e.ecosystem || ECOSYSTEMS.has(e.ecosystem)) continue;
      const close = [...ECOSYSTEMS.keys()].find((k) => k.replace(/[-_]/g, '') === e.ecosystem!.toLowerCase().replace(/[-_]/g, ''));
      findings.push(
        finding(meta, {
          message: `'${e.ecosystem}' is not a Dependabot package-ecosystem${close ? ` (did you mean '${close}'?)` : ''}: Dependabot rejects the configuration`,
          location: locationOf(cfg.file, e.ecosystemNode),
        }),
      );
    }
    if (uncovered.length === 0) {
      if (findings.length) return { status: 'fail', reason: findings[0].message, findings };
      const ecos = [...new Set(detected.map((d) => d.ecosystem))];
      return { status: 'pass', reason: ecos.length ? `${tools} ${verb} ${ecos.join(', ')}` : `${tools} is configured`, findings: [] };
    }
    for (const g of groupByEcosystem(uncovered)) {
      const isActions = g.ecosystem === 'github-actions';
      const location = cfg
        ? (cfg.updatesPair && keyLocation(cfg.file, cfg.updatesPair)) ?? rangeLocation(cfg.file, 0, 0)
        : fileStart(renovate[0].path);
      const fixes: Fix[] = [];
      if (cfg) {
        const specs = specsFromDetected(g.items);
        const edits = addEntriesEdits(cfg, specs, fixOpts);
        if (edits?.length) {
          const extended = entryToExtend(cfg, g.ecosystem);
          fixes.push({
            title: extended ? `Add ${g.dirs.join(', ')} to the ${g.ecosystem} entry of ${cfg.file.path}` : `Add a ${g.ecosystem} entry to ${cfg.file.path}`,
            safe: false,
            reviewReason: newStreamsReason(streamsAdded(cfg, specs, fixOpts)),
            edits,
            caveat: 'Dependabot starts opening update pull requests for this ecosystem once this is merged.',
          });
        }
      }
      // Actions in sub-folders: whether Dependabot's `/` entry reaches them is not documented.
      const onlySubActions = isActions && g.dirs.every((d) => d !== '/');
      findings.push(
        finding(meta, {
          message: `${tools} ${cfg && renovate.length ? 'do' : 'does'} not keep ${describe(g)} up to date${isActions ? ': the actions your workflows run never get updates' : ''}`,
          severity: isActions ? meta.severity : 'low',
          confidence: onlySubActions ? 'low' : 'high',
          location,
          details: g.items.map((i) => `${i.directory}: ${i.evidence.slice(0, 3).join(', ')}${i.evidence.length > 3 ? ` and ${i.evidence.length - 3} more` : ''}`),
          fixes,
        }),
      );
    }
    const gaps = groupByEcosystem(uncovered).length;
    return {
      status: 'fail',
      reason: `${tools} leave${cfg && renovate.length ? '' : 's'} out ${plural(gaps, 'ecosystem')}: ${groupByEcosystem(uncovered).map((g) => g.ecosystem).join(', ')}`,
      findings,
    };
  },
};
