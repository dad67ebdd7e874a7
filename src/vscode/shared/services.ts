import type * as vscode from 'vscode';
import type { DependenciesService } from '../dependencies/service';
import type { DependenciesView } from '../dependencies/view';
import type { DiagnosticsPublisher } from '../posture/diagnostics';
import type { ExplainPanel } from '../posture/explainPanel';
import type { EditorGitHub } from '../online/github';
import type { OnlineService } from '../online/online';
import type { PostureService } from '../posture/posture';
import type { PostureView } from '../posture/view';

/** What command handlers get: the long-lived services built once in activate(). */
export interface Services {
  readonly context: vscode.ExtensionContext;
  readonly log: vscode.LogOutputChannel;
  readonly posture: PostureService;
  readonly view: PostureView;
  readonly diagnostics: DiagnosticsPublisher;
  readonly explain: ExplainPanel;
  readonly online: OnlineService;
  /** Pin resolution and pin evidence (GitHub layer over the editor's sign-in). */
  readonly github: EditorGitHub;
  /** The dependency survey and its view. */
  readonly dependencies: DependenciesService;
  readonly dependenciesView: DependenciesView;
}

/** A command handler module exports one of these; register.ts binds it to its id. */
export type HandlerFactory = (svc: Services) => (...args: any[]) => unknown; // eslint-disable-line @typescript-eslint/no-explicit-any -- command arguments are untyped by VS Code
