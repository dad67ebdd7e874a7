import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import Ajv from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import { CHECKS } from '../../src/core/checks';
import { Engine } from '../../src/core/engine';
import { DiskSnapshot } from '../../src/core/repo/disk';
import { sarifReport } from '../../src/core/report/sarif';

// The official SARIF 2.1.0 JSON schema (shipped in the @microsoft/jest-sarif package), compiled once
// for test/unit/sarif.test.ts (demo repository) and test/corpus/sarif-corpus.test.ts (every corpus repository).

const schemaPath = require.resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json');
const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
addFormats(ajv);
export const validateSarif = ajv.compile(JSON.parse(readFileSync(schemaPath, 'utf8')));

type Run = { tool: { driver: { rules: { id: string }[] } }; results: { ruleId: string; ruleIndex: number; locations?: { physicalLocation: { region?: { startLine: number; startColumn: number } } }[] }[] };

/** Scans `dir` with every check, validates the SARIF log against the schema and returns its run. */
export async function assertValidSarifFor(dir: string): Promise<Run> {
  const scan = await new Engine(CHECKS).scan(new DiskSnapshot(dir));
  const log = JSON.parse(JSON.stringify(sarifReport([scan], CHECKS.map((c) => c.meta), '0.0.0-test')));
  const ok = validateSarif(log);
  assert.ok(ok, JSON.stringify(validateSarif.errors?.slice(0, 3), null, 1));
  const run = (log as { runs: Run[] }).runs[0];
  assert.equal(run.tool.driver.rules.length, CHECKS.length, 'one rule per check');
  for (const r of run.results) {
    assert.equal(run.tool.driver.rules[r.ruleIndex].id, r.ruleId);
    const region = r.locations?.[0]?.physicalLocation.region;
    if (region) assert.ok(region.startLine >= 1 && region.startColumn >= 1, 'regions are 1-based');
  }
  return run;
}
