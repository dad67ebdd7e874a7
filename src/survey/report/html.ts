import { createHash } from 'node:crypto';
import { escapeHtml as h } from '../../core/report/escape';
import type { PostureBar, RankedRepo, SurveyReport } from '../rank';

// A self-contained HTML report: no script, no external resource (fonts, images, styles are inline),
// a Content-Security-Policy that allows only the one inline stylesheet (by its hash) and data: images,
// and every repository- or registry-supplied string escaped. The chart is inline SVG: posture
// categories with the number of repositories and how many dependency paths lead into them.

const CSS = `
:root { color-scheme: light dark; --fg: #1f2328; --muted: #59636e; --bg: #ffffff; --line: #d1d9e0; --card: #f6f8fa;
  --fail: #cf222e; --warn: #9a6700; --ok: #1a7f37; --gone: #6e7781; --accent: #0969da; }
@media (prefers-color-scheme: dark) { :root { --fg: #e6edf3; --muted: #9198a1; --bg: #0d1117; --line: #3d444d; --card: #151b23;
  --fail: #f85149; --warn: #d29922; --ok: #3fb950; --gone: #9198a1; --accent: #4493f8; } }
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 1100px; padding: 24px; font: 14px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--fg); background: var(--bg); }
h1 { font-size: 22px; margin: 0 0 4px; } h2 { font-size: 17px; margin: 28px 0 8px; }
p.lead { color: var(--muted); margin: 0 0 16px; }
.totals { display: flex; flex-wrap: wrap; gap: 8px; margin: 12px 0 20px; padding: 0; list-style: none; }
.totals li { background: var(--card); border: 1px solid var(--line); border-radius: 6px; padding: 6px 12px; }
.totals b { font-size: 18px; display: block; }
figure { margin: 0; background: var(--card); border: 1px solid var(--line); border-radius: 6px; padding: 12px; }
figcaption { color: var(--muted); font-size: 12px; margin-top: 6px; }
svg text { fill: var(--fg); font: 12px system-ui, sans-serif; } svg .num { fill: var(--muted); }
.c0 { fill: var(--ok); } .c1 { fill: var(--warn); } .c2 { fill: var(--fail); } .c3 { fill: var(--fail); } .c4 { fill: var(--gone); } .c5 { fill: var(--gone); }
.paths { opacity: .35; }
table { width: 100%; border-collapse: collapse; }
th, td { text-align: left; vertical-align: top; padding: 8px; border-bottom: 1px solid var(--line); }
th { font-size: 12px; color: var(--muted); font-weight: 600; }
td.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
.why { color: var(--muted); font-size: 13px; }
.first { margin-top: 4px; } .first code, code { font: 12px ui-monospace, SFMono-Regular, Menlo, monospace; background: var(--card); border: 1px solid var(--line); border-radius: 4px; padding: 0 4px; }
.badge { display: inline-block; font-size: 11px; border-radius: 10px; padding: 0 7px; border: 1px solid var(--line); margin: 0 4px 2px 0; }
.badge.fail { color: var(--fail); border-color: var(--fail); } .badge.user { color: var(--warn); border-color: var(--warn); }
details { margin-top: 6px; } summary { cursor: pointer; color: var(--accent); }
ul.findings { margin: 6px 0 0; padding-left: 18px; font-size: 13px; } ul.findings li { margin: 2px 0; }
.sev { font-weight: 600; } .sev.critical, .sev.high { color: var(--fail); } .sev.medium { color: var(--warn); } .sev.low, .sev.info { color: var(--muted); }
a { color: var(--accent); }
footer { margin-top: 32px; color: var(--muted); font-size: 12px; }
`;

function n(x: number): string {
  return x.toLocaleString('en-US');
}

/** Only http(s) links, and only to the repository's own page (never a javascript: or data: URL). */
function safeUrl(u: string | undefined): string | undefined {
  if (!u) return undefined;
  try {
    const p = new URL(u);
    return p.protocol === 'https:' || p.protocol === 'http:' ? p.href : undefined;
  } catch {
    return undefined;
  }
}

function repoLink(e: RankedRepo): string {
  const url = safeUrl(e.htmlUrl);
  const name = h(`${e.owner}/${e.repo}`);
  return url ? `<a href="${h(url)}" rel="noopener noreferrer">${name}</a>` : name;
}

/** Horizontal bars: repositories per posture category (solid) and their dependency paths (pale, scaled separately). */
export function postureChart(bars: readonly PostureBar[]): string {
  const labelW = 190;
  const barW = 560;
  const rowH = 34;
  const height = bars.length * rowH + 30;
  const maxRepos = Math.max(1, ...bars.map((b) => b.repos));
  const maxPaths = Math.max(1, ...bars.map((b) => b.paths));
  const rows = bars
    .map((b, i) => {
      const y = 10 + i * rowH;
      const wr = Math.round((b.repos / maxRepos) * barW);
      const wp = Math.round((b.paths / maxPaths) * barW);
      return [
        `<text x="0" y="${y + 15}">${h(b.label)}</text>`,
        `<rect class="c${i} paths" x="${labelW}" y="${y + 16}" width="${wp}" height="8" rx="2"><title>${h(`${n(b.paths)} dependency paths`)}</title></rect>`,
        `<rect class="c${i}" x="${labelW}" y="${y + 2}" width="${Math.max(wr, b.repos ? 2 : 0)}" height="14" rx="2"><title>${h(`${n(b.repos)} ${i === 5 ? 'packages' : 'repositories'}`)}</title></rect>`,
        `<text class="num" x="${labelW + Math.max(wr, wp) + 6}" y="${y + 15}">${h(`${n(b.repos)} ${i === 5 ? (b.repos === 1 ? 'package' : 'packages') : b.repos === 1 ? 'repository' : 'repositories'} · ${n(b.paths)} path${b.paths === 1 ? "" : "s"}`)}</text>`,
      ].join('');
    })
    .join('\n');
  return `<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-labelledby="chart-title" viewBox="0 0 ${labelW + barW + 180} ${height}" width="100%">
<title id="chart-title">Dependency posture: repositories by how many Essentials fail, with the dependency paths into them</title>
${rows}
</svg>`;
}

function findingsBlock(e: RankedRepo): string {
  const f = e.record.findings ?? [];
  if (!f.length) return '';
  const more = (e.record.findingCount ?? f.length) - f.length;
  const items = f
    .map((x) => `<li><span class="sev ${h(x.severity)}">${h(x.severity)}</span> <code>${h(x.ruleId)}</code> ${h(x.message)}${x.file ? ` <span class="why">(${h(x.file)}${x.line ? `:${x.line}` : ''})</span>` : ''}${x.fixable ? ' <span class="badge">fixable</span>' : ''}</li>`)
    .join('');
  return `<details><summary>${n(e.record.findingCount ?? f.length)} finding${(e.record.findingCount ?? f.length) === 1 ? '' : 's'}</summary><ul class="findings">${items}${more > 0 ? `<li>… and ${n(more)} more</li>` : ''}</ul></details>`;
}

function rankedRow(e: RankedRepo): string {
  const ess = e.record.essentials;
  const failing = (ess?.failing ?? []).map((f) => `<span class="badge fail">${h(f.title)}</span>`).join('');
  const owner = e.record.ownerKind === 'User' ? '<span class="badge user">personal account</span>' : e.record.ownerKind === 'Organization' ? '<span class="badge">organisation</span>' : '';
  const concerns = (e.record.concerns ?? []).map((c) => h(c.title)).join('; ');
  const first = e.first ? `<div class="first">First contribution: <b>${h(e.first.title)}</b> — clone it, then <code>steward pr --concern ${h(e.first.concern)}</code></div>` : '';
  return `<tr id="${h(e.key)}">
<td class="num">${e.rank}</td>
<td>${repoLink(e)} ${owner}<div class="why">${h(e.why)}</div>${failing ? `<div>${failing}</div>` : ''}${first}${findingsBlock(e)}</td>
<td class="num">${e.score.toFixed(1)}</td>
<td class="num">${ess ? `${ess.passed} of ${ess.checked}` : '–'}</td>
<td>${concerns || '–'}</td>
<td class="num">${n(e.paths)}${e.direct ? '<br><span class="why">direct</span>' : ''}</td>
</tr>`;
}

export function surveyHtml(r: SurveyReport, version: string): string {
  const styleHash = createHash('sha256').update(CSS).digest('base64');
  const csp = `default-src 'none'; style-src 'sha256-${styleHash}'; img-src data:; base-uri 'none'; form-action 'none'`;
  const tt = r.totals;
  const parts: string[] = [];
  parts.push(`<h1>Where to help: ${h(r.project)}</h1>`);
  parts.push(`<p class="lead">The repositories this project depends on, ranked by need (failing Essentials, fixable concerns, thin maintenance) × reach (dependency paths, direct use).</p>`);
  parts.push(`<ul class="totals">
<li><b>${n(tt.dependencies)}</b>dependencies (${n(tt.direct)} direct)</li>
<li><b>${n(tt.repos)}</b>repositories</li>
<li><b>${n(tt.surveyed)}</b>surveyed${tt.pending ? ` (${n(tt.pending)} not yet)` : ''}</li>
<li><b>${n(r.ranked.length)}</b>where a contribution helps</li>
<li><b>${n(tt.unresolved)}</b>packages without a repository</li>
</ul>`);
  parts.push(`<figure>${postureChart(r.posture)}<figcaption>Solid bars: repositories (packages for the last row). Pale bars: dependency paths that lead into them.</figcaption></figure>`);
  parts.push('<h2>Where a contribution helps most</h2>');
  if (r.ranked.length) {
    parts.push(`<table><thead><tr><th>#</th><th>Repository</th><th>Score</th><th>Essentials</th><th>Fixable concerns</th><th>Paths</th></tr></thead><tbody>
${r.ranked.map(rankedRow).join('\n')}
</tbody></table>`);
  } else parts.push('<p>No surveyed repository has something Steward can fix.</p>');
  if (r.unavailable.length) {
    parts.push('<h2>Cannot take a contribution</h2><table><thead><tr><th>Repository</th><th>Why</th><th>Paths</th></tr></thead><tbody>');
    parts.push(r.unavailable.map((e) => `<tr><td>${repoLink(e)}</td><td class="why">${h(e.why)}</td><td class="num">${n(e.paths)}</td></tr>`).join('\n'));
    parts.push('</tbody></table>');
  }
  if (r.unresolved.length) {
    parts.push('<h2>Packages without a repository</h2><table><thead><tr><th>Package</th><th>Why</th><th>Paths</th></tr></thead><tbody>');
    parts.push(r.unresolved.map((p) => `<tr><td>${h(p.ecosystem)} <code>${h(p.name)}</code> ${h(p.version)}</td><td class="why">${h(p.reason ?? 'no repository')}</td><td class="num">${n(p.paths)}</td></tr>`).join('\n'));
    parts.push('</tbody></table>');
  }
  if (r.healthy.length) {
    parts.push(`<h2>Nothing to add (${n(r.healthy.length)})</h2><p>${r.healthy.map(repoLink).join(', ')}</p>`);
  }
  parts.push(`<footer>Generated by Steward ${h(version)} (<code>steward survey</code>). Settings only a maintainer can see are left out of the Essentials.</footer>`);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${h(`Steward survey: ${r.project}`)}</title>
<style>${CSS}</style>
</head>
<body>
${parts.join('\n')}
</body>
</html>
`;
}
