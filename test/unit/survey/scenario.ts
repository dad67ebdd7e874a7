import { DEPENDABOT, SECURITY_MD, STRONG_WORKFLOW, WEAK_WORKFLOW, type SurveyWorld } from './world';

// The project most survey tests use: npm, PyPI, crates.io, Go and Actions dependencies whose
// repositories are weak (someone/left-pad: a person's project failing Essentials), strong
// (psf/requests), archived (o/old), gone (o/vanished) and absent from the registry's metadata.

export function lockfile(extra = 0): string {
  const extras = Array.from({ length: extra }, (_, i) => `extra-${i}`);
  const packages: Record<string, unknown> = {
    '': { name: 'project', dependencies: Object.fromEntries(['left-pad', 'old', 'vanished', 'norepo', ...extras].map((n) => [n, '^1.0.0'])) },
    'node_modules/left-pad': { version: '1.3.0' },
    'node_modules/old': { version: '1.0.0', dependencies: { 'left-pad': '^1.3.0' } },
    'node_modules/vanished': { version: '1.0.0', dependencies: { 'left-pad': '^1.3.0' } },
    'node_modules/norepo': { version: '1.0.0' },
  };
  for (const e of extras) packages[`node_modules/${e}`] = { version: '1.0.0' };
  return JSON.stringify({ name: 'project', lockfileVersion: 3, packages });
}

export async function setUpScenario(w: SurveyWorld, extraRepos = 0): Promise<void> {
  await w.put('package-lock.json', lockfile(extraRepos));
  await w.put('requirements.txt', 'requests==2.31.0\n');
  await w.put('Cargo.lock', 'version = 3\n\n[[package]]\nname = "project"\nversion = "0.1.0"\ndependencies = ["serde"]\n\n[[package]]\nname = "serde"\nversion = "1.0.197"\nsource = "registry+https://github.com/rust-lang/crates.io-index"\n');
  await w.put('go.mod', 'module example.com/project\n\ngo 1.22\n\nrequire golang.org/x/sys v0.18.0\n');
  await w.put('.github/workflows/ci.yml', 'on: push\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n');
  w.registry.addNpm('left-pad', { '1.3.0': { repository: { type: 'git', url: 'git+https://github.com/someone/left-pad.git' } } });
  w.registry.addNpm('old', { '1.0.0': { repository: 'github:o/old' } });
  w.registry.addNpm('vanished', { '1.0.0': { repository: 'https://github.com/o/vanished' } });
  w.registry.addNpm('norepo', { '1.0.0': {} });
  w.registry.pypi.set('requests', { version: '2.31.0', project_urls: { Source: 'https://github.com/psf/requests' } });
  w.registry.crates.set('serde', { repository: 'https://github.com/serde-rs/serde' });
  const strong = { '.github/workflows/ci.yml': STRONG_WORKFLOW, 'SECURITY.md': SECURITY_MD, '.github/dependabot.yml': DEPENDABOT, 'package.json': '{"name":"x"}', LICENSE: 'MIT License\n' };
  w.addRepo({ owner: 'someone', name: 'left-pad', ownerType: 'User', files: { '.github/workflows/ci.yml': WEAK_WORKFLOW, 'package.json': '{"name":"left-pad"}', 'index.js': 'module.exports = 1;\n' }, release: { tag: 'v1.3.0', publishedAt: '2018-04-09T00:00:00Z' } });
  w.addRepo({ owner: 'o', name: 'old', ownerType: 'Organization', archived: true, files: { 'README.md': 'old\n' } });
  w.addRepo({ owner: 'psf', name: 'requests', ownerType: 'Organization', files: strong, release: { tag: 'v2.31.0', publishedAt: new Date(Date.now() - 30 * 86400e3).toISOString() } });
  w.addRepo({ owner: 'serde-rs', name: 'serde', ownerType: 'Organization', files: { ...strong, '.github/workflows/ci.yml': WEAK_WORKFLOW }, release: null });
  w.addRepo({ owner: 'golang', name: 'sys', ownerType: 'Organization', files: strong, release: null });
  w.addRepo({ owner: 'actions', name: 'checkout', ownerType: 'Organization', files: strong, release: { tag: 'v4.2.2', publishedAt: new Date().toISOString() } });
  for (let i = 0; i < extraRepos; i++) {
    w.registry.addNpm(`extra-${i}`, { '1.0.0': { repository: `github:extra/r${i}` } });
    w.addRepo({ owner: 'extra', name: `r${i}`, ownerType: i % 2 ? 'User' : 'Organization', files: i % 3 ? { '.github/workflows/ci.yml': WEAK_WORKFLOW } : strong, release: null });
  }
}
