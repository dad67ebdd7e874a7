import { parseArgs } from 'node:util';
import { CHECKS } from '../core/checks';
import { DiskSnapshot } from '../core/repo/disk';
import { gatherProjectFacts } from '../core/security-md/propose';
import { buildSettingsRequest, SETTING_CHECKS, settingStatesFromResults } from '../core/settings-request';
import { UsageError } from './errors';
import { repoFolderArg, writeOutputFile, type Output } from './io';
import { onlineOptions } from './online';
import { runScans } from './scan';
import { diskReader } from './security-md';

export const SETTINGS_REQUEST_USAGE = `steward settings-request [PATH] [--out FILE] [--format markdown|json] [--offline] [--github-url URL]

  Writes the text of an issue asking the maintainers of the repository at PATH (default .) to change
  the security settings only an admin can change: private vulnerability reporting, a default-branch
  ruleset, secret scanning with push protection, a read-only default workflow token, and required 2FA
  for the organisation. Settings already known to be on are left out. Online (GITHUB_TOKEN or GH_TOKEN,
  or anonymously for public repositories) the known ones are checked; offline all are listed as unknown.
  Prints "Title: …" and the body, or writes the body to --out (for \`gh issue create --body-file\`).
  Exit code: 0 printed or written, 2 usage or input error.`;

export async function settingsRequestCommand(argv: string[], o: Output): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      out: { type: 'string', short: 'o' },
      format: { type: 'string', default: 'markdown' },
      offline: { type: 'boolean', default: false },
      'github-url': { type: 'string' },
    },
  });
  if (!['markdown', 'json'].includes(values.format!)) throw new UsageError(`--format must be markdown or json (got '${values.format}')`);
  const root = await repoFolderArg(positionals, o.cwd, 'settings-request');

  const known = new Set(CHECKS.map((c) => c.meta.id));
  const only = Object.values(SETTING_CHECKS).filter((id): id is string => !!id && known.has(id));
  const online = onlineOptions(values.offline!, o);
  const [scan] = only.length ? await runScans([root], o, { only, online, githubUrl: values['github-url'] }) : [];
  const results = scan?.results.filter((r) => only.includes(r.checkId)) ?? [];
  const project = await gatherProjectFacts(diskReader(new DiskSnapshot(root)));
  const owner = project.github?.owner;
  const repo = project.github?.repo;
  if (!owner || !repo) throw new UsageError('cannot tell which GitHub repository this is (no github.com remote or package repository URL)');
  const req = buildSettingsRequest({ owner, repo, states: settingStatesFromResults(results, undefined) });
  const text = values.format === 'json' ? JSON.stringify(req, null, 2) + '\n' : values.out ? req.body : `Title: ${req.title}\n\n${req.body}`;
  if (values.out) {
    await writeOutputFile(o, values.out, text);
    o.err(`Wrote ${values.out} (${req.items.length} setting${req.items.length === 1 ? '' : 's'}). Title: ${req.title}\n`);
  } else {
    o.out(text);
  }
  return 0;
}
