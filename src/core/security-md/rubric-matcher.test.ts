import * as assert from 'node:assert/strict';
import { evaluatePolicy, placeholderLines, PROCESS, PVR, SUPPORTED, TIME_FRAME, WE_WILL_ACT, type GuardedPattern } from './rubric';

// The hand-written matcher stands for this expression (issue 19: compiling it cost milliseconds of
// every scan). It must give the same first match on any text.
const ORACLE =
  /\bwe(?:'ll|\s+will|\s+would|\s+aim\s+to|\s+try\s+to|\s+shall|\s+then)?\s+(?:\w+\s+){0,3}?(?:acknowledge|confirm|investigate|triage|assess|evaluate|review|fix|patch|coordinate|respond|reply|notify|inform|keep\s+you|work\s+with\s+you|publish|release|disclose|credit|contact\s+you|get\s+back|treat|handle|prepare)\b/i;

const same = (s: string) => assert.equal(WE_WILL_ACT.exec(s)?.[0], ORACLE.exec(s)?.[0] ?? undefined, JSON.stringify(s));

describe('rubric: the "we will act" matcher', () => {
  it('matches what the expression matches on written policies', () => {
    for (const s of [
      'We will acknowledge your report within 48 hours.',
      "We'll then review it and get back to you.",
      'we aim to quickly fix confirmed issues',
      'We try to work with you on a fix.',
      'We shall, of course, respond.',
      'We willingly fix things.',
      'we then will keep   you informed',
      'Someone else will fix it; we do not.',
      'Answer: we\u00a0will\u2028fix it',
      'were we to fix it',
      'WE WILL CONTACT YOU',
      'we get backs',
      'we get back',
      'we fix_it',
      'We\u212a will fix',
      'w\u0130ll we fix',
      'we a b c d fix',
      'we a b c fix',
      'we will a b c fix',
      'we would  like to  investigate',
      '',
      'we',
      'we ',
    ]) same(s);
  });

  it('knows every verb and phrase of the expression', () => {
    const verbs = /\(\?:(acknowledge\|[^)]*)\)\\b\/i$/.exec(ORACLE.source.replace(/\\s\+/g, ' ') + '/i')![1].split('|');
    assert.ok(verbs.length > 20, verbs.join(','));
    for (const v of verbs) {
      for (const s of [`We will ${v} it`, `we ${v.toUpperCase()}`, `we'll soon ${v}`]) {
        same(s);
        assert.ok(WE_WILL_ACT.exec(s), s);
      }
    }
  });

  it('matches what the expression matches on 30,000 generated texts', () => {
    const tokens = ['we', 'We', 'WE', "we'll", "We'LL", 'will', 'WILL', 'would', 'aim', 'to', 'try', 'shall', 'then', 'willing', 'acknowledge', 'fix', 'Fix', 'fixes', 'fix_', 'patch', 'keep', 'you', 'your', 'work', 'with', 'contact', 'get', 'back', 'backs', 'the', 'issue', 'quickly', 'and', 'a', 'we2', 'awe', 'wee', 'release', 'Prepare', 'notify', 'kee\u212a', '\u0130', 'reply'];
    const seps = [' ', ' ', ' ', '  ', '\n', ', ', '. ', '-', '\t', '\u00a0', '', "'", '_'];
    let seed = 19;
    const rnd = (n: number) => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return (seed >>> 8) % n;
    };
    let matched = 0;
    for (let i = 0; i < 30_000; i++) {
      let s = '';
      const n = 2 + rnd(10);
      for (let k = 0; k < n; k++) s += tokens[rnd(tokens.length)] + seps[rnd(seps.length)];
      same(s);
      if (ORACLE.test(s)) matched++;
    }
    assert.ok(matched > 2000, `${matched} texts matched`);
  });
});

describe('rubric: patterns tried only when their words are in the text', () => {
  const guarded = [...PROCESS.slice(1), ...TIME_FRAME, ...SUPPORTED, ...PVR] as GuardedPattern[];
  const examples = [
    'Reports are triaged; we triage within days under embargo until a CVE is assigned and coordinated vulnerability disclosure follows.',
    'The maintainers coordinate the fix and coordinating the next steps.',
    'See our disclosure policy, response timeline and the security response team process.',
    'We will work with you.',
    'A draft advisory will be used; security advisories are used.',
    'Nothing is public until the fix is disclosed, until it is publicly disclosed.',
    'We respond within 48 hours, in a few days, within two business weeks, no later than 90 days, about a month.',
    'Expect a reply in 3-5 business days, 24h, 2 hrs, 10 working days or 1 week.',
    'Supported versions: only the latest release is supported. Versions that are currently maintained get fixes.',
    'The current major version receives security fixes. The latest 2.x release is maintained.',
    'Security fixes are only released for the newest line; fixes are backported to 1.x.',
    'We only support the latest version. We support 3.x. Always update to the latest release.',
    'Use https://github.com/o/r/security/advisories/new or privately report: private vulnerability reporting, privately security disclosure.',
    'Open a draft GitHub security advisory, or create a new security advisory, click the "Report a vulnerability" button.',
    'In the Security tab, choose to report it.',
  ];
  const words = examples.join(' ').split(/\s+/);
  let seed = 7;
  const rnd = (n: number) => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return (seed >>> 8) % n;
  };
  const flip = (w: string) => (rnd(4) === 0 ? w.toUpperCase() : rnd(4) === 0 ? w[0].toUpperCase() + w.slice(1) : w);

  it('give what the bare expressions give, on the examples, their parts and their mixtures', () => {
    const texts = [...examples];
    for (const e of examples) {
      const ws = e.split(' ');
      for (let i = 0; i < ws.length; i++) texts.push([...ws.slice(0, i), ...ws.slice(i + 1)].join(' '));
    }
    for (let i = 0; i < 20_000; i++) {
      const n = 2 + rnd(14);
      texts.push(Array.from({ length: n }, () => flip(words[rnd(words.length)])).join(rnd(3) ? ' ' : '\n'));
    }
    const hits = guarded.map(() => 0);
    for (const s of texts) {
      guarded.forEach((g, k) => {
        const want = g.re.exec(s)?.[0];
        assert.equal(g.exec(s)?.[0], want, `${g.re.source.slice(0, 40)} on ${JSON.stringify(s)}`);
        if (want !== undefined) hits[k]++;
      });
    }
    // Every pattern matched some of them: the comparison tried each one.
    hits.forEach((h, k) => assert.ok(h > 0, guarded[k].re.source));
  });
});

// prepare() skips blanking GitHub's template paragraphs when no template phrase is in the whole text
// (issue 19): a phrase split by a comment or over lines must still blank its paragraph.
describe('evaluatePolicy: template paragraphs blanked only when there is one', () => {
  it('blanks a template paragraph split by a comment or over lines, and keeps ordinary ones', () => {
    const channel = (t: string) => evaluatePolicy('SECURITY.md', t).items.find((i) => i.id === 'channel')!.present;
    assert.equal(channel('# Security\n\nUse this<!-- c -->section to tell people how to report a vulnerability: security@acme.io\n'), false);
    assert.equal(channel('# Security\n\nUse this section to tell\npeople how to report a vulnerability: security@acme.io\n'), false);
    assert.equal(channel('# Security\n\nUse this section to tell people how to report a vulnerability.\n\nWrite to security@acme.io\n'), true);
    assert.equal(channel('# Security\n\nPlease write to security@acme.io\n'), true);
    assert.equal(channel('| 5.1.x | :white_check_mark: |\n\nWrite to security@acme.io\n'), true);
  });
});

describe('placeholderLines: lines looked at only when the text holds a placeholder', () => {
  it('finds each kind on its line, the `$0` line in the middle too', () => {
    assert.deepEqual(placeholderLines('a\nuse ${2|x,y|} here\nb\n'), [2]);
    assert.deepEqual(placeholderLines('a\n  $0  \nb\n'), [2]);
    assert.deepEqual(placeholderLines('x ${1:name}\nok\n[To be filled in by the maintainers: x]\n'), [1, 3]);
    assert.deepEqual(placeholderLines('a $0 b\n[to be filled in by the maintainers\n]\n${1\n'), []);
  });

  it('finds the snippets\' example address and repository (their patterns once held backspace characters where \\b was meant, and never matched)', () => {
    assert.deepEqual(placeholderLines('write to security@example.org\nok\nsee https://github.com/owner/repo/security\n'), [1, 3]);
    assert.deepEqual(placeholderLines('Mail SECURITY@Example.COM.\n'), [1]);
    // Real addresses and repositories that only start the same way are not placeholders.
    assert.deepEqual(placeholderLines('security@example.organisation.io\nhttps://github.com/owner/repository\n'), []);
  });
});
