import type { Pair, Scalar, YAMLMap, YAMLSeq } from 'yaml';
import type { TextEdit } from '../model';
import { getPair, isMap, isScalar, isSeq, nodeRange, pairs, scalarString } from '../yaml/parse';
import { detectEol, indentOf, LineIndex } from '../yaml/text';
import type { DependabotConfig, DependabotEntry } from './config';
import { ECOSYSTEMS, type DetectedManifests } from './ecosystems';
import { localeOrder } from '../repo/order';

// Writing Dependabot configuration: a whole new .github/dependabot.yml, or entries and cooldowns
// spliced into an existing file without touching anything else. The checks' fixes, the snippets and
// the contribution flow all go through here so the generated text is the same everywhere.

export const DEPENDABOT_PATH = '.github/dependabot.yml';

export interface UpdateSpec {
  ecosystem: string;
  /** Normalised directories (`/`, `/docs`). */
  directories: string[];
}

export interface GenerateOptions {
  cooldownDays: number;
  /** Defaults to weekly: frequent enough to stay current, rare enough not to drown maintainers. */
  interval?: 'daily' | 'weekly' | 'monthly';
  eol?: '\n' | '\r\n';
}

/** How an existing file writes its entries, so spliced entries look like they were always there. */
export interface EntryStyle {
  /** Indentation before the `-` of an `updates` item. */
  itemIndent: number;
  /** Column offset of the entry's keys from the start of the line. */
  keyIndent: number;
  /** Indentation step for nested mappings. */
  step: number;
  quote: '"' | "'" | '';
  /** Whether entries are separated by a blank line. */
  blankBetween: boolean;
}

export const DEFAULT_STYLE: EntryStyle = { itemIndent: 2, keyIndent: 4, step: 2, quote: '"', blankBetween: false };

/** One spec per ecosystem, directories sorted with `/` first. */
export function specsFromDetected(detected: readonly DetectedManifests[]): UpdateSpec[] {
  const by = new Map<string, Set<string>>();
  for (const d of detected) {
    const s = by.get(d.ecosystem) ?? new Set<string>();
    s.add(d.directory);
    by.set(d.ecosystem, s);
  }
  const order = (eco: string): number => (eco === 'github-actions' ? 0 : 1);
  return [...by.entries()]
    .map(([ecosystem, dirs]) => ({ ecosystem, directories: [...dirs].sort((a, b) => (a === '/' ? -1 : b === '/' ? 1 : localeOrder(a, b))) }))
    .sort((a, b) => order(a.ecosystem) - order(b.ecosystem) || localeOrder(a.ecosystem, b.ecosystem));
}

function q(style: EntryStyle, s: string): string {
  if (style.quote === '"') return `"${s}"`;
  if (style.quote === "'") return `'${s}'`;
  // Plain scalars: `/` and names are safe unquoted; anything with YAML indicators gets quotes.
  return /^[A-Za-z0-9_/][\w/.-]*$/.test(s) ? s : `"${s}"`;
}

/** A group name Dependabot accepts (letters, `-`, `_`, `|`; starts and ends with a letter). */
export function groupName(ecosystem: string): string {
  return `${ecosystem.replace(/[^A-Za-z_|-]/g, '-')}-minor-and-patch`;
}

/**
 * Blocks an existing file repeats in its entries (schedule, cooldown, commit-message, labels, groups),
 * as lines relative to the entry's key column: a spliced entry then reads like its neighbours.
 */
export interface EntryConventions {
  schedule?: string[];
  cooldown?: string[];
  /** commit-message, labels, groups, in the order the file writes them. */
  extra: string[][];
}

/** The lines of one `updates` entry (no line breaks, no trailing newline). */
export function entryLines(spec: UpdateSpec, style: EntryStyle, opts: GenerateOptions, conv?: EntryConventions): string[] {
  const item = ' '.repeat(style.itemIndent);
  const key = ' '.repeat(style.keyIndent);
  const k1 = ' '.repeat(style.keyIndent + style.step);
  const dash = `${item}-${' '.repeat(Math.max(1, style.keyIndent - style.itemIndent - 1))}`;
  const block = (rel: string[]): string[] => rel.map((l) => (l ? key + l : l));
  const lines = [`${dash}package-ecosystem: ${q(style, spec.ecosystem)}`];
  if (spec.directories.length === 1 && !/[*?[{]/.test(spec.directories[0])) lines.push(`${key}directory: ${q(style, spec.directories[0])}`);
  else lines.push(`${key}directories: [${spec.directories.map((d) => q(style, d)).join(', ')}]`);
  if (conv?.schedule) lines.push(...block(conv.schedule));
  else lines.push(`${key}schedule:`, `${k1}interval: ${q(style, opts.interval ?? 'weekly')}`);
  if (conv?.cooldown) lines.push(...block(conv.cooldown));
  else lines.push(`${key}cooldown:`, `${k1}default-days: ${opts.cooldownDays}`);
  // No `groups` of Steward's own: how updates are batched is the maintainers' policy, copied only
  // when the file already has one for every entry.
  for (const b of conv?.extra ?? []) lines.push(...block(b));
  return lines;
}

/** A complete, commented .github/dependabot.yml for the given ecosystems. */
export function generateDependabotYml(specs: readonly UpdateSpec[], opts: GenerateOptions): string {
  const eol = opts.eol ?? '\n';
  const lines = [
    '# Dependabot opens pull requests that keep these dependencies up to date.',
    `# cooldown: new releases wait ${opts.cooldownDays} days before Dependabot proposes them; most`,
    '# compromised releases are found and pulled within that time.',
    '# Options: https://docs.github.com/code-security/dependabot/working-with-dependabot/dependabot-options-reference',
    'version: 2',
    'updates:',
  ];
  for (const s of specs) lines.push(...entryLines(s, DEFAULT_STYLE, opts));
  return lines.join(eol) + eol;
}

/** The edit that creates .github/dependabot.yml. */
export function createDependabotEdit(specs: readonly UpdateSpec[], opts: GenerateOptions): TextEdit {
  return { file: DEPENDABOT_PATH, start: 0, end: 0, newText: generateDependabotYml(specs, opts), create: true };
}

/** End offset of the line holding the last non-blank character before `end`. */
function endOfContentLine(text: string, end: number): number {
  let i = Math.min(end, text.length);
  while (i > 0 && /\s/.test(text[i - 1])) i--;
  const nl = text.indexOf('\n', i);
  const lineEnd = nl < 0 ? text.length : nl;
  return text[lineEnd - 1] === '\r' ? lineEnd - 1 : lineEnd;
}

function columnOf(lines: LineIndex, offset: number): number {
  return lines.position(offset).column - 1;
}

/** Reads the indentation, quoting and spacing an existing file uses for its entries. */
export function styleOf(cfg: DependabotConfig): EntryStyle {
  const text = cfg.file.text;
  const lines = cfg.file.lines;
  const style: EntryStyle = { ...DEFAULT_STYLE };
  const first = cfg.entries[0];
  if (!first) {
    if (cfg.updatesPair) {
      const r = nodeRange(cfg.updatesPair.key);
      if (r) {
        const keyCol = columnOf(lines, r[0]);
        style.itemIndent = keyCol + 2;
        style.keyIndent = keyCol + 4;
      }
    }
    return style;
  }
  const r = nodeRange(first.node);
  if (r) {
    style.keyIndent = columnOf(lines, r[0]);
    const lineText = lines.lineText(lines.position(r[0]).line);
    const dash = lineText.indexOf('-');
    style.itemIndent = dash >= 0 && dash < style.keyIndent ? dash : indentOf(lineText).length;
  }
  // The nesting step: how far `schedule`'s keys sit inside the entry.
  for (const e of cfg.entries) {
    const sched = e.schedule?.value;
    if (isMap(sched) && (sched as YAMLMap).items.length && !(sched as YAMLMap).flow) {
      const kr = nodeRange((sched as YAMLMap).items[0].key);
      const er = nodeRange(e.node);
      if (kr && er) {
        const step = columnOf(lines, kr[0]) - columnOf(lines, er[0]);
        if (step > 0 && step <= 8) style.step = step;
        break;
      }
    }
  }
  const eco = first.ecosystemNode;
  style.quote = eco?.type === 'QUOTE_DOUBLE' ? '"' : eco?.type === 'QUOTE_SINGLE' ? "'" : '';
  if (cfg.entries.length > 1) {
    const a = nodeRange(cfg.entries[0].node);
    const b = nodeRange(cfg.entries[1].node);
    if (a && b) style.blankBetween = /\n[ \t]*\r?\n/.test(text.slice(endOfContentLine(text, a[1]), b[0]));
  }
  return style;
}

/** Words that tie a label or group to one ecosystem, so a single entry's block is not a file-wide convention. */
const ECOSYSTEM_WORDS: Record<string, string[]> = {
  'github-actions': ['actions', 'action', 'github_actions', 'workflows', 'ci'],
  npm: ['javascript', 'js', 'node', 'yarn', 'pnpm', 'typescript'],
  bun: ['javascript', 'js', 'bun'],
  pip: ['python', 'py'],
  uv: ['python', 'py'],
  docker: ['container', 'containers', 'image', 'images'],
  'docker-compose': ['docker', 'compose'],
  gomod: ['go', 'golang'],
  cargo: ['rust'],
  bundler: ['ruby', 'gems'],
  composer: ['php'],
  maven: ['java'],
  gradle: ['java', 'kotlin'],
  nuget: ['dotnet', 'csharp', '.net'],
  'pre-commit': ['precommit', 'hooks'],
  terraform: ['tf', 'hcl'],
};

function mentionsEcosystem(lines: readonly string[], ecosystem: string): boolean {
  const text = lines.join('\n').toLowerCase();
  const words = [ecosystem, ecosystem.replace(/-/g, '_'), ecosystem.replace(/-/g, ' '), ...(ECOSYSTEM_WORDS[ecosystem] ?? [])];
  return words.some((w) => new RegExp(`(^|[^a-z0-9])${w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}($|[^a-z0-9])`).test(text));
}

/** A pair's lines, the first from its key, the rest relative to the key's column. */
function pairBlock(cfg: DependabotConfig, pair: Pair | undefined): string[] | undefined {
  const r = pair ? nodeRange(pair) : undefined;
  const kr = pair ? nodeRange(pair.key) : undefined;
  if (!r || !kr) return undefined;
  const lines = cfg.file.lines;
  const col = columnOf(lines, kr[0]);
  const first = lines.position(kr[0]).line;
  const last = lines.position(endOfContentLine(cfg.file.text, r[1])).line;
  const out: string[] = [];
  for (let l = first; l <= last; l++) {
    const t = lines.lineText(l).replace(/\r$/, '');
    if (l === first) out.push(t.slice(col));
    else if (t.trim() === '') out.push('');
    else if (indentOf(t).length < col) return undefined;
    else out.push(t.slice(col));
  }
  return out;
}

function entryPair(cfg: DependabotConfig, e: DependabotEntry, key: string): Pair | undefined {
  return getPair(e.node, key, cfg.file);
}

/**
 * The blocks the file's entries share, for a new entry of `ecosystem`. The schedule is the one most
 * entries use; the other blocks count only when every entry has the same one (a single entry's block
 * counts unless it names that entry's ecosystem, like `labels: ["github-actions"]`).
 */
export function conventionsOf(cfg: DependabotConfig, ecosystem: string, opts: GenerateOptions): EntryConventions {
  const entries = cfg.entries.filter((e) => !e.targetBranch && !e.node.flow);
  const conv: EntryConventions = { extra: [] };
  if (!entries.length) return conv;
  const counts = new Map<string, { lines: string[]; n: number }>();
  for (const e of entries) {
    const b = pairBlock(cfg, e.schedule);
    if (!b) continue;
    const k = b.join('\n');
    counts.set(k, { lines: b, n: (counts.get(k)?.n ?? 0) + 1 });
  }
  const best = [...counts.values()].sort((a, b) => b.n - a.n)[0];
  if (best) conv.schedule = best.lines;
  const shared = (key: string): string[] | undefined => {
    const blocks = entries.map((e) => pairBlock(cfg, entryPair(cfg, e, key)));
    if (blocks.some((b) => !b)) return undefined;
    const first = blocks[0]!;
    if (blocks.some((b) => b!.join('\n') !== first.join('\n'))) return undefined;
    if (entries.length === 1 && entries[0].ecosystem && entries[0].ecosystem !== ecosystem && mentionsEcosystem(first, entries[0].ecosystem)) return undefined;
    return first;
  };
  const cd = shared('cooldown');
  if (cd) {
    const text = cd.join('\n');
    const days = /default-days:\s*(\d+)/.exec(text);
    const semverOk = ECOSYSTEMS.get(ecosystem)?.semverCooldown === true || !/semver-/.test(text);
    if (days && Number(days[1]) >= opts.cooldownDays && semverOk) conv.cooldown = cd;
  }
  const keys = ['commit-message', 'labels', 'groups'].filter((k) => shared(k));
  // In the order the first entry writes them.
  const first = entries[0];
  keys.sort((a, b) => (nodeRange(entryPair(cfg, first, a))?.[0] ?? 0) - (nodeRange(entryPair(cfg, first, b))?.[0] ?? 0));
  for (const k of keys) conv.extra.push(shared(k)!);
  return conv;
}

/** The existing entry a new directory of `ecosystem` joins: same ecosystem, default branch, block style. */
export function entryToExtend(cfg: DependabotConfig, ecosystem: string): DependabotEntry | undefined {
  const same = cfg.entries.filter((e) => e.ecosystem === ecosystem && !e.targetBranch && !e.node.flow);
  return same.find((e) => e.directories.includes('/')) ?? same[0];
}

function quoteLike(node: unknown, style: EntryStyle, s: string): string {
  const t = isScalar(node) ? (node as Scalar).type : undefined;
  if (t === 'QUOTE_DOUBLE') return `"${s}"`;
  if (t === 'QUOTE_SINGLE') return `'${s}'`;
  if (t === 'PLAIN') return q({ ...style, quote: '' }, s);
  return q(style, s);
}

/**
 * Edits that add directories to an existing entry: `directory: X` becomes `directories: [X, ...]`,
 * a `directories` list gets the new items in its own style. Undefined when the shape leaves no safe edit.
 */
export function extendEntryEdits(cfg: DependabotConfig, entry: DependabotEntry, dirs: readonly string[]): TextEdit[] | undefined {
  const add = dirs.filter((d) => !entry.directories.includes(d));
  if (!add.length) return [];
  const text = cfg.file.text;
  const file = cfg.file.path;
  const style = styleOf(cfg);
  const eol = detectEol(text);
  const dirsPair = getPair(entry.node, 'directories', cfg.file);
  if (dirsPair) {
    const seq = dirsPair.value;
    if (!isSeq(seq)) return undefined;
    const items = (seq as YAMLSeq).items;
    const r = nodeRange(seq);
    if (!r) return undefined;
    const sample = items[items.length - 1];
    if ((seq as YAMLSeq).flow) {
      const close = text.lastIndexOf(']', r[1]);
      if (close < r[0]) return undefined;
      const lr = sample ? nodeRange(sample) : undefined;
      if (lr) return [{ file, start: lr[1], end: lr[1], newText: add.map((d) => `, ${quoteLike(sample, style, d)}`).join('') }];
      return [{ file, start: close, end: close, newText: add.map((d) => quoteLike(undefined, style, d)).join(', ') }];
    }
    const lr = sample ? nodeRange(sample) : undefined;
    if (!lr) return undefined;
    const lineText = cfg.file.lines.lineText(cfg.file.lines.position(lr[0]).line);
    const dash = lineText.slice(0, columnOf(cfg.file.lines, lr[0]));
    if (!/^\s*-\s+$/.test(dash)) return undefined;
    const at = endOfContentLine(text, lr[1]);
    return [{ file, start: at, end: at, newText: add.map((d) => `${eol}${dash}${quoteLike(sample, style, d)}`).join('') }];
  }
  const dirPair = getPair(entry.node, 'directory', cfg.file);
  const v = dirPair?.value;
  const kr = dirPair ? nodeRange(dirPair.key) : undefined;
  const vr = v ? nodeRange(v) : undefined;
  if (!dirPair || !isScalar(v) || !kr || !vr) return undefined;
  const old = scalarString(v) ?? '/';
  const list = [old, ...add].map((d) => quoteLike(v, style, d)).join(', ');
  return [{ file, start: kr[0], end: vr[1], newText: `directories: [${list}]` }];
}

/**
 * Edits that keep `specs` up to date in an existing file: an ecosystem that already has an entry gets
 * the new directories on that entry; others get a new entry in the file's style and conventions.
 * Undefined when the file's shape leaves no safe place (flow-style `updates: [...]`, no root mapping).
 */
export function addEntriesEdits(cfg: DependabotConfig, specs: readonly UpdateSpec[], opts: GenerateOptions): TextEdit[] | undefined {
  if (!specs.length) return [];
  const text = cfg.file.text;
  const eol = detectEol(text);
  const style = styleOf(cfg);
  const out: TextEdit[] = [];
  const fresh: UpdateSpec[] = [];
  for (const spec of specs) {
    const entry = entryToExtend(cfg, spec.ecosystem);
    if (!entry) {
      fresh.push(spec);
      continue;
    }
    const edits = extendEntryEdits(cfg, entry, spec.directories);
    if (!edits) return undefined;
    out.push(...edits);
  }
  if (!fresh.length) return out;
  const body = fresh.map((s) => entryLines(s, style, opts, conventionsOf(cfg, s.ecosystem, opts)).join(eol));
  const sep = style.blankBetween ? eol + eol : eol;
  const file = cfg.file.path;
  if (cfg.updates) {
    if (cfg.updates.flow) return undefined;
    const last = cfg.updates.items[cfg.updates.items.length - 1];
    const r = nodeRange(last);
    if (!r) return undefined;
    // New entries start on the line after the last entry, not at the end of its last line: a cooldown
    // added to that entry in the same run is inserted at the end of a line, and two insertions at one
    // offset would put it inside the new entry (the duplicate `cooldown:` key of issue 14).
    const end = endOfContentLine(text, r[1]);
    const nl = text.indexOf('\n', end);
    if (nl < 0) return [...out, { file, start: text.length, end: text.length, newText: sep + body.join(sep) }];
    return [...out, { file, start: nl + 1, end: nl + 1, newText: (style.blankBetween ? eol : '') + body.join(sep) + eol }];
  }
  if (cfg.updatesPair) {
    const v = cfg.updatesPair.value;
    // `updates:` with nothing after it: the entries go right below the key.
    if (v !== null && !(isScalar(v) && (v as Scalar).value === null)) return undefined;
    const kr = nodeRange(cfg.updatesPair.key);
    if (!kr) return undefined;
    const at = endOfContentLine(text, kr[1] + 1);
    return [...out, { file, start: at, end: at, newText: eol + body.join(sep) }];
  }
  const lead = text.length === 0 || text.endsWith('\n') ? '' : eol;
  return [...out, { file, start: text.length, end: text.length, newText: `${lead}updates:${eol}${body.join(sep)}${eol}` }];
}

/**
 * Edits that give an entry a cooldown of at least `days`: adds the `cooldown` block (after
 * `schedule`), adds a missing `default-days`, or raises a value that is too low. Undefined when the
 * shape leaves no safe edit (flow mappings without the key).
 */
export function cooldownEdits(cfg: DependabotConfig, entry: DependabotEntry, days: number): TextEdit[] | undefined {
  const text = cfg.file.text;
  const lines = cfg.file.lines;
  const eol = detectEol(text);
  const style = styleOf(cfg);
  const file = cfg.file.path;
  const er = nodeRange(entry.node);
  if (!er || entry.node.flow) return undefined;
  const keyCol = columnOf(lines, er[0]);
  const pad = ' '.repeat(keyCol);
  const childPad = ' '.repeat(keyCol + style.step);
  if (!entry.cooldown) {
    const anchor: Pair | undefined = entry.schedule ?? pairs(entry.node)[pairs(entry.node).length - 1];
    const ar = anchor ? nodeRange(anchor) : undefined;
    if (!ar) return undefined;
    const at = endOfContentLine(text, ar[1]);
    return [{ file, start: at, end: at, newText: `${eol}${pad}cooldown:${eol}${childPad}default-days: ${days}` }];
  }
  const value = entry.cooldown.value;
  if (isMap(value)) {
    const map = value as YAMLMap;
    const dd = getPair(map, 'default-days');
    if (dd && isScalar(dd.value)) {
      const vr = nodeRange(dd.value);
      if (!vr) return undefined;
      return [{ file, start: vr[0], end: vr[1], newText: String(days) }];
    }
    if (map.flow) return undefined;
    const firstKey = map.items[0] ? nodeRange(map.items[0].key) : undefined;
    if (!firstKey) return undefined;
    const col = columnOf(lines, firstKey[0]);
    const at = lines.lineStart(lines.position(firstKey[0]).line);
    return [{ file, start: at, end: at, newText: `${' '.repeat(col)}default-days: ${days}${eol}` }];
  }
  if (value === null || (isScalar(value) && (value as Scalar).value === null)) {
    const kr = nodeRange(entry.cooldown.key);
    if (!kr) return undefined;
    const at = endOfContentLine(text, kr[1] + 1);
    return [{ file, start: at, end: at, newText: `${eol}${childPad}default-days: ${days}` }];
  }
  return undefined;
}

/** An edit that removes a pair's whole line(s), comments on those lines included. */
export function removePairLines(cfg: DependabotConfig, pair: Pair): TextEdit | undefined {
  const r = nodeRange(pair);
  if (!r) return undefined;
  const lines = cfg.file.lines;
  const startLine = lines.position(r[0]).line;
  const endLine = lines.position(endOfContentLine(cfg.file.text, r[1])).line;
  const start = lines.lineStart(startLine);
  const end = endLine < lines.lineCount ? lines.lineStart(endLine + 1) : cfg.file.text.length;
  // Only whole lines that hold nothing but this pair can go.
  if (cfg.file.text.slice(start, r[0]).trim() !== '') return undefined;
  return { file: cfg.file.path, start, end, newText: '' };
}

/** One update stream a fix turns on: an ecosystem in some directories, on a schedule. */
export interface NewStream {
  ecosystem: string;
  directories: string[];
  /** `daily`, `weekly`, … as the written entry says; undefined when it does not say plainly. */
  interval?: string;
  /** The directories join an existing entry of the ecosystem. */
  extends?: boolean;
}

/** The `interval:` a block of schedule lines (as `conventionsOf` returns them) names. */
export function intervalOfLines(lines: readonly string[] | undefined): string | undefined {
  const m = lines ? /(?:^|\s|\{|,)interval\s*:\s*["']?([A-Za-z-]+)/m.exec(lines.join('\n')) : undefined;
  return m?.[1];
}

/** The `interval:` an existing entry's schedule names. */
export function intervalOfEntry(cfg: DependabotConfig, entry: DependabotEntry): string | undefined {
  const s = entry.schedule?.value;
  return isMap(s) ? scalarString(getPair(s as YAMLMap, 'interval', cfg.file)?.value) : undefined;
}

/** The streams `addEntriesEdits(cfg, specs, opts)` turns on, described for the review reason. */
export function streamsAdded(cfg: DependabotConfig | undefined, specs: readonly UpdateSpec[], opts: GenerateOptions): NewStream[] {
  return specs.map((s) => {
    const entry = cfg ? entryToExtend(cfg, s.ecosystem) : undefined;
    if (cfg && entry) return { ecosystem: s.ecosystem, directories: s.directories.filter((d) => !entry.directories.includes(d)), interval: intervalOfEntry(cfg, entry), extends: true };
    const conv = cfg ? conventionsOf(cfg, s.ecosystem, opts) : undefined;
    return { ecosystem: s.ecosystem, directories: s.directories, interval: conv?.schedule ? intervalOfLines(conv.schedule) : opts.interval ?? 'weekly' };
  });
}

function andList(items: readonly string[]): string {
  return items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/**
 * Why a fix that turns on update streams is review: it is new behaviour on the maintainers'
 * repository (Dependabot opens pull requests they then have to read), not the old behaviour minus a
 * hazard, so the project decides. Names what starts, how often and where.
 */
export function newStreamsReason(streams: readonly NewStream[], creates?: string): string {
  const parts = streams.map((s) => `${s.ecosystem} in ${andList(s.directories)}`);
  const intervals = [...new Set(streams.map((s) => s.interval))];
  // `cron` (or anything unusual) does not read as an adjective: then the reason leaves it out.
  const how = intervals.length === 1 && intervals[0] && /^(?:daily|weekly|monthly|quarterly|semiannually|yearly)$/.test(intervals[0]) ? `${intervals[0]} ` : '';
  const also = !creates && streams.every((s) => s.extends) ? ' also' : '';
  const opening = creates ? `This creates \`${creates}\`, which turns on` : `This${also} turns on`;
  return `${opening} ${how}Dependabot pull requests for ${andList(parts)}; the project decides whether it wants them.`;
}
