import * as vscode from 'vscode';
import type { CheckStatus, Finding, Severity } from '../../core/model';
import { docsMarkdown } from '../../core/report/docs';
import { addScores, essentialsScore, groupsOf, groupSummary, rowsOf, type CheckRow, type Group, type Score } from './model';
import type { FolderState, PostureService } from './posture';

// The Posture view: (one subtree per repository folder when there are several) -> Essentials and the
// categories -> one item per check -> its findings -> details. Every TreeItem is made by one mapping
// function per node kind below.

export type PostureNode =
  | { kind: 'folder'; state: FolderState }
  | { kind: 'group'; state: FolderState; group: Group }
  | { kind: 'check'; state: FolderState; row: CheckRow; groupId: string }
  | { kind: 'finding'; state: FolderState; row: CheckRow; finding: Finding; parentId: string; index: number }
  | { kind: 'detail'; text: string; parentId: string; index: number }
  | { kind: 'message'; id: string; label: string; description?: string; tooltip?: string; icon: vscode.ThemeIcon; command?: vscode.Command };

export const STATUS_LABEL: Record<CheckStatus, string> = {
  pass: 'Pass',
  fail: 'Fail',
  unknown: 'Unknown — ask a maintainer',
  'not-applicable': 'Not applicable',
  error: 'Check failed to run',
};

export function statusIcon(status: CheckStatus): vscode.ThemeIcon {
  switch (status) {
    case 'pass':
      return new vscode.ThemeIcon('pass', new vscode.ThemeColor('testing.iconPassed'));
    case 'fail':
      return new vscode.ThemeIcon('close', new vscode.ThemeColor('testing.iconFailed'));
    case 'unknown':
      return new vscode.ThemeIcon('question', new vscode.ThemeColor('list.warningForeground'));
    case 'not-applicable':
      return new vscode.ThemeIcon('circle-slash', new vscode.ThemeColor('descriptionForeground'));
    case 'error':
      return new vscode.ThemeIcon('error', new vscode.ThemeColor('errorForeground'));
  }
}

export function severityIcon(s: Severity): vscode.ThemeIcon {
  if (s === 'critical' || s === 'high') return new vscode.ThemeIcon('error', new vscode.ThemeColor('problemsErrorIcon.foreground'));
  if (s === 'medium') return new vscode.ThemeIcon('warning', new vscode.ThemeColor('problemsWarningIcon.foreground'));
  return new vscode.ThemeIcon('info', new vscode.ThemeColor('problemsInfoIcon.foreground'));
}

const GROUP_ICON: Record<string, string> = {
  essentials: 'star-full',
  reporting: 'law',
  workflows: 'github-action',
  dependencies: 'package',
  releases: 'rocket',
  settings: 'settings-gear',
};

export class PostureTreeProvider implements vscode.TreeDataProvider<PostureNode>, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<PostureNode | undefined>();
  readonly onDidChangeTreeData = this.emitter.event;
  failingOnly = false;
  /** Messages shown above the posture (e.g. why fixes are off in Restricted Mode). */
  banners: () => PostureNode[] = () => [];

  constructor(private readonly posture: PostureService) {}

  refresh(): void {
    this.emitter.fire(undefined);
  }

  score(): Score {
    return addScores(this.posture.folders().map((s) => (s.scan ? essentialsScore(rowsOf(s.scan, this.posture.settings.minimumSeverity)) : { passed: 0, total: 0 })));
  }

  async getChildren(node?: PostureNode): Promise<PostureNode[]> {
    if (!node) {
      // Showing the view is what starts the first scan: nothing is read before someone looks.
      await this.posture.ensureStarted();
      const folders = this.posture.folders();
      // No repository: an empty tree lets VS Code show the welcome content (viewsWelcome).
      if (folders.length === 0) return [];
      if (folders.length === 1) return [...this.banners(), ...this.folderChildren(folders[0])];
      return [...this.banners(), ...folders.map((state): PostureNode => ({ kind: 'folder', state }))];
    }
    switch (node.kind) {
      case 'folder':
        return this.folderChildren(node.state);
      case 'group':
        return node.group.rows.map((row) => ({ kind: 'check', state: node.state, row, groupId: this.idOf(node) }));
      case 'check':
        return node.row.findings.map((finding, index) => ({ kind: 'finding', state: node.state, row: node.row, finding, parentId: this.idOf(node), index }));
      case 'finding':
        return (node.finding.details ?? []).map((text, index) => ({ kind: 'detail', text, parentId: this.idOf(node), index }));
      default:
        return [];
    }
  }

  private folderChildren(state: FolderState): PostureNode[] {
    const key = state.folder.uri.toString();
    if (state.configError) {
      const e = state.configError;
      return [
        {
          kind: 'message',
          id: `${key}/config-error`,
          label: `Cannot use ${e.file}`,
          description: e.message.slice(e.file.length + 2),
          tooltip: `${e.message}\nFix the file and save it; Steward scans again on save.`,
          icon: new vscode.ThemeIcon('error', new vscode.ThemeColor('errorForeground')),
          command: { command: 'steward.goToLocation', title: 'Open', arguments: [state.snapshot.uriOf(e.file)] },
        },
      ];
    }
    if (state.failure) {
      return [{ kind: 'message', id: `${key}/failure`, label: 'The scan failed', description: state.failure, icon: new vscode.ThemeIcon('error', new vscode.ThemeColor('errorForeground')) }];
    }
    if (!state.scan) return [{ kind: 'message', id: `${key}/scanning`, label: 'Scanning…', icon: new vscode.ThemeIcon('loading~spin') }];
    const groups = groupsOf(rowsOf(state.scan, this.posture.settings.minimumSeverity), this.failingOnly);
    if (!groups.length && this.failingOnly) {
      return [{ kind: 'message', id: `${key}/all-good`, label: 'Nothing needs attention', description: 'every check passes or does not apply', icon: new vscode.ThemeIcon('pass', new vscode.ThemeColor('testing.iconPassed')) }];
    }
    return groups.map((group): PostureNode => ({ kind: 'group', state, group }));
  }

  idOf(node: PostureNode): string {
    switch (node.kind) {
      case 'folder':
        return node.state.folder.uri.toString();
      case 'group':
        return `${node.state.folder.uri.toString()}/${node.group.id}`;
      case 'check':
        return `${node.groupId}/${node.row.meta.id}`;
      case 'finding':
        return `${node.parentId}/${node.index}:${node.finding.location?.file ?? ''}:${node.finding.location?.start.line ?? 0}:${node.finding.location?.start.column ?? 0}`;
      case 'detail':
        return `${node.parentId}/d${node.index}`;
      case 'message':
        return node.id;
    }
  }

  getTreeItem(node: PostureNode): vscode.TreeItem {
    const item = this.itemOf(node);
    item.id = this.idOf(node);
    return item;
  }

  private itemOf(node: PostureNode): vscode.TreeItem {
    const C = vscode.TreeItemCollapsibleState;
    switch (node.kind) {
      case 'folder': {
        const item = new vscode.TreeItem(node.state.folder.name, C.Expanded);
        item.iconPath = new vscode.ThemeIcon('repo');
        const s = node.state.scan ? essentialsScore(rowsOf(node.state.scan, this.posture.settings.minimumSeverity)) : undefined;
        item.description = s ? `Essentials ${s.passed}/${s.total}` : node.state.configError ? 'configuration error' : '';
        item.contextValue = 'folder';
        return item;
      }
      case 'group': {
        const g = node.group;
        const failing = g.rows.some((r) => r.result.status === 'fail' || r.result.status === 'error');
        const item = new vscode.TreeItem(g.title, g.id === 'essentials' || failing ? C.Expanded : C.Collapsed);
        item.iconPath = new vscode.ThemeIcon(GROUP_ICON[g.id] ?? 'folder');
        item.description = groupSummary(g);
        item.contextValue = `group.${g.id}`;
        if (g.id === 'essentials') item.tooltip = 'The checks that make good-enough security for most projects. Not-applicable checks do not count.';
        return item;
      }
      case 'check': {
        const { meta, result, findings } = node.row;
        const item = new vscode.TreeItem(meta.title, findings.length ? C.Collapsed : C.None);
        item.iconPath = statusIcon(result.status);
        item.description = result.reason;
        item.tooltip = checkTooltip(node.row);
        item.accessibilityInformation = { label: `${meta.title}: ${STATUS_LABEL[result.status]}. ${result.reason}` };
        const fixable = findings.some(hasDirectFix);
        item.contextValue = `check.${result.status}${fixable ? '.fixable' : ''}`;
        if (findings.length === 1 && findings[0].location) item.command = goTo(node.state, findings[0]);
        return item;
      }
      case 'finding': {
        const f = node.finding;
        const item = new vscode.TreeItem(f.message, f.details?.length ? C.Collapsed : C.None);
        item.iconPath = severityIcon(f.severity);
        if (f.location) {
          const base = f.location.file.slice(f.location.file.lastIndexOf('/') + 1);
          item.description = `${base}:${f.location.start.line}`;
          item.command = goTo(node.state, f);
        } else {
          item.description = 'repository';
          item.command = { command: 'steward.explain', title: 'Explain', arguments: [node] };
        }
        const md = new vscode.MarkdownString();
        md.appendText(f.message);
        md.appendMarkdown(`\n\n*${f.severity} severity · ${f.confidence} confidence*`);
        if (f.location) md.appendText(`\n${f.location.file}:${f.location.start.line}:${f.location.start.column}`);
        for (const fix of f.fixes) {
          md.appendMarkdown('\n\n**Fix:** ');
          md.appendText(fix.title + (fix.safe ? ' (safe)' : ' (review before applying)') + (fix.caveat ? ` — ${fix.caveat}` : ''));
        }
        item.tooltip = md;
        item.contextValue = `finding${hasDirectFix(f) ? '.fixable' : ''}${f.location ? '.located' : ''}`;
        return item;
      }
      case 'detail': {
        const item = new vscode.TreeItem(node.text, C.None);
        item.iconPath = new vscode.ThemeIcon('dash');
        item.contextValue = 'detail';
        return item;
      }
      case 'message': {
        const item = new vscode.TreeItem(node.label, C.None);
        item.iconPath = node.icon;
        item.description = node.description;
        item.tooltip = node.tooltip;
        item.command = node.command;
        item.contextValue = 'message';
        return item;
      }
    }
  }

  dispose(): void {
    this.emitter.dispose();
  }
}

/** A fix the editor can apply right away (deferred ones need online resolution first). */
export function hasDirectFix(f: Finding): boolean {
  return f.fixes.some((x) => !x.deferred && x.edits.length > 0);
}

function goTo(state: FolderState, f: Finding): vscode.Command {
  const loc = f.location!;
  return { command: 'steward.goToLocation', title: 'Go to location', arguments: [state.snapshot.uriOf(loc.file), loc] };
}

/** The check's docs plus its current reason. Repository-derived text (the reason) goes in as plain text. */
export function checkTooltip(row: CheckRow): vscode.MarkdownString {
  const md = new vscode.MarkdownString();
  md.appendMarkdown(`**${STATUS_LABEL[row.result.status]}** — `);
  md.appendText(row.result.reason);
  if (row.result.suppressed) md.appendMarkdown(`\n\n*${row.result.suppressed} finding(s) ignored by the project's own suppressions.*`);
  md.appendMarkdown('\n\n---\n\n');
  md.appendMarkdown(docsMarkdown(row.meta));
  return md;
}
