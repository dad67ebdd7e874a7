import * as assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { findExpressions, tokenize, contextRefs } from '../../src/core/yaml/expressions';
import { posixStateAt, pwshStateAt, jsStateAt } from '../../src/core/workflow/shell-context';
import { scanFiles } from '../support/check-tester';
import { check as templateInjection } from '../../src/core/checks/template-injection/template-injection';
import { check as dangerousTriggers } from '../../src/core/checks/dangerous-triggers/dangerous-triggers';
import { check as persistedCheckoutCredentials } from '../../src/core/checks/persisted-checkout-credentials/persisted-checkout-credentials';
import { check as secretsExposure } from '../../src/core/checks/secrets-exposure/secrets-exposure';
import { check as hardcodedContainerCredentials } from '../../src/core/checks/hardcoded-container-credentials/hardcoded-container-credentials';
import { check as insecureCommands } from '../../src/core/checks/insecure-commands/insecure-commands';
import { check as unsoundCondition } from '../../src/core/checks/unsound-condition/unsound-condition';
import { check as spoofableBotCondition } from '../../src/core/checks/spoofable-bot-condition/spoofable-bot-condition';

// The workflow checks must never throw, whatever text they are given: random expressions and scripts
// for the scanners, and real workflows cut off or spliced at arbitrary points for the checks.

const CHECKS = [templateInjection, dangerousTriggers, persistedCheckoutCredentials, secretsExposure, hardcodedContainerCredentials, insecureCommands, unsoundCondition, spoofableBotCondition];
const CORPUS = path.resolve(__dirname, '../../../shared/corpus/real');

const exprChars = fc.constantFrom(...'${}()[]\'"`.,*!=&|<> \n\tabgithubeventsecrets_-0123456789#'.split(''));
const exprText = fc.array(exprChars, { maxLength: 120 }).map((a) => a.join(''));

describe('workflow checks never throw', () => {
  it('the expression scanner and shell scanners accept any text', () => {
    fc.assert(
      fc.property(exprText, fc.nat(), (text, n) => {
        for (const s of findExpressions(text)) {
          assert.ok(s.start < s.end && s.end <= text.length);
          assert.ok(text.startsWith('${{', s.start) && text.startsWith('}}', s.end - 2));
          contextRefs(s.inner);
        }
        tokenize(text);
        contextRefs(text);
        const at = n % (text.length + 1);
        posixStateAt(text, at);
        pwshStateAt(text, at);
        jsStateAt(text, at);
      }),
      { numRuns: 500, seed: 42 },
    );
  });

  it('real workflows cut short or spliced at random points give findings, never an error', async function () {
    this.timeout(120_000);
    if (!existsSync(CORPUS)) this.skip();
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
