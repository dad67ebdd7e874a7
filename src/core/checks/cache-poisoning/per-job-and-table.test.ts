import * as assert from 'node:assert/strict';
import { check } from './cache-poisoning';
import { runCheck, where, yaml } from '../../../../test/support/check-tester';
import { assertFixRoundTrip } from '../../../../test/support/fix-tester';

// Issue 15 "Cache poisoning per publishing job", issue 14 class 6 and the issue-18 table of
// cache-aware actions, one fixture per row.

const WF = '.github/workflows/release.yml';

const publishJob = (trigger: string, steps: string) => `on:\n${trigger}\njobs:\n  publish:\n    runs-on: ubuntu-latest\n    steps:\n${steps}    - run: npm publish\n`;

describe('cache-poisoning: release triggers', () => {
  it("reads tags: ['!**'] as no tags, create with tag refs and registry_package as release triggers", async () => {
    const lint = yaml`
      on:
        push:
          branches: [main]
          tags: ['!**']
      jobs:
        lint:
          runs-on: ubuntu-latest
          steps:
            - uses: actions/setup-go@v5
            - uses: actions/upload-artifact@v4
    `;
    assert.deepEqual((await runCheck(check, { [WF]: lint })).findings, []);
    const create = yaml`
      on: create
      jobs:
        build:
          if: startsWith(github.ref, 'refs/tags/')
          runs-on: ubuntu-latest
          steps:
            - uses: actions/setup-go@v5
            - uses: some/release-action@v1
            - uses: actions/upload-artifact@v4
    `;
    const c = await runCheck(check, { [WF]: create });
    assert.deepEqual(c.findings.map((f) => f.severity), ['medium']);
    assert.match(c.findings[0].message, /the workflow runs on creation of tags and job build hands over artifacts/);
    const pkg = await runCheck(check, { [WF]: create.replace('on: create', 'on: registry_package').replace(/^ *if: .*\n/m, '') });
    assert.match(pkg.findings[0].message, /runs on package publication/);
  });

  it('flags the publishing job, not the test job of a tag workflow', async () => {
    const { findings } = await runCheck(check, {
      [WF]: yaml`
        on:
          push:
            tags: ['v*']
        jobs:
          test:
            runs-on: ubuntu-latest
            steps:
              - uses: actions/setup-go@v5
              - run: go test ./...
          publish:
            needs: test
            runs-on: ubuntu-latest
            steps:
              - uses: actions/setup-go@v5
              - run: goreleaser release
      `,
    });
    assert.deepEqual(where(findings), [`${WF}:14:15`]);
  });
});

describe('cache-poisoning: the table of cache-aware actions', () => {
  const sev = async (steps: string, trigger = "  push:\n    tags: ['v*']") => (await runCheck(check, { [WF]: publishJob(trigger, steps) })).findings.map((f) => f.message.split(', and ')[0]);

  it('PyO3/maturin-action with sccache, Mozilla-Actions/sccache-action', async () => {
    assert.deepEqual(await sev('    - uses: PyO3/maturin-action@v1\n      with:\n        sccache: "true"\n'), ['PyO3/maturin-action restores the sccache compiler cache (sccache: true)']);
    assert.deepEqual(await sev('    - uses: PyO3/maturin-action@v1\n      with:\n        sccache: false\n'), []);
    assert.deepEqual(await sev('    - uses: Mozilla-Actions/sccache-action@v0.0.9\n'), ['Mozilla-Actions/sccache-action sets up sccache on the Actions cache']);
  });

  it('actions/setup-node caches by default from v5 (package-manager-cache), only with cache: before', async () => {
    assert.deepEqual(await sev('    - uses: actions/setup-node@v5\n'), ['actions/setup-node restores a package cache (automatically, when package.json names its package manager)']);
    assert.deepEqual(await sev('    - uses: actions/setup-node@v5\n      with:\n        package-manager-cache: false\n'), []);
    assert.deepEqual(await sev('    - uses: actions/setup-node@v4\n'), []);
    assert.deepEqual(await sev('    - uses: actions/setup-node@v4\n      with:\n        cache: npm\n'), ['actions/setup-node restores a package cache (cache: npm)']);
    const { findings } = await runCheck(check, { [WF]: publishJob("  push:\n    tags: ['v*']", '    - uses: actions/setup-node@v6\n') });
    assert.equal(findings[0].fixes[0].edits[0].newText, '      with:\n        package-manager-cache: false\n');
  });

  it('setup-node v5+ with `cache: npm`: one fix writes the final form, the re-scan finds nothing, a second run changes nothing (issue 14 oracle)', async () => {
    // The shape of github/codeql-action's post-release-mergeback.yml: removing `cache:` alone left
    // the v5+ default cache on, and a second round added `package-manager-cache: false`.
    const step = "    - uses: actions/setup-node@v6\n      with:\n        node-version: 24\n        cache: 'npm'  # speeds up\n";
    const files = { [WF]: publishJob("  push:\n    tags: ['v*']", step) };
    const { findings } = await runCheck(check, files);
    assert.deepEqual(findings.map((f) => [f.location?.start.line, f.fixes.map((x) => [x.title, x.safe])]), [[11, [["Turn off the cache (package-manager-cache: false instead of cache: npm)", true]]]]);
    const fixed = await assertFixRoundTrip(check, files);
    assert.equal(fixed.files[WF], files[WF].replace("cache: 'npm'  # speeds up", 'package-manager-cache: false  # speeds up'));
    assert.deepEqual(fixed.remaining, []);
    const again = await assertFixRoundTrip(check, fixed.files);
    assert.equal(again.applied, 0);
    assert.equal(again.files[WF], fixed.files[WF]);
    // `package-manager-cache: true` beside `cache:`: both edits in the one fix.
    const both = { [WF]: publishJob("  push:\n    tags: ['v*']", '    - uses: actions/setup-node@v5\n      with:\n        cache: yarn\n        package-manager-cache: true\n') };
    const b = await assertFixRoundTrip(check, both);
    assert.equal(b.applied, 1);
    assert.equal(b.files[WF], both[WF].replace('        cache: yarn\n', '').replace('package-manager-cache: true', 'package-manager-cache: false'));
    assert.deepEqual(b.remaining, []);
    // Already off: only `cache:` goes.
    const off = { [WF]: publishJob("  push:\n    tags: ['v*']", '    - uses: actions/setup-node@v5\n      with:\n        package-manager-cache: false\n        cache: pnpm\n') };
    const o = await assertFixRoundTrip(check, off);
    assert.equal(o.files[WF], off[WF].replace('        cache: pnpm\n', ''));
    assert.deepEqual(o.remaining, []);
  });

  it('astral-sh/setup-uv by major: opt-in before v5, on by default v5–v9, auto off for release/workflow_run/pull_request_target from v10', async () => {
    assert.deepEqual(await sev('    - uses: astral-sh/setup-uv@v4\n'), []);
    assert.deepEqual(await sev('    - uses: astral-sh/setup-uv@v6\n'), ['astral-sh/setup-uv restores the uv cache (caches by default)']);
    assert.deepEqual(await sev('    - uses: astral-sh/setup-uv@v10\n', '  release:\n    types: [published]'), []);
    assert.deepEqual(await sev('    - uses: astral-sh/setup-uv@v10\n'), ['astral-sh/setup-uv restores the uv cache (caches by default)']);
    assert.deepEqual(await sev('    - uses: astral-sh/setup-uv@v10\n      with:\n        enable-cache: true\n', '  release:\n    types: [published]'), ['astral-sh/setup-uv restores the uv cache (enable-cache: true)']);
  });

  it('honours every opt-out: lookup-only, ignore-cache, cache: false, boolean-ish strings', async () => {
    assert.deepEqual(await sev('    - uses: actions/cache@v4\n      with:\n        lookup-only: true\n'), []);
    assert.deepEqual(await sev('    - uses: ramsey/composer-install@v3\n      with:\n        ignore-cache: "yes"\n'), []);
    assert.deepEqual(await sev('    - uses: actions/setup-go@v5\n      with:\n        cache: "False"\n'), []);
    assert.deepEqual(await sev("      - uses: actions/setup-python@v5\n      with:\n        cache: ''\n"), []);
    assert.deepEqual(await sev('    - uses: Swatinem/rust-cache@v2\n      with:\n        lookup-only: "TRUE"\n'), []);
    assert.deepEqual(await sev('    - uses: actions/cache@v4\n      with:\n        lookup-only: false\n'), ['actions/cache restores a cache']);
  });
});
