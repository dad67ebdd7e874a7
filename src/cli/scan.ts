import { parseArgs } from 'node:util';
import { CHECKS } from '../core/checks';
import { Engine, atOrAbove, type RepoScan } from '../core/engine';
import { ConfigError } from '../core/config/error';
import { isSeverity, type Severity } from '../core/model';
import { jsonReport } from '../core/report/json';
import { sarifReport } from '../core/report/sarif';
import { textReport } from '../core/report/text';
import { UsageError } from './errors';
import { colorsFor, snapshotsFor, writeOutputFile, type Output } from './io';
import { VERSION } from './version';
import { onlineOptions, gatherFacts } from './online';

export const SCAN_USAGE = `steward scan [PATH...] [--format text|json|sarif] [--fail-on SEVERITY|never] [--min-severity SEVERITY]
             [--rule ID...] [--include-suppressed] [--offline] [--github-url URL] [--output FILE] [--no-posture]

  PATH is a repository folder (default .) or individual files. --output writes the report to FILE
  instead of printing it; --no-posture leaves the posture summary out of the text report.
  Exit code: 0 nothing at or above --fail-on (default medium), 1 findings at or above it, 2 usage or input error.`;

export function parseSeverity(flag: string, v: string | undefined, fallback: Severity): Severity {
  if (v === undefined) return fallback;
  if (!isSeverity(v)) throw new UsageError(`${flag} must be one of info, low, medium, high, critical (got '${v}')`);
  return v;
}

export function checkRuleIds(ids: readonly string[] | undefined): string[] | undefined {
  if (!ids?.length) return undefined;
  const known = new Set(CHECKS.map((c) => c.meta.id));
  for (const id of ids) if (!known.has(id)) throw new UsageError(`unknown rule '${id}' (run steward rules for the list)`);
  return [...ids];
}

export async function runScans(paths: string[], o: Output, opts: { only?: string[]; online?: boolean; githubUrl?: string }): Promise<RepoScan[]> {
  const snaps = await snapshotsFor(paths, o.cwd);
  const scans: RepoScan[] = [];
  for (const snap of snaps) {
    const engine = new Engine(CHECKS);
    try {
      const facts = opts.online && snap.root && !snap.partial ? await gatherFacts(snap.root, o, opts.githubUrl) : { factsUnavailable: 'online features are off (--offline)' };
      scans.push(await engine.scan(snap, { only: opts.only, ...facts }));
    } catch (e) {
      if (e instanceof ConfigError) throw new UsageError(e.message);
      throw e;
    }
  }
  return scans;
}

export async function scanCommand(argv: string[], o: Output): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      format: { type: 'string', short: 'f', default: 'text' },
      'fail-on': { type: 'string' },
      'min-severity': { type: 'string' },
      rule: { type: 'string', multiple: true },
      'include-suppressed': { type: 'boolean', default: false },
      offline: { type: 'boolean', default: false },
      'github-url': { type: 'string' },
      output: { type: 'string', short: 'o' },
      'no-posture': { type: 'boolean', default: false },
    },
  });
  const format = values.format!;
  if (!['text', 'json', 'sarif'].includes(format)) throw new UsageError(`--format must be text, json or sarif (got '${format}')`);
  const failOnRaw = values['fail-on'];
  const failOn = failOnRaw === 'never' || failOnRaw === 'none' ? undefined : parseSeverity('--fail-on', failOnRaw, 'medium');
  const minSeverity = values['min-severity'] ? parseSeverity('--min-severity', values['min-severity'], 'info') : undefined;
  const only = checkRuleIds(values.rule);
  const online = onlineOptions(values.offline!, o);
  const scans = await runScans(positionals, o, { only, online, githubUrl: values['github-url'] });
  let text: string;
  if (format === 'json') text = JSON.stringify(jsonReport(scans, CHECKS.map((c) => c.meta), VERSION, { includeSuppressed: values['include-suppressed'] }), null, 2) + '\n';
  else if (format === 'sarif') text = JSON.stringify(sarifReport(scans, CHECKS.map((c) => c.meta), VERSION), null, 2) + '\n';
  else text = textReport(scans, CHECKS.map((c) => c.meta), { colors: values.output ? colorsFor({ ...o, isTTY: false }) : colorsFor(o), minSeverity, posture: !values['no-posture'] });
  if (values.output) await writeOutputFile(o, values.output, text);
  else o.out(text);
  const failing = failOn ? scans.some((s) => s.findings.some((f) => !f.suppressed && atOrAbove(f, failOn))) : false;
  return failing ? 1 : 0;
}
