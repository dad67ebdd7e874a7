import * as vscode from 'vscode';
import type { CheckStatus, Finding, Severity } from '../../core/model';
import { docsMarkdown } from '../../core/report/docs';
import { markdownText, plainText } from '../../core/report/text';
import { addScores, checkDescription, shortTitle, essentialsScore, groupsOf, groupSummary, rowsOf, scoreText, STATE_LABEL, type CheckRow, type Group, type RowState, type Score } from './model';
import type { FolderState, PostureService } from './posture';

// The Posture view: (one subtree per repository folder when there are several) -> Essentials and the
// categories -> one item per check -> its findings -> details. Every TreeItem is made by one mapping
// function per node kind below.

export type PostureNode =
  | { kind: 'folder'; state: FolderState }
  | { kind: 'group'; state: FolderState; group: Group }
  | { kind: 'check'; state: FolderState; row: CheckRow; groupId: string }
  /** "N passing" / "N not applicable": the quiet checks of a group, folded into one row. */
  | { kind: 'fold'; state: FolderState; which: 'passing' | 'not-applicable'; rows: CheckRow[]; groupId: string }
  | { kind: 'finding'; state: FolderState; row: CheckRow; finding: Finding; parentId: string; index: number }
  | { kind: 'detail'; text: string; parentId: string; index: number }
  | { kind: 'message'; id: string; label: string; description?: string; tooltip?: string; icon: vscode.ThemeIcon; command?: vscode.Command };

/** Words for a check status (reason texts and pickers). */
export const STATUS_LABEL: Record<CheckStatus, string> = {
  pass: 'Pass',
  fail: 'Fail',
  unknown: 'Unknown — ask a maintainer',
  'not-applicable': 'Not applicable',
  error: 'Check failed to run',
};

export function statusIcon(status: CheckStatus | RowState): vscode.ThemeIcon {
  switch (status) {
    case 'note':
      return new vscode.ThemeIcon('info', new vscode.ThemeColor('problemsInfoIcon.foreground'));
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
  /** Why GitHub cannot be reached for a folder now (set by extension.ts from the online service). */
  offlineReason: (state: FolderState) => string | undefined = () => undefined;

  constructor(private readonly posture: PostureService) {}

  refresh(): void {
    this.emitter.fire(undefined);
  }

  score(): Score {
    return addScores(this.posture.folders().map((s) => (s.scan ? essentialsScore(rowsOf(s.scan, this.posture.settings.minimumSeverity)) : { passed: 0, checked: 0, total: 0 })));
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
      case 'group': {
        const groupId = this.idOf(node);
        const g = node.group;
        const out: PostureNode[] = g.open.map((row) => ({ kind: 'check', state: node.state, row, groupId }));
        if (g.passing.length) out.push({ kind: 'fold', state: node.state, which: 'passing', rows: g.passing, groupId });
        if (g.notApplicable.length) out.push({ kind: 'fold', state: node.state, which: 'not-applicable', rows: g.notApplicable, groupId });
        return out;
      }
      case 'fold':
        return node.rows.map((row) => ({ kind: 'check', state: node.state, row, groupId: this.idOf(node) }));
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
      case 'fold':
        return `${node.groupId}/~${node.which}`;
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
        item.description = s ? `Essentials ${s.passed}/${s.checked}` : node.state.configError ? 'configuration error' : '';
        if (s) item.accessibilityInformation = { label: `${node.state.folder.name}: Essentials ${scoreText(s)}` };
        item.contextValue = 'folder';
        return item;
      }
      case 'group': {
        const g = node.group;
        // Essentials open (the few checks that matter most); categories closed, their counts in the description.
        const item = new vscode.TreeItem(g.title, g.id === 'essentials' ? C.Expanded : C.Collapsed);
        item.iconPath = new vscode.ThemeIcon(GROUP_ICON[g.id] ?? 'folder');
        item.description = groupSummary(g);
        item.contextValue = `group.${g.id}`;
        item.accessibilityInformation = { label: `${g.title}: ${item.description}` };
        if (g.id === 'essentials') {
          const s = essentialsScore(g.all);
          item.tooltip = `The checks that make good-enough security for most projects: ${scoreText(s)}. An Essential fails only for findings of medium severity or above; not-applicable ones do not count${s.checked < s.total ? ', and unknown ones (online access or a maintainer needed) are left out' : ''}.`;
          item.accessibilityInformation = { label: `Essentials: ${scoreText(s)}` };
        }
        return item;
      }
      case 'fold': {
        const n = node.rows.length;
        const item = new vscode.TreeItem(node.which === 'passing' ? `${n} passing` : `${n} not applicable`, C.Collapsed);
        item.iconPath = node.which === 'passing' ? statusIcon('pass') : statusIcon('not-applicable');
        item.tooltip = node.rows.map((r) => `${node.which === 'passing' ? '✓' : '–'} ${plainText(shortTitle(r.meta))}`).join('\n');
        item.accessibilityInformation = { label: `${item.label} checks` };
        item.contextValue = `fold.${node.which}`;
        return item;
      }
      case 'check': {
        const { meta, result, findings, state } = node.row;
        const item = new vscode.TreeItem(plainText(shortTitle(meta)), findings.length ? C.Collapsed : C.None);
        item.iconPath = statusIcon(state);
        item.description = checkDescription(node.row);
        item.tooltip = checkTooltip(node.row);
        item.accessibilityInformation = { label: `${plainText(meta.title)}: ${STATE_LABEL[state]}${item.description ? `, ${item.description}` : ''}. ${plainText(result.reason)}` };
        const fixable = findings.some(hasDirectFix);
        item.contextValue = `check.${result.status}${fixable ? '.fixable' : ''}`;
        if (findings.length === 1 && findings[0].location) item.command = goTo(node.state, findings[0]);
        return item;
      }
      case 'finding': {
        const f = node.finding;
        const item = new vscode.TreeItem(plainText(f.message), f.details?.length ? C.Collapsed : C.None);
        item.iconPath = severityIcon(f.severity);
        let where = 'the repository';
        if (f.location) {
          const base = f.location.file.slice(f.location.file.lastIndexOf('/') + 1);
          item.description = `${base}:${f.location.start.line}`;
          where = `${f.location.file} line ${f.location.start.line}`;
          item.command = goTo(node.state, f);
        } else {
          item.description = 'repository';
          item.command = { command: 'steward.explain', title: 'Explain', arguments: [node] };
        }
        item.tooltip = findingTooltip(f, this.offlineReason(node.state));
        item.accessibilityInformation = { label: `${f.severity} severity: ${plainText(f.message)}, ${where}` };
        item.contextValue = `finding${hasDirectFix(f) ? '.fixable' : ''}${f.location ? '.located' : ''}`;
        return item;
      }
      case 'detail': {
        const item = new vscode.TreeItem(plainText(node.text), C.None);
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

/** The check's docs plus its current reason. Repository-derived text (the reason) is escaped. */
export function checkTooltip(row: CheckRow): vscode.MarkdownString {
  const md = new vscode.MarkdownString();
  md.appendMarkdown(`**${markdownText(plainText(row.meta.title))}**\n\n**${STATE_LABEL[row.state]}** — ${markdownText(row.result.reason)}`);
  if (row.result.suppressed) md.appendMarkdown(`\n\n*${row.result.suppressed} finding(s) ignored by the project's own suppressions.*`);
  md.appendMarkdown('\n\n---\n\n');
  md.appendMarkdown(docsMarkdown(row.meta));
  return md;
}

/**
 * A finding's tooltip: message, severity, place and its fixes. A fix that needs GitHub (pinning) says
 * so when the editor is offline, instead of promising a change it cannot make now.
 */
export function findingTooltip(f: Finding, offlineWhy?: string): vscode.MarkdownString {
  const md = new vscode.MarkdownString();
  md.appendMarkdown(markdownText(f.message));
  md.appendMarkdown(`\n\n*${f.severity} severity · ${f.confidence} confidence*`);
  if (f.location) md.appendMarkdown(`\n\n${markdownText(`${f.location.file}:${f.location.start.line}:${f.location.start.column}`)}`);
  for (const fix of f.fixes) {
    if (fix.deferred && offlineWhy) {
      md.appendMarkdown(`\n\n**Needs the network:** ${markdownText(`${fix.title} looks up the commit on GitHub, which is not available now (${offlineWhy}).`)}`);
      continue;
    }
    md.appendMarkdown('\n\n**Fix:** ');
    md.appendMarkdown(markdownText(fix.title + (fix.safe ? ' (safe)' : ' (review before applying)') + (fix.caveat ? ` — ${fix.caveat}` : '')));
  }
  return md;
}
