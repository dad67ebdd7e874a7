import * as vscode from 'vscode';
import { parseDocument, isMap, isSeq, type Document } from 'yaml';
import { indentOf } from '../../core/yaml/text';
import type { HandlerFactory } from '../shared/services';
import { pickTarget, targetOfNode, type Target } from '../shared/targets';

// Ignoring a finding the project has judged acceptable, the two ways the engine understands: an inline
// `# steward: ignore[id]` comment above the line (YAML files), or an entry in `.github/steward.yml`.
// The user chooses; both are plain text changes they can review and commit.

const CONFIG = '.github/steward.yml';
const COMMENT_KINDS = /\.(ya?ml)$/i;

type How = 'comment' | 'line' | 'file' | 'disable';
type Choice = vscode.QuickPickItem & { how: How; apply: () => Promise<void> };

/** `how` skips the question (for callers that already know, e.g. tests and other commands). */
export const ignore: HandlerFactory = (svc) => async (node?: unknown, how?: How) => {
  const target: Target | undefined = targetOfNode(node) ?? (await pickTarget(svc.posture, { placeHolder: 'Which finding should Steward ignore?', findings: true }));
  if (!target) return undefined;
  const { state, row, finding } = target;
  const id = row.meta.id;
  const loc = finding?.location;
  const choices: Choice[] = [];
  if (loc && COMMENT_KINDS.test(loc.file)) {
    choices.push({
      how: 'comment',
      label: '$(comment) Add a comment above the line',
      description: `# steward: ignore[${id}]`,
      detail: `In ${loc.file}, above line ${loc.start.line}. Travels with the code; zizmor-style and visible in review.`,
      apply: () => addComment(state.snapshot.uriOf(loc.file), loc.start.line, id),
    });
  }
  if (loc) {
    choices.push({
      how: 'line',
      label: '$(gear) Ignore this line in .github/steward.yml',
      description: `rules.${id}.ignore: ${loc.file}:${loc.start.line}`,
      detail: 'Keeps the file untouched; the entry must move if the line moves.',
      apply: () => addConfigEntry(state.snapshot.uriOf(CONFIG), id, { ignore: `${loc.file}:${loc.start.line}` }),
    });
    choices.push({
      how: 'file',
      label: '$(file) Ignore this rule for the whole file',
      description: `rules.${id}.ignore: ${loc.file}`,
      apply: () => addConfigEntry(state.snapshot.uriOf(CONFIG), id, { ignore: loc.file }),
    });
  }
  choices.push({
    how: 'disable',
    label: '$(circle-slash) Turn this check off for the repository',
    description: `rules.${id}.disable: true`,
    detail: 'For checks that do not apply to this project. Recorded in .github/steward.yml.',
    apply: () => addConfigEntry(state.snapshot.uriOf(CONFIG), id, { disable: true }),
  });
  const pick = how ? choices.find((c) => c.how === how) : await vscode.window.showQuickPick(choices, { placeHolder: `Ignore "${finding?.message ?? row.meta.title}" how?` });
  if (!pick) return 'cancelled';
  await pick.apply();
  await svc.posture.scanFolder(state);
  return 'ignored';
};

async function addComment(uri: vscode.Uri, line: number, id: string): Promise<void> {
  const doc = await vscode.workspace.openTextDocument(uri);
  const wasDirty = doc.isDirty;
  const text = doc.lineAt(line - 1).text;
  const eol = doc.eol === vscode.EndOfLine.CRLF ? '\r\n' : '\n';
  // A list item's comment goes at the dash's indentation, so it reads as belonging to the item.
  const indent = indentOf(text);
  const edit = new vscode.WorkspaceEdit();
  edit.insert(uri, new vscode.Position(line - 1, 0), `${indent}# steward: ignore[${id}]${eol}`);
  await vscode.workspace.applyEdit(edit);
  if (!wasDirty) await doc.save();
}

async function addConfigEntry(uri: vscode.Uri, id: string, what: { ignore?: string; disable?: boolean }): Promise<void> {
  let doc: Document;
  let existing: vscode.TextDocument | undefined;
  try {
    existing = await vscode.workspace.openTextDocument(uri);
    doc = parseDocument(existing.getText());
    if (doc.errors.length) throw new Error(`${CONFIG} does not parse: ${doc.errors[0].message}`);
  } catch (e) {
    if (existing) throw e;
    doc = parseDocument('# Steward configuration: https://github.com/steward-oss/steward#configuration\nversion: 1\n');
  }
  if (!isMap(doc.contents)) doc = parseDocument('version: 1\n');
  if (what.disable) doc.setIn(['rules', id, 'disable'], true);
  if (what.ignore) {
    const list = doc.getIn(['rules', id, 'ignore']);
    if (isSeq(list)) {
      if (!list.items.some((i) => String((i as { value?: unknown }).value ?? i) === what.ignore)) list.add(what.ignore);
    } else doc.setIn(['rules', id, 'ignore'], [what.ignore]);
  }
  const text = doc.toString();
  if (existing) {
    const edit = new vscode.WorkspaceEdit();
    edit.replace(uri, new vscode.Range(0, 0, existing.lineCount, 0), text);
    await vscode.workspace.applyEdit(edit);
    await existing.save();
  } else {
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));
  }
}
