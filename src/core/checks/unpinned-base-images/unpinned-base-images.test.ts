import * as assert from 'node:assert/strict';
import { check } from './unpinned-base-images';
import { assertFindingsAt, runCheck } from '../../../../test/support/check-tester';

describe('unpinned-base-images', () => {
  it('reports FROM without a digest at the image, ignoring scratch, stages and pinned images', async () => {
    const df = [
      '# syntax=docker/dockerfile:1',
      'FROM --platform=$BUILDPLATFORM golang:1.22 AS build',
      'RUN go build ./...',
      'FROM build AS test',
      'FROM scratch',
      'COPY --from=build /out /out',
      'from alpine',
      'FROM python:3.12-slim@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef',
      'FROM ghcr.io/org/img:1.0 \\',
      '  AS final',
      '',
    ].join('\n');
    const { result, findings } = await runCheck(check, { Dockerfile: df });
    assert.equal(result.status, 'fail');
    assertFindingsAt(findings, ['Dockerfile:2:32', 'Dockerfile:7:6', 'Dockerfile:9:6']);
    assert.deepEqual(findings.map((f) => f.message), [
      "Base image golang is used by tag '1.22', not by digest",
      "Base image alpine is used without a tag (meaning 'latest'), not by digest",
      "Base image ghcr.io/org/img is used by tag '1.0', not by digest",
    ]);
    const fix = findings[0].fixes[0];
    assert.equal(fix.deferred?.provider, 'pin-image');
    assert.deepEqual(fix.deferred?.data, { file: 'Dockerfile', image: 'golang:1.22', name: 'golang', tag: '1.22', start: df.indexOf('golang'), end: df.indexOf('golang') + 'golang:1.22'.length });
  });

  it('resolves ARG defaults with medium confidence and flags unresolvable ones with low confidence', async () => {
    const df = 'ARG BASE=node:20\nARG VERSION\nFROM ${BASE}\nFROM "debian:${VERSION}"\nFROM ubuntu:"${DIST:-24.04}"\n';
    const { findings } = await runCheck(check, { 'docker/app.Dockerfile': df });
    assert.deepEqual(findings.map((f) => [f.location?.start.line, f.confidence, f.message]), [
      [3, 'medium', "Base image node is used by tag '20', not by digest (from the default of a build argument in '${BASE}')"],
      [4, 'low', 'Base image "debian:${VERSION}" depends on build argument VERSION and has no digest: it cannot be pinned as written'],
      [5, 'medium', "Base image ubuntu is used by tag '24.04', not by digest (from the default of a build argument in 'ubuntu:\"${DIST:-24.04}\"')"],
    ]);
    assert.ok(findings.every((f) => f.fixes.length === 0), 'no pin fix for images built from arguments');
  });

  it('rates a test fixture or example Dockerfile as info, with no fix (tests may expect it as is: src/core/fix/fixtures.ts)', async () => {
    const df = 'FROM golang:1.22\nRUN true\n';
    const { findings } = await runCheck(check, { 'internal/pipe/docker/testdata/Dockerfile.arch': df, Dockerfile: df });
    const byFile = new Map(findings.map((f) => [f.location!.file, f]));
    const fixture = byFile.get('internal/pipe/docker/testdata/Dockerfile.arch')!;
    assert.equal(fixture.severity, 'info');
    assert.equal(fixture.message, "Base image golang is used by tag '1.22', not by digest (in testdata/: a test or example file, not an image the project ships)");
    assert.deepEqual(fixture.fixes, []);
    assert.match(fixture.details?.join('\n') ?? '', /is test data \(under `internal\/pipe\/docker\/testdata\/`\).*offers no fix/);
    const shipped = byFile.get('Dockerfile')!;
    assert.equal(shipped.severity, 'medium');
    assert.equal(shipped.fixes[0].safe, true);
  });

  it('follows the escape parser directive, also indented and in any case, and only at the top', async () => {
    // Shaped after renovate's dockerfile test data: ' # EsCaPe=`' after a syntax directive. An image on a
    // continuation line is reported at its FROM (offsets past the first line do not map 1:1).
    const df = ['#  syntax=docker/dockerfile:1', ' # EsCaPe=`', 'FROM `', '   image5 `', '   AS final', 'FROM alpine:3 AS x', ''].join('\n');
    const { findings } = await runCheck(check, { Dockerfile: df });
    assert.deepEqual(findings.map((f) => [f.location?.start.line, f.message]), [
      [3, "Base image image5 is used without a tag (meaning 'latest'), not by digest"],
      [6, "Base image alpine is used by tag '3', not by digest"],
    ]);
    // After a comment the same line is an ordinary comment: backslash stays the escape character.
    const late = ['# a comment', '# escape=`', 'FROM node:20 \\', '  AS build', ''].join('\n');
    const r = await runCheck(check, { Dockerfile: late });
    assert.deepEqual(r.findings.map((f) => [f.location?.start.line, f.message]), [[3, "Base image node is used by tag '20', not by digest"]]);
  });

  it('passes when every base image has a digest', async () => {
    const { result } = await runCheck(check, { Containerfile: 'FROM alpine:3@sha256:abcd\nFROM scratch\n' });
    assert.equal(result.status, 'pass');
  });
});
