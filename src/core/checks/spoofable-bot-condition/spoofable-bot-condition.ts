import type { Scalar } from 'yaml';
import type { CheckMeta, Finding, Severity } from '../../model';
import type { Check } from '../types';
import { finding, ifSites } from '../helpers';
import { rangeLocation, locationOf } from '../../yaml/parse';
import { contextRefs, findExpressions, tokenize, type Token } from '../../yaml/expressions';
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
      'An `if:` trusts a run because `github.actor` (or `github.triggering_actor`, `github.event.sender.login`, in any spelling such as `github[\'actor\']`) is a bot such as `dependabot[bot]` or `renovate[bot]`, or because `github.actor_id` is a bot\'s numeric id (Dependabot 49699333, github-actions 41898282, Renovate 29139614) — for example to auto-merge or to skip checks.',
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

const SPOOFABLE = new Set(['github.actor', 'github.triggering_actor', 'github.event.sender.login', 'github.actor_id', 'github.event.sender.id']);
const ACTOR_WORDS = /actor|sender/i;
const BOT = /\[bot\]$|^(dependabot|renovate|renovate-bot|github-actions|dependabot-preview|pre-commit-ci|mergify|allcontributors)$/i;
// Numeric user ids of the bots, compared with `github.actor_id`: the number before `+` in each bot's
// noreply address (49699333+dependabot[bot]@users.noreply.github.com, 41898282+github-actions[bot]@…,
// 29139614+renovate[bot]@…), as seen in the commits these bots author.
const BOT_IDS: Readonly<Record<string, string>> = { '49699333': 'dependabot[bot]', '41898282': 'github-actions[bot]', '29139614': 'renovate[bot]' };

/** The bot a literal token names: a bot login, or a bot's numeric id (as a number or a string). */
function botOf(t: Token | undefined, byId: boolean): string | undefined {
  if (!t) return undefined;
  if (byId) {
    const text = t.kind === 'number' ? t.text : t.kind === 'string' ? (t.value ?? '').trim() : '';
    return BOT_IDS[text] ? `${BOT_IDS[text]} (id ${text})` : undefined;
  }
  return t.kind === 'string' && BOT.test(t.value ?? '') ? t.value : undefined;
}

/**
 * Offsets (in `expr`) of spoofable actor references compared for equality with a bot, in any
 * spelling GitHub accepts: `github.actor`, `github['actor']`, `GitHub.Actor`, `github.actor_id == 49699333`.
 */
function botComparisons(expr: string): { start: number; end: number; actor: string; bot: string }[] {
  const out: { start: number; end: number; actor: string; bot: string }[] = [];
  // Every SPOOFABLE path has `actor` or `sender` in it, written in the expression in some ASCII case
  // (an identifier or a string index; no other letters lower-case to these): most conditions have
  // neither, and skip the two tokenizations and the token maps.
  if (!ACTOR_WORDS.test(expr)) return out;
  const toks = tokenize(expr);
  const byStart = new Map(toks.map((t, i) => [t.start, i]));
  const byEnd = new Map(toks.map((t, i) => [t.end, i]));
  for (const ref of contextRefs(expr)) {
    if (!SPOOFABLE.has(ref.path)) continue;
    const first = byStart.get(ref.start);
    const last = byEnd.get(ref.end);
    if (first === undefined || last === undefined) continue;
    const byId = ref.path.endsWith('_id') || ref.path.endsWith('.id');
    const before = toks[first - 1];
    const after = toks[last + 1];
    let bot: string | undefined;
    if (after?.text === '==') bot = botOf(toks[last + 2], byId);
    if (!bot && before?.text === '==') bot = botOf(toks[first - 2], byId);
    if (!bot && ref.inCall && ['contains', 'startswith', 'endswith'].includes(ref.inCall)) {
      // contains(fromJSON('["dependabot[bot]", …]'), github.actor), startsWith(github.actor, 'dependabot')
      // The call the reference is an argument of: the nearest unclosed '(' to its left.
      let open = -1;
      for (let k = first - 1, depth = 0; k >= 0; k--) {
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
      if (byId) {
        for (const t of args) {
          const inList = t.kind === 'string' ? Object.keys(BOT_IDS).find((id) => new RegExp(`(?:^|\\D)${id}(?:\\D|$)`).test(t.value ?? '')) : undefined;
          bot = botOf(t, true) ?? (inList ? `${BOT_IDS[inList]} (id ${inList})` : undefined);
          if (bot) break;
        }
      } else {
        const s = args.find((t) => t.kind === 'string' && /\[bot\]|dependabot|renovate/i.test(t.value ?? ''));
        if (s) bot = s.value;
      }
    }
    if (bot !== undefined) out.push({ start: ref.start, end: ref.end, actor: expr.slice(ref.start, ref.end).replace(/\s+/g, ''), bot });
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
        // The reference as written, allowing the spaces GitHub allows around `.` and `[ ]`.
        const re = new RegExp(written.split(/(?=[.[\]])|(?<=[.[\]])/).map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('\\s*'), 'gi');
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
