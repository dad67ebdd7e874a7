import { parseArgs } from 'node:util';
import * as path from 'node:path';
import { promises as fs } from 'node:fs';
import { CHECKS } from '../core/checks';
import { Engine, ConfigError } from '../core/engine';
import { fixSummary, runFixes, unifiedDiff, type FileChange, type FixRun } from '../core/fix/engine';
import { UsageError } from './errors';
import { fsErrorText, looseLocation, snapshotsFor, type Output } from './io';
import { checkRepoWrite, readRepoFileForOverwrite, writeRepoFile, WriteRefused } from '../core/fs/safe-write';
import { escapeTerminal } from '../core/report/escape';
import { encodeText } from '../core/yaml/text';
import { checkRuleIds } from './scan';
import { gatherFacts, onlineOptions } from './online';
import { fixProviders, noProviderHint } from './providers';

export const FIX_USAGE = `steward fix [PATH...] [--rule ID...] [--unsafe] [--dry-run] [--offline] [--github-url URL]

  Applies the safe fixes of every finding in place (unsafe ones too with --unsafe) and prints what
  changed and what was left and why. PATH is a repository folder (default .) or individual files.
  --dry-run prints a unified diff (a/ b/ paths, usable with \`git apply\`) and writes nothing; the
  summary then goes to stderr.
  Exit code: 0 nothing left to fix (with --dry-run: nothing would change), 1 fixes were left (with
  --dry-run: files would change), 2 usage or input error, or a file could not be written.`;

const toPosix = (p: string) => p.split(path.sep).join('/');

/** Where each repository-relative path of a snapshot lives: the root it is confined to and its path there. */
function targetFor(root: string | undefined, rel: string, loose: Map<string, { root: string; rel: string }>): { root: string; rel: string } | undefined {
  return loose.get(rel) ?? (root ? { root, rel } : undefined);
}

/** The loose files given on the command line, by the relative name snapshotsFor gives them. */
async function looseFiles(args: readonly string[], cwd: string): Promise<Map<string, { root: string; rel: string }>> {
  const m = new Map<string, { root: string; rel: string }>();
  for (const t of args) {
    const abs = path.resolve(cwd, t);
    const st = await fs.lstat(abs).catch(() => undefined);
    if (!st || st.isDirectory()) continue;
    const rel = toPosix(path.relative(cwd, abs)) || path.basename(abs);
    m.set(rel.startsWith('../') ? toPosix(path.basename(abs)) : rel, await looseLocation(abs, cwd));
  }
  return m;
}

function encode(text: string, change: Pick<FileChange, 'hadBom' | 'encoding'>): Uint8Array {
  return encodeText(text, change);
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * Writes one changed file through the one write path (atomic, no links, no FIFOs, nothing outside
 * `root`). Refuses when the file changed, appeared or disappeared on disk since it was read.
 */
export async function writeChange(root: string, rel: string, change: FileChange): Promise<void> {
  const now = await readRepoFileForOverwrite(root, rel);
  if (!change.created) {
    if (!now) throw new Error(`${change.path} disappeared while fixing; not recreated`);
    if (!sameBytes(now, encode(change.before ?? '', change))) throw new Error(`${change.path} changed on disk while fixing; nothing written to it`);
  } else if (now) {
    throw new Error(`${change.path} appeared on disk while fixing; not overwritten`);
  }
  await writeRepoFile(root, rel, encode(change.after, change));
}

/** The run with fixes whose files could not be written moved from applied to left (failed). */
function withUnwritten(run: FixRun, notWritten: Map<string, string>): FixRun {
  const applied: FixRun['applied'] = [];
  const left = [...run.left];
  for (const a of run.applied) {
    const bad = a.files.find((f) => notWritten.has(f));
    if (!bad) applied.push(a);
    else left.push({ ruleId: a.ruleId, title: a.title, file: bad, line: a.line, reason: 'failed', detail: `not written: ${notWritten.get(bad)}` });
  }
  return { ...run, applied, left, changes: run.changes.filter((c) => !notWritten.has(c.path)) };
}

export async function fixCommand(argv: string[], o: Output): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      rule: { type: 'string', multiple: true },
      unsafe: { type: 'boolean', default: false },
      'dry-run': { type: 'boolean', default: false },
      offline: { type: 'boolean', default: false },
      'github-url': { type: 'string' },
    },
  });
  const rules = checkRuleIds(values.rule);
  const dryRun = values['dry-run']!;
  const online = onlineOptions(values.offline!, o);
  const providerOpts = { online, githubUrl: values['github-url'] };
  const registry = fixProviders(o, providerOpts);
  const snaps = await snapshotsFor(positionals, o.cwd);
  const loose = await looseFiles(positionals, o.cwd);
  const runs: { name: string; run: FixRun }[] = [];
  let writeErrors = 0;
  for (const snap of snaps) {
    let run: FixRun;
    try {
      const facts = online && snap.root && !snap.partial ? await gatherFacts(snap.root, o, values['github-url']) : { factsUnavailable: 'online features are off (--offline)' };
      run = await runFixes(new Engine(CHECKS), snap, { unsafe: values.unsafe, rules, registry, noProviderHint: noProviderHint(providerOpts), scan: facts });
    } catch (e) {
      if (e instanceof ConfigError) throw new UsageError(e.message);
      throw e;
    }
    runs.push({ name: snap.name, run });
    const notWritten = new Map<string, string>();
    for (const change of run.changes) {
      const at = targetFor(snap.partial ? undefined : snap.root, change.path, loose);
      try {
        if (!at) throw new Error(`${change.path}: no file on disk to write`);
        // A dry run checks what the write would refuse, so its patch promises only what fix can do.
        if (dryRun) await checkRepoWrite(at.root, at.rel);
        else await writeChange(at.root, at.rel, change);
      } catch (e) {
        writeErrors++;
        const why = e instanceof WriteRefused ? e.reason : e instanceof Error && !(e as NodeJS.ErrnoException).code ? e.message : fsErrorText(e);
        notWritten.set(change.path, why);
        o.err(e instanceof WriteRefused ? `steward: ${e.message}\n` : `steward: could not write ${escapeTerminal(change.path)}: ${escapeTerminal(why)}\n`);
      }
    }
    // The summary must not call a fix applied when its file was not written.
    if (notWritten.size) runs[runs.length - 1].run = withUnwritten(run, notWritten);
    if (dryRun) o.out(unifiedDiff(runs[runs.length - 1].run.changes));
  }
  const summary = runs.map((r) => fixSummary(r.run, { dryRun, name: runs.length > 1 ? r.name : undefined })).join('\n');
  if (dryRun) o.err(summary);
  else o.out(summary);
  if (writeErrors) return 2;
  if (dryRun) return runs.some((r) => r.run.changes.length || r.run.left.length) ? 1 : 0;
  return runs.some((r) => r.run.left.length) ? 1 : 0;
}
