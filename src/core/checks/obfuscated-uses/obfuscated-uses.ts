import type { CheckMeta, Finding, Fix } from '../../model';
import type { Check, SourceFile } from '../types';
import { distinctUsesSites, finding, type UsesSite } from '../helpers';
import { locationOf } from '../../yaml/parse';
import { parseUses } from '../../yaml/uses';

export const meta: CheckMeta = {
  id: 'obfuscated-uses',
  title: '`uses:` written the plain way',
  category: 'workflows',
  severity: 'low',
  confidence: 'high',
  fixable: true,
  docs: {
    summary:
      'A `uses:` value names its action with empty or `.` path segments — `actions//checkout@v4`, `actions/checkout/@v4`, `github/codeql-action/./init@v3`, `./.github//actions/build` — which GitHub resolves to the same action as the plain spelling.',
    whyItMatters:
      'Reviewers, allow-lists and tools that match actions by name read `actions//checkout` as something other than `actions/checkout`, so an odd spelling can slip an action past a policy or a reviewer\'s eye, and it is a known way to hide what a workflow runs. There is no legitimate reason to write it that way. (Steward itself reads the plain form for every other check.)',
    howToFix: 'Write the value the plain way: `owner/repo[/path]@ref`, or `./path` for actions in this repository.',
    effort: 'minutes',
    fixSafety: 'Safe: GitHub resolves both spellings to the same action at the same ref, so the workflow runs exactly what it ran before.',
  },
  references: { zizmor: 'obfuscation' },
};

function fixFor(file: SourceFile, site: UsesSite, plain: string): Fix | undefined {
  const r = site.node.range;
  if (!r || !/^[\w./@$+-]+$/.test(plain)) return undefined;
  const raw = file.text.slice(r[0], r[1]);
  const q = site.node.type === 'QUOTE_DOUBLE' ? '"' : site.node.type === 'QUOTE_SINGLE' ? "'" : site.node.type === 'PLAIN' ? '' : undefined;
  if (q === undefined || raw.includes('\n')) return undefined;
  return { title: `Write it as ${plain}`, safe: true, edits: [{ file: file.path, start: r[0], end: r[1], newText: `${q}${plain}${q}` }] };
}

export const check: Check = {
  meta,
  fileKinds: ['workflow', 'action'],
  notApplicableReason: 'No workflows or actions',
  checkFile(file) {
    const y = file.yaml;
    if (!y) return [];
    const out: Finding[] = [];
    for (const site of distinctUsesSites(file)) {
      const u = parseUses(site.value);
      if ((u.kind !== 'repo' && u.kind !== 'local') || !u.obfuscated) continue;
      const plain = u.kind === 'repo' ? u.canonical : u.path;
      const fix = fixFor(file, site, plain);
      out.push(
        finding(meta, {
          message: `\`${site.value.trim()}\` is written with ${u.obfuscated}; GitHub runs \`${plain}\`, and that is how it should read`,
          location: locationOf(y, site.node),
          fixes: fix ? [fix] : [],
        }),
      );
    }
    return out;
  },
};
