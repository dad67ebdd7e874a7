import * as assert from 'node:assert/strict';
import { actionName, parseUses } from './uses';

describe('parseUses: uses paths as GitHub resolves them', () => {
  it('reads empty and `.` segments as the plain form and says the value is obfuscated', () => {
    const cases: [string, string, string | undefined][] = [
      ['actions/checkout@v4', 'actions/checkout@v4', undefined],
      ['actions/checkout/@v4', 'actions/checkout@v4', 'empty path segments (`//` or a trailing `/`)'],
      ['actions//checkout@v4', 'actions/checkout@v4', 'empty path segments (`//` or a trailing `/`)'],
      ['github/codeql-action/./init@v3', 'github/codeql-action/init@v3', '`.` path segments'],
      ['github/codeql-action//upload-sarif/@v3', 'github/codeql-action/upload-sarif@v3', 'empty path segments (`//` or a trailing `/`)'],
    ];
    for (const [raw, canonical, obfuscated] of cases) {
      const u = parseUses(raw);
      assert.equal(u.kind, 'repo', raw);
      if (u.kind !== 'repo') continue;
      assert.equal(u.canonical, canonical, raw);
      assert.equal(u.obfuscated, obfuscated, raw);
    }
    assert.equal(actionName('Actions//Checkout/@v4'), 'actions/checkout');
    assert.equal(actionName('./local'), undefined);
  });

  it('local paths: `.//x`, `./././x`, trailing slash; `..` and a bare `.` owner stay what they were', () => {
    const local = parseUses('./.github//actions/build/');
    assert.deepEqual(local.kind === 'local' && [local.path, local.obfuscated], ['./.github/actions/build', 'empty or `.` path segments']);
    const plain = parseUses('./.github/actions/build');
    assert.deepEqual(plain.kind === 'local' && [plain.path, plain.obfuscated], ['./.github/actions/build', undefined]);
    assert.equal(parseUses('./././x').kind === 'local' && (parseUses('./././x') as { path: string }).path, './x');
    const trailing = parseUses('./actions/post/');
    assert.deepEqual(trailing.kind === 'local' && [trailing.path, trailing.obfuscated], ['./actions/post', undefined]);
    assert.equal(parseUses('./@v1').kind, 'local');
    assert.equal(parseUses('./owner/../repo@v1').kind, 'local');
    assert.equal(parseUses('actions/../checkout@v4').kind, 'invalid');
    assert.equal(parseUses('./checkout@v4').kind, 'local');
    assert.equal(parseUses('/actions/checkout@v4').kind, 'invalid'); // a leading slash is not known to resolve: left invalid
  });
});
