import * as assert from 'node:assert/strict';
import { jsStateAt, posixStateAt, pwshStateAt } from './shell-context';
import { addMapEntries, removeMapEntry, yamlScalar } from './edit';
import { classifyContext } from './taint';
import { getPair, parseYaml, rootMap, type YAMLMap } from '../yaml/parse';
import { readWorkflow } from '../yaml/workflow';
import { parseUses } from '../yaml/uses';
import { applyEdits } from '../fix/apply';

const at = (s: string) => s.indexOf('@');

describe('workflow helpers', () => {
  it('knows the shell quoting state at an offset', () => {
    assert.equal(posixStateAt('echo @', at('echo @')), 'plain');
    assert.equal(posixStateAt('echo "a @"', at('echo "a @"')), 'double');
    assert.equal(posixStateAt("echo 'a @'", at("echo 'a @'")), 'single');
    assert.equal(posixStateAt('echo "a \\" @"', at('echo "a \\" @"')), 'double');
    assert.equal(posixStateAt('echo x # c @', at('echo x # c @')), 'comment');
    assert.equal(posixStateAt('echo a#b @', at('echo a#b @')), 'plain');
    assert.equal(posixStateAt('cat <<EOF > f\n"@\nEOF\necho @', 15), 'heredoc');
    assert.equal(posixStateAt("cat <<'EOF'\n@\nEOF\n", 12), 'heredoc-quoted');
    assert.equal(posixStateAt('cat <<-EOF\n\tx\n\tEOF\necho "@"', 'cat <<-EOF\n\tx\n\tEOF\necho "'.length), 'double');
    assert.equal(pwshStateAt("Write-Host 'it''s @'", at("Write-Host 'it''s @'")), 'single');
    assert.equal(pwshStateAt('Write-Host "`"@"', at('Write-Host "`"@"')), 'double');
    assert.equal(jsStateAt('const a = `x ${y} @`', at('const a = `x ${y} @`')), 'template');
    assert.equal(jsStateAt("// it's\nfoo(@)", at("// it's\nfoo(@)")), 'code');
    assert.equal(jsStateAt('/* "x */ "@"', at('/* "x */ "@"')), 'double');
  });

  it('adds entries to block and flow mappings and creates the key with the file\'s indentation', () => {
    const text = 'steps:\n    -   uses: a/b@v1\n        with:\n            x: 1\n    -   run: echo\n';
    const f = parseYaml('w.yml', text);
    const steps = getPair(rootMap(f), 'steps')!.value as { items: YAMLMap[] };
    const e1 = addMapEntries(f, steps.items[0], 'with', [{ key: 'y', value: 'a: b' }])!;
    const e2 = addMapEntries(f, steps.items[1], 'env', [{ key: 'Z', value: '${{ x }}' }])!;
    assert.equal(applyEdits(text, [...e1, ...e2]), "steps:\n    -   uses: a/b@v1\n        with:\n            x: 1\n            y: 'a: b'\n    -   run: echo\n        env:\n            Z: ${{ x }}\n");
    assert.equal(yamlScalar('${{ a }}', true), "'${{ a }}'");
    assert.equal(yamlScalar("it's: x"), "'it''s: x'");
  });

  it('creates `with:` with the indentation the file uses elsewhere (four spaces, as prettier keeps eslint\'s workflows)', () => {
    const text = 'jobs:\n    a:\n        runs-on: ubuntu-latest\n        steps:\n            - uses: actions/checkout@v7\n            - uses: actions/setup-go@v7\n              with:\n                  go-version: "stable"\n';
    const f = parseYaml('w.yml', text);
    const wf = readWorkflow(f)!;
    const edits = addMapEntries(f, wf.jobs[0].steps[0].node, 'with', [{ key: 'persist-credentials', value: 'false', literal: true }])!;
    assert.equal(
      applyEdits(text, edits),
      'jobs:\n    a:\n        runs-on: ubuntu-latest\n        steps:\n            - uses: actions/checkout@v7\n              with:\n                  persist-credentials: false\n            - uses: actions/setup-go@v7\n              with:\n                  go-version: "stable"\n',
    );
  });

  it('removes a mapping entry with its comment, or the whole key when it was the last', () => {
    const text = 'env:\n  A: 1 # a\n  B: 2\nother: {C: 3}\n';
    const f = parseYaml('w.yml', text);
    const root = rootMap(f)!;
    const env = getPair(root, 'env')!;
    const map = env.value as YAMLMap;
    assert.equal(applyEdits(text, removeMapEntry(f, env, map, getPair(map, 'A')!)!), 'env:\n  B: 2\nother: {C: 3}\n');
    const other = getPair(root, 'other')!;
    assert.equal(applyEdits(text, removeMapEntry(f, other, other.value as YAMLMap, getPair(other.value, 'C')!)!), 'env:\n  A: 1 # a\n  B: 2\n');
  });

  it('classifies contexts: attacker text, inputs, env indirection, safe ids', () => {
    const f = parseYaml('w.yml', 'on: issues\nenv:\n  T: ${{ github.event.issue.title }}\n  S: fixed\njobs: {}\n');
    const wf = readWorkflow(f)!;
    const scope = { file: f, workflow: wf };
    assert.equal(classifyContext('github.event.issue.title', scope).taint, 'attacker');
    assert.equal(classifyContext('github.event.issue.number', scope).taint, 'safe');
    assert.equal(classifyContext('github.event.pull_request', scope).taint, 'attacker'); // an object that includes the title
    assert.equal(classifyContext('github.event.pull_request.head.repo.owner.login', scope).taint, 'safe');
    assert.equal(classifyContext('github.event.commits.*.author.email', scope).taint, 'attacker');
    assert.equal(classifyContext('env.t', scope).taint, 'attacker');
    assert.equal(classifyContext('env.s', scope).taint, 'safe');
    assert.equal(classifyContext('env.unknown', scope).taint, 'unknown');
    assert.equal(classifyContext('inputs.x', scope).taint, 'input');
    assert.equal(classifyContext('secrets.token', scope).taint, 'safe');
  });
});

describe('step walker and self-repository uses', () => {
  it('walks steps inside parallel: groups (nested too) in order, and marks background steps', () => {
    const wf = readWorkflow(parseYaml('w.yml', 'on: push\njobs:\n  a:\n    steps:\n      - run: one\n      - parallel:\n          - run: two\n          - parallel:\n              - run: three\n      - run: four\n        background: true\n'))!;
    assert.deepEqual(wf.jobs[0].steps.map((s) => [s.index, s.run?.value, !!s.group, !!s.background]), [
      [0, 'one', false, false],
      [1, 'two', true, false],
      [2, 'three', true, false],
      [3, 'four', false, true],
    ]);
    assert.deepEqual(parseUses('$/.github/actions/x'), { kind: 'local', path: './.github/actions/x', raw: '$/.github/actions/x', self: true });
    assert.deepEqual(parseUses('$/./actions/x'), { kind: 'local', path: './actions/x', raw: '$/./actions/x', self: true });
  });
});
