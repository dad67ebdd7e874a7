import type { Pair } from 'yaml';
import type { CheckMeta, Finding, Fix, Severity, TextEdit } from '../../model';
import type { Check, SourceFile } from '../types';
import { finding, jobLabel } from '../helpers';
import { deref, get, isScalar, isSeq, keyLocation, locationOf, scalarString } from '../../yaml/parse';
import { actionName, parseUses } from '../../yaml/uses';
import type { JobModel, StepModel } from '../../yaml/workflow';
import { detectEol, indentOf } from '../../yaml/text';
import { actionMajor, publishSteps, releaseTriggers, withPair, withString, type PublishStep } from '../long-lived-publish-token/publishing';
import { cacheRow, inputOff, inputOn } from '../../workflow/cache-actions';
import { evaluateCondition, parseCondition } from '../../yaml/expressions';
import { triggerNames } from '../../yaml/workflow';

export const meta: CheckMeta = {
  id: 'cache-poisoning',
  title: 'No build caches in release workflows',
  category: 'releases',
  severity: 'high',
  confidence: 'medium',
  fixable: true,
  docs: {
    summary:
      'A job that publishes, or builds the artifacts a publishing job ships, restores a GitHub Actions cache (judged per job: the tests of a tag-triggered workflow are not reported; `tags: [\'!**\']` means no tags; `create` of tags, `release` and `registry_package` count as release triggers): `actions/cache`, a setup action\'s `cache:` input, `setup-go` and `setup-uv` (which cache by default), `Swatinem/rust-cache`, Gradle, `cache-from: type=gha` and similar.',
    whyItMatters:
      'The Actions cache is shared between the workflow runs of a repository. A release build restores entries that other runs saved. Since 26 June 2026 GitHub gives runs of untrusted triggers (`pull_request_target`, `issue_comment`, fork `workflow_run` cascades) a read-only cache on the default branch (GitHub changelog, "Read-only Actions cache for untrusted triggers"), so outsiders can no longer plant entries that way; what remains is an entry saved by a trusted run (push, schedule, manual) in which a compromised dependency, test tool or action ran. Whoever writes a cache entry with the right key controls the dependencies or build output your release is made from, and the result is then signed and published under your name. Real release pipelines have been attacked this way; the release job is the one place where the time a cache saves is not worth that risk.',
    howToFix:
      'In the jobs that build or publish release artifacts, turn caching off: remove the `cache:` input (or set `cache: false` for setup-go, `enable-cache: false` for setup-uv), drop `actions/cache` and `rust-cache` steps, and use `cache-read-only`/no `cache-from` for Gradle and Docker. Keep caches in your test workflows, where a poisoned entry cannot reach users. A release build that takes a few minutes longer is the whole cost.',
    effort: 'minutes',
    fixSafety:
      'Turning a cache off never changes what is built, only how long it takes, so the fix is safe; it is offered only on the jobs the finding is about, and it says what it costs (slower release builds). Steward removes the `cache:` input, sets it to `false`, adds a `cache: false` line for actions that cache by default, or, for setup-node v5 and later (which also caches by default), writes `package-manager-cache: false` in place of `cache:`; it leaves whole cache steps (actions/cache, rust-cache) and flow-style steps to you. One exception is a review fix: setup-ruby\'s `bundler-cache: true` also installs the gems, so Steward moves the install into a `bundle install` step of its own, which is not exactly what setup-ruby ran.',
  },
  references: {
    zizmor: 'cache-poisoning',
    other: [{ title: 'GitHub Docs: Caching dependencies — restrictions for accessing a cache', url: 'https://docs.github.com/en/actions/reference/workflows-and-actions/dependency-caching#restrictions-for-accessing-a-cache' }],
  },
};

interface CacheUse {
  /** What the finding points at: the enabling input, or the `uses:` value. */
  node: unknown;
  pair?: Pair;
  what: string;
  fix?: 'remove-input' | 'set-false' | 'add-false' | 'replace-input';
  /** The input that turns the cache off, for 'add-false' and 'replace-input'. */
  input?: string;
  /** For 'replace-input': that input, already written with a value that leaves the cache on. */
  offPair?: Pair;
}

/** Whether and how a step uses the Actions cache, from the table of cache-aware actions (workflow/cache-actions.ts). */
export function cacheUse(file: SourceFile, step: StepModel, triggers: ReadonlySet<string> = new Set()): CacheUse | undefined {
  if (!step.uses) return undefined;
  const u = parseUses(step.uses.value);
  if (u.kind !== 'repo') return undefined;
  const display = `${u.owner}/${u.repo}${u.path ? '/' + u.path : ''}`;
  const name = display.toLowerCase();
  const uses = step.uses.node;
  // An input written as an expression is read as it evaluates in a release run (a tag push): the
  // common `sccache: ${{ !startsWith(github.ref, 'refs/tags/') }}` is off exactly when it matters.
  const input = (key: string) => {
    const value = withString(step, key);
    const node = value?.includes('${{') ? parseCondition(value) : undefined;
    const tagRun = node ? evaluateCondition(node, (path) => (path === 'github.ref' ? { known: 'refs/tags/v0.0.0' } : path === 'github.ref_type' ? { known: 'tag' } : undefined)) : undefined;
    return { pair: withPair(step, key, file), value: tagRun === false ? 'false' : value };
  };
  if (name === 'docker/build-push-action' || name === 'docker/bake-action') {
    const i = input('cache-from');
    if (!i.pair) return undefined;
    const v = deref(i.pair.value, file.yaml!);
    const texts = isSeq(v) ? v.items.map((x) => scalarString(deref(x, file.yaml!)) ?? '') : [scalarString(v) ?? ''];
    return texts.some((t) => /type\s*=\s*gha\b/.test(t)) ? { node: i.pair.key, pair: i.pair, what: `${display} restores layers from the Actions cache (cache-from: type=gha)` } : undefined;
  }
  const row = cacheRow(name, actionMajor(file, step));
  if (!row) return undefined;
  if ((row.optOuts ?? []).some((k) => inputOn(row, k, input(k).value))) return undefined;
  const mode = row.mode;
  switch (mode.kind) {
    case 'always':
      return { node: uses, what: `${display} ${mode.what}` };
    case 'input-enables': {
      const i = input(mode.input);
      return i.pair && inputOn(row, mode.input, i.value) ? { node: i.pair.key, pair: i.pair, what: `${display} ${mode.what} (${mode.input}: ${i.value!.trim()})`, fix: 'remove-input' } : undefined;
    }
    case 'on-by-default': {
      const also = row.alsoEnabledBy ? input(row.alsoEnabledBy) : undefined;
      const i = input(mode.input);
      if (also?.pair && inputOn(row, row.alsoEnabledBy!, also.value)) {
        // Both inputs turn the cache on: the one fix must leave neither (removing `cache:` alone
        // leaves the default on, and a second round would then add the other: issue 14's oracle).
        const off = !!i.pair && inputOff(row, mode.input, i.value);
        const what = `${display} ${mode.what} (${row.alsoEnabledBy}: ${also.value!.trim()})`;
        return off ? { node: also.pair.key, pair: also.pair, what, fix: 'remove-input' } : { node: also.pair.key, pair: also.pair, what, fix: 'replace-input', input: mode.input, offPair: i.pair };
      }
      // `auto` (setup-uv v10+) turns the cache off for some events: only the other triggers restore.
      const auto = !i.pair || /^auto$/i.test(i.value?.trim() ?? '');
      if (auto && mode.offEvents && triggers.size && [...triggers].every((t) => mode.offEvents!.includes(t))) return undefined;
      if (!i.pair) return { node: uses, what: `${display} ${mode.what} (${mode.note ?? 'caches by default'})`, fix: 'add-false', input: mode.input };
      if (inputOff(row, mode.input, i.value)) return undefined;
      return { node: i.pair.key, pair: i.pair, what: `${display} ${mode.what} (${auto ? 'caches by default' : `${mode.input}: ${i.value!.trim()}`})`, fix: 'set-false' };
    }
  }
}

/** Jobs a job depends on, directly or not. */
function needsClosure(jobs: JobModel[], start: JobModel, file: SourceFile): Set<string> {
  const byId = new Map(jobs.map((j) => [j.id, j]));
  const out = new Set<string>();
  const queue = [start];
  while (queue.length) {
    const j = queue.pop()!;
    const needs = deref(get(j.node, 'needs', file.yaml), file.yaml!);
    const ids = isSeq(needs) ? needs.items.map((n) => scalarString(deref(n, file.yaml!)) ?? '') : isScalar(needs) ? [scalarString(needs) ?? ''] : [];
    for (const id of ids) {
      const dep = byId.get(id);
      if (dep && !out.has(id)) {
        out.add(id);
        queue.push(dep);
      }
    }
  }
  return out;
}

const uploadsArtifacts = (job: JobModel) => job.steps.some((s) => s.uses && actionName(s.uses.value) === 'actions/upload-artifact');

/** A minimal edit that turns the cache off, when the input sits alone on its line(s) in a block mapping. */
function disableFix(file: SourceFile, use: CacheUse, step: StepModel): Fix | undefined {
  if (use.fix === 'add-false') return addFalseFix(file, use.input!, step);
  if (!use.pair || !use.fix || !step.with) return undefined;
  const yaml = file.yaml!;
  if (step.with.flow) return undefined;
  const keyRange = (use.pair.key as { range?: [number, number, number] }).range;
  const value = deref(use.pair.value, yaml);
  const valueRange = isScalar(value) ? value.range : undefined;
  if (!keyRange || !valueRange) return undefined;
  const keyName = scalarString(use.pair.key) ?? '';
  if (use.fix === 'set-false') {
    return {
      title: `Set ${keyName}: false`,
      safe: true,
      edits: [{ file: file.path, start: valueRange[0], end: valueRange[1], newText: 'false' }],
    };
  }
  if (use.fix === 'replace-input') {
    const was = `${keyName}: ${scalarString(value) ?? ''}`;
    const title = `Turn off the cache (${use.input}: false instead of ${was})`;
    const offValue = use.offPair ? deref(use.offPair.value, yaml) : undefined;
    if (!use.offPair) {
      // `cache: npm` becomes `package-manager-cache: false` on the same line: one edit, final form.
      return { title, safe: true, edits: [{ file: file.path, start: keyRange[0], end: valueRange[1], newText: `${use.input}: false` }] };
    }
    const offRange = isScalar(offValue) ? offValue.range : undefined;
    const removed = removeLineEdit(file, keyRange[0], valueRange[1]);
    if (!offRange || !removed) return undefined;
    return { title, safe: true, edits: [removed, { file: file.path, start: offRange[0], end: offRange[1], newText: 'false' }] };
  }
  // Remove the whole `cache: x` line, unless it is the only input (an empty `with:` is invalid).
  if (step.with.items.length < 2) return undefined;
  const removed = removeLineEdit(file, keyRange[0], valueRange[1]);
  if (!removed) return undefined;
  const action = step.uses ? parseUses(step.uses.value).raw.split('@')[0] : undefined;
  if (action?.toLowerCase() === 'ruby/setup-ruby' && keyName === 'bundler-cache') return bundleInstallFix(file, step, removed);
  return { title: `Remove ${keyName}: from ${action ?? 'the step'}`, safe: true, edits: [removed] };
}

/**
 * setup-ruby's `bundler-cache: true` does two things: it runs `bundle install` and caches the gems.
 * Removing it alone would leave the later `bundle exec` steps without their gems, so the fix puts the
 * install in a step of its own right after. That step is not what setup-ruby ran (it installs into
 * vendor/bundle with its own Bundler settings), which Steward cannot show to be the same: a review fix.
 */
function bundleInstallFix(file: SourceFile, step: StepModel, removed: TextEdit): Fix | undefined {
  const yaml = file.yaml!;
  const range = (step.node as { range?: [number, number, number] }).range;
  if (!range) return undefined;
  const first = yaml.lines.position(range[0]).line;
  const prefix = yaml.text.slice(yaml.lines.lineStart(first), range[0]);
  // The step must start its line as `- key: …` (the dash and its spaces are reused for the new step).
  if (!/^[ ]*-[ ]+$/.test(prefix)) return undefined;
  const last = yaml.lines.position(Math.max(range[0], range[1] - 1)).line;
  const at = last < yaml.lines.lineCount ? yaml.lines.lineStart(last + 1) : yaml.text.length;
  const eol = detectEol(yaml.text);
  const step_ = `${prefix}run: bundle install`;
  // After the last line of a file without a line break: that line is rewritten with the step after it.
  const insert: TextEdit =
    at === yaml.text.length && !/\n$/.test(yaml.text)
      ? { file: file.path, start: yaml.lines.lineStart(last), end: at, newText: yaml.text.slice(yaml.lines.lineStart(last), at) + eol + step_ }
      : { file: file.path, start: at, end: at, newText: step_ + eol };
  if (insert.start < removed.end) return undefined;
  return {
    title: 'Install the gems in a step of their own instead of setup-ruby\'s bundler-cache',
    safe: false,
    reviewReason:
      "`bundler-cache: true` also made setup-ruby run `bundle install` (into vendor/bundle, with its own Bundler settings); the new `bundle install` step installs the gems without the cache, and only a run of the release shows the later steps find them the same way.",
    edits: [removed, insert],
  };
}

/** The edit that removes the whole line(s) of a `key: value` pair that starts its own line. */
function removeLineEdit(file: SourceFile, keyStart: number, valueEnd: number): { file: string; start: number; end: number; newText: string } | undefined {
  const yaml = file.yaml!;
  const startLine = yaml.lines.position(keyStart).line;
  const endLine = yaml.lines.position(valueEnd).line;
  const lineStart = yaml.lines.lineStart(startLine);
  if (yaml.text.slice(lineStart, keyStart).trim() !== '') return undefined;
  const next = endLine < yaml.lines.lineCount ? yaml.lines.lineStart(endLine + 1) : yaml.text.length;
  return { file: file.path, start: lineStart, end: next, newText: '' };
}

/**
 * For actions that cache by default: a new `key: false` line at the end of a block `with:`, or a new
 * `with:` block under the step when it has none. Flow-style steps get no fix (no safe place to splice).
 */
function addFalseFix(file: SourceFile, key: string, step: StepModel): Fix | undefined {
  const yaml = file.yaml!;
  const eol = detectEol(yaml.text);
  const title = `Turn off the cache (${key}: false)`;
  const insertAfter = (endOffset: number, lines: string[]): Fix => {
    const line = yaml.lines.position(endOffset).line;
    const at = line < yaml.lines.lineCount ? yaml.lines.lineStart(line + 1) : yaml.text.length;
    if (at === yaml.text.length && !/\n$/.test(yaml.text)) {
      // Last line without a line break: rewrite that line with the new ones after it.
      const start = yaml.lines.lineStart(line);
      return { title, safe: true, edits: [{ file: file.path, start, end: at, newText: [yaml.text.slice(start, at), ...lines].join(eol) }] };
    }
    return { title, safe: true, edits: [{ file: file.path, start: at, end: at, newText: lines.map((l) => l + eol).join('') }] };
  };
  if (step.node.flow) return undefined;
  if (step.with) {
    if (step.with.flow || !step.with.items.length) return undefined;
    const first = step.with.items[0] as Pair;
    const last = step.with.items[step.with.items.length - 1] as Pair;
    const firstKey = (first.key as { range?: [number, number, number] }).range;
    const lastValue = (deref(last.value, yaml) as { range?: [number, number, number] } | undefined)?.range ?? (last.key as { range?: [number, number, number] }).range;
    if (!firstKey || !lastValue) return undefined;
    const firstLine = yaml.lines.position(firstKey[0]).line;
    const indent = indentOf(yaml.lines.lineText(firstLine));
    // The key must start its own line, so the new line can copy its indentation.
    if (yaml.lines.lineStart(firstLine) + indent.length !== firstKey[0]) return undefined;
    return insertAfter(Math.max(lastValue[0], lastValue[1] - 1), [`${indent}${key}: false`]);
  }
  const usesKey = (step.uses!.pair.key as { range?: [number, number, number] }).range;
  const usesValue = step.uses!.node.range;
  if (!usesKey || !usesValue) return undefined;
  const usesLine = yaml.lines.position(usesKey[0]).line;
  const lineText = yaml.lines.lineText(usesLine);
  // `- uses: x` puts the key after the dash: the step's keys are indented to the key's column.
  const column = usesKey[0] - yaml.lines.lineStart(usesLine);
  if (!/^[ \t]*(?:-[ \t]+)?$/.test(lineText.slice(0, column))) return undefined;
  const indent = ' '.repeat(column);
  const inner = /\t/.test(lineText) ? undefined : indent + '  ';
  if (!inner) return undefined;
  return insertAfter(Math.max(usesValue[0], usesValue[1] - 1), [`${indent}with:`, `${inner}${key}: false`]);
}

export const check: Check = {
  meta,
  // Composite actions are not checked on their own: whether their cache matters depends on the
  // workflow that calls them, which a file-level check cannot see.
  fileKinds: ['workflow'],
  notApplicableReason: 'No workflows',
  checkFile(file) {
    const wf = file.workflow;
    if (!wf) return [];
    const release = releaseTriggers(file);
    const publishing = publishSteps(file);
    const publishingJobs = new Map<string, PublishStep>();
    for (const p of publishing) if (p.job && !publishingJobs.has(p.job.id)) publishingJobs.set(p.job.id, p);
    // Jobs whose caches can reach a release: every job of a tag/release workflow; otherwise the
    // publishing jobs and the jobs that build the artifacts they publish.
    const upstream = new Map<string, PublishStep>();
    for (const job of wf.jobs) {
      const p = publishingJobs.get(job.id);
      if (!p) continue;
      for (const id of needsClosure(wf.jobs, job, file)) {
        const dep = wf.jobs.find((j) => j.id === id)!;
        if (uploadsArtifacts(dep) && !upstream.has(id)) upstream.set(id, p);
      }
    }
    if (!release.length && !publishingJobs.size) return [];
    // A release workflow in which Steward sees no publishing step (an unknown action publishes): the
    // jobs that hand over artifacts are the ones whose output can ship.
    const fallback = !publishingJobs.size;
    const triggers = triggerNames(wf);
    const out: Finding[] = [];
    for (const job of wf.jobs) {
      const own = publishingJobs.get(job.id);
      const feeds = upstream.get(job.id);
      const ships = fallback && (uploadsArtifacts(job) || /publish|release|deploy|upload/i.test(`${job.id} ${job.name ?? ''}`));
      // Per publishing job: tests and checks in a tag-triggered workflow do not shape what ships.
      if (!own && !feeds && !ships) continue;
      for (const step of job.steps) {
        const use = cacheUse(file, step, triggers);
        if (!use) continue;
        let severity: Severity;
        let why: string;
        if (own) {
          severity = 'high';
          why = `job ${jobLabel(job)} also publishes (${own.what})`;
        } else if (feeds) {
          severity = 'high';
          why = `job ${jobLabel(job)} builds artifacts that ${feeds.job ? `job ${jobLabel(feeds.job)}` : 'a later job'} publishes (${feeds.what})`;
        } else {
          severity = 'medium';
          why = `the workflow runs on ${release.join(' and ')} and job ${jobLabel(job)} ${uploadsArtifacts(job) ? 'hands over artifacts that may be what ships' : 'looks like the one that releases (Steward sees no publishing command in it)'}`;
        }
        const fix = disableFix(file, use, step);
        if (fix) fix.caveat = `Release builds in job ${jobLabel(job)} get slower: what the cache saved is downloaded or rebuilt on every run.`;
        out.push(
          finding(meta, {
            message: `${use.what}, and ${why}: a cache entry saved by another run could end up in the release (since June 2026 only trusted triggers can save to the default branch's cache, so what remains is an entry saved by a push or scheduled run in which a compromised dependency or tool ran)`,
            severity,
            location: use.pair ? keyLocation(file.yaml!, use.pair) : locationOf(file.yaml!, use.node),
            fixes: fix ? [fix] : [],
          }),
        );
      }
    }
    return out;
  },
};
