import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { contextRefs, findExpressions, flowingRefs, isSingleExpression, literalValues, normalizeExpression, parseExpression, tokenize, valueSources, type Token } from './expressions';

describe('expressions', () => {
  it('finds ${{ }} spans, not fooled by }} inside string literals or escaped quotes', () => {
    const text = "a ${{ format('{0}}}', x) }} b ${{ 'it''s }}' }} c ${{ unterminated";
    const spans = findExpressions(text);
    assert.deepEqual(spans.map((s) => text.slice(s.start, s.end)), ["${{ format('{0}}}', x) }}", "${{ 'it''s }}' }}"]);
    assert.equal(spans[0].inner, " format('{0}}}', x) ");
    assert.equal(spans[0].innerStart, 5);
  });

  it('tokenizes operators, strings with escapes, numbers and dashed identifiers', () => {
    const t = tokenize("steps.my-step.outputs.a-b != 'x''y' && -1.5 >= 0x1F || !true");
    assert.deepEqual(
      t.map((x) => `${x.kind}:${x.text}`),
      ['ident:steps', 'punct:.', 'ident:my-step', 'punct:.', 'ident:outputs', 'punct:.', 'ident:a-b', 'op:!=', "string:'x''y'", 'op:&&', 'number:-1.5', 'op:>=', 'number:0x1F', 'op:||', 'op:!', 'ident:true'],
    );
    assert.equal(t[8].value, "x'y");
  });

  it('reads context references with index syntax, wildcards, calls and comparisons', () => {
    const refs = contextRefs("toJSON(github.event['pull_request'].title) || github.event.commits[0].message == 'x' || contains(github.event.issue.labels.*.name, 'bug') || secrets[format('A_{0}', matrix.env)]");
    assert.deepEqual(
      refs.map((r) => [r.path, r.inCall ?? '', !!r.compared]),
      [
        ['github.event.pull_request.title', 'tojson', false],
        ['github.event.commits.*.message', '', true],
        ['github.event.issue.labels.*.name', 'contains', false],
        ['secrets.*', '', false],
        ['matrix.env', 'format', false],
      ],
    );
    assert.deepEqual(refs[0].segments, ['github', 'event', 'pull_request', 'title']);
  });

  it('normalises whitespace and recognises a lone expression', () => {
    assert.equal(normalizeExpression('\n  github.event\n   .issue.title  '), 'github.event .issue.title');
    assert.equal(isSingleExpression('${{ a }}'), true);
    assert.equal(isSingleExpression('${{ a }}\n'), false);
    assert.equal(isSingleExpression('${{ a }} && ${{ b }}'), false);
  });
});

describe('expression parser', () => {
  it('finds what can reach the value: both sides of ||, the right of &&, format/join arguments, not comparisons', () => {
    const srcs = (e: string) => valueSources(parseExpression(e)!).map((s) => (s.kind === 'ref' ? s.path : JSON.stringify(s.value)));
    assert.deepEqual(srcs("!github.event.pull_request && format('--tag={0}', github.ref_name) || ''"), ['"--tag={0}"', 'github.ref_name', '""']);
    assert.deepEqual(srcs("contains(github.event.issue.title, 'x') || github.event.issue.number == 1"), []);
    assert.deepEqual(srcs('fromJSON(steps.a.outputs.b).cpp'), ['steps.a.outputs.b']);
    assert.deepEqual(flowingRefs("secrets[format('A_{0}', matrix.env)]").map((r) => r.path), ['secrets.*']);
    assert.deepEqual(literalValues(parseExpression("inputs.locked && '--no-sync' || ''")!), ['--no-sync', '']);
    assert.equal(parseExpression('a.b ||'), undefined);
  });
});

describe('tokenize', () => {
  // The tokenizer as it was before its regexes were made sticky (no copy of the rest per token): the same tokens.
  function tokenizeBefore(expr: string): Token[] {
    const out: Token[] = [];
    let i = 0;
    while (i < expr.length) {
      const c = expr[i];
      if (/\s/.test(c)) {
        i++;
        continue;
      }
      if (c === "'") {
        let j = i + 1;
        let value = '';
        while (j < expr.length) {
          if (expr[j] === "'" && expr[j + 1] === "'") {
            value += "'";
            j += 2;
          } else if (expr[j] === "'") break;
          else value += expr[j++];
        }
        out.push({ kind: 'string', text: expr.slice(i, j + 1), start: i, end: Math.min(j + 1, expr.length), value });
        i = j + 1;
        continue;
      }
      if (/[A-Za-z_]/.test(c)) {
        const m = /^[A-Za-z_][A-Za-z0-9_-]*/.exec(expr.slice(i))!;
        out.push({ kind: 'ident', text: m[0], start: i, end: i + m[0].length });
        i += m[0].length;
        continue;
      }
      if (/[0-9]/.test(c) || (c === '-' && /[0-9]/.test(expr[i + 1] ?? ''))) {
        const m = /^-?(0x[0-9a-fA-F]+|[0-9]*\.?[0-9]+(e[+-]?[0-9]+)?)/.exec(expr.slice(i))!;
        out.push({ kind: 'number', text: m[0], start: i, end: i + m[0].length });
        i += m[0].length;
        continue;
      }
      const op = ['==', '!=', '<=', '>=', '&&', '||', '<', '>', '!'].find((o) => expr.startsWith(o, i));
      if (op) {
        out.push({ kind: 'op', text: op, start: i, end: i + op.length });
        i += op.length;
        continue;
      }
      out.push({ kind: 'punct', text: c, start: i, end: i + 1 });
      i++;
    }
    return out;
  }

  it('gives the tokens it always gave', () => {
    const piece = fc.constantFrom('github.event.issue.title', 'a-b_c', ' ', "'it''s'", "'open", '0x1F', '-3', '1.5e+3', '.5', '-x', '==', '!=', '<=', '>=', '&&', '||', '<', '>', '!', '(', ')', '[', ']', '*', ',', '.', 'é', '\t', 'x1', '9a');
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 12 }), fc.string({ maxLength: 8 }), (ps, tail) => {
        const expr = ps.join('') + tail;
        assert.deepEqual(tokenize(expr), tokenizeBefore(expr));
      }),
      { numRuns: 2000, seed: 20261204 },
    );
  });
});
