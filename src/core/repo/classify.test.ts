import * as assert from 'node:assert/strict';
import { classifyPath, classifyTests } from './classify';

const { mayHaveKind, classify } = classifyTests;

// classifyPath() answers 'other' for most paths on a pre-test of their folder and first character
// (issue 19): it must pass every path classify() gives a kind, whatever the case or the characters.
describe('classifyPath pre-test', () => {
  const names = [
    'action.yml', 'action.yaml', 'dependabot.yml', 'dependabot.yaml', 'renovate.json', 'renovate.json5', '.renovaterc', '.renovaterc.json', 'SECURITY.md',
    'security.rst', 'security', 'CODEOWNERS', 'LICENSE', 'licence.txt', 'COPYING', 'UNLICENSE', 'license-MIT', 'Dockerfile', 'Dockerfile.dev', 'Containerfile',
    'app.Dockerfile', 'security-insights.yml', 'SECURITY-INSIGHTS.yaml', 'steward.yml', 'steward.yaml', 'zizmor.yml', 'zizmor.yaml', 'ci.yml', 'index.js', 'README.md', 'x',
  ];
  const folders = ['', '.github/', '.GitHub/', '.gitlab/', '.GITLAB/', 'docs/', 'Docs/', 'DOCS/', '.github/workflows/', '.GITHUB/workflows/', 'sub/', 'a/b/', 'docs/x/', '.github/x/', 'xdocs/', '.githubx/', 'doc/', '\u212adocs/', 'd\u0130cs/'];
  const variants = (n: string): string[] => [n, n.toUpperCase(), n.toLowerCase(), n.replace(/k/gi, '\u212a'), n.replace(/i/gi, '\u0130'), `\u212a${n}`, n.slice(0, -1)];
  const paths = folders.flatMap((f) => names.flatMap(variants).map((n) => f + n));

  it('passes every path classify() gives a kind', () => {
    let kinds = 0;
    for (const p of paths) {
      if (classify(p) === 'other') continue;
      kinds++;
      assert.ok(mayHaveKind(p), p);
      assert.equal(classifyPath(p), classify(p), p);
    }
    assert.ok(kinds > 200, `${kinds}`);
  });

  it('and random paths over the characters that matter', () => {
    const parts = ['a', 'A', 'c', 'd', 'D', '.', '/', 'github', 'GitHub', 'gitlab', 'docs', 'DOCS', 'workflows/', '\u212a', '\u0130', 's', 'l', 'action.yml', 'dockerfile', '.Dockerfile', 'codeowners', 'security.md', 'license'];
    let seed = 11;
    const rnd = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) % n);
    for (let k = 0; k < 20000; k++) {
      const p = Array.from({ length: 1 + rnd(5) }, () => parts[rnd(parts.length)]).join('');
      if (!mayHaveKind(p)) assert.equal(classify(p), 'other', p);
    }
  });

  it('skips ordinary paths in other folders', () => {
    for (const p of ['lib/index.js', 'src/security.md', 'test/LICENSE', 'sub/renovate.json', 'lib/zizmor.yml', 'docs/x/SECURITY.md', '.GITHUB/workflows/test.yml', 'sub/.github/steward.yml']) {
      assert.equal(mayHaveKind(p), false, p);
      assert.equal(classifyPath(p), 'other', p);
    }
  });
});
