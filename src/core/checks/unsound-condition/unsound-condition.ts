import type { Scalar } from 'yaml';
import type { CheckMeta, Finding, Fix } from '../../model';
import type { Check, SourceFile } from '../types';
import { finding, ifSites, oncePerNode } from '../helpers';
import { parseYaml, rangeLocation } from '../../yaml/parse';
import { findExpressions, tokenize } from '../../yaml/expressions';
import { applyEdits } from '../../fix/apply';

export const meta: CheckMeta = {
  id: 'unsound-condition',
  title: '`if:` conditions really decide',
  category: 'workflows',
  severity: 'high',
  confidence: 'high',
  fixable: true,
  docs: {
    summary:
      'An `if:` condition mixes `${{ … }}` with other text — typically a `|` or `>` block that adds a line break after the expression, or `${{ a }} && ${{ b }}` — so GitHub sees a non-empty string, which always counts as true.',
    whyItMatters:
      'When `if:` holds anything besides one expression, GitHub fills in the expressions and then judges the resulting text, and any non-empty text is true. The condition silently never stops the job or step: a deploy meant for `main` runs for every branch, a check meant to skip forks runs for forks. Nothing in the logs says so.',
    howToFix:
      'Write the condition as one expression on one line: `if: ${{ github.ref == \'refs/heads/main\' && github.event_name == \'push\' }}`, or without the braces at all (`if: github.ref == \'refs/heads/main\'`). For a long condition, use `|-` (strip the final line break) or put the whole condition inside one `${{ }}`.',
    effort: 'minutes',
    fixSafety:
      'Review: the fix makes the condition work as written, so a job or step that has been running every time will start being skipped when the condition is false — which is the intent, but check the condition says what you mean.',
  },
  references: { zizmor: 'unsound-condition' },
};

/** Collapses whitespace outside string literals; undefined when a string literal spans lines. */
function oneLine(expr: string): string | undefined {
  let out = '';
  let i = 0;
  while (i < expr.length) {
    const c = expr[i];
    if (c === "'") {
      let j = i + 1;
      while (j < expr.length && !(expr[j] === "'" && expr[j + 1] !== "'")) j += expr[j] === "'" ? 2 : 1;
      const lit = expr.slice(i, j + 1);
      if (/[\r\n]/.test(lit)) return undefined;
      out += lit;
      i = j + 1;
    } else if (/\s/.test(c)) {
      while (i < expr.length && /\s/.test(expr[i])) i++;
      out += ' ';
    } else {
      out += c;
      i++;
    }
  }
  return out.trim();
}

/** The single expression the text means, when it can be said without guessing. */
function intended(value: string): string | undefined {
  const spans = findExpressions(value);
  if (!spans.length) return undefined;
  let rest = value;
  for (const s of [...spans].reverse()) rest = rest.slice(0, s.start) + rest.slice(s.end);
  if (spans.length === 1) return rest.trim() === '' ? oneLine(spans[0].inner) : undefined;
  // `${{ a }} && ${{ b }}`: only operators and parentheses between the pieces.
  if (!/^[\s()!&|]*$/.test(rest)) return undefined;
  // Every gap between two expressions must hold an operator, or the pieces would run together.
  for (let i = 1; i < spans.length; i++) if (!/&&|\|\|/.test(value.slice(spans[i - 1].end, spans[i].start))) return undefined;
  let joined = '';
  let pos = 0;
  for (const s of spans) {
    joined += value.slice(pos, s.start);
    const inner = s.inner.trim();
    const compound = tokenize(inner).some((t) => t.kind === 'op' && (t.text === '&&' || t.text === '||'));
    joined += compound ? `(${inner})` : inner;
    pos = s.end;
  }
  joined += value.slice(pos);
  return oneLine(joined);
}

function fixFor(file: SourceFile, node: Scalar): Fix | undefined {
  const r = node.range;
  if (!r) return undefined;
  const value = String(node.value ?? '');
  const expr = intended(value);
  if (!expr) return undefined;
  const text = file.text;
  let end = r[1];
  let comment = '';
  if (node.type === 'BLOCK_LITERAL' || node.type === 'BLOCK_FOLDED') {
    while (end > r[0] && /\s/.test(text[end - 1])) end--;
    const header = text.slice(r[0], text.indexOf('\n', r[0]) === -1 ? end : text.indexOf('\n', r[0]));
    const m = /\s(#.*)$/.exec(header);
    if (m) comment = ` ${m[1].trimEnd()}`;
  }
  const replacement = `\${{ ${expr} }}${comment}`;
  const edits = [{ file: file.path, start: r[0], end, newText: replacement }];
  // The new plain scalar must read back as exactly that expression (flow context, odd characters).
  const after = parseYaml(file.path, applyEdits(text, edits));
  if (after.errors.length) return undefined;
  return { title: 'Write the condition as a single expression', safe: false, caveat: 'The condition starts taking effect: the job or step will now be skipped whenever it is false.', edits };
}

export const check: Check = {
  meta,
  fileKinds: ['workflow', 'action'],
  notApplicableReason: 'No workflows or actions',
  checkFile(file) {
    const y = file.yaml;
    if (!y) return [];
    const out: Finding[] = [];
    for (const site of oncePerNode(ifSites(file))) {
      const value = typeof site.node.value === 'string' ? site.node.value : '';
      const spans = findExpressions(value);
      if (!spans.length) continue;
      if (spans.length === 1 && spans[0].start === 0 && spans[0].end === value.length) continue;
      const r = site.node.range!;
      const block = site.node.type === 'BLOCK_LITERAL' || site.node.type === 'BLOCK_FOLDED';
      const why = block && value.trim().length !== value.length && spans.length === 1
        ? `the \`${y.text[r[0]]}\` block keeps a line break after \`\${{ … }}\``
        : 'text outside `${{ … }}` makes it a string';
      const fix = fixFor(file, site.node);
      out.push(
        finding(meta, {
          message: `The \`if:\` of ${site.what} is always true: ${why}, and any non-empty string counts as true`,
          location: rangeLocation(y, r[0], r[0] + 1),
          fixes: fix ? [fix] : [],
        }),
      );
    }
    return out;
  },
};
