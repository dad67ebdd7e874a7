import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { CHECKS } from '../../src/core/checks';
import { Engine, type RepoScan } from '../../src/core/engine';
import { DiskSnapshot } from '../../src/core/repo/disk';

// The repository-level passes keep per-file results across re-checks (excessive-permissions'
// job plans, persisted-checkout-credentials' script reads, the action audits' sites), so a save
// re-does the edited file's part only. Whatever is edited (a workflow, a script a workflow runs, a
// local action or reusable workflow another workflow uses), an editor's re-check must give exactly
// what a fresh engine finds in the same files.

const comparable = (s: RepoScan) => s.results.map((r) => ({ id: r.checkId, status: r.status, reason: r.reason, findings: r.findings }));

const FILES: Record<string, string> = {
  '.github/workflows/release.yml': [
    'on: push',
    'jobs:',
    '  release:',
    '    runs-on: ubuntu-latest',
    '    steps:',
    '      - uses: actions/checkout@v4',
    '      - run: ./scripts/release.sh',
    '      - uses: ./.github/actions/setup',
    '  call:',
    '    uses: ./.github/workflows/reusable.yml',
    '',
  ].join('\n'),
  '.github/workflows/reusable.yml': [
    'on: workflow_call',
    'jobs:',
    '  build:',
    '    runs-on: ubuntu-latest',
    '    permissions:',
    '      contents: read',
    '    steps:',
    '      - uses: actions/checkout@v4',
    '      - run: python tools/build.py',
    '',
  ].join('\n'),
  '.github/workflows/ci.yml': [
    'on: pull_request',
    'permissions:',
    '  contents: write',
    '  pull-requests: write',
    'jobs:',
    '  test:',
    '    runs-on: ubuntu-latest',
    '    steps:',
    '      - uses: actions/checkout@v4',
    '      - uses: actions/setup-node@v4 # v4.2.0',
    '      - run: npm test',
    '  comment:',
    '    runs-on: ubuntu-latest',
    '    steps:',
    '      - uses: actions/github-script@v7',
    '        with:',
    '          script: github.rest.issues.createComment({ owner: "o", repo: "r", issue_number: 1, body: "hi" })',
    '',
  ].join('\n'),
  '.github/workflows/deploy.yml': ['on: push', 'jobs:', '  deploy:', '    runs-on: ubuntu-latest', '    steps:', '      - uses: ./.github/actions/setup', ''].join('\n'),
  '.github/actions/setup/action.yml': ['name: setup', 'runs:', '  using: composite', '  steps:', '    - run: echo setup', '      shell: bash', ''].join('\n'),
  'scripts/release.sh': '#!/bin/sh\necho release\n',
  'tools/build.py': 'print("build")\n',
  'SECURITY.md': '# Security\n\nReport to security@example.org\n',
};

describe('re-check after edits gives the results of a fresh scan', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'steward-recheck-eq-'));
    for (const [p, t] of Object.entries(FILES)) {
      mkdirSync(path.dirname(path.join(dir, p)), { recursive: true });
      writeFileSync(path.join(dir, p), t);
    }
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const edits: [string, (t: string) => string, string][] = [
    ['a script starts pushing', (t) => t + 'git push origin HEAD\n', 'scripts/release.sh'],
    ['the workflow edited', (t) => t.replace('      - run: ./scripts/release.sh', '      - run: ./scripts/release.sh --dry-run\n      - run: git push'), '.github/workflows/release.yml'],
    ['the local action starts using the token', (t) => t.replace('echo setup', 'gh release create v1 --repo o/r\n      env:\n        GH_TOKEN: ${{ github.token }}'), '.github/actions/setup/action.yml'],
    ['the reusable workflow drops its permissions', (t) => t.replace('    permissions:\n      contents: read\n', ''), '.github/workflows/reusable.yml'],
    ['a called script starts pushing', (t) => t + 'import subprocess\nsubprocess.run(["git", "push"])\n', 'tools/build.py'],
    ['a job gets its own permissions', (t) => t.replace('  comment:\n    runs-on: ubuntu-latest\n', '  comment:\n    runs-on: ubuntu-latest\n    permissions:\n      pull-requests: write\n'), '.github/workflows/ci.yml'],
    ['the script stops pushing again', () => '#!/bin/sh\necho release\n', 'scripts/release.sh'],
    // Edits the incremental parse takes (one job re-parsed, the rest reused): comments and blank
    // lines between jobs, a new job, the last job, an ignore comment that suppresses a finding.
    ['a comment and a blank line between jobs', (t) => t.replace('  comment:\n', '\n  # the comment job\n  comment:\n'), '.github/workflows/ci.yml'],
    ['a new job in the middle', (t) => t.replace('  comment:\n', '  lint:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - run: npm run lint\n  comment:\n'), '.github/workflows/ci.yml'],
    ['the last job edited', (t) => t.replace('body: "hi"', 'body: "hello"'), '.github/workflows/ci.yml'],
    ['an ignore comment on a step', (t) => t.replace('      - uses: actions/github-script@v7\n', '      - uses: actions/github-script@v7 # steward: ignore[unpinned-actions]\n'), '.github/workflows/ci.yml'],
    ['the first job removed', (t) => t.replace(/  test:\n(?: {4}.*\n)*/, ''), '.github/workflows/ci.yml'],
    ['an action pin changes', (t) => t.replace('actions/setup-node@v4 # v4.2.0', 'actions/setup-node@1d0ff469b7ec7b3cb9d8673fde0c81c44821de2a # v4.2.0'), '.github/workflows/ci.yml'],
  ];

  it('after each edit (told what changed, and a full re-scan with the same engine)', async () => {
    const snap = new DiskSnapshot(dir);
    const engine = new Engine(CHECKS);
    assert.deepEqual(comparable(await engine.scan(snap)), comparable(await new Engine(CHECKS).scan(new DiskSnapshot(dir))));
    const seen = new Set<string>();
    for (const [what, edit, file] of edits) {
      const abs = path.join(dir, file);
      const before = (await snap.readFile(file))!;
      writeFileSync(abs, edit(Buffer.from(before).toString('utf8')));
      const fresh = comparable(await new Engine(CHECKS).scan(new DiskSnapshot(dir)));
      assert.deepEqual(comparable(await engine.scan(snap, { changed: [file] })), fresh, `re-check after: ${what}`);
      assert.deepEqual(comparable(await engine.scan(snap)), fresh, `full re-scan after: ${what}`);
      for (const r of fresh) for (const f of r.findings) seen.add(`${r.id} ${f.location?.file}: ${f.message}`);
    }
    // The edits reached the passes that keep per-file results: each saw a script or a callee change.
    const said = [...seen].join('\n');
    assert.match(said, /persisted-checkout-credentials \.github\/workflows\/release\.yml: .*scripts\/release\.sh`, which runs git push/);
    assert.match(said, /excessive-permissions \.github\/workflows\/release\.yml/);
    assert.match(said, /excessive-permissions \.github\/workflows\/deploy\.yml/);
  });
});
