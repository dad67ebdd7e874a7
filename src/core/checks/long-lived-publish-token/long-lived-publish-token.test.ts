import * as assert from 'node:assert/strict';
import { check } from './long-lived-publish-token';
import { publishCommands } from './publishing';
import { assertFindingsAt, runCheck, yaml } from '../../../../test/support/check-tester';

const WF = '.github/workflows/release.yml';

describe('long-lived-publish-token', () => {
  it('reports pypi-publish password:, twine with TWINE_PASSWORD and npm publish with NODE_AUTH_TOKEN', async () => {
    const { findings, result } = await runCheck(check, {
      [WF]: yaml`
        on:
          release:
            types: [published]
        env:
          TWINE_PASSWORD: \${{ secrets.PYPI_TOKEN }}
        jobs:
          pypi:
            runs-on: ubuntu-latest
            steps:
              - uses: pypa/gh-action-pypi-publish@release/v1
                with: {user: __token__, "password": "\${{ secrets.PYPI_API_TOKEN }}"}
          twine:
            runs-on: ubuntu-latest
            steps:
              - run: |
                  python -m build
                  python -m twine upload dist/*
          npm:
            runs-on: ubuntu-latest
            steps:
              - uses: actions/setup-node@v4
                with: {registry-url: 'https://registry.npmjs.org'}
              - run: npm publish --access public
                env:
                  NODE_AUTH_TOKEN: \${{ secrets.NPM_TOKEN }}
      `,
    });
    assert.equal(result.status, 'fail');
    assertFindingsAt(findings, [`${WF}:5:3`, `${WF}:11:33`, `${WF}:25:11`]);
    assert.equal(
      findings[1].message,
      'Publishes to PyPI (pypa/gh-action-pypi-publish) with a long-lived token (secret PYPI_API_TOKEN passed as password:); PyPI supports trusted publishing, which needs no stored token',
    );
    assert.match(findings[0].message, /^Publishes to PyPI \(`twine upload`\) .*secret PYPI_TOKEN in workflow-level env TWINE_PASSWORD/);
    assert.match(findings[2].message, /npm \(`npm publish`\).*secret NPM_TOKEN in step-level env NODE_AUTH_TOKEN/);
    assert.equal(findings[0].related?.[0].start.line, 17);
    assert.equal(result.reason, "3 publishing steps use a long-lived token");
  });

  it('reports cargo, gem and dotnet nuget in composite actions, flags and credentials files', async () => {
    const { findings } = await runCheck(check, {
      'publish/action.yml': yaml`
        name: publish
        runs:
          using: composite
          steps:
            - shell: bash
              run: cargo publish --token "$CRATES"
              env: {CRATES: '\${{ secrets.CRATES_IO }}'}
            - shell: bash
              run: |
                mkdir -p ~/.gem
                printf -- "---\\n:rubygems_api_key: \${{ secrets.RUBYGEMS }}\\n" > ~/.gem/credentials
                gem push *.gem
            - shell: pwsh
              run: dotnet nuget push out/*.nupkg --api-key \${{ secrets.NUGET_KEY }} --source https://api.nuget.org/v3/index.json
      `,
    });
    assertFindingsAt(findings, ['publish/action.yml:7:13', 'publish/action.yml:11:44', 'publish/action.yml:14:52']);
    assert.match(findings[0].message, /crates.io \(`cargo publish`\).*secret CRATES_IO in step-level env CRATES/);
    assert.match(findings[1].message, /RubyGems.*secret RUBYGEMS written to a credentials file/);
    assert.match(findings[2].message, /NuGet.*secret NUGET_KEY on the command line/);
  });

  it('passes trusted publishing and is not applicable without publishing; ignores other registries', async () => {
    const trusted = await runCheck(check, {
      [WF]: yaml`
        'on': {push: {tags: ['v*']}}
        jobs:
          publish:
            runs-on: ubuntu-latest
            environment: pypi
            permissions: {id-token: write}
            steps:
              - uses: pypa/gh-action-pypi-publish@release/v1
              - run: npm publish --provenance
                env:
                  NODE_AUTH_TOKEN: \${{ secrets.GITHUB_TOKEN }}
              - uses: rubygems/release-gem@v1
          gpr:
            runs-on: ubuntu-latest
            steps:
              - uses: actions/setup-node@v4
                with: {registry-url: 'https://npm.pkg.github.com'}
              - run: npm publish
                env: {NODE_AUTH_TOKEN: '\${{ secrets.GPR_TOKEN }}'}
              - run: twine upload --repository-url https://pypi.internal.example/ dist/*
                env: {TWINE_PASSWORD: '\${{ secrets.INTERNAL }}'}
              - run: cargo publish --dry-run
                env: {CARGO_REGISTRY_TOKEN: '\${{ secrets.CRATES }}'}
      `,
    });
    assert.deepEqual(trusted.findings, []);
    assert.equal(trusted.result.status, 'pass');
    assert.match(trusted.result.reason, /Publishes to PyPI, RubyGems, npm without a stored token/);

    const none = await runCheck(check, {
      '.github/workflows/ci.yml': yaml`
        on: [push]
        jobs:
          test:
            runs-on: ubuntu-latest
            env: {NPM_TOKEN: '\${{ secrets.NPM_TOKEN }}'}
            steps: [{run: 'echo "npm publish happens elsewhere"'}, {run: npm test}]
      `,
    });
    assert.deepEqual(none.findings, []);
    assert.equal(none.result.status, 'not-applicable');
  });

  it('reports upload-only token variables handed to a project script (medium confidence)', async () => {
    const { findings, result } = await runCheck(check, {
      [WF]: yaml`
        on: {push: {tags: ['*']}}
        jobs:
          publish:
            runs-on: ubuntu-latest
            steps:
              - name: "Publish to PyPI & deploy docs"
                run: "scripts/publish"
                env:
                  TWINE_USERNAME: __token__
                  "TWINE_PASSWORD": \${{ secrets.PYPI_TOKEN }}
      `,
    });
    assertFindingsAt(findings, [`${WF}:10:11`]);
    assert.equal(findings[0].confidence, 'medium');
    assert.equal(
      findings[0].message,
      'Hands a long-lived PyPI upload token (secret PYPI_TOKEN in step-level env TWINE_PASSWORD) to `scripts/publish`; PyPI supports trusted publishing, which needs no stored token',
    );
    assert.equal(result.status, 'fail');
  });

  it('recognises publishing commands behind prefixes and not dry runs', () => {
    const kinds = (s: string) => publishCommands(s).map((c) => `${c.kind}:${c.text}`);
    assert.deepEqual(kinds('cd pkg && pnpm publish --no-git-checks'), ['npm:pnpm publish']);
    assert.deepEqual(kinds('if x; then sudo -E gem push a.gem; fi'), []);
    assert.deepEqual(kinds('if x; then gem push a.gem; fi'), ['rubygems:gem push']);
    assert.deepEqual(kinds('python3 -m twine upload --skip-existing dist/*'), ['pypi:twine upload']);
    assert.deepEqual(kinds('uv publish'), ['pypi:uv publish']);
    assert.deepEqual(kinds('npm publish --dry-run'), []);
    assert.deepEqual(kinds('echo npm'), []);
  });
});

describe('long-lived-publish-token: publishing in more forms', () => {
  it('YARN_NPM_AUTH_TOKEN, bun publish, rubygems api-token, setup-trusted-publisher: false, pwsh backtick continuations', async () => {
    const { findings } = await runCheck(check, {
      [WF]: yaml`
        on: {push: {tags: ['v*']}}
        jobs:
          yarn:
            runs-on: ubuntu-latest
            steps:
              - run: yarn npm publish
                env:
                  YARN_NPM_AUTH_TOKEN: \${{ secrets.NPM_TOKEN }}
          bun:
            runs-on: ubuntu-latest
            steps:
              - run: bun publish
                env:
                  NPM_CONFIG_TOKEN: \${{ secrets.NPM_TOKEN }}
          gem:
            runs-on: ubuntu-latest
            steps:
              - uses: rubygems/configure-rubygems-credentials@v1
                with:
                  api-token: \${{ secrets.RUBYGEMS_KEY }}
              - run: gem push pkg/*.gem
          gem2:
            runs-on: ubuntu-latest
            steps:
              - uses: rubygems/release-gem@v1
                with:
                  setup-trusted-publisher: false
          nuget:
            runs-on: windows-latest
            steps:
              - shell: pwsh
                run: |
                  dotnet nuget push out/*.nupkg \`
                    --api-key $env:NUGET_API_KEY
                env:
                  NUGET_API_KEY: \${{ secrets.NUGET_KEY }}
      `,
    });
    assertFindingsAt(findings, [`${WF}:8:11`, `${WF}:14:11`, `${WF}:20:11`, `${WF}:27:11`, `${WF}:36:11`]);
    assert.match(findings[2].message, /secret RUBYGEMS_KEY passed as api-token: to rubygems\/configure-rubygems-credentials/);
    assert.match(findings[3].message, /trusted publishing turned off with setup-trusted-publisher: false/);
  });

  it('cargo publish -n and --dry-run are dry runs; the registry is the last setup-node before the publish that names one', async () => {
    assert.deepEqual(publishCommands('cargo publish -n\ncargo publish --dry-run -p x\ncargo +stable publish --locked -n'), []);
    // PowerShell: the backtick continues the command, so its --dry-run belongs to it.
    assert.deepEqual(publishCommands('cargo publish `\n  --dry-run'), []);
    assert.deepEqual(publishCommands('npm publish `\n  --registry https://npm.pkg.github.com').map((c) => c.command.line.text.replace(/\s+/g, ' ')), ['npm publish --registry https://npm.pkg.github.com']);
    assert.equal(publishCommands('cargo publish --locked').length, 1);
    const { findings } = await runCheck(check, {
      [WF]: yaml`
        on: release
        jobs:
          npm:
            runs-on: ubuntu-latest
            steps:
              - uses: actions/setup-node@v4
                with: {registry-url: 'https://registry.npmjs.org'}
              - run: npm test
              - uses: actions/setup-node@v4
                with: {registry-url: 'https://npm.pkg.github.com'}
              - run: npm publish
                env:
                  NODE_AUTH_TOKEN: \${{ secrets.GITHUB_PACKAGES }}
          npm2:
            runs-on: ubuntu-latest
            steps:
              - uses: actions/setup-node@v4
                with: {registry-url: 'https://npm.pkg.github.com'}
              - uses: actions/setup-node@v4
                with: {registry-url: 'https://registry.npmjs.org', node-version: 22}
              - run: npm publish
                env:
                  NODE_AUTH_TOKEN: \${{ secrets.NPM_TOKEN }}
      `,
    });
    // GitHub Packages (the registry the publish uses) has no trusted publishing: only npm2 is reported.
    assertFindingsAt(findings, [`${WF}:23:11`]);
  });
});

describe('publishCommands: every command form of every rule (each rule is tried only on lines holding one of its words)', () => {
  it('finds each form with its kind', () => {
    const forms: [string, string][] = [
      ['npm publish', 'npm'], ['pnpm --filter x publish', 'npm'], ['yarn publish', 'npm'], ['yarn npm publish', 'npm'],
      ['bun publish', 'npm'], ['lerna publish', 'npm'], ['changeset publish', 'npm'], ['npx semantic-release', 'npm'],
      ['twine upload dist/*', 'pypi'], ['poetry publish', 'pypi'], ['uv publish', 'pypi'], ['maturin upload x.whl', 'pypi'], ['maturin publish', 'pypi'],
      ['cargo publish', 'crates.io'], ['cargo +stable publish', 'crates.io'],
      ['gem push x.gem', 'rubygems'], ['bundle exec rake release', 'rubygems'], ['rake release', 'rubygems'],
      ['nuget push x.nupkg', 'nuget'], ['dotnet nuget push x.nupkg', 'nuget'],
      ['gh release create v1', 'github-release'], ['gh release upload v1 f', 'github-release'], ['goreleaser release --clean', 'github-release'],
      ['docker push img', 'container'], ['podman image push img', 'container'], ['docker buildx build . --push', 'container'], ['docker buildx bake all --push', 'container'],
      ['mvn -B deploy', 'other'], ['./gradlew publish', 'other'], ['gradle publishToMavenCentral', 'other'],
    ];
    for (const [cmd, kind] of forms) assert.deepEqual(publishCommands(cmd).map((c) => c.kind), [kind], cmd);
  });
});
