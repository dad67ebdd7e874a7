import * as assert from 'node:assert/strict';
import picomatch from 'picomatch';
import { globMatches, tooComplex } from '../../src/core/repo/glob';
import { directoryMatches } from '../../src/core/dependabot/config';
import { globMatch } from '../../src/core/config/suppress';

// Repository globs (Dependabot `directories`, package.json `workspaces`) are matched with picomatch,
// compiled once each; a segment of many `*` (which backtracks exponentially in picomatch: 12 took
// 1.2 s on one path) is not evaluated and counts as the answer that invents no finding.

describe('repository globs', () => {
  it('match as picomatch does for ordinary globs', () => {
    const cases: [string, string][] = [
      ['/packages/*', '/packages/a'], ['/packages/*', '/packages/a/b'], ['/**', '/x/y'], ['/**/*', '/x'], ['/apps/{web,api}', '/apps/api'], ['/.github/*', '/.github/x'], ['/a/*b*', '/a/xbx'],
    ];
    for (const [pattern, path] of cases) {
      assert.equal(globMatches(path, pattern, false), picomatch.isMatch(path, pattern, { dot: true }), `${pattern} ${path}`);
      assert.equal(directoryMatches(pattern, path), picomatch.isMatch(path, pattern, { dot: true }) || pattern === path, `${pattern} ${path}`);
    }
  });

  it('a segment of many `*` is not evaluated: the caller decides what it counts as, at once', () => {
    const hostile = '/' + '*a'.repeat(40) + 'b';
    assert.equal(tooComplex(hostile), true);
    assert.equal(tooComplex('/packages/*/src/**/*'), false);
    assert.equal(tooComplex('/*a*b*c'), false);
    const path = '/' + 'a'.repeat(60);
    assert.equal(globMatches(path, hostile, true), true);
    assert.equal(globMatches(path, hostile, false), false);
    assert.equal(directoryMatches(hostile, path), true, 'a directory glob Steward cannot evaluate counts as covering');
    assert.equal(tooComplex('/' + 'x'.repeat(2000)), true);
  });

  it('an ignore glob in steward.yml too costly to evaluate suppresses nothing', () => {
    assert.equal(globMatch('/' + '*a'.repeat(40) + 'b', '/' + 'a'.repeat(60)), false);
    assert.equal(globMatch('.github/workflows/*.yml', '.github/workflows/ci.yml'), true);
  });
});
