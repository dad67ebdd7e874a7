import type { CheckMeta, Finding, Severity } from '../../model';
import type { Check, RepoOutcome } from '../types';
import { finding, plural } from '../helpers';

export const meta: CheckMeta = {
  id: 'binary-artifacts',
  title: 'No executables or compiled code committed',
  category: 'releases',
  severity: 'medium',
  confidence: 'high',
  fixable: false,
  docs: {
    summary:
      'The repository contains programs or compiled code: executables and libraries for Linux, Windows or macOS, Java classes and jars, compiled Python files, WebAssembly. Steward recognises them by their content where it can read it, otherwise by the file extension. The Gradle and Maven wrapper jars are reported at low severity.',
    whyItMatters:
      'Nobody can review a binary in a pull request. A committed executable can differ from the source it claims to come from, and it runs on every contributor\'s and user\'s machine that builds the project. Binaries are a classic way to hide a backdoor (the xz-utils backdoor was hidden in binary test files).',
    howToFix:
      'Build binaries from source during the build or release instead of committing them; fetch tools at a pinned version with a checksum. For wrapper jars, verify them in CI (gradle/actions/wrapper-validation). Keep binary test fixtures small, documented and produced by a script in the repository.',
    effort: 'an hour',
    fixSafety: 'No automatic fix: removing a binary needs a build change the maintainers must make.',
  },
  references: { scorecard: 'Binary-Artifacts', osps: ['OSPS-QA-05.01', 'OSPS-QA-05.02'] },
};

// Extensions that name compiled code (Scorecard's list, minus ambiguous ones such as .com (VMS/DOS
// scripts) and .bin/.obj (data)). When the content is available it decides; otherwise the name does.
const BINARY_EXT = new Set(['exe', 'dll', 'so', 'dylib', 'class', 'jar', 'war', 'ear', 'pyc', 'pyo', 'wasm', 'o', 'a', 'lib', 'elf', 'crx', 'deb', 'rpm', 'dex', 'msi', 'efi', 'ocx', 'drv', 'macho', 'par', 'apk', 'aar', 'node']);

const WRAPPERS = /(^|\/)(gradle\/wrapper\/gradle-wrapper\.jar|\.mvn\/wrapper\/maven-wrapper\.jar)$/;
const TEST_DATA = /(^|\/)(tests?|spec|testdata|test-data|fixtures|__fixtures__|testing)\//i;
// Extensionless files worth reading for magic bytes are capped so huge repositories stay fast.
const MAX_MAGIC_READS = 3000;
const TEXT_NAMES = /^(makefile|readme|license|licence|copying|authors|changelog|changes|notice|dockerfile|containerfile|gemfile|rakefile|procfile|vagrantfile|brewfile|podfile|codeowners|version|todo|install|news|manifest|\..*)$/i;

/**
 * The lower-case extension of a file name. Runs for every listed path, so only the extension is
 * lower-cased, and the versioned-library pattern is tried only when the extension starts with a digit.
 */
function extOfBase(base: string): string {
  const dot = base.lastIndexOf('.');
  if (dot <= 0) return '';
  const ext = base.slice(dot + 1).toLowerCase();
  // libfoo.so.1.2.3 is a shared library too.
  const c = ext.charCodeAt(0);
  if (c >= 0x30 && c <= 0x39 && /\.so(\.\d+)+$/i.test(base)) return 'so';
  return ext;
}

/** Longest extension of BINARY_EXT. */
const MAX_EXT = Math.max(...[...BINARY_EXT].map((e) => e.length));
/** An ASCII extension of up to MAX_EXT characters as a number, letters lower-cased (as toLowerCase() does them). */
function extCode(s: string, from: number, to: number): number {
  let code = 0;
  for (let k = from; k < to; k++) {
    const c = s.charCodeAt(k);
    code = code * 128 + (c >= 0x41 && c <= 0x5a ? c + 0x20 : c);
  }
  return code;
}
const BINARY_EXT_CODES: ReadonlySet<number> = new Set([...BINARY_EXT].map((e) => extCode(e, 0, e.length)));

/**
 * False for a path the loop of checkRepo() passes over (an extension, not a binary one) without
 * slicing or lower-casing its name: most paths of a repository. True for every path it looks at (and
 * some more: names without an extension, extensions that start with a digit, non-ASCII ones). One
 * look back from the end to the extension's dot (no lastIndexOf over the whole name and folder).
 */
function mayBeCandidate(path: string): boolean {
  const n = path.length;
  let k = n - 1;
  for (; k >= 0; k--) {
    const c = path.charCodeAt(k);
    if (c === 0x2e || c === 0x2f) break;
    if (c >= 128) return true;
  }
  // No dot in the name, a name that ends with its dot or starts with its only dot: TEXT_NAMES decides.
  if (k < 0 || path.charCodeAt(k) === 0x2f || k === n - 1 || k === 0 || path.charCodeAt(k - 1) === 0x2f) return true;
  const c = path.charCodeAt(k + 1);
  // `.so.1`: the full test.
  if (c >= 0x30 && c <= 0x39) return true;
  return n - k - 1 <= MAX_EXT && BINARY_EXT_CODES.has(extCode(path, k + 1, n));
}

function u32be(b: Uint8Array, i: number): number {
  return ((b[i] << 24) | (b[i + 1] << 16) | (b[i + 2] << 8) | b[i + 3]) >>> 0;
}

/** What compiled format the bytes are, or undefined for anything else. */
export function sniffBinary(b: Uint8Array, ext = ''): string | undefined {
  if (b.length < 4) return undefined;
  if (b[0] === 0x7f && b[1] === 0x45 && b[2] === 0x4c && b[3] === 0x46) return 'ELF executable or library';
  if (b[0] === 0x4d && b[1] === 0x5a) {
    // MZ plus a PE header at e_lfanew; a bare MZ is a DOS executable.
    if (b.length >= 0x40) {
      const off = b[0x3c] | (b[0x3d] << 8) | (b[0x3e] << 16) | (b[0x3f] << 24);
      if (off > 0 && off + 4 <= b.length && b[off] === 0x50 && b[off + 1] === 0x45 && b[off + 2] === 0 && b[off + 3] === 0) return 'Windows PE executable or DLL';
    }
    if (['exe', 'dll', 'ocx', 'drv', 'efi', 'sys', 'com'].includes(ext) || b.includes(0)) return 'Windows/DOS executable';
  }
  const m = u32be(b, 0);
  if (m === 0xfeedface || m === 0xfeedfacf || m === 0xcefaedfe || m === 0xcffaedfe) return 'Mach-O executable or library';
  if (m === 0xcafebabe && b.length >= 8) {
    // Java classes and fat Mach-O share the magic: a class has its major version (>= 45) here, a fat
    // binary its (small) architecture count.
    const major = (b[6] << 8) | b[7];
    return major >= 45 ? 'Java class file' : 'Mach-O universal binary';
  }
  if (m === 0xcafed00d) return 'Java pack200 archive';
  if (m === 0xbebafeca) return 'Mach-O universal binary';
  if (b[0] === 0x00 && b[1] === 0x61 && b[2] === 0x73 && b[3] === 0x6d) return 'WebAssembly module';
  if (b[0] === 0x64 && b[1] === 0x65 && b[2] === 0x78 && b[3] === 0x0a) return 'Android DEX bytecode';
  if (b[0] === 0x50 && b[1] === 0x4b && b[2] === 0x03 && b[3] === 0x04) {
    const head = new TextDecoder('latin1').decode(b.subarray(0, Math.min(b.length, 65536)));
    if (['jar', 'war', 'ear', 'aar', 'apk'].includes(ext) || head.includes('META-INF/') || head.includes('.class')) return 'Java archive (compiled classes)';
    return undefined;
  }
  if ((ext === 'pyc' || ext === 'pyo') && b[2] === 0x0d && b[3] === 0x0a) return 'Python bytecode';
  if (ext === 'a' && new TextDecoder('latin1').decode(b.subarray(0, 8)) === '!<arch>\n') return 'static library archive';
  if (ext === 'lib' && new TextDecoder('latin1').decode(b.subarray(0, 8)) === '!<arch>\n') return 'static library archive';
  return undefined;
}

const EXT_KIND: Record<string, string> = {
  exe: 'Windows executable',
  dll: 'Windows DLL',
  ocx: 'Windows control',
  drv: 'Windows driver',
  efi: 'EFI executable',
  msi: 'Windows installer',
  so: 'shared library',
  dylib: 'macOS dynamic library',
  macho: 'Mach-O binary',
  elf: 'ELF binary',
  class: 'Java class file',
  jar: 'Java archive',
  war: 'Java web archive',
  ear: 'Java enterprise archive',
  aar: 'Android library archive',
  apk: 'Android package',
  dex: 'Android DEX bytecode',
  pyc: 'Python bytecode',
  pyo: 'Python bytecode',
  wasm: 'WebAssembly module',
  o: 'object file',
  a: 'static library archive',
  lib: 'library',
  crx: 'Chrome extension package',
  deb: 'Debian package',
  rpm: 'RPM package',
  par: 'Perl archive',
  node: 'native Node.js addon',
};

function looksText(b: Uint8Array): boolean {
  const sample = b.subarray(0, 8000);
  if (sample.includes(0)) return false;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(sample);
    return true;
  } catch {
    return false;
  }
}

/** What the first bytes say about one candidate: a kind (high confidence), or nothing. */
function sniffHead(head: Uint8Array | undefined, ext: string, byName: boolean): string | undefined {
  if (!head) return undefined;
  const kind = sniffBinary(head, ext);
  // A binary extension on something that is not text is still compiled code we cannot name.
  if (!kind && byName && !looksText(head)) return EXT_KIND[ext];
  return kind;
}

/** Candidates are read this many at a time (each read is one small system call, 64 KiB at most). */
const READ_CONCURRENCY = 16;

export const check: Check = {
  meta,
  async checkRepo(ctx): Promise<RepoOutcome> {
    // The candidates, in path order (the cap on extensionless reads keeps the first ones).
    const candidates: { path: string; ext: string; byName: boolean }[] = [];
    let magicReads = 0;
    for (const path of ctx.paths) {
      if (!mayBeCandidate(path)) continue;
      const base = path.slice(path.lastIndexOf('/') + 1);
      const ext = extOfBase(base);
      const byName = BINARY_EXT.has(ext);
      const extensionless = ext === '' && !TEXT_NAMES.test(base);
      if (!byName && !extensionless) continue;
      if (!byName && magicReads >= MAX_MAGIC_READS) continue;
      if (!byName) magicReads++;
      candidates.push({ path, ext, byName });
    }
    // Every format is told by its first 64 KiB (sniffBinary looks no further), so only that is read,
    // concurrently; the engine keeps each answer while the file is unchanged (a re-check reads nothing).
    const kinds: ({ kind: string; confidence: 'high' | 'medium' } | undefined)[] = new Array(candidates.length);
    let next = 0;
    const worker = async () => {
      while (next < candidates.length) {
        const i = next++;
        const { path, ext, byName } = candidates[i];
        const sniffed = ctx.sniff
          ? await ctx.sniff(path, meta.id, (head) => (head ? { read: true, kind: sniffHead(head, ext, byName) } : { read: false, kind: undefined }))
          : await ctx.readBytes(path).then((b) => (b ? { read: true, kind: sniffHead(b, ext, byName) } : { read: false, kind: undefined }));
        if (sniffed.kind) kinds[i] = { kind: sniffed.kind, confidence: 'high' };
        else if (!sniffed.read && byName) kinds[i] = { kind: EXT_KIND[ext], confidence: 'medium' };
      }
    };
    await Promise.all(Array.from({ length: Math.min(READ_CONCURRENCY, candidates.length) }, worker));
    const findings: Finding[] = [];
    candidates.forEach(({ path }, i) => {
      const k = kinds[i];
      if (!k) return;
      const wrapper = WRAPPERS.test(path);
      const testData = TEST_DATA.test(path);
      const severity: Severity = wrapper || testData ? 'low' : meta.severity;
      const note = wrapper ? ' (build tool wrapper: verify it against the official checksum in CI)' : testData ? ' (test data)' : '';
      findings.push(
        finding(meta, {
          message: `${path} is a committed ${k.kind}${note}`,
          severity,
          confidence: k.confidence,
          location: { file: path, start: { line: 1, column: 1 }, end: { line: 1, column: 1 } },
        }),
      );
    });
    if (findings.length === 0) return { status: 'pass', reason: 'No executables or compiled code found', findings };
    return { status: 'fail', reason: `${plural(findings.length, 'binary file')} committed`, findings };
  },
};

/** For tests: the pre-test of checkRepo()'s loop and what the loop decides with. */
export const binaryNameTests = { mayBeCandidate, extOfBase, isBinaryExt: (ext: string) => BINARY_EXT.has(ext) };
