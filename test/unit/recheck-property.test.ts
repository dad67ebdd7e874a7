import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import fc from 'fast-check';
import { CHECKS } from '../../src/core/checks';
import { Engine, type RepoScan } from '../../src/core/engine';
import { DiskSnapshot } from '../../src/core/repo/disk';

// The editor's re-check keeps every check result whose inputs did not change, and the per-file results
// of unchanged files (issue 19). Whatever sequence of edits happens, the re-check must give exactly what
// a fresh engine finds in the same files: every finding with its lines, its fixes and its suppression,
// every status and reason. Random edits of workflows, of a local action, of a script a workflow runs
// and of the repository files the policy checks read (dependabot.yml, SECURITY.md, package.json,
// steward.yml); new and deleted workflows go through a full re-scan with the same engine (a new listing),
// as the editor does on a created or deleted file.

const comparable = (s: RepoScan) => ({
  results: s.results.map((r) => ({ id: r.checkId, status: r.status, reason: r.reason, suppressed: r.suppressed, suppressedBy: r.suppressedBy, findings: r.findings })),
  notes: s.notes,
});

const TRIGGERS = ['on: push', 'on: pull_request', 'on: pull_request_target', 'on:\n  workflow_call:', 'on:\n  issue_comment:\n    types: [created]'];
const PERMISSIONS = ['', 'permissions: {}', 'permissions:\n  contents: read', 'permissions: write-all', 'permissions:\n  contents: write\n  pull-requests: write'];
const HEADERS = ['', '# This file is generated automatically by tools/gen.sh. Do not edit.', '# CI workflow'];
const STEPS = [
  '      - uses: actions/checkout@v4',
  '      - uses: actions/checkout@v4\n        with:\n          persist-credentials: false',
  '      - uses: actions/setup-node@1d0ff469b7ec7b3cb9d8673fde0c81c44821de2a # v4.2.0',
  '      - uses: actions/setup-node@v4 # v4.2.0',
  '      - uses: actions/cache@v3 # steward: ignore[unpinned-actions]',
  '      - run: ./scripts/release.sh',
  '      - run: echo "${{ github.event.issue.title }}"',
  '      - run: git push origin HEAD',
  '      - uses: ./.github/actions/setup',
  '      - run: curl -sSL https://example.org/install.sh | bash',
  '      - uses: docker://alpine:latest',
  '      - name: Publish\n        run: npm publish\n        env:\n          NODE_AUTH_TOKEN: ${{ secrets.NPM_TOKEN }}',
  '      - uses: actions/github-script@v7\n        with:\n          script: console.log(1)',
  '      - run: echo hi',
];

const jobArb = fc.record({
  runner: fc.constantFrom('ubuntu-latest', 'self-hosted', 'windows-latest'),
  permissions: fc.constantFrom('', '    permissions:\n      contents: read', '    permissions:\n      issues: write'),
  cond: fc.constantFrom('', "    if: github.actor == 'dependabot[bot]'", "    if: contains(github.event.pull_request.labels.*.name, 'ok')"),
  steps: fc.array(fc.constantFrom(...STEPS), { minLength: 1, maxLength: 5 }),
});

const workflowArb = fc
  .record({
    header: fc.constantFrom(...HEADERS),
    trigger: fc.constantFrom(...TRIGGERS),
    permissions: fc.constantFrom(...PERMISSIONS),
    jobs: fc.array(jobArb, { minLength: 1, maxLength: 3 }),
    garbage: fc.constantFrom('', '', '', '  bad: [unclosed\n'),
  })
  .map(({ header, trigger, permissions, jobs, garbage }) => {
    const out = [header, trigger, permissions, 'jobs:'].filter(Boolean);
    jobs.forEach((j, i) => {
      out.push(`  job${i}:`, `    runs-on: ${j.runner}`);
      if (j.permissions) out.push(j.permissions);
      if (j.cond) out.push(j.cond);
      out.push('    steps:', ...j.steps);
    });
    return out.join('\n') + '\n' + garbage;
  });

const VARIANTS: Record<string, string[]> = {
  '.github/dependabot.yml': [
    'version: 2\nupdates:\n  - package-ecosystem: github-actions\n    directory: /\n    schedule:\n      interval: weekly\n',
    'version: 2\nupdates:\n  - package-ecosystem: github-actions\n    directory: /\n    schedule:\n      interval: weekly\n    cooldown:\n      default-days: 7\n  - package-ecosystem: npm\n    directory: /\n    schedule:\n      interval: daily\n',
    'version: 2\nupdates: []\n',
    'not: [valid\n',
  ],
  'SECURITY.md': ['# Security\n\nReport to security@example.org\n', '# Security policy\n\n## Supported versions\n\nOnly the latest.\n\n## Reporting\n\nUse GitHub private vulnerability reporting. We answer within 7 days.\n', 'TODO\n'],
  'package.json': ['{"name":"generated","version":"1.0.0"}\n', '{"name":"x","version":"2.0.0","scripts":{"postinstall":"node x.js"},"dependencies":{"left-pad":"^1.0.0"}}\n', '{"name":\n'],
  'scripts/release.sh': ['#!/bin/sh\necho release\n', '#!/bin/sh\ngit push origin HEAD\n', '#!/bin/sh\ngh release create v1\n'],
  '.github/actions/setup/action.yml': [
    'name: setup\nruns:\n  using: composite\n  steps:\n    - run: echo setup\n      shell: bash\n',
    'name: setup\nruns:\n  using: composite\n  steps:\n    - uses: actions/checkout@v4\n    - run: echo "${{ github.event.issue.body }}"\n      shell: bash\n',
  ],
  '.github/steward.yml': [
    'disable: []\n',
    // unpinned-images and download-and-run have no repository part: their findings are kept finished per file
    'rules:\n  unpinned-actions:\n    severity: low\n  unpinned-images:\n    severity: low\n',
    'disable: [excessive-permissions]\n',
    'rules:\n  template-injection:\n    ignore:\n      - .github/workflows/wf-1.yml\n  download-and-run:\n    ignore:\n      - .github/workflows/wf-0.yml\n',
  ],
};

type Cmd =
  | { op: 'edit'; wf: number; text: string }
  | { op: 'add'; wf: number; text: string }
  | { op: 'delete'; wf: number }
  | { op: 'other'; file: string; variant: number }
  | { op: 'two'; wf: number; text: string; file: string; variant: number }
  | { op: 'noop' };

const cmdArb: fc.Arbitrary<Cmd> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ op: fc.constant('edit' as const), wf: fc.nat(5), text: workflowArb }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('add' as const), wf: fc.nat(5), text: workflowArb }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('delete' as const), wf: fc.nat(5) }) },
  { weight: 3, arbitrary: fc.record({ op: fc.constant('other' as const), file: fc.constantFrom(...Object.keys(VARIANTS)), variant: fc.nat(3) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('two' as const), wf: fc.nat(5), text: workflowArb, file: fc.constantFrom(...Object.keys(VARIANTS)), variant: fc.nat(3) }) },
  { weight: 1, arbitrary: fc.constant({ op: 'noop' as const }) },
);

const wfPath = (i: number) => `.github/workflows/wf-${i}.yml`;

describe('re-check after random edits gives the results of a fresh scan (property)', () => {
  it('200 random edit sequences, fixed seed', async function () {
    this.timeout(600_000);
    await fc.assert(
      fc.asyncProperty(fc.array(workflowArb, { minLength: 1, maxLength: 3 }), fc.array(cmdArb, { minLength: 1, maxLength: 5 }), async (initial, cmds) => {
        const dir = mkdtempSync(path.join(tmpdir(), 'steward-recheck-prop-'));
        try {
          const write = (p: string, t: string) => {
            mkdirSync(path.dirname(path.join(dir, p)), { recursive: true });
            writeFileSync(path.join(dir, p), t);
          };
          const present = new Set<number>();
          initial.forEach((t, i) => (write(wfPath(i), t), present.add(i)));
          for (const [p, v] of Object.entries(VARIANTS)) write(p, v[0]);
          let snap = new DiskSnapshot(dir);
          const engine = new Engine(CHECKS);
          await engine.scan(snap);
          for (const c of cmds) {
            let changed: string[] | undefined;
            if (c.op === 'edit' || c.op === 'two') {
              const i = present.has(c.wf) ? c.wf : [...present][0];
              if (i === undefined) continue;
              write(wfPath(i), c.text);
              changed = [wfPath(i)];
              if (c.op === 'two') {
                const v = VARIANTS[c.file];
                write(c.file, v[c.variant % v.length]);
                changed.push(c.file);
              }
            } else if (c.op === 'other') {
              const v = VARIANTS[c.file];
              write(c.file, v[c.variant % v.length]);
              changed = [c.file];
            } else if (c.op === 'noop') {
              changed = [];
            } else if (c.op === 'add') {
              write(wfPath(c.wf), c.text);
              present.add(c.wf);
            } else if (present.has(c.wf)) {
              unlinkSync(path.join(dir, wfPath(c.wf)));
              present.delete(c.wf);
            } else continue;
            // A DiskSnapshot lists once: a created or deleted file means a new listing (a full re-scan).
            if (!changed) snap = new DiskSnapshot(dir);
            const got = comparable(await engine.scan(snap, changed ? { changed } : {}));
            const fresh = comparable(await new Engine(CHECKS).scan(new DiskSnapshot(dir)));
            assert.deepEqual(got, fresh, `after ${JSON.stringify(c).slice(0, 300)}`);
          }
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      }),
      { seed: 19, numRuns: 200, endOnFailure: true },
    );
  });
});
