import * as assert from 'node:assert/strict';
import { readdirSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { corpusDir } from './corpus-dir';
import { Engine } from '../../src/core/engine';
import { DiskSnapshot } from '../../src/core/repo/disk';
import { check as templateInjection } from '../../src/core/checks/template-injection/template-injection';
import { check as dangerousTriggers } from '../../src/core/checks/dangerous-triggers/dangerous-triggers';
import { check as persistedCheckoutCredentials } from '../../src/core/checks/persisted-checkout-credentials/persisted-checkout-credentials';
import { check as secretsExposure } from '../../src/core/checks/secrets-exposure/secrets-exposure';
import { check as hardcodedContainerCredentials } from '../../src/core/checks/hardcoded-container-credentials/hardcoded-container-credentials';
import { check as insecureCommands } from '../../src/core/checks/insecure-commands/insecure-commands';
import { check as unsoundCondition } from '../../src/core/checks/unsound-condition/unsound-condition';
import { check as spoofableBotCondition } from '../../src/core/checks/spoofable-bot-condition/spoofable-bot-condition';
import type { Check } from '../../src/core/checks/types';
import { applyEdits, dedupeEdits } from '../../src/core/fix/apply';
import { parseYaml } from '../../src/core/yaml/parse';
import { assertFixRoundTrip } from '../support/fix-tester';

// Every workflow check over every real repository of the shared corpus: none may error, and every
// offline fix they offer there must leave a file that still parses. Counts are printed so a reader of
// the test log sees what the checks find on real projects.

const CORPUS = corpusDir('real');
const CHECKS: Check[] = [
  templateInjection,
  dangerousTriggers,
  persistedCheckoutCredentials,
  secretsExposure,
  hardcodedContainerCredentials,
  insecureCommands,
  unsoundCondition,
  spoofableBotCondition,
];

const repos = readdirSync(CORPUS).filter((d) => statSync(path.join(CORPUS, d)).isDirectory()).sort();

describe('workflow checks over the real corpus', function () {
  this.timeout(120_000);
  for (const repo of repos) {
    it(`${repo}: no check errors and fixes keep files parseable`, async () => {
      const snap = new DiskSnapshot(path.join(CORPUS, repo), repo);
      const scan = await new Engine(CHECKS).scan(snap);
      for (const r of scan.results) assert.notEqual(r.status, 'error', `${r.checkId} errored on ${repo}: ${r.error}`);
      const byFile = new Map<string, { start: number; end: number; newText: string; file: string }[]>();
      for (const f of scan.findings) {
        const fix = f.fixes.find((x) => !x.deferred && x.edits.length);
        if (fix) for (const e of fix.edits) byFile.set(e.file, [...(byFile.get(e.file) ?? []), e]);
      }
      for (const [file, edits] of byFile) {
        const text = scan.files.get(file)?.text;
        assert.ok(text !== undefined, `${file} was not loaded`);
        let after: string;
        try {
          after = applyEdits(text, dedupeEdits(edits));
        } catch {
          continue; // fixes of different rules may overlap; each is checked alone in its own tests
        }
        const parsed = parseYaml(file, after);
        assert.deepEqual(parsed.errors.map((e) => e.message), [], `${repo}/${file} does not parse after fixes`);
      }
    });
    it(`${repo}: every fix passes the round trip (parses, finding gone, converges, other lines kept)`, async () => {
      const snap = new DiskSnapshot(path.join(CORPUS, repo), repo);
      const scan = await new Engine(CHECKS).scan(snap);
      const files: Record<string, string> = {};
      for (const [p, f] of scan.files) if ((f.kind === 'workflow' || f.kind === 'action') && f.yaml && !f.yaml.errors.length) files[p] = f.text;
      for (const check of CHECKS.filter((c) => c.meta.fixable)) {
        const withFix = scan.findings.filter((f) => f.ruleId === check.meta.id && f.fixes.some((x) => !x.deferred && x.edits.length));
        if (!withFix.length) continue;
        const touched = new Set(withFix.map((f) => f.location!.file));
        const subset = Object.fromEntries(Object.entries(files).filter(([p]) => touched.has(p)));
        const rt = await assertFixRoundTrip(check, subset, { unsafe: true });
        if (process.env.STEWARD_CORPUS_LOG) console.log(`${repo} ${check.meta.id}: ${rt.applied} fixes applied`);
      }
    });
  }
});
