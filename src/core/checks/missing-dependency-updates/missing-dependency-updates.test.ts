import * as assert from 'node:assert/strict';
import { check } from './missing-dependency-updates';
import { assertFindingsAt, runCheck, yaml } from '../../../../test/support/check-tester';
import { assertFixRoundTrip } from '../../../../test/support/fix-tester';
import { detectEcosystems } from '../../dependabot/ecosystems';
import { reviewReasonOf } from '../../model';

const DEP = '.github/dependabot.yml';
const WF = '.github/workflows/ci.yml';
const wf = 'on: push\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo\n';

describe('missing-dependency-updates', () => {
  it('fails without Dependabot or Renovate and creates a dependabot.yml for every detected ecosystem', async () => {
    const files = { [WF]: wf, 'package.json': '{}', 'web/package.json': '{}', 'Dockerfile': 'FROM alpine\n', 'tools/requirements.txt': 'x\n' };
    const { result, findings } = await runCheck(check, files);
    assert.equal(result.status, 'fail');
    assert.equal(findings.length, 1);
    assert.equal(findings[0].location, undefined);
    assert.equal(findings[0].message, 'No Dependabot or Renovate configuration: nothing proposes updates for Docker, GitHub Actions, npm / Yarn / pnpm, pip (Python)');
    assert.deepEqual(findings[0].details, ['Docker at the root', 'GitHub Actions at the root', 'npm / Yarn / pnpm at the root and in web/', 'pip (Python) in tools/']);
    // New pull requests on the maintainers' repository are theirs to want: review, never preselected (issue 14).
    assert.equal(findings[0].fixes[0].safe, false);
    assert.equal(
      reviewReasonOf(findings[0].fixes[0]),
      'This creates `.github/dependabot.yml`, which turns on weekly Dependabot pull requests for github-actions in /, docker in /, npm in / and /web and pip in /tools; the project decides whether it wants them.',
    );
    assert.equal((await assertFixRoundTrip(check, files)).applied, 0, 'a safe-only run leaves the new file out');
    const fixed = await assertFixRoundTrip(check, files, { unsafe: true });
    assert.equal(
      fixed.files[DEP],
      [
        '# Dependabot opens pull requests that keep these dependencies up to date.',
        '# cooldown: new releases wait 7 days before Dependabot proposes them; most',
        '# compromised releases are found and pulled within that time.',
        '# Options: https://docs.github.com/code-security/dependabot/working-with-dependabot/dependabot-options-reference',
        'version: 2',
        'updates:',
        '  - package-ecosystem: "github-actions"',
        '    directory: "/"',
        '    schedule:',
        '      interval: "weekly"',
        '    cooldown:',
        '      default-days: 7',
        '  - package-ecosystem: "docker"',
        '    directory: "/"',
        '    schedule:',
        '      interval: "weekly"',
        '    cooldown:',
        '      default-days: 7',
        '  - package-ecosystem: "npm"',
        '    directories: ["/", "/web"]',
        '    schedule:',
        '      interval: "weekly"',
        '    cooldown:',
        '      default-days: 7',
        '  - package-ecosystem: "pip"',
        '    directory: "/tools"',
        '    schedule:',
        '      interval: "weekly"',
        '    cooldown:',
        '      default-days: 7',
        '',
      ].join('\n'),
    );
    assert.equal(fixed.remaining.length, 0);
  });

  it('uses the configured cooldown in the generated file', async () => {
    const { findings } = await runCheck(check, { [WF]: wf }, { settings: { cooldownDays: 14 } });
    assert.match(findings[0].fixes[0].edits[0].newText, /default-days: 14\n/);
  });

  it('reports workflows not covered by an existing Dependabot file and splices an entry in its style', async () => {
    const dep = yaml`
      # keep npm fresh
      version: 2
      updates:
      - package-ecosystem: 'npm'   # root
        directory: '/'
        schedule:
            interval: 'daily'
    `;
    const files = { [DEP]: dep, [WF]: wf, 'package.json': '{}' };
    const { result, findings } = await runCheck(check, files);
    assert.equal(result.status, 'fail');
    assertFindingsAt(findings, [`${DEP}:3:1`]);
    assert.equal(findings[0].severity, 'medium');
    assert.equal(findings[0].message, 'Dependabot does not keep GitHub Actions at the root up to date: the actions your workflows run never get updates');
    // The reason names the schedule the new entry copies from the file.
    assert.equal(reviewReasonOf(findings[0].fixes[0]), 'This turns on daily Dependabot pull requests for github-actions in /; the project decides whether it wants them.');
    const fixed = await assertFixRoundTrip(check, files, { unsafe: true });
    assert.equal(
      fixed.files[DEP],
      dep.slice(0, -1) +
        [
          '',
          "- package-ecosystem: 'github-actions'",
          "  directory: '/'",
          // The file's own schedule is the convention a new entry follows.
          '  schedule:',
          "      interval: 'daily'",
          '  cooldown:',
          '      default-days: 7',
          '',
        ].join('\n'),
    );
  });

  it('reports sub-folder manifests not named by any entry, low severity, one entry per ecosystem; CRLF and blank-line spacing kept', async () => {
    const dep = ['version: 2', 'updates:', '  - package-ecosystem: github-actions', '    directory: /', '    schedule:', '      interval: weekly', '', '  - package-ecosystem: npm', '    directories:', '      - "/packages/*"', '    schedule:', '      interval: weekly', ''].join('\r\n');
    const files = { [DEP]: dep, [WF]: wf, 'packages/a/package.json': '{}', 'packages/b/package.json': '{}', 'api/go.mod': 'module x\n', 'docs/requirements.txt': 'x' };
    const { findings } = await runCheck(check, files);
    assert.deepEqual(findings.map((f) => [f.message, f.severity]), [
      ['Dependabot does not keep Go modules in api/ up to date', 'low'],
      ['Dependabot does not keep pip (Python) in docs/ up to date', 'low'],
    ]);
    const fixed = await assertFixRoundTrip(check, files, { unsafe: true });
    const added = fixed.files[DEP].slice(dep.length - 2);
    assert.equal(
      added,
      [
        '',
        '',
        '  - package-ecosystem: gomod',
        '    directory: /api',
        '    schedule:',
        '      interval: weekly',
        '    cooldown:',
        '      default-days: 7',
        '',
        '  - package-ecosystem: pip',
        '    directory: /docs',
        '    schedule:',
        '      interval: weekly',
        '    cooldown:',
        '      default-days: 7',
        '',
      ].join('\r\n'),
    );
  });

  it('passes when Dependabot covers every ecosystem and folder (globs, trailing slashes, uv for pip)', async () => {
    const dep = yaml`
      version: 2
      updates:
        - package-ecosystem: github-actions
          directory: /
          schedule: {interval: weekly}
        - package-ecosystem: uv
          directories: ["/", "tools/"]
          schedule: {interval: weekly}
        - package-ecosystem: docker
          directories: ["/**"]
          schedule: {interval: weekly}
    `;
    const { result } = await runCheck(check, { [DEP]: dep, [WF]: wf, 'pyproject.toml': '', 'uv.lock': '', 'tools/requirements.txt': '', 'a/b/Dockerfile': '' });
    assert.equal(result.status, 'pass');
    assert.equal(result.reason, 'Dependabot covers docker, github-actions, pip, uv');
  });

  it('counts Renovate as covering everything unless enabledManagers or a manager rule leaves an ecosystem out', async () => {
    const base = { [WF]: wf, 'package.json': '{}', Dockerfile: '' };
    assert.equal((await runCheck(check, { ...base, 'renovate.json': '{"extends": ["config:recommended"]}' })).result.status, 'pass');
    const limited = await runCheck(check, { ...base, '.github/renovate.json5': '{ enabledManagers: ["npm"], /* only npm */ }' });
    assert.equal(limited.result.status, 'fail');
    assert.deepEqual(limited.findings.map((f) => f.message), ['Renovate does not keep Docker at the root up to date', 'Renovate does not keep GitHub Actions at the root up to date: the actions your workflows run never get updates']);
    assertFindingsAt(limited.findings, ['.github/renovate.json5:1:1', '.github/renovate.json5:1:1']);
    const ruleOff = await runCheck(check, { ...base, 'renovate.json': '{"packageRules": [{"matchManagers": ["github-actions"], "enabled": false}]}' });
    assert.deepEqual(ruleOff.findings.map((f) => f.message), ['Renovate does not keep GitHub Actions at the root up to date: the actions your workflows run never get updates']);
    // Dependabot picks up what Renovate leaves out (curl's setup).
    const both = await runCheck(check, { ...base, 'renovate.json': '{"packageRules": [{"matchManagers": ["github-actions"], "enabled": false}]}', [DEP]: 'version: 2\nupdates:\n  - package-ecosystem: github-actions\n    directory: /\n    schedule: {interval: weekly}\n' });
    assert.equal(both.result.status, 'pass');
  });

  it('reads the renovate key of package.json', async () => {
    const { result } = await runCheck(check, { [WF]: wf, 'package.json': '{"name": "x", "renovate": {"extends": ["config:recommended"]}}' });
    assert.equal(result.status, 'pass');
  });

  it('treats pre-commit hooks as covered by pre-commit.ci or an autoupdate workflow', async () => {
    const dep = 'version: 2\nupdates:\n  - package-ecosystem: github-actions\n    directory: /\n    schedule: {interval: weekly}\n';
    const bare = await runCheck(check, { [DEP]: dep, [WF]: wf, '.pre-commit-config.yaml': 'repos: []\n' });
    assert.deepEqual(bare.findings.map((f) => f.message), ['Dependabot does not keep pre-commit hooks at the root up to date']);
    assert.equal((await runCheck(check, { [DEP]: dep, [WF]: wf, '.pre-commit-config.yaml': 'ci:\n  autoupdate_schedule: monthly\nrepos: []\n' })).result.status, 'pass');
    const upd = '.github/workflows/bump.yml';
    assert.equal((await runCheck(check, { [DEP]: dep, [WF]: wf, [upd]: 'on: schedule\njobs:\n  b:\n    runs-on: x\n    steps:\n      - run: prek auto-update --freeze\n', '.pre-commit-config.yaml': 'repos: []\n' })).result.status, 'pass');
  });

  it('treats a pre-commit.ci badge in the README as the hooks\' updater, and wants no entry for local actions that use no other action (judge1 D21, D23)', async () => {
    const dep = 'version: 2\nupdates:\n  - package-ecosystem: github-actions\n    directory: /\n    schedule: {interval: weekly}\n';
    const badge = '[![pre-commit.ci status](https://results.pre-commit.ci/badge/github/o/r/main.svg)](https://results.pre-commit.ci/latest/github/o/r/main)\n';
    const hooks = 'repos:\n  - repo: https://github.com/pre-commit/pre-commit-hooks\n    rev: v5.0.0\n    hooks:\n      - id: check-ast\n';
    assert.equal((await runCheck(check, { [DEP]: dep, [WF]: wf, '.pre-commit-config.yaml': hooks, 'README.md': badge })).result.status, 'pass');
    assert.equal((await runCheck(check, { [DEP]: dep, [WF]: wf, '.pre-commit-config.yaml': hooks, 'README.md': '# r\n' })).result.status, 'fail');
    const runOnly = 'runs:\n  using: composite\n  steps:\n    - shell: bash\n      run: git fetch origin main\n    - uses: ./.github/actions/other\n';
    const usesOne = 'runs:\n  using: composite\n  steps:\n    - uses: actions/cache@v4\n';
    const files = { [DEP]: dep, [WF]: wf, '.github/actions/fetch/action.yml': runOnly, '.github/actions/cache/action.yml': usesOne };
    const { findings } = await runCheck(check, files);
    assert.deepEqual(findings.map((f) => f.message), ['Dependabot does not keep GitHub Actions in .github/actions/cache/ up to date: the actions your workflows run never get updates']);
    const { files: fixed } = await assertFixRoundTrip(check, files, { unsafe: true });
    assert.doesNotMatch(fixed[DEP], /actions\/fetch/);
    assert.match(fixed[DEP], /\/\.github\/actions\/cache/);
  });

  it('accepts /.github/workflows as the github-actions directory and reports a misspelt ecosystem at its value', async () => {
    const ok = 'version: 2\nupdates:\n  - package-ecosystem: github-actions\n    directory: /.github/workflows\n    schedule: {interval: weekly}\n';
    assert.equal((await runCheck(check, { [DEP]: ok, [WF]: wf })).result.status, 'pass');
    const typo = 'version: 2\nupdates:\n  - package-ecosystem: github_actions\n    directory: /\n    schedule: {interval: weekly}\n';
    const { result, findings } = await runCheck(check, { [DEP]: typo, [WF]: wf });
    assert.equal(result.status, 'fail');
    assertFindingsAt(findings, [`${DEP}:2:1`, `${DEP}:3:24`]);
    assert.equal(findings[1].message, "'github_actions' is not a Dependabot package-ecosystem (did you mean 'github-actions'?): Dependabot rejects the configuration");
    assert.equal(result.reason, 'Dependabot leaves out 1 ecosystem: github-actions');
  });

  it('is not applicable with nothing to update, and reports an unparseable Dependabot file', async () => {
    assert.equal((await runCheck(check, { 'README.md': 'x' })).result.status, 'not-applicable');
    const { result, findings } = await runCheck(check, { [DEP]: 'updates: [\n', [WF]: wf });
    assert.equal(result.status, 'fail');
    assertFindingsAt(findings, [`${DEP}:1:1`]);
  });
});

describe('detectEcosystems', () => {
  it('finds manifests by name and skips vendored code, build output, fixtures and examples', () => {
    const got = detectEcosystems([
      '.github/workflows/a.yml',
      'action.yml',
      '.github/actions/setup/action.yml',
      'Cargo.toml',
      'crates/x/Cargo.toml',
      'node_modules/y/package.json',
      'dist/package.json',
      'tests/data/pkg/setup.py',
      'test/fixtures/go.mod',
      'examples/app/package.json',
      'src/Foo.csproj',
      '.devcontainer/devcontainer.json',
      'infra/main.tf',
      'requirements/dev.txt',
      'app/bun.lockb',
      'app/package.json',
      '.gitmodules',
      'deploy/compose.yaml',
    ]).map((d) => `${d.ecosystem} ${d.directory}`);
    assert.deepEqual(got, [
      'bun /app',
      // crates/x is a member of the root build; dev containers and submodules are opt-in.
      'cargo /',
      'docker-compose /deploy',
      'github-actions /',
      'github-actions /.github/actions/setup',
      'nuget /src',
      'pip /',
      'terraform /infra',
    ]);
  });

  it('detects opt-in ecosystems only when asked', () => {
    const got = detectEcosystems(['.gitmodules', '.devcontainer/devcontainer.json'], { include: ['gitsubmodule'] }).map((d) => `${d.ecosystem} ${d.directory}`);
    assert.deepEqual(got, ['gitsubmodule /']);
  });

  it('reads file names exactly: a Go file about Dockerfiles is not a Dockerfile (issue 15)', () => {
    const got = detectEcosystems(['pkg/parser/dockerfile.go', 'pkg/parser/dockerfile_test.go', 'docs/dockerfile.md', 'build/x/Dockerfile', 'deploy/Dockerfile.prod', 'ci/app.Dockerfile', 'ci/Containerfile']).map((d) => `${d.ecosystem} ${d.directory}`);
    assert.deepEqual(got, ['docker /ci', 'docker /deploy']);
  });

  it('leaves test trees out: tests/, test/ and __tests__ manifests make no ecosystem (issue 14.4)', () => {
    const got = detectEcosystems(['tests/typing/requirements.txt', 'test/e2e/package.json', 'src/__tests__/app/package.json', 'package.json']).map((d) => `${d.ecosystem} ${d.directory}`);
    assert.deepEqual(got, ['npm /']);
  });
});

describe('missing-dependency-updates: dependency files as tools see them (issue 15)', () => {
  const npmRoot = yaml`
    version: 2
    updates:
      - package-ecosystem: "npm"
        directory: "/"
        schedule:
          interval: "weekly"
        cooldown:
          default-days: 7
      - package-ecosystem: "github-actions"
        directory: "/"
        schedule:
          interval: "weekly"
        cooldown:
          default-days: 7
  `;

  it('counts npm, Yarn and pnpm workspace members as covered by the root entry', async () => {
    for (const [extra, rootPkg] of [
      [{}, JSON.stringify({ workspaces: ['packages/*', '!packages/private'] })],
      [{}, JSON.stringify({ workspaces: { packages: ['packages/**'] } })],
      [{ 'pnpm-workspace.yaml': "packages:\n  - 'packages/*'\n" }, '{}'],
    ] as const) {
      const files = { [DEP]: npmRoot, [WF]: wf, 'package.json': rootPkg, 'packages/a/package.json': '{}', 'packages/b/package.json': '{}', ...extra };
      const { result, findings } = await runCheck(check, files);
      assert.equal(result.status, 'pass', JSON.stringify(findings.map((f) => f.message)));
    }
    // Not a member: reported.
    const files = { [DEP]: npmRoot, [WF]: wf, 'package.json': JSON.stringify({ workspaces: ['packages/*'] }), 'tools/site/package.json': '{}' };
    const { findings } = await runCheck(check, files);
    assert.deepEqual(findings.map((f) => f.message), ['Dependabot does not keep npm / Yarn / pnpm in tools/site/ up to date']);
  });

  it('counts `directories:` globs (`/**`, `**/*`, `/packages/*`) as coverage, the root included', async () => {
    for (const dirs of ['["/**"]', '["**/*"]', '["/", "/packages/*"]']) {
      const dep = npmRoot.replace('directory: "/"', `directories: ${dirs}`);
      const { result } = await runCheck(check, { [DEP]: dep, [WF]: wf, 'package.json': '{}', 'packages/a/package.json': '{}' });
      assert.equal(result.status, 'pass', dirs);
    }
  });

  it('counts a multi-module Maven or Gradle build as covered by the root entry', async () => {
    const dep = npmRoot.replace('"npm"', '"maven"');
    const { result } = await runCheck(check, { [DEP]: dep, [WF]: wf, 'pom.xml': '<project/>', 'core/pom.xml': '<project/>', 'cli/pom.xml': '<project/>' });
    assert.equal(result.status, 'pass');
  });

  it('extends the existing entry of an ecosystem instead of adding a second one (issue 14.4)', async () => {
    const files = { [DEP]: npmRoot, [WF]: wf, 'package.json': '{}', 'site/package.json': '{}' };
    const { findings } = await runCheck(check, files);
    assert.equal(findings[0].fixes[0].title, 'Add /site to the npm entry of .github/dependabot.yml');
    assert.equal(reviewReasonOf(findings[0].fixes[0]), 'This also turns on weekly Dependabot pull requests for npm in /site; the project decides whether it wants them.');
    const fixed = await assertFixRoundTrip(check, files, { unsafe: true });
    assert.equal(fixed.files[DEP], npmRoot.replace('directory: "/"', 'directories: ["/", "/site"]'));
    // A block `directories:` list gets the item in its own style.
    const block = npmRoot.replace('directory: "/"', "directories:\n      - '/'");
    const fixed2 = await assertFixRoundTrip(check, { ...files, [DEP]: block }, { unsafe: true });
    assert.equal(fixed2.files[DEP], block.replace("      - '/'", "      - '/'\n      - '/site'"));
  });

  it("copies the file's conventions (schedule, commit-message, labels, groups) and adds no grouping of its own", async () => {
    const dep = yaml`
      version: 2
      updates:
        - package-ecosystem: "npm"
          directory: "/"
          schedule:
            interval: "monthly"
            day: "monday"
          commit-message:
            prefix: "chore(deps)"
          labels: ["dependencies"]
          groups:
            all:
              patterns: ["*"]
          cooldown:
            default-days: 7
        - package-ecosystem: "pip"
          directory: "/"
          schedule:
            interval: "monthly"
            day: "monday"
          commit-message:
            prefix: "chore(deps)"
          labels: ["dependencies"]
          groups:
            all:
              patterns: ["*"]
          cooldown:
            default-days: 7
    `;
    const files = { [DEP]: dep, [WF]: wf, 'package.json': '{}', 'requirements.txt': 'x\n' };
    const fixed = await assertFixRoundTrip(check, files, { unsafe: true });
    assert.equal(
      fixed.files[DEP].slice(dep.length),
      [
        '  - package-ecosystem: "github-actions"',
        '    directory: "/"',
        '    schedule:',
        '      interval: "monthly"',
        '      day: "monday"',
        '    cooldown:',
        '      default-days: 7',
        '    commit-message:',
        '      prefix: "chore(deps)"',
        '    labels: ["dependencies"]',
        '    groups:',
        '      all:',
        '        patterns: ["*"]',
        '',
      ].join('\n'),
    );
    // One entry's ecosystem-specific labels are not a convention.
    const one = yaml`
      version: 2
      updates:
        - package-ecosystem: "npm"
          directory: "/"
          schedule:
            interval: "weekly"
          labels: ["dependencies", "javascript"]
          cooldown:
            default-days: 7
    `;
    const fixedOne = await assertFixRoundTrip(check, { [DEP]: one, [WF]: wf, 'package.json': '{}' }, { unsafe: true });
    assert.doesNotMatch(fixedOne.files[DEP].slice(one.length), /labels|groups/);
  });

  it('a pre-commit configuration with only local and meta hooks has nothing to update', async () => {
    const local = 'repos:\n  - repo: local\n    hooks:\n      - id: lint\n        entry: npm run lint\n        language: system\n  - repo: meta\n    hooks:\n      - id: check-hooks-apply\n';
    const { result } = await runCheck(check, { [DEP]: npmRoot, [WF]: wf, 'package.json': '{}', '.pre-commit-config.yaml': local });
    assert.equal(result.status, 'pass', result.reason);
    const remote = `${local}  - repo: https://github.com/pre-commit/pre-commit-hooks\n    rev: v5.0.0\n    hooks:\n      - id: trailing-whitespace\n`;
    const r2 = await runCheck(check, { [DEP]: npmRoot, [WF]: wf, 'package.json': '{}', '.pre-commit-config.yaml': remote });
    assert.equal(r2.result.status, 'fail');
  });
});
