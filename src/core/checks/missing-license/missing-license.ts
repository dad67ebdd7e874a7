import type { CheckMeta } from '../../model';
import type { Check } from '../types';
import { finding, pathKinds } from '../helpers';

export const meta: CheckMeta = {
  id: 'missing-license',
  title: 'Licence file at the repository root',
  category: 'reporting',
  severity: 'medium',
  confidence: 'high',
  fixable: false,
  docs: {
    summary: 'There is no licence file at the root of the repository (LICENSE, LICENCE, COPYING or UNLICENSE, with or without an extension, or a LICENSES/ folder), or it is empty.',
    whyItMatters:
      'Without a licence, nobody else may legally use, change or share the code, whatever the README says. Companies\' legal reviews stop at a missing licence, packagers cannot ship it, and security researchers and contributors cannot safely work on it. GitHub and package registries read the licence from this file.',
    howToFix:
      'Choose a licence with the project\'s owners (https://choosealicense.com helps) and commit its full text as LICENSE at the root. For several licences, use a LICENSES/ folder as the REUSE specification describes.',
    effort: 'needs a maintainer',
    fixSafety: 'No automatic fix: choosing a licence is a legal decision only the copyright holders can make.',
  },
  references: { scorecard: 'License', osps: ['OSPS-LE-03.01'] },
};

/** REUSE-style licence folders hold one file per licence. */
const LICENSE_DIR = /^licen[cs]es\/[^/]+$/i;

export const check: Check = {
  meta,
  async checkRepo(ctx) {
    const files = ctx.byKind('license');
    const kinds = pathKinds(ctx.paths);
    const licensePaths = ctx.paths.filter((_, i) => kinds[i] === 'license');
    // The first letter first (l or L: /i matches no other character to an ASCII letter without the u flag).
    const dirFiles = ctx.paths.filter((p) => (p.charCodeAt(0) | 0x20) === 0x6c && LICENSE_DIR.test(p));
    if (licensePaths.length === 0 && dirFiles.length === 0) {
      return {
        status: 'fail',
        reason: 'No LICENSE, LICENCE, COPYING or UNLICENSE file at the root and no LICENSES/ folder',
        findings: [finding(meta, { message: 'No licence file at the repository root: others may not legally use or change this code' })],
      };
    }
    // Content may be absent (path-only listings): then presence is all that can be judged.
    const nonEmpty = files.find((f) => f.text.trim().length > 0 || f.problem);
    if (nonEmpty) return { status: 'pass', reason: `Found ${nonEmpty.path}`, findings: [] };
    if (dirFiles.length) return { status: 'pass', reason: `Found ${dirFiles.length === 1 ? dirFiles[0] : `${dirFiles.length} files in ${dirFiles[0].split('/')[0]}/`}`, findings: [] };
    const unread = licensePaths.find((p) => !ctx.files.has(p));
    if (unread) return { status: 'pass', reason: `Found ${unread}`, findings: [] };
    const f = files[0];
    return {
      status: 'fail',
      reason: `${f.path} is empty`,
      findings: [finding(meta, { message: `${f.path} is empty: it grants nothing`, location: { file: f.path, start: { line: 1, column: 1 }, end: { line: 1, column: 1 } } })],
    };
  },
};
