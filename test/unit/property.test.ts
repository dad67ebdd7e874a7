import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { applied, assertAllFixesRoundTrip, runs, scanChecked } from '../support/properties';

// Property tests over generated workflows (mutated corpus workflows: test/corpus/property-corpus.test.ts): whatever the input, no check throws (no
// `error` status), every scan ends quickly, and every fix keeps the round-trip contract (the fixed
// text parses, the finding goes away, fixes converge, untouched lines and comments are kept).

const WF = '.github/workflows/generated.yml';

// ---------------------------------------------------------------------------------------------
// generated workflows

const q = (s: string) => JSON.stringify(s); // a JSON string is a valid YAML double-quoted scalar

const ident = fc.stringMatching(/^[a-z][a-z0-9_-]{0,8}$/);
const CONTEXTS = [
  'github.event.issue.title',
  'github.event.pull_request.head.ref',
  'github.event.comment.body',
  'github.head_ref',
  'github.sha',
  'github.ref_name',
  'inputs.name',
  'matrix.os',
  'secrets.TOKEN',
  'steps.build.outputs.version',
  'env.FOO',
  "format('{0}', github.actor)",
  "contains(github.event.pull_request.labels.*.name, 'ok')",
  'toJSON(github.event)',
];
const expression = fc.oneof(
  fc.constantFrom(...CONTEXTS),
  fc.tuple(fc.constantFrom(...CONTEXTS), fc.constantFrom('==', '!=', '&&', '||'), fc.constantFrom(...CONTEXTS, "'x'", 'true', '1')).map(([a, op, b]) => `${a} ${op} ${b}`),
  fc.string({ maxLength: 20 }).filter((s) => !s.includes('}}')),
);
const exprText = expression.map((e) => '${{ ' + e + ' }}');
const freeText = fc.oneof(
  fc.string({ maxLength: 30 }),
  fc.constantFrom('<img src=x onerror=alert(1)>', '[x](javascript:alert(1))', '# not a comment', 'a: b', '- item', '*alias', '&anchor', '!tag', '%', '@', '`tick`', "it's"),
  exprText,
);

const REFS = ['v4', 'main', 'v1.2.3', '1.2.3', '11bd71901bbe5b1630ceea73d27597364c9af683', 'feature/x', 'v4 # v4.1.0'];
const usesValue = fc.oneof(
  fc.tuple(fc.constantFrom('actions', 'github', 'docker', 'octo-org', 'some.one'), fc.constantFrom('checkout', 'setup-node', 'cache', 'upload-artifact', 'tool'), fc.constantFrom(...REFS)).map(
    ([o, r, ref]) => `${o}/${r}@${ref}`,
  ),
  fc.constantFrom('./.github/actions/local', 'docker://alpine:3', 'docker://node@sha256:' + 'a'.repeat(64), 'octo/repo/.github/workflows/build.yml@main', 'no-ref', "'@'"),
);
const runScript = fc.array(
  fc.oneof(
    fc.constantFrom('npm ci', 'npm test', 'curl -sSL https://example.com/install.sh | bash', 'echo "::set-output name=x::y"', 'git push', 'pip install .'),
    exprText.map((e) => `echo "${e}"`),
    freeText.map((t) => `echo ${q(t)}`),
  ),
  { minLength: 1, maxLength: 4 },
);
const scalarValue = fc.oneof(freeText.map(q), fc.constantFrom('true', 'false', '1', '0.5', 'null', '~', "'single'", 'plain text'), exprText.map(q));
const smallMap = fc.dictionary(ident, scalarValue, { maxKeys: 3 });

interface Step {
  name?: string;
  id?: string;
  uses?: string;
  run?: string[];
  with?: Record<string, string>;
  env?: Record<string, string>;
  if?: string;
  shell?: string;
  comment?: string;
}
const step: fc.Arbitrary<Step> = fc.record(
  {
    name: freeText,
    id: ident,
    uses: usesValue,
    run: runScript,
    with: smallMap,
    env: smallMap,
    if: expression,
    shell: fc.constantFrom('bash', 'pwsh', 'python'),
    comment: fc.constantFrom('keep me', 'v4.2.2', 'steward: ignore[unpinned-actions]', 'zizmor: ignore[template-injection]'),
  },
  { requiredKeys: [] },
);

const PERMISSIONS = ['read-all', 'write-all', '{}', '{contents: read}', '{contents: write, pull-requests: write}', '\n  contents: read\n  id-token: write'];
const TRIGGERS = ['push', 'pull_request', 'pull_request_target', 'workflow_dispatch', 'issue_comment', 'issues', 'workflow_run', 'release'];

interface Job {
  id: string;
  name?: string;
  runsOn: string;
  permissions?: string;
  uses?: string;
  container?: string;
  env?: Record<string, string>;
  if?: string;
  steps: Step[];
}
const job: fc.Arbitrary<Job> = fc.record(
  {
    id: ident,
    name: freeText,
    runsOn: fc.constantFrom('ubuntu-latest', 'self-hosted', '[self-hosted, linux]', 'windows-2022', '${{ matrix.os }}'),
    permissions: fc.constantFrom(...PERMISSIONS),
    container: fc.constantFrom('node:20', 'ubuntu', 'node@sha256:' + 'b'.repeat(64)),
    env: smallMap,
    if: expression,
    steps: fc.array(step, { minLength: 0, maxLength: 5 }),
  },
  { requiredKeys: ['id', 'runsOn', 'steps'] },
);

interface Workflow {
  name?: string;
  triggers: string[];
  triggerForm: 'scalar' | 'list' | 'map';
  permissions?: string;
  env?: Record<string, string>;
  jobs: Job[];
  crlf: boolean;
}
const workflow: fc.Arbitrary<Workflow> = fc.record(
  {
    name: freeText,
    triggers: fc.uniqueArray(fc.constantFrom(...TRIGGERS), { minLength: 1, maxLength: 3 }),
    triggerForm: fc.constantFrom('scalar', 'list', 'map'),
    permissions: fc.constantFrom(...PERMISSIONS),
    env: smallMap,
    jobs: fc.uniqueArray(job, { minLength: 1, maxLength: 3, selector: (j) => j.id }),
    crlf: fc.boolean(),
  },
  { requiredKeys: ['triggers', 'triggerForm', 'jobs', 'crlf'] },
);

function mapLines(m: Record<string, string> | undefined, indent: string): string[] {
  return Object.entries(m ?? {}).map(([k, v]) => `${indent}${k}: ${v}`);
}

/** Writes a workflow as block YAML the way people write them. */
export function renderWorkflow(w: Workflow): string {
  const out: string[] = [];
  if (w.name !== undefined) out.push(`name: ${q(w.name)}`);
  if (w.triggerForm === 'scalar') out.push(`on: ${w.triggers[0]}`);
  else if (w.triggerForm === 'list') out.push(`on: [${w.triggers.join(', ')}]`);
  else out.push('on:', ...w.triggers.map((t) => `  ${t}:${t === 'push' ? '\n    branches: [main]' : ''}`));
  if (w.permissions !== undefined) out.push(`permissions: ${w.permissions}`);
  if (w.env && Object.keys(w.env).length) out.push('env:', ...mapLines(w.env, '  '));
  out.push('jobs:');
  for (const j of w.jobs) {
    out.push(`  ${j.id}:`);
    if (j.name !== undefined) out.push(`    name: ${q(j.name)}`);
    if (j.if !== undefined) out.push(`    if: ${q(j.if)}`);
    out.push(`    runs-on: ${j.runsOn.startsWith('$') ? q(j.runsOn) : j.runsOn}`);
    if (j.permissions !== undefined) out.push(`    permissions: ${j.permissions.replace(/\n/g, '\n    ')}`);
    if (j.container !== undefined) out.push(`    container: ${j.container}`);
    if (j.env && Object.keys(j.env).length) out.push('    env:', ...mapLines(j.env, '      '));
    if (!j.steps.length) {
      out.push('    steps: []');
      continue;
    }
    out.push('    steps:');
    for (const s of j.steps) {
      const lines: string[] = [];
      if (s.name !== undefined) lines.push(`name: ${q(s.name)}`);
      if (s.id !== undefined) lines.push(`id: ${s.id}`);
      if (s.if !== undefined) lines.push(`if: ${q(s.if)}`);
      if (s.uses !== undefined) lines.push(`uses: ${s.uses}${s.comment ? ` # ${s.comment}` : ''}`);
      else if (s.run !== undefined) {
        if (s.run.length === 1) lines.push(`run: ${q(s.run[0])}`);
        else lines.push('run: |', ...s.run.map((l) => `  ${l}`));
        if (s.shell) lines.push(`shell: ${s.shell}`);
      } else lines.push(`run: echo nothing${s.comment ? ` # ${s.comment}` : ''}`);
      if (s.with && Object.keys(s.with).length) lines.push('with:', ...mapLines(s.with, '  '));
      if (s.env && Object.keys(s.env).length) lines.push('env:', ...mapLines(s.env, '  '));
      out.push(...lines.map((l, i) => `      ${i === 0 ? '- ' : '  '}${l}`));
    }
  }
  const text = out.join('\n') + '\n';
  return w.crlf ? text.replace(/\n/g, '\r\n') : text;
}

// ---------------------------------------------------------------------------------------------

describe('property: generated workflows', function () {
  this.timeout(120_000);

  it('renders workflows that parse (the generator itself is sound)', () => {
    fc.assert(
      fc.property(workflow, (w) => {
        const { parseYaml } = require('../../src/core/yaml/parse') as typeof import('../../src/core/yaml/parse');
        assert.deepEqual(parseYaml(WF, renderWorkflow(w)).errors, []);
      }),
      runs(200),
    );
  });

  it('no check throws and every scan ends quickly', async () => {
    await fc.assert(
      fc.asyncProperty(workflow, fc.option(workflow, { nil: undefined }), async (w, other) => {
        await scanChecked({ [WF]: renderWorkflow(w), ...(other ? { '.github/workflows/other.yml': renderWorkflow(other) } : {}) });
      }),
      runs(100),
    );
  });

  it('every fix keeps the round-trip contract', async () => {
    applied.clear();
    await fc.assert(
      fc.asyncProperty(workflow, async (w) => {
        await assertAllFixesRoundTrip({ [WF]: renderWorkflow(w) });
      }),
      runs(40),
    );
    // The generator must reach the fixes, or this property would pass by testing nothing.
    assert.ok(applied.size >= 2, `fixes applied: ${JSON.stringify([...applied])}`);
  });

  it('composite actions and Dependabot files with generated content', async () => {
    const action = fc.record({ steps: fc.array(step, { maxLength: 4 }), name: freeText }).map(({ steps, name }) => {
      const w = renderWorkflow({ triggers: ['push'], triggerForm: 'scalar', jobs: [{ id: 'x', runsOn: 'y', steps }], crlf: false });
      const stepLines = w.split('\n').filter((l) => l.startsWith('      ')).map((l) => l.slice(2));
      return [`name: ${q(name)}`, 'runs:', '  using: composite', stepLines.length ? '  steps:' : '  steps: []', ...stepLines, ''].join('\n');
    });
    const dependabot = fc
      .array(fc.record({ eco: fc.constantFrom('github-actions', 'npm', 'pip', 'docker', 'cargo'), dir: fc.constantFrom('/', '/web', '"/"'), cooldown: fc.option(fc.nat(30), { nil: undefined }), ext: fc.boolean() }), { maxLength: 3 })
      .map((ups) =>
        [
          'version: 2',
          ...(ups.length ? ['updates:'] : ['updates: []']),
          ...ups.flatMap((u) => [
            `  - package-ecosystem: ${u.eco}`,
            `    directory: ${u.dir}`,
            '    schedule:',
            '      interval: weekly',
            ...(u.cooldown !== undefined ? ['    cooldown:', `      default-days: ${u.cooldown}`] : []),
            ...(u.ext ? ['    insecure-external-code-execution: allow'] : []),
          ]),
          '',
        ].join('\n'),
      );
    await fc.assert(
      fc.asyncProperty(action, dependabot, async (a, d) => {
        const files = { '.github/actions/x/action.yml': a, '.github/dependabot.yml': d, 'action.yml': a };
        await scanChecked(files);
        await assertAllFixesRoundTrip(files);
      }),
      runs(40),
    );
  });
});
