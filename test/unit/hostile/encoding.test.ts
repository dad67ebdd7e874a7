import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { decodeText, encodeText, normalizeLoneCr, dominantBreak } from '../../../src/core/yaml/text';
import { cli, hostileRepo, type HostileRepo } from './write-support';

// Issue 13, "file corruption": the yaml package does not treat a lone CR as a line break (YAML does),
// and the edit code of the fixes looks for LF. On a lone-CR workflow `fix` reported "applied" and put
// `with:` at the end of the file (under the wrong step), then again in the next round (duplicate keys).
// The fix engine now gives the checks the text with lone CRs as LF (one character for one, so offsets
// hold) and writes the result back with the file's own line breaks.

const CHECKOUT = (eol: string) => ['on: push', 'jobs:', '  build:', '    runs-on: ubuntu-latest', '    steps:', '      - uses: actions/checkout@v4', '      - run: echo hi', ''].join(eol);

const utf16 = (text: string, order: 'le' | 'be'): Buffer => {
  const le = Buffer.from(text, 'utf16le');
  if (order === 'be') for (let i = 0; i + 1 < le.length; i += 2) [le[i], le[i + 1]] = [le[i + 1], le[i]];
  return Buffer.concat([Buffer.from(order === 'le' ? [0xff, 0xfe] : [0xfe, 0xff]), le]);
};

describe('hostile repositories: line breaks and encodings survive fixes', () => {
  let h: HostileRepo;
  let before: Record<string, string>;
  beforeEach(() => {
    h = hostileRepo('steward-hostile-enc-');
    // Present so that only the workflow fixes apply.
    h.files({ '.github/dependabot.yml': 'version: 2\nupdates: []\n', 'SECURITY.md': 'Report to ada@example.org\n' });
  });
  afterEach(() => {
    assert.deepEqual(h.outside(), before, 'something outside the repository changed');
    h.cleanup();
  });
  const wf = (name: string) => path.join(h.root, '.github/workflows', name);
  const fix = async (...rules: string[]) => cli(h.root, ['fix', '.', '--offline', ...rules.flatMap((r) => ['--rule', r])]);

  it('lone-CR workflow: the step gets its with: in the right place, once, with lone CRs (exact bytes)', async () => {
    h.files({ '.github/workflows/ci.yml': CHECKOUT('\r') });
    before = h.outside();
    const r = await fix('persisted-checkout-credentials');
    assert.equal(r.code, 0, r.stderr);
    assert.equal(
      readFileSync(wf('ci.yml'), 'latin1'),
      'on: push\rjobs:\r  build:\r    runs-on: ubuntu-latest\r    steps:\r      - uses: actions/checkout@v4\r        with:\r          persist-credentials: false\r      - run: echo hi\r',
    );
    assert.match(r.stdout, /^Applied 1 fix in 1 file\n/);
  });

  it('lone-CR workflow, every offline fix: the same result as the LF file, with lone CRs', async () => {
    h.files({ '.github/workflows/cr.yml': CHECKOUT('\r'), '.github/workflows/lf.yml': CHECKOUT('\n') });
    before = h.outside();
    const r = await fix();
    assert.notEqual(r.code, 2, r.stderr);
    const lf = readFileSync(wf('lf.yml'), 'utf8');
    assert.notEqual(lf, CHECKOUT('\n'), 'the LF file was fixed');
    assert.equal(readFileSync(wf('cr.yml'), 'utf8'), lf.replace(/\n/g, '\r'));
  });

  it('mixed CR / LF / CRLF workflow: fixed in place, every existing line keeps its own break (exact bytes)', async () => {
    const mixed = 'on: push\r\njobs:\r  build:\n    runs-on: ubuntu-latest\r    steps:\n      - uses: actions/checkout@v4\r      - run: echo hi\n      - uses: actions/checkout@v4\n        with:\r          fetch-depth: 0\n';
    h.files({ '.github/workflows/ci.yml': mixed });
    before = h.outside();
    const r = await fix('persisted-checkout-credentials');
    assert.equal(r.code, 0, r.stderr);
    assert.equal(
      readFileSync(wf('ci.yml'), 'latin1'),
      'on: push\r\njobs:\r  build:\n    runs-on: ubuntu-latest\r    steps:\n      - uses: actions/checkout@v4\r        with:\n          persist-credentials: false\n      - run: echo hi\n      - uses: actions/checkout@v4\n        with:\r          fetch-depth: 0\n          persist-credentials: false\n',
    );
    // Fixing again changes nothing: no duplicate keys from a second round.
    const again = await fix('persisted-checkout-credentials');
    assert.equal(again.stdout, 'Nothing to fix: no finding has an applicable fix\n');
  });

  for (const order of ['le', 'be'] as const) {
    it(`UTF-16${order.toUpperCase()} workflow with a BOM is scanned (not "binary") and fixed in UTF-16${order.toUpperCase()}`, async () => {
      h.files({ '.github/workflows/ci.yml': utf16(CHECKOUT('\r\n'), order) });
      before = h.outside();
      const scan = await cli(h.root, ['scan', '.', '--offline']);
      assert.doesNotMatch(scan.stdout, /binary/);
      assert.match(scan.stdout, /\.github\/workflows\/ci\.yml\n[^]*persisted-checkout-credentials/);
      const r = await fix('persisted-checkout-credentials');
      assert.equal(r.code, 0, r.stderr);
      const expected = CHECKOUT('\r\n').replace('checkout@v4\r\n', 'checkout@v4\r\n        with:\r\n          persist-credentials: false\r\n');
      assert.deepEqual(readFileSync(wf('ci.yml')), utf16(expected, order));
    });
  }

  it('a UTF-16 BOM on bytes that are not UTF-16 is "not valid UTF-16", and is left alone', async () => {
    h.files({ '.github/workflows/ci.yml': Buffer.from([0xff, 0xfe, 0x6f, 0x00, 0x6e]) });
    before = h.outside();
    const scan = await cli(h.root, ['scan', '.', '--offline']);
    assert.match(scan.stdout, /not valid UTF-16LE/);
    assert.doesNotMatch(scan.stdout, /binary/);
    await fix();
    assert.deepEqual(readFileSync(wf('ci.yml')), Buffer.from([0xff, 0xfe, 0x6f, 0x00, 0x6e]));
  });
});

describe('text helpers: decode/encode round trips, lone CR', () => {
  it('decodeText/encodeText give back the same bytes for UTF-8, UTF-8 with BOM, UTF-16LE/BE', () => {
    const samples = [Buffer.from('a: 1\r\nb: é\n'), Buffer.from('\ufeffa: 1\n'), utf16('a: 1\r\nb: é\n', 'le'), utf16('a: 1\nb: 😀\n', 'be'), Buffer.from('\ufeff\ufeffa')];
    for (const b of samples) {
      const d = decodeText(b);
      assert.equal(d.problem, undefined, b.toString('hex'));
      assert.deepEqual(Buffer.from(encodeText(d.text, d)), b, b.toString('hex'));
    }
    assert.equal(decodeText(utf16('x', 'be')).text, 'x');
    assert.match(decodeText(Buffer.from([0, 1, 2])).problem!, /binary/);
  });

  it('normalizeLoneCr keeps offsets; dominantBreak counts lone CR', () => {
    assert.equal(normalizeLoneCr('a\rb\r\nc\n\r'), 'a\nb\r\nc\n\n');
    assert.equal(normalizeLoneCr('a\rb').length, 3);
    assert.equal(dominantBreak('a\rb\rc\n'), '\r');
    assert.equal(dominantBreak('a\r\nb\r\nc\r'), '\r\n');
    assert.equal(dominantBreak('a\nb\rc\n'), '\n');
    assert.equal(dominantBreak('abc'), '\n');
  });
});
