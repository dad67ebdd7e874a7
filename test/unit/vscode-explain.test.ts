import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { CHECKS } from '../../src/core/checks';
import { Engine } from '../../src/core/engine';
import { DiskSnapshot } from '../../src/core/repo/disk';
import { explainHtml } from '../../src/vscode/posture/explainHtml';

// The Explain page: a finding's details link back to the list of the check's findings.

const PAGE = { nonce: 'n', cspSource: 'vscode-resource:', styleUri: 's.css', scriptUri: 's.js' };

describe('Explain page', () => {
  it('shows one finding with a way back to all findings of the check, and the list without it', async () => {
    const scan = await new Engine(CHECKS).scan(new DiskSnapshot(path.resolve(__dirname, '../fixtures/demo-repo')), { factsUnavailable: 'offline test' });
    const result = scan.results.find((r) => r.checkId === 'unpinned-actions')!;
    const meta = CHECKS.find((c) => c.meta.id === 'unpinned-actions')!.meta;
    const row = { meta, result, findings: result.findings, state: result.status };
    const one = explainHtml({ row, finding: result.findings[2], scan, canFix: true, canPrepare: false }, PAGE);
    assert.match(one, /<a href="#" data-action="list">← All 5 findings of this check<\/a>/);
    const list = explainHtml({ row, scan, canFix: true, canPrepare: false }, PAGE);
    assert.doesNotMatch(list, /data-action="list"/);
    assert.equal((list.match(/data-action="explain"/g) ?? []).length, 5, 'each finding of the list opens its details');
  });
});
