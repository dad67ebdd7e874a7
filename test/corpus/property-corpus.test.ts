import * as assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { applied, assertAllFixesRoundTrip, runs, scanChecked } from '../support/properties';
import { corpusDir } from './corpus-dir';

// Property tests over real workflows from the corpus, mutated line by line and byte by byte: no check
// throws, every scan ends quickly, every fix keeps the round-trip contract (see test/unit/property.test.ts).
// ---------------------------------------------------------------------------------------------
// mutated corpus workflows

const CORPUS = corpusDir('real');

function corpusWorkflows(): { path: string; text: string }[] {
  const out: { path: string; text: string }[] = [];
  for (const repo of readdirSync(CORPUS).sort()) {
    const dir = path.join(CORPUS, repo, '.github/workflows');
    if (!existsSync(dir)) continue;
    for (const f of readdirSync(dir).sort()) if (/\.ya?ml$/.test(f)) out.push({ path: `.github/workflows/${f}`, text: readFileSync(path.join(dir, f), 'utf8') });
  }
  return out;
}

type Mutation =
  | { op: 'delete' | 'duplicate' | 'indent' | 'dedent' | 'tab'; line: number }
  | { op: 'bytes'; at: number; bytes: number[] }
  | { op: 'swap'; line: number; other: number }
  | { op: 'truncate'; at: number };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ op: fc.constantFrom('delete', 'duplicate', 'indent', 'dedent', 'tab') as fc.Arbitrary<'delete'>, line: fc.nat() }),
  fc.record({ op: fc.constant('bytes' as const), at: fc.nat(), bytes: fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 1, maxLength: 8 }) }),
  fc.record({ op: fc.constant('swap' as const), line: fc.nat(), other: fc.nat() }),
  fc.record({ op: fc.constant('truncate' as const), at: fc.nat() }),
);

function mutate(text: string, muts: Mutation[]): Uint8Array {
  let bytes = new TextEncoder().encode(text);
  for (const m of muts) {
    if (m.op === 'bytes' || m.op === 'truncate') {
      const at = bytes.length ? m.at % (bytes.length + 1) : 0;
      if (m.op === 'truncate') bytes = bytes.slice(0, at);
      else bytes = new Uint8Array([...bytes.subarray(0, at), ...m.bytes, ...bytes.subarray(at)]);
      continue;
    }
    const lines = new TextDecoder().decode(bytes).split('\n');
    const i = m.line % lines.length;
    if (m.op === 'delete') lines.splice(i, 1);
    else if (m.op === 'duplicate') lines.splice(i, 0, lines[i]);
    else if (m.op === 'indent') lines[i] = '  ' + lines[i];
    else if (m.op === 'dedent') lines[i] = lines[i].replace(/^ {1,2}/, '');
    else if (m.op === 'tab') lines[i] = '\t' + lines[i];
    else if (m.op === 'swap') {
      const j = m.other % lines.length;
      [lines[i], lines[j]] = [lines[j], lines[i]];
    }
    bytes = new TextEncoder().encode(lines.join('\n'));
  }
  return bytes;
}

describe('property: mutated corpus workflows', function () {
  this.timeout(180_000);
  const corpus = corpusWorkflows();
  it('reads workflows from the corpus', () => assert.ok(corpus.length > 10, `${corpus.length} corpus workflows`));

  it('no check throws on deleted, duplicated, re-indented, swapped or truncated lines and random bytes', async () => {
    await fc.assert(
      fc.asyncProperty(fc.nat(), fc.array(mutation, { minLength: 1, maxLength: 4 }), async (pick, muts) => {
        const wf = corpus[pick % corpus.length];
        await scanChecked({ [wf.path]: mutate(wf.text, muts) });
      }),
      runs(100),
    );
  });

  it('fixes on mutated corpus workflows keep the round-trip contract', async () => {
    await fc.assert(
      fc.asyncProperty(fc.nat(), fc.array(mutation, { minLength: 1, maxLength: 2 }), async (pick, muts) => {
        const wf = corpus[pick % corpus.length];
        await assertAllFixesRoundTrip({ [wf.path]: mutate(wf.text, muts) });
      }),
      runs(25),
    );
  });

  it('every unmutated corpus workflow: no check throws and fixes round-trip', async () => {
    applied.clear();
    for (const wf of corpus) {
      await scanChecked({ [wf.path]: wf.text });
      await assertAllFixesRoundTrip({ [wf.path]: wf.text });
    }
    assert.ok(applied.size >= 1, 'no fix applied anywhere in the corpus');
  });
});
