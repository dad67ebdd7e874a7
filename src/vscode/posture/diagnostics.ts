import * as vscode from 'vscode';
import type { Finding, Location, Severity } from '../../core/model';
import { rulesDocUrl } from '../../core/report/docs';
import { plainText } from '../../core/report/text';
import { rowsOf } from './model';
import type { PostureService } from './posture';

// Findings with a location become diagnostics in the Problems panel, one collection for the extension,
// rebuilt from the latest scans whenever they change.

export function toSeverity(s: Severity): vscode.DiagnosticSeverity {
  if (s === 'critical' || s === 'high') return vscode.DiagnosticSeverity.Error;
  if (s === 'medium') return vscode.DiagnosticSeverity.Warning;
  return vscode.DiagnosticSeverity.Information;
}

/** 1-based, end-exclusive Location -> 0-based Range. */
export function toRange(l: Location): vscode.Range {
  return new vscode.Range(l.start.line - 1, Math.max(0, l.start.column - 1), l.end.line - 1, Math.max(0, l.end.column - 1));
}

export function toDiagnostic(f: Finding, uriOf: (file: string) => vscode.Uri): vscode.Diagnostic {
  const d = new vscode.Diagnostic(toRange(f.location!), plainText(f.message), toSeverity(f.severity));
  d.source = 'Steward';
  d.code = { value: f.ruleId, target: vscode.Uri.parse(rulesDocUrl(f.ruleId)) };
  if (f.related?.length) d.relatedInformation = f.related.map((r) => new vscode.DiagnosticRelatedInformation(new vscode.Location(uriOf(r.file), toRange(r)), plainText(r.message)));
  return d;
}

export class DiagnosticsPublisher implements vscode.Disposable {
  readonly collection = vscode.languages.createDiagnosticCollection('steward');
  private readonly sub: vscode.Disposable;

  constructor(private readonly posture: PostureService) {
    this.sub = posture.onDidChange(() => this.publish());
  }

  publish(): void {
    const byUri = new Map<string, { uri: vscode.Uri; diags: vscode.Diagnostic[] }>();
    for (const state of this.posture.folders()) {
      if (!state.scan) continue;
      for (const row of rowsOf(state.scan, this.posture.settings.minimumSeverity)) {
        for (const f of row.findings) {
          if (!f.location) continue;
          const uri = state.snapshot.uriOf(f.location.file);
          const e = byUri.get(uri.toString()) ?? { uri, diags: [] };
          e.diags.push(toDiagnostic(f, (p) => state.snapshot.uriOf(p)));
          byUri.set(uri.toString(), e);
        }
      }
    }
    this.collection.clear();
    for (const { uri, diags } of byUri.values()) this.collection.set(uri, diags);
  }

  dispose(): void {
    this.sub.dispose();
    this.collection.dispose();
  }
}
