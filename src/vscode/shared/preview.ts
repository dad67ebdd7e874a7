import * as vscode from 'vscode';

// Read-only preview documents (a generated SECURITY.md, a contribution's diff and PR text) under the
// `steward-preview:` scheme. Unlike untitled documents they are never "dirty", so closing them asks
// nothing, and the language follows the path's extension (.md → Markdown, .diff → Diff, .yml → YAML).

export const PREVIEW_SCHEME = 'steward-preview';

class PreviewProvider implements vscode.TextDocumentContentProvider {
  private readonly docs = new Map<string, string>();
  private readonly emitter = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.emitter.event;

  set(uri: vscode.Uri, text: string): void {
    this.docs.set(uri.toString(), text);
    this.emitter.fire(uri);
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.docs.get(uri.toString()) ?? '';
  }
}

let provider: PreviewProvider | undefined;
let counter = 0;

/** Registers the provider once (the disposable goes to the extension's subscriptions). */
export function ensurePreviewProvider(subscriptions: vscode.Disposable[]): void {
  if (provider) return;
  provider = new PreviewProvider();
  subscriptions.push(vscode.workspace.registerTextDocumentContentProvider(PREVIEW_SCHEME, provider), {
    dispose: () => {
      provider = undefined;
    },
  });
}

/** A preview document with this text; `name` ends in the extension that decides its language. */
export function previewUri(name: string, text: string): vscode.Uri {
  if (!provider) throw new Error('preview provider not registered');
  // A fresh URI per preview: VS Code caches documents by URI, and an old preview must not be reused.
  // The counter goes in the query, so headers and tabs show the file's own path (not "/3/…").
  const uri = vscode.Uri.from({ scheme: PREVIEW_SCHEME, path: `/${name}`, query: `v${++counter}` });
  provider.set(uri, text);
  return uri;
}

/** Closes the editor tabs showing these preview documents (diffs included). */
export async function closePreviews(uris: readonly vscode.Uri[]): Promise<void> {
  const want = new Set(uris.map((u) => u.toString()));
  // Markdown previews are webviews titled "Preview <file name>".
  const previewTitles = new Set(uris.map((u) => `Preview ${u.path.split('/').pop()}`));
  const tabs = vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => {
    const input = t.input;
    if (input instanceof vscode.TabInputText) return want.has(input.uri.toString());
    if (input instanceof vscode.TabInputTextDiff) return want.has(input.modified.toString()) || want.has(input.original.toString());
    if (input instanceof vscode.TabInputWebview) return previewTitles.has(t.label);
    return false;
  });
  if (tabs.length) await vscode.window.tabGroups.close(tabs, true);
}
