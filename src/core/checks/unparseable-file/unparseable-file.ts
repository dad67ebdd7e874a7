import type { CheckMeta } from '../../model';
import type { Check } from '../types';
import { finding } from '../helpers';
import { rootMap } from '../../yaml/parse';
import { rangeLocation } from '../../yaml/parse';

export const meta: CheckMeta = {
  id: 'unparseable-file',
  title: 'Files that cannot be read or parsed',
  category: 'workflows',
  severity: 'medium',
  confidence: 'high',
  fixable: false,
  docs: {
    summary: 'A workflow, action or configuration file could not be parsed, so nothing in it was checked.',
    whyItMatters:
      'GitHub refuses to run a workflow it cannot parse, and Steward cannot tell you whether a file it could not read is safe. A broken file is either dead code or a workflow that silently stopped running.',
    howToFix: 'Open the file at the reported line and correct the YAML (indentation, quoting, a duplicated key), or delete the file if it is no longer used.',
    effort: 'minutes',
    fixSafety: 'No automatic fix: only a person can tell what the file was meant to say.',
  },
  references: {},
};

export const check: Check = {
  meta,
  fileKinds: ['workflow', 'action', 'dependabot', 'security-insights'],
  checkFile(file) {
    const at = (line = 1, column = 1) => ({ file: file.path, start: { line, column }, end: { line, column } });
    if (file.problem && !file.problem.startsWith('is not valid UTF-8')) {
      return [finding(meta, { message: `Could not check ${file.path}: it ${file.problem}`, location: at() })];
    }
    const out = [];
    if (file.problem) {
      out.push(finding(meta, { message: `${file.path} ${file.problem}`, severity: 'low', location: at() }));
    }
    const y = file.yaml;
    if (!y) return out;
    if (y.errors.length) {
      const e = y.errors[0];
      const more = y.errors.length > 1 ? ` (and ${y.errors.length - 1} more problem${y.errors.length > 2 ? 's' : ''})` : '';
      out.push(finding(meta, { message: `Could not parse ${file.path}: ${e.message}${more}`, location: rangeLocation(y, e.offset, e.offset) }));
      return out;
    }
    if (y.docs.length > 1 && (file.kind === 'workflow' || file.kind === 'action')) {
      out.push(finding(meta, { message: `${file.path} holds ${y.docs.length} YAML documents; GitHub reads only a single document`, severity: 'low', location: at() }));
    }
    if ((file.kind === 'workflow' || file.kind === 'action') && !rootMap(y)) {
      const empty = file.text.trim() === '';
      out.push(
        finding(meta, {
          message: empty ? `${file.path} is empty` : `${file.path} is not a ${file.kind}: its top level is not a mapping of keys`,
          severity: 'low',
          location: at(),
        }),
      );
    }
    return out;
  },
};
