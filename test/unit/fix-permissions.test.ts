import * as assert from 'node:assert/strict';
import { check } from '../../src/core/checks/excessive-permissions/excessive-permissions';
import { ACTIONS, lookupAction, runNeeds, scriptNeeds } from '../../src/core/permissions/knowledge';
import { analyzeJob, type AnalyzeContext } from '../../src/core/permissions/analyze';
import { loadSourceFile } from '../../src/core/repo/load';
import { assertFixRoundTrip } from '../support/fix-tester';
import { runCheck, yaml } from '../support/check-tester';

const WF = '.github/workflows/ci.yml';

async function fixed(text: string, unsafe = false): Promise<string> {
  const r = await assertFixRoundTrip(check, { [WF]: text }, { unsafe });
  assert.deepEqual(r.remaining.map((f) => f.message), [], 'every permissions finding is fixed');
  return r.files[WF];
}

async function fixesOf(text: string) {
  const { findings } = await runCheck(check, { [WF]: text });
  return findings.map((f) => f.fixes[0]);
}

describe('excessive-permissions fix', () => {
  it('adds contents: read at workflow level and a commented job block for what a job needs', async () => {
    const before = yaml`
      name: CI
      on:
        pull_request:

      # the jobs
      jobs:
        test:
          runs-on: ubuntu-latest
          steps:
            - uses: actions/checkout@v4
            - run: npm test
        comment:
          runs-on: ubuntu-latest
          needs: test
          steps:
            - run: gh pr comment "$PR" --body done
              env:
                GH_TOKEN: \${{ github.token }}
                PR: \${{ github.event.pull_request.number }}
    `;
    const fixes = await fixesOf(before);
    assert.equal(fixes.length, 2);
    assert.equal(fixes[0].safe, true);
    assert.equal(fixes[0].title, 'Grant the workflow token only the scopes each job needs');
    assert.equal(
      await fixed(before),
      yaml`
      name: CI
      on:
        pull_request:

      permissions:
        contents: read # actions/checkout clones the repository

      # the jobs
      jobs:
        test:
          runs-on: ubuntu-latest
          steps:
            - uses: actions/checkout@v4
            - run: npm test
        comment:
          runs-on: ubuntu-latest
          needs: test
          permissions:
            pull-requests: write # gh pr comment comments on pull requests
          steps:
            - run: gh pr comment "$PR" --body done
              env:
                GH_TOKEN: \${{ github.token }}
                PR: \${{ github.event.pull_request.number }}
    `,
    );
  });

  it('writes permissions: {} when no job reads the code', async () => {
    const before = 'on: push\njobs:\n  hello:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo hi\n';
    assert.equal(await fixed(before), 'on: push\npermissions: {}\njobs:\n  hello:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo hi\n');
  });

  it('leaves a job alone under default permissions when an unknown action receives the token, and says why', async () => {
    const before = yaml`
      on: push
      jobs:
        build:
          runs-on: ubuntu-latest
          steps:
            - uses: actions/checkout@v4
            - uses: foo/bar@v1
              with:
                token: \${{ secrets.GITHUB_TOKEN }}
    `;
    const { findings } = await runCheck(check, { [WF]: before });
    assert.equal(findings.length, 1);
    // Before: a "review" fix that set contents: read and broke whatever foo/bar did with the token.
    assert.deepEqual(findings[0].fixes, []);
    assert.deepEqual(findings[0].details, ['Steward leaves this job as it is: Steward cannot see what `foo/bar` does with the token']);
    const r = await assertFixRoundTrip(check, { [WF]: before }, { unsafe: true });
    assert.equal(r.files[WF], before);
  });

  it('does not count an action given another credential as using the token', async () => {
    const before = yaml`
      on: push
      jobs:
        build:
          runs-on: ubuntu-latest
          steps:
            - uses: actions/checkout@v4
              with:
                token: \${{ secrets.BOT_PAT }}
            - uses: actions/upload-artifact@v4
    `;
    const [fix] = await fixesOf(before);
    assert.equal(fix.safe, true);
    assert.equal((await fixed(before)).split('\n')[1], 'permissions: {}');
  });

  it('replaces workflow-level write-all, keeping the line comment, and grants the release job contents: write', async () => {
    const before = yaml`
      name: Release
      on:
        push:
          tags: ['v*']
      permissions: write-all # legacy
      jobs:
        release:
          runs-on: ubuntu-latest
          steps:
            - uses: actions/checkout@v4
            - run: make dist
            - uses: softprops/action-gh-release@v2
              with:
                files: dist/*
    `;
    assert.equal(
      await fixed(before),
      yaml`
      name: Release
      on:
        push:
          tags: ['v*']
      permissions: # legacy
        contents: read # actions/checkout clones the repository
      jobs:
        release:
          runs-on: ubuntu-latest
          permissions:
            contents: write # softprops/action-gh-release creates the GitHub release
          steps:
            - uses: actions/checkout@v4
            - run: make dist
            - uses: softprops/action-gh-release@v2
              with:
                files: dist/*
    `,
    );
  });

  it('moves workflow-level write scopes down to the job that needs them', async () => {
    const before = yaml`
      name: Stale
      on:
        schedule:
          - cron: '0 0 * * *'
      permissions:
        contents: read
        issues: write # close stale issues
        pull-requests: write
      jobs:
        stale:
          runs-on: ubuntu-latest
          steps:
            - uses: actions/stale@v9
        lint:
          runs-on: ubuntu-latest
          steps:
            - uses: actions/checkout@v4
            - run: make lint
    `;
    assert.equal(
      await fixed(before),
      yaml`
      name: Stale
      on:
        schedule:
          - cron: '0 0 * * *'
      permissions:
        contents: read
      jobs:
        stale:
          runs-on: ubuntu-latest
          permissions:
            contents: read # as granted at workflow level
            issues: write # close stale issues
            pull-requests: write # actions/stale labels and closes stale pull requests
          steps:
            - uses: actions/stale@v9
        lint:
          runs-on: ubuntu-latest
          steps:
            - uses: actions/checkout@v4
            - run: make lint
    `,
    );
  });

  it('never grants a job more than the workflow gave it, and empties the workflow block to {}', async () => {
    const before = yaml`
      on:
        schedule:
          - cron: '0 7 * * *'

      permissions:
        issues: write
        pull-requests: write

      jobs:
        action:
          runs-on: ubuntu-latest
          steps:
            - uses: dessant/lock-threads@v5
        report:
          runs-on: ubuntu-latest
          steps:
            - run: echo done
    `;
    assert.equal(
      await fixed(before),
      yaml`
      on:
        schedule:
          - cron: '0 7 * * *'

      permissions: {}

      jobs:
        action:
          runs-on: ubuntu-latest
          permissions:
            issues: write # dessant/lock-threads locks inactive issues
            pull-requests: write # dessant/lock-threads locks inactive pull requests
          steps:
            - uses: dessant/lock-threads@v5
        report:
          runs-on: ubuntu-latest
          steps:
            - run: echo done
    `,
    );
  });

  it('leaves a workflow-level write scope that every job needs where it is (no churn, no finding)', async () => {
    const before = yaml`
      on:
        schedule:
          - cron: '0 7 * * *'
      permissions:
        issues: write # lock old threads
        pull-requests: write
      jobs:
        issues:
          runs-on: ubuntu-latest
          steps:
            - uses: dessant/lock-threads@v5
        prs:
          runs-on: ubuntu-latest
          steps:
            - uses: actions/stale@v9
    `;
    // Before: two medium findings "grant it only on the job that needs it" and a fix copying both
    // scopes into each job.
    const { findings } = await runCheck(check, { [WF]: before });
    assert.deepEqual(findings.map((f) => f.message), []);
  });

  it('is unsafe when it drops an explicitly granted write scope no step is known to need', async () => {
    const before = yaml`
      on: push
      permissions:
        actions: write
        contents: read
      jobs:
        build:
          runs-on: ubuntu-latest
          steps:
            - uses: actions/checkout@v4
    `;
    const [fix] = await fixesOf(before);
    assert.equal(fix.safe, false);
    assert.equal(fix.title, 'Grant the workflow token only the scopes each job needs');
    assert.equal(fix.reviewReason, 'no step Steward can see uses `actions: write`, which the workflow grants: check why it was granted before removing it');
    assert.equal(await fixed(before, true), 'on: push\npermissions:\n  contents: read\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n');
  });

  it('replaces a job-level write-all with the job needs (pages deployment)', async () => {
    const before = yaml`
      on: push
      jobs:
        ping:
          runs-on: ubuntu-latest
          steps:
            - run: echo hi
        pages:
          runs-on: ubuntu-latest
          permissions: write-all
          steps:
            - uses: actions/upload-pages-artifact@v3
            - uses: actions/deploy-pages@v4
    `;
    assert.equal(
      await fixed(before),
      yaml`
      on: push
      permissions: {}
      jobs:
        ping:
          runs-on: ubuntu-latest
          steps:
            - run: echo hi
        pages:
          runs-on: ubuntu-latest
          permissions:
            id-token: write # actions/deploy-pages proves the deployment comes from this workflow
            pages: write # actions/deploy-pages deploys the GitHub Pages site
          steps:
            - uses: actions/upload-pages-artifact@v3
            - uses: actions/deploy-pages@v4
    `,
    );
  });

  it('keeps CRLF line endings', async () => {
    const before = 'on: push\r\njobs:\r\n  build:\r\n    runs-on: ubuntu-latest\r\n    steps:\r\n      - uses: actions/checkout@v4\r\n      - run: git push origin HEAD:refs/heads/out\r\n';
    assert.equal(
      await fixed(before),
      'on: push\r\npermissions:\r\n  contents: read # actions/checkout clones the repository\r\njobs:\r\n  build:\r\n    runs-on: ubuntu-latest\r\n    permissions:\r\n      contents: write # git push pushes to the repository\r\n    steps:\r\n      - uses: actions/checkout@v4\r\n      - run: git push origin HEAD:refs/heads/out\r\n',
    );
  });

  it('edits a flow-style permissions mapping in place', async () => {
    const before = yaml`
      on: pull_request_target
      permissions: { contents: read, pull-requests: write }
      jobs:
        label:
          runs-on: ubuntu-latest
          steps:
            - uses: actions/labeler@v5
        size:
          runs-on: ubuntu-latest
          steps:
            - run: du -sh .
    `;
    assert.equal(
      await fixed(before),
      yaml`
      on: pull_request_target
      permissions: { contents: read }
      jobs:
        label:
          runs-on: ubuntu-latest
          permissions:
            contents: read # actions/labeler reads the labeler configuration
            pull-requests: write # actions/labeler labels pull requests
          steps:
            - uses: actions/labeler@v5
        size:
          runs-on: ubuntu-latest
          steps:
            - run: du -sh .
    `,
    );
  });

  it('follows the file indentation (4 spaces) and places the job block before steps', async () => {
    const before = 'on: [push]\njobs:\n    scan:\n        runs-on: ubuntu-latest\n        steps:\n            - uses: github/codeql-action/init@v3\n            - uses: github/codeql-action/analyze@v3\n';
    assert.equal(
      await fixed(before),
      'on: [push]\npermissions:\n    contents: read # github/codeql-action/init reads the code it analyses (and 1 more)\njobs:\n    scan:\n        runs-on: ubuntu-latest\n        permissions:\n            actions: read # github/codeql-action/init reads workflow run information for code scanning (and 1 more)\n            contents: read # github/codeql-action/init reads the code it analyses (and 1 more)\n            security-events: write # github/codeql-action/init uploads code scanning results (and 1 more)\n        steps:\n            - uses: github/codeql-action/init@v3\n            - uses: github/codeql-action/analyze@v3\n',
    );
  });

  it('reads local composite actions and reusable workflows', async () => {
    const files = {
      [WF]: yaml`
        on: pull_request
        jobs:
          a:
            runs-on: ubuntu-latest
            steps:
              - uses: ./.github/actions/notify
          b:
            uses: ./.github/workflows/release.yml
      `,
      '.github/actions/notify/action.yml': yaml`
        name: notify
        runs:
          using: composite
          steps:
            - run: gh issue comment 1 --body hi
              shell: bash
              env:
                GH_TOKEN: \${{ github.token }}
      `,
      '.github/workflows/release.yml': yaml`
        on: workflow_call
        permissions:
          contents: write
        jobs:
          r:
            runs-on: ubuntu-latest
            steps:
              - run: echo
      `,
    };
    const r = await assertFixRoundTrip(check, files);
    assert.equal(
      r.files[WF],
      yaml`
        on: pull_request
        permissions:
          contents: read # release.yml declares it
        jobs:
          a:
            runs-on: ubuntu-latest
            permissions:
              issues: write # gh issue comment comments on issues
            steps:
              - uses: ./.github/actions/notify
          b:
            permissions:
              contents: write # release.yml declares it
            uses: ./.github/workflows/release.yml
      `,
    );
  });

  it('reads the repository root action for `uses: ./`', async () => {
    const files = {
      [WF]: 'on: push\njobs:\n  self-test:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: ./\n',
      'action.yml': 'name: x\nruns:\n  using: composite\n  steps:\n    - run: gh release upload v1 dist/*\n      shell: bash\n      env:\n        GH_TOKEN: ${{ github.token }}\n',
    };
    const r = await assertFixRoundTrip(check, files);
    assert.equal(
      r.files[WF],
      'on: push\npermissions:\n  contents: read # gh release upload uploads release assets\njobs:\n  self-test:\n    runs-on: ubuntu-latest\n    permissions:\n      contents: write # gh release upload uploads release assets\n    steps:\n      - uses: ./\n',
    );
  });

  it('reads every github-script call: a fully read script is safe', async () => {
    const before = yaml`
      on: issues
      jobs:
        triage:
          runs-on: ubuntu-latest
          steps:
            - uses: actions/github-script@v7
              with:
                script: |
                  await github.rest.issues.addLabels({ ...context.repo, issue_number: 1, labels: ['x'] })
    `;
    const [fix] = await fixesOf(before);
    assert.equal(fix.safe, true);
    assert.match(await fixed(before), /issues: write # actions\/github-script calls issues\.addLabels\n/);
  });

  it('leaves a deploy job alone when it runs a script Steward cannot read after checkout kept its credentials', async () => {
    const before = yaml`
      on: push
      jobs:
        docs:
          runs-on: ubuntu-latest
          steps:
            - uses: actions/checkout@v4
            - name: Deploy docs
              run: scripts/publish
    `;
    const { findings } = await runCheck(check, { [WF]: before });
    assert.deepEqual(findings[0].fixes, []);
    assert.deepEqual(findings[0].details, ['Steward leaves this job as it is: Steward cannot see whether `scripts/publish` pushes with the credentials actions/checkout keeps']);
  });

  it('offers no fix for a workflow-only reusable file and leaves others untouched', async () => {
    const { findings } = await runCheck(check, { [WF]: 'on: workflow_call\njobs:\n  a:\n    runs-on: x\n    steps:\n      - run: echo\n' });
    assert.equal(findings.length, 0);
  });
});

describe('permissions knowledge base', () => {
  it('has at least 40 actions, each with a reason for every scope', () => {
    assert.ok(ACTIONS.length >= 40, `${ACTIONS.length} entries`);
    for (const a of ACTIONS) for (const g of a.grants) assert.ok(g.reason.length > 5 && !g.reason.includes('\n'), `${a.action} ${g.scope}`);
  });

  it('looks actions up case-insensitively and by sub-action prefix', () => {
    assert.equal(lookupAction('Actions', 'Checkout')?.action, 'actions/checkout');
    assert.equal(lookupAction('github', 'codeql-action', 'upload-sarif')?.action, 'github/codeql-action/*');
    assert.equal(lookupAction('github', 'codeql-action', 'autobuild')?.grants.length, 0);
    assert.equal(lookupAction('someone', 'unknown'), undefined);
  });

  it('reads scopes from run scripts', () => {
    const r = runNeeds('set -e\ngh release create "$TAG" \\\n  dist/* && gh issue list\ngit -c user.name=x push origin main\nnpm publish --provenance\ngh api repos/x/y');
    assert.deepEqual(
      r.grants.map((g) => `${g.source}: ${g.scope} ${g.level}`),
      ['gh release create: contents write', 'gh issue list: issues read', 'git push: contents write', 'npm publish --provenance: id-token write'],
    );
    assert.deepEqual(r.review, []);
    assert.deepEqual(runNeeds('npm publish').grants, []);
    assert.deepEqual(runNeeds('gh pr merge --auto --squash "$PR"').grants.map((g) => `${g.scope} ${g.level}`), ['contents write', 'pull-requests write']);
    assert.deepEqual(runNeeds('mkdocs gh-deploy --force').grants.map((g) => `${g.source}: ${g.scope} ${g.level}`), ['mkdocs gh-deploy: contents write']);
    assert.deepEqual(runNeeds('docker push ghcr.io/o/r:latest').grants.map((g) => `${g.scope} ${g.level}`), ['packages write']);
    assert.equal(runNeeds('echo hi # gh pr comment').grants.length, 0);
  });

  it('every command that pushes with the saved Git credentials needs contents: write (a gap broke a "safe" fix of `lerna version` and `ghp-import --push`)', () => {
    const cases: [string, string, boolean][] = [
      ['mkdocs gh-deploy --force', 'mkdocs gh-deploy', true],
      ['ghp-import -n -p -f site', 'ghp-import', true],
      ['ghp-import --push site', 'ghp-import', true],
      ['ghp-import -npf site', 'ghp-import', true],
      ['npx gh-pages -d dist', 'gh-pages', true],
      ['node_modules/.bin/gh-pages --dist build', 'gh-pages', true],
      ['mike deploy --push --update-aliases 1.0 latest', 'mike deploy --push', true],
      ['mike deploy -p 1.0', 'mike deploy --push', true],
      ['npx semantic-release', 'semantic-release', false],
      ['npx lerna version --yes', 'lerna version', false],
      ['lerna publish from-git', 'lerna publish', false],
      ['npx release-it --ci', 'release-it', false],
      ['cargo release --execute', 'cargo release', false],
      ['bundle exec rake release', 'rake release', false],
      ['./mvnw -B release:prepare', 'mvn release:prepare', false],
      ['sbt "release with-defaults"', 'sbt release', false],
      ['tbump 1.2.3 --non-interactive', 'tbump', false],
    ];
    for (const [run, source, gitOnly] of cases) {
      const r = runNeeds(run);
      assert.deepEqual(r.grants.map((g) => `${g.source}: ${g.scope} ${g.level}`), [`${source}: contents write`], run);
      // A release tool may call the API with a token it is given: Steward does not claim to know all it needs.
      assert.equal(r.recognised, gitOnly, run);
    }
    for (const run of ['mkdocs build', 'ghp-import site', 'mike deploy 1.0', 'mike list', 'lerna run test', 'cargo build --release', 'npx gh-pages-cli --help', 'sbt ci-release', 'mvn -B package', 'rake test', 'bundle exec rake release:sinatra', 'tbump --only-patch 1.2.3']) assert.deepEqual(runNeeds(run).grants, [], run);
  });

  it('reads scopes from github-script calls', () => {
    const r = scriptNeeds('await github.rest.pulls.get({}); await github.rest.repos.createCommitStatus({}); await github.graphql(q)');
    assert.deepEqual(r.grants.map((g) => `${g.scope} ${g.level}`), ['pull-requests read', 'statuses write']);
    assert.deepEqual(r.review, ['Steward cannot tell what the GraphQL queries of actions/github-script need']);
  });
});

describe('token permissions never drop a scope Steward cannot account for (issue 14, class 1)', () => {
  async function oneFix(files: Record<string, string>) {
    const { findings } = await runCheck(check, files);
    const fx = findings.flatMap((f) => f.fixes);
    return { findings, fix: fx[0] };
  }

  it('keeps the scopes of a job whose local action defaults an input to the token, with a # kept: reason', async () => {
    const files = {
      [WF]: yaml`
        on: push
        permissions:
          contents: write
        jobs:
          build:
            runs-on: ubuntu-latest
            steps:
              - uses: ./.github/actions/tag
          lint:
            runs-on: ubuntu-latest
            steps:
              - run: make lint
      `,
      '.github/actions/tag/action.yml': yaml`
        name: tag
        inputs:
          repo-token:
            default: \${{ github.token }}
        runs:
          using: node20
          main: index.js
      `,
    };
    const r = await assertFixRoundTrip(check, files);
    // Before: contents: write was removed from build, and the action's push failed.
    assert.equal(
      r.files[WF],
      yaml`
        on: push
        permissions: {}
        jobs:
          build:
            runs-on: ubuntu-latest
            permissions:
              contents: write # kept: Steward cannot see what the local action \`./.github/actions/tag\` does with the token
            steps:
              - uses: ./.github/actions/tag
          lint:
            runs-on: ubuntu-latest
            steps:
              - run: make lint
      `,
    );
  });

  it('reads `gh api` endpoints: a pull request comment through the issues API keeps the granted pull-requests: write', async () => {
    const before = yaml`
      on: pull_request
      permissions:
        contents: read
        pull-requests: write # bot comments
      jobs:
        test:
          runs-on: ubuntu-latest
          steps:
            - uses: actions/checkout@v4
            - run: npm test
        report:
          runs-on: ubuntu-latest
          steps:
            - run: gh api -X POST "repos/$GITHUB_REPOSITORY/issues/$PR/comments" -f body=done
              env:
                GH_TOKEN: \${{ github.token }}
                PR: \${{ github.event.number }}
    `;
    // Before: `gh api` made the fix review; and issues.createComment was mapped to issues: write only,
    // which the workflow does not grant, so pull-requests: write was dropped.
    const { fix } = await oneFix({ [WF]: before });
    assert.equal(fix.safe, true);
    assert.equal(
      await fixed(before),
      yaml`
      on: pull_request
      permissions:
        contents: read
      jobs:
        test:
          runs-on: ubuntu-latest
          steps:
            - uses: actions/checkout@v4
            - run: npm test
        report:
          runs-on: ubuntu-latest
          permissions:
            contents: read # as granted at workflow level
            pull-requests: write # bot comments
          steps:
            - run: gh api -X POST "repos/$GITHUB_REPOSITORY/issues/$PR/comments" -f body=done
              env:
                GH_TOKEN: \${{ github.token }}
                PR: \${{ github.event.number }}
    `,
    );
  });

  it('maps github-script calls with the endpoint table: issues.createComment on a pull request event is pull-requests: write', async () => {
    const before = yaml`
      on: pull_request_target
      jobs:
        welcome:
          runs-on: ubuntu-latest
          steps:
            - uses: actions/github-script@v7
              with:
                script: |
                  const n = context.issue.number
                  await github.rest.issues.createComment({ ...context.repo, issue_number: n, body: 'Thanks!' })
    `;
    const { fix } = await oneFix({ [WF]: before });
    assert.equal(fix.safe, true);
    assert.match(await fixed(before), /\n    permissions:\n      issues: write # actions\/github-script calls issues\.createComment\n/);
  });

  it('reads curl calls to the API that carry the token', () => {
    const env = { TOKEN: '${{ secrets.GITHUB_TOKEN }}' };
    const r = runNeeds('curl -sS -X POST -H "Authorization: Bearer $TOKEN" https://api.github.com/repos/o/r/statuses/$SHA -d \'{"state":"success"}\'', env);
    assert.deepEqual(r.grants.map((g) => `${g.source}: ${g.scope} ${g.level}`), ['curl: statuses write']);
    assert.deepEqual(r.review, []);
    // Anonymous calls need nothing; an endpoint Steward does not know is said plainly.
    assert.deepEqual(runNeeds('curl https://api.github.com/repos/o/r/releases/latest').grants, []);
    assert.deepEqual(runNeeds('curl -H "Authorization: token $T" -X PUT https://api.github.com/repos/o/r/collaborators/x', { T: '${{ github.token }}' }).review, ['Steward does not know which permission `PUT /repos/o/r/collaborators/x` needs']);
  });

  it('reads repository scripts the steps run: a push through subprocess needs contents: write', async () => {
    const files = {
      [WF]: yaml`
        on: push
        jobs:
          bump:
            runs-on: ubuntu-latest
            steps:
              - uses: actions/checkout@v4
              - run: python .github/scripts/bump.py
      `,
      '.github/scripts/bump.py': 'import subprocess\nsubprocess.run(["git", "commit", "-am", "bump"], check=True)\nsubprocess.run(["git", "push", "origin", "HEAD"], check=True)\n',
    };
    const r = await assertFixRoundTrip(check, files);
    assert.match(r.files[WF], /\n    permissions:\n      contents: write # `\.github\/scripts\/bump\.py` pushes to the repository\n/);
  });

  it('says in plain words which script it cannot see when the token goes to it, and makes the fix review', async () => {
    const files = {
      [WF]: yaml`
        on:
          push:
            tags: ['v*']
        permissions: write-all
        jobs:
          release:
            runs-on: ubuntu-latest
            steps:
              - uses: actions/checkout@v4
              - run: ./scripts/release.py
                env:
                  GITHUB_TOKEN: \${{ secrets.GITHUB_TOKEN }}
      `,
    };
    const { fix } = await oneFix(files);
    assert.equal(fix.safe, false);
    assert.equal(fix.reviewReason, 'Steward cannot see what `./scripts/release.py` does with the token');
  });

  it('follows local scripts that github-script requires', async () => {
    const files = {
      [WF]: yaml`
        on: issues
        jobs:
          triage:
            runs-on: ubuntu-latest
            steps:
              - uses: actions/checkout@v4
              - uses: actions/github-script@v7
                with:
                  script: |
                    const run = require('./.github/scripts/triage.js')
                    await run({ github, context })
      `,
      '.github/scripts/triage.js': "module.exports = async ({ github, context }) => {\n  await github.rest.issues.addLabels({ ...context.repo, issue_number: context.issue.number, labels: ['triage'] })\n}\n",
    };
    const { fix } = await oneFix(files);
    assert.equal(fix.safe, true);
    const r = await assertFixRoundTrip(check, files);
    assert.match(r.files[WF], /\n      issues: write # `\.github\/scripts\/triage\.js` calls issues\.addLabels\n/);
  });

  it('keeps the scopes a remote reusable workflow may use, with a # kept: reason', async () => {
    const before = yaml`
      on: push
      permissions:
        contents: write
        id-token: write
      jobs:
        test:
          runs-on: ubuntu-latest
          steps:
            - uses: actions/checkout@v4
        publish:
          uses: octo/shared/.github/workflows/publish.yml@v1
    `;
    assert.equal(
      await fixed(before),
      yaml`
      on: push
      permissions:
        contents: read
      jobs:
        test:
          runs-on: ubuntu-latest
          steps:
            - uses: actions/checkout@v4
        publish:
          permissions:
            contents: write # kept: Steward cannot see what the reusable workflow \`octo/shared/.github/workflows/publish.yml@v1\` needs
            id-token: write # kept: Steward cannot see what the reusable workflow \`octo/shared/.github/workflows/publish.yml@v1\` needs
          uses: octo/shared/.github/workflows/publish.yml@v1
    `,
    );
  });
});

describe('excessive-permissions findings: the token as it really is (issue 15)', () => {
  it('does not say "default token permissions" for a job that calls a local reusable workflow which caps its own', async () => {
    const files = {
      [WF]: yaml`
        on: push
        jobs:
          docs:
            uses: ./.github/workflows/docs.yml
          test:
            runs-on: ubuntu-latest
            steps:
              - run: make test
      `,
      '.github/workflows/docs.yml': yaml`
        on: workflow_call
        permissions:
          contents: read
        jobs:
          build:
            runs-on: ubuntu-latest
            steps:
              - run: make docs
      `,
    };
    const { findings } = await runCheck(check, files);
    assert.deepEqual(findings.filter((f) => f.location?.file === WF).map((f) => f.message), ["Job test runs with the repository's default token permissions: no `permissions:` on the job or the workflow"]);
  });

  it('names the jobs that need a workflow-level write scope when some do not', async () => {
    const before = yaml`
      on: push
      permissions:
        contents: write
      jobs:
        release:
          runs-on: ubuntu-latest
          steps:
            - uses: softprops/action-gh-release@v2
        lint:
          runs-on: ubuntu-latest
          steps:
            - run: make lint
    `;
    const { findings } = await runCheck(check, { [WF]: before });
    assert.deepEqual(findings.map((f) => f.message), ['`contents: write` is granted to every job at workflow level, but only job release needs it; grant it on the job that needs it']);
  });
});

describe('token permissions fix keeps the file as its maintainers wrote it', () => {
  it('keeps quoted scope values quoted', async () => {
    const before = 'on: push\npermissions:\n  "contents": "write"\njobs:\n  release:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - run: gh release create v1\n        env:\n          GH_TOKEN: ${{ github.token }}\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n';
    assert.equal(
      await fixed(before),
      'on: push\npermissions:\n  "contents": "read"\njobs:\n  release:\n    runs-on: ubuntu-latest\n    permissions:\n      contents: write # gh release create creates releases\n    steps:\n      - uses: actions/checkout@v4\n      - run: gh release create v1\n        env:\n          GH_TOKEN: ${{ github.token }}\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n',
    );
  });

  it('reads github-script requires of dot paths without ./ (relative to the workspace)', () => {
    assert.deepEqual(scriptNeeds("const s = require('.github/workflows/x/script.cjs')").scripts, ['.github/workflows/x/script.cjs']);
  });
});

describe('token permissions walk parallel: groups and background steps', () => {
  it('counts what steps inside a parallel: group and background: true steps need', async () => {
    const before = yaml`
      on: pull_request
      jobs:
        test:
          runs-on: ubuntu-latest
          steps:
            - uses: actions/checkout@v4
            - parallel:
                - run: npm test
                - run: gh pr comment "$PR" --body started
                  env:
                    GH_TOKEN: \${{ github.token }}
                    PR: \${{ github.event.number }}
            - run: gh release download nightly
              background: true
              env:
                GH_TOKEN: \${{ github.token }}
    `;
    assert.match(await fixed(before), /\n    permissions:\n      contents: read # actions\/checkout clones the repository \(and 1 more\)\n      pull-requests: write # gh pr comment comments on pull requests\n/);
  });
});

describe('permissions knowledge: goreleaser', () => {
  it('grants contents: write for a release, nothing for a snapshot build', async () => {
    const wf = (args: string) => `on: push\njobs:\n  b:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: goreleaser/goreleaser-action@v6\n        with:\n          args: ${args}\n`;
    assert.match(await fixed(wf('release --clean')), /contents: write # goreleaser\/goreleaser-action publishes the GitHub release/);
    assert.equal((await fixed(wf('release --snapshot --clean'))).split('\n')[1], 'permissions: {}');
  });
});

describe('permissions: a pull request comment through the issues API', () => {
  it('drops issues: write safely when pull-requests: write, which stays, authorises the comment', async () => {
    const before = yaml`
      on: pull_request_target
      permissions:
        contents: read
        issues: write
        pull-requests: write
      jobs:
        guard:
          runs-on: ubuntu-latest
          steps:
            - uses: actions/github-script@v7
              with:
                script: |
                  await github.rest.issues.createComment({ ...context.repo, issue_number: context.issue.number, body: 'no' })
                  await github.rest.pulls.update({ ...context.repo, pull_number: context.issue.number, state: 'closed' })
    `;
    const { findings } = await runCheck(check, { [WF]: before });
    // Before: "review: no step Steward recognises needs `issues: write`".
    assert.deepEqual(findings.map((f) => f.message), ['`issues: write` is granted to every job at workflow level, but no job Steward can see needs it; leave it out']);
    assert.equal(findings[0].fixes[0].safe, true);
    assert.match(findings[0].fixes[0].caveat ?? '', /`issues: write` is removed: the calls that could use it are authorised by `pull-requests: write`, which stays\./);
    assert.equal(await fixed(before), before.replace('  issues: write\n', ''));
  });
});

describe('analyzeJob answers kept per context (issue 19)', () => {
  // A workflow whose job runs a local script: what the job needs depends on what the context reads.
  const text = 'on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: ./release.sh\n';
  const wfFile = () => loadSourceFile(WF, new TextEncoder().encode(text));

  it('one context asked twice gets the same answer; another context (other texts) its own', () => {
    const f = wfFile();
    const job = f.workflow!.jobs[0];
    let reads = 0;
    const pushes: AnalyzeContext = { readText: (p) => (reads++, p === 'release.sh' ? 'gh release create v1\n' : undefined) };
    const first = analyzeJob(job, f.workflow!, pushes);
    const readsOnce = reads;
    assert.equal(analyzeJob(job, f.workflow!, pushes), first);
    assert.equal(reads, readsOnce, 'the second ask walks nothing again');
    assert.equal(first.needs.get('contents')?.level, 'write');
    // The same job under a context whose script only reads: its own answer, not the first one.
    const reader: AnalyzeContext = { readText: (p) => (p === 'release.sh' ? 'echo hi\n' : undefined) };
    assert.notEqual(analyzeJob(job, f.workflow!, reader).needs.get('contents')?.level, 'write');
    // Without a context, nothing is kept between calls.
    assert.notEqual(analyzeJob(job, f.workflow!), analyzeJob(job, f.workflow!));
  });

  it('a re-parsed workflow (new job objects) is analysed afresh under the same context', () => {
    const ctx: AnalyzeContext = {};
    const a = wfFile();
    const b = wfFile();
    assert.notEqual(analyzeJob(b.workflow!.jobs[0], b.workflow!, ctx), analyzeJob(a.workflow!.jobs[0], a.workflow!, ctx));
    assert.deepEqual(analyzeJob(b.workflow!.jobs[0], b.workflow!, ctx), analyzeJob(a.workflow!.jobs[0], a.workflow!, ctx));
  });
});
