import * as assert from 'node:assert/strict';
import { detectEcosystems, ecosystemNameTests, packageJsonWorkspaces } from './ecosystems';

const { mayMatter, mayBeManifest } = ecosystemNameTests;

// detectEcosystems() skips most paths on their last two characters and first one (issue 19): the
// pre-test must pass every path its loop does anything with, whatever the case or the characters.
describe('ecosystem detection pre-test', () => {
  const names = [
    '.pre-commit-config.yaml', '.pre-commit-config.yml', 'package.json', 'pyproject.toml', 'setup.py', 'Pipfile', 'Pipfile.lock', 'poetry.lock', 'uv.lock',
    'Cargo.toml', 'go.mod', 'Gemfile', 'gems.rb', 'pom.xml', 'composer.json', 'packages.config', 'Directory.Packages.props', '.devcontainer.json',
    'devcontainer.json', '.gitmodules', 'Chart.yaml', 'pubspec.yaml', 'mix.exs', 'Package.swift', 'elm.json', 'requirements.txt', 'requirements-dev.in',
    'dev.txt', 'app.csproj', 'lib.fsproj', 'x.vbproj', 'foo.gemspec', 'api.Dockerfile', 'Dockerfile', 'Dockerfile.alpine', 'Containerfile', 'main.tf',
    'infra.tofu', 'build.gradle', 'build.gradle.kts', 'settings.gradle.kts', 'docker-compose.yml', 'compose.yaml', 'compose.prod.yml', 'action.yml',
    'action.yaml', 'index.js', 'a', 'r', 'README.md', 'src.ts', 'x.', '.', 'ci.yml',
  ];
  // Case variants, and characters beyond ASCII whose lower case is an ASCII letter (Kelvin sign: k)
  // or two characters (capital I with a dot).
  const variants = (n: string): string[] => [n, n.toUpperCase(), n.toLowerCase(), n.replace(/k/gi, '\u212a'), n.replace(/i/gi, '\u0130'), `${n}\u212a`, `\u212a${n}`, n.slice(0, -1)];
  const paths = names.flatMap(variants).flatMap((n) => [n, `sub/${n}`, `a/b/${n}`, `.github/workflows/${n}`, `.devcontainer/${n}`, `requirements/${n}`]);

  it('passes every path the detection loop looks at', () => {
    let used = 0;
    for (const p of paths) {
      const i = p.lastIndexOf('/') + 1;
      const lower = p.slice(i).toLowerCase();
      const matters = p.startsWith('.github/workflows/') || lower === 'action.yml' || lower === 'action.yaml' || mayBeManifest(lower);
      if (matters) used++;
      if (matters) assert.ok(mayMatter(p, i), p);
    }
    assert.ok(used > 300, `${used}`);
    // ...and skips ordinary source files.
    for (const p of ['src/index.js', 'lib/x.ts', 'docs/NOTES.md', 'docs/a.png', 'test/fixtures/t.png', 'lib/command.js', 'lib/shared.go', 'src/common.rs', 'src/do.c', 'docs/setup-guide.md', 'Bundle.md', 'src/utils.py', 'config.json', 'lib/x.yml', 'a/b.toml', 'Makefile']) assert.equal(mayMatter(p, p.lastIndexOf('/') + 1), false, p);
  });

  it('finds the same ecosystems in a repository with many source files', () => {
    const source = Array.from({ length: 500 }, (_, i) => `src/m${i % 7}/file${i}.${['js', 'ts', 'py', 'go', 'rs'][i % 5]}`);
    const manifests = ['package.json', 'package-lock.json', 'pkg/a/go.mod', 'Dockerfile', 'svc/Cargo.toml', 'requirements/dev.txt', '.github/workflows/ci.yml', 'tools/action.yml', 'infra/main.tf'];
    const all = [...source, ...manifests].sort();
    assert.deepEqual(
      detectEcosystems(all).map((d) => `${d.ecosystem} ${d.directory} ${d.evidence.join(',')}`),
      ['cargo /svc svc/Cargo.toml', 'docker / Dockerfile', 'github-actions / .github/workflows/ci.yml', 'github-actions /tools tools/action.yml', 'gomod /pkg/a pkg/a/go.mod', 'npm / package.json', 'pip / requirements/dev.txt', 'terraform /infra infra/main.tf'],
    );
  });
});

describe('package.json workspaces', () => {
  it('reads the member patterns, also when the key is written with escapes, and none without the key', () => {
    assert.deepEqual(packageJsonWorkspaces('{"name":"a","workspaces":["packages/*"]}'), ['packages/*']);
    assert.deepEqual(packageJsonWorkspaces('{"workspaces":{"packages":["a","b"]}}'), ['a', 'b']);
    assert.deepEqual(packageJsonWorkspaces('{"\\u0077orkspaces":["x/*"]}'), ['x/*']);
    assert.deepEqual(packageJsonWorkspaces('{"name":"a","dependencies":{"b":"1"}}'), []);
    assert.deepEqual(packageJsonWorkspaces('{"name":"a\\\\b"}'), []);
    assert.deepEqual(packageJsonWorkspaces('not json'), []);
  });
});
