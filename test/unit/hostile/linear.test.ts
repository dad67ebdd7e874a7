import * as assert from 'node:assert/strict';
import { parseAllDocuments } from 'yaml';
import { CHECKS } from '../../../src/core/checks';
import { Engine } from '../../../src/core/engine';
import { MemorySnapshot } from '../../../src/core/repo/snapshot';
import { loadSourceFile } from '../../../src/core/repo/load';
import { deref, get, isSeq, scalarString, type YamlFile } from '../../../src/core/yaml/parse';
import type { StepModel } from '../../../src/core/yaml/workflow';
import { parseUses } from '../../../src/core/yaml/uses';
import { actionVersion, atLeast } from '../../../src/core/workflow/versions';
import { laterFacts, stepTokenUses, USES_LISTED, type TokenUse } from '../../../src/core/checks/persisted-checkout-credentials/persisted-checkout-credentials';

// Linear work on other hostile shapes than many jobs (issue 13): many steps in one job, many checkouts,
// a large job env, a long script, many expressions on one line, deep needs chains, many workflows.
// Each doubles the input and bounds the CPU time ratio; CPU time, not wall time (the machine is shared).

const WF = '.github/workflows/big.yml';
const HEAD = 'on: [push, pull_request_target]\njobs:\n';

async function cpuMs(fn: () => Promise<unknown>): Promise<number> {
  const t = process.cpuUsage();
  await fn();
  const d = process.cpuUsage(t);
  return (d.user + d.system) / 1000;
}

const scan = (files: Record<string, string>) => new Engine(CHECKS).scan(new MemorySnapshot('big', files));

/** Best of two CPU times of a scan of `files(n)`. */
async function scanMs(files: (n: number) => Record<string, string>, n: number): Promise<number> {
  const f = files(n);
  return Math.min(await cpuMs(() => scan(f)), await cpuMs(() => scan(f)));
}

const shapes: [string, number, (n: number) => Record<string, string>][] = [
  [
    'many steps in one job, every other one a checkout',
    1_000,
    (n) => ({ [WF]: HEAD + '  a:\n    runs-on: x\n    steps:\n' + Array.from({ length: n }, (_, i) => `      - uses: actions/checkout@v4\n      - run: echo \${{ github.head_ref }} ${i}\n`).join('') }),
  ],
  [
    'a job env of n variables and n steps',
    1_000,
    (n) => ({
      [WF]: HEAD + '  a:\n    runs-on: x\n    env:\n' + Array.from({ length: n }, (_, i) => `      E${i}: \${{ github.head_ref }}\n`).join('') + '    steps:\n' + Array.from({ length: n }, (_, i) => `      - run: echo $E${i}\n`).join(''),
    }),
  ],
  [
    'a run: script of n lines, each with an expression',
    2_000,
    (n) => ({ [WF]: HEAD + '  a:\n    runs-on: x\n    steps:\n      - run: |\n' + Array.from({ length: n }, (_, i) => `          echo "\${{ github.head_ref }}" line ${i}`).join('\n') + '\n' }),
  ],
  [
    'n expressions on one line',
    2_000,
    (n) => ({ [WF]: HEAD + '  a:\n    runs-on: x\n    steps:\n      - run: echo ' + Array.from({ length: n }, () => '${{ github.head_ref }}').join(' ') + '\n' }),
  ],
  [
    'a needs chain n jobs deep, passing outputs along',
    1_000,
    (n) => ({
      [WF]:
        HEAD +
        Array.from(
          { length: n },
          (_, i) => `  j${i}:\n    runs-on: x\n    outputs:\n      o: \${{ steps.s.outputs.v }}\n${i ? `    needs: [j${i - 1}]\n` : ''}    steps:\n      - id: s\n        run: echo v=\${{ needs.j${Math.max(0, i - 1)}.outputs.o }} >> $GITHUB_OUTPUT\n`,
        ).join(''),
    }),
  ],
  [
    'n workflows',
    250,
    (n) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`.github/workflows/w${i}.yml`, HEAD + '  a:\n    runs-on: x\n    steps:\n      - uses: actions/checkout@v4\n      - run: echo ${{ github.head_ref }}\n'])),
  ],
];

// One run line of one phrase repeated: each of these was read again from every occurrence of its
// first word to the end of the line (download-and-run's pipes and PowerShell forms, git's global
// options in three checks, the head fetched by a pull_request_target job, `gh api` arguments, cargo's
// dry-run flag, the pushing tools, unclosed ignore comments), so twice the line cost about four times
// the scan.
const REPEATED = ['steward: ignore[', 'git -c ', 'git fetch ', 'curl ', 'wget ', 'curl x | ', 'gh api ', 'cargo publish ', 'iex (iwr ', '.DownloadString(x) | y iex ', 'bash <(curl ', 'ghp-import ', 'mike deploy ', 'mvn ', 'sbt '];
for (const phrase of REPEATED) {
  shapes.push([
    `a run line of ${JSON.stringify(phrase.trim())} repeated`,
    3_000,
    (n) => ({ [WF]: `${HEAD}  a:\n    runs-on: x\n    steps:\n      - uses: actions/checkout@v4\n      - run: ${JSON.stringify(phrase.repeat(n))}\n        env:\n          GITHUB_TOKEN: \${{ secrets.GITHUB_TOKEN }}\n` }),
  ]);
}

// Other fields: a reference of n segments in an `if:` (each segment copied the ones before), a job
// env value of n unclosed `${{` (the token test scanned to the end from each), a SECURITY.md of a long
// run of letters and dots (the e-mail patterns scanned the run from each of its positions).
shapes.push(
  ['an if: holding one reference of n segments', 4_000, (n) => ({ [WF]: `on: pull_request_target\njobs:\n  a:\n    if: ${JSON.stringify('github' + '.rest.issues'.repeat(n))}\n    runs-on: x\n    steps:\n      - run: echo\n` })],
  ['a job env value of n unclosed ${{', 4_000, (n) => ({ [WF]: `on: push\njobs:\n  a:\n    runs-on: x\n    env:\n      X: ${JSON.stringify('\${{ github.event.'.repeat(n))}\n    steps:\n      - run: echo\n` })],
  ['a SECURITY.md of one run of n words and dots', 2_000, (n) => ({ 'SECURITY.md': '# Security\n\n' + 'github.rest.issues.'.repeat(n) + '\n', [WF]: 'on: push\njobs:\n  a:\n    runs-on: x\n    steps:\n      - run: echo\n' })],
);

describe('hostile: linear work on long jobs, scripts, lines and chains', function () {
  this.timeout(300_000);

  for (const [what, n, files] of shapes) {
    it(`${what}: twice the size costs at most ~3x the scan time (measured against a parse of it)`, async () => {
      await scan(files(Math.max(10, n / 10))); // warm the checks' code
      // The floor: parsing the larger input, so a ratio on tiny times is not noise alone.
      const text = Object.values(files(2 * n)).join('\n');
      // A garbage collection or another process landing on the larger scan can push one measurement
      // over the bound; quadratic work exceeds it every time, so up to three measurements are taken.
      const seen: string[] = [];
      for (let attempt = 0; attempt < 3; attempt++) {
        const small = await scanMs(files, n);
        const large = await scanMs(files, 2 * n);
        const t = process.cpuUsage();
        parseAllDocuments(text, { uniqueKeys: false });
        const d = process.cpuUsage(t);
        const floor = (d.user + d.system) / 1000;
        if (large <= 3 * small + floor) return;
        seen.push(`${n}: ${small.toFixed(0)} ms, ${2 * n}: ${large.toFixed(0)} ms (parse ${floor.toFixed(0)} ms)`);
      }
      assert.fail(`more than 3x on every measurement: ${seen.join('; ')}`);
    });
  }

  it('a step with too many expressions keeps its findings, without the quadratic fix', async () => {
    const r = await scan(shapes[3][2](4_000));
    const ti = r.findings.filter((f) => f.ruleId === 'template-injection');
    assert.equal(ti.length, 1, 'one finding per expression per line');
    assert.deepEqual(ti[0].fixes, []);
    const few = await scan(shapes[3][2](3));
    assert.equal(few.findings.filter((f) => f.ruleId === 'template-injection')[0].fixes.length, 1);
  });
});

describe('persisted-checkout-credentials: one backward walk gives what the walk per checkout gave', () => {
  // The walks before issue 13's fix, kept as the specification.
  const actionName = (step: StepModel) => {
    if (!step.uses) return undefined;
    const u = parseUses(step.uses.value);
    return u.kind === 'repo' ? `${u.owner}/${u.repo}${u.path ? '/' + u.path : ''}`.toLowerCase() : undefined;
  };
  const refUses = (steps: readonly StepModel[], from: number, y: YamlFile): TokenUse[] => {
    const seen = new Set<string>();
    return steps.slice(from + 1).flatMap((s) => stepTokenUses(s, y, undefined, undefined)).filter((u) => !seen.has(u.what) && !!seen.add(u.what));
  };
  const refUpload = (steps: readonly StepModel[], from: number, y: YamlFile, checkoutPath: string): StepModel | undefined => {
    const root = checkoutPath.replace(/^\.(?:\/|$)/, '').replace(/\/+$/, '');
    for (const s of steps.slice(from + 1)) {
      if (actionName(s) !== 'actions/upload-artifact') continue;
      const pathNode = deref(get(s.with, 'path', y), y);
      const paths = isSeq(pathNode) ? pathNode.items.map((i) => scalarString(deref(i, y)) ?? '') : (scalarString(pathNode) ?? '').split(/\r?\n/);
      const v = actionVersion(y, s);
      const hidden = scalarString(deref(get(s.with, 'include-hidden-files', y), y))?.trim().toLowerCase() === 'true' || atLeast(v, 4, 4) === false;
      for (const raw of paths) {
        const p = raw.trim().replace(/^\$\{\{\s*github\.workspace\s*\}\}\/?/, '').replace(/^\.(?:\/|$)/, '').replace(/\/+$/, '');
        if (!p || p.startsWith('!')) {
          if (!p && raw.trim() && hidden) return s;
          continue;
        }
        const withinRoot = root === '' ? p : p.startsWith(root + '/') ? p.slice(root.length + 1) : p === root ? '' : undefined;
        if (withinRoot === undefined) continue;
        if ((withinRoot === '.git' || withinRoot.startsWith('.git/') || withinRoot === '' || /^\*\*?$/.test(withinRoot)) && hidden) return s;
      }
    }
    return undefined;
  };

  it('on random jobs of checkouts, uploads, pushes and scripts', () => {
    const checkoutPaths = ['', '.', './', 'sub', './sub', 'sub/', 'sub/a', '.git', 'other'];
    const uploadPaths = ['.', './', 'sub', 'sub/.git', 'sub/.git/config', '.git', '.git/x', '*', '**', 'sub/*', 'sub/**', 'sub/a/.git', '!sub', '${{ github.workspace }}', '${{ github.workspace }}/sub', 'other', 'sub/.github', 'dist', '"a\\nsub/.git"'];
    const others = ['run: git push', 'run: git fetch origin', 'run: ./tools/a.sh', 'run: python x.py', 'run: echo hi', 'run: mkdocs gh-deploy', 'uses: peter-evans/create-pull-request@v6', 'uses: actions/setup-node@v4', 'run: ./tools/b.sh'];
    let seed = 7;
    const rnd = (n: number) => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    for (let round = 0; round < 300; round++) {
      const steps: string[] = [];
      for (let i = 0, n = 1 + rnd(30); i < n; i++) {
        const k = rnd(3);
        if (k === 0) {
          const p = checkoutPaths[rnd(checkoutPaths.length)];
          steps.push(`      - uses: actions/checkout@v4${p ? `\n        with: {path: '${p}'}` : ''}`);
        } else if (k === 1) {
          const v = ['v3', 'v4', 'v4.3.0', 'v4.4.0'][rnd(4)];
          const hidden = rnd(2) ? ', include-hidden-files: true' : '';
          const p = uploadPaths[rnd(uploadPaths.length)];
          steps.push(`      - uses: actions/upload-artifact@${v}\n        with: {path: ${p.startsWith('"') ? p : `'${p}'`}${hidden}}`);
        } else steps.push(`      - ${others[rnd(others.length)]}`);
      }
      const text = `on: push\njobs:\n  a:\n    runs-on: x\n    steps:\n${steps.join('\n')}\n`;
      const sf = loadSourceFile(WF, new TextEncoder().encode(text));
      const y = sf.yaml!;
      assert.deepEqual(y.errors, [], text);
      const jobSteps = sf.workflow!.jobs[0].steps;
      const got = laterFacts(jobSteps, y, undefined, undefined);
      jobSteps.forEach((s, i) => {
        if (actionName(s) !== 'actions/checkout') return;
        const uses = refUses(jobSteps, i, y);
        const want = uses.length > USES_LISTED ? [...uses.slice(0, USES_LISTED), { what: `${uses.length - USES_LISTED} more` }] : uses;
        assert.deepEqual(got.get(i)?.uses, want, `round ${round} step ${i}\n${text}`);
        const path = scalarString(deref(get(s.with, 'path', y), y)) ?? '';
        assert.equal(got.get(i)?.upload, refUpload(jobSteps, i, y, path), `round ${round} step ${i}\n${text}`);
      });
    }
  });
});
