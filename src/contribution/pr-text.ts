import { structuredPatch } from 'diff';
import type { CheckMeta, Evidence, Finding, Fix } from '../core/model';
import { reviewReasonOf, severityRank } from '../core/model';
import { rulesDocUrl } from '../core/report/docs';
import { escapeMarkdown, markdownCode, markdownLink } from '../core/report/escape';
import { getMap, getPair, isMap, keyString, pairs, parseYaml, rootMap, type YamlFile } from '../core/yaml/parse';
import { VERSION } from '../cli/version';
import type { Concern } from './concerns';

// The pull request text, written for a maintainer who is not a security expert and who owes the
// contributor nothing. Three rules shape it:
// - say each thing once: why the concern matters is one paragraph per PR, not one per commit;
// - say only what the change itself shows: the scopes each job now gets (with the reason written on
//   the line), the SHA each action is pinned to (with the evidence), the lines moved into `env:`;
//   what Steward could not verify is said as such, never promised away;
// - never speak for the contributor: what only they can know ("I read every line") is a tick box.

export interface PlannedChange {
  /** Commit subject. */
  title: string;
  ruleId: string;
  files: string[];
  added: number;
  removed: number;
  caveat?: string;
  evidence: Evidence[];
  /** The file's text before and after this change (one file per change), for the specifics. */
  before?: string;
  after?: string;
  /** The fixes this change applies (review reasons and caveats are read from them). */
  fixes?: Fix[];
  /** Set once committed. */
  commit?: string;
}

export type Urgency = 'exploitable' | 'defence-in-depth' | 'hygiene';

/** Rules whose high-severity findings mean "people outside the project can attack this today". */
export const EXPLOITABLE_RULES: ReadonlySet<string> = new Set(['template-injection', 'dangerous-triggers']);

/**
 * Exploitable: attacker text run as code, or fork code run with secrets, under a trigger outsiders
 * can start. The checks grade that as severity high (outsiders control it) with at least medium
 * confidence; members-only inputs and step outputs are graded lower and stay defence in depth.
 */
export function isExploitable(f: Finding): boolean {
  return EXPLOITABLE_RULES.has(f.ruleId) && severityRank(f.severity) >= severityRank('high') && f.confidence !== 'low' && !f.suppressed;
}

/** Concerns about process (a policy, update automation): never an exploit, at most hygiene. */
const PROCESS_CONCERNS = new Set(['security-policy', 'dependabot']);

export function urgencyOf(concernId: string, findings: readonly Finding[]): Urgency {
  if (PROCESS_CONCERNS.has(concernId)) return 'hygiene';
  if (findings.some(isExploitable)) return 'exploitable';
  if (findings.some((f) => severityRank(f.severity) >= severityRank('medium') && f.confidence !== 'low')) return 'defence-in-depth';
  return 'hygiene';
}

const URGENCY_SENTENCE: Record<Urgency, string> = {
  exploitable: '**Urgency: exploitable.** People outside the project can trigger this today, so it is worth reviewing soon.',
  'defence-in-depth': '**Urgency: defence in depth.** Nothing here is known to be exploitable on its own; the change limits the damage if another part of the pipeline is ever compromised.',
  hygiene: '**Urgency: hygiene.** There is no known risk today; this is routine upkeep that keeps the project easier to secure and review.',
};

const WHY: Record<string, (u: Urgency) => string> = {
  'token-permissions': () =>
    'Every workflow run gets a `GITHUB_TOKEN`. Without a `permissions:` block it gets the repository\'s default, which for many repositories and organisations is write access to code, releases, packages and pull requests; `read-all` still lets every job read every scope. If any step is compromised (a hijacked action, an injected command), it can do whatever the token allows. Granting each job only the scopes its steps use limits that.',
  'pin-actions': () =>
    'A tag such as `v4` can be moved by whoever controls the action\'s repository, or by someone who has taken it over, and every workflow that uses the tag then runs the new code with this repository\'s secrets (this happened to `tj-actions/changed-files` in March 2025). A full commit SHA cannot be moved. The `# v…` comment keeps the version readable and lets Dependabot or Renovate propose updates.',
  'checkout-credentials': () =>
    '`actions/checkout` writes the job\'s token into `.git/config` unless told not to. Every later step in the job, including third-party actions and build scripts, can read it there, and it leaves with the workspace if the workspace is uploaded as an artifact. `persist-credentials: false` removes it once the code is checked out.',
  'template-injection': (u) =>
    u === 'exploitable'
      ? 'These scripts paste text that people outside the project choose (an issue or pull request title, a comment, a branch name) into the script before it runs, so that text can run commands with this workflow\'s token and secrets. Passing the values through `env:` makes the shell read them as data, never as code.'
      : 'These scripts paste `${{ … }}` values into the code before it runs. Steward found no way for people outside the project to choose these values today (they come from members, inputs or earlier steps), so this is not known to be exploitable. Passing them through `env:` means a value can never run as code, even if where it comes from changes later.',
  'security-policy': () =>
    'Without a security policy, someone who finds a vulnerability has no private way to tell you and may open a public issue, which tells everyone else at the same time. `SECURITY.md` says where to report and what to expect.',
  dependabot: () =>
    'Nothing proposes updates for the actions and packages this project uses, so fixed vulnerabilities stay in use until someone notices. A cooldown waits a few days after each release, so a malicious release is usually caught and pulled before it reaches this project.',
};

const VERIFY: Record<string, string> = {
  'security-policy': 'Open the new `SECURITY.md` on the "Files changed" tab and check that the contact channel, response times and supported versions are what you intend to promise.',
  'pin-actions': 'For each pinned action, open the compare link in the evidence table: it should show no changes between the tag the workflow used and the pinned commit. Then let CI run on this PR.',
  'token-permissions': 'Let the workflows run on this PR (and on the next push or release). A job that needs a scope that is not granted fails with "Resource not accessible by integration"; the comment on each granted line says why it is there.',
  'checkout-credentials': 'Let CI run on this PR. Only a step that runs `git push` (or another authenticated git command) after the checkout needs the stored credential.',
  'template-injection': 'Let the workflow run, ideally on an event with an ordinary title or branch name, and compare its output with an earlier run. The values now arrive as environment variables; a script that relied on the shell re-reading them (quotes or `$(…)` inside the value) would behave differently.',
  dependabot: 'After merging, open Insights → Dependency graph → Dependabot to see the configured ecosystems. Update PRs arrive at most weekly and only for releases older than the cooldown.',
};

export interface PrTextInput {
  concern: Concern;
  changes: PlannedChange[];
  metas: ReadonlyMap<string, CheckMeta>;
  templateChecklist: string[];
  requiresSignoff: boolean;
  /** The project's pull request template, filled where its sections map. */
  template?: string;
  /** The commit the changes were made against and the branch holding them (for "Check this PR yourself"). */
  baseCommit?: string;
  branch?: string;
  /** Kept for callers that pass it; the text no longer speaks in the contributor's voice. */
  author?: string;
}

export function prTitle(concern: Concern): string {
  return concern.def.prTitle;
}

/** Characters the body may use: a fixed part plus a share per change and per pin, plus the template. */
export function bodyBudget(input: Pick<PrTextInput, 'changes' | 'template' | 'templateChecklist'>): number {
  const pins = input.changes.reduce((n, c) => n + c.evidence.filter((e) => e.kind === 'pin').length, 0);
  const extra = (input.template?.length ?? 0) + input.templateChecklist.join('\n').length;
  return 3200 + 1000 * input.changes.length + 260 * pins + extra;
}

/** Most specifics listed per change; the rest is in the diff. */
const MAX_ITEMS = 10;

function code(s: string): string {
  return markdownCode(s);
}

/**
 * Steward's own sentences (caveats, review reasons, rule summaries) mark code with backticks, and
 * may quote repository text (job names, scopes). Code spans are re-fenced, the rest escaped.
 */
export function inlineText(s: string): string {
  return s
    .split(/(`[^`\n]+`)/)
    .map((part, i) => (i % 2 ? markdownCode(part.slice(1, -1)) : escapeMarkdown(part)))
    .join('');
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

interface Section {
  kind: 'summary' | 'why' | 'changes' | 'break' | 'evidence' | 'verify' | 'check' | 'undo' | 'background' | 'checklist';
  heading: string;
  lines: string[];
}

export function prBody(input: PrTextInput): string {
  const { concern, changes, metas } = input;
  const urgency = urgencyOf(concern.def.id, concern.findings);
  const files = [...new Set(changes.flatMap((c) => c.files))];
  const added = changes.reduce((n, c) => n + c.added, 0);
  const removed = changes.reduce((n, c) => n + c.removed, 0);
  const rules = [...new Set(changes.map((c) => c.ruleId))];
  const sections: Section[] = [];

  sections.push({
    kind: 'summary',
    heading: 'Summary',
    lines: [
      `This pull request changes ${plural(files.length, 'file')} (+${added} −${removed} lines) in ${plural(changes.length, 'commit')}, about one concern only: ${escapeMarkdown(lowerFirst(concern.def.title))}. It was prepared with [Steward](https://github.com/steward-oss/steward), and every change can be reproduced (see "Check this PR yourself").`,
      '',
      URGENCY_SENTENCE[urgency],
    ],
  });

  const why = WHY[concern.def.id]?.(urgency) ?? rules.map((r) => metas.get(r)?.docs.whyItMatters).filter((s): s is string => !!s).join(' ');
  if (why) sections.push({ kind: 'why', heading: 'Why this matters', lines: [why] });

  const changeLines: string[] = [];
  const saidFor = new Map<string, string>();
  changes.forEach((c, i) => {
    if (i) changeLines.push('');
    changeLines.push(`### ${c.files.map(code).join(', ')}`, '');
    const items = specifics(concern, c);
    const shown = items.slice(0, MAX_ITEMS);
    for (const it of shown) changeLines.push(`- ${it}`);
    if (items.length > shown.length) changeLines.push(`- … and ${items.length - shown.length} more (see the diff).`);
    changeLines.push(`- +${c.added} −${c.removed} lines${c.commit ? `, commit ${c.commit.slice(0, 12)}` : ''}.`);
    changeLines.push('');
    const review = reviewNotes(c, concern);
    if (review) changeLines.push(review, '');
    const here = couldBreakHere(concern, c, metas.get(c.ruleId));
    // Said once: a second file with the same risk points back to the first.
    const first = here ? saidFor.get(here) : undefined;
    if (here) changeLines.push(`**What could break here.** ${first ? `As for ${first} above.` : here}`);
    if (here && !first) saidFor.set(here, c.files.map(code).join(', '));
    else changeLines.pop();
  });
  sections.push({ kind: 'changes', heading: 'What changed', lines: changeLines });
  const general = BREAK_GENERAL[concern.def.id];
  if (general) sections.push({ kind: 'break', heading: 'What could break', lines: [general] });

  const evidence = changes.flatMap((c) => c.evidence);
  const pins = evidence.filter((e) => e.kind === 'pin');
  const other = evidence.filter((e) => e.kind !== 'pin');
  if (pins.length || other.length) {
    const ev: string[] = [];
    if (pins.length) {
      ev.push('| Action | Was | Pinned to | Tag | Date | Links |', '| --- | --- | --- | --- | --- | --- |');
      const seen = new Set<string>();
      for (const e of pins) {
        const d = e.details ?? {};
        const key = `${d.action}@${d.ref}=${d.commit}`;
        if (seen.has(key)) continue;
        seen.add(key);
        const links = (e.links ?? []).map((l) => markdownLink(l.title, l.url)).join(' · ');
        const date = d.tagDate ?? d.commitDate;
        ev.push(`| ${escapeMarkdown(d.action ?? e.summary)} | ${code(d.ref ?? '')} | ${code((d.commit ?? '').slice(0, 12))} | ${escapeMarkdown(d.version ?? d.tag ?? '')} | ${date ? date.slice(0, 10) : 'unknown'} | ${links} |`);
      }
      ev.push('', 'Each SHA was read from the action repository\'s own list of tags, so it is the commit that repository publishes under that tag, not a commit that exists only in a fork.');
    }
    if (other.length) {
      if (ev.length) ev.push('');
      for (const e of other) ev.push(`- ${escapeMarkdown(e.summary)}`);
    }
    sections.push({ kind: 'evidence', heading: 'Evidence', lines: ev });
  }

  sections.push({ kind: 'verify', heading: 'How to test', lines: [VERIFY[concern.def.id] ?? 'Let CI run on this PR; `steward scan` no longer reports these findings.'] });

  const range = input.baseCommit ? `--base ${input.baseCommit.slice(0, 12)} --head ${input.branch ?? 'HEAD'}` : '--head <this branch>';
  sections.push({
    kind: 'check',
    heading: 'Check this PR yourself',
    lines: [
      'The changes are mechanical. Each commit names the rule, the Steward version and the command that produced it in its trailers (`Steward-Rule:`, `Steward-Version:`, `Steward-Command:`). To confirm this PR contains exactly that and nothing else, run in a clone:',
      '',
      '```sh',
      `npx steward verify ${range}`,
      '```',
      '',
      `It replays the fixes on the base commit and lists any hunk, file or byte that differs${pins.length ? ', and re-checks that each pinned SHA is the commit its tag points to' : ''}. Exit code 0 means identical.`,
    ],
  });

  sections.push({ kind: 'undo', heading: 'How to undo', lines: [`Revert the ${changes.length === 1 ? 'commit' : 'commits'} (\`git revert\`); nothing else depends on ${changes.length === 1 ? 'it' : 'them'}.`] });

  const bg: string[] = [];
  for (const r of rules) {
    const m = metas.get(r);
    if (m) bg.push(`- ${markdownLink(m.title, rulesDocUrl(r))}: ${inlineText(m.docs.summary)}`);
  }
  if (bg.length) sections.push({ kind: 'background', heading: 'Background', lines: bg });

  const checklist: string[] = [];
  if (input.requiresSignoff) checklist.push('Every commit carries a `Signed-off-by` line, as this project\'s contributing guide asks.', '');
  checklist.push('- [ ] I (the contributor) have read every line of this diff and understand what it changes.');
  sections.push({ kind: 'checklist', heading: 'Checklist', lines: checklist });

  // With a template, its own tick boxes stay in its own sections; without one they join ours.
  const body =
    input.template && templateSections(input.template).length
      ? fillTemplate(input.template, sections)
      : render(sections.map((x) => (x.kind === 'checklist' && input.templateChecklist.length ? { ...x, lines: [...x.lines, ...input.templateChecklist] } : x)));
  return trimToBudget(body, bodyBudget(input));
}

function lowerFirst(s: string): string {
  return /^[A-Z][a-z]/.test(s) ? s[0].toLowerCase() + s.slice(1) : s;
}

function render(sections: Section[]): string {
  const out: string[] = [];
  for (const s of sections) out.push(`## ${s.heading}`, '', ...s.lines, '');
  return out.join('\n');
}

/** The second-level headings of a PR template, with the text under each. */
export function templateSections(template: string): { heading: string; text: string }[] {
  const out: { heading: string; text: string }[] = [];
  let cur: { heading: string; text: string[] } | undefined;
  let fence = false;
  for (const line of template.replace(/<!--[\s\S]*?-->/g, '').split(/\r?\n/)) {
    if (/^\s*(```|~~~)/.test(line)) fence = !fence;
    const m = !fence && /^#{1,3}\s+(.+?)\s*#*\s*$/.exec(line);
    if (m) {
      if (cur) out.push({ heading: cur.heading, text: cur.text.join('\n').trim() });
      cur = { heading: m[1], text: [] };
    } else if (cur) cur.text.push(line);
  }
  if (cur) out.push({ heading: cur.heading, text: cur.text.join('\n').trim() });
  return out;
}

const TEMPLATE_MAP: { re: RegExp; kinds: Section['kind'][] }[] = [
  { re: /check\s*-?\s*list|before submitting/i, kinds: ['checklist'] },
  { re: /\b(test|tested|testing|verif\w*|how to check|qa)\b/i, kinds: ['verify'] },
  { re: /\b(why|motivation|context|rationale|problem|background)\b/i, kinds: ['why'] },
  { re: /\b(summary|description|what|changes?|overview|proposed|details)\b/i, kinds: ['summary', 'why', 'changes'] },
];

/**
 * The project's template, section by section: a section that maps to ours gets our text (headings
 * kept as the project wrote them); other sections, and the template's own tick boxes, keep the
 * template's text for the contributor to complete. Our remaining sections follow.
 */
function fillTemplate(template: string, sections: Section[]): string {
  const ts = templateSections(template);
  // Which template section takes each of our sections: the first heading that names it specifically
  // (a "Motivation" heading takes "why" even when a "Description" heading comes first).
  const owner = new Map<Section['kind'], number>();
  for (const m of TEMPLATE_MAP) {
    ts.forEach((t, i) => {
      if (!m.re.test(t.heading)) return;
      for (const k of m.kinds) if (!owner.has(k)) owner.set(k, i);
    });
  }
  const used = new Set<Section['kind']>();
  const out: string[] = [];
  // Tick boxes in a section whose text ours replaces still reach the contributor, in the checklist.
  const tick = /^\s*[-*]\s+\[[ xX]\]\s+\S/;
  const ticks = ts
    .filter((_, i) => [...owner.entries()].some(([k, j]) => j === i && k !== 'checklist') && owner.get('checklist') !== i)
    .flatMap((t) => t.text.split('\n').filter((l) => tick.test(l)).map((l) => l.trim().replace(/^[-*]\s+\[[xX]\]/, '- [ ]')));
  const withTicks = (s: Section): Section => (s.kind === 'checklist' && ticks.length ? { ...s, lines: [...s.lines, ...ticks] } : s);
  sections = sections.map(withTicks);
  ts.forEach((t, i) => {
    out.push(`## ${t.heading}`, '');
    const mine = sections.filter((s) => owner.get(s.kind) === i);
    if (!mine.length) {
      if (t.text) out.push(t.text, '');
      return;
    }
    for (const s of mine) {
      used.add(s.kind);
      if (s.kind === 'checklist') {
        // The template's own lines (its tick boxes included) come first, then ours.
        out.push(...(t.text ? [t.text] : []), ...s.lines, '');
        continue;
      }
      if (s.kind === 'changes' || (s.kind === 'why' && mine.length > 1)) out.push(`### ${s.heading}`, '');
      out.push(...s.lines.map((l) => (s.kind === 'changes' && l.startsWith('### ') ? `#${l}` : l)), '');
    }
  });
  for (const s of sections) if (!used.has(s.kind)) out.push(`## ${s.heading}`, '', ...s.lines, '');
  return out.join('\n');
}

/** Over budget: the per-change item lists are what grows, so they are cut first (the diff has it all). */
function trimToBudget(body: string, budget: number): string {
  if (body.length <= budget) return body;
  const lines = body.split('\n');
  const out: string[] = [];
  let cut = 0;
  let size = body.length;
  for (let i = lines.length - 1; i >= 0; i--) {
    const l = lines[i];
    if (size > budget && /^- /.test(l) && !/^- \[[ x]\]/.test(l) && !/^- \+\d/.test(l) && i > 0 && /^- /.test(lines[i - 1])) {
      size -= l.length + 1;
      cut++;
      continue;
    }
    if (cut && !/^- /.test(l)) {
      out.unshift(`- … ${plural(cut, 'more item')} in the diff.`);
      cut = 0;
    }
    out.unshift(l);
  }
  return out.join('\n');
}

// ---- specifics, read from the change itself ----

function specifics(concern: Concern, c: PlannedChange): string[] {
  const file = c.files[0];
  if (c.before !== undefined && c.after !== undefined) {
    switch (concern.def.id) {
      case 'token-permissions':
        return permissionSpecifics(file, c.before, c.after);
      case 'pin-actions':
        return pinSpecifics(c);
      case 'template-injection':
        return envSpecifics(file, c.before, c.after);
      case 'checkout-credentials':
        return addedLineSpecifics(c.before, c.after, /persist-credentials:\s*false/, (line) => `${code('persist-credentials: false')} on the checkout at line ${line}.`);
      default:
        break;
    }
  }
  if (concern.def.id === 'pin-actions') return pinSpecifics(c);
  const titles = [...new Set((c.fixes ?? []).map((f) => f.title))];
  return titles.length ? titles.map((t) => `${inlineText(t)}.`) : [`${inlineText(c.title)}.`];
}

interface PermBlock {
  where: string;
  value: 'none' | 'read-all' | 'write-all' | 'empty' | 'map' | 'other';
  raw?: string;
  entries: { scope: string; level: string; why?: string; line: number }[];
}

function permissionBlocks(file: string, text: string): PermBlock[] | undefined {
  let y: YamlFile;
  try {
    y = parseYaml(file, text);
  } catch {
    return undefined;
  }
  if (y.errors.length) return undefined;
  const root = rootMap(y);
  if (!root) return undefined;
  const blocks: PermBlock[] = [];
  const read = (where: string, owner: unknown): void => {
    const pair = getPair(owner, 'permissions', y);
    if (!pair) {
      blocks.push({ where, value: 'none', entries: [] });
      return;
    }
    const v = pair.value as unknown;
    if (isMap(v)) {
      const entries = pairs(v).map((p) => {
        const start = (p.key as { range?: [number, number, number] }).range?.[0] ?? 0;
        const line = y.lines.position(start).line;
        const lineText = y.lines.lineText(line);
        const m = /\s#\s?(.*)$/.exec(lineText);
        return { scope: keyString(p) ?? '?', level: String((p.value as { value?: unknown })?.value ?? ''), why: m?.[1]?.trim() || undefined, line };
      });
      blocks.push({ where, value: entries.length ? 'map' : 'empty', entries });
      return;
    }
    const s = String((v as { value?: unknown })?.value ?? '');
    blocks.push({ where, value: s === 'read-all' ? 'read-all' : s === 'write-all' ? 'write-all' : 'other', raw: s, entries: [] });
  };
  read('workflow', root);
  const jobs = getMap(root, 'jobs', y);
  for (const p of pairs(jobs)) read(`job ${keyString(p) ?? '?'}`, p.value);
  return blocks;
}

function describeBlock(b: PermBlock): string {
  switch (b.value) {
    case 'none':
      return 'no `permissions:`';
    case 'read-all':
      return '`permissions: read-all` (read access to every scope)';
    case 'write-all':
      return '`permissions: write-all` (write access to every scope)';
    case 'empty':
      return 'no scopes (`permissions: {}`)';
    case 'map':
      return b.entries.map((e) => code(`${e.scope}: ${e.level}`)).join(', ');
    default:
      return code(`permissions: ${b.raw ?? ''}`);
  }
}

function permissionSpecifics(file: string, before: string, after: string): string[] {
  const was = permissionBlocks(file, before);
  const now = permissionBlocks(file, after);
  if (!was || !now) return ['Adds or narrows `permissions:` blocks (see the diff).'];
  const out: string[] = [];
  const wasWf = was.find((b) => b.where === 'workflow')!;
  const wasJobs = was.filter((b) => b.where !== 'workflow');
  if (wasWf.value === 'none' && wasJobs.every((b) => b.value === 'none')) out.push('Before: no `permissions:` (the repository default).');
  else {
    const set = was.filter((b) => b.value !== 'none').map((b) => `${b.where === 'workflow' ? 'workflow level' : escapeMarkdown(b.where)}: ${describeBlock(b)}`);
    out.push(`Before: ${set.join('; ')}.`);
  }
  for (const b of now) {
    const prev = was.find((x) => x.where === b.where);
    const same = prev && prev.value === b.value && describeBlock(prev) === describeBlock(b);
    if (same || (b.value === 'none' && b.where !== 'workflow')) continue;
    const where = b.where === 'workflow' ? 'Workflow level (every job)' : escapeMarkdown(b.where.replace(/^job /, 'Job ')).replace(/^Job (.*)$/, 'Job $1');
    if (b.value === 'map') {
      const lines = b.entries.map((e) => {
        const kept = e.why && /^kept:\s*/.exec(e.why);
        const why = kept ? `, kept because ${escapeMarkdown(e.why!.slice(kept[0].length))}` : e.why ? `, because ${escapeMarkdown(e.why)}` : '';
        return `${code(`${e.scope}: ${e.level}`)}${why} (line ${e.line})`;
      });
      out.push(`${where} now gets ${lines.join('; ')}.`);
    } else out.push(`${where} now gets ${describeBlock(b)}.`);
  }
  return out;
}

function pinSpecifics(c: PlannedChange): string[] {
  const pins = c.evidence.filter((e) => e.kind === 'pin');
  if (!pins.length) return [`${escapeMarkdown(c.title)}.`];
  return pins.map((e) => {
    const d = e.details ?? {};
    const date = d.tagDate ?? d.commitDate;
    return `${code(`${d.action ?? '?'}@${d.ref ?? '?'}`)} → ${code(d.commit ?? '?')} (${escapeMarkdown(d.version ?? d.ref ?? '')}${date ? `, ${d.tagDate ? 'tagged' : 'committed'} ${date.slice(0, 10)}` : ''}; resolved with ${escapeMarkdown(d.resolvedWith ?? 'the resolver')}).`;
  });
}

/** Lines added by the change, with their 1-based line numbers in the new text. */
export function addedLines(before: string, after: string): { line: number; text: string }[] {
  const p = structuredPatch('a', 'b', before, after, '', '', { context: 0 });
  const out: { line: number; text: string }[] = [];
  for (const h of p.hunks) {
    let n = h.newStart;
    for (const l of h.lines) {
      if (l.startsWith('+')) out.push({ line: n++, text: l.slice(1) });
      else if (!l.startsWith('-')) n++;
    }
  }
  return out;
}

function addedLineSpecifics(before: string, after: string, re: RegExp, say: (line: number, text: string) => string): string[] {
  const hits = addedLines(before, after).filter((l) => re.test(l.text));
  return hits.length ? hits.map((h) => say(h.line, h.text)) : ['See the diff.'];
}

function envSpecifics(file: string, before: string, after: string): string[] {
  void file;
  const added = addedLines(before, after);
  const out: string[] = [];
  for (const l of added) {
    const m = /^\s*([A-Za-z_][A-Za-z0-9_]*):\s*(\$\{\{[\s\S]*\}\})\s*$/.exec(l.text);
    if (m) out.push(`${code(m[2])} now reaches the script as the environment variable ${code(m[1])} (${code('env:')} at line ${l.line}).`);
  }
  const scriptLines = added.filter((l) => !/^\s*([A-Za-z_][A-Za-z0-9_]*):\s*\$\{\{/.test(l.text) && !/^\s*env:\s*$/.test(l.text));
  if (scriptLines.length) out.push(`The script ${scriptLines.length === 1 ? 'line' : 'lines'} ${scriptLines.map((l) => l.line).join(', ')} now ${scriptLines.length === 1 ? 'reads' : 'read'} the variable instead of the expression.`);
  return out.length ? out : ['See the diff.'];
}

function reviewNotes(c: PlannedChange, concern?: Concern): string | undefined {
  // A review fix the concern exists for (turning Dependabot on) is not something Steward failed to
  // verify: it is new behaviour the maintainers choose, and the PR says so in those words.
  const decides = !!concern?.def.reviewWhenAsked?.includes(c.ruleId);
  const reasons = [...new Set((c.fixes ?? []).map((f) => reviewReasonOf(f)).filter((r): r is string => !!r).map((r) => r.replace(/^Review before applying:\s*/i, '').replace(/\.$/, '')))];
  // What Steward kept because it could not verify it: the `# kept:` lines the permissions fix writes.
  const kept =
    c.after !== undefined
      ? (permissionBlocks(c.files[0], c.after) ?? []).flatMap((b) => b.entries.filter((e) => e.why && /^kept:/.test(e.why)).map((e) => `${code(`${e.scope}: ${e.level}`)} (line ${e.line})`))
      : [];
  if (!reasons.length && !kept.length) return undefined;
  const parts: string[] = [];
  if (reasons.length && decides) parts.push(`**Your decision:** ${reasons.map(inlineText).join('; ')}.`);
  else if (reasons.length) parts.push(`**Steward could not verify:** ${reasons.map(inlineText).join('; ')}. Please check ${reasons.length === 1 ? 'this' : 'these'} before merging.`);
  if (kept.length) parts.push(`**Kept because of that:** ${kept.join(', ')}; remove ${kept.length === 1 ? 'it' : 'them'} if nothing uses ${kept.length === 1 ? 'it' : 'them'}.`);
  return parts.join(' ');
}

/** What could break for the whole concern: said once, in the PR-level section. */
const BREAK_GENERAL: Record<string, string> = {
  'token-permissions': 'A step that needs a scope that is not granted fails with "Resource not accessible by integration". The likely candidates are scripts or actions Steward does not recognise that call the GitHub API with the token. Runs for pull requests from forks were already read-only and see no difference.',
  'pin-actions': 'Nothing in what runs today: each SHA is the commit its tag points to now. From now on the workflows no longer pick up new releases under the same tag until the pin is updated (Dependabot and Renovate update pinned actions).',
  'template-injection': 'The scripts receive the same values as before, but as environment variables: a script that relied on the shell re-reading a value (quotes or `$(…)` inside it) now sees the text literally.',
  'checkout-credentials': 'A later step in the same job that runs `git push` or another authenticated git command would now fail.',
};

/** What could break because of this change in particular (undefined when nothing beyond the general). */
function couldBreakHere(concern: Concern, c: PlannedChange, meta: CheckMeta | undefined): string | undefined {
  const caveat = c.caveat ?? (c.fixes ?? []).find((x) => x.caveat)?.caveat;
  switch (concern.def.id) {
    case 'token-permissions': {
      const was = c.before !== undefined ? permissionBlocks(c.files[0], c.before) : undefined;
      if (was?.some((b) => b.value === 'read-all')) return 'This file had `read-all`: its jobs lose read access to every scope not listed above (for example `packages`, `actions` or `security-events`).';
      if (was?.some((b) => b.value === 'write-all')) return 'This file had `write-all`: its jobs lose write access to everything not listed above, including pushing, releases and packages.';
      return undefined;
    }
    case 'pin-actions':
      return undefined;
    case 'template-injection':
    case 'checkout-credentials':
      // The fixes' own caveats name what they noticed (a word-split value, a later `git push`).
      return caveat && (c.fixes ?? []).every((f) => f.safe) ? inlineText(caveat) : undefined;
    default:
      return inlineText(caveat ?? meta?.docs.fixSafety ?? 'Nothing expected.');
  }
}

/** The trailers of a commit Steward made: enough to reproduce it with `steward verify`. */
export interface StewardTrailers {
  concern: string;
  rules: string[];
  version: string;
  command: string;
  /** `owner/repo[/path]@ref = sha (version)` for each pin, as resolved when the commit was made. */
  pins: { action: string; ref: string; sha: string; version: string }[];
}

export const TRAILER = {
  concern: 'Steward-Concern',
  rule: 'Steward-Rule',
  version: 'Steward-Version',
  command: 'Steward-Command',
  pin: 'Steward-Pin',
} as const;

/** The command that reproduces a change; `--unsafe` when it includes a fix that needs review. */
export function reproduceCommand(concernId: string, unsafe: boolean): string {
  return `steward pr --concern ${concernId}${unsafe ? ' --unsafe' : ''}`;
}

/** Commit message: a plain subject, a body that says why, and the trailers. */
export function commitMessage(change: PlannedChange, meta: CheckMeta | undefined, opts: { signoff?: string; concernId: string; unsafe?: boolean }): string {
  const body = meta ? wrap72(meta.docs.whyItMatters.replace(/`([^`]*)`/g, '$1')) : '';
  const unsafe = opts.unsafe ?? (change.fixes ?? []).some((f) => !f.safe);
  const trailers = [`${TRAILER.concern}: ${opts.concernId}`, `${TRAILER.rule}: ${change.ruleId}`, `${TRAILER.version}: ${VERSION}`, `${TRAILER.command}: ${reproduceCommand(opts.concernId, unsafe)}`];
  for (const e of change.evidence) {
    const d = e.details;
    if (e.kind === 'pin' && d?.action && d.ref && d.commit) trailers.push(`${TRAILER.pin}: ${d.action}@${d.ref} = ${d.commit} (${d.version ?? d.ref})`);
  }
  if (opts.signoff) trailers.push(`Signed-off-by: ${opts.signoff}`);
  return `${change.title}\n\n${body}${body ? '\n\n' : ''}${trailers.join('\n')}\n`;
}

/** Reads Steward's trailers from a commit message (undefined when it has no Steward-Concern). */
export function parseTrailers(message: string): StewardTrailers | undefined {
  const lines = message.split(/\r?\n/);
  const val = (k: string) => lines.filter((l) => l.startsWith(`${k}: `)).map((l) => l.slice(k.length + 2).trim());
  const concern = val(TRAILER.concern)[0];
  if (!concern) return undefined;
  const pins: StewardTrailers['pins'] = [];
  for (const p of val(TRAILER.pin)) {
    const m = /^(\S+)@(\S+) = ([0-9a-f]{40,64}) \((.*)\)$/.exec(p);
    if (m) pins.push({ action: m[1], ref: m[2], sha: m[3], version: m[4] });
  }
  return { concern, rules: val(TRAILER.rule), version: val(TRAILER.version)[0] ?? '', command: val(TRAILER.command)[0] ?? '', pins };
}

function wrap72(s: string): string {
  const out: string[] = [];
  let line = '';
  for (const w of s.split(/\s+/).filter(Boolean)) {
    if (line && line.length + 1 + w.length > 72) {
      out.push(line);
      line = w;
    } else line = line ? `${line} ${w}` : w;
  }
  if (line) out.push(line);
  return out.join('\n');
}
