import type { Scalar } from 'yaml';
import type { CheckMeta, Finding, Fix, Severity } from '../../model';
import type { Check, SourceFile } from '../types';
import { finding, ifSites } from '../helpers';
import { isScalar, parseYaml, rangeLocation, locationOf } from '../../yaml/parse';
import { findExpressions, parseExpression, type ExprNode } from '../../yaml/expressions';
import { readAction, readWorkflow, triggerNames } from '../../yaml/workflow';
import { classifyContext, outsiderCanSupply } from '../../workflow/taint';
import { applyEdits } from '../../fix/apply';

export const meta: CheckMeta = {
  id: 'unsound-contains',
  title: '`contains()` checks a list, not a substring',
  category: 'workflows',
  severity: 'medium',
  confidence: 'high',
  fixable: true,
  docs: {
    summary:
      "A condition uses `contains('refs/heads/main refs/heads/release', github.ref)` to ask \"is the ref one of these?\". With a string as its first argument, `contains` asks whether the second is a *substring* of it, so a branch named `refs/heads/mai`, `main` or `heads/release` passes too. High when the value is text outsiders choose (a pull request's branch name) under a trigger they can start; low for values from a fixed set (`github.event_name`, `runner.os`).",
    whyItMatters:
      'Conditions like this guard deployments, releases and steps that get secrets. Anyone who can name a branch, and for `github.head_ref` that is anyone who opens a pull request, can pick a name that is part of the list and make the guarded job run. The condition looks right in review, which is why it survives.',
    howToFix:
      "Turn the string into a list: `contains(fromJSON('[\"refs/heads/main\", \"refs/heads/release\"]'), github.ref)` — `contains` on an array compares whole items — or compare directly: `github.ref == 'refs/heads/main' || github.ref == 'refs/heads/release'`.",
    effort: 'minutes',
    fixSafety:
      "Safe: the fix writes the same names as a JSON list, so every value that matched one of them whole still matches (both forms ignore case, as GitHub's `contains` does); only the values that matched part of a name stop matching, which is the hazard. It is offered only when the names are plain (letters, digits, `/ . _ - @ +`) and the edited file reads back with exactly the new condition.",
  },
  references: {
    zizmor: 'unsound-contains',
    other: [{ title: 'GitHub Docs: Expressions — contains', url: 'https://docs.github.com/en/actions/reference/workflows-and-actions/expressions#contains' }],
  },
};

// Contexts whose values come from a fixed set GitHub defines: a substring can still match a wrong
// member (`pull_request` inside `pull_request_target`), but nobody invents a value.
const FIXED_SET = /^(?:github\.event_name|github\.event\.action|github\.ref_type|runner\.(?:os|arch|environment)|job\.status)$/;

interface Call {
  /** Offsets of the whole `contains(…)` in the expression text. */
  start: number;
  end: number;
  items: string[];
  ref: string;
  segments: string[];
}

function collect(node: ExprNode | undefined, out: Call[]): void {
  if (!node) return;
  switch (node.kind) {
    case 'call':
      if (node.name === 'contains' && node.args.length === 2) {
        const [hay, needle] = node.args;
        if (hay.kind === 'literal' && typeof hay.value === 'string' && needle.kind === 'ref') {
          out.push({ start: node.start, end: node.end, items: hay.value.split(/[\s,]+/).filter(Boolean), ref: needle.path, segments: needle.segments });
        }
      }
      for (const a of node.args) collect(a, out);
      return;
    case 'not':
      collect(node.operand, out);
      return;
    case 'binary':
      collect(node.left, out);
      collect(node.right, out);
      return;
    case 'member':
      collect(node.object, out);
      if (typeof node.key !== 'string') collect(node.key, out);
      return;
    default:
      return;
  }
}

/** The `if:` scalars of a parsed file, as (start offset, value) pairs, for reading a fix back. */
function ifValuesAt(path: string, text: string): Map<number, string> {
  const y = parseYaml(path, text);
  const out = new Map<number, string>();
  if (y.errors.length) return out;
  const wf = readWorkflow(y);
  const action = wf ? undefined : readAction(y);
  const add = (n: unknown) => {
    if (isScalar(n) && n.range) out.set(n.range[0], String(n.value ?? ''));
  };
  for (const job of wf?.jobs ?? []) {
    add(job.if?.node);
    for (const s of job.steps) add(s.if?.node);
  }
  for (const s of action?.steps ?? []) add(s.if?.node);
  return out;
}

const PLAIN_ITEM = /^[A-Za-z0-9/._@+*-]+$/;

function fixFor(file: SourceFile, node: Scalar, value: string, exprStart: number, call: Call): Fix | undefined {
  const r = node.range;
  if (!r || !call.items.length || !call.items.every((i) => PLAIN_ITEM.test(i))) return undefined;
  const oldCall = value.slice(exprStart + call.start, exprStart + call.end);
  const newCall = `contains(fromJSON('${JSON.stringify(call.items)}'), ${call.segments.join('.')})`;
  if (!/^[A-Za-z0-9_.-]+$/.test(call.segments.join('.'))) return undefined;
  // Edit the source where the call is written; it must be there exactly once, as in the value.
  // In a quoted scalar the call is written with the quoting's escapes: `''` in '…', `\"` in "…".
  const quote = node.type === 'QUOTE_DOUBLE' ? (t: string) => t.replace(/[\\"]/g, '\\$&') : node.type === 'QUOTE_SINGLE' ? (t: string) => t.replace(/'/g, "''") : (t: string) => t;
  const raw = file.text.slice(r[0], r[1]);
  const writtenOld = quote(oldCall);
  const at = raw.indexOf(writtenOld);
  if (at < 0 || raw.indexOf(writtenOld, at + 1) >= 0) return undefined;
  const edits = [{ file: file.path, start: r[0] + at, end: r[0] + at + writtenOld.length, newText: quote(newCall) }];
  const expected = value.slice(0, exprStart + call.start) + newCall + value.slice(exprStart + call.end);
  if (ifValuesAt(file.path, applyEdits(file.text, edits)).get(r[0]) !== expected) return undefined;
  return { title: `Check the list ${JSON.stringify(call.items)} item by item`, safe: true, edits };
}

export const check: Check = {
  meta,
  fileKinds: ['workflow', 'action'],
  notApplicableReason: 'No workflows or actions',
  checkFile(file) {
    const y = file.yaml;
    if (!y) return [];
    const triggers = file.workflow ? triggerNames(file.workflow) : new Set<string>();
    const out: Finding[] = [];
    const seen = new Set<Scalar>();
    for (const site of ifSites(file)) {
      if (seen.has(site.node)) continue;
      seen.add(site.node);
      const value = typeof site.node.value === 'string' ? site.node.value : '';
      if (!/contains/i.test(value)) continue;
      const spans = findExpressions(value);
      const exprs = spans.length ? spans.map((s) => ({ text: s.inner, start: s.innerStart })) : [{ text: value, start: 0 }];
      for (const e of exprs) {
        const calls: Call[] = [];
        collect(parseExpression(e.text), calls);
        for (const call of calls) {
          const verdict = classifyContext(call.ref, { file: y, workflow: file.workflow }, 0, call.segments);
          let severity: Severity = 'medium';
          let who = 'a value that is part of one of them (a branch named `mai`, for one) passes too';
          if (FIXED_SET.test(call.ref)) {
            severity = 'low';
            who = 'a value that is part of one of them passes too (here only GitHub\'s own names, such as `pull_request` inside `pull_request_target`)';
          } else if (verdict.taint === 'attacker' && outsiderCanSupply(verdict, triggers)) {
            severity = 'high';
            who = `${verdict.what} is chosen by outsiders, who can name it after part of the list`;
          }
          const fix = fixFor(file, site.node, value, e.start, call);
          const r = site.node.range;
          const raw = r ? y.text.slice(r[0], r[1]) : '';
          const callText = value.slice(e.start + call.start, e.start + call.end);
          const written = [raw.indexOf(callText), raw.indexOf(callText.replace(/'/g, "''"))].find((n) => n >= 0);
          const at = written ?? raw.search(/contains\s*\(/i);
          out.push(
            finding(meta, {
              message: `The \`if:\` of ${site.what} asks whether \`${call.segments.join('.')}\` is part of the text '${call.items.join(' ')}', not one of its items: ${who}`,
              severity,
              location: r && at >= 0 ? rangeLocation(y, r[0] + at, r[0] + at + 8) : locationOf(y, site.node),
              fixes: fix ? [fix] : [],
            }),
          );
        }
      }
    }
    return out;
  },
};
