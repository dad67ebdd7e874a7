import * as assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
import Ajv from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import { CHECKS } from '../../src/core/checks';
import { Engine } from '../../src/core/engine';
import { DiskSnapshot } from '../../src/core/repo/disk';
import { sarifReport } from '../../src/core/report/sarif';

// `steward scan --format sarif` must be valid SARIF 2.1.0: validated against the official JSON schema
// (shipped in the @microsoft/jest-sarif package) for the demo repository and every corpus repository.

const schemaPath = require.resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json');
const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
addFormats(ajv);
const validate = ajv.compile(JSON.parse(readFileSync(schemaPath, 'utf8')));

const ROOT = path.resolve(__dirname, '..', '..');
const CORPUS = path.resolve(ROOT, '..', 'shared', 'corpus', 'real');

describe('SARIF output', function () {
  this.timeout(60_000);
  it('the validator rejects a malformed log (so the checks below can fail)', () => {
    assert.equal(validate({ version: '2.1.0', runs: [{ tool: { driver: {} }, results: [{ message: {} , level: 'fatal' }] }] }), false);
  });
  const targets = [path.join(ROOT, 'test', 'fixtures', 'demo-repo'), ...readdirSync(CORPUS, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => path.join(CORPUS, d.name))];
  for (const dir of targets) {
    it(`validates against the SARIF 2.1.0 schema: ${path.basename(dir)}`, async () => {
      const scan = await new Engine(CHECKS).scan(new DiskSnapshot(dir));
      const log = JSON.parse(JSON.stringify(sarifReport([scan], CHECKS.map((c) => c.meta), '0.0.0-test')));
      const ok = validate(log);
      assert.ok(ok, JSON.stringify(validate.errors?.slice(0, 3), null, 1));
      const run = (log as { runs: { tool: { driver: { rules: { id: string }[] } }; results: { ruleId: string; ruleIndex: number; locations?: { physicalLocation: { region?: { startLine: number; startColumn: number } } }[] }[] }[] }).runs[0];
      assert.equal(run.tool.driver.rules.length, CHECKS.length, 'one rule per check');
      for (const r of run.results) {
        assert.equal(run.tool.driver.rules[r.ruleIndex].id, r.ruleId);
        const region = r.locations?.[0]?.physicalLocation.region;
        if (region) assert.ok(region.startLine >= 1 && region.startColumn >= 1, 'regions are 1-based');
      }
      if (path.basename(dir) === 'demo-repo') assert.ok(run.results.length > 5);
    });
  }
});
