import type { Fix, TextEdit } from '../model';

// A scan reports every fix (its title and whether it is safe), but only applying or previewing one
// needs its text. Some fixes cost more to write than the check that found the problem: the generated
// security-insights.yml (a YAML document built and stringified) was 0.7 ms of a 1 ms scan of a small
// repository. Such a fix gets its edits on first use instead; everything else about it is known at
// once, and so are the files it writes (the engine looks at those during the scan).

/** The files a lazily written fix will edit, by fix; fixes with ordinary edits are not in it. */
const lazyFiles = new WeakMap<object, readonly string[]>();

/**
 * `fix` with `edits` computed by `compute` the first time anything reads them (then kept, as an
 * ordinary property). `files` must be exactly the files `compute`'s edits touch, and `compute` must
 * depend only on what the check has already read (its result must not change with time or I/O).
 */
export function withLazyEdits(fix: Omit<Fix, 'edits'>, files: readonly string[], compute: () => TextEdit[]): Fix {
  const out = fix as Fix;
  Object.defineProperty(out, 'edits', {
    configurable: true,
    enumerable: true,
    get(this: Fix): TextEdit[] {
      const edits = compute();
      Object.defineProperty(this, 'edits', { value: edits, writable: true, enumerable: true, configurable: true });
      return edits;
    },
    set(this: Fix, edits: TextEdit[]) {
      Object.defineProperty(this, 'edits', { value: edits, writable: true, enumerable: true, configurable: true });
    },
  });
  lazyFiles.set(out, files);
  return out;
}

/** The files a fix edits, without writing a lazily written fix's text. */
export function editedFiles(fix: Fix): readonly string[] {
  const files = lazyFiles.get(fix);
  if (files && Object.getOwnPropertyDescriptor(fix, 'edits')?.get) return files;
  return fix.edits.map((e) => e.file);
}
