import * as assert from 'node:assert/strict';
import type { Finding, Fix } from '../../src/core/model';
import { combineChoices, findFix, fixAllChoices, fixedFiles, matchEol, quickFixTitle, refOf, summarize } from '../../src/vscode/fixes/fixPlan';
import { escapeMarkdown, parseUsesLine } from '../../src/vscode/online/usesLine';

// The editor's fix planning and `uses:` line reading, without VS Code.

function finding(ruleId: string, file: string, line: number, fixes: Fix[], extra: Partial<Finding> = {}): Finding {
  return { ruleId, message: `${ruleId} at ${line}`, severity: 'high', confidence: 'high', location: { file, start: { line, column: 7 }, end: { line, column: 20 } }, fixes, ...extra };
}
const edit = (file: string, start: number, end: number, newText: string) => ({ file, start, end, newText });
const safe = (title: string, ...edits: ReturnType<typeof edit>[]): Fix => ({ title, safe: true, edits });
const unsafe = (title: string, caveat: string, ...edits: ReturnType<typeof edit>[]): Fix => ({ title, safe: false, caveat, edits });
const pin = (title: string): Fix => ({ title, safe: true, edits: [], deferred: { provider: 'pin-action', data: {} } });

describe('vscode fix planning', () => {
  it('titles unsafe quick fixes with "(review needed)" and the caveat', () => {
    assert.equal(quickFixTitle(safe('Add persist-credentials: false')), 'Add persist-credentials: false');
    assert.equal(quickFixTitle(unsafe('Set permissions', 'an unknown action may need more')), 'Set permissions (review needed): an unknown action may need more');
  });

  it('finds a fix again after an edit above moved it, preferring the exact position', () => {
    const a = finding('r', 'w.yml', 10, [safe('Fix it')]);
    const ref = refOf(a, a.fixes[0]);
    const moved = [finding('r', 'w.yml', 3, [safe('Fix it')]), finding('r', 'w.yml', 12, [safe('Fix it')]), finding('r', 'other.yml', 10, [safe('Fix it')])];
    assert.equal(findFix(moved, ref)?.finding, moved[1]);
    const exact = [...moved, finding('r', 'w.yml', 10, [safe('Fix it')])];
    assert.equal(findFix(exact, ref)?.finding, exact[3]);
    assert.equal(findFix([finding('r', 'w.yml', 10, [safe('Other title')])], ref), undefined);
    assert.equal(findFix([finding('r', 'w.yml', 10, [safe('Fix it')], { suppressed: { by: 'steward-comment' } })], ref), undefined);
  });

  it('Fix all takes the first safe fix per finding of the file (deferred only when asked)', () => {
    const fs = [
      finding('a', 'w.yml', 1, [unsafe('u', 'c', edit('w.yml', 0, 1, 'x')), safe('s1', edit('w.yml', 0, 1, 'y'))]),
      finding('a', 'w.yml', 2, [unsafe('only unsafe', 'c', edit('w.yml', 2, 3, 'x'))]),
      finding('a', 'w.yml', 3, [pin('Pin x')]),
      finding('b', 'w.yml', 4, [safe('s2', edit('w.yml', 5, 6, 'z'))]),
      finding('a', 'x.yml', 1, [safe('elsewhere', edit('x.yml', 0, 0, 'q'))]),
    ];
    assert.deepEqual(fixAllChoices(fs, 'w.yml').map((c) => c.fix.title), ['s1', 's2']);
    assert.deepEqual(fixAllChoices(fs, 'w.yml', { ruleId: 'a' }).map((c) => c.fix.title), ['s1']);
    assert.deepEqual(fixAllChoices(fs, 'w.yml', { ruleId: 'a', deferred: true }).map((c) => c.fix.title), ['s1', 'Pin x']);
  });

  it('combines fixes, leaves overlapping ones as conflicts, and computes the fixed text', () => {
    const text = 'one\ntwo\nthree\n';
    const f1 = finding('a', 'w.yml', 1, [safe('upper one', edit('w.yml', 0, 3, 'ONE'))]);
    const f2 = finding('a', 'w.yml', 1, [safe('also one', edit('w.yml', 1, 2, 'X'))]);
    const f3 = finding('b', 'w.yml', 3, [safe('drop three', edit('w.yml', 8, 14, ''))]);
    const plan = combineChoices([f1, f2, f3].map((f) => ({ finding: f, fix: f.fixes[0] })));
    assert.deepEqual(plan.taken.map((c) => c.fix.title), ['upper one', 'drop three']);
    assert.deepEqual(plan.left.map((l) => [l.title, l.why, l.line]), [['also one', 'conflict', 1]]);
    const [r] = fixedFiles(plan.byFile, () => text);
    assert.deepEqual(r, { path: 'w.yml', before: text, after: 'ONE\ntwo\n', created: false });
  });

  it('writes inserted lines with the file\'s CRLF endings', () => {
    assert.deepEqual(matchEol([edit('w', 0, 0, 'a\nb\n')], 'x\r\ny\r\n')[0].newText, 'a\r\nb\r\n');
    assert.deepEqual(matchEol([edit('w', 0, 0, 'a\nb\n')], 'x\ny\n')[0].newText, 'a\nb\n');
  });

  it('summarizes what was applied and what was left, grouped by reason', () => {
    assert.deepEqual(summarize(2, 1, []), { message: 'Steward applied 2 fixes in 1 file.', detail: '' });
    const s = summarize(1, 1, [
      { ruleId: 'p', title: 'Set permissions', file: 'a.yml', line: 3, why: 'unsafe', detail: 'review it' },
      { ruleId: 'u', title: 'Pin x', file: 'a.yml', line: 9, why: 'needs-network', detail: 'online features are off' },
      { ruleId: 'u', title: 'Pin y', file: 'b.yml', line: 2, why: 'needs-network', detail: 'online features are off' },
    ]);
    assert.equal(s.message, 'Steward applied 1 fix in 1 file; left 3: 1 needs review, 2 needs network.');
    assert.equal(s.detail, ['needs review (unsafe, not selected):', '  a.yml:3 Set permissions — review it', 'needs network:', '  a.yml:9 Pin x — online features are off', '  b.yml:2 Pin y — online features are off'].join('\n'));
  });
});

describe('uses: lines for the pin hover', () => {
  it('reads the value, its columns and the version comment', () => {
    const sha = 'a'.repeat(40);
    assert.deepEqual(parseUsesLine(`      - uses: actions/checkout@${sha} # v4.2.2`), {
      value: `actions/checkout@${sha}`,
      start: 14,
      end: 14 + 17 + 40,
      owner: 'actions',
      repo: 'checkout',
      path: undefined,
      ref: sha,
      pinned: true,
      commentVersion: 'v4.2.2',
    });
    const q = parseUsesLine(`    uses: "octo/monorepo/lint@v1"   # lint it`);
    assert.equal(q?.value, 'octo/monorepo/lint@v1');
    assert.equal(q?.start, 10);
    assert.equal(q?.end, 33);
    assert.equal(q?.path, 'lint');
    assert.equal(q?.commentVersion, undefined, 'a comment that is not a version note');
    assert.equal(parseUsesLine('      - uses: ./local/action'), undefined);
    assert.equal(parseUsesLine('      - uses: docker://alpine:3'), undefined);
    assert.equal(parseUsesLine('      - uses: ${{ matrix.action }}'), undefined);
    assert.equal(parseUsesLine('      - run: echo uses: a/b@v1'), undefined);
  });

  it('escapes Markdown in repository text', () => {
    assert.equal(escapeMarkdown('my_org/[x](javascript:1) *b*'), 'my\\_org/\\[x\\]\\(javascript:1\\) \\*b\\*');
  });
});
