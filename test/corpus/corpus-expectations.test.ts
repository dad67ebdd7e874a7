import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { corpusDir } from './corpus-dir';
import { Engine } from '../../src/core/engine';
import { DiskSnapshot } from '../../src/core/repo/disk';
import type { Check } from '../../src/core/checks/types';
import type { CheckResult } from '../../src/core/model';
import { check as dependencyUpdates } from '../../src/core/checks/missing-dependency-updates/missing-dependency-updates';
import { check as cooldown } from '../../src/core/checks/missing-update-cooldown/missing-update-cooldown';
import { check as dependabotExecution } from '../../src/core/checks/unsafe-dependabot-execution/unsafe-dependabot-execution';
import { check as license } from '../../src/core/checks/missing-license/missing-license';
import { check as codeowners } from '../../src/core/checks/codeowners-gaps/codeowners-gaps';
import { assertFixRoundTrip } from '../support/fix-tester';

// What a careful reader of each corpus repository's files concludes, written down by hand (from the
// copied files and TREE.txt) and compared with what the checks say. A change that moves any of these
// is either a fix of a wrong expectation here (say why in the commit) or a regression.

const CORPUS = corpusDir('real');

type Tool = 'dependabot' | 'renovate' | 'both' | 'none';

interface Expectation {
  repo: string;
  /** missing-license status and the file that satisfies it. */
  license: string;
  tool: Tool;
  /** Dependabot/Renovate keeps the workflows' actions up to date. */
  actionsCovered: boolean;
  /** Ecosystems (with folders) present in the repository but covered by no update tool. */
  uncovered: string[];
  cooldown: CheckResult['status'];
  /** Why the cooldown status is what it is, as a substring of the reason. */
  cooldownWhy: string;
  codeowners: CheckResult['status'];
  codeownersWhy: string;
}

const EXPECTED: Expectation[] = [
  {
    repo: 'Homebrew__brew',
    license: 'LICENSE.txt',
    tool: 'dependabot',
    actionsCovered: true,
    // Dockerfile.long_runner sits in .github/scripts/, which the `docker` entry (directory "/") does not reach.
    uncovered: ['docker /.github/scripts'],
    cooldown: 'pass',
    cooldownWhy: '5 Dependabot entries',
    codeowners: 'fail',
    // The root CODEOWNERS only names docs/Support-Tiers.md.
    codeownersWhy: 'CODEOWNERS gives no owner to 26 sensitive files',
  },
  {
    repo: 'actions__checkout',
    license: 'LICENSE',
    tool: 'dependabot',
    actionsCovered: true,
    // images/test-ubuntu-git.Dockerfile has no docker entry.
    uncovered: ['docker /images'],
    cooldown: 'fail',
    cooldownWhy: '2 cooldown problems',
    codeowners: 'pass',
    codeownersWhy: 'CODEOWNERS gives owners to 8 sensitive files',
  },
  {
    repo: 'curl__curl',
    license: 'COPYING',
    tool: 'both',
    // Renovate switches github-actions off by a package rule; Dependabot's entry covers it.
    actionsCovered: true,
    uncovered: [],
    cooldown: 'fail',
    // Dependabot has default-days 7 everywhere; renovate.json has no minimumReleaseAge.
    cooldownWhy: 'renovate.json sets no minimumReleaseAge',
    codeowners: 'fail',
    // .github/CODEOWNERS holds only comments.
    codeownersWhy: '.github/CODEOWNERS gives no owner to 18 sensitive files',
  },
  {
    repo: 'encode__starlette',
    license: 'LICENSE.md',
    tool: 'dependabot',
    actionsCovered: true,
    uncovered: [],
    cooldown: 'fail',
    cooldownWhy: '2 cooldown problems',
    codeowners: 'fail',
    codeownersWhy: 'No CODEOWNERS file',
  },
  {
    repo: 'fastapi__fastapi',
    license: 'LICENSE',
    tool: 'dependabot',
    actionsCovered: true,
    // pre-commit hooks are bumped by the bump-pre-commit-hooks workflow (prek auto-update).
    uncovered: [],
    cooldown: 'pass',
    cooldownWhy: '2 Dependabot entries',
    codeowners: 'fail',
    codeownersWhy: 'No CODEOWNERS file',
  },
  {
    repo: 'libexpat__libexpat',
    license: 'COPYING',
    tool: 'dependabot',
    actionsCovered: true,
    uncovered: [],
    cooldown: 'pass',
    cooldownWhy: '1 Dependabot entry',
    codeowners: 'fail',
    codeownersWhy: 'No CODEOWNERS file',
  },
  {
    repo: 'pallets__flask',
    license: 'LICENSE.txt',
    tool: 'none',
    actionsCovered: false,
    // The dev container is left to the maintainers (no update stream unless asked).
    uncovered: ['github-actions /', 'pre-commit /', 'uv /'],
    cooldown: 'not-applicable',
    cooldownWhy: 'No Dependabot or Renovate configuration',
    codeowners: 'fail',
    codeownersWhy: 'No CODEOWNERS file',
  },
  {
    repo: 'psf__requests',
    license: 'LICENSE',
    tool: 'dependabot',
    actionsCovered: true,
    // Only github-actions and pre-commit have entries; pyproject.toml/setup.py and docs/requirements.txt have none.
    uncovered: ['pip /', 'pip /docs'],
    cooldown: 'pass',
    cooldownWhy: '2 Dependabot entries',
    codeowners: 'fail',
    codeownersWhy: '.github/CODEOWNERS gives no owner to 2 sensitive files: .github/SECURITY.md, .github/dependabot.yml',
  },
  {
    repo: 'pypa__gh-action-pypi-publish',
    license: 'LICENSE.md',
    tool: 'none',
    actionsCovered: false,
    // pre-commit is updated by pre-commit.ci (`ci:` section); requirements/*.txt belong to the root.
    uncovered: ['docker /', 'github-actions /', 'pip /'],
    cooldown: 'not-applicable',
    cooldownWhy: 'No Dependabot or Renovate configuration',
    codeowners: 'fail',
    codeownersWhy: 'No CODEOWNERS file',
  },
  {
    repo: 'pypa__pip',
    license: 'LICENSE.txt',
    tool: 'dependabot',
    actionsCovered: true,
    // tests/** are the test suite's own environments (skipped), the dev container is opt-in;
    // pre-commit is updated by pre-commit.ci.
    uncovered: ['pip /', 'pip /build-project'],
    cooldown: 'pass',
    cooldownWhy: '1 Dependabot entry',
    codeowners: 'fail',
    codeownersWhy: 'No CODEOWNERS file',
  },
  {
    repo: 'sethmlarson__truststore',
    license: 'LICENSE',
    tool: 'none',
    actionsCovered: false,
    uncovered: ['github-actions /', 'pip /', 'pip /docs', 'pre-commit /'],
    cooldown: 'not-applicable',
    cooldownWhy: 'No Dependabot or Renovate configuration',
    codeowners: 'fail',
    codeownersWhy: '.github/CODEOWNERS gives no owner to 2 sensitive files: .github/SECURITY.md, .github/workflows/ci.yml',
  },
  {
    repo: 'urllib3__urllib3',
    license: 'LICENSE.txt',
    tool: 'dependabot',
    actionsCovered: true,
    uncovered: ['pre-commit /', 'uv /'],
    cooldown: 'pass',
    cooldownWhy: '1 Dependabot entry',
    codeowners: 'fail',
    codeownersWhy: '.github/CODEOWNERS gives no owner to 2 sensitive files: .github/SECURITY.md, .github/dependabot.yml',
  },
];

/** "docker /images" from a finding's details ("/images: images/x.Dockerfile"). */
function uncoveredOf(result: CheckResult): string[] {
  const out: string[] = [];
  for (const f of result.findings) {
    if (f.message.startsWith('No Dependabot or Renovate')) {
      continue;
    }
    const title = f.fixes[0]?.title ?? '';
    const eco = (title.match(/^Add a (\S+) entry/) ?? title.match(/^Add .* to the (\S+) entry/) ?? [])[1] ?? f.message;
    for (const d of f.details ?? []) out.push(`${eco} ${d.split(':')[0]}`);
  }
  return out.sort();
}

/** Every file copied into a corpus folder, as in-memory files for the fix round-trip. */
function corpusFiles(dir: string): { files: Record<string, Uint8Array>; tree: string[] } {
  const files: Record<string, Uint8Array> = {};
  const walk = (rel: string): void => {
    for (const name of readdirSync(path.join(dir, rel))) {
      const r = rel ? `${rel}/${name}` : name;
      if (!rel && ['MANIFEST.json', 'TREE.txt', 'TAGS.txt'].includes(name)) continue;
      if (statSync(path.join(dir, r)).isDirectory()) walk(r);
      else files[r] = readFileSync(path.join(dir, r));
    }
  };
  walk('');
  const tree = readFileSync(path.join(dir, 'TREE.txt'), 'utf8').split('\n').filter(Boolean);
  return { files, tree };
}

const CHECKS: Check[] = [dependencyUpdates, cooldown, license, codeowners];

describe('corpus expectations (repository and dependency checks)', function () {
  it('covers every repository in the corpus', () => {
    const repos = readdirSync(CORPUS).filter((d) => d.includes('__')).sort();
    assert.deepEqual(repos, EXPECTED.map((e) => e.repo).sort());
  });

  for (const e of EXPECTED) {
    it(`${e.repo}: licence, update tool, actions coverage, cooldown, CODEOWNERS`, async () => {
      const scan = await new Engine(CHECKS).scan(new DiskSnapshot(path.join(CORPUS, e.repo)));
      const by = (id: string) => scan.results.find((r) => r.checkId === id)!;

      const lic = by('missing-license');
      assert.deepEqual([lic.status, lic.reason], ['pass', `Found ${e.license}`]);

      const dep = by('missing-dependency-updates');
      const noTool = dep.findings.some((f) => f.message.startsWith('No Dependabot or Renovate'));
      const tool: Tool = noTool ? 'none' : /Dependabot and Renovate/.test(dep.reason) ? 'both' : /Renovate/.test(dep.reason) ? 'renovate' : 'dependabot';
      assert.equal(tool, e.tool, dep.reason);
      const actionsMissing = noTool || dep.findings.some((f) => f.message.includes('GitHub Actions'));
      assert.equal(!actionsMissing, e.actionsCovered, dep.reason);
      if (noTool) {
        const details = dep.findings[0].details ?? [];
        const eco = e.uncovered.map((u) => u.split(' ')[0]);
        assert.equal(details.length, new Set(eco).size, details.join('; '));
      } else {
        assert.deepEqual(uncoveredOf(dep), e.uncovered);
      }
      assert.equal(dep.status, e.uncovered.length ? 'fail' : 'pass', dep.reason);

      const cd = by('missing-update-cooldown');
      assert.equal(cd.status, e.cooldown, cd.reason);
      assert.ok(cd.reason.includes(e.cooldownWhy), cd.reason);

      const co = by('codeowners-gaps');
      assert.equal(co.status, e.codeowners, co.reason);
      assert.ok(co.reason.includes(e.codeownersWhy), co.reason);
    });
  }

  it('the dependency fixes round-trip on every corpus repository that has the finding', async function () {
    this.timeout(120_000);
    let applied = 0;
    for (const e of EXPECTED) {
      const { files, tree } = corpusFiles(path.join(CORPUS, e.repo));
      for (const c of [dependencyUpdates, cooldown, dependabotExecution]) {
        // New update streams are review fixes (issue 14: they open pull requests the project decides
        // on), so they are applied as --unsafe would; a safe-only run applies none of them.
        const streams = c === dependencyUpdates;
        if (streams) assert.equal((await assertFixRoundTrip(c, files, { extraPaths: tree })).applied, 0, `${e.repo}: a new update stream was applied as safe`);
        const r = await assertFixRoundTrip(c, files, { extraPaths: tree, unsafe: streams });
        applied += r.applied;
        if (c === dependencyUpdates) assert.deepEqual(r.remaining.map((f) => f.message), [], `${e.repo}: dependency-update findings left after the fix`);
      }
    }
    // Nine repositories get a new file or entries, three a cooldown (two Dependabot files, curl's Renovate).
    assert.ok(applied >= 12, `only ${applied} fixes applied`);
  });
});
