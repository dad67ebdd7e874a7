import { readdirSync } from 'node:fs';
import * as path from 'node:path';
import { assertValidSarifFor } from '../support/sarif-schema';
import { corpusDir } from './corpus-dir';

const CORPUS = corpusDir('real');

describe('SARIF output (corpus)', function () {
  this.timeout(60_000);
  for (const name of readdirSync(CORPUS, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name)) {
    it(`validates against the SARIF 2.1.0 schema: ${name}`, async () => {
      await assertValidSarifFor(path.join(CORPUS, name));
    });
  }
});
