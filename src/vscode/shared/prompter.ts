import * as vscode from 'vscode';

// The questions a multi-step command asks, behind a small interface: the commands take a Prompter so
// the extension-host tests can answer with a script (no UI automation), and the real one below shows
// VS Code's QuickPick / InputBox with a step counter ("Step 2/5") and a Back button.

/** Returned by a step when the user pressed Back. */
// Symbol.for: a prompter built in another bundle (the extension-host tests) must produce the same value.
export const BACK: unique symbol = Symbol.for('steward.prompter.back') as never;
export type Back = typeof BACK;

export interface PickItem<T> {
  label: string;
  description?: string;
  detail?: string;
  value: T;
  /** Pre-selected (multi-select) or the active item (single select). */
  picked?: boolean;
  /** Shown as a separator line above this item. */
  separator?: string;
}

interface StepOptions {
  /** Stable id of the question (the scripted prompter answers by id). */
  id: string;
  title: string;
  step?: number;
  totalSteps?: number;
  /** Show the Back button (false on the first step). */
  back?: boolean;
}

export interface PickOptions<T> extends StepOptions {
  placeholder?: string;
  items: PickItem<T>[];
}

export interface InputOptions extends StepOptions {
  prompt?: string;
  value?: string;
  placeholder?: string;
  /** An error message for an invalid value, undefined when it is fine. */
  validate?: (value: string) => string | undefined;
}

export interface ConfirmOptions {
  id: string;
  message: string;
  detail?: string;
  /** Button labels; the answer is one of them, or undefined for Cancel / Escape. */
  actions: string[];
  /** Warning styling (e.g. stashing, replacing a file). */
  warning?: boolean;
}

export interface Prompter {
  pick<T>(o: PickOptions<T>): Promise<T | Back | undefined>;
  pickMany<T>(o: PickOptions<T>): Promise<T[] | Back | undefined>;
  input(o: InputOptions): Promise<string | Back | undefined>;
  /** A modal question. */
  confirm(o: ConfirmOptions): Promise<string | undefined>;
  /** A non-modal notification with buttons; resolves with the chosen button (or undefined). */
  notify(o: { id: string; message: string; actions: string[]; level?: 'info' | 'warning' | 'error' }): Promise<string | undefined>;
  /** A folder chosen by the user. */
  chooseFolder(o: { id: string; title: string; openLabel: string }): Promise<vscode.Uri | undefined>;
}

type QpItem<T> = vscode.QuickPickItem & { value?: T };

function toQpItems<T>(items: PickItem<T>[]): QpItem<T>[] {
  const out: QpItem<T>[] = [];
  for (const i of items) {
    if (i.separator) out.push({ label: i.separator, kind: vscode.QuickPickItemKind.Separator });
    out.push({ label: i.label, description: i.description, detail: i.detail, value: i.value, picked: i.picked });
  }
  return out;
}

/** The real prompter: QuickPick and InputBox with step counters and Back, modal messages. */
export class VsCodePrompter implements Prompter {
  pick<T>(o: PickOptions<T>): Promise<T | Back | undefined> {
    return this.quickPick(o, false) as Promise<T | Back | undefined>;
  }

  pickMany<T>(o: PickOptions<T>): Promise<T[] | Back | undefined> {
    return this.quickPick(o, true) as Promise<T[] | Back | undefined>;
  }

  private quickPick<T>(o: PickOptions<T>, many: boolean): Promise<T | T[] | Back | undefined> {
    return new Promise((resolve) => {
      const qp = vscode.window.createQuickPick<QpItem<T>>();
      qp.title = o.title;
      qp.step = o.step;
      qp.totalSteps = o.totalSteps;
      qp.placeholder = o.placeholder;
      qp.canSelectMany = many;
      qp.ignoreFocusOut = true;
      qp.matchOnDescription = true;
      qp.matchOnDetail = true;
      qp.buttons = o.back ? [vscode.QuickInputButtons.Back] : [];
      const items = toQpItems(o.items);
      qp.items = items;
      if (many) qp.selectedItems = items.filter((i) => i.picked);
      else {
        const active = items.find((i) => i.picked);
        if (active) qp.activeItems = [active];
      }
      let done = false;
      const finish = (v: T | T[] | Back | undefined) => {
        if (done) return;
        done = true;
        resolve(v);
        qp.dispose();
      };
      qp.onDidTriggerButton((b) => b === vscode.QuickInputButtons.Back && finish(BACK));
      qp.onDidAccept(() => {
        if (many) finish(qp.selectedItems.map((i) => i.value as T));
        else if (qp.activeItems[0]) finish(qp.activeItems[0].value as T);
      });
      qp.onDidHide(() => finish(undefined));
      qp.show();
    });
  }

  input(o: InputOptions): Promise<string | Back | undefined> {
    return new Promise((resolve) => {
      const box = vscode.window.createInputBox();
      box.title = o.title;
      box.step = o.step;
      box.totalSteps = o.totalSteps;
      box.prompt = o.prompt;
      box.value = o.value ?? '';
      box.placeholder = o.placeholder;
      box.ignoreFocusOut = true;
      box.buttons = o.back ? [vscode.QuickInputButtons.Back] : [];
      let done = false;
      const finish = (v: string | Back | undefined) => {
        if (done) return;
        done = true;
        resolve(v);
        box.dispose();
      };
      const check = () => {
        box.validationMessage = o.validate?.(box.value);
      };
      check();
      box.onDidChangeValue(check);
      box.onDidTriggerButton((b) => b === vscode.QuickInputButtons.Back && finish(BACK));
      box.onDidAccept(() => {
        check();
        if (!box.validationMessage) finish(box.value);
      });
      box.onDidHide(() => finish(undefined));
      box.show();
    });
  }

  async confirm(o: ConfirmOptions): Promise<string | undefined> {
    const show = o.warning ? vscode.window.showWarningMessage : vscode.window.showInformationMessage;
    return show(o.message, { modal: true, detail: o.detail }, ...o.actions);
  }

  async notify(o: { id: string; message: string; actions: string[]; level?: 'info' | 'warning' | 'error' }): Promise<string | undefined> {
    const show = o.level === 'error' ? vscode.window.showErrorMessage : o.level === 'warning' ? vscode.window.showWarningMessage : vscode.window.showInformationMessage;
    return show(o.message, ...o.actions);
  }

  async chooseFolder(o: { id: string; title: string; openLabel: string }): Promise<vscode.Uri | undefined> {
    const r = await vscode.window.showOpenDialog({ canSelectFiles: false, canSelectFolders: true, canSelectMany: false, title: o.title, openLabel: o.openLabel });
    return r?.[0];
  }
}

/** Runs steps in order; a step answering BACK goes to the previous one that was shown. */
export async function runSteps(steps: (() => Promise<'next' | 'skip' | Back | undefined>)[]): Promise<boolean> {
  const shown: number[] = [];
  let i = 0;
  while (i < steps.length) {
    const r = await steps[i]();
    if (r === undefined) return false;
    if (r === BACK) {
      const prev = shown.pop();
      if (prev === undefined) return false;
      i = prev;
      continue;
    }
    if (r === 'next') shown.push(i);
    i++;
  }
  return true;
}
