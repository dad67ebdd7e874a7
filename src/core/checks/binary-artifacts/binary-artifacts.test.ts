import * as assert from 'node:assert/strict';
import { binaryNameTests, check, sniffBinary } from './binary-artifacts';
import { runCheck } from '../../../../test/support/check-tester';

// Binary fixtures are built in memory: committing real ones would make Steward flag its own repository.
function bytes(...parts: (number[] | string)[]): Uint8Array {
  const out: number[] = [];
  for (const p of parts) out.push(...(typeof p === 'string' ? [...p].map((c) => c.charCodeAt(0)) : p));
  return new Uint8Array(out);
}
const ELF = bytes([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0], new Array(24).fill(0));
function pe(): Uint8Array {
  const b = new Uint8Array(0x90);
  b.set([0x4d, 0x5a], 0);
  b[0x3c] = 0x80;
  b.set([0x50, 0x45, 0, 0], 0x80);
  return b;
}
const CLASS = bytes([0xca, 0xfe, 0xba, 0xbe, 0, 0, 0, 61], new Array(8).fill(0));
const FAT = bytes([0xca, 0xfe, 0xba, 0xbe, 0, 0, 0, 2], new Array(8).fill(0));
const MACHO = bytes([0xcf, 0xfa, 0xed, 0xfe, 7, 0, 0, 1]);
const WASM = bytes([0x00, 0x61, 0x73, 0x6d, 1, 0, 0, 0]);
const JAR = bytes([0x50, 0x4b, 0x03, 0x04], new Array(26).fill(0), 'META-INF/MANIFEST.MF');
const ZIP = bytes([0x50, 0x4b, 0x03, 0x04], new Array(26).fill(0), 'data/readme.txt');
const PYC = bytes([0xcb, 0x0d, 0x0d, 0x0a], new Array(12).fill(0));

describe('binary-artifacts', () => {
  it('recognises formats by magic bytes', () => {
    assert.equal(sniffBinary(ELF), 'ELF executable or library');
    assert.equal(sniffBinary(pe()), 'Windows PE executable or DLL');
    assert.equal(sniffBinary(CLASS), 'Java class file');
    assert.equal(sniffBinary(FAT), 'Mach-O universal binary');
    assert.equal(sniffBinary(MACHO), 'Mach-O executable or library');
    assert.equal(sniffBinary(WASM), 'WebAssembly module');
    assert.equal(sniffBinary(JAR), 'Java archive (compiled classes)');
    assert.equal(sniffBinary(ZIP, 'zip'), undefined);
    assert.equal(sniffBinary(PYC, 'pyc'), 'Python bytecode');
    assert.equal(sniffBinary(bytes('MZ is a text line\n')), undefined);
  });

  it('reports executables with their path, wrapper jars and test data at low severity', async () => {
    const { result, findings } = await runCheck(check, {
      'bin/tool': ELF,
      'tools/setup.exe': pe(),
      'gradle/wrapper/gradle-wrapper.jar': JAR,
      'tests/fixtures/hello.wasm': WASM,
      'lib/Foo.class': CLASS,
      'scripts/run': '#!/bin/sh\necho hi\n',
      'docs/archive.zip': ZIP,
      'README.md': 'x',
    });
    assert.equal(result.status, 'fail');
    assert.deepEqual(
      findings.map((f) => [f.location?.file, f.severity, f.message]),
      [
        ['bin/tool', 'medium', 'bin/tool is a committed ELF executable or library'],
        ['gradle/wrapper/gradle-wrapper.jar', 'low', 'gradle/wrapper/gradle-wrapper.jar is a committed Java archive (compiled classes) (build tool wrapper: verify it against the official checksum in CI)'],
        ['lib/Foo.class', 'medium', 'lib/Foo.class is a committed Java class file'],
        ['tests/fixtures/hello.wasm', 'low', 'tests/fixtures/hello.wasm is a committed WebAssembly module (test data)'],
        ['tools/setup.exe', 'medium', 'tools/setup.exe is a committed Windows PE executable or DLL'],
      ],
    );
  });

  it('falls back to the extension when only the path is known, and ignores text with a binary extension', async () => {
    const { findings } = await runCheck(check, { 'vms/build.com': '$ set verify\n', 'src/notes.lib': 'plain text\n' }, { extraPaths: ['vendor/x/libz.so.1', 'app.dll'] });
    assert.deepEqual(findings.map((f) => [f.location?.file, f.confidence]), [
      ['app.dll', 'medium'],
      ['vendor/x/libz.so.1', 'medium'],
    ]);
  });

  it('passes for a source-only repository', async () => {
    const { result } = await runCheck(check, { 'src/main.c': 'int main(){}', Makefile: 'all:\n' });
    assert.equal(result.status, 'pass');
  });
});

// checkRepo() passes over most paths on a pre-test of their extension (issue 19): it must pass every
// path the loop would look at (a binary extension, or none), whatever the case or the characters.
describe('binary-artifacts name pre-test', () => {
  const { mayBeCandidate, extOfBase, isBinaryExt } = binaryNameTests;
  const looked = (p: string) => {
    const ext = extOfBase(p.slice(p.lastIndexOf('/') + 1));
    return ext === '' || isBinaryExt(ext);
  };
  it('passes every path with a binary extension or none', () => {
    const names = ['a.exe', 'A.EXE', 'x.Dll', 'libz.so', 'libz.so.1', 'libz.so.1.2.3', 'libz.SO.12345678', 'x.dylib', 'X.CLASS', 'a.jar', 'a.o', 'a.a', 'a.node', 'x.macho', 'x.ap\u212a', 'x.\u212aa',
      'Makefile', 'README', '.gitignore', 'x.', 'a.b.', '.', 'dir.d/file', 'x.js', 'x.json', 'x.markdown', 'x.1', 'x.1a', 'x.\u0130', 'x.ex\u00e9', 'x.e\u0000', 'x.\u0000a'];
    const paths = names.flatMap((n) => [n, `sub/${n}`, `a.b/c/${n}`]);
    let used = 0;
    for (const p of paths) {
      if (!looked(p)) continue;
      used++;
      assert.ok(mayBeCandidate(p), p);
    }
    assert.ok(used > 40, `${used}`);
    for (const p of ['src/index.js', 'lib/a.ts', 'docs/x.markdown', 'a.b/c.json', 'x.yml']) assert.equal(mayBeCandidate(p), false, p);
  });
  it('and random paths over the characters that matter', () => {
    const parts = ['a', 'E', 'x', 'e', 'so', 'SO', '.', '/', '1', 'jar', 'node', 'dylib', '\u212a', '\u0130', 'pk', 'ap'];
    let seed = 5;
    const rnd = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) % n);
    for (let k = 0; k < 20000; k++) {
      const p = Array.from({ length: 1 + rnd(6) }, () => parts[rnd(parts.length)]).join('');
      if (looked(p)) assert.ok(mayBeCandidate(p), p);
    }
  });
});
