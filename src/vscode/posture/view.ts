import * as vscode from 'vscode';
import { POSTURE_VIEW_ID } from '../shared/commands';
import type { PostureService } from './posture';
import { PostureTreeProvider, type PostureNode } from './tree';
import { trustBanners } from '../shared/trust';

// The Posture tree view plus what summarises it elsewhere: the view's description ("Essentials 4/7"),
// the activity-bar badge (failing checks) and a status bar item.

export class PostureView implements vscode.Disposable {
  readonly tree: PostureTreeProvider;
  readonly treeView: vscode.TreeView<PostureNode>;
  readonly statusBar: vscode.StatusBarItem;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly posture: PostureService) {
    this.tree = new PostureTreeProvider(posture);
    this.tree.banners = trustBanners;
    this.treeView = vscode.window.createTreeView(POSTURE_VIEW_ID, { treeDataProvider: this.tree, showCollapseAll: true });
    this.statusBar = vscode.window.createStatusBarItem('steward.status', vscode.StatusBarAlignment.Left, 10);
    this.statusBar.name = 'Steward security posture';
    this.statusBar.command = `${POSTURE_VIEW_ID}.focus`;
    this.disposables.push(
      this.tree,
      this.treeView,
      this.statusBar,
      posture.onDidChange(() => this.update()),
      vscode.workspace.onDidGrantWorkspaceTrust(() => this.update()),
    );
  }

  update(): void {
    this.tree.refresh();
    const folders = this.posture.folders();
    const scanned = folders.filter((f) => f.scan);
    if (!scanned.length) {
      this.treeView.description = undefined;
      this.treeView.badge = undefined;
      this.treeView.message = undefined;
      this.statusBar.hide();
      return;
    }
    const s = this.tree.score();
    let failing = 0;
    let findings = 0;
    for (const f of scanned) {
      for (const r of f.scan!.results) if (r.status === 'fail' || r.status === 'error') failing++;
      findings += f.scan!.findings.filter((x) => !x.suppressed).length;
    }
    this.treeView.description = `Essentials ${s.passed}/${s.total}`;
    // In a container with a single view VS Code hides the view description, so the summary also goes
    // in the message line at the top of the tree.
    this.treeView.message = `Essentials ${s.passed}/${s.total} pass · ${failing} failing check${failing === 1 ? '' : 's'} · ${findings} finding${findings === 1 ? '' : 's'}`;
    this.treeView.badge = failing ? { value: failing, tooltip: `${failing} failing check${failing === 1 ? '' : 's'}` } : undefined;
    this.statusBar.text = `$(shield) ${s.passed}/${s.total}`;
    this.statusBar.tooltip = `Steward: ${s.passed} of ${s.total} Essentials pass · ${failing} failing check${failing === 1 ? '' : 's'} · ${findings} finding${findings === 1 ? '' : 's'}. Click to open the Posture view.`;
    this.statusBar.backgroundColor = s.passed < s.total ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    this.statusBar.show();
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
