import * as assert from 'node:assert/strict';
import { applyEdits } from '../fix/apply';
import { parseYaml } from '../yaml/parse';
import { readDependabot } from './config';
import { addEntriesEdits, cooldownEdits, groupName, specsFromDetected } from './generate';

const opts = { cooldownDays: 7 };
const spec = [{ ecosystem: 'npm', directories: ['/'] }];

function splice(text: string): string | undefined {
  const cfg = readDependabot(parseYaml('.github/dependabot.yml', text))!;
  const edits = addEntriesEdits(cfg, spec, opts);
  return edits && applyEdits(text, edits);
}

describe('dependabot generator', () => {
  it('adds entries below an empty updates key and appends updates when it is missing', () => {
    assert.equal(
      splice('version: 2\nupdates:\n'),
      'version: 2\nupdates:\n  - package-ecosystem: "npm"\n    directory: "/"\n    schedule:\n      interval: "weekly"\n    cooldown:\n      default-days: 7\n',
    );
    assert.equal(splice('version: 2')?.startsWith('version: 2\nupdates:\n  - package-ecosystem: "npm"\n'), true);
  });

  it('offers nothing for a flow-style updates list', () => {
    assert.equal(splice('version: 2\nupdates: [{package-ecosystem: npm, directory: /, schedule: {interval: weekly}}]\n'), undefined);
  });

  it('fills an empty cooldown', () => {
    const text = 'version: 2\nupdates:\n  - package-ecosystem: npm\n    directory: /\n    cooldown:\n    schedule: {interval: weekly}\n';
    const cfg = readDependabot(parseYaml('.github/dependabot.yml', text))!;
    const out = applyEdits(text, cooldownEdits(cfg, cfg.entries[0], 9)!);
    assert.equal(out, 'version: 2\nupdates:\n  - package-ecosystem: npm\n    directory: /\n    cooldown:\n      default-days: 9\n    schedule: {interval: weekly}\n');
  });

  it('groups detections per ecosystem with github-actions first and the root first', () => {
    assert.deepEqual(
      specsFromDetected([
        { ecosystem: 'pip', directory: '/b', evidence: [] },
        { ecosystem: 'pip', directory: '/', evidence: [] },
        { ecosystem: 'github-actions', directory: '/', evidence: [] },
      ]),
      [
        { ecosystem: 'github-actions', directories: ['/'] },
        { ecosystem: 'pip', directories: ['/', '/b'] },
      ],
    );
    assert.equal(groupName('rust-toolchain'), 'rust-toolchain-minor-and-patch');
  });
});
