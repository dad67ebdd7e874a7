import type { Pair, YAMLMap } from 'yaml';
import type { CheckMeta, Finding } from '../../model';
import type { Check } from '../types';
import { finding } from '../helpers';
import { deref, isMap, isScalar, keyLocation, keyString, pairs, rangeLocation, scalarString } from '../../yaml/parse';
import { removeMapEntry } from '../../workflow/edit';

export const meta: CheckMeta = {
  id: 'insecure-commands',
  title: 'Deprecated workflow commands stay disabled',
  category: 'workflows',
  severity: 'high',
  confidence: 'high',
  fixable: true,
  docs: {
    summary:
      'A workflow or action sets `ACTIONS_ALLOW_UNSECURE_COMMANDS`, which turns back on the old `::set-env::` and `::add-path::` workflow commands that GitHub disabled in 2020.',
    whyItMatters:
      'With those commands enabled, anything a step prints to its log can change the environment of later steps — and logs routinely contain text other people wrote (issue titles, test names, file names from a pull request). Printing `::set-env name=NODE_OPTIONS::--require /tmp/evil.js` is then enough to run code in every later step. GitHub disabled them for this reason.',
    howToFix:
      'Remove the `ACTIONS_ALLOW_UNSECURE_COMMANDS` variable. If a step still prints `::set-env` or `::add-path`, change it to append to the files GitHub provides: `echo "NAME=value" >> "$GITHUB_ENV"` and `echo "/some/dir" >> "$GITHUB_PATH"`, or update the action that does it.',
    effort: 'minutes',
    fixSafety:
      'Safe for the workflow\'s security; review that no step still relies on `::set-env`/`::add-path` (an old action version): such a step would stop setting its variable and the job may fail, which shows in the next run.',
  },
  references: {
    zizmor: 'insecure-commands',
    other: [{ title: 'GitHub changelog: deprecating set-env and add-path commands', url: 'https://github.blog/changelog/2020-10-01-github-actions-deprecating-set-env-and-add-path-commands/' }],
  },
};

const NAME = 'ACTIONS_ALLOW_UNSECURE_COMMANDS';
const MAYBE_NAME = /ecure_command/i;
/** Not global: exec keeps no state between run steps. */
const SETS_NAME = new RegExp(`${NAME}=(?!["']?(false|0)\\b)`, 'i');
const FALSY = new Set(['', 'false', '0', 'no', 'off']);

interface EnvSite {
  owner: Pair;
  where: () => string;
}

export const check: Check = {
  meta,
  fileKinds: ['workflow', 'action'],
  notApplicableReason: 'No workflows or actions',
  checkFile(file) {
    const y = file.yaml;
    if (!y) return [];
    // `where` is worded only for a site that sets the variable (most steps with env set others).
    const sites: EnvSite[] = [];
    const envPairOf = (map: unknown): Pair | undefined => (isMap(map) ? (map.items as Pair[]).find((p) => keyString(p) === 'env') : undefined);
    const wf = file.workflow;
    if (wf) {
      const top = envPairOf(wf.root);
      if (top) sites.push({ owner: top, where: () => 'for the whole workflow' });
      for (const job of wf.jobs) {
        const jp = envPairOf(job.node);
        if (jp) sites.push({ owner: jp, where: () => `for job ${job.id}` });
        for (const s of job.steps) if (s.envPair) sites.push({ owner: s.envPair, where: () => `for step ${s.name ?? s.id ?? s.index + 1} of job ${job.id}` });
      }
    }
    for (const s of file.action?.steps ?? []) if (s.envPair) sites.push({ owner: s.envPair, where: () => `for step ${s.name ?? s.id ?? s.index + 1}` });
    const out: Finding[] = [];
    const seen = new Set<unknown>();
    for (const site of sites) {
      if (seen.has(site.owner)) continue; // an anchored step listed twice
      seen.add(site.owner);
      const map = deref(site.owner.value, y);
      if (!isMap(map)) continue;
      for (const p of pairs(map as YAMLMap)) {
        if (keyString(p)?.toUpperCase() !== NAME) continue;
        const v = deref(p.value, y);
        const s = isScalar(v) ? (scalarString(v) ?? '').trim() : '';
        if (FALSY.has(s.toLowerCase())) continue;
        const dynamic = s.includes('${{');
        const edits = site.owner.value === map ? removeMapEntry(y, site.owner, map as YAMLMap, p) : undefined; // never edit through an alias
        out.push(
          finding(meta, {
            message: `\`${NAME}\` is ${dynamic ? 'set from an expression' : `set to \`${s}\``} ${site.where()}: it re-enables \`::set-env\` and \`::add-path\`, so any text a step prints can change later steps' environment`,
            confidence: dynamic ? 'medium' : 'high',
            location: keyLocation(y, p),
            fixes: edits ? [{ title: `Remove ${NAME}`, safe: true, edits }] : [],
          }),
        );
      }
    }
    // Setting it at run time through $GITHUB_ENV has the same effect for later steps.
    // A run step's finding is a case-insensitive match of the name in the file's own text: a file
    // without `ecure_command` in any case has none (most files skip the loop over run steps).
    if (!MAYBE_NAME.test(y.text)) return out;
    const runs = [...(wf?.jobs.flatMap((j) => j.steps) ?? []), ...(file.action?.steps ?? [])];
    for (const st of runs) {
      if (!st.run || seen.has(st.run.node)) continue;
      seen.add(st.run.node);
      const r = st.run.node.range;
      if (!r) continue;
      const raw = y.text.slice(r[0], r[1]);
      const m = SETS_NAME.exec(raw);
      if (m && /GITHUB_ENV/.test(raw)) {
        out.push(finding(meta, { message: `A step writes \`${NAME}\` to $GITHUB_ENV: later steps get \`::set-env\` and \`::add-path\` back`, location: rangeLocation(y, r[0] + m.index, r[0] + m.index + NAME.length) }));
      }
    }
    return out;
  },
};
