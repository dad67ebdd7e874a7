import * as assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
import { corpusDir } from './corpus-dir';
import { CHECKS } from '../../src/core/checks';
import { Engine, type RepoScan } from '../../src/core/engine';
import { DiskSnapshot } from '../../src/core/repo/disk';
import { LineIndex } from '../../src/core/yaml/text';
import { corpusFindings, corpusTable } from '../../src/cli/corpus';
import { main } from '../../src/cli/main';

// Every registered check over the real-repository corpus: none may error or crash, and every finding
// that points somewhere must point inside a file that exists in the repository (TREE.txt lists every
// path; only some contents are copied) and, when the content is present, at a line and column that exist.

const CORPUS = corpusDir('real');
const repos = readdirSync(CORPUS, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name).sort();

describe('corpus: all checks over real repositories', function () {
  this.timeout(120_000);
  const scans = new Map<string, RepoScan>();
  const paths = new Map<string, Set<string>>();

  before(async function () {
    // One engine per repository, as the CLI does; repositories in parallel to keep the test quick.
    await Promise.all(
      repos.map(async (repo) => {
        const snap = new DiskSnapshot(path.join(CORPUS, repo), repo);
        scans.set(repo, await new Engine(CHECKS).scan(snap, { factsUnavailable: 'offline test' }));
        paths.set(repo, new Set(await snap.listFiles()));
      }),
    );
  });

  it('has repositories to scan', () => {
    assert.ok(repos.length >= 10, `expected the corpus at ${CORPUS}`);
  });

  it('no check ends with status error on any repository', () => {
    const errors = [...scans].flatMap(([repo, scan]) => scan.results.filter((r) => r.status === 'error').map((r) => `${repo} ${r.checkId}: ${r.reason}`));
    assert.deepEqual(errors, []);
    for (const [repo, scan] of scans) assert.equal(scan.results.length, CHECKS.length, repo);
  });

  it('every finding with a location points inside a file that exists', () => {
    const bad: string[] = [];
    const lines = new Map<string, LineIndex>();
    for (const [repo, scan] of scans) {
      for (const f of scan.findings) {
        const loc = f.location;
        if (!loc) continue;
        const abs = path.join(CORPUS, repo, loc.file);
        const where = `${repo} ${f.ruleId} ${loc.file}:${loc.start.line}:${loc.start.column}`;
        if (!paths.get(repo)!.has(loc.file)) {
          bad.push(`${where}: no such file in the repository`);
          continue;
        }
        if (!existsSync(abs)) continue; // listed in TREE.txt, content not part of the corpus
        let idx = lines.get(abs);
        if (!idx) {
          idx = new LineIndex(readFileSync(abs, 'utf8').replace(/^\uFEFF/, ''));
          lines.set(abs, idx);
        }
        for (const p of [loc.start, loc.end]) {
          if (p.line < 1 || p.line > idx.lineCount || p.column < 1 || p.column > idx.lineText(p.line).length + 1) bad.push(`${where}: position ${p.line}:${p.column} is outside the file`);
        }
        if (loc.end.line < loc.start.line || (loc.end.line === loc.start.line && loc.end.column < loc.start.column)) bad.push(`${where}: end before start`);
      }
    }
    assert.deepEqual(bad, []);
  });

  it('corpus-report prints one row per rule and one column per repository', () => {
    const rows = repos.map((repo) => ({ repo, scan: scans.get(repo)! }));
    const table = corpusTable(rows);
    const lines = table.split('\n');
    assert.match(lines[0], new RegExp(`^rule\\s+#1\\s.*#${repos.length}\\s+total$`));
    for (const c of CHECKS) assert.ok(lines.some((l) => l.startsWith(c.meta.id + ' ')), c.meta.id);
    assert.ok(table.includes('No check ended with status error.'));
    const listed = corpusFindings(rows, ['unpinned-images']).trim().split('\n');
    assert.ok(listed.length > 0 && listed.every((l) => / unpinned-images /.test(l)), listed.join('\n'));
  });

  it('corpus-report rejects unknown rules and a missing DIR as usage errors', async () => {
    const err: string[] = [];
    const o = { out: () => undefined, err: (s: string) => void err.push(s), isTTY: false, env: {}, cwd: process.cwd() };
    assert.equal(await main(['corpus-report', CORPUS, '--findings', 'no-such-rule'], o), 2);
    assert.equal(await main(['corpus-report'], o), 2);
    assert.match(err.join(''), /unknown rule 'no-such-rule'/);
  });
});
