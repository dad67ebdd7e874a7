import * as assert from 'node:assert/strict';
import { pathKinds, usesSites } from './helpers';
import { classifyPath } from '../repo/classify';
import { loadSourceFile } from '../repo/load';
import { imitatedAction } from '../workflow/popular-actions';
import { secretsReadIn } from '../workflow/secrets';
import { parseUses } from '../yaml/uses';

// Work several checks share is done once (issue 19); the answers must be what each check computed alone.
describe('work shared between checks', () => {
  it('pathKinds is classifyPath of every path, in order, and is kept for the same list', () => {
    const paths = ['.github/workflows/ci.yml', 'LICENSE', 'src/a.ts', 'SECURITY.md', '.github/dependabot.yml', 'action.yml', 'Dockerfile'];
    const kinds = pathKinds(paths);
    assert.deepEqual(kinds, paths.map((p) => classifyPath(p)));
    assert.equal(pathKinds(paths), kinds);
    assert.notEqual(pathKinds([...paths]), kinds);
  });

  it('classifyPath tells kinds by name whatever the case of the first letter (its pre-test reads character codes)', () => {
    const cases: [string, string][] = [
      ['.github/workflows/ci.yml', 'workflow'], ['Action.yml', 'action'], ['sub/action.yaml', 'action'], ['SECURITY.md', 'security-policy'],
      ['security.md', 'security-policy'], ['Security.rst', 'security-policy'], ['CODEOWNERS', 'codeowners'], ['LICENSE', 'license'], ['licence.txt', 'license'],
      ['COPYING', 'license'], ['UNLICENSE', 'license'], ['Dockerfile', 'dockerfile'], ['api/Containerfile', 'dockerfile'], ['deploy/app.Dockerfile', 'dockerfile'],
      ['Renovate.json', 'renovate'], ['renovate.json', 'renovate'], ['.renovaterc', 'renovate'], ['Zizmor.yml', 'zizmor-config'], ['SECURITY-INSIGHTS.yml', 'security-insights'],
      ['src/index.ts', 'other'], ['README.md', 'other'], ['dir/', 'other'], ['\u212aodeowners', 'other'], ['\u0130ndex', 'other'],
    ];
    for (const [p, kind] of cases) assert.equal(classifyPath(p), kind, p);
  });

  it('usesSites is worked out once per file', () => {
    const text = 'on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - uses: ./local\n  b:\n    uses: o/r/.github/workflows/x.yml@v1\n';
    const f = loadSourceFile('.github/workflows/ci.yml', new TextEncoder().encode(text));
    const sites = usesSites(f);
    assert.deepEqual(sites.map((s) => `${s.level}:${s.value}`), ['step:actions/checkout@v4', 'step:./local', 'job:o/r/.github/workflows/x.yml@v1']);
    assert.equal(usesSites(f), sites);
  });

  it('parseUses and imitatedAction give the same answer every time', () => {
    assert.equal(parseUses('actions/checkout@v4'), parseUses('actions/checkout@v4'));
    assert.deepEqual(parseUses(' actions//checkout@v4'), { kind: 'repo', owner: 'actions', repo: 'checkout', path: undefined, ref: 'v4', pinned: false, reusable: false, raw: ' actions//checkout@v4', canonical: 'actions/checkout@v4', obfuscated: 'empty path segments (`//` or a trailing `/`)' });
    assert.equal(imitatedAction('actons/checkout'), 'actions/checkout');
    assert.equal(imitatedAction('actons/checkout'), 'actions/checkout');
    assert.equal(imitatedAction('actions/checkout'), undefined);
  });

  it('a job inheriting every secret is still seen with the inherit pre-test', () => {
    assert.equal(secretsReadIn('uses: o/r/.github/workflows/x.yml@v1\n    secrets: inherit\n').all, true);
    assert.equal(secretsReadIn('run: echo inherit\n').all, false);
  });
});
