import * as assert from 'node:assert/strict';
import { check as unpinned } from '../../src/core/checks/unpinned-actions/unpinned-actions';
import { check as missingComment } from '../../src/core/checks/missing-version-comment/missing-version-comment';
import { applyEdits } from '../../src/core/fix/apply';
import { DeferredFixRegistry, type PinActionData } from '../../src/core/fix/deferred';
import { parseYaml } from '../../src/core/yaml/parse';
import { createGitHubServices, hoverEvidence, isVersionComment, MemoryCache, pinEdits } from '../../src/github';
import { GitHubTestServer } from '../support/github-server';
import { type FixtureRepo, startServedWorld, type ServedWorld } from '../support/git-fixtures';
import { scanFiles, yaml } from '../support/check-tester';
import { assertUntouchedLinesKept } from '../support/fix-tester';

const SHA = '0123456789abcdef0123456789abcdef01234567';

/** Applies pinEdits to the single `uses:` value `value` found in `text`. */
function pinLine(text: string, value: string, ref = 'v4', version = 'v4.2.2'): string {
  const start = text.indexOf(value);
  const inner = value.replace(/^["']|["']$/g, '');
  const [target] = inner.split('@');
  const [owner, repo, ...rest] = target.split('/');
  const data: PinActionData = { file: 'w.yml', owner, repo, path: rest.join('/') || undefined, ref, start, end: start + value.length };
  return applyEdits(text, pinEdits(text, data, SHA, version)!);
}

describe('github pin fix', function () {
  this.timeout(60_000);

  describe('edits keep the line layout', () => {
    it('plain, quoted and flow-style values', () => {
      assert.equal(pinLine('      - uses: actions/checkout@v4\n', 'actions/checkout@v4'), `      - uses: actions/checkout@${SHA} # v4.2.2\n`);
      assert.equal(pinLine('  - uses: "actions/checkout@v4"   \n', '"actions/checkout@v4"'), `  - uses: "actions/checkout@${SHA}" # v4.2.2   \n`);
      assert.equal(pinLine("  - uses: 'actions/checkout@v4'\r\n", "'actions/checkout@v4'"), `  - uses: 'actions/checkout@${SHA}' # v4.2.2\r\n`);
      assert.equal(pinLine('  - {uses: a/b@v4, with: {x: 1}}\n', 'a/b@v4'), `  - {uses: a/b@${SHA}, with: {x: 1}} # v4.2.2\n`);
      assert.equal(pinLine('uses: o/r/sub/dir@v1', 'o/r/sub/dir@v1', 'v1', 'v1.0.0'), `uses: o/r/sub/dir@${SHA} # v1.0.0`);
    });

    it('replaces a stale version comment, keeps any other comment', () => {
      assert.equal(pinLine('  uses: a/b@v4 # v3.1.0\n', 'a/b@v4'), `  uses: a/b@${SHA} # v4.2.2\n`);
      assert.equal(pinLine('  uses: a/b@v4    #tag=v4\n', 'a/b@v4'), `  uses: a/b@${SHA}    # v4.2.2\n`);
      assert.equal(pinLine('  uses: a/b@v4 # needed for the release job\n', 'a/b@v4'), `  uses: a/b@${SHA} # v4.2.2 # needed for the release job\n`);
      assert.ok(isVersionComment('# v4.2.2'));
      assert.ok(!isVersionComment('# v4 is the old one'));
    });

    it('writes the comment next to an already pinned SHA and converges', () => {
      const text = `  uses: a/b@${SHA}\n`;
      const once = pinLine(text, `a/b@${SHA}`, SHA);
      assert.equal(once, `  uses: a/b@${SHA} # v4.2.2\n`);
      assert.equal(pinLine(once, `a/b@${SHA}`, SHA), once, 'second application changes nothing');
    });

    it('refuses when the text no longer holds the value', () => {
      const data: PinActionData = { file: 'w.yml', owner: 'a', repo: 'b', ref: 'v4', start: 8, end: 14 };
      assert.equal(pinEdits('  uses: a/b@v5\n', data, SHA, 'v5.0.0'), undefined);
    });
  });

  describe('against the local GitHub server', () => {
    let world: ServedWorld;
    let server: GitHubTestServer;
    let repos: Record<string, FixtureRepo>;
    before(async () => {
      world = await startServedWorld();
      ({ server, repos } = world);
    });
    after(async () => {
      await world.close();
    });

    const WF = '.github/workflows/ci.yml';

    it('resolves every unpinned action of a workflow with evidence, and the result round-trips', async () => {
      const s = createGitHubServices({ url: server.url, cache: new MemoryCache(), retryBaseMs: 1 });
      const registry = new DeferredFixRegistry();
      registry.register(s.pinProvider);
      const text = yaml`
        on: push
        jobs:
          build:
            runs-on: ubuntu-latest
            steps:
              # check out first
              - uses: actions/checkout@v4 # v3
              - uses: "actions/setup-node@v4"
                with: {node-version: 20}
              - uses: octo/monorepo/lint@v1
              - {uses: actions/checkout@main}
      `;
      const scan = await scanFiles([unpinned], { [WF]: text });
      const fixes = scan.results[0].findings.map((f) => f.fixes[0]);
      assert.equal(fixes.length, 4);
      const resolved = await Promise.all(fixes.map((f) => registry.resolve(f, text)));
      for (const r of resolved) assert.equal(r.failure, undefined);
      const edits = resolved.flatMap((r) => r.edits);
      const after = applyEdits(text, edits);
      const c = repos.checkout.commits;
      assert.equal(
        after,
        yaml`
        on: push
        jobs:
          build:
            runs-on: ubuntu-latest
            steps:
              # check out first
              - uses: actions/checkout@${c.c2} # v4.2.2
              - uses: "actions/setup-node@${repos.setupNode.commits.n1}" # v4.0.4
                with: {node-version: 20}
              - uses: octo/monorepo/lint@${repos.mono.commits.m1} # v1.0.0
              - {uses: actions/checkout@${c.c3}} # main
      `,
      );
      assert.equal(parseYaml(WF, after).errors?.length ?? 0, 0);
      assertUntouchedLinesKept(text, after, edits, WF);
      const again = await scanFiles([unpinned], { [WF]: after });
      assert.deepEqual(again.results[0].findings, []);
      assert.equal(server.lsRemoteCount('actions', 'checkout'), 1, 'one ls-remote for two uses of actions/checkout');

      const ev = resolved[0].evidence![0];
      assert.equal(ev.kind, 'pin');
      assert.equal(ev.summary, `actions/checkout@v4 → ${c.c2.slice(0, 12)} (v4.2.2, tagged 2024-10-23)`);
      assert.equal(ev.details!.tag, 'v4.2.2 (annotated)');
      assert.equal(ev.details!.tagDate, '2024-10-23T10:30:00Z');
      assert.match(ev.details!.reachable, /tag v4 of .*\/actions\/checkout points to this commit .* not a fork-network impostor commit/);
      assert.deepEqual(ev.links, [
        { title: `Compare v4...${c.c2.slice(0, 7)}`, url: `${server.url}/actions/checkout/compare/v4...${c.c2}` },
        { title: 'Release v4.2.2', url: `${server.url}/actions/checkout/releases/tag/v4.2.2` },
      ]);
      assert.match(resolved[3].evidence![0].details!.notes, /'main' is a branch/);
    });

    it('adds the version comment to SHA pins (missing-version-comment) and reports unknown refs', async () => {
      const s = createGitHubServices({ url: server.url, cache: new MemoryCache(), retryBaseMs: 1 });
      const registry = new DeferredFixRegistry();
      registry.register(s.pinProvider);
      const text = `on: push\njobs:\n  b:\n    runs-on: x\n    steps:\n      - uses: actions/checkout@${repos.checkout.commits.c1}\n      - uses: actions/checkout@v9\n`;
      const scan = await scanFiles([missingComment, unpinned], { [WF]: text });
      const mvc = scan.results.find((r) => r.checkId === 'missing-version-comment')!.findings[0].fixes[0];
      const r = await registry.resolve(mvc, text);
      assert.equal(applyEdits(text, r.edits).split('\n')[5], `      - uses: actions/checkout@${repos.checkout.commits.c1} # v4.1.0`);
      const bad = scan.results.find((x) => x.checkId === 'unpinned-actions')!.findings[0].fixes[0];
      const br = await registry.resolve(bad, text);
      assert.deepEqual(br.edits, []);
      assert.equal(br.failure, "actions/checkout has no tag or branch 'v9'");
    });

    it('gives hover evidence as markdown', async () => {
      const s = createGitHubServices({ url: server.url, cache: new MemoryCache(), retryBaseMs: 1 });
      const h = await hoverEvidence(s.resolver, 'actions/checkout@v4');
      assert.match(h!.markdown, /^\*\*actions\/checkout@v4 → [0-9a-f]{12} \(v4\.2\.2, tagged 2024-10-23\)\*\*/);
      assert.match(h!.markdown, /\[Release v4\.2\.2\]\(http:\/\/127\.0\.0\.1:\d+\/actions\/checkout\/releases\/tag\/v4\.2\.2\)/);
      assert.equal(await hoverEvidence(s.resolver, './local'), undefined);
      const missing = await hoverEvidence(s.resolver, 'nobody/nothing@v1');
      assert.match(missing!.markdown, /^Steward could not resolve nobody\/nothing@v1: /);
    });
  });
});
