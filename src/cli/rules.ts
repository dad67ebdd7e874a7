import { parseArgs } from 'node:util';
import { CHECKS, findCheck } from '../core/checks';
import { CATEGORY_TITLES } from '../core/model';
import { docsText } from '../core/report/docs';
import { plainText } from '../core/report/text';
import { UsageError } from './errors';
import { colorsFor, type Output } from './io';

export const RULES_USAGE = `steward rules [--format text|json]

  Lists every check: id, severity, whether Steward can fix it, title and category. --format json
  prints each check's full description (docs, references) for other tools.
  Exit code: 0, or 2 for a usage error.`;

export const EXPLAIN_USAGE = `steward explain RULE

  Explains one check: what it finds, why it matters, how to fix it, how safe the fix is, and the
  matching zizmor audit, OpenSSF Scorecard check and OSPS Baseline controls.
  Exit code: 0, or 2 for an unknown rule.`;

export async function rulesCommand(argv: string[], o: Output): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { format: { type: 'string', short: 'f', default: 'text' } } });
  if (values.format === 'json') {
    o.out(JSON.stringify({ rules: CHECKS.map((c) => c.meta) }, null, 2) + '\n');
    return 0;
  }
  if (values.format !== 'text') throw new UsageError(`--format must be text or json (got '${values.format}')`);
  const c = colorsFor(o);
  const width = Math.max(...CHECKS.map((x) => x.meta.id.length));
  for (const { meta } of CHECKS) {
    o.out(`${c.bold(meta.id.padEnd(width))}  ${meta.severity.padEnd(8)} ${(meta.fixable ? 'fix' : '').padEnd(4)}${plainText(meta.title)} ${c.dim('(' + CATEGORY_TITLES[meta.category] + ')')}\n`);
  }
  o.out(`\n${CHECKS.length} rules. Run steward explain RULE for the details of one.\n`);
  return 0;
}

export async function explainCommand(argv: string[], o: Output): Promise<number> {
  const { positionals } = parseArgs({ args: argv, allowPositionals: true, options: {} });
  if (positionals.length !== 1) throw new UsageError('usage: steward explain RULE');
  const check = findCheck(positionals[0]);
  if (!check) {
    const near = CHECKS.map((c) => c.meta.id).filter((id) => id.includes(positionals[0]) || positionals[0].includes(id));
    throw new UsageError(`unknown rule '${positionals[0]}'${near.length ? ` (did you mean ${near.join(', ')}?)` : ''} (run steward rules for the list)`);
  }
  o.out(docsText(check.meta) + '\n');
  return 0;
}
