import * as assert from 'node:assert/strict';
import { contextRefs, findExpressions, flowingRefs, isSingleExpression, literalValues, normalizeExpression, parseExpression, tokenize, valueSources } from './expressions';

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
