import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { CHECKS } from '../../src/core/checks';
import { Engine } from '../../src/core/engine';
import { DiskSnapshot } from '../../src/core/repo/disk';

// A scan's result describes one text of each file: its findings' offsets (and its fixes' edits) are
// offsets into the texts in its `files`. The editor keeps the last result while the next re-check
// runs and applies a fix only when the document still holds the text the result saw; a re-check that
// changed the earlier result's `files` in place made that test pass against findings of the old text
// (a quick fix asked for while a lightbulb's re-check ran landed at the old offsets).

const WORKFLOW = [
  'on: push',
  'permissions:',
  '  contents: read',
  'jobs:',
  '  build:',
  '    runs-on: ubuntu-latest',
  '    steps:',
  '      - uses: actions/checkout@v4',
  '      - uses: actions/checkout@v4',
  '        with:',
  '          path: second',
  '',
].join('\n');

describe('a scan result stays as it was when later re-checks run', () => {
  let dir: string;
  const rel = '.github/workflows/ci.yml';
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'steward-scan-immutable-'));
    mkdirSync(path.join(dir, '.github/workflows'), { recursive: true });
    writeFileSync(path.join(dir, rel), WORKFLOW);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  for (const how of ['told what changed', 'a full re-scan'] as const) {
    it(`after ${how}: the earlier result keeps its texts, and its findings fit them`, async () => {
      const snap = new DiskSnapshot(dir);
      const engine = new Engine(CHECKS);
      const first = await engine.scan(snap);
      const firstFindings = JSON.stringify(first.findings);
      const typed = '# a comment typed at the top\n' + WORKFLOW;
      writeFileSync(path.join(dir, rel), typed);
      const pending = engine.scan(snap, how === 'told what changed' ? { changed: [rel] } : {});
      const second = await pending;
      assert.equal(second.files.get(rel)?.text, typed);
      assert.equal(first.files.get(rel)?.text, WORKFLOW, 'the earlier result still holds the text its findings describe');
      assert.equal(JSON.stringify(first.findings), firstFindings);
      // The checkout fix of each result inserts at the end of its own text's checkout line.
      const insertAt = (s: typeof first) => s.findings.filter((f) => f.ruleId === 'persisted-checkout-credentials').map((f) => f.fixes[0]?.edits[0]?.start);
      const lineEnd = (text: string, n: number) => text.split('\n').slice(0, n).join('\n').length + 1;
      assert.equal(insertAt(first)[0], lineEnd(WORKFLOW, 8));
      assert.equal(insertAt(second)[0], lineEnd(typed, 9));
      // A no-op re-check afterwards hands back the second result's texts, and leaves both alone.
      const third = await engine.scan(snap, { changed: [] });
      assert.equal(third.files.get(rel)?.text, typed);
      assert.equal(first.files.get(rel)?.text, WORKFLOW);
    });
  }
});
