import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { assertValidSarifFor, validateSarif } from '../support/sarif-schema';

// `steward scan --format sarif` must be valid SARIF 2.1.0: validated against the official JSON schema
// for the demo repository (every corpus repository: test/corpus/sarif-corpus.test.ts).

const ROOT = path.resolve(__dirname, '..', '..');

describe('SARIF output', function () {
  this.timeout(60_000);
  it('the validator rejects a malformed log (so the checks below can fail)', () => {
    assert.equal(validateSarif({ version: '2.1.0', runs: [{ tool: { driver: {} }, results: [{ message: {}, level: 'fatal' }] }] }), false);
  });
  it('validates against the SARIF 2.1.0 schema: demo-repo', async () => {
    const run = await assertValidSarifFor(path.join(ROOT, 'test', 'fixtures', 'demo-repo'));
    assert.ok(run.results.length > 5);
  });
});
