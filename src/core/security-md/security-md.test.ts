import * as assert from 'node:assert/strict';
import { CHECKS } from '../checks';
import { MemorySnapshot } from '../repo/snapshot';
import { Engine, type RepoScan } from '../engine';
import { scanFiles } from '../../../test/support/check-tester';
import {
  AnswersError,
  channelsInPolicy,
  isPublicAddress,
  parseTagLines,
  gatherProjectFacts,
  normaliseRepoUrl,
  parseAnswers,
  proposeAnswers,
  proposeChannelAnswers,
  proposeSupportedVersions,
  remoteFromGitConfig,
  renderSecurityMd,
  securityMdTarget,
  evaluatePolicy,
  planSecurityMd,
  proposeForSnapshot,
  type SecurityMdAnswers,
} from '.';

const FULL: SecurityMdAnswers = parseAnswers({
  projectName: 'widget',
  repositoryUrl: 'https://github.com/octo/widget',
  channels: [
    { type: 'github-pvr', url: 'https://github.com/octo/widget/security/advisories/new' },
    { type: 'email', address: 'security@widget.dev', name: 'the maintainers' },
    { type: 'url', url: 'https://hackerone.com/widget', label: 'our HackerOne programme' },
  ],
  responseTimes: { acknowledgeDays: 3, assessmentDays: 14 },
  disclosure: { policy: 'coordinated', embargoDays: 60 },
  scope: { inScope: ['Code execution from a crafted widget file'], outOfScope: ['Denial of service by very large inputs'] },
  supportStatus: 'maintenance-only',
  supportedVersions: [
    { version: '2.x', supported: true },
    { version: '1.x', supported: true, note: 'until June 2027' },
    { version: '< 1.0', supported: false },
  ],
  contributorFixes: { welcome: true },
  safeHarbor: true,
});

async function rubricOf(text: string, file = 'SECURITY.md') {
  const scan = await scanFiles(CHECKS, { [file]: text });
  const ids = ['missing-security-policy', 'security-policy-incomplete'];
  return scan.results.filter((r) => ids.includes(r.checkId)).map((r) => `${r.checkId}:${r.status}`);
}

describe('SECURITY.md generator', () => {
  it('renders every answer and passes missing-security-policy and every rubric item', async () => {
    const text = renderSecurityMd(FULL);
    assert.deepEqual(await rubricOf(text), ['missing-security-policy:pass', 'security-policy-incomplete:pass']);
    assert.ok(evaluatePolicy('SECURITY.md', text).items.every((i) => i.present));
    assert.match(text, /^# Security policy\n\nThank you for helping keep widget/);
    assert.match(text, /\[open a private vulnerability report\]\(https:\/\/github\.com\/octo\/widget\/security\/advisories\/new\)/);
    assert.match(text, /write to the maintainers at \[security@widget\.dev\]\(mailto:security@widget\.dev\)/);
    assert.match(text, /\*\*Our HackerOne programme:\*\* https:\/\/hackerone\.com\/widget/);
    assert.match(text, /1\. We confirm that we received your report within 3 days\./);
    assert.match(text, /within 14 days whether we consider it a vulnerability/);
    assert.match(text, /for up to 60 days after your report/);
    assert.match(text, /\| 1\.x \| Yes \(until June 2027\) \|/);
    assert.match(text, /\| < 1\.0 \| No \|/);
    assert.match(text, /maintenance mode/);
    assert.match(text, /- Code execution from a crafted widget file/);
    assert.match(text, /## Safe harbor/);
    assert.ok(!text.includes('\n\n\n'), 'no double blank lines');
    assert.ok(text.endsWith('.\n'));
  });

  it('passes the rubric for every support status, disclosure policy and a single channel', async () => {
    for (const supportStatus of ['active', 'maintenance-only', 'best-effort-volunteers'] as const) {
      for (const policy of ['coordinated', 'after-fix'] as const) {
        for (const channels of [[FULL.channels[0]], [FULL.channels[1]], [FULL.channels[2]]]) {
          const text = renderSecurityMd({ ...FULL, supportStatus, disclosure: { policy, embargoDays: 90 }, channels, safeHarbor: false, scope: { inScope: [], outOfScope: [] } });
          assert.deepEqual(await rubricOf(text), ['missing-security-policy:pass', 'security-policy-incomplete:pass'], `${supportStatus}/${policy}/${channels[0].type}`);
        }
      }
    }
  });

  it('validates answers with one-line errors naming the field', () => {
    const bad = (v: unknown) => {
      try {
        parseAnswers(v);
      } catch (e) {
        assert.ok(e instanceof AnswersError);
        assert.ok(!e.message.includes('\n'));
        return e.message;
      }
      assert.fail('expected an error');
    };
    const base = JSON.parse(JSON.stringify(FULL)) as Record<string, unknown>;
    assert.match(bad({ ...base, responseTimes: { acknowledgeDays: 'soon', assessmentDays: 3 } }), /^responseTimes\.acknowledgeDays: .*expected number/);
    assert.match(bad({ ...base, channels: [{ type: 'email', address: 'nope' }] }), /^channels\[0\]\.address: /);
    assert.match(bad({ ...base, channels: [{ type: 'pigeon' }] }), /^channels\[0\]\.type: /);
    assert.match(bad({ ...base, channels: [] }), /^channels: give at least one private way/);
    assert.match(bad({ ...base, supportStatus: 'sometimes' }), /^supportStatus: /);
    assert.match(bad({ ...base, colour: 'blue' }), /^colour: unknown field/);
    const { projectName: _n, ...noName } = base;
    assert.match(bad(noName), /^projectName: /);
    // defaults fill the optional parts
    // No deadline nobody chose: an unanswered embargo stays unset.
    const min = parseAnswers({ ...base, disclosure: {}, scope: undefined, safeHarbor: undefined });
    assert.deepEqual(min.disclosure, { policy: 'coordinated' });
    assert.equal(min.safeHarbor, false);
  });
});

describe('SECURITY.md proposals from repository facts', () => {
  it('reads the remote, package metadata and tags', async () => {
    const files: Record<string, string> = {
      '.git/config': '[core]\n\tbare = false\n[remote "upstream"]\n\turl = https://github.com/up/widget.git\n[remote "origin"]\n\turl = git@github.com:octo/widget.git\n',
      'package.json': JSON.stringify({ name: 'widget', author: 'Ada Lovelace <ada@example.org> (https://ada.dev)', maintainers: [{ name: 'Bob', email: 'bob@example.org' }, 'noreply <noreply@github.com>'] }),
      'pyproject.toml': '[project]\nname = "pywidget"\nauthors = [\n  { name = "Cy", email = "cy@example.org" },\n]\n[project.urls]\nSource = "https://github.com/octo/pywidget"\n',
      'TAGS.txt': 'v1.0.0\nv1.9.3\nv2.0.0\nv2.1.0rc1\nv2.0.4\nnot-a-version\n',
    };
    const facts = await gatherProjectFacts(async (p) => files[p]);
    assert.equal(facts.repositoryUrl, 'https://github.com/octo/widget');
    assert.deepEqual(facts.github, { owner: 'octo', repo: 'widget' });
    assert.deepEqual(facts.contacts.map((c) => `${c.email} (${c.source})`), ['ada@example.org (package.json author)', 'bob@example.org (package.json maintainers)', 'cy@example.org (pyproject.toml authors)']);
    const p = proposeAnswers(facts);
    assert.equal(p.complete, true);
    // The manifest's address is a guess, not a channel (issue 14.5): it is only mentioned in the notes.
    assert.deepEqual(p.answers.channels, [{ type: 'github-pvr', url: 'https://github.com/octo/widget/security/advisories/new' }]);
    assert.match(p.notes.join('\n'), /package\.json author gives ada@example\.org; it is not proposed as the private channel/);
    assert.deepEqual(p.answers.supportedVersions, [{ version: '2.0.x', supported: true }, { version: '< 2.0', supported: false }]);
    assert.equal(p.answers.projectName, 'widget');
    assert.match(p.notes.join('\n'), /could not be checked/);
    // No response time was answered: the text says so and the rubric reports it, nothing is invented.
    const text = renderSecurityMd(p.answers);
    assert.match(text, /This policy states no response time\./);
    assert.doesNotMatch(text, /the maintainers have not/i);
    assert.doesNotMatch(text, /within \d+ days/);
    assert.deepEqual(evaluatePolicy('SECURITY.md', text).items.filter((i) => !i.present).map((i) => i.id), ['response-time']);
  });

  it('follows the GitHub facts for private vulnerability reporting', () => {
    const base = { tags: [], contacts: [{ email: 'a@b.org', source: 'x' }], github: { owner: 'o', repo: 'r' } };
    assert.equal(proposeAnswers({ ...base, pvrEnabled: false }).answers.channels.map((c) => c.type).join(), '');
    assert.equal(proposeAnswers({ ...base, pvrEnabled: false }).complete, false);
    assert.equal(proposeAnswers({ ...base, pvrEnabled: true }).answers.channels.map((c) => c.type).join(), 'github-pvr');
    const none = proposeAnswers({ tags: [], contacts: [] });
    assert.equal(none.complete, false);
    assert.deepEqual(none.answers.supportedVersions.map((r) => r.version), ['Latest release', 'Older releases']);
  });

  it('normalises remote URLs and picks version lines from real tag styles', () => {
    assert.equal(normaliseRepoUrl('git+https://github.com/a/b.git'), 'https://github.com/a/b');
    assert.equal(normaliseRepoUrl('ssh://git@github.com/a/b.git'), 'https://github.com/a/b');
    assert.equal(normaliseRepoUrl('https://user:tok@github.com/a/b'), 'https://github.com/a/b');
    assert.equal(normaliseRepoUrl('github:a/b'), 'https://github.com/a/b');
    assert.equal(normaliseRepoUrl('not a url'), undefined);
    assert.equal(remoteFromGitConfig('[remote "fork"]\n  url = git@github.com:me/b.git\n'), 'git@github.com:me/b.git');
    assert.deepEqual(proposeSupportedVersions(['curl-7_88_1', 'curl-8_10_1', 'curl-8_9_0']).map((r) => r.version), ['8.10.x', '< 8.10']);
    assert.deepEqual(proposeSupportedVersions(['R_2_5_0', 'R_2_7_1', 'R_2_7_0']).map((r) => r.version), ['2.7.x', '< 2.7']);
    assert.deepEqual(proposeSupportedVersions(['0.1.0']).map((r) => r.version), ['0.1.x']);
  });

  it('targets the existing policy GitHub shows, else SECURITY.md', () => {
    assert.deepEqual(securityMdTarget(['README.md', 'docs/SECURITY.md', '.github/SECURITY.md']), { path: '.github/SECURITY.md', exists: true });
    assert.deepEqual(securityMdTarget(['README.md']), { path: 'SECURITY.md', exists: false });
  });
});

describe('SECURITY.md API for front-ends', () => {
  it('proposes from a snapshot and plans the write with the existing file for a diff', async () => {
    const snap = new MemorySnapshot('widget', { '.git/config': '[remote "origin"]\n\turl = https://github.com/octo/widget\n', 'docs/SECURITY.md': 'old\n' }, ['docs/SECURITY.md']);
    const p = await proposeForSnapshot(snap, { tags: ['v3.2.1', 'v3.1.0'] });
    assert.deepEqual(p.answers.supportedVersions[0], { version: '3.2.x', supported: true });
    const plan = await planSecurityMd(snap, p.answers);
    assert.equal(plan.path, 'docs/SECURITY.md');
    assert.equal(plan.before, 'old\n');
    assert.equal(plan.after, renderSecurityMd(p.answers));
  });
});

describe('more metadata sources', () => {
  it('reads Cargo.toml authors and repository, and a corpus MANIFEST.json', async () => {
    const cargo = '[package]\nname = "widget"\nauthors = ["Ada Lovelace <ada@example.org>", "Bob"]\nrepository = "https://github.com/octo/widget-rs"\n\n[dependencies]\nserde = "1"\n';
    const f = await gatherProjectFacts(async (p) => ({ 'Cargo.toml': cargo } as Record<string, string>)[p]);
    assert.equal(f.repositoryUrl, 'https://github.com/octo/widget-rs');
    assert.deepEqual(f.contacts, [{ name: 'Ada Lovelace', email: 'ada@example.org', source: 'Cargo.toml authors' }]);
    const m = await gatherProjectFacts(async (p) => ({ 'MANIFEST.json': '{"repo": "urllib3/urllib3"}', 'TAGS.txt': '2.5.0\n1.26.20\n' } as Record<string, string>)[p]);
    assert.equal(m.repositoryUrl, 'https://github.com/urllib3/urllib3');
    assert.deepEqual(proposeAnswers(m).answers.supportedVersions, [{ version: '2.5.x', supported: true }, { version: '< 2.5', supported: false }]);
  });

  it('never proposes a public address as the private channel (issue 14.5)', async () => {
    for (const address of ['widget@lists.example.net', 'widget-discuss@example.org', 'widget@googlegroups.com', 'widget@groups.io', 'announce@lists.widget.dev']) {
      assert.ok(isPublicAddress(address), address);
      const facts = await gatherProjectFacts(async (p) => (p === 'package.json' ? JSON.stringify({ name: 'w', author: `W <${address}>` }) : undefined));
      assert.deepEqual(facts.contacts, [], address);
    }
    // A package's "Mailing list" URL makes the address on it public too.
    const py = '[project]\nname = "w"\nauthors = [{ name = "W", email = "w-team@python.example" }]\n[project.urls]\n"Mailing list" = "https://mail.python.example/mailman3/lists/w-team@python.example/"\n';
    assert.deepEqual((await gatherProjectFacts(async (p) => (p === 'pyproject.toml' ? py : undefined))).contacts, []);
    // An existing policy that names a mailing list "privately": the list is not kept as a channel.
    assert.deepEqual(channelsInPolicy('Report privately to widget-discuss@example.org.'), []);
    assert.ok(!isPublicAddress('security@widget.dev'));
  });

  it('keeps every channel the existing policy names', async () => {
    const files: Record<string, string> = {
      '.git/config': '[remote "origin"]\n\turl = git@github.com:octo/widget.git\n',
      'SECURITY.md': '# Security\n\nE-mail security@widget.dev or use https://hackerone.com/widget. Not security@example.org.\n',
    };
    const p = proposeAnswers(await gatherProjectFacts(async (x) => files[x]));
    assert.deepEqual(p.answers.channels, [
      { type: 'github-pvr', url: 'https://github.com/octo/widget/security/advisories/new' },
      { type: 'email', address: 'security@widget.dev' },
      { type: 'url', url: 'https://hackerone.com/widget' },
    ]);
  });

  it('the checks\' channel-only proposal is exactly proposeAnswers\' name, URL and channels (issue 19)', async () => {
    const files: Record<string, string> = {
      '.git/config': '[remote "origin"]\n\turl = git@github.com:octo/widget.git\n',
      'package.json': '{"name":"widget","author":"Ann <ann@widget.dev>"}',
      'TAGS.txt': 'v1.0.0 2024-01-01\nv1.2.0 2024-06-01\nv2.0.0 2024-09-01\n',
      'SECURITY.md': '# Security\n\nE-mail ann@widget.dev or use https://hackerone.com/widget.\n',
    };
    const facts = [
      await gatherProjectFacts(async (x) => files[x]),
      { ...(await gatherProjectFacts(async (x) => files[x])), pvrEnabled: false },
      { tags: [], contacts: [] },
      { tags: ['v3.1.0'], contacts: [], github: { owner: 'o', repo: 'r' }, pvrEnabled: true },
    ];
    for (const f of facts) {
      const { projectName, repositoryUrl, channels } = proposeAnswers(f).answers;
      assert.deepEqual(proposeChannelAnswers(f), { projectName, ...(repositoryUrl ? { repositoryUrl } : {}), channels });
    }
    assert.deepEqual(proposeChannelAnswers(facts[0]).channels.map((c) => c.type), ['github-pvr', 'email', 'url']);
    assert.deepEqual(proposeChannelAnswers(facts[0]).channels[1], { type: 'email', address: 'ann@widget.dev', name: 'Ann' });
  });

  it('calls sharing their work (one scan\'s checks) still read every file and never get another text\'s facts (issue 19)', async () => {
    const files: Record<string, string> = {
      '.git/config': '[remote "origin"]\n\turl = git@github.com:octo/widget.git\n',
      'package.json': '{"name":"widget","author":"Ann <ann@widget.dev>"}',
      'TAGS.txt': 'v1.0.0 2024-01-01\nv2.0.0 2024-09-01\n',
      'SECURITY.md': '# Security\n\nE-mail ann@widget.dev.\n',
    };
    const reads: string[] = [];
    const read = async (x: string) => (reads.push(x), files[x]);
    const shareWith = {};
    const alone = await gatherProjectFacts(async (x) => files[x]);
    const first = await gatherProjectFacts(read, { shareWith });
    const readsOnce = reads.length;
    const second = await gatherProjectFacts(read, { shareWith });
    assert.deepEqual(first, alone);
    assert.deepEqual(second, alone);
    // Every call reads for itself (what it could not read is its own to report)...
    assert.equal(reads.length, 2 * readsOnce);
    // ...and gets its own copy: a caller changing its lists changes nobody else's.
    second.tags.push('v9.9.9');
    second.contacts[0].email = 'changed@widget.dev';
    second.policyChannels!.length = 0;
    assert.deepEqual(await gatherProjectFacts(read, { shareWith }), alone);
    // Another text (package.json edited between two re-checks over the same path list), other options:
    // their own facts, never the shared ones.
    files['package.json'] = '{"name":"gadget","repository":"github:octo/gadget"}';
    const edited = await gatherProjectFacts(read, { shareWith });
    assert.deepEqual(edited, await gatherProjectFacts(async (x) => files[x]));
    assert.equal(edited.name, 'gadget');
    assert.equal((await gatherProjectFacts(read, { shareWith, fallbackName: 'x', tags: ['v3.0.0'] })).tags.join(), 'v3.0.0');
    delete files['package.json'];
    assert.equal((await gatherProjectFacts(read, { shareWith })).name, 'widget');
  });

  it('noTags (the checks: their fixes write no supported versions) neither reads TAGS.txt nor gets tags, and shares nothing with a call that wants them', async () => {
    const files: Record<string, string> = {
      '.git/config': '[remote "origin"]\n\turl = git@github.com:octo/widget.git\n',
      'package.json': '{"name":"widget","author":"Ann <ann@widget.dev>"}',
      'TAGS.txt': 'v1.0.0 2024-01-01\nv2.0.0 2024-09-01\n',
    };
    const reads: string[] = [];
    const read = async (x: string) => (reads.push(x), files[x]);
    const shareWith = {};
    const full = await gatherProjectFacts(async (x) => files[x]);
    assert.deepEqual(full.tags, ['v1.0.0', 'v2.0.0']);
    const without = await gatherProjectFacts(read, { shareWith, noTags: true });
    assert.ok(!reads.includes('TAGS.txt'));
    const { tagDates: _dates, ...rest } = full;
    assert.deepEqual(without, { ...rest, tags: [] });
    // Everything the checks use is the same as with the tags.
    assert.deepEqual(proposeChannelAnswers(without), proposeChannelAnswers(full));
    // The same path list (shareWith) asked with the tags afterwards gets them, not the shared tag-less facts...
    assert.deepEqual(await gatherProjectFacts(read, { shareWith }), full);
    assert.ok(reads.includes('TAGS.txt'));
    // ...and the other way round.
    assert.deepEqual((await gatherProjectFacts(read, { shareWith, noTags: true })).tags, []);
  });

  it('a re-check after package.json changed proposes from the new file (the path list is the same)', async () => {
    const snap = new MemorySnapshot('t', { 'package.json': '{"name":"a","repository":"github:octo/a"}' });
    const engine = new Engine(CHECKS);
    const fixText = (scan: RepoScan) => scan.findings.find((f) => f.ruleId === 'missing-security-policy')!.fixes[0].edits[0].newText;
    assert.match(fixText(await engine.scan(snap, { factsUnavailable: 'offline' })), /github\.com\/octo\/a\/security\/advisories\/new/);
    snap.set('package.json', '{"name":"b","repository":"github:octo/b"}');
    const again = await engine.scan(snap, { factsUnavailable: 'offline', changed: ['package.json'] });
    assert.match(fixText(again), /github\.com\/octo\/b\/security\/advisories\/new/);
    assert.doesNotMatch(fixText(again), /octo\/a\//);
  });

  it('supports every release line that still gets releases, from tag dates (two recent majors both supported)', () => {
    const tags = ['v1.8.0', 'v1.9.0', 'v1.9.1', 'v2.0.0', 'v2.1.0', 'v0.9.0'];
    const dates = { 'v0.9.0': '2024-01-01', 'v1.8.0': '2025-01-10', 'v1.9.0': '2025-06-01', 'v1.9.1': '2026-10-20', 'v2.0.0': '2026-05-01', 'v2.1.0': '2026-11-02' };
    assert.deepEqual(proposeSupportedVersions(tags, dates), [
      { version: '2.1.x', supported: true },
      { version: '1.9.x', supported: true },
      { version: 'Older versions', supported: false },
    ]);
    // The old line stopped a year before: only the newest is supported.
    assert.deepEqual(proposeSupportedVersions(tags, { ...dates, 'v1.9.1': '2025-07-01' }), [{ version: '2.1.x', supported: true }, { version: '< 2.1', supported: false }]);
    // TAGS.txt with dates.
    assert.deepEqual(parseTagLines('v1.0.0 2026-01-02T03:04:05Z\nv0.1\n'), { tags: ['v1.0.0', 'v0.1'], dates: { 'v1.0.0': '2026-01-02T03:04:05Z' } });
  });
});
