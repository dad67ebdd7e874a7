import type { Pair, Scalar, YAMLMap } from 'yaml';
import type { SourceFile } from '../types';
import type { JobModel, StepModel } from '../../yaml/workflow';
import { get, getPair, isScalar, isSeq, keyString, scalarString, deref } from '../../yaml/parse';
import { parseUses, VERSION_COMMENT } from '../../yaml/uses';
import { scriptLines, type ScriptLine } from '../download-and-run/script';
import { fileMemo } from '../../repo/load';

// What in a workflow publishes or releases something, shared by the long-lived-publish-token and
// cache-poisoning checks. Recognises well-known publishing actions and `run:` commands.

export type Registry = 'pypi' | 'npm' | 'crates.io' | 'rubygems' | 'nuget';
export type PublishKind = Registry | 'github-release' | 'container' | 'other';

export const REGISTRY_NAMES: Record<Registry, string> = {
  pypi: 'PyPI',
  npm: 'npm',
  'crates.io': 'crates.io',
  rubygems: 'RubyGems',
  nuget: 'NuGet',
};

export interface PublishCommand {
  /** The logical script line holding the command. */
  line: ScriptLine;
  /** Offsets of the command word(s) inside `line.text`. */
  start: number;
  end: number;
}

export interface PublishStep {
  step: StepModel;
  job?: JobModel;
  kind: PublishKind;
  /** Readable: the action name or the command. */
  what: string;
  /** For `run:` steps, where the command is. */
  command?: PublishCommand;
}

interface CommandRule {
  re: RegExp;
  kind: PublishKind;
  /** Words one of which every match contains: a line holding none of them is not tried (the command-start prefix is tried at every position). */
  words: readonly string[];
}

// A command word must start a command: at the line start or after a separator or `then`/`do`,
// optionally behind `sudo`, `npx`, `python -m` and VAR=value prefixes. Mentions inside `echo "…"` are
// therefore mostly not matched.
const LEAD = String.raw`(?:^|[;&|({]|\bthen\b|\bdo\b|\belse\b)\s*(?:(?:sudo|exec|time|npx|uvx|bunx|pipx\s+run|python[\d.]*\s+-m)\s+)*(?:[A-Za-z_]\w*=\S*\s+)*`;
const RULES: CommandRule[] = [
  { re: new RegExp(`${LEAD}((?:npm|pnpm)(?:\\s+--?[\\w-]+(?:[= ][^\\s-]\\S*)?)*\\s+publish|yarn(?:\\s+npm)?\\s+publish|bun\\s+publish|lerna\\s+publish|changeset\\s+publish|semantic-release)\\b`), kind: 'npm', words: ['publish', 'semantic-release'] },
  { re: new RegExp(`${LEAD}(twine\\s+upload|(?:poetry|flit|hatch|pdm|uv)\\s+publish|maturin\\s+(?:publish|upload))\\b`), kind: 'pypi', words: ['upload', 'publish'] },
  { re: new RegExp(`${LEAD}(cargo(?:\\s+\\+\\S+)?\\s+publish)\\b`), kind: 'crates.io', words: ['publish'] },
  { re: new RegExp(`${LEAD}(gem\\s+push|(?:bundle\\s+exec\\s+)?rake\\s+release)\\b`), kind: 'rubygems', words: ['push', 'release'] },
  { re: new RegExp(`${LEAD}((?:dotnet\\s+)?nuget\\s+push)\\b`), kind: 'nuget', words: ['push'] },
  { re: new RegExp(`${LEAD}(gh\\s+release\\s+(?:create|upload))\\b`), kind: 'github-release', words: ['release'] },
  { re: new RegExp(`${LEAD}((?:docker|podman)\\s+(?:image\\s+)?push|docker\\s+buildx\\s+build\\b[^\\n]*\\s--push|docker\\s+buildx\\s+bake\\b[^\\n]*\\s--push)\\b`), kind: 'container', words: ['push'] },
  { re: new RegExp(`${LEAD}(goreleaser\\s+release)\\b`), kind: 'github-release', words: ['release'] },
  { re: new RegExp(`${LEAD}((?:mvn|\\./mvnw)\\b[^\\n]*\\sdeploy|(?:gradle|\\./gradlew)\\b[^\\n]*\\spublish\\w*)\\b`), kind: 'other', words: ['deploy', 'publish'] },
];

// `cargo publish -n` is cargo's short form of --dry-run (cargo help publish); elsewhere -n means other things.
const DRY_RUN = /\s--dry-run\b|\s--snapshot\b/;
const CARGO_PUBLISH = /\bcargo(?:\s+\+\S+)?\s+publish\b/;
const SHORT_N = /\s-n\b/;

/**
 * A dry run: `--dry-run`, `--snapshot`, or `-n` after `cargo publish`. The `-n` is looked for once,
 * after the line's first `cargo publish`: looked for after each, a hostile line of many cost time in
 * the square of its length.
 */
function dryRun(line: string): boolean {
  if (DRY_RUN.test(line)) return true;
  const c = line.includes('cargo') ? CARGO_PUBLISH.exec(line) : null;
  return c !== null && SHORT_N.test(line.slice(c.index + c[0].length));
}

/**
 * Every command a rule matches contains one of these words (publish, upload, release, gem push,
 * nuget push, push, deploy). Most scripts and lines contain none, and this one test is far cheaper
 * than the rules, whose command-start prefix is tried at every position of a line.
 */
const HINT = /publish|upload|release|gem|nuget|push|deploy/;

/** Publishing commands in one script. */
export function publishCommands(script: string): { kind: PublishKind; command: PublishCommand; text: string }[] {
  const out: { kind: PublishKind; command: PublishCommand; text: string }[] = [];
  if (!HINT.test(script)) return out;
  // PowerShell continues a command on the next line after a backtick; read it as one line (same
  // length, so offsets still point into the script).
  for (const line of scriptLines(script.replace(/`\r?\n/g, (m) => ' '.repeat(m.length)))) {
    if (!HINT.test(line.text) || dryRun(line.text)) continue;
    for (const rule of RULES) {
      if (!rule.words.some((w) => line.text.includes(w))) continue;
      const m = rule.re.exec(line.text);
      if (!m) continue;
      const start = m.index + m[0].length - m[1].length;
      out.push({ kind: rule.kind, command: { line, start, end: start + m[1].length }, text: m[1].replace(/\s+/g, ' ') });
      break;
    }
  }
  return out;
}

export function withString(step: StepModel, key: string): string | undefined {
  return step.with ? scalarString(step.with.items.find((p) => keyString(p as Pair) === key)?.value) : undefined;
}

export function withPair(step: StepModel, key: string, file: SourceFile): Pair | undefined {
  return step.with ? getPair(step.with, key, file.yaml) : undefined;
}

const isFalse = (v: string | undefined) => v !== undefined && /^(?:false|no|off)$/i.test(v.trim());

function actionKind(step: StepModel): { kind: PublishKind; what: string } | undefined {
  if (!step.uses) return undefined;
  const u = parseUses(step.uses.value);
  if (u.kind !== 'repo') return undefined;
  const name = `${u.owner}/${u.repo}`.toLowerCase();
  const what = `${u.owner}/${u.repo}`;
  switch (name) {
    case 'pypa/gh-action-pypi-publish': {
      const url = withString(step, 'repository-url') ?? withString(step, 'repository_url');
      return { kind: url && !/(?:^|\.|\/\/)pypi\.org\b/.test(url) ? 'other' : 'pypi', what };
    }
    case 'js-devtools/npm-publish':
      return { kind: 'npm', what };
    case 'katyo/publish-crates':
      return { kind: 'crates.io', what };
    case 'rubygems/release-gem':
      return { kind: 'rubygems', what };
    case 'changesets/action':
      return withString(step, 'publish') ? { kind: 'npm', what } : undefined;
    case 'softprops/action-gh-release':
    case 'ncipollo/release-action':
    case 'actions/create-release':
    case 'actions/upload-release-asset':
    case 'svenstaro/upload-release-action':
    case 'marvinpinto/action-automatic-releases':
    case 'goreleaser/goreleaser-action':
    case 'googleapis/release-please-action':
    case 'google-github-actions/release-please-action':
      return { kind: 'github-release', what };
    case 'docker/build-push-action':
    case 'docker/bake-action': {
      const push = withString(step, 'push');
      return push !== undefined && !isFalse(push) && push.trim() !== '' ? { kind: 'container', what } : undefined;
    }
    default:
      return undefined;
  }
}

/**
 * Every step of a workflow or composite action that publishes or releases something. Several checks
 * ask for the same file on every scan, so the answer is kept per file content (callers must not
 * change the array).
 */
export function publishSteps(file: SourceFile): readonly PublishStep[] {
  return fileMemo(file, 'publishSteps', findPublishSteps);
}

function findPublishSteps(file: SourceFile): PublishStep[] {
  const out: PublishStep[] = [];
  const visit = (step: StepModel, job?: JobModel) => {
    const a = actionKind(step);
    if (a) out.push({ step, job, ...a });
    if (step.run) for (const c of publishCommands(step.run.value)) out.push({ step, job, kind: c.kind, what: c.text, command: c.command });
  };
  if (file.workflow) for (const job of file.workflow.jobs) for (const step of job.steps) visit(step, job);
  else if (file.action) for (const step of file.action.steps) visit(step);
  return out;
}

/** Triggers under which the whole workflow runs as a release: a published release or a pushed tag. */
export function releaseTriggers(file: SourceFile): string[] {
  const wf = file.workflow;
  if (!wf) return [];
  const y = file.yaml;
  const patterns = (key: string): string[] | undefined => {
    const v = deref(get(wf.triggers.find((t) => t.name === 'push')?.config, key, y), y!);
    if (v === undefined) return undefined;
    return isSeq(v) ? v.items.map((i) => scalarString(deref(i, y!)) ?? '') : [scalarString(v) ?? ''];
  };
  const out: string[] = [];
  for (const t of wf.triggers) {
    if (t.name === 'release') out.push('release');
    else if (t.name === 'registry_package') out.push('package publication');
    else if (t.name === 'push') {
      // `tags: ['!**']` (only negations) matches no tag; `tags-ignore` alone runs on every other tag.
      const tags = patterns('tags');
      const ignore = patterns('tags-ignore');
      if (tags ? tags.some((p) => p.trim() && !p.trim().startsWith('!')) : ignore ? !ignore.some((p) => /^\*\*?$/.test(p.trim())) : false) out.push('push of tags');
    } else if (t.name === 'create' && /refs\/tags\/|ref_type\s*==\s*'tag'/.test(file.text)) out.push('creation of tags');
  }
  return out;
}

/** Major version of the action a step uses, from its tag or the version comment next to its SHA. */
export function actionMajor(file: SourceFile, step: StepModel): number | undefined {
  if (!step.uses) return undefined;
  const u = parseUses(step.uses.value);
  if (u.kind !== 'repo') return undefined;
  const fromRef = /^v?(\d+)/.exec(u.ref);
  if (fromRef && !u.pinned) return Number(fromRef[1]);
  const yaml = file.yaml!;
  const end = step.uses.node.range![1];
  const line = yaml.lines.position(end).line;
  const m = VERSION_COMMENT.exec(yaml.text.slice(end, yaml.lines.lineEnd(line)));
  return m ? Number(/\d+/.exec(m[1])![0]) : undefined;
}

/** A `secrets.NAME` reference (other than the short-lived GITHUB_TOKEN) in an expression. */
export function secretName(value: string): string | undefined {
  for (const m of value.matchAll(/\$\{\{([^}]*)\}\}/g)) {
    for (const s of m[1].matchAll(/secrets(?:\.([A-Za-z_][\w-]*)|\[\s*['"]([^'"]+)['"]\s*\])/g)) {
      const name = s[1] ?? s[2];
      if (name && name.toUpperCase() !== 'GITHUB_TOKEN') return name;
    }
  }
  return undefined;
}

export interface EnvEntry {
  name: string;
  pair: Pair;
  value: string;
  scope: 'step' | 'job' | 'workflow';
}

/** An environment variable as the step sees it: its own env, then the job's, then the workflow's. */
export function envFor(file: SourceFile, step: StepModel, job: JobModel | undefined, name: string): EnvEntry | undefined {
  const scopes: [YAMLMap | undefined, EnvEntry['scope']][] = [
    [step.env, 'step'],
    [job?.env, 'job'],
    [file.workflow?.env, 'workflow'],
  ];
  for (const [map, scope] of scopes) {
    if (!map) continue;
    // getPair without a file: the first entry of that name, merge keys not followed (as before), but
    // through the mapping's index (a step-by-step lookup in a huge env was quadratic).
    const p = getPair(map, name);
    if (!p) continue;
    const v = deref(p.value, file.yaml!);
    return { name, pair: p, value: isScalar(v) ? (scalarString(v as Scalar) ?? '') : '', scope };
  }
  return undefined;
}
