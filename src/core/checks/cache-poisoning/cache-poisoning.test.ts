import * as assert from 'node:assert/strict';
import { check } from './cache-poisoning';
import { assertFindingsAt, runCheck, yaml } from '../../../../test/support/check-tester';
import { assertFixRoundTrip } from '../../../../test/support/fix-tester';

const WF = '.github/workflows/release.yml';

const TAG_RELEASE = yaml`
  name: release
  on:
    push:
      tags: ["v*"]
  jobs:
    build:
      runs-on: ubuntu-latest
      steps:
        - uses: actions/checkout@v4
        - uses: actions/setup-python@v5
          with:
            python-version: "3.12"
            cache: pip  # speeds up the build
        - run: python -m build
        - uses: actions/upload-artifact@v4
          with: {name: dist, path: dist/}
    test:
      runs-on: ubuntu-latest
      steps:
        - uses: actions/setup-go@v5
        - uses: actions/cache@v4
          with: {path: ~/.cache, key: x}
    publish:
      needs: [build, test]
      runs-on: ubuntu-latest
      steps:
        - uses: actions/download-artifact@v4
        - uses: Swatinem/rust-cache@v2
        - uses: pypa/gh-action-pypi-publish@release/v1
`;

describe('cache-poisoning', () => {
  it('reports caches in tag-triggered release workflows, rated by how close they are to the publish', async () => {
    const { findings, result } = await runCheck(check, { [WF]: TAG_RELEASE });
    assert.equal(result.status, 'fail');
    // Issue 15: per publishing job — the test job of this tag-triggered workflow ships nothing.
    assertFindingsAt(findings, [`${WF}:13:11`, `${WF}:28:15`]);
    assert.deepEqual(findings.map((f) => f.severity), ['high', 'high']);
    assert.equal(
      findings[0].message,
      "actions/setup-python restores a package cache (cache: pip), and job build builds artifacts that job publish publishes (pypa/gh-action-pypi-publish): a cache entry saved by another run could end up in the release (since June 2026 only trusted triggers can save to the default branch's cache, so what remains is an entry saved by a push or scheduled run in which a compromised dependency or tool ran)",
    );
    assert.match(findings[1].message, /Swatinem\/rust-cache .* job publish also publishes/);
    assert.equal(findings[0].fixes[0].caveat, 'Release builds in job build get slower: what the cache saved is downloaded or rebuilt on every run.');
  });

  it('offers a safe fix that removes the cache input line and keeps everything else', async () => {
    const { files } = await assertFixRoundTrip(check, { [WF]: TAG_RELEASE });
    assert.equal(
      files[WF],
      TAG_RELEASE.replace('          cache: pip  # speeds up the build\n', ''),
    );
  });

  it('setup-ruby bundler-cache: the install moves to a step of its own, as a review fix (removing it alone broke bundle exec)', async () => {
    const text = [
      'on:',
      '  push:',
      '    tags: [v*]',
      'jobs:',
      '  release:',
      '    runs-on: ubuntu-latest',
      '    permissions:',
      '      id-token: write',
      '    steps:',
      '      - uses: actions/checkout@v4',
      '      - uses: ruby/setup-ruby@v1',
      '        with:',
      '          bundler-cache: true',
      '          ruby-version: ruby',
      '      # push gems to rubygems.org',
      '      - run: bundle exec rake release',
      '',
    ].join('\n');
    const { findings } = await runCheck(check, { [WF]: text });
    assert.equal(findings.length, 1);
    const fix = findings[0].fixes[0];
    assert.equal(fix.title, "Install the gems in a step of their own instead of setup-ruby's bundler-cache");
    assert.equal(fix.safe, false);
    assert.match(fix.reviewReason!, /also made setup-ruby run `bundle install`/);
    // Not applied as a safe fix; applied when review fixes are asked for, with the install right after the step.
    assert.deepEqual((await assertFixRoundTrip(check, { [WF]: text })).files[WF], text);
    const { files } = await assertFixRoundTrip(check, { [WF]: text }, { unsafe: true });
    assert.equal(files[WF], text.replace('          bundler-cache: true\n', '').replace('      # push', '      - run: bundle install\n      # push'));
    // The last step of a file without a final line break.
    const last = text.replace('      # push gems to rubygems.org\n      - run: bundle exec rake release\n', '').replace(/\n$/, '');
    const r = await assertFixRoundTrip(check, { [WF]: last }, { unsafe: true });
    assert.equal(r.files[WF], last.replace('          bundler-cache: true\n', '') + '\n      - run: bundle install');
  });

  it('adds the off switch to an existing with: block, also at the end of a file without a final newline', async () => {
    const text = [
      'on: release',
      'jobs:',
      '  publish:',
      '    runs-on: ubuntu-latest',
      '    steps:',
      '      - name: Go',
      '        uses: actions/setup-go@v5   # toolchain',
      '        with:',
      '          go-version: |',
      '            1.24',
      '      - run: goreleaser release',
      '      - {uses: astral-sh/setup-uv@v6}',
      '      - uses: jdx/mise-action@v2',
      '        with:',
      '          install: true',
    ].join('\r\n');
    const { findings } = await runCheck(check, { [WF]: text });
    assertFindingsAt(findings, [`${WF}:7:15`, `${WF}:12:16`, `${WF}:13:15`]);
    assert.equal(findings[1].fixes.length, 0, 'flow-style step: no place to splice');
    const { files } = await assertFixRoundTrip(check, { [WF]: text });
    assert.equal(
      files[WF],
      text
        .replace('            1.24\r\n', '            1.24\r\n          cache: false\r\n')
        .replace('          install: true', '          install: true\r\n          cache: false'),
    );
  });

  it('reports publishing jobs in push workflows and setup-uv/setup-go defaults, with set-false fixes', async () => {
    const text = yaml`
      on:
        push:
          branches: [main]
        pull_request:
      jobs:
        test:
          runs-on: ubuntu-latest
          steps:
            - uses: actions/setup-node@v4
              with: {cache: npm}
        image:
          runs-on: ubuntu-latest
          steps:
            - uses: astral-sh/setup-uv@v6
              with:
                enable-cache: true
            - uses: actions/setup-go@0aaccfd150d50ccaeb58ebd88d36e91967a5f35b # v5.4.0
              with:
                go-version: stable
                cache: true
            - uses: docker/build-push-action@v6
              with:
                push: \${{ github.event_name != 'pull_request' }}
                cache-from: type=gha
    `;
    const { findings } = await runCheck(check, { [WF]: text });
    assertFindingsAt(findings, [`${WF}:16:11`, `${WF}:20:11`, `${WF}:24:11`]);
    assert.ok(findings.every((f) => f.severity === 'high'));
    assert.match(findings[2].message, /cache-from: type=gha.*job image also publishes \(docker\/build-push-action\)/);
    const { files } = await assertFixRoundTrip(check, { [WF]: text });
    assert.equal(files[WF], text.replace('enable-cache: true', 'enable-cache: false').replace('cache: true', 'cache: false'));
  });

  it('accepts caches outside release workflows, disabled caches and old setup-go', async () => {
    const { findings, result } = await runCheck(check, {
      '.github/workflows/ci.yml': yaml`
        "on": [push, pull_request]
        jobs:
          test:
            runs-on: ubuntu-latest
            steps:
              - uses: actions/cache@v4
                with: {path: x, key: y}
      `,
      [WF]: yaml`
        on:
          release:
            types: [published]
        jobs:
          publish:
            runs-on: ubuntu-latest
            steps:
              - uses: actions/setup-node@v4
                with: {node-version: 20, cache: ''}
              - uses: actions/setup-go@v3
              - uses: &uv astral-sh/setup-uv@v6
                with: {enable-cache: false}
              - uses: actions/setup-python@v5
              - run: npm publish
      `,
      // A composite action alone says nothing about the workflow that will call it.
      'release/action.yml': yaml`
        name: release
        runs:
          using: composite
          steps:
            - uses: actions/cache@v4
              with: {path: x, key: y}
            - {shell: bash, run: npm publish}
      `,
    });
    assert.deepEqual(findings, []);
    assert.equal(result.status, 'pass');
  });
});
