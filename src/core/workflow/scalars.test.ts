import * as assert from 'node:assert/strict';
import { parseYaml } from '../yaml/parse';
import { expressionScalars, expressionScalarsNear } from './scalars';

const WORD = /secrets/i;
const values = (text: string, near: boolean) => {
  const f = parseYaml('w.yml', text);
  const list = near ? expressionScalarsNear(f, /secrets/gi) : expressionScalars(f);
  return list.filter((s) => WORD.test(s.value as string)).map((s) => `${s.range?.[0]}:${s.value}`);
};

describe('expressionScalarsNear (the walk only where the word can be)', () => {
  it('finds every expression scalar whose value says the word, however the source spells it', () => {
    const text = [
      'on: push',
      'env:',
      '  A: ${{ secrets.A }}',
      '  B: "${{ \\x73ecrets.B }}"',
      '  C: "${{ sec\\',
      '    rets.C }}"',
      '  D: >-',
      '    ${{ toJSON(SECRETS) }}',
      '  E: { e: "${{ Secrets[\'x\'] }}", f: [ "${{ github.sha }}", \'${{ secrets.F }}\' ] }',
      '  "${{ secrets.KEY }}": x',
      '  G: ${{ github.sha }} secrets',
      'jobs:',
      '  a:',
      '    steps:',
      '      - run: |',
      '          echo ${{ secrets.RUN }} \\',
      '            more',
      '      - run: echo ${{ github.sha }}',
      '      - &s {run: "${{ secrets.S }}"}',
      '      - *s',
      '---',
      'x: ${{ secrets.DOC2 }}',
      '',
    ].join('\n');
    const want = values(text, false);
    assert.equal(want.length, 11, want.join('\n'));
    assert.deepEqual(values(text, true), want);
    assert.deepEqual(values('a: ${{ github.sha }}\n', true), []);
  });
});
