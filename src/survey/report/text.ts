import { escapeTerminalLine as t } from '../../core/report/escape';
import type { RankedRepo, SurveyReport } from '../rank';

// The survey as a terminal table: the ranked repositories with their one-line reason and suggested
// first pull request, then the ones that cannot take one, then packages without a repository. Every
// repository- or registry-supplied string goes through escapeTerminalLine.

function n(x: number): string {
  return x.toLocaleString('en-US');
}

function row(e: RankedRepo, width: number): string[] {
  const ess = e.record.essentials;
  const head = [
    `${String(e.rank).padStart(width)}. ${t(`${e.owner}/${e.repo}`)}`,
    `score ${e.score.toFixed(1)}`,
    ess ? `Essentials ${ess.passed} of ${ess.checked}` : undefined,
    e.record.concerns?.length ? `${e.record.concerns.length} fixable` : undefined,
    `${n(e.paths)} path${e.paths === 1 ? '' : 's'}`,
  ].filter(Boolean);
  const pad = ' '.repeat(width + 2);
  const out = [head.join(' · '), `${pad}${t(e.why)}`];
  if (e.first) out.push(`${pad}first contribution: ${t(e.first.title)} (clone it, then \`steward pr --concern ${t(e.first.concern)}\`)`);
  return out;
}

export function surveyText(r: SurveyReport): string {
  const out: string[] = [];
  const tt = r.totals;
  out.push(`Survey of ${t(r.project)}: ${n(tt.dependencies)} dependencies (${n(tt.direct)} direct) from ${n(tt.repos)} repositories; ${n(tt.surveyed)} surveyed${tt.pending ? `, ${n(tt.pending)} not yet` : ''}${tt.unresolved ? `; ${n(tt.unresolved)} package${tt.unresolved === 1 ? "" : "s"} without a repository` : ''}`);
  out.push('');
  if (r.ranked.length) {
    out.push('Where a contribution helps most (need × reach):');
    const w = String(r.ranked.length).length;
    for (const e of r.ranked) out.push(...row(e, w));
  } else out.push('No surveyed repository has something Steward can fix.');
  if (r.unavailable.length) {
    out.push('', 'Cannot take a contribution:');
    for (const e of r.unavailable) out.push(`  ${t(`${e.owner}/${e.repo}`)}: ${t(e.why)}`);
  }
  if (r.healthy.length) {
    out.push('', `Nothing to add (${n(r.healthy.length)}): ${r.healthy.slice(0, 20).map((e) => t(`${e.owner}/${e.repo}`)).join(', ')}${r.healthy.length > 20 ? ', …' : ''}`);
  }
  if (r.unresolved.length) {
    out.push('', 'No repository found:');
    for (const p of r.unresolved.slice(0, 50)) out.push(`  ${t(`${p.ecosystem} ${p.name}`)}${p.version ? ` ${t(p.version)}` : ''} (${n(p.paths)} path${p.paths === 1 ? '' : 's'}): ${t(p.reason ?? 'no repository')}`);
    if (r.unresolved.length > 50) out.push(`  … and ${n(r.unresolved.length - 50)} more (see --format json)`);
  }
  return out.join('\n') + '\n';
}

/** The report as JSON: what the text shows, plus each repository's findings. */
export function surveyJson(r: SurveyReport, version: string): unknown {
  return { tool: 'steward', version, kind: 'survey', ...r };
}
