import type { CheckMeta, Finding } from '../../model';
import type { Check, SourceFile } from '../types';
import { finding } from '../helpers';
import { PIN_IMAGE_PROVIDER } from '../../fix/deferred';
// The pin-image provider serves workflow images and Dockerfiles alike: one data shape for both.
import type { PinImageData } from '../unpinned-images/unpinned-images';

export const meta: CheckMeta = {
  id: 'unpinned-base-images',
  title: 'Dockerfile base images pinned to a digest',
  category: 'dependencies',
  severity: 'medium',
  confidence: 'high',
  fixable: true,
  docs: {
    summary: 'A Dockerfile `FROM` names its base image by tag (`python:3.12`, `ubuntu:latest`, or no tag at all) instead of by digest (`@sha256:...`). `scratch` and earlier build stages are not images and are ignored.',
    whyItMatters:
      'A tag is a movable label: whoever controls the image (or its registry account) can point `python:3.12` at different content tomorrow, and your next build silently uses it. A digest names exactly one image. Pinning also makes builds reproducible, and Dependabot or Renovate keep digests current for you.',
    howToFix:
      'Write `FROM python:3.12-slim@sha256:<digest>`: keep the tag for readers and add the digest of the image you build with today (`docker buildx imagetools inspect python:3.12-slim` shows it). Let Dependabot\'s `docker` ecosystem update it.',
    effort: 'minutes',
    fixSafety: 'Safe when the digest is the one the tag points to today: the build uses the same image as now. Steward resolves it from the registry when online features are on.',
  },
  references: { scorecard: 'Pinned-Dependencies' },
};

interface Instruction {
  keyword: string;
  /** Arguments text (continuations joined, comments removed). */
  args: string;
  /** Offset of the first argument character in the original text. */
  argsOffset: number;
  /** Offset of the instruction keyword. */
  offset: number;
}

/**
 * The continuation character: `\\` unless a parser directive `# escape=`` ` says otherwise. Directives
 * are the leading `# name=value` lines (names case-insensitive, whitespace allowed around every part);
 * the first line that is not one ends them, so an `escape=` further down is an ordinary comment.
 */
function escapeCharacter(text: string): string {
  const re = /[^\r\n]*(?:\r\n|\n|\r|$)/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text)) && m[0] !== '') {
    const d = /^[ \t]*#[ \t]*([A-Za-z]+)[ \t]*=[ \t]*(\S*)[ \t]*$/.exec(m[0].replace(/[\r\n]+$/, ''));
    if (!d) break;
    if (d[1].toLowerCase() === 'escape') return d[2] === '`' ? '`' : '\\';
  }
  return '\\';
}

/** Splits a Dockerfile into instructions, following `\` (or the `# escape=` character) continuations. */
export function readInstructions(text: string): Instruction[] {
  const escape = escapeCharacter(text);
  const out: Instruction[] = [];
  const re = /[^\r\n]*(\r\n|\n|\r|$)/g;
  let cur: Instruction | undefined;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text)) && m[0] !== '') {
    const start = m.index;
    const line = m[0].replace(/[\r\n]+$/, '');
    const trimmed = line.trim();
    if (!cur) {
      if (trimmed === '' || trimmed.startsWith('#')) continue;
      const km = /^(\s*)(\S+)(\s*)/.exec(line)!;
      cur = { keyword: km[2].toUpperCase(), args: '', argsOffset: start + km[0].length, offset: start + km[1].length };
      const rest = line.slice(km[0].length);
      if (rest.trimEnd().endsWith(escape)) cur.args = rest.trimEnd().slice(0, -1) + ' ';
      else {
        cur.args = rest;
        out.push(cur);
        cur = undefined;
      }
    } else {
      if (trimmed.startsWith('#') || trimmed === '') continue;
      if (line.trimEnd().endsWith(escape)) cur.args += line.trimEnd().slice(0, -1) + ' ';
      else {
        cur.args += line;
        out.push(cur);
        cur = undefined;
      }
    }
  }
  if (cur) out.push(cur);
  return out;
}

/** Substitutes `$VAR`, `${VAR}`, `${VAR:-default}` from known ARG values; reports unresolved ones. */
function substitute(s: string, args: ReadonlyMap<string, string | undefined>): { value: string; unresolved: string[] } {
  const unresolved: string[] = [];
  const value = s.replace(/\$\{([A-Za-z_]\w*)(?::?([-+])([^}]*))?\}|\$([A-Za-z_]\w*)/g, (_m, a: string, op: string, word: string, b: string) => {
    const name = a ?? b;
    const v = args.get(name);
    if (op === '-') return v ? v : word;
    if (op === '+') return v ? word : '';
    if (v === undefined || v === '') {
      unresolved.push(name);
      return `$${name}`;
    }
    return v;
  });
  return { value, unresolved };
}

function splitImage(ref: string): { image: string; tag?: string; digest?: string } {
  const at = ref.indexOf('@');
  if (at >= 0) return { image: ref.slice(0, at), digest: ref.slice(at + 1) };
  const slash = ref.lastIndexOf('/');
  const colon = ref.indexOf(':', slash + 1);
  return colon >= 0 ? { image: ref.slice(0, colon), tag: ref.slice(colon + 1) } : { image: ref };
}

// Dockerfiles under these folders are test fixtures or examples, not images the project ships: a
// movable tag there is hygiene (info), and a digest pin may break a test that expects the text as is.
const NOT_SHIPPED = /(?:^|\/)(?:tests?|testdata|test-data|test_data|fixtures|__fixtures__|examples?|samples?|__tests__)\//i;

export function checkDockerfile(file: SourceFile): Finding[] {
  const text = file.text;
  const notShipped = NOT_SHIPPED.exec(file.path)?.[0].replace(/^\//, '');
  const out: Finding[] = [];
  const globalArgs = new Map<string, string | undefined>();
  const stages = new Set<string>();
  let sawFrom = false;
  for (const ins of readInstructions(text)) {
    if (ins.keyword === 'ARG' && !sawFrom) {
      for (const m of ins.args.matchAll(/([A-Za-z_]\w*)(?:=("[^"]*"|'[^']*'|\S*))?/g)) {
        globalArgs.set(m[1], m[2] === undefined ? undefined : m[2].replace(/^["']|["']$/g, ''));
      }
      continue;
    }
    if (ins.keyword !== 'FROM') continue;
    sawFrom = true;
    // Tokens with their offsets inside the args text.
    const tokens = [...ins.args.matchAll(/\S+/g)].map((t) => ({ text: t[0], at: t.index! }));
    const imgTok = tokens.find((t) => !t.text.startsWith('--'));
    if (!imgTok) continue;
    const asIdx = tokens.indexOf(imgTok) + 1;
    const asName = tokens[asIdx]?.text.toLowerCase() === 'as' ? tokens[asIdx + 1]?.text.toLowerCase() : undefined;
    const sub = substitute(imgTok.text, globalArgs);
    const unresolved = sub.unresolved;
    // Docker removes shell quoting from the word (`ubuntu:"${version}"`).
    const value = sub.value.replace(/["']/g, '');
    const viaArg = sub.value !== imgTok.text;
    const lower = value.toLowerCase();
    // Only stages named on earlier FROM lines can be built upon.
    const isStage = stages.has(lower);
    if (asName) stages.add(asName);
    if (lower === 'scratch' || isStage) continue;
    const ref = splitImage(value);
    if (ref.digest) continue;
    const start = ins.argsOffset + imgTok.at;
    const end = start + imgTok.text.length;
    // Offsets past the first physical line (continuations) no longer map 1:1; point at FROM then.
    const firstLineEnd = text.slice(ins.offset).search(/\r|\n/);
    const onFirstLine = firstLineEnd < 0 || end <= ins.offset + firstLineEnd;
    const location = onFirstLine
      ? { file: file.path, start: file.lines.position(start), end: file.lines.position(end) }
      : { file: file.path, start: file.lines.position(ins.offset), end: file.lines.position(ins.offset + 4) };
    const how = ref.tag ? `by tag '${ref.tag}'` : "without a tag (meaning 'latest')";
    if (unresolved.length) {
      out.push(
        finding(meta, {
          message: `Base image ${imgTok.text} depends on build argument${unresolved.length > 1 ? 's' : ''} ${unresolved.join(', ')} and has no digest: it cannot be pinned as written`,
          confidence: 'low',
          location,
        }),
      );
      continue;
    }
    const data: PinImageData = { file: file.path, image: value, name: ref.image, tag: ref.tag, start, end };
    out.push(
      finding(meta, {
        message: `Base image ${ref.image} is used ${how}, not by digest${viaArg ? ` (from the default of a build argument in '${imgTok.text}')` : ''}${notShipped ? ` (in ${notShipped}: a test or example file, not an image the project ships)` : ''}`,
        ...(notShipped ? { severity: 'info' as const } : {}),
        // A build argument's default can be overridden at build time, possibly with a digest.
        confidence: viaArg ? 'medium' : meta.confidence,
        location,
        fixes:
          !viaArg && value === imgTok.text && onFirstLine
            ? [
                notShipped
                  ? {
                      title: `Pin ${value} to its digest`,
                      safe: false,
                      reviewReason: `This Dockerfile is in ${notShipped}: a test or example may expect it exactly as it is.`,
                      edits: [],
                      deferred: { provider: PIN_IMAGE_PROVIDER, data },
                    }
                  : { title: `Pin ${value} to its digest`, safe: true, edits: [], deferred: { provider: PIN_IMAGE_PROVIDER, data } },
              ]
            : [],
      }),
    );
  }
  return out;
}

export const check: Check = {
  meta,
  fileKinds: ['dockerfile'],
  notApplicableReason: 'No Dockerfiles',
  checkFile: (file) => checkDockerfile(file),
};
