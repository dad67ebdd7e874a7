import * as assert from 'node:assert/strict';
import { check } from './hardcoded-container-credentials';
import { assertFindingsAt, runCheck, yaml } from '../../../../test/support/check-tester';

const WF = '.github/workflows/ci.yml';

describe('hardcoded-container-credentials', () => {
  it('reports literal passwords in container and services at the value', async () => {
    const { findings, result } = await runCheck(check, {
      [WF]: yaml`
        on: push
        jobs:
          a:
            runs-on: ubuntu-latest
            container:
              image: ghcr.io/org/img:1
              credentials:
                username: bot
                password: hunter2
            services:
              db:
                image: ghcr.io/org/db:1
                credentials: {username: bot, "password": 's3cr3t'}
              cache: &svc
                image: r/x
                credentials:
                  password: 12345
              cache2: *svc
      `,
    });
    assert.equal(result.status, 'fail');
    assertFindingsAt(findings, [`${WF}:9:19`, `${WF}:13:50`, `${WF}:17:21`, `${WF}:17:21`]);
    assert.match(findings[0].message, /container of job a logs in .* password written in the workflow/);
    assert.match(findings[1].message, /Service db of job a/);
  });

  it('accepts secrets, expressions, empty passwords and images without credentials', async () => {
    const { findings, result } = await runCheck(check, {
      [WF]: yaml`
        on: push
        jobs:
          a:
            runs-on: ubuntu-latest
            container:
              image: ghcr.io/org/img:1
              credentials:
                username: \${{ github.actor }}
                password: \${{ secrets.GHCR_TOKEN }}
            services:
              db:
                image: postgres:16
                env:
                  POSTGRES_PASSWORD: postgres
              x:
                image: r/x
                credentials: {password: ""}
          b:
            runs-on: ubuntu-latest
            container: node:20
      `,
    });
    assert.deepEqual(findings, []);
    assert.equal(result.status, 'pass');
  });
});
