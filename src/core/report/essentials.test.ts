import * as assert from 'node:assert/strict';
import type { CheckMeta, CheckResult, Finding, Severity } from '../model';
import { CHECKS } from '../checks';
import { scanFiles } from '../../../test/support/check-tester';
import { configSchema } from '../config/schema';
import { essentialsScore } from './essentials';

const meta = (id: string, severity: Severity = 'medium', extra: Partial<CheckMeta> = {}): CheckMeta => ({
  id,
  title: id,
  category: 'workflows',
  severity,
  confidence: 'high',
  fixable: false,
  essential: true,
  docs: { summary: '', whyItMatters: '', howToFix: '', effort: 'minutes', fixSafety: '' },
  references: {},
  ...extra,
});
const f = (ruleId: string, severity: Severity, suppressed = false): Finding => ({
  ruleId,
  message: `${ruleId} ${severity}`,
  severity,
  confidence: 'high',
  fixes: [],
  ...(suppressed ? { suppressed: { by: 'steward-comment' as const } } : {}),
});
const res = (checkId: string, status: CheckResult['status'], findings: Finding[] = [], reason = ''): CheckResult => ({ checkId, status, reason, findings, suppressed: 0 });

describe('essentialsScore (issue 15: Essentials that mean something)', () => {
  const metas = [meta('a'), meta('b'), meta('c'), meta('d', 'medium', { online: true }), meta('e'), meta('x', 'medium', { essential: false })];
  const scan = {
    results: [
      res('a', 'fail', [f('a', 'low'), f('a', 'info')]),
      res('b', 'fail', [f('b', 'medium'), f('b', 'low')]),
      res('c', 'pass'),
      res('d', 'unknown', [], 'Unknown: offline'),
      res('e', 'not-applicable'),
      res('x', 'fail', [f('x', 'high')]),
    ],
  };

  it('fails an Essential only for findings at or above medium; low and info notes show but pass', () => {
    const s = essentialsScore(scan, { metas });
    assert.deepEqual(s.rows.map((r) => [r.checkId, r.state, r.failing.length, r.notes.length]), [
      ['a', 'pass', 0, 2],
      ['b', 'fail', 1, 1],
      ['c', 'pass', 0, 0],
      ['d', 'unchecked', 0, 0],
      ['e', 'not-applicable', 0, 0],
    ]);
    assert.deepEqual([s.passed, s.checked, s.total], [2, 3, 4]);
  });

  it('leaves an Essential that is unknown offline out of the score and says "n of m checked"', () => {
    assert.equal(essentialsScore(scan, { metas }).summary, '2 of 3 pass · 3 of 4 checked (1 could not be seen: needs online access)');
    const all = { results: scan.results.filter((r) => r.checkId !== 'd') };
    assert.equal(essentialsScore(all, { metas }).summary, '2 of 3 pass');
  });

  it('reads the threshold from the option, else .github/steward.yml essentials.fail-at, else medium', () => {
    const config = configSchema.parse({ essentials: { 'fail-at': 'high' } });
    assert.equal(essentialsScore(scan, { metas, config }).passed, 3);
    assert.equal(essentialsScore(scan, { metas, config, failAt: 'low' }).passed, 1);
    // Suppressed findings never fail.
    const sup = { results: [res('b', 'fail', [f('b', 'high', true)])] };
    assert.equal(essentialsScore(sup, { metas }).passed, 1);
  });

  it('over a real scan: an offline scan leaves the online Essentials out instead of counting them against the repository', async () => {
    const s = await scanFiles(CHECKS, { 'SECURITY.md': '# Security\n\nReport privately through GitHub private vulnerability reporting.\n' });
    const score = essentialsScore(s, { metas: CHECKS.map((c) => c.meta) });
    const unchecked = score.rows.filter((r) => r.state === 'unchecked').map((r) => r.checkId);
    assert.ok(unchecked.includes('unprotected-default-branch'), unchecked.join(','));
    assert.equal(score.checked + unchecked.length, score.total);
    assert.match(score.summary, / of \d+ checked \(\d+ could not be seen: needs online access\)$/);
  });
});
