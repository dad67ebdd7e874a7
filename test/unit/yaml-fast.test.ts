import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { stringify } from 'yaml';
import { fastParse } from '../../src/core/yaml/fast';
import { YAML_OPTIONS } from '../../src/core/yaml/parse';
import { fastVsYaml } from '../support/fast-yaml-compare';

const ACCEPTED = [
  'a: b  # c\nd:\n  - x\n  - y # z\n\n# hi\ne: |\n  lit\n\nf: "q" \ng: {x: 1, y: [2]}\nh: &an 0x1F\ni: *an\n',
  'on: [push, pull_request]\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4 # v4.1.1\n      - run: |\n          echo ${{ github.sha }}\n\n          make\n      - run: >-\n          folded\n          text\n',
  'n: 1.50\nt: true\nz: ~\nneg: -3\nhex: 0x10\noct: 0o7\ninf: .inf\nexp: 1e3\ns: \'it\'\'s\'\nq: "a\\tb"\non: on\n',
  'list:\n- a\n- b: 1\n  c: [ x , y ]\n',
  '# leading\n\nkey: value\n# trailing\n',
  // comments after a nested collection stretch its end (and its parents') to the next token
  'a:\n  b:\n    c: 1\n  # indented comment after a nested mapping\nd: 2\n',
  'jobs:\n  x:\n    steps:\n      - uses: a\n        with:\n          k: v\n\n        # more\n      # less\n      - run: b\n',
  'k:\n- a\n\n# not the sequence\'s\nl: 1\n',
];

const DECLINED = [
  '--- \na: 1\n',
  'a: !!str 1\n',
  '%YAML 1.2\n---\na: 1\n',
  // a comment deeper than the sequence between its items: yaml stretches the scalar before it
  'l:\n  - a\n    # deeper\n  - b\n',
  'a: 1\r\nb: 2\r\n',
  '? complex\n: key\n',
  'a:\n',
  'a: |+\n  keep\n\n',
  // an empty block scalar before a blank line: yaml's range takes in the blank line (found by the corpus mutation test)
  'b: >-\n\nnew: x\n',
  'a:\n  b: |\n\n  new: x\n',
  '',
];

// A fixed seed keeps the suite deterministic; FAST_YAML_SEED=random (or a number) explores further.
function seed(): { seed?: number } {
  const v = process.env.FAST_YAML_SEED;
  return v === 'random' ? {} : { seed: Number(v ?? 20261203) };
}

function yamlFiles(dir: string, out: string[] = []): string[] {
  for (const e of readdirSync(dir)) {
    const p = path.join(dir, e);
    if (statSync(p).isDirectory()) yamlFiles(p, out);
    else if (/\.ya?ml$/.test(e)) out.push(p);
  }
  return out;
}

describe('fast YAML front end (js-yaml events -> yaml nodes)', () => {
  it('gives the same nodes as parseAllDocuments on samples it takes', () => {
    for (const t of ACCEPTED) assert.equal(fastVsYaml(t), undefined, t);
  });

  it('declines what it cannot reproduce exactly', () => {
    for (const t of DECLINED) assert.equal(fastParse(t, YAML_OPTIONS), undefined, JSON.stringify(t));
  });

  it('resolves scalars with the core schema (on stays a string, 1.50 keeps its digits)', () => {
    const [d] = fastParse('on: push\nv: 1.50\nb: false\n', YAML_OPTIONS)!;
    assert.deepEqual(d.toJS(), { on: 'push', v: 1.5, b: false });
    assert.equal(d.toString(), 'on: push\nv: 1.50\nb: false\n');
  });

  it('agrees with parseAllDocuments on every YAML fixture under test/ it takes', () => {
    const files = yamlFiles(path.resolve(__dirname, '..'));
    let taken = 0;
    for (const f of files) {
      const r = fastVsYaml(readFileSync(f, 'utf8'));
      if (r === 'declined') continue;
      taken++;
      assert.equal(r, undefined, f);
    }
    assert.ok(taken > 0);
  });

  it('agrees with parseAllDocuments on generated workflow-like documents', () => {
    const key = fc.stringMatching(/^[a-z][a-z0-9_-]{0,8}$/);
    const scalar = fc.oneof(
      fc.string({ maxLength: 12 }),
      fc.stringMatching(/^[a-z0-9 .:$#{}@/'"-]{1,16}$/),
      fc.integer(),
      fc.double({ noNaN: true }),
      fc.boolean(),
      fc.constant(null),
      fc.constantFrom('on', 'yes', '0x1F', '1.50', '~', '${{ github.event.issue.title }}', 'a: b', '- x'),
    );
    const { tree } = fc.letrec((tie) => ({
      tree: fc.oneof({ depthSize: 'small' }, scalar, tie('map'), tie('seq')),
      map: fc.dictionary(key, tie('tree'), { minKeys: 1, maxKeys: 4 }),
      seq: fc.array(tie('tree'), { minLength: 1, maxLength: 3 }),
    }));
    const root = fc.dictionary(key, tree, { minKeys: 1, maxKeys: 5 });
    let runs = 0;
    let taken = 0;
    fc.assert(
      fc.property(root, fc.boolean(), fc.integer({ min: 0, max: 5 }), fc.nat(), (obj, flowish, comment, at) => {
        let text = stringify(obj, { collectionStyle: flowish ? 'any' : 'block', lineWidth: 0 });
        if (comment === 1) text = `# head\n${text}`;
        if (comment === 2) text = text.replace(/\n/, ' # tail\n');
        if (comment === 3) text = `${text}\n# end\n`;
        if (comment >= 4) {
          // a comment line, indented like some line of the document, after that line
          const lines = text.split('\n');
          const i = at % Math.max(1, lines.length - 1);
          const ind = /^ */.exec(lines[i + (comment === 5 ? 1 : 0)] ?? '')![0];
          lines.splice(i + 1, 0, `${ind}# note`, ...(comment === 5 ? [''] : []));
          text = lines.join('\n');
        }
        const r = fastVsYaml(text);
        runs++;
        if (r === undefined) taken++;
        return r === undefined || r === 'declined' || (console.error(JSON.stringify(text), r), false);
      }),
      { numRuns: Number(process.env.FAST_YAML_RUNS ?? 400), ...seed() },
    );
    // the comparison means something only if most generated documents are taken
    assert.ok(taken > runs / 2, `${taken} of ${runs} taken`);
  });
});
