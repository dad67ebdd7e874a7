import * as assert from 'node:assert/strict';
import type { Check } from '../../src/core/checks/types';
import { check as updates } from '../../src/core/checks/missing-dependency-updates/missing-dependency-updates';
import { check as cooldown } from '../../src/core/checks/missing-update-cooldown/missing-update-cooldown';
import { Engine } from '../../src/core/engine';
import { runFixes } from '../../src/core/fix/engine';
import { MemorySnapshot } from '../../src/core/repo/snapshot';
import { parseYaml } from '../../src/core/yaml/parse';
import { yaml } from '../support/check-tester';

// Issue 14.4: the Dependabot fixes of several checks land in one file together. Every result must
// parse with unique keys, and the entries must come out as a maintainer would have written them.

const DEP = '.github/dependabot.yml';
const WF = '.github/workflows/ci.yml';
const wf = 'on: push\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo\n';

describe('Dependabot fixes planned together (issue 14.4)', () => {
  it('a new entry and a cooldown for the last entry do not collide into a duplicate `cooldown:` key', async () => {
    const dep = yaml`
      version: 2
      updates:
        - package-ecosystem: "npm"
          directory: "/"
          schedule:
            interval: "weekly"
    `;
    // The new entry is a review fix (new pull requests for the project): applied with --unsafe.
    const run = await runFixes(new Engine([updates, cooldown]), new MemorySnapshot('t', { [DEP]: dep, [WF]: wf, 'package.json': '{}' }), { unsafe: true });
    const after = run.changes.find((c) => c.path === DEP)!.after;
    assert.deepEqual(parseYaml(DEP, after).errors, []);
    assert.equal(
      after,
      yaml`
        version: 2
        updates:
          - package-ecosystem: "npm"
            directory: "/"
            schedule:
              interval: "weekly"
            cooldown:
              default-days: 7
          - package-ecosystem: "github-actions"
            directory: "/"
            schedule:
              interval: "weekly"
            cooldown:
              default-days: 7
      `,
    );
    assert.deepEqual(run.finalScan.findings.filter((f) => !f.suppressed).map((f) => f.ruleId), []);
  });

  it('a safe-only run adds the cooldown to an existing stream and leaves the new stream for the project to decide (issue 14)', async () => {
    const dep = yaml`
      version: 2
      updates:
        - package-ecosystem: "npm"
          directory: "/"
          schedule:
            interval: "monthly"
    `;
    const run = await runFixes(new Engine([updates, cooldown]), new MemorySnapshot('t', { [DEP]: dep, [WF]: wf, 'package.json': '{}' }));
    assert.equal(run.changes.find((c) => c.path === DEP)!.after, dep + '    cooldown:\n      default-days: 7\n');
    assert.deepEqual(run.applied.map((a) => [a.ruleId, a.safe]), [['missing-update-cooldown', true]]);
    assert.deepEqual(
      run.left.map((l) => [l.ruleId, l.reason, l.detail]),
      [['missing-dependency-updates', 'unsafe', 'This turns on monthly Dependabot pull requests for github-actions in /; the project decides whether it wants them.']],
    );
  });

  it('the fix engine never writes a YAML file whose fixes together duplicate a key: one fix lands, the other is re-planned', async () => {
    const text = 'a: 1\n';
    // Two checks that each add `b:` at the end, with different values: each alone is fine.
    const adder = (id: string, value: string): Check => ({
      meta: { id, title: id, category: 'workflows', severity: 'low', confidence: 'high', fixable: true, docs: { summary: '', whyItMatters: '', howToFix: '', effort: 'minutes', fixSafety: '' }, references: {} },
      fileKinds: ['workflow'],
      checkFile(file) {
        if (/^b:/m.test(file.text)) return [];
        const end = file.text.length;
        return [{ ruleId: id, message: 'no b', severity: 'low', confidence: 'high', location: { file: file.path, start: { line: 1, column: 1 }, end: { line: 1, column: 1 } }, fixes: [{ title: `add b=${value}`, safe: true, edits: [{ file: file.path, start: end, end, newText: `b: ${value}\n` }] }] }];
      },
    });
    const run = await runFixes(new Engine([adder('x-one', '1'), adder('x-two', '2')]), new MemorySnapshot('t', { '.github/workflows/w.yml': text }));
    assert.equal(run.changes[0].after, 'a: 1\nb: 1\n');
    assert.deepEqual(run.applied.map((a) => a.ruleId), ['x-one']);
  });
});
