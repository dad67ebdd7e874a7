import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { detectLicense } from '../../src/core/license/detect';
import { corpusDir } from './corpus-dir';

const CORPUS = corpusDir('real');

describe('licence detector (corpus)', () => {
  it('names the licence of every corpus licence file (checked by reading them)', function () {
    const want: Record<string, string> = {
      'Homebrew__brew/LICENSE.txt': 'BSD-2-Clause',
      'actions__checkout/LICENSE': 'MIT',
      'curl__curl/COPYING': 'curl',
      'encode__starlette/LICENSE.md': 'BSD-3-Clause',
      'fastapi__fastapi/LICENSE': 'MIT',
      'libexpat__libexpat/COPYING': 'MIT',
      'pallets__flask/LICENSE.txt': 'BSD-3-Clause',
      'psf__requests/LICENSE': 'Apache-2.0',
      'pypa__gh-action-pypi-publish/LICENSE.md': 'BSD-3-Clause',
      'pypa__pip/LICENSE.txt': 'MIT',
      'sethmlarson__truststore/LICENSE': 'MIT',
      'urllib3__urllib3/LICENSE.txt': 'MIT',
    };
    for (const [f, id] of Object.entries(want)) assert.equal(detectLicense(readFileSync(path.join(CORPUS, f), 'utf8'))?.spdx, id, f);
  });
});
