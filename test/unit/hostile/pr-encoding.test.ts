import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { main } from '../../../src/cli/main';
import type { Output } from '../../../src/cli/io';
import { git, tempDir } from '../../support/git-fixtures';
import { makePrWorld, type PrWorld } from '../../support/pr-world';

// Issue 13, "file corruption", for `steward pr`: the commits it builds must hold each file in the
// encoding (UTF-8 with or without BOM, UTF-16 with BOM) and with the line breaks (LF, CRLF, lone CR,
// mixed) the base commit has, byte for byte what `steward fix` writes into a work tree for the same
// file. Before, the flow committed every changed file as UTF-8 text decoded from the scan, so a UTF-16
// workflow became UTF-8 and a lone-CR one got its `with:` at the wrong place.

const CHECKOUT = (eol: string) => ['on: push', 'jobs:', '  build:', '    runs-on: ubuntu-latest', '    steps:', '      - uses: actions/checkout@v4', '      - run: echo hi', ''].join(eol);

const utf16 = (text: string, order: 'le' | 'be'): Buffer => {
  const le = Buffer.from(text, 'utf16le');
  if (order === 'be') for (let i = 0; i + 1 < le.length; i += 2) [le[i], le[i + 1]] = [le[i + 1], le[i]];
  return Buffer.concat([Buffer.from(order === 'le' ? [0xff, 0xfe] : [0xfe, 0xff]), le]);
};

const WORKFLOWS: Record<string, string | Buffer> = {
  '.github/workflows/cr.yml': CHECKOUT('\r'),
  '.github/workflows/crlf.yml': CHECKOUT('\r\n'),
  '.github/workflows/mixed.yml': 'on: push\r\njobs:\r  build:\n    runs-on: ubuntu-latest\r    steps:\n      - uses: actions/checkout@v4\r      - run: echo hi\n',
  '.github/workflows/bom.yml': Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(CHECKOUT('\n'))]),
  '.github/workflows/u16le.yml': utf16(CHECKOUT('\r\n'), 'le'),
  '.github/workflows/u16be.yml': utf16(CHECKOUT('\r'), 'be'),
};

function output(cwd: string): { o: Output; err: string[] } {
  const err: string[] = [];
  return { o: { out: () => undefined, err: (s) => err.push(s), isTTY: false, env: { PATH: process.env.PATH }, cwd }, err };
}

/** What `steward fix` leaves in a work tree holding the same files. */
async function fixedInWorkTree(files: Record<string, string | Buffer>): Promise<Record<string, Buffer>> {
  const dir = tempDir('steward-pr-enc-fix-');
  try {
    for (const [f, data] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
      fs.writeFileSync(path.join(dir, f), data);
    }
    const { o, err } = output(dir);
    assert.equal(await main(['fix', '.', '--offline', '--rule', 'persisted-checkout-credentials'], o), 0, err.join(''));
    return Object.fromEntries(Object.keys(files).map((f) => [f, fs.readFileSync(path.join(dir, f))]));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

describe('hostile repositories: `steward pr` keeps encodings and line breaks in its commits', function () {
  this.timeout(120_000);
  let w: PrWorld | undefined;
  afterEach(async () => {
    await w?.close();
    w = undefined;
  });

  it('UTF-16LE/BE, UTF-8 with BOM, CRLF, lone-CR and mixed workflows: each committed blob is byte for byte what fix writes', async () => {
    const files: Record<string, string | Buffer> = { ...WORKFLOWS, '.github/dependabot.yml': 'version: 2\nupdates: []\n', 'SECURITY.md': 'Report to ada@example.org\n' };
    w = await makePrWorld(files);
    const expected = await fixedInWorkTree(files);
    const { o, err } = output(w.clone);
    assert.equal(await main(['pr', '--concern', 'checkout-credentials', '--offline'], o), 0, err.join(''));
    for (const f of Object.keys(WORKFLOWS)) {
      const committed: Buffer = execFileSync('git', ['-C', w.clone, 'cat-file', 'blob', `steward/checkout-credentials:${f}`]);
      assert.notDeepEqual(expected[f], Buffer.from(files[f]), `${f}: fix changed it`);
      assert.equal(committed.toString('latin1'), expected[f].toString('latin1'), f);
    }
    // The lone-CR file, spelled out: `with:` under the checkout step, once, with lone CRs.
    assert.equal(
      execFileSync('git', ['-C', w.clone, 'cat-file', 'blob', 'steward/checkout-credentials:.github/workflows/cr.yml']).toString('latin1'),
      'on: push\rjobs:\r  build:\r    runs-on: ubuntu-latest\r    steps:\r      - uses: actions/checkout@v4\r        with:\r          persist-credentials: false\r      - run: echo hi\r',
    );
    // One commit per file, and the user's work tree is not touched.
    assert.equal(git(w.clone, ['rev-list', '--count', 'origin/main..steward/checkout-credentials']), String(Object.keys(WORKFLOWS).length));
    assert.equal(git(w.clone, ['status', '--porcelain']), '');
  });
});
