import { parseArgs } from 'node:util';
import * as path from 'node:path';
import { promises as fs } from 'node:fs';
import { CHECKS } from '../core/checks';
import { Engine, ConfigError } from '../core/engine';
import { fixSummary, runFixes, unifiedDiff, type FileChange, type FixRun } from '../core/fix/engine';
import { UsageError } from './errors';
import { snapshotsFor, type Output } from './io';
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

/** Where each repository-relative path of a snapshot lives on disk. */
function diskPathFor(root: string | undefined, rel: string, loose: Map<string, string>): string | undefined {
  return loose.get(rel) ?? (root ? path.join(root, rel) : undefined);
}

/** The loose files given on the command line, by the relative name snapshotsFor gives them. */
async function looseFiles(args: readonly string[], cwd: string): Promise<Map<string, string>> {
  const m = new Map<string, string>();
  for (const t of args) {
    const abs = path.resolve(cwd, t);
    const st = await fs.stat(abs).catch(() => undefined);
    if (!st || st.isDirectory()) continue;
    const rel = toPosix(path.relative(cwd, abs)) || path.basename(abs);
    m.set(rel.startsWith('../') ? toPosix(path.basename(abs)) : rel, abs);
  }
  return m;
}

function encode(text: string, hadBom: boolean): Uint8Array {
  const body = new TextEncoder().encode(text);
  if (!hadBom) return body;
  const out = new Uint8Array(body.length + 3);
  out.set([0xef, 0xbb, 0xbf]);
  out.set(body, 3);
  return out;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * Writes one changed file atomically: a temporary file next to it, then rename, so an interrupted run
 * never leaves half a workflow. Refuses when the file changed on disk since it was read. Keeps the mode.
 */
export async function writeChange(abs: string, change: FileChange): Promise<void> {
  let target = abs;
  let mode: number | undefined;
  if (!change.created) {
    // Write through a symbolic link to the file it names rather than replacing the link.
    target = await fs.realpath(abs);
    const st = await fs.stat(target);
    mode = st.mode & 0o7777;
    const now = await fs.readFile(target);
    if (!sameBytes(now, encode(change.before ?? '', change.hadBom))) throw new Error(`${change.path} changed on disk while fixing; nothing written to it`);
  } else {
    await fs.mkdir(path.dirname(target), { recursive: true });
    const exists = await fs.lstat(target).then(() => true, () => false);
    if (exists) throw new Error(`${change.path} appeared on disk while fixing; not overwritten`);
  }
  const tmp = path.join(path.dirname(target), `.${path.basename(target)}.steward-${process.pid}-${Math.random().toString(36).slice(2, 8)}.tmp`);
  try {
    await fs.writeFile(tmp, encode(change.after, change.hadBom), mode === undefined ? {} : { mode });
    if (mode !== undefined) await fs.chmod(tmp, mode);
    await fs.rename(tmp, target);
  } catch (e) {
    await fs.rm(tmp, { force: true });
    throw e;
  }
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
    if (dryRun) {
      o.out(unifiedDiff(run.changes));
      continue;
    }
    for (const change of run.changes) {
      const abs = diskPathFor(snap.partial ? undefined : snap.root, change.path, loose);
      try {
        if (!abs) throw new Error(`${change.path}: no file on disk to write`);
        await writeChange(abs, change);
      } catch (e) {
        writeErrors++;
        o.err(`steward: could not write ${change.path}: ${e instanceof Error ? e.message : String(e)}\n`);
      }
    }
  }
  const summary = runs.map((r) => fixSummary(r.run, { dryRun, name: runs.length > 1 ? r.name : undefined })).join('\n');
  if (dryRun) o.err(summary);
  else o.out(summary);
  if (writeErrors) return 2;
  if (dryRun) return runs.some((r) => r.run.changes.length || r.run.left.length) ? 1 : 0;
  return runs.some((r) => r.run.left.length) ? 1 : 0;
}
