// Regenerates the README's table of checks and docs/rules/<id>.md from the checks' meta (the one
// source of rule documentation). `npm run docs`; test/unit/docs.test.ts fails when they are stale.
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { CHECKS } from '../src/core/checks';
import { checksTable, docsMarkdown, replaceTable } from '../src/core/report/docs';

export const ROOT = path.resolve(__dirname, '..');

export function expectedReadme(current: string): string {
  return replaceTable(current, checksTable(CHECKS.map((c) => c.meta)));
}

export function expectedRuleDocs(): Map<string, string> {
  const out = new Map<string, string>();
  for (const { meta } of CHECKS) {
    out.set(`${meta.id}.md`, `<!-- generated from the check's meta by \`npm run docs\`; do not edit -->\n# ${meta.title}\n\n${docsMarkdown(meta, { heading: false })}\n`);
  }
  return out;
}

if (require.main === module) {
  const readmePath = path.join(ROOT, 'README.md');
  writeFileSync(readmePath, expectedReadme(readFileSync(readmePath, 'utf8')));
  const dir = path.join(ROOT, 'docs', 'rules');
  mkdirSync(dir, { recursive: true });
  const want = expectedRuleDocs();
  for (const f of readdirSync(dir)) if (!want.has(f)) rmSync(path.join(dir, f));
  for (const [f, text] of want) writeFileSync(path.join(dir, f), text);
  console.log(`README table and ${want.size} rule pages written`);
}
