import * as vscode from 'vscode';
import { POSTURE_VIEW_ID } from '../shared/commands';
import type { PostureService } from './posture';
import { scoreText } from './model';
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
    this.treeView.description = `Essentials ${s.passed}/${s.checked}`;
    // In a container with a single view VS Code hides the view description, so the summary also goes
    // in the message line at the top of the tree.
    this.treeView.message = `Essentials ${scoreText(s)} · ${failing} failing check${failing === 1 ? '' : 's'} · ${findings} finding${findings === 1 ? '' : 's'}`;
    this.treeView.badge = failing ? { value: failing, tooltip: `${failing} failing check${failing === 1 ? '' : 's'}` } : undefined;
    this.statusBar.text = `$(shield) ${s.passed}/${s.checked}`;
    const summary = `Essentials ${scoreText(s)} · ${failing} failing check${failing === 1 ? '' : 's'} · ${findings} finding${findings === 1 ? '' : 's'}`;
    this.statusBar.tooltip = `Steward: ${summary}. Click to open the Posture view.`;
    // Screen readers hear the score in words, not "shield 3 slash 7".
    this.statusBar.accessibilityInformation = { label: `Steward security posture: ${summary}` };
    this.statusBar.backgroundColor = s.passed < s.checked ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    this.statusBar.show();
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
