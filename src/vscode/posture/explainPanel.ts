import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { explainHtml } from './explainHtml';
import { applyFix, RESTRICTED_REASON } from '../fixes/fixes';
import type { PostureService } from './posture';
import { refOf, resolveRef, type Target, type TargetRef } from '../shared/targets';

// One Explain panel, reused: it shows a check (and optionally one finding) and follows re-scans, so
// after "Apply fix" it shows the new state. Messages from the page are a small fixed vocabulary.

export const PREPARE_COMMAND = 'steward.prepareContribution';

export class ExplainPanel implements vscode.Disposable {
  private panel?: vscode.WebviewPanel;
  private ref?: TargetRef;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly extensionUri: vscode.Uri, private readonly posture: PostureService) {
    this.disposables.push(posture.onDidChange(() => void this.render()));
  }

  get webview(): vscode.WebviewPanel | undefined {
    return this.panel;
  }

  get html(): string | undefined {
    return this.panel?.webview.html;
  }

  async show(target: Target): Promise<void> {
    this.ref = refOf(target);
    if (!this.panel) {
      const media = vscode.Uri.joinPath(this.extensionUri, 'media');
      this.panel = vscode.window.createWebviewPanel('steward.explain', 'Steward: Explain', { viewColumn: vscode.ViewColumn.Beside, preserveFocus: false }, {
        enableScripts: true,
        localResourceRoots: [media],
      });
      this.panel.iconPath = vscode.Uri.joinPath(media, 'steward.svg');
      this.panel.onDidDispose(() => (this.panel = undefined), undefined, this.disposables);
      this.panel.webview.onDidReceiveMessage((m) => void this.onMessage(m), undefined, this.disposables);
    } else this.panel.reveal(undefined, false);
    await this.render();
  }

  private async render(): Promise<void> {
    if (!this.panel || !this.ref) return;
    const target = resolveRef(this.posture, this.ref) ?? resolveRef(this.posture, { ...this.ref, finding: undefined });
    if (!target?.state.scan) return;
    const canPrepare = (await vscode.commands.getCommands(true)).includes(PREPARE_COMMAND);
    // The panel may have been closed while the commands were listed (a re-scan renders in the background).
    const panel = this.panel;
    if (!panel) return;
    const webview = panel.webview;
    const media = vscode.Uri.joinPath(this.extensionUri, 'media');
    panel.title = `Explain: ${target.row.meta.title}`;
    webview.html = explainHtml(
      { row: target.row, finding: target.finding, scan: target.state.scan, canFix: vscode.workspace.isTrusted, canPrepare: canPrepare && vscode.workspace.isTrusted, restrictedReason: vscode.workspace.isTrusted ? undefined : RESTRICTED_REASON },
      {
        nonce: randomBytes(16).toString('base64'),
        cspSource: webview.cspSource,
        styleUri: webview.asWebviewUri(vscode.Uri.joinPath(media, 'explain.css')).toString(),
        scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(media, 'explain.js')).toString(),
      },
    );
  }

  private async onMessage(m: unknown): Promise<void> {
    if (!this.ref || typeof m !== 'object' || m === null) return;
    const msg = m as { type?: unknown; finding?: unknown; fix?: unknown };
    if (msg.type === 'list') {
      const list = resolveRef(this.posture, { ...this.ref, finding: undefined });
      if (list) await this.show(list);
      return;
    }
    const index = typeof msg.finding === 'number' && Number.isInteger(msg.finding) ? msg.finding : undefined;
    const target = resolveRef(this.posture, { ...this.ref, finding: index ?? this.ref.finding });
    if (!target) return;
    switch (msg.type) {
      case 'apply': {
        const fix = target.finding && typeof msg.fix === 'number' ? target.finding.fixes[msg.fix] : undefined;
        if (fix) await applyFix(this.posture, target.state, fix);
        return;
      }
      case 'open':
        if (target.finding?.location) await vscode.commands.executeCommand('steward.goToLocation', target.state.snapshot.uriOf(target.finding.location.file), target.finding.location);
        return;
      case 'explain':
        await this.show(target);
        return;
      case 'prepare':
        await vscode.commands.executeCommand(PREPARE_COMMAND, { folder: target.state.folder.uri, checkId: target.row.meta.id });
        return;
    }
  }

  dispose(): void {
    this.panel?.dispose();
    for (const d of this.disposables) d.dispose();
  }
}
