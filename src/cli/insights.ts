import { parseArgs } from 'node:util';
import * as path from 'node:path';
import { DiskSnapshot } from '../core/repo/disk';
import { unifiedDiff } from '../core/fix/engine';
import { buildInsights, gatherInsightsFacts, INSIGHTS_DEFAULT_PATH, insightsFiles, refreshInsights, renderInsights, todayUtc } from '../core/insights';
import { UsageError } from './errors';
import { repoFolderArg, type Output } from './io';
import { gatherFacts, onlineOptions } from './online';
import { diskReader, readForOverwrite, writeTarget } from './security-md';

export const INSIGHTS_USAGE = `steward insights [PATH] [--out FILE|-] [--offline] [--github-url URL]

  Writes security-insights.yml (Security Insights 2.0) for the repository at PATH (default .), filled
  from the repository: URLs, licence, SECURITY.md, contributing guide, changelog, release destinations
  and security tools found in the workflows. Online (unless --offline or STEWARD_OFFLINE=1; token from
  GITHUB_TOKEN or GH_TOKEN, anonymous otherwise) it adds what GitHub's API says about the repository:
  its default branch (for the file URLs), whether it is archived, whether private vulnerability
  reporting is on, the licence GitHub detected and the latest release. What only the maintainers know
  (administrators, bug bounty, status, the last review date) is written as "FILL IN: ..." for them to
  answer, as is anything GitHub did not answer; the scan reports each one until it is. An existing file is refreshed: missing fields are added, last-updated
  is set, and everything already written (values, comments, extra keys) is kept.
  --out - prints the result instead of writing it. The changes are shown as a diff.
  Exit code: 0 written, printed or already up to date, 1 an existing file could not be refreshed (it is
  left unchanged), 2 usage or input error.`;

export async function insightsCommand(argv: string[], o: Output): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { out: { type: 'string', short: 'o' }, offline: { type: 'boolean', default: false }, 'github-url': { type: 'string' } },
  });
  const root = await repoFolderArg(positionals, o.cwd, 'insights');
  const snap = new DiskSnapshot(root);
  const paths = await snap.listFiles();
  // The repository's facts from GitHub, as the scan gets them (same lookup, timeout and notice). An
  // unknown fact (offline, not visible, rate limit) leaves its "FILL IN" in place: nothing is guessed.
  const online = onlineOptions(values.offline ?? false, o) ? await gatherFacts(root, o, values['github-url']) : undefined;
  const facts = await gatherInsightsFacts({ paths, read: diskReader(snap), fallbackName: path.basename(root), facts: online?.facts });
  if (!facts) throw new UsageError('cannot tell the repository URL (no git remote, no repository in package metadata)');
  const toStdout = values.out === '-';
  const rel = values.out && !toStdout ? path.relative(root, path.resolve(o.cwd, values.out)).split(path.sep).join('/') : (insightsFiles(paths)[0] ?? INSIGHTS_DEFAULT_PATH);
  const fresh = buildInsights(facts, todayUtc(), rel.startsWith('..') ? INSIGHTS_DEFAULT_PATH : rel);
  const existing = await readForOverwrite(o, root, rel);
  let text: string;
  if (existing !== undefined) {
    const refreshed = refreshInsights(existing, fresh);
    if (refreshed === undefined) {
      o.err(`steward: ${rel} is not a Security Insights 2.0 YAML mapping that can be refreshed (syntax error or a 1.x file); it was left unchanged. Move it aside to generate a new one.\n`);
      return 1;
    }
    text = refreshed;
  } else {
    text = renderInsights(fresh);
  }
  if (toStdout) {
    o.out(text);
    return 0;
  }
  if (existing === text) {
    o.err(`${rel} is already up to date.\n`);
    return 0;
  }
  // Written first: a diff is only shown for a change that really happened.
  await writeTarget(o, root, rel, text);
  o.out(unifiedDiff([{ path: rel, before: existing, after: text, hadBom: false, created: existing === undefined }]));
  const left = (text.match(/^\s*(?:- )?[\w-]+: ["']?FILL IN:/gm) ?? []).length;
  o.err(`${existing === undefined ? 'Wrote' : 'Refreshed'} ${rel}. ${left ? `Answer its ${left} FILL IN value${left === 1 ? '' : 's'} (only the maintainers know them) and check` : 'Check'} the rest before committing.\n`);
  return 0;
}
