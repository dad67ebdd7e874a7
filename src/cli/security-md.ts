import { parseArgs } from 'node:util';
import { execFile } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { DiskSnapshot } from '../core/repo/disk';
import { decodeText } from '../core/yaml/text';
import { unifiedDiff } from '../core/fix/engine';
import { AnswersError, gatherProjectFacts, parseAnswers, proposeAnswers, renderSecurityMd, securityMdTarget, type ReadText } from '../core/security-md';
import { UsageError } from './errors';
import { fsErrorText, repoFolderArg, writeOutputFile, writeRepoText, type Output } from './io';
import { isInsideByName, readOutputFileForOverwrite, readRepoFileForOverwrite, WriteRefused } from '../core/fs/safe-write';

export const SECURITY_MD_USAGE = `steward security-md [PATH] [--answers FILE.json] [--out FILE|-] [--force]

  Writes a SECURITY.md for the repository at PATH (default .). Without --answers the answers are
  proposed from the repository (remote URL, package metadata, tags); --answers gives them as JSON
  (see docs/security-md-answers.md). --out - prints the file instead of writing it.
  An existing file is never replaced without --force: its diff against the new text is shown instead.
  Exit code: 0 written (or unchanged), 1 not written because the file exists, 2 usage or input error.`;

/** `git tag --list` in the folder; an empty list when git or the repository is not there. */
export function gitTags(root: string): Promise<string[]> {
  return new Promise((resolve) => {
    execFile('git', ['-C', root, 'tag', '--list'], { timeout: 10_000, maxBuffer: 16 * 1024 * 1024 }, (err, stdout) => {
      resolve(err ? [] : stdout.split('\n').map((t) => t.trim()).filter(Boolean));
    });
  });
}

/** Reads a repository folder's files as text for fact gathering (.git/config included). */
export function diskReader(snap: DiskSnapshot): ReadText {
  return async (p) => {
    const bytes = await snap.readFile(p);
    return bytes ? decodeText(bytes).text : undefined;
  };
}

export async function readJsonFile(file: string, cwd: string): Promise<unknown> {
  let text: string;
  try {
    text = await fs.readFile(path.resolve(cwd, file), 'utf8');
  } catch (e) {
    throw new UsageError(`cannot read ${file}: ${fsErrorText(e)}`);
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new UsageError(`${file}: not valid JSON (${(e as Error).message.split('\n')[0]})`);
  }
}

/**
 * Writes `text` to `target` unless a different file is already there and `force` is off; then prints
 * the diff and returns 1. Shared by the generators (security-md, insights, settings-request).
 */
export async function writeGenerated(o: Output, opts: { root: string; rel: string; text: string; force: boolean; what: string }): Promise<number> {
  const existing = await readForOverwrite(o, opts.root, opts.rel);
  if (existing !== undefined && existing === opts.text) {
    o.err(`${opts.rel} is already up to date.\n`);
    return 0;
  }
  if (existing !== undefined && !opts.force) {
    o.out(unifiedDiff([{ path: opts.rel, before: existing, after: opts.text, hadBom: false, created: false }]));
    o.err(`steward: ${opts.rel} already exists and was not changed; the diff above shows what ${opts.what} would change. Use --force to replace it.\n`);
    return 1;
  }
  await writeTarget(o, opts.root, opts.rel, opts.text);
  o.err(`Wrote ${opts.rel}.\n`);
  return 0;
}

/**
 * The text of the file a generator is about to replace, or undefined when there is none. Inside the
 * repository it is read without following links (a `SECURITY.md -> /etc/passwd` is refused, never
 * diffed); a path outside (an --out the user chose) is the user's own. Unreadable is not missing:
 * a file that exists but cannot be read is a one-line error, not silently overwritten.
 */
export async function readForOverwrite(o: Output, root: string, rel: string): Promise<string | undefined> {
  try {
    const bytes = isInsideByName(rel) ? await readRepoFileForOverwrite(root, rel) : await readOutputFileForOverwrite(path.resolve(root, rel));
    return bytes === undefined ? undefined : decodeText(bytes).text;
  } catch (e) {
    if (e instanceof WriteRefused) throw new UsageError(e.message);
    throw new UsageError(`cannot read ${rel}: ${fsErrorText(e)}`);
  }
}

/** Writes a generator's output: through the repository write path inside it, as a user output outside. */
export async function writeTarget(o: Output, root: string, rel: string, text: string): Promise<void> {
  if (isInsideByName(rel)) await writeRepoText(root, rel, text);
  else await writeOutputFile(o, path.resolve(root, rel), text);
}

export async function securityMdCommand(argv: string[], o: Output): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      answers: { type: 'string', short: 'a' },
      out: { type: 'string', short: 'o' },
      force: { type: 'boolean', default: false },
    },
  });
  const root = await repoFolderArg(positionals, o.cwd, 'security-md');
  const snap = new DiskSnapshot(root);

  let answers;
  if (values.answers) {
    const raw = await readJsonFile(values.answers, o.cwd);
    try {
      answers = parseAnswers(raw);
    } catch (e) {
      if (e instanceof AnswersError) throw new UsageError(`${values.answers}: ${e.message}`);
      throw e;
    }
  } else {
    const facts = await gatherProjectFacts(diskReader(snap), { tags: await gitTags(root), fallbackName: path.basename(root) });
    const proposal = proposeAnswers(facts);
    if (!proposal.complete) {
      throw new UsageError('found no way for reporters to reach the maintainers (no GitHub remote, no e-mail in package metadata); pass --answers FILE.json');
    }
    for (const n of proposal.notes) o.err(`note: ${n}\n`);
    answers = proposal.answers;
  }
  const text = renderSecurityMd(answers);
  if (values.out === '-') {
    o.out(text);
    return 0;
  }
  const rel = values.out ? path.relative(root, path.resolve(o.cwd, values.out)).split(path.sep).join('/') : securityMdTarget(await snap.listFiles()).path;
  return writeGenerated(o, { root, rel, text, force: values.force!, what: 'the generated policy' });
}
