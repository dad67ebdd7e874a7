import * as vscode from 'vscode';
import { DEPENDENCIES_VIEW_ID } from '../shared/commands';
import type { DependenciesService } from './service';
import { DependenciesTreeProvider, type DepNode } from './tree';

// The Dependencies tree view and its summary line ("7 repositories surveyed · 2 where help matters").

export class DependenciesView implements vscode.Disposable {
  readonly tree: DependenciesTreeProvider;
  readonly treeView: vscode.TreeView<DepNode>;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly service: DependenciesService) {
    this.tree = new DependenciesTreeProvider(service);
    this.treeView = vscode.window.createTreeView(DEPENDENCIES_VIEW_ID, { treeDataProvider: this.tree, showCollapseAll: true });
    this.disposables.push(this.tree, this.treeView, service.onDidChange(() => this.update()), vscode.workspace.onDidGrantWorkspaceTrust(() => this.update()));
  }

  update(): void {
    this.tree.refresh();
    const s = this.service.state;
    const r = s?.report;
    void vscode.commands.executeCommand('setContext', 'steward.dependenciesSurveyed', !!s);
    if (this.service.running) this.treeView.message = 'Surveying dependencies…';
    else if (r) {
      const t = r.totals;
      this.treeView.message = `${t.dependencies} dependencies · ${t.surveyed} of ${t.repos} repositories surveyed · ${r.ranked.length} where a contribution helps`;
    } else if (s?.local) this.treeView.message = `${s.local.length} dependencies (not surveyed)`;
    else this.treeView.message = undefined;
    this.treeView.badge = r?.ranked.length ? { value: r.ranked.length, tooltip: `${r.ranked.length} dependencies where a contribution helps` } : undefined;
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
