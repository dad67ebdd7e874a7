import { UsageError } from './errors';
import { WriteRefused } from '../core/fs/safe-write';
import { processOutput, type Output } from './io';
import { VERSION } from './version';

// Start-up: `steward --version` or `steward rules` must not pay for the engine, zod schemas, Octokit
// or the contribution flow. Each command's module is required when the command runs (esbuild makes
// each required module a lazily initialised part of the one bundle), so a command initialises only
// what it uses. require, not import(): under tsx (tests) import() goes to Node's ESM resolver, which
// does not find extension-less TypeScript paths.

/** What a command's module provides once loaded. */
export interface LoadedCommand {
  usage: string;
  run(argv: string[], o: Output): Promise<number>;
}

export interface Command {
  summary: string;
  /** Imports the command's module (first use only: modules are cached). */
  load(): Promise<LoadedCommand>;
  /** Developer tooling, not listed in help. */
  hidden?: boolean;
}

// The one table of CLI commands. Each command lives in its own module under src/cli/.
export const COMMANDS: Record<string, Command> = {
  scan: { summary: 'Check repositories or files and report findings', load: async () => { const m = require('./scan') as typeof import('./scan'); return { usage: m.SCAN_USAGE, run: m.scanCommand }; } },
  rules: { summary: 'List every check', load: async () => { const m = require('./rules') as typeof import('./rules'); return { usage: m.RULES_USAGE, run: m.rulesCommand }; } },
  fix: { summary: 'Apply the fixes of findings in place (or print them as a diff with --dry-run)', load: async () => { const m = require('./fix') as typeof import('./fix'); return { usage: m.FIX_USAGE, run: m.fixCommand }; } },
  insights: { summary: 'Write or refresh security-insights.yml from the repository', load: async () => { const m = require('./insights') as typeof import('./insights'); return { usage: m.INSIGHTS_USAGE, run: m.insightsCommand }; } },
  'settings-request': { summary: 'Write an issue asking maintainers for the security settings only admins can change', load: async () => { const m = require('./settings-request') as typeof import('./settings-request'); return { usage: m.SETTINGS_REQUEST_USAGE, run: m.settingsRequestCommand }; } },
  'security-md': { summary: 'Write a SECURITY.md from a few answers (proposed from the repository)', load: async () => { const m = require('./security-md') as typeof import('./security-md'); return { usage: m.SECURITY_MD_USAGE, run: m.securityMdCommand }; } },
  explain: { summary: "Explain a check: why it matters and how to fix it", load: async () => { const m = require('./rules') as typeof import('./rules'); return { usage: m.EXPLAIN_USAGE, run: m.explainCommand }; } },
  survey: { summary: 'Rank the repositories a project depends on by where one security contribution helps most', load: async () => { const m = require('./survey') as typeof import('./survey'); return { usage: m.SURVEY_USAGE, run: m.surveyCommand }; } },
  pr: { summary: 'Prepare a focused security pull request (preflight, one concern, branch, commits, draft PR)', load: async () => { const m = require('./pr') as typeof import('./pr'); return { usage: m.PR_USAGE, run: m.prCommand }; } },
  verify: { summary: 'Check that a Steward pull request contains exactly what Steward produces (replays its trailers)', load: async () => { const m = require('./verify') as typeof import('./verify'); return { usage: m.VERIFY_USAGE, run: m.verifyCommand }; } },
  demo: { summary: 'Scan the bundled demo repository (what `npm start` runs)', load: async () => ({ usage: 'steward demo [PATH]', run: (require('./demo') as typeof import('./demo')).demoCommand }), hidden: true },
  'corpus-report': { summary: 'Finding counts per rule per repository over a corpus folder (check authors)', load: async () => { const m = require('./corpus') as typeof import('./corpus'); return { usage: m.CORPUS_USAGE, run: m.corpusCommand }; }, hidden: true },
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
    const loaded = await cmd.load();
    if (rest.includes('--help') || rest.includes('-h')) {
      o.out(`Usage: ${loaded.usage}\n`);
      return 0;
    }
    return await loaded.run(rest, o);
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
