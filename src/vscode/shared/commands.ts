// The one table of commands the extension contributes. package.json `contributes.commands` must list
// exactly these (test/unit/vscode-manifest.test.ts keeps them in sync). This module is plain data so the
// unit test can load it without VS Code; the handler for each id lives in its feature folder
// (src/vscode/<feature>/) and is wired in src/vscode/shared/register.ts (a missing handler is a type error there).

export interface CommandSpec {
  readonly id: string;
  readonly title: string;
  /** Codicon shown when the command is a view/title or inline action. */
  readonly icon?: string;
  /** false = internal (tree item clicks, webview buttons): hidden from the Command Palette. */
  readonly palette?: boolean;
  /**
   * Changes files (or runs git): refused in Restricted Mode by register.ts before the handler runs, and
   * every menu entry of the command carries `isWorkspaceTrusted` (test/unit/vscode-manifest.test.ts).
   */
  readonly writes?: boolean;
}

export const CATEGORY = 'Steward';

export const COMMANDS = [
  { id: 'steward.scan', title: 'Scan workspace', icon: '$(refresh)' },
  { id: 'steward.goToLocation', title: 'Go to location', icon: '$(go-to-file)', palette: false },
  { id: 'steward.fix', title: 'Apply this fix', icon: '$(wrench)', writes: true },
  { id: 'steward.fixWorkspace', title: 'Review fixes in the workspace…', icon: '$(tools)', writes: true },
  { id: 'steward.applyFixRefs', title: 'Apply fixes', palette: false, writes: true },
  { id: 'steward.rescanFiles', title: 'Scan files again', palette: false },
  { id: 'steward.explain', title: 'Explain', icon: '$(book)' },
  { id: 'steward.ignore', title: 'Ignore finding…', icon: '$(eye-closed)', writes: true },
  { id: 'steward.showFailingOnly', title: 'Show failing checks only', icon: '$(filter)' },
  { id: 'steward.showAll', title: 'Show all checks', icon: '$(filter-filled)' },
  { id: 'steward.signIn', title: 'Sign in to GitHub', icon: '$(github)' },
  { id: 'steward.getStarted', title: 'Get started', icon: '$(mortar-board)' },
  { id: 'steward.prepareContribution', title: 'Prepare security contribution…', icon: '$(git-pull-request-create)', writes: true },
  { id: 'steward.generateSecurityMd', title: 'Generate SECURITY.md', icon: '$(shield)', writes: true },
  { id: 'steward.generateInsights', title: 'Generate security-insights.yml', icon: '$(file-code)', writes: true },
  { id: 'steward.requestSettings', title: 'Request settings from maintainers', icon: '$(issues)' },
  { id: 'steward.surveyDependencies', title: 'Survey dependencies', icon: '$(telescope)' },
  { id: 'steward.dependencyOpenPosture', title: 'Open posture', icon: '$(shield)', palette: false, writes: true },
  { id: 'steward.dependencyPrepareContribution', title: 'Prepare contribution', icon: '$(git-pull-request-create)', palette: false, writes: true },
] as const satisfies readonly CommandSpec[];

export type CommandId = (typeof COMMANDS)[number]['id'];

export const VIEW_CONTAINER_ID = 'steward';
export const POSTURE_VIEW_ID = 'steward.posture';
export const DEPENDENCIES_VIEW_ID = 'steward.dependencies';
