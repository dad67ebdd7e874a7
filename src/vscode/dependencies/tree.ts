import * as vscode from 'vscode';
import { packageKey, type Dependency } from '../../survey/model';
import type { RankedRepo } from '../../survey/rank';
import type { PackageRecord } from '../../survey/results';
import { RESTRICTED_REASON } from '../fixes/fixes';
import type { DependenciesService } from './service';

// The Dependencies view: the ranked repositories first (rank, repository, owner kind, Essentials
// failing, fixable concerns; the one-line reason as the first child and the tooltip), then folded
// sections for healthy repositories, those that cannot take a contribution (archived, gone) and the
// packages whose repository was not found. Every row is one mapping function from the survey's plain
// data; the inline actions "Open posture" and "Prepare contribution" hang on the repository rows.

export type DepNode =
  | { kind: 'message'; id: string; label: string; description?: string; tooltip?: string; icon?: vscode.ThemeIcon; command?: vscode.Command }
  | { kind: 'repo'; entry: RankedRepo; section: 'ranked' | 'healthy' | 'unavailable' }
  | { kind: 'section'; id: string; label: string; description?: string; nodes: DepNode[] }
  | { kind: 'detail'; id: string; label: string; description?: string; tooltip?: string; icon?: vscode.ThemeIcon }
  | { kind: 'package'; id: string; name: string; description: string; tooltip: string };

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** "person" / "organisation": who owns the repository (personal accounts get the least help). */
export function ownerKindLabel(k: RankedRepo['record']['ownerKind']): string {
  return k === 'User' ? 'personal account' : k === 'Organization' ? 'organisation' : 'owner unknown';
}

/** The row of a repository: what the ranking says in a few words. */
export function repoRow(e: RankedRepo, section: 'ranked' | 'healthy' | 'unavailable'): { label: string; description: string } {
  const name = `${e.owner}/${e.repo}`;
  if (section === 'unavailable') return { label: name, description: e.state === 'archived' ? 'archived' : (e.record.message ?? e.state) };
  const failing = e.record.essentials?.failing.length ?? 0;
  const concerns = e.record.concerns?.length ?? 0;
  const parts = [ownerKindLabel(e.record.ownerKind), failing ? `${plural(failing, 'Essential')} failing` : 'Essentials pass', `${concerns} fixable`];
  return { label: section === 'ranked' ? `${e.rank}. ${name}` : name, description: parts.join(' · ') };
}

function packageNode(p: PackageRecord | Dependency, why?: string): DepNode {
  const key = packageKey(p);
  const paths = plural(p.paths, 'path');
  return {
    kind: 'package',
    id: `pkg:${key}`,
    name: key,
    description: [p.direct ? 'direct' : 'transitive', paths, why].filter(Boolean).join(' · '),
    tooltip: `${key}${p.version ? `@${p.version}` : ''}: ${p.direct ? 'used directly' : `reached through ${paths}`}; listed in ${p.sources.join(', ')}${why ? `. ${why}` : ''}`,
  };
}

export class DependenciesTreeProvider implements vscode.TreeDataProvider<DepNode>, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<DepNode | undefined>();
  readonly onDidChangeTreeData = this.emitter.event;

  constructor(private readonly service: DependenciesService) {}

  refresh(): void {
    this.emitter.fire(undefined);
  }

  dispose(): void {
    this.emitter.dispose();
  }

  getChildren(node?: DepNode): DepNode[] {
    if (node) return this.childrenOf(node);
    const s = this.service.state;
    const out: DepNode[] = [];
    if (!vscode.workspace.isTrusted) {
      out.push({
        kind: 'message',
        id: 'restricted',
        label: 'Restricted Mode: dependencies only',
        description: 'no network and no clone until you trust this folder',
        tooltip: `${RESTRICTED_REASON} Click to manage workspace trust.`,
        icon: new vscode.ThemeIcon('shield', new vscode.ThemeColor('list.warningForeground')),
        command: { command: 'workbench.trust.manage', title: 'Manage Workspace Trust' },
      });
    }
    if (!s) return out;
    if (s.note) out.push({ kind: 'message', id: 'note', label: s.note, tooltip: s.note, icon: new vscode.ThemeIcon('info') });
    for (const p of s.problems) out.push({ kind: 'message', id: `problem:${p}`, label: p, icon: new vscode.ThemeIcon('warning', new vscode.ThemeColor('list.warningForeground')) });
    if (s.local) {
      const sorted = [...s.local].sort((a, b) => b.paths - a.paths || (packageKey(a) < packageKey(b) ? -1 : 1));
      out.push(...sorted.map((d) => packageNode(d)));
      return out;
    }
    const r = s.report;
    if (!r) return out;
    out.push(...r.ranked.map((entry): DepNode => ({ kind: 'repo', entry, section: 'ranked' })));
    if (r.healthy.length) out.push({ kind: 'section', id: 'healthy', label: 'Nothing to add', description: plural(r.healthy.length, 'repository', 'repositories'), nodes: r.healthy.map((entry) => ({ kind: 'repo', entry, section: 'healthy' })) });
    if (r.unavailable.length) out.push({ kind: 'section', id: 'unavailable', label: 'Cannot take a contribution', description: plural(r.unavailable.length, 'repository', 'repositories'), nodes: r.unavailable.map((entry) => ({ kind: 'repo', entry, section: 'unavailable' })) });
    if (r.unresolved.length) out.push({ kind: 'section', id: 'unresolved', label: 'Repository not found', description: plural(r.unresolved.length, 'package'), nodes: r.unresolved.map((p) => packageNode(p, p.reason)) });
    return out;
  }

  private childrenOf(node: DepNode): DepNode[] {
    if (node.kind === 'section') return node.nodes;
    if (node.kind !== 'repo') return [];
    const e = node.entry;
    const id = e.key;
    const out: DepNode[] = [{ kind: 'detail', id: `${id}:why`, label: e.why, tooltip: e.why, icon: new vscode.ThemeIcon('info') }];
    for (const f of e.record.essentials?.failing ?? []) out.push({ kind: 'detail', id: `${id}:ess:${f.checkId}`, label: f.title, description: 'Essential failing', icon: new vscode.ThemeIcon('error', new vscode.ThemeColor('testing.iconFailed')) });
    for (const c of e.record.concerns ?? []) {
      const first = e.first?.concern === c.id;
      out.push({ kind: 'detail', id: `${id}:concern:${c.id}`, label: c.title, description: `${plural(c.findings, 'finding')} fixable${first ? ' · suggested first' : ''}`, icon: new vscode.ThemeIcon(first ? 'star-full' : 'wrench') });
    }
    for (const p of e.packages) out.push({ kind: 'detail', id: `${id}:pkg:${p}`, label: p, description: 'package', icon: new vscode.ThemeIcon('package') });
    return out;
  }

  getTreeItem(node: DepNode): vscode.TreeItem {
    switch (node.kind) {
      case 'message': {
        const item = new vscode.TreeItem(node.label, vscode.TreeItemCollapsibleState.None);
        item.id = `msg:${node.id}`;
        item.description = node.description;
        item.tooltip = node.tooltip;
        item.iconPath = node.icon;
        item.command = node.command;
        item.contextValue = 'dependency.message';
        return item;
      }
      case 'section': {
        const item = new vscode.TreeItem(node.label, vscode.TreeItemCollapsibleState.Collapsed);
        item.id = `section:${node.id}`;
        item.description = node.description;
        item.contextValue = 'dependency.section';
        return item;
      }
      case 'detail': {
        const item = new vscode.TreeItem(node.label, vscode.TreeItemCollapsibleState.None);
        item.id = node.id;
        item.description = node.description;
        item.tooltip = node.tooltip ?? node.label;
        item.iconPath = node.icon;
        item.contextValue = 'dependency.detail';
        return item;
      }
      case 'package': {
        const item = new vscode.TreeItem(node.name, vscode.TreeItemCollapsibleState.None);
        item.id = node.id;
        item.description = node.description;
        item.tooltip = node.tooltip;
        item.iconPath = new vscode.ThemeIcon('package');
        item.contextValue = 'dependency.package';
        return item;
      }
      case 'repo': {
        const e = node.entry;
        const row = repoRow(e, node.section);
        const item = new vscode.TreeItem(row.label, node.section === 'unavailable' ? vscode.TreeItemCollapsibleState.None : vscode.TreeItemCollapsibleState.Collapsed);
        item.id = `repo:${node.section}:${e.key}`;
        item.description = row.description;
        const md = new vscode.MarkdownString(undefined, false);
        md.appendText(`${e.owner}/${e.repo}\n\n${e.why}`);
        if (e.first) md.appendText(`\n\nSuggested first pull request: ${e.first.title}`);
        item.tooltip = md;
        item.iconPath = new vscode.ThemeIcon(node.section === 'ranked' ? 'repo' : node.section === 'healthy' ? 'pass' : 'archive');
        item.contextValue = node.section === 'ranked' ? 'dependency.repo.contributable' : node.section === 'healthy' ? 'dependency.repo' : 'dependency.unavailable';
        return item;
      }
    }
  }
}
