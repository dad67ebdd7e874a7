import * as assert from 'node:assert/strict';
import { detectLicense, licenseFiles } from './detect';

// Corpus licence files: test/corpus/license-corpus.test.ts.

describe('licence detector', () => {
  it('tells the GPL family, MPL, ISC and the Unlicense apart', () => {
    const gpl3 = 'GNU GENERAL PUBLIC LICENSE\nVersion 3, 29 June 2007\n... either version 3 of the License, or (at your option) any later version.';
    assert.equal(detectLicense(gpl3)?.spdx, 'GPL-3.0-or-later');
    assert.equal(detectLicense('GNU GENERAL PUBLIC LICENSE\nVersion 2, June 1991\n')?.spdx, 'GPL-2.0-only');
    assert.equal(detectLicense('GNU LESSER GENERAL PUBLIC LICENSE\nVersion 3, 29 June 2007')?.spdx, 'LGPL-3.0-only');
    assert.equal(detectLicense('GNU LESSER GENERAL PUBLIC LICENSE\n Version 2.1, February 1999')?.spdx, 'LGPL-2.1-only');
    assert.equal(detectLicense('GNU AFFERO GENERAL PUBLIC LICENSE\nVersion 3')?.spdx, 'AGPL-3.0-only');
    assert.equal(detectLicense('Mozilla Public License Version 2.0\n==================================')?.spdx, 'MPL-2.0');
    assert.equal(detectLicense('ISC License\n\nPermission to use, copy, modify, and/or distribute this software for any\npurpose with or without fee is hereby granted')?.spdx, 'ISC');
    assert.equal(detectLicense('This is free and unencumbered software released into the public domain.')?.spdx, 'Unlicense');
    assert.equal(detectLicense('Redistribution and use in source and binary forms, with or without\nmodification, are permitted provided that ...')?.spdx, 'BSD-2-Clause');
    assert.equal(detectLicense('All rights reserved. Ask us.'), undefined);
    assert.equal(detectLicense('SPDX-License-Identifier: EUPL-1.2\n')?.spdx, 'EUPL-1.2');
  });

  it('lists root licence files, shortest name first', () => {
    assert.deepEqual(licenseFiles(['src/LICENSE', 'LICENSE.md', 'COPYING', 'LICENSE', 'README']), ['COPYING', 'LICENSE', 'LICENSE.md']);
  });
});
