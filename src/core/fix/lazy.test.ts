import * as assert from 'node:assert/strict';
import { CHECKS } from '../checks';
import { Engine } from '../engine';
import { MemorySnapshot } from '../repo/snapshot';
import { editedFiles, withLazyEdits } from './lazy';
import { markGeneratedFileFixes } from './generated';
import type { Finding } from '../model';

const enc = (s: string) => new TextEncoder().encode(s);

describe('fixes whose edits are written on first use (issue 19)', () => {
  it('computes the edits once, when read, and then behaves as an ordinary fix', () => {
    let calls = 0;
    const fix = withLazyEdits({ title: 'Create a.yml', safe: false }, ['a.yml'], () => {
      calls++;
      return [{ file: 'a.yml', start: 0, end: 0, newText: 'x: 1\n', create: true }];
    });
    assert.deepEqual(editedFiles(fix), ['a.yml']);
    assert.equal(calls, 0);
    assert.deepEqual(Object.keys(fix), ['title', 'safe', 'edits']);
    assert.equal(fix.edits[0].newText, 'x: 1\n');
    assert.equal(fix.edits, fix.edits);
    assert.equal(calls, 1);
    assert.deepEqual(fix, { title: 'Create a.yml', safe: false, edits: [{ file: 'a.yml', start: 0, end: 0, newText: 'x: 1\n', create: true }] });
    assert.equal(JSON.stringify({ ...fix }), JSON.stringify(fix));
    fix.edits = [];
    assert.deepEqual(editedFiles(fix), []);
  });

  it('the generated-file rule sees a lazy fix\'s files without writing its text', () => {
    let calls = 0;
    const fix = withLazyEdits({ title: 'Edit gen.yml', safe: true }, ['gen.yml'], () => {
      calls++;
      return [{ file: 'gen.yml', start: 0, end: 0, newText: '' }];
    });
    const f = { ruleId: 'r', message: 'm', severity: 'low', confidence: 'high', fixes: [fix] } as unknown as Finding;
    markGeneratedFileFixes(f, () => '# This file is generated automatically. DO NOT EDIT.\n', new Map());
    assert.equal(f.fixes.length, 0);
    assert.equal(calls, 0);
  });

  it('a scan does not write security-insights.yml; the fix writes it when asked', async () => {
    const snap = new MemorySnapshot('t', {
      'package.json': enc('{"name":"t","repository":"github:o/t"}'),
      '.github/workflows/ci.yml': enc('on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo\n'),
    });
    const r = await new Engine(CHECKS).scan(snap, { factsUnavailable: 'offline' });
    const fix = r.findings.find((f) => f.ruleId === 'security-insights-missing')!.fixes[0];
    assert.ok(Object.getOwnPropertyDescriptor(fix, 'edits')?.get, 'the edits are still to be written after the scan');
    assert.equal(fix.edits.length, 1);
    assert.equal(fix.edits[0].file, 'security-insights.yml');
    assert.match(fix.edits[0].newText, /^header:\n {2}schema-version: ['"]?2\.0\.0['"]?\n/m);
    assert.match(fix.edits[0].newText, /\n {2}url: https:\/\/github\.com\/o\/t\n/);
  });
});
