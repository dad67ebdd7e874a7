import type { Scalar } from 'yaml';
import type { CheckMeta, Finding, Severity } from '../../model';
import type { Check } from '../types';
import { finding, ifSites } from '../helpers';
import { rangeLocation, locationOf } from '../../yaml/parse';
import { findExpressions, tokenize, type Token } from '../../yaml/expressions';
import { triggerNames } from '../../yaml/workflow';

export const meta: CheckMeta = {
  id: 'spoofable-bot-condition',
  title: 'Bot checks that cannot be spoofed',
  category: 'workflows',
  severity: 'high',
  confidence: 'medium',
  fixable: false,
  docs: {
    summary:
      'An `if:` trusts a run because `github.actor` (or `github.triggering_actor`) is a bot such as `dependabot[bot]` or `renovate[bot]` — for example to auto-merge or to skip checks.',
    whyItMatters:
      '`github.actor` is whoever caused the latest event, not who wrote the pull request. Attackers have made Dependabot the actor of events on pull requests they control — for example by having Dependabot update a branch in their own fork and opening the pull request from that branch — and a condition on the actor then gives their changes the trust meant for the bot, such as an automatic merge. On `pull_request_target` and `workflow_run` this comes with secrets and a write token.',
    howToFix:
      'Check who opened the pull request instead: `github.event.pull_request.user.login == \'dependabot[bot]\'` (and, for auto-merge, also that the head repository is this repository). For Dependabot, `dependabot/fetch-metadata` gives verified details about the update.',
    effort: 'minutes',
    fixSafety: 'No automatic fix: which identity to trust depends on the workflow. The suggested check is a one-line change; review that the job still runs when you expect.',
  },
  references: {
    zizmor: 'bot-conditions',
    other: [
      { title: 'GitHub Docs: Automating Dependabot with GitHub Actions (check the pull request author)', url: 'https://docs.github.com/en/code-security/dependabot/working-with-dependabot/automating-dependabot-with-github-actions' },
      { title: 'zizmor: bot-conditions', url: 'https://docs.zizmor.sh/audits/#bot-conditions' },
    ],
  },
};

const SPOOFABLE = new Set(['github.actor', 'github.triggering_actor', 'github.event.sender.login']);
const BOT = /\[bot\]$|^(dependabot|renovate|renovate-bot|github-actions|dependabot-preview|pre-commit-ci|mergify|allcontributors)$/i;

/** Offsets (in `expr`) of spoofable actor references compared for equality with a bot name. */
function botComparisons(expr: string): { start: number; end: number; actor: string; bot: string }[] {
  const toks = tokenize(expr);
  const out: { start: number; end: number; actor: string; bot: string }[] = [];
  // Rebuild dotted paths from tokens: ident (. ident)*
  const paths: { start: number; end: number; path: string; first: number; last: number }[] = [];
  for (let i = 0; i < toks.length; i++) {
    if (toks[i].kind !== 'ident' || (i > 0 && toks[i - 1].text === '.')) continue;
    let j = i;
    let path = toks[i].text;
    while (toks[j + 1]?.text === '.' && toks[j + 2]?.kind === 'ident') {
      path += '.' + toks[j + 2].text;
      j += 2;
    }
    paths.push({ start: toks[i].start, end: toks[j].end, path: path.toLowerCase(), first: i, last: j });
    i = j;
  }
  const isBotString = (t: Token | undefined) => t?.kind === 'string' && BOT.test(t.value ?? '');
  for (const p of paths) {
    if (!SPOOFABLE.has(p.path)) continue;
    const before = toks[p.first - 1];
    const after = toks[p.last + 1];
    let bot: string | undefined;
    if (after?.text === '==' && isBotString(toks[p.last + 2])) bot = toks[p.last + 2].value;
    else if (before?.text === '==' && isBotString(toks[p.first - 2])) bot = toks[p.first - 2].value;
    else {
      // contains(fromJSON('["dependabot[bot]", …]'), github.actor), startsWith(github.actor, 'dependabot')
      // The call the reference is an argument of: the nearest unclosed '(' to its left.
      let open = -1;
      for (let k = p.first - 1, depth = 0; k >= 0; k--) {
        if (toks[k].kind !== 'punct') continue;
        if (toks[k].text === ')') depth++;
        else if (toks[k].text === '(') {
          if (depth === 0) {
            open = k;
            break;
          }
          depth--;
        }
      }
      const fn = open > 0 && toks[open - 1].kind === 'ident' ? toks[open - 1].text.toLowerCase() : '';
      if (['contains', 'startswith', 'endswith'].includes(fn)) {
        let close = toks.length;
        for (let k = open + 1, depth = 0; k < toks.length; k++) {
          if (toks[k].kind !== 'punct') continue;
          if (toks[k].text === '(') depth++;
          else if (toks[k].text === ')') {
            if (depth === 0) {
              close = k;
              break;
            }
            depth--;
          }
        }
        const args = toks.slice(open + 1, close);
        const s = args.find((t) => t.kind === 'string' && /\[bot\]|dependabot|renovate/i.test(t.value ?? ''));
        if (s) bot = s.value;
      }
    }
    if (bot !== undefined) out.push({ start: p.start, end: p.end, actor: p.path, bot });
  }
  return out;
}

export const check: Check = {
  meta,
  fileKinds: ['workflow', 'action'],
  notApplicableReason: 'No workflows or actions',
  checkFile(file) {
    const y = file.yaml;
    if (!y) return [];
    const triggers = file.workflow ? triggerNames(file.workflow) : new Set<string>();
    // Only events an outsider can get a bot to cause (pull requests and what follows them) make the
    // actor spoofable; a push, a status or a schedule is caused by someone with access or by GitHub.
    let severity: Severity | undefined;
    if (triggers.has('pull_request_target') || triggers.has('workflow_run')) severity = 'high';
    else if (['pull_request', 'issue_comment', 'pull_request_review', 'pull_request_review_comment'].some((t) => triggers.has(t))) severity = 'medium';
    else if (file.action) severity = 'medium';
    else if (triggers.has('workflow_call')) severity = 'low';
    if (!severity) return [];
    const out: Finding[] = [];
    const seen = new Set<Scalar>();
    for (const site of ifSites(file)) {
      if (seen.has(site.node)) continue;
      seen.add(site.node);
      const value = String(site.node.value ?? '');
      const spans = findExpressions(value);
      // A bare condition is one expression; otherwise look inside each `${{ }}`.
      const exprs = spans.length ? spans.map((s) => s.inner) : [value];
      const hits = exprs.flatMap((e) => botComparisons(e));
      if (!hits.length) continue;
      // Point at the actor reference in the source: the n-th occurrence of its text in the raw scalar.
      const r = site.node.range!;
      const raw = y.text.slice(r[0], r[1]);
      const counts = new Map<string, number>();
      for (const h of hits) {
        const written = h.actor;
        const n = counts.get(written) ?? 0;
        counts.set(written, n + 1);
        const re = new RegExp(written.replace(/\./g, '\\s*\\.\\s*').replace(/_/g, '_'), 'gi');
        let m: RegExpExecArray | null = null;
        for (let k = 0; k <= n; k++) m = re.exec(raw);
        const location = m ? rangeLocation(y, r[0] + m.index, r[0] + m.index + m[0].length) : locationOf(y, site.node);
        const context = severity === 'high' ? ' — on a trigger that runs with secrets and a write token' : '';
        out.push(
          finding(meta, {
            message: `The \`if:\` of ${site.what} trusts \`${h.actor}\` being \`${h.bot}\`${context}; the actor is whoever caused the latest event, which someone else can arrange. Check the pull request's author (\`github.event.pull_request.user.login\`) instead`,
            severity,
            location,
          }),
        );
      }
    }
    return out;
  },
};
