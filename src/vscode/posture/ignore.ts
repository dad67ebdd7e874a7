import * as vscode from 'vscode';
import { parseDocument, isMap, isSeq, type Document } from 'yaml';
import { readRepoFileForOverwrite, writeRepoFile } from '../../core/fs/safe-write';
import { plainText } from '../../core/report/text';
import { indentOf } from '../../core/yaml/text';
import type { FolderState } from './posture';
import type { HandlerFactory } from '../shared/services';
import { pickTarget, targetOfNode, type Target } from '../shared/targets';
import { nestingBound } from '../../core/yaml/depth';
import { MAX_NESTING } from '../../core/yaml/parse';

// Ignoring a finding the project has judged acceptable, the two ways the engine understands: an inline
// `# steward: ignore[id]` comment above the line (YAML files), or an entry in `.github/steward.yml`.
// The user chooses; both are plain text changes they can review and commit. Refused in Restricted Mode
// (src/vscode/shared/register.ts).

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
      apply: () => addComment(state, loc.file, loc.start.line, id),
    });
  }
  if (loc) {
    choices.push({
      how: 'line',
      label: '$(gear) Ignore this line in .github/steward.yml',
      description: `rules.${id}.ignore: ${loc.file}:${loc.start.line}`,
      detail: 'Keeps the file untouched; the entry must move if the line moves.',
      apply: () => addConfigEntry(state, id, { ignore: `${loc.file}:${loc.start.line}` }),
    });
    choices.push({
      how: 'file',
      label: '$(file) Ignore this rule for the whole file',
      description: `rules.${id}.ignore: ${loc.file}`,
      apply: () => addConfigEntry(state, id, { ignore: loc.file }),
    });
  }
  choices.push({
    how: 'disable',
    label: '$(circle-slash) Turn this check off for the repository',
    description: `rules.${id}.disable: true`,
    detail: 'For checks that do not apply to this project. Recorded in .github/steward.yml.',
    apply: () => addConfigEntry(state, id, { disable: true }),
  });
  const pick = how ? choices.find((c) => c.how === how) : await vscode.window.showQuickPick(choices, { placeHolder: `Ignore "${plainText(finding?.message ?? row.meta.title)}" how?` });
  if (!pick) return 'cancelled';
  await pick.apply();
  await svc.posture.scanFolder(state);
  return 'ignored';
};

/**
 * Where an Ignore writes: on a local folder through the one write path (src/core/fs/safe-write.ts: no
 * symlinks, nothing outside the repository, atomic); elsewhere (virtual workspaces) as an edit in the
 * editor that the user saves. A file with unsaved changes is edited in the editor too, never written
 * underneath them.
 */
interface Place {
  state: FolderState;
  rel: string;
  uri: vscode.Uri;
  /** The open document, if any. */
  doc?: vscode.TextDocument;
  /** Set when the file is written on disk directly. */
  root?: string;
}

function placeOf(state: FolderState, rel: string): Place {
  const uri = state.snapshot.uriOf(rel);
  const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  const onDisk = uri.scheme === 'file' && state.folder.uri.scheme === 'file' && !doc?.isDirty;
  return { state, rel, uri, doc, root: onDisk ? state.folder.uri.fsPath : undefined };
}

/** The current text of a place, or undefined when the file does not exist. Never reads through a link. */
async function currentText(p: Place): Promise<string | undefined> {
  if (p.root) {
    const bytes = await readRepoFileForOverwrite(p.root, p.rel);
    // ignoreBOM keeps a byte-order mark where it was: the file is written back byte for byte.
    return bytes === undefined ? undefined : new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes);
  }
  if (p.doc) return p.doc.getText();
  try {
    return (await vscode.workspace.openTextDocument(p.uri)).getText();
  } catch {
    return undefined;
  }
}

/** Replaces the whole file, or creates it when `existed` is false. */
async function replaceText(p: Place, text: string, existed: boolean): Promise<void> {
  if (p.root) {
    await writeRepoFile(p.root, p.rel, text);
    return;
  }
  const edit = new vscode.WorkspaceEdit();
  if (!existed) edit.createFile(p.uri, { ignoreIfExists: true, contents: new TextEncoder().encode(text) });
  else {
    const doc = p.doc ?? (await vscode.workspace.openTextDocument(p.uri));
    edit.replace(p.uri, new vscode.Range(0, 0, doc.lineCount, 0), text);
  }
  if (!(await vscode.workspace.applyEdit(edit))) throw new Error(`could not edit ${p.rel}`);
}

/** The text with `# steward: ignore[id]` inserted above 1-based `line`, at that line's indentation. */
export function withIgnoreComment(text: string, line: number, id: string): string {
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  let at = 0;
  for (let i = 1; i < line; i++) {
    const next = text.indexOf('\n', at);
    if (next < 0) return text; // the line is gone: nothing sensible to insert
    at = next + 1;
  }
  const end = text.indexOf('\n', at);
  const lineText = text.slice(at, end < 0 ? text.length : end).replace(/\r$/, '');
  // A list item's comment goes at the dash's indentation, so it reads as belonging to the item.
  return `${text.slice(0, at)}${indentOf(lineText)}# steward: ignore[${id}]${eol}${text.slice(at)}`;
}

async function addComment(state: FolderState, rel: string, line: number, id: string): Promise<void> {
  const p = placeOf(state, rel);
  const text = await currentText(p);
  if (text === undefined) throw new Error(`${rel} no longer exists`);
  await replaceText(p, withIgnoreComment(text, line, id), true);
}

async function addConfigEntry(state: FolderState, id: string, what: { ignore?: string; disable?: boolean }): Promise<void> {
  const p = placeOf(state, CONFIG);
  const before = await currentText(p);
  let doc: Document;
  if (before !== undefined) {
    if (nestingBound(before, MAX_NESTING) > MAX_NESTING) throw new Error(`${CONFIG} nests more than ${MAX_NESTING} levels deep; Steward does not parse it`);
    doc = parseDocument(before);
    if (doc.errors.length) throw new Error(`${CONFIG} does not parse: ${doc.errors[0].message}`);
  } else {
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
  await replaceText(p, doc.toString(), before !== undefined);
  // A file Steward created is shown, so the user sees what will be committed.
  if (before === undefined) await vscode.window.showTextDocument(p.uri, { preview: true, preserveFocus: true });
}
