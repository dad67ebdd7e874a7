import * as assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { DiskSnapshot } from '../../src/core/repo/disk';
import { Engine } from '../../src/core/engine';
import { check } from '../../src/core/checks/security-policy-incomplete/security-policy-incomplete';
import { check as insightsMissing } from '../../src/core/checks/security-insights-missing/security-insights-missing';
import { evaluatePolicy, type RubricItemId } from '../../src/core/security-md/rubric';
import { corpusDir } from './corpus-dir';

const CORPUS = corpusDir('real');

// Read by a person, item by item (see the report in the commit): which rubric parts each real policy
// has. C = channel, P = process, R = response time, V = supported versions, T = not the template.
const CORPUS_TABLE: Record<string, { file: string; has: RubricItemId[]; why: string }> = {
  curl__curl: { file: 'SECURITY.md', has: ['channel', 'process', 'not-template'], why: 'links a disclosure page ("report it"); confidentiality until disclosed; no time frame; no versions' },
  libexpat__libexpat: { file: 'SECURITY.md', has: ['channel', 'process', 'response-time', 'not-template'], why: 'e-mail; "work with you to fix"; "at least 90 days"; no versions' },
  psf__requests: { file: '.github/SECURITY.md', has: ['channel', 'process', 'response-time', 'not-template'], why: 'draft advisory link; long process; "within two days"; no versions' },
  'pypa__gh-action-pypi-publish': { file: '.github/SECURITY.md', has: ['channel', 'process', 'supported-versions', 'not-template'], why: 'advisory link + spelled-out e-mail; "assess ... disclose"; only "timely manner"; "Supported Versions" section' },
  pypa__pip: { file: 'SECURITY.md', has: ['channel', 'process', 'not-template'], why: '"security at python dot org"; PSRT triage; no time frame; no versions' },
  sethmlarson__truststore: { file: '.github/SECURITY.md', has: ['channel', 'process', 'not-template'], why: 'PVR link; "coordinate the fix and disclosure"; nothing else' },
  urllib3__urllib3: { file: '.github/SECURITY.md', has: ['channel', 'process', 'response-time', 'supported-versions', 'not-template'], why: 'Tidelift contact; process section; "within a few business days"; supported versions section' },
};

describe('security-policy-incomplete (corpus)', () => {
  describe('the rubric on every corpus SECURITY.md (human-read table)', () => {
    for (const [repo, want] of Object.entries(CORPUS_TABLE)) {
      it(`${repo}: ${want.why}`, function () {
        const p = path.join(CORPUS, repo, want.file);
        const ev = evaluatePolicy(want.file, readFileSync(p, 'utf8'));
        assert.deepEqual(ev.items.filter((i) => i.present).map((i) => i.id).sort(), [...want.has].sort());
      });
    }
    it('covers every SECURITY.md in the corpus', function () {
      const found: string[] = [];
      for (const repo of readdirSync(CORPUS, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name)) {
        for (const dir of ['', '.github/', 'docs/']) {
          for (const f of existsSync(path.join(CORPUS, repo, dir)) ? readdirSync(path.join(CORPUS, repo, dir)) : []) {
            if (/^security(\.(md|markdown|rst|adoc|txt))?$/i.test(f)) found.push(`${repo}/${dir}${f}`);
          }
        }
      }
      assert.deepEqual(found.sort(), Object.entries(CORPUS_TABLE).map(([r, w]) => `${r}/${w.file}`).sort());
    });
  });
});

describe('security-policy-incomplete and security-insights-missing over the corpus (DiskSnapshot, TREE.txt listing)', () => {
  it('gives each real repository the status a person reading its files expects', async function () {
    const repos = readdirSync(CORPUS, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort();
    const got: Record<string, string> = {};
    for (const repo of repos) {
      const scan = await new Engine([check, insightsMissing]).scan(new DiskSnapshot(path.join(CORPUS, repo)));
      got[repo] = scan.results.map((r) => `${r.checkId}=${r.status}`).sort().join(' ');
    }
    const policy = (s: string) => `security-insights-missing=fail security-policy-incomplete=${s}`;
    assert.deepEqual(got, {
      Homebrew__brew: policy('not-applicable'),
      actions__checkout: policy('not-applicable'),
      curl__curl: policy('fail'),
      encode__starlette: policy('not-applicable'),
      fastapi__fastapi: policy('not-applicable'),
      libexpat__libexpat: policy('fail'),
      pallets__flask: policy('not-applicable'),
      psf__requests: policy('fail'),
      'pypa__gh-action-pypi-publish': policy('fail'),
      pypa__pip: policy('fail'),
      sethmlarson__truststore: policy('fail'),
      urllib3__urllib3: policy('pass'),
    });
  });
});
