import * as vscode from 'vscode';
import type { Location } from '../../core/model';
import { toRange } from './diagnostics';
import type { HandlerFactory } from '../shared/services';
import type { PostureNode } from './tree';

/** Opens a file at a finding's location. Called with (uri, location) from a click or a finding node from a menu. */
export const goToLocation: HandlerFactory = () => async (target?: vscode.Uri | PostureNode, loc?: Location) => {
  let uri: vscode.Uri | undefined;
  let where: Location | undefined = loc;
  if (target instanceof vscode.Uri) uri = target;
  else if (target && target.kind === 'finding' && target.finding.location) {
    where = target.finding.location;
    uri = target.state.snapshot.uriOf(where.file);
  } else if (target && target.kind === 'check') {
    const f = target.row.findings.find((x) => x.location);
    if (f?.location) {
      where = f.location;
      uri = target.state.snapshot.uriOf(where.file);
    }
  }
  if (!uri) return;
  const doc = await vscode.workspace.openTextDocument(uri);
  const range = where ? toRange(where) : undefined;
  await vscode.window.showTextDocument(doc, { selection: range, preserveFocus: false });
};
