import * as assert from 'node:assert/strict';
import { check, findDownloadAndRun } from './download-and-run';
import { assertFindingsAt, runCheck, yaml } from '../../../../test/support/check-tester';

const WF = '.github/workflows/ci.yml';
const cmds = (line: string) => findDownloadAndRun(line).map((h) => line.slice(h.start, h.end));

describe('download-and-run', () => {
  it('reports pipes, process and command substitution at the command, in block and flow scalars', async () => {
    const { findings, result } = await runCheck(check, {
      [WF]: yaml`
        "on": [push, pull_request]
        jobs:
          build:
            runs-on: ubuntu-latest
            steps:
              - run: |
                  echo start
                  curl -fsSL https://example.com/install.sh | sudo -E bash -
              - {run: "bash <(curl -s https://codecov.io/bash)"}
              - run: >-
                  sh -c "$(curl -fsSL https://get.example.org)"
              - run: |
                  curl -sSf https://sh.rustup.rs \
                    | sh -s -- -y
      `,
    });
    assert.equal(result.status, 'fail');
    assertFindingsAt(findings, [`${WF}:8:11`, `${WF}:9:16`, `${WF}:11:11`, `${WF}:13:11`]);
    assert.match(findings[0].message, /Downloads https:\/\/example.com\/install.sh and runs it unchecked \(piped into bash\)/);
    assert.deepEqual(findings[0].location?.end, { line: 8, column: 11 + 'curl -fsSL https://example.com/install.sh | sudo -E bash'.length });
    assert.match(findings[1].message, /process substitution/);
    assert.match(findings[3].message, /https:\/\/sh.rustup.rs .*piped into sh/);
  });

  it('reports PowerShell iwr | iex in composite actions and follows anchors', async () => {
    const { findings } = await runCheck(check, {
      'tools/setup/action.yml': yaml`
        name: setup
        runs:
          using: composite
          steps:
            - &install
              shell: pwsh
              run: iwr https://get.scoop.sh -useb | iex
            - *install
            - shell: pwsh
              run: "iex ((New-Object System.Net.WebClient).DownloadString('https://chocolatey.org/install.ps1'))"
      `,
    });
    assertFindingsAt(findings, ['tools/setup/action.yml:7:12', 'tools/setup/action.yml:7:12', 'tools/setup/action.yml:10:13']);
    assert.match(findings[2].message, /chocolatey.org.*Invoke-Expression/);
  });

  it('accepts downloads that are not executed, interpreters not reading the download, and comments', async () => {
    const { findings, result } = await runCheck(check, {
      [WF]: yaml`
        on:
          push: {branches: [main]}
        jobs:
          build:
            runs-on: ubuntu-latest
            steps:
              - run: |
                  # curl https://example.com/x | sh  (old way)
                  curl -s https://api.github.com/repos/x/y | python3 -m json.tool
                  curl -s https://api.github.com/repos/x/y | jq .
                  wget -qO- https://example.com/x.tar.gz | tar xz
                  curl -fsSLo install.sh https://example.com/install.sh
                  echo "abc123  install.sh" | sha256sum -c
                  bash install.sh
                  curl https://example.com/health || true
                  curl -s https://example.com/list | bash ./process.sh
      `,
    });
    assert.deepEqual(findings, []);
    assert.equal(result.status, 'pass');
  });

  it('recognises sudo, env, absolute paths and stdin markers, not -c commands', () => {
    assert.deepEqual(cmds('curl x | /bin/bash'), ['curl x | /bin/bash']);
    assert.deepEqual(cmds('wget -O - https://a?x=1&y=2 | env A=1 sh'), ['wget -O - https://a?x=1&y=2 | env A=1 sh']);
    assert.deepEqual(cmds('curl x | python3 -'), ['curl x | python3']);
    assert.deepEqual(cmds('curl x | sh -c "echo"'), []);
    assert.deepEqual(cmds('curl x | node -e "1"'), []);
    assert.deepEqual(cmds('curl x; sh y'), []);
    assert.deepEqual(cmds('source <(curl -s https://a)'), ['source <(curl -s https://a)']);
    assert.deepEqual(cmds('eval "$(wget -qO- https://a)"'), ['eval "$(wget -qO- https://a)"']);
  });

  it('is not applicable without workflows', async () => {
    assert.equal((await runCheck(check, { 'README.md': 'x' })).result.status, 'not-applicable');
  });
});

describe('download-and-run: patterns tried only on lines with their words (issue 19)', () => {
  it('still finds PowerShell forms in any case and each download word', () => {
    assert.deepEqual(cmds('Invoke-Expression (New-Object Net.WebClient).DownloadString("https://x/i.ps1")'), ['Invoke-Expression (New-Object Net.WebClient).DownloadString("https://x/i.ps1")']);
    assert.deepEqual(cmds('IEX (iwr https://x/i.ps1)'), ['IEX (iwr https://x/i.ps1)']);
    assert.deepEqual(cmds('Invoke-WebRequest https://x/i.ps1 | INVOKE-EXPRESSION'), ['Invoke-WebRequest https://x/i.ps1 | INVOKE-EXPRESSION']);
    assert.deepEqual(cmds('wget -qO- https://x/i.sh | sh'), ['wget -qO- https://x/i.sh | sh']);
    assert.deepEqual(cmds('bash <(wget -qO- https://x/i.sh)'), ['bash <(wget -qO- https://x/i.sh)']);
    assert.deepEqual(cmds('sh -c "$(curl -fsSL https://x/i.sh)"'), ['sh -c "$(curl -fsSL https://x/i.sh)"']);
  });
});
