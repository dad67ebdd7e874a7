import type { Scalar } from 'yaml';
import type { CheckMeta, Finding } from '../../model';
import type { Check } from '../types';
import { finding } from '../helpers';
import { getPair, isScalar, locationOf, nodeRange, scalarString } from '../../yaml/parse';
import { readDependabot } from '../../dependabot/config';

export const meta: CheckMeta = {
  id: 'unsafe-dependabot-execution',
  title: 'Dependabot does not run code from dependency files',
  category: 'dependencies',
  severity: 'high',
  confidence: 'high',
  fixable: true,
  docs: {
    summary: 'A Dependabot `updates` entry sets `insecure-external-code-execution: allow`.',
    whyItMatters:
      'Some dependency files are small programs (setup.py, Gemfile, mix.exs). With this option Dependabot runs them while it works out an update, with access to the private registry passwords configured for that entry. A compromised dependency or a malicious change to the file can then steal those passwords.',
    howToFix: 'Set `insecure-external-code-execution: deny` (or remove the line: denying is the default). If updates then fail, replace the parts of the dependency file that compute values with plain, fixed values.',
    effort: 'minutes',
    fixSafety: 'Safe for security; some Bundler, pip or Hex updates that need to run the dependency file may then fail until the dependency file is simplified.',
  },
  references: {
    zizmor: 'dependabot-execution',
    other: [{ title: 'insecure-external-code-execution', url: 'https://docs.github.com/code-security/dependabot/working-with-dependabot/dependabot-options-reference#insecure-external-code-execution--' }],
  },
};

export const check: Check = {
  meta,
  fileKinds: ['dependabot'],
  notApplicableReason: 'No Dependabot configuration',
  checkFile(file) {
    const cfg = file.yaml && readDependabot(file.yaml);
    if (!cfg) return [];
    const out: Finding[] = [];
    for (const e of cfg.entries) {
      const pair = getPair(e.node, 'insecure-external-code-execution');
      if (!pair || !isScalar(pair.value) || scalarString(pair.value)?.toLowerCase() !== 'allow') continue;
      const node = pair.value as Scalar;
      const r = nodeRange(node)!;
      const newText = node.type === 'QUOTE_DOUBLE' ? '"deny"' : node.type === 'QUOTE_SINGLE' ? "'deny'" : 'deny';
      out.push(
        finding(meta, {
          message: `Dependabot entry ${e.ecosystem ?? ''}${e.directories.length ? ` (${e.directories.join(', ')})` : ''} allows executing code from manifests during updates, with access to its registry credentials`,
          location: locationOf(file.yaml!, node),
          fixes: [
            {
              title: 'Set insecure-external-code-execution to deny',
              safe: true,
              edits: [{ file: file.path, start: r[0], end: r[1], newText }],
              caveat: 'Updates that need to run the manifest may fail afterwards.',
            },
          ],
        }),
      );
    }
    return out;
  },
};
