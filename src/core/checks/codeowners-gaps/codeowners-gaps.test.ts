import * as assert from 'node:assert/strict';
import { check } from './codeowners-gaps';
import { compilePattern, parseCodeowners, ruleFor } from './codeowners';
import { assertFindingsAt, runCheck } from '../../../../test/support/check-tester';

const repo = {
  '.github/workflows/ci.yml': 'on: push\n',
  '.github/workflows/release.yml': 'on: push\n',
  '.github/dependabot.yml': 'version: 2\n',
  'SECURITY.md': 'mail us\n',
  'src/a.ts': '',
};

function owners(text: string, path: string): string[] | undefined {
  return ruleFor(parseCodeowners(text), path)?.owners;
}

describe('CODEOWNERS matching', () => {
  it('follows gitignore-style patterns with GitHub semantics', () => {
    const m = (pattern: string, path: string) => (compilePattern(pattern) as RegExp).test(path);
    assert.ok(m('*', 'a/b/c.txt'));
    assert.ok(m('*.js', 'src/deep/x.js'));
    assert.ok(!m('*.js', 'src/x.ts'));
    assert.ok(m('/docs/', 'docs/a/b.md'));
    assert.ok(!m('/docs/', 'src/docs/a.md'));
    assert.ok(m('apps/', 'x/apps/y.js'), 'a trailing-slash pattern without other slashes matches at any depth');
    assert.ok(m('docs/*', 'docs/getting-started.md'));
    assert.ok(!m('docs/*', 'docs/build-app/troubleshooting.md'), 'docs/* does not reach nested files');
    assert.ok(m('**/logs', 'a/b/logs/x.log'));
    assert.ok(m('/build/logs/', 'build/logs/x/y.log'));
    assert.ok(!m('/build/logs/', 'x/build/logs/y.log'));
    assert.ok(m('.github/workflows', '.github/workflows/ci.yml'), 'a folder name owns its contents');
    assert.ok(m('a/**/b', 'a/b'));
    assert.ok(m('a/**/b', 'a/x/y/b'));
    assert.ok(!m('*.md', 'x.mdx'));
    assert.ok(m('\\#notes', '#notes'));
    assert.equal(compilePattern('!foo'), 'negation (!) is not supported in CODEOWNERS');
  });

  it('lets the last matching rule win; a rule without owners removes ownership', () => {
    const text = '* @all\n/.github/ @infra # CI\n/.github/workflows/release.yml\n';
    assert.deepEqual(owners(text, 'src/x.ts'), ['@all']);
    assert.deepEqual(owners(text, '.github/workflows/ci.yml'), ['@infra']);
    assert.deepEqual(owners(text, '.github/workflows/release.yml'), []);
  });
});

describe('codeowners-gaps', () => {
  it('fails without CODEOWNERS', async () => {
    const { result, findings } = await runCheck(check, repo);
    assert.equal(result.status, 'fail');
    assert.equal(findings[0].message, 'No CODEOWNERS file: changes to workflows and other sensitive files need no particular reviewer');
    assert.equal(findings[0].severity, 'low');
  });

  it('passes when every sensitive file has an owner, in any of the three places', async () => {
    for (const where of ['.github/CODEOWNERS', 'CODEOWNERS', 'docs/CODEOWNERS']) {
      const { result } = await runCheck(check, { ...repo, [where]: '/.github/ @org/infra\n/SECURITY.md @org/sec\n' });
      assert.equal(result.status, 'pass', where);
      assert.equal(result.reason, `${where} gives owners to 4 sensitive files`);
    }
  });

  it('uses the file GitHub uses: .github/ before the root', async () => {
    const { result } = await runCheck(check, { ...repo, '.github/CODEOWNERS': 'src/ @dev\n', CODEOWNERS: '* @all\n' });
    assert.equal(result.status, 'fail');
  });

  it('lists uncovered paths and points at rules that remove ownership', async () => {
    const { result, findings } = await runCheck(check, { ...repo, '.github/CODEOWNERS': '# owners\n.github/workflows/ @ci\n.github/workflows/release.yml\n' });
    assert.equal(result.status, 'fail');
    assertFindingsAt(findings, ['.github/CODEOWNERS:1:1', '.github/CODEOWNERS:3:1']);
    assert.equal(findings[0].message, '.github/CODEOWNERS gives no owner to 2 sensitive files: .github/dependabot.yml, SECURITY.md');
    assert.deepEqual(findings[0].details, ['.github/dependabot.yml', 'SECURITY.md']);
    assert.equal(findings[1].message, ".github/CODEOWNERS line 3: '.github/workflows/release.yml' has no owners, which removes ownership from 1 sensitive file: .github/workflows/release.yml");
  });

  it('reports patterns GitHub ignores', async () => {
    const { findings } = await runCheck(check, { ...repo, CODEOWNERS: '* @all\n  !src/ @x\n' });
    assertFindingsAt(findings, ['CODEOWNERS:2:3']);
    assert.match(findings[0].message, /negation/);
  });
});
