import type { CheckMeta, Finding } from '../../model';
import type { Check } from '../types';
import { finding, jobLabel, type FindingInit } from '../helpers';
import { deref, isScalar, locationOf, rangeLocation, scalarString } from '../../yaml/parse';
import { scalarExpressions } from '../../workflow/scalar-expressions';
import { expressionScalarsNear } from '../../workflow/scalars';

export const meta: CheckMeta = {
  id: 'secrets-exposure',
  title: 'Secrets passed only where needed',
  category: 'workflows',
  severity: 'medium',
  confidence: 'high',
  fixable: false,
  docs: {
    summary:
      'A workflow hands out more secrets than a job needs, or in a form GitHub cannot hide in logs: `secrets: inherit` on a reusable-workflow call, the whole secrets context (`toJSON(secrets)`, `secrets[…]` with a computed name), or a secret holding JSON that is taken apart with `fromJSON(secrets.X)`.',
    whyItMatters:
      'Each secret a step can reach is a secret it can leak. `secrets: inherit` gives the called workflow every secret of the repository and organisation, and `toJSON(secrets)` puts all of them in one value. GitHub masks a secret in logs only when it appears exactly as stored: the fields of a JSON secret, once pulled out with `fromJSON`, are new strings that are printed in clear text.',
    howToFix:
      'Pass each secret the called workflow needs by name (`secrets: { NPM_TOKEN: ${{ secrets.NPM_TOKEN }} }`), refer to single secrets (`secrets.NAME`) instead of the whole context, and store each part of a structured credential as its own secret.',
    effort: 'minutes',
    fixSafety: 'No automatic fix: which secrets a job needs is a maintainer decision. Each change is small; if a needed secret was left out, it arrives as an empty string and the step that uses it usually fails on the next run.',
  },
  references: {
    zizmor: ['secrets-inherit', 'overprovisioned-secrets', 'unredacted-secrets'],
    other: [{ title: 'GitHub: Using secrets in GitHub Actions', url: 'https://docs.github.com/en/actions/security-for-github-actions/security-guides/using-secrets-in-github-actions' }],
  },
};

/** A finding tagged with the zizmor audit it corresponds to, so a project's zizmor triage applies per kind. */
function audit(zizmorAudit: 'secrets-inherit' | 'overprovisioned-secrets' | 'unredacted-secrets', init: FindingInit): Finding {
  return { ...finding(meta, init), zizmorAudit };
}

const SECRETS_WORD = /secrets/i;
const SECRETS_WORDS = /secrets/gi;

export const check: Check = {
  meta,
  fileKinds: ['workflow', 'action'],
  notApplicableReason: 'No workflows or actions',
  checkFile(file) {
    const y = file.yaml;
    if (!y) return [];
    const out: Finding[] = [];
    for (const job of file.workflow?.jobs ?? []) {
      if (!job.uses || !job.secrets) continue;
      const v = deref(job.secrets.value, y);
      if (isScalar(v) && scalarString(v)?.trim() === 'inherit') {
        // A workflow of this same repository is reviewed by the same people: less exposure than another repository's.
        const local = job.uses.value.startsWith('./');
        out.push(
          audit('secrets-inherit', {
            message: `Job ${jobLabel(job)} passes every repository and organisation secret to ${local ? 'this repository\'s workflow ' : ''}${job.uses.value.split('@')[0]} with \`secrets: inherit\`; pass only the ones it uses, by name`,
            severity: local ? 'low' : 'medium',
            location: locationOf(y, v),
          }),
        );
      }
    }
    // Every finding below names the secrets context, so a file whose text never says `secrets` (in any
    // case) has none, unless a double-quoted escape spells it (`\x73ecrets`, an escaped line break):
    // such files skip the walk over every node and the expression parses (issue 19: this loop was
    // 0.3 ms of each re-check of a 500-line workflow with no secrets in it, 1 ms under the profiler).
    if (!file.text.includes('\\') && !SECRETS_WORD.test(file.text)) return out;
    for (const node of expressionScalarsNear(y, SECRETS_WORDS)) {
      // Each finding is a reference whose first identifier is `secrets` (any case), taken from the
      // decoded value: a scalar whose value never says it has none (most expression scalars).
      if (!SECRETS_WORD.test(node.value as string)) continue;
      for (const ex of scalarExpressions(y, node)) {
        const at = ex.raw ? rangeLocation(y, ex.raw.start, ex.raw.end) : locationOf(y, node);
        const shown = `\`\${{ ${ex.expr} }}\``;
        for (const ref of ex.refs) {
          if (ref.path === 'secrets' || ref.path === 'secrets.*') {
            const how = ref.path === 'secrets' ? (ref.inCall === 'tojson' ? 'serialises every secret into one value' : 'uses the whole secrets context') : 'picks a secret by a computed name, so every secret is reachable';
            out.push(audit('overprovisioned-secrets', { message: `${shown} ${how}; refer to the single secrets needed (\`secrets.NAME\`) instead`, severity: 'medium', location: at }));
          } else if (ref.path.startsWith('secrets.') && ref.inCall === 'fromjson') {
            out.push(
              audit('unredacted-secrets', {
                message: `${shown} takes a JSON secret apart: GitHub masks the stored secret in logs but not the values pulled out of it, so they can be printed in clear; store each part as its own secret`,
                severity: 'medium',
                location: at,
              }),
            );
          }
        }
      }
    }
    return out;
  },
};
