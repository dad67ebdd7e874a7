import * as assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { scanFiles } from '../support/check-tester';
import { check as templateInjection } from '../../src/core/checks/template-injection/template-injection';
import { check as dangerousTriggers } from '../../src/core/checks/dangerous-triggers/dangerous-triggers';
import { check as persistedCheckoutCredentials } from '../../src/core/checks/persisted-checkout-credentials/persisted-checkout-credentials';
import { check as secretsExposure } from '../../src/core/checks/secrets-exposure/secrets-exposure';
import { check as hardcodedContainerCredentials } from '../../src/core/checks/hardcoded-container-credentials/hardcoded-container-credentials';
import { check as insecureCommands } from '../../src/core/checks/insecure-commands/insecure-commands';
import { check as unsoundCondition } from '../../src/core/checks/unsound-condition/unsound-condition';
import { check as spoofableBotCondition } from '../../src/core/checks/spoofable-bot-condition/spoofable-bot-condition';
import { corpusDir } from './corpus-dir';

// Real workflows cut off or spliced at arbitrary points: the workflow checks give findings, never an error.

const CHECKS = [templateInjection, dangerousTriggers, persistedCheckoutCredentials, secretsExposure, hardcodedContainerCredentials, insecureCommands, unsoundCondition, spoofableBotCondition];
const CORPUS = corpusDir('real');

describe('workflow checks never throw (corpus)', () => {
  it('real workflows cut short or spliced at random points give findings, never an error', async function () {
    this.timeout(120_000);
    const texts: string[] = [];
    for (const repo of readdirSync(CORPUS)) {
      const dir = path.join(CORPUS, repo, '.github', 'workflows');
      if (!existsSync(dir) || !statSync(dir).isDirectory()) continue;
      for (const f of readdirSync(dir).filter((x) => /\.ya?ml$/.test(x)).slice(0, 4)) texts.push(readFileSync(path.join(dir, f), 'utf8'));
    }
    assert.ok(texts.length > 10);
    await fc.assert(
      fc.asyncProperty(fc.nat(), fc.nat(), fc.nat(), async (a, b, c) => {
        const t = texts[a % texts.length];
        const u = texts[b % texts.length];
        const cut = c % (t.length + 1);
        const spliced = t.slice(0, cut) + u.slice(cut % (u.length + 1));
        const scan = await scanFiles(CHECKS, { '.github/workflows/a.yml': t.slice(0, cut), '.github/workflows/b.yml': spliced, 'action.yml': spliced });
        for (const r of scan.results) assert.notEqual(r.status, 'error', `${r.checkId}: ${r.error}`);
      }),
      { numRuns: 120, seed: 7 },
    );
  });
});
