import * as assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import * as path from 'node:path';
import { corpusDir } from './corpus-dir';
import { CHECKS } from '../../src/core/checks';
import { Engine, type RepoScan } from '../../src/core/engine';
import { DiskSnapshot } from '../../src/core/repo/disk';
import type { ListProblems, RepoSnapshot } from '../../src/core/repo/snapshot';

// The editor's re-check on the real repositories (issue 19): the engine keeps every check result whose
// inputs did not change and re-runs the rest. Edits of workflows, SECURITY.md and dependabot.yml are
// made in memory over the corpus (never on disk), and after each one the re-check must give exactly
// what a fresh engine finds in the same files.

/** A corpus repository with some files replaced in memory. */
class Overlay implements RepoSnapshot {
  readonly name: string;
  readonly root: string;
  constructor(
    private readonly disk: DiskSnapshot,
    readonly texts: Map<string, string>,
  ) {
    this.name = disk.name;
    this.root = disk.root;
  }
  listFiles() {
    return this.disk.listFiles();
  }
  async readFile(p: string) {
    const t = this.texts.get(p);
    return t !== undefined ? Buffer.from(t) : this.disk.readFile(p);
  }
  async readHead(p: string, bytes: number) {
    const t = this.texts.get(p);
    return t !== undefined ? Buffer.from(t).subarray(0, bytes) : this.disk.readHead(p, bytes);
  }
  readError(p: string) {
    return this.texts.has(p) ? undefined : this.disk.readError(p);
  }
  listProblems(): ListProblems | undefined {
    return this.disk.listProblems();
  }
}

const comparable = (s: RepoScan) => ({
  results: s.results.map((r) => ({ id: r.checkId, status: r.status, reason: r.reason, suppressed: r.suppressed, suppressedBy: r.suppressedBy, findings: r.findings })),
  notes: s.notes,
});

/** Edits a user makes, each a function of the file's text (undefined: does not apply). */
const WORKFLOW_EDITS: [string, (t: string) => string | undefined][] = [
  ['a run line changes', (t) => (/\brun: /.test(t) ? t.replace(/\brun: (?!\|)/, 'run: echo "${{ github.event.issue.title }}" && ') : undefined)],
  ['checkout keeps its credentials', (t) => (t.includes('persist-credentials: false') ? t.replace('persist-credentials: false', 'persist-credentials: true') : undefined)],
  ['an action is unpinned', (t) => (/uses: [\w-]+\/[\w-]+@[0-9a-f]{40}/.test(t) ? t.replace(/(uses: [\w-]+\/[\w-]+)@[0-9a-f]{40}/, '$1@main') : undefined)],
  ['an ignore comment and a trailing comment', (t) => t.replace(/(uses: [^\n#]+)\n/, '$1 # steward: ignore[unpinned-actions]\n') + '# edited\n'],
];

const repos = ['real', 'real-b'].flatMap((c) => {
  const dir = corpusDir(c);
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => path.join(dir, e.name))
    .sort();
});

describe('corpus: re-check after edits gives the results of a fresh scan', function () {
  this.timeout(600_000);
  it(`on every corpus repository (${repos.length})`, async () => {
    let rechecks = 0;
    for (const root of repos) {
      const disk = new DiskSnapshot(root, path.basename(root));
      const paths = await disk.listFiles();
      const texts = new Map<string, string>();
      const snap = new Overlay(disk, texts);
      const engine = new Engine(CHECKS);
      await engine.scan(snap, { factsUnavailable: 'offline test' });
      const workflows = paths.filter((p) => /^\.github\/workflows\/[^/]+\.ya?ml$/.test(p));
      const picked = [...new Set([workflows[0], workflows[workflows.length >> 1], workflows[workflows.length - 1]])].filter(Boolean);
      const edits: { file: string; what: string; edit: (t: string) => string | undefined }[] = [];
      picked.forEach((file, i) => {
        for (let k = 0; k < 2; k++) {
          const [what, edit] = WORKFLOW_EDITS[(i + k * 2) % WORKFLOW_EDITS.length];
          edits.push({ file, what, edit });
        }
      });
      if (paths.includes('SECURITY.md')) edits.push({ file: 'SECURITY.md', what: 'SECURITY.md loses its contact', edit: () => '# Security\n\nTBD\n' });
      const dependabot = paths.find((p) => /^\.github\/dependabot\.ya?ml$/.test(p));
      if (dependabot) edits.push({ file: dependabot, what: 'dependabot.yml emptied', edit: () => 'version: 2\nupdates: []\n' });
      for (const { file, what, edit } of edits) {
        const before = await snap.readFile(file);
        if (before === undefined) continue;
        const after = edit(Buffer.from(before).toString('utf8'));
        if (after === undefined) continue;
        texts.set(file, after);
        const got = comparable(await engine.scan(snap, { factsUnavailable: 'offline test', changed: [file] }));
        const fresh = comparable(await new Engine(CHECKS).scan(new Overlay(new DiskSnapshot(root, path.basename(root)), new Map(texts)), { factsUnavailable: 'offline test' }));
        assert.deepEqual(got, fresh, `${path.basename(root)}: re-check after ${what} in ${file}`);
        rechecks++;
      }
    }
    assert.ok(rechecks > repos.length, `only ${rechecks} re-checks over ${repos.length} repositories`);
  });
});
