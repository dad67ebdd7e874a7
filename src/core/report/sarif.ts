import type * as Sarif from 'sarif';
import type { CheckMeta, Finding, Severity } from '../model';
import type { RepoScan } from '../engine';
import { docsMarkdown, rulesDocUrl, referenceList } from './docs';

// SARIF 2.1.0, as GitHub code scanning and other viewers read it: one rule per check, help from meta,
// 1-based regions, security-severity for GitHub's severity column, and fixes as replacements.

const LEVEL: Record<Severity, Sarif.Result.level> = { critical: 'error', high: 'error', medium: 'warning', low: 'note', info: 'note' };
const SECURITY_SEVERITY: Record<Severity, string> = { critical: '9.5', high: '8.0', medium: '5.5', low: '3.0', info: '1.0' };
const PRECISION = { high: 'high', medium: 'medium', low: 'low' } as const;

function rule(meta: CheckMeta): Sarif.ReportingDescriptor {
  return {
    id: meta.id,
    name: meta.title,
    shortDescription: { text: meta.title },
    fullDescription: { text: meta.docs.summary },
    help: { text: `${meta.docs.whyItMatters}\n\nHow to fix: ${meta.docs.howToFix}`, markdown: docsMarkdown(meta, { heading: false }) },
    helpUri: rulesDocUrl(meta.id),
    defaultConfiguration: { level: LEVEL[meta.severity] },
    properties: {
      tags: ['security', meta.category],
      precision: PRECISION[meta.confidence],
      'security-severity': SECURITY_SEVERITY[meta.severity],
      references: referenceList(meta),
    },
  };
}

function fixesOf(f: Finding, scan: RepoScan): Sarif.Fix[] {
  const out: Sarif.Fix[] = [];
  for (const fix of f.fixes) {
    if (!fix.edits.length || fix.edits.some((e) => e.create)) continue;
    const byFile = new Map<string, Sarif.Replacement[]>();
    let ok = true;
    for (const e of fix.edits) {
      const sf = scan.files.get(e.file);
      if (!sf) {
        ok = false;
        break;
      }
      const a = sf.lines.position(e.start);
      const b = sf.lines.position(e.end);
      const list = byFile.get(e.file) ?? [];
      list.push({ deletedRegion: { startLine: a.line, startColumn: a.column, endLine: b.line, endColumn: b.column }, insertedContent: { text: e.newText } });
      byFile.set(e.file, list);
    }
    if (!ok) continue;
    out.push({
      description: { text: fix.title },
      artifactChanges: [...byFile].map(([file, replacements]) => ({ artifactLocation: { uri: artifactUri(file), uriBaseId: '%SRCROOT%' }, replacements })),
    });
  }
  return out;
}

/**
 * A repository path as a SARIF artifact URI (a relative URI reference): file names are the repository's
 * and may hold spaces, `#`, `%` or `<>`, which must be percent-encoded segment by segment.
 */
export function artifactUri(path: string): string {
  return path.split('/').map(encodeURIComponent).join('/');
}

export function sarifReport(scans: RepoScan[], metas: readonly CheckMeta[], version: string): Sarif.Log {
  const rules = metas.map(rule);
  const index = new Map(metas.map((m, i) => [m.id, i]));
  const runs: Sarif.Run[] = scans.map((scan) => ({
    tool: { driver: { name: 'Steward', version, semanticVersion: version, informationUri: 'https://github.com/steward-oss/steward', rules } },
    automationDetails: { id: `steward/${scan.name}/` },
    // What the scan could not see (walk cap, unreadable folders) as tool notifications, so a code
    // scanning upload does not read a partial scan as a clean one.
    ...(scan.notes?.length
      ? {
          invocations: [
            {
              executionSuccessful: true,
              toolExecutionNotifications: scan.notes.map((n) => ({ level: 'warning' as const, message: { text: n.message }, descriptor: { id: n.code } })),
            },
          ],
        }
      : {}),
    originalUriBaseIds: scan.root ? { '%SRCROOT%': { uri: 'file://' + encodeURI(scan.root.replace(/\\/g, '/').replace(/\/?$/, '/')) } } : undefined,
    results: scan.findings.map((f): Sarif.Result => {
      const l = f.location;
      const result: Sarif.Result = {
        ruleId: f.ruleId,
        ruleIndex: index.get(f.ruleId),
        level: LEVEL[f.severity],
        message: { text: f.message + (f.details?.length ? ` (${f.details.join('; ')})` : '') },
        properties: { severity: f.severity, confidence: f.confidence },
      };
      if (l) {
        result.locations = [
          {
            physicalLocation: {
              artifactLocation: { uri: artifactUri(l.file), uriBaseId: '%SRCROOT%' },
              region: { startLine: l.start.line, startColumn: l.start.column, endLine: l.end.line, endColumn: Math.max(l.end.column, l.end.line === l.start.line ? l.start.column : 1) },
            },
          },
        ];
      }
      if (f.related?.length) {
        result.relatedLocations = f.related.map((r, i) => ({
          id: i,
          message: { text: r.message },
          physicalLocation: { artifactLocation: { uri: artifactUri(r.file), uriBaseId: '%SRCROOT%' }, region: { startLine: r.start.line, startColumn: r.start.column, endLine: r.end.line, endColumn: r.end.column } },
        }));
      }
      if (f.suppressed) result.suppressions = [{ kind: 'inSource', justification: `suppressed by ${f.suppressed.by}${f.suppressed.where ? ` at ${f.suppressed.where}` : ''}` }];
      const fixes = fixesOf(f, scan);
      if (fixes.length) result.fixes = fixes;
      return result;
    }),
  }));
  return { version: '2.1.0', $schema: 'https://json.schemastore.org/sarif-2.1.0.json', runs };
}
