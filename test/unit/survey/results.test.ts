import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { appendOutputFile, WriteRefused } from '../../../src/core/fs/safe-write';
import { mergeResults, parseResults, resultsText, ResultsWriter } from '../../../src/survey/results';

describe('survey: JSON-lines results', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'steward-survey-results-'));
  });
  afterEach(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('a cut-off last line (a killed run) is skipped, repaired, and the next record lands on its own line', async () => {
    const f = path.join(dir, 'r.jsonl');
    const header = { kind: 'survey' as const, version: 1, project: 'p', steward: 't' };
    const w = await ResultsWriter.create(f, header, true);
    await w.write({ kind: 'repo', key: 'github.com/a/b', owner: 'a', repo: 'b', htmlUrl: 'https://github.com/a/b', state: 'gone', message: 'gone' });
    await fs.appendFile(f, '{"kind":"repo","key":"github.com/c/');
    assert.equal(parseResults(await fs.readFile(f, 'utf8')).skipped, 1);
    await ResultsWriter.repairTail(f);
    await w.write({ kind: 'repo', key: 'github.com/c/d', owner: 'c', repo: 'd', htmlUrl: 'https://github.com/c/d', state: 'gone', message: 'gone' });
    const r = parseResults(await fs.readFile(f, 'utf8'));
    assert.deepEqual([...r.repos.keys()], ['github.com/a/b', 'github.com/c/d']);
    assert.equal(r.skipped, 1);
    assert.equal(r.header?.project, 'p');
  });

  it('merging keeps one of each package and repository, a scan over an error, and drops the shard', () => {
    const a = parseResults([
      JSON.stringify({ kind: 'survey', version: 1, project: 'p', shard: { index: 1, count: 2 }, steward: 't' }),
      JSON.stringify({ kind: 'repo', key: 'k', owner: 'o', repo: 'r', htmlUrl: 'u', state: 'error', message: 'x' }),
    ].join('\n'));
    const b = parseResults([
      JSON.stringify({ kind: 'survey', version: 1, project: 'p', shard: { index: 2, count: 2 }, steward: 't' }),
      JSON.stringify({ kind: 'repo', key: 'k', owner: 'o', repo: 'r', htmlUrl: 'u', state: 'ok' }),
    ].join('\n'));
    const m = mergeResults([a, b]);
    assert.equal(m.repos.get('k')!.state, 'ok');
    assert.equal(m.header!.shard, undefined);
    assert.equal(resultsText(m).split('\n').length, 3);
  });

  it('appendOutputFile refuses a FIFO, a folder and a dangling link, and follows the user\'s own link', async () => {
    const fifo = path.join(dir, 'fifo');
    execFileSync('mkfifo', [fifo]);
    await assert.rejects(appendOutputFile(fifo, 'x\n'), (e: unknown) => e instanceof WriteRefused && /named pipe/.test(e.message));
    await assert.rejects(appendOutputFile(dir, 'x\n'), (e: unknown) => e instanceof WriteRefused && /it is a folder/.test(e.message));
    await fs.symlink(path.join(dir, 'nowhere', 'x'), path.join(dir, 'dangling'));
    await assert.rejects(appendOutputFile(path.join(dir, 'dangling'), 'x\n'), /dangling symbolic link/);
    await fs.writeFile(path.join(dir, 'real'), 'a\n');
    await fs.symlink(path.join(dir, 'real'), path.join(dir, 'link'));
    await appendOutputFile(path.join(dir, 'link'), 'b\n');
    assert.equal(await fs.readFile(path.join(dir, 'real'), 'utf8'), 'a\nb\n');
  });
});
