import { UsageError } from './errors';
import { WriteRefused } from '../core/fs/safe-write';
import { processOutput, type Output } from './io';
import { scanCommand, SCAN_USAGE } from './scan';
import { explainCommand, EXPLAIN_USAGE, rulesCommand, RULES_USAGE } from './rules';
import { VERSION } from './version';
import { demoCommand } from './demo';
import { prCommand, PR_USAGE } from './pr';
import { verifyCommand, VERIFY_USAGE } from './verify';
import { corpusCommand, CORPUS_USAGE } from './corpus';
import { fixCommand, FIX_USAGE } from './fix';
import { securityMdCommand, SECURITY_MD_USAGE } from './security-md';
import { insightsCommand, INSIGHTS_USAGE } from './insights';
import { settingsRequestCommand, SETTINGS_REQUEST_USAGE } from './settings-request';
import { surveyCommand, SURVEY_USAGE } from './survey';

export interface Command {
  summary: string;
  usage: string;
  run(argv: string[], o: Output): Promise<number>;
  /** Developer tooling, not listed in help. */
  hidden?: boolean;
}

// The one table of CLI commands. Each command lives in its own module under src/cli/.
export const COMMANDS: Record<string, Command> = {
  scan: { summary: 'Check repositories or files and report findings', usage: SCAN_USAGE, run: scanCommand },
  rules: { summary: 'List every check', usage: RULES_USAGE, run: rulesCommand },
  fix: { summary: 'Apply the fixes of findings in place (or print them as a diff with --dry-run)', usage: FIX_USAGE, run: fixCommand },
  insights: { summary: 'Write or refresh security-insights.yml from the repository', usage: INSIGHTS_USAGE, run: insightsCommand },
  'settings-request': { summary: 'Write an issue asking maintainers for the security settings only admins can change', usage: SETTINGS_REQUEST_USAGE, run: settingsRequestCommand },
  'security-md': { summary: 'Write a SECURITY.md from a few answers (proposed from the repository)', usage: SECURITY_MD_USAGE, run: securityMdCommand },
  explain: { summary: "Explain a check: why it matters and how to fix it", usage: EXPLAIN_USAGE, run: explainCommand },
  survey: { summary: 'Rank the repositories a project depends on by where one security contribution helps most', usage: SURVEY_USAGE, run: surveyCommand },
  pr: { summary: 'Prepare a focused security pull request (preflight, one concern, branch, commits, draft PR)', usage: PR_USAGE, run: prCommand },
  verify: { summary: 'Check that a Steward pull request contains exactly what Steward produces (replays its trailers)', usage: VERIFY_USAGE, run: verifyCommand },
  demo: { summary: 'Scan the bundled demo repository (what `npm start` runs)', usage: 'steward demo [PATH]', run: demoCommand, hidden: true },
  'corpus-report': { summary: 'Finding counts per rule per repository over a corpus folder (check authors)', usage: CORPUS_USAGE, run: corpusCommand, hidden: true },
};

function help(): string {
  const names = Object.entries(COMMANDS).filter(([, c]) => !c.hidden);
  const w = Math.max(...names.map(([n]) => n.length));
  return [
    `Steward ${VERSION} — security contributions for open source`,
    '',
    'Usage: steward <command> [options]',
    '',
    ...names.map(([n, c]) => `  ${n.padEnd(w)}  ${c.summary}`),
    '',
    'steward <command> --help shows the options of one command; steward --version prints the version.',
    'Exit codes: 0 success, 1 findings or work left (each command says which), 2 a usage or input',
    'error (one line on stderr), 3 an internal error (STEWARD_DEBUG=1 adds the stack trace).',
    'Environment: GITHUB_TOKEN or GH_TOKEN for online features; NO_COLOR to disable colours.',
    '',
  ].join('\n');
}

/**
 * node:util parseArgs explains at length ("Unknown option '--x'. To specify a positional argument
 * starting with a '-', …"); a person needs the first sentence, in the CLI's lower-case style.
 */
export function parseArgsMessage(message: string): string {
  const first = message.split('\n')[0].split(/\.\s/)[0].replace(/\.$/, '');
  return first.charAt(0).toLowerCase() + first.slice(1);
}

export async function main(argv: string[], o: Output = processOutput): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    o.out(help());
    return name ? 0 : 2;
  }
  if (name === '--version' || name === '-V') {
    o.out(VERSION + '\n');
    return 0;
  }
  const cmd = COMMANDS[name];
  try {
    if (!cmd) throw new UsageError(`unknown command '${name}' (try \`steward --help\`)`);
    if (rest.includes('--help') || rest.includes('-h')) {
      o.out(`Usage: ${cmd.usage}\n`);
      return 0;
    }
    return await cmd.run(rest, o);
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (e instanceof UsageError || e instanceof WriteRefused) {
      o.err(`steward: ${e.message.split('\n')[0]}\n`);
      return 2;
    }
    if (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS')) {
      o.err(`steward: ${parseArgsMessage((e as Error).message)} (see \`steward ${name} --help\`)\n`);
      return 2;
    }
    o.err(`steward: internal error: ${e instanceof Error ? e.message : String(e)}\n`);
    if (o.env.STEWARD_DEBUG) o.err(`${(e as Error).stack ?? ''}\n`);
    return 3;
  }
}
