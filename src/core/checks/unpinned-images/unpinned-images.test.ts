import * as assert from 'node:assert/strict';
import { check, parseImage, type PinImageData } from './unpinned-images';
import { assertFindingsAt, runCheck, yaml } from '../../../../test/support/check-tester';

const WF = '.github/workflows/ci.yml';
const DIGEST = 'sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef';

describe('unpinned-images', () => {
  it('reports container and service images: untagged/latest medium, tag-only low', async () => {
    const text = yaml`
      on: push
      jobs:
        test:
          runs-on: ubuntu-latest
          container: node
          services:
            db:
              image: "postgres:16"
            cache: {image: 'redis:latest'}
            proxy: ubuntu/squid:latest
          steps:
            - run: npm test
    `;
    const { findings, result } = await runCheck(check, { [WF]: text });
    assert.equal(result.status, 'fail');
    assertFindingsAt(findings, [`${WF}:5:16`, `${WF}:8:16`, `${WF}:9:22`, `${WF}:10:14`]);
    assert.deepEqual(findings.map((f) => f.severity), ['medium', 'low', 'medium', 'medium']);
    assert.match(findings[0].message, /^Job test container image node has no tag/);
    assert.match(findings[1].message, /^Service db of job test image postgres:16 is pinned to tag '16'/);
    const fix = findings[1].fixes[0];
    assert.equal(fix.deferred?.provider, 'pin-image');
    const data = fix.deferred!.data as PinImageData;
    assert.equal(text.slice(data.start, data.end), 'postgres:16');
    assert.equal(data.name, 'postgres');
  });

  it('reports docker:// steps and action runs.image, and values from the job matrix', async () => {
    const { findings } = await runCheck(check, {
      [WF]: yaml`
        on: [push]
        jobs:
          linux:
            strategy:
              matrix:
                include:
                  - {name: jammy, container: 'ubuntu:22.04'}
                  - name: latest
                    container: ghcr.io/org/img:latest
                  - name: host
                    container: ''
            runs-on: ubuntu-latest
            container: \${{ matrix.container }}
            steps:
              - name: lint
                uses: docker://bitnami/git:latest
              - uses: docker://alpine@${DIGEST}
      `,
      'action.yml': yaml`
        name: x
        runs:
          using: docker
          image: docker://ghcr.io/org/tool:1.2
      `,
    });
    assertFindingsAt(findings, [`${WF}:7:38`, `${WF}:9:24`, `${WF}:16:15`, 'action.yml:4:10']);
    assert.match(findings[0].message, /Job linux container image ubuntu:22.04 .*tag '22.04'.*\(value from the job matrix\)/);
    assert.match(findings[2].message, /^Step 'lint' of job linux image bitnami\/git:latest uses `latest`/);
    assert.match(findings[3].message, /^Action image ghcr.io\/org\/tool:1.2/);
  });

  it('accepts digests, expressions it cannot resolve, Dockerfile actions and anchors pointing at pinned images', async () => {
    const { findings, result } = await runCheck(check, {
      [WF]: yaml`
        on:
          pull_request:
        x-img: &img "node:20@${DIGEST}"
        jobs:
          a:
            runs-on: ubuntu-latest
            container: *img
            services:
              "db": {image: "postgres@${DIGEST}"}
            steps: [{run: echo}]
          b:
            runs-on: ubuntu-latest
            container:
              image: \${{ inputs.image }}
              options: --cpus 1
            steps: [{run: echo}]
          c:
            strategy: {matrix: \${{ fromJSON(needs.x.outputs.m) }}}
            runs-on: ubuntu-latest
            container: \${{ matrix.img }}
            steps: [{uses: actions/checkout@v4}]
      `,
      'action.yml': yaml`
        name: x
        runs:
          using: docker
          image: Dockerfile
      `,
    });
    assert.deepEqual(findings, []);
    assert.equal(result.status, 'pass');
  });

  it('parses references with registry ports and digests', () => {
    assert.deepEqual(parseImage('localhost:5000/org/img'), { name: 'localhost:5000/org/img', digest: undefined });
    assert.deepEqual(parseImage('img:1@sha256:ab'), { name: 'img', tag: '1', digest: 'sha256:ab' });
  });

  it('honours zizmor ignore comments for unpinned-images', async () => {
    const { findings, result } = await runCheck(check, {
      [WF]: yaml`
        on: push
        jobs:
          a:
            runs-on: ubuntu-latest
            container: ubuntu # zizmor: ignore[unpinned-images]
            steps: [{run: echo}]
      `,
    });
    assert.deepEqual(findings, []);
    assert.equal(result.suppressedBy?.['zizmor-comment'], 1);
  });
});
