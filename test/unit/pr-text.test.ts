import * as assert from 'node:assert/strict';
import { ContributionFlow, type FlowPlan } from '../../src/contribution/flow';
import { bodyBudget, commitMessage, parseTrailers, prBody, urgencyOf } from '../../src/contribution/pr-text';
import { CONCERN_DEFS } from '../../src/contribution/concerns';
import { CHECKS } from '../../src/core/checks';
import { makePrWorld, type PrWorld } from '../support/pr-world';

// The PR text as a maintainer reads it, for each concern kind and each urgency: exact headings, no
// paragraph said twice, within the length budget, valid Markdown (rendered with markdown-it), the
// specifics of each change, and nothing said in the contributor's voice that Steward cannot know.

// markdown-it ships no types; this is the part we use.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const MarkdownIt = require('markdown-it') as new (o?: { html?: boolean }) => { parse(s: string, env: object): { type: string; tag: string; content: string; children?: { type: string; content: string }[] }[]; render(s: string): string };
const md = new MarkdownIt({ html: false });

const NONE = `name: CI
on: [push, pull_request]
jobs:
  test:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - run: npm test
`;

const READ_ALL = `name: Lint
on: [push]
permissions: read-all
jobs:
  lint:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - run: npm run lint
`;

const OUTSIDER_INJECTION = `name: Triage
on:
  issues:
    types: [opened]
permissions:
  contents: read
jobs:
  greet:
    runs-on: ubuntu-latest
    steps:
      - run: echo "New issue \${{ github.event.issue.title }}"
`;

const MEMBER_INJECTION = `name: Notes
on: push
permissions:
  contents: read
jobs:
  note:
    runs-on: ubuntu-latest
    steps:
      - run: echo "\${{ github.event.head_commit.message }}"
`;

function headings(body: string): string[] {
  return md
    .parse(body, {})
    .map((t, i, all) => (t.type === 'heading_open' ? `${t.tag} ${all[i + 1].content}` : ''))
    .filter(Boolean);
}

/** Paragraphs (not headings, list items or table rows) that appear more than once. */
function repeatedParagraphs(body: string): string[] {
  const seen = new Map<string, number>();
  const tokens = md.parse(body, {});
  tokens.forEach((t, i) => {
    if (t.type !== 'inline' || tokens[i - 1]?.type !== 'paragraph_open') return;
    if (tokens[i - 2]?.type === 'list_item_open') return;
    seen.set(t.content, (seen.get(t.content) ?? 0) + 1);
  });
  return [...seen].filter(([, n]) => n > 1).map(([p]) => p);
}

function check(plan: FlowPlan): string {
  const body = plan.body!;
  assert.ok(body.length <= bodyBudget({ changes: plan.changes, template: plan.preflightFiles.prTemplate?.text, templateChecklist: plan.preflightFiles.templateChecklist }), `over budget: ${body.length}`);
  assert.deepEqual(repeatedParagraphs(body), [], 'a paragraph is said twice');
  assert.doesNotMatch(body, /reviewed every line myself|\bI prepared\b/);
  assert.match(body, /^- \[ \] I \(the contributor\) have read every line of this diff/m);
  const html = md.render(body);
  assert.doesNotMatch(html, /<script|javascript:/i);
  for (const f of plan.changes.flatMap((c) => c.files)) assert.ok(html.includes(`<code>${f}</code>`), `${f} is not in a code span`);
  // "What changed" never repeats the title.
  assert.ok(!body.includes(`${plan.title} in`), 'title repeated');
  for (const c of plan.changes) assert.ok(!body.includes(c.title), `commit subject "${c.title}" repeated in the body`);
  return body;
}

describe('PR text for the reader', function () {
  this.timeout(120_000);
  let w: PrWorld;
  before(async () => {
    w = await makePrWorld({
      '.github/workflows/ci.yml': NONE,
      '.github/workflows/lint.yml': READ_ALL,
      '.github/workflows/triage.yml': OUTSIDER_INJECTION,
      'README.md': '# widget\n',
    });
  });
  after(async () => w?.close());

  const plan = async (concern: string, dir = w.clone) => (await new ContributionFlow({ dir, concern, dryRun: true, providers: w.providers(), allowUnsafe: true }).run()).plan;

  it('token permissions (defence in depth): one "why", per-file scopes with their reasons, read-all told apart from none', async () => {
    const p = await plan('token-permissions');
    const body = check(p);
    assert.deepEqual(headings(body), [
      'h2 Summary',
      'h2 Why this matters',
      'h2 What changed',
      'h3 `.github/workflows/ci.yml`',
      'h3 `.github/workflows/lint.yml`',
      'h2 What could break',
      'h2 How to test',
      'h2 Check this PR yourself',
      'h2 How to undo',
      'h2 Background',
      'h2 Checklist',
    ]);
    assert.match(body, /\*\*Urgency: defence in depth\.\*\*/);
    assert.equal(body.split('Every workflow run gets a `GITHUB_TOKEN`').length, 2, 'why it matters is said once');
    const ci = body.slice(body.indexOf('### `.github/workflows/ci.yml`'), body.indexOf('### `.github/workflows/lint.yml`'));
    const lint = body.slice(body.indexOf('### `.github/workflows/lint.yml`'), body.indexOf('## What could break'));
    assert.match(ci, /- Before: no `permissions:` \(the repository default\)\./);
    assert.match(ci, /Workflow level \(every job\) now gets `contents: read`, because actions\/checkout clones the repository \(line 4\)\./);
    assert.doesNotMatch(ci, /read-all/);
    assert.match(lint, /- Before: workflow level: `permissions: read-all` \(read access to every scope\)\./);
    assert.match(lint, /\*\*What could break here\.\*\* This file had `read-all`/);
    assert.doesNotMatch(lint, /repository default/);
  });

  it('pins (hygiene): each action, its SHA and the evidence, once', async () => {
    const p = await plan('pin-actions');
    const body = check(p);
    assert.match(body, /\*\*Urgency: hygiene\.\*\*/);
    const sha = w.actions.checkout.commits.c2;
    assert.match(body, new RegExp(`- \`actions/checkout@v4\` → \`${sha}\` \\(v4\\.2\\.2, tagged 2024-10-23; resolved with git ls-remote `));
    assert.equal(body.split(`| actions/checkout | \`v4\` | \`${sha.slice(0, 12)}\``).length, 2, 'one evidence row per distinct pin');
    assert.ok(headings(body).includes('h2 Evidence'));
    assert.match(body, /re-checks that each pinned SHA is the commit its tag points to/);
  });

  it('template injection (exploitable): the lines moved into env: and the exploitable sentence', async () => {
    const p = await plan('template-injection');
    const body = check(p);
    assert.match(body, /\*\*Urgency: exploitable\.\*\* People outside the project can trigger this today/);
    assert.match(body, /- `\$\{\{ github\.event\.issue\.title \}\}` now reaches the script as the environment variable `ISSUE_TITLE` \(`env:` at line 13\)\./);
    assert.doesNotMatch(body, /output is unchanged/);
  });

  it('template injection from members only (defence in depth): no claim that outsiders can attack it', async () => {
    const w2 = await makePrWorld({ '.github/workflows/notes.yml': MEMBER_INJECTION });
    try {
      const p = (await new ContributionFlow({ dir: w2.clone, concern: 'template-injection', dryRun: true }).run()).plan;
      const body = check(p);
      assert.equal(urgencyOf('template-injection', p.concern!.findings), 'defence-in-depth');
      assert.match(body, /\*\*Urgency: defence in depth\.\*\*/);
      assert.match(body, /Steward found no way for people outside the project to choose these values today/);
      assert.doesNotMatch(body, /anyone who can open an issue|People outside the project can trigger/);
    } finally {
      await w2.close();
    }
  });

  it("fills the project's PR template where its sections map, keeping the rest and its tick boxes", async () => {
    const template = '## What does this PR do?\n\n<!-- describe -->\n\n## Motivation\n\n## Type of change\n\n- [ ] Bug fix\n- [ ] Security\n\n## Checklist\n\n- [ ] Tests pass\n';
    const w3 = await makePrWorld({ '.github/workflows/ci.yml': NONE, '.github/pull_request_template.md': template });
    try {
      const p = (await new ContributionFlow({ dir: w3.clone, concern: 'token-permissions', dryRun: true }).run()).plan;
      const body = check(p);
      const hs = headings(body);
      assert.deepEqual(hs.slice(0, 6), ['h2 What does this PR do?', 'h3 What changed', 'h4 `.github/workflows/ci.yml`', 'h2 Motivation', 'h2 Type of change', 'h2 Checklist']);
      assert.match(body, /## Motivation\n\nEvery workflow run gets a `GITHUB_TOKEN`/);
      assert.match(body, /## Type of change\n\n- \[ \] Bug fix\n- \[ \] Security/);
      assert.match(body, /## Checklist\n\n- \[ \] Tests pass\n- \[ \] I \(the contributor\)/);
      assert.doesNotMatch(body, /<!--/);
    } finally {
      await w3.close();
    }
  });

  it('the budget scales with the change', async () => {
    const wfs: Record<string, string> = {};
    for (let i = 0; i < 12; i++) wfs[`.github/workflows/w${i}.yml`] = NONE.replace('name: CI', `name: W${i}`);
    const w4 = await makePrWorld(wfs);
    try {
      const p = (await new ContributionFlow({ dir: w4.clone, concern: 'token-permissions', dryRun: true }).run()).plan;
      assert.equal(p.changes.length, 12);
      check(p);
      assert.ok(bodyBudget({ changes: p.changes, templateChecklist: [] }) > bodyBudget({ changes: p.changes.slice(0, 1), templateChecklist: [] }));
    } finally {
      await w4.close();
    }
  });

  it('a review fix says what Steward could not verify and what it kept because of that', () => {
    const file = '.github/workflows/x.yml';
    const before = 'name: X\non: push\npermissions: write-all\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: ./x.sh\n';
    const after = before.replace('permissions: write-all\n', 'permissions:\n  contents: write # kept: Steward cannot see what ./x.sh does with the token\n');
    const body = prBody({
      concern: { def: CONCERN_DEFS.find((d) => d.id === 'token-permissions')!, findings: [], fixes: [], files: [file], unavailable: [] },
      changes: [{ title: 'Restrict token permissions in x.yml', ruleId: 'excessive-permissions', files: [file], added: 2, removed: 1, evidence: [], before, after, fixes: [{ title: 'Grant only what each job needs', safe: false, reviewReason: 'Steward cannot see what `./x.sh` does with the token', edits: [] }] }],
      metas: new Map(CHECKS.map((c) => [c.meta.id, c.meta])),
      templateChecklist: [],
      requiresSignoff: false,
    });
    assert.match(body, /- Before: workflow level: `permissions: write-all` \(write access to every scope\)\.\n- Workflow level \(every job\) now gets `contents: write`, kept because Steward cannot see what \.\/x\.sh does with the token \(line 4\)\./);
    assert.match(body, /\*\*Steward could not verify:\*\* Steward cannot see what `\.\/x\.sh` does with the token\. Please check this before merging\. \*\*Kept because of that:\*\* `contents: write` \(line 4\); remove it if nothing uses it\./);
    assert.match(body, /\*\*What could break here\.\*\* This file had `write-all`/);
  });

  it('commit trailers say how to reproduce the change, and parse back', () => {
    const msg = commitMessage(
      { title: 'Pin actions in ci.yml to commit SHAs', ruleId: 'unpinned-actions', files: ['.github/workflows/ci.yml'], added: 1, removed: 1, evidence: [{ kind: 'pin', summary: 's', details: { action: 'actions/checkout', ref: 'v4', commit: 'a'.repeat(40), version: 'v4.2.2' } }], fixes: [{ title: 'Pin', safe: true, edits: [] }] },
      undefined,
      { concernId: 'pin-actions', signoff: 'Casey <c@example.org>' },
    );
    assert.match(msg, /\n\nSteward-Concern: pin-actions\nSteward-Rule: unpinned-actions\nSteward-Version: \S+\nSteward-Command: steward pr --concern pin-actions\nSteward-Pin: actions\/checkout@v4 = a{40} \(v4\.2\.2\)\nSigned-off-by: Casey <c@example\.org>\n$/);
    assert.deepEqual(parseTrailers(msg)?.pins, [{ action: 'actions/checkout', ref: 'v4', sha: 'a'.repeat(40), version: 'v4.2.2' }]);
    const unsafe = commitMessage({ title: 't', ruleId: 'excessive-permissions', files: ['x'], added: 1, removed: 0, evidence: [], fixes: [{ title: 'f', safe: false, edits: [] }] }, undefined, { concernId: 'token-permissions' });
    assert.match(unsafe, /Steward-Command: steward pr --concern token-permissions --unsafe\n/);
  });
});
