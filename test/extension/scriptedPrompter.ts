import * as assert from 'node:assert/strict';
import type * as vscode from 'vscode';
import { BACK, type ConfirmOptions, type InputOptions, type PickItem, type PickOptions, type Prompter } from '../../src/vscode/shared/prompter';

// A Prompter that answers from a script, keyed by question id, and records every question it was asked
// (title, step counter, items) so tests can assert on what the user would have seen.
//  - pick:     a label (exact, else the first label containing it) or BACK; no entry = the pre-selected item
//  - pickMany: a list of labels; no entry = the pre-selected items
//  - input:    the text (checked with the step's validator); no entry = the pre-filled value
//  - confirm / notify: the button label; no entry = dismissed (undefined)
//  - chooseFolder: a Uri
// An array of answers is used one per call (for questions asked again after Back).

export type Answer = string | string[] | typeof BACK | vscode.Uri | undefined;

export interface Asked {
  kind: 'pick' | 'pickMany' | 'input' | 'confirm' | 'notify' | 'chooseFolder';
  id: string;
  title?: string;
  step?: number;
  totalSteps?: number;
  back?: boolean;
  placeholder?: string;
  items?: { label: string; description?: string; detail?: string; picked?: boolean }[];
  value?: string;
  message?: string;
  detail?: string;
  actions?: string[];
  answer?: unknown;
}

export class ScriptedPrompter implements Prompter {
  readonly asked: Asked[] = [];
  private readonly used = new Map<string, number>();

  constructor(private readonly script: Record<string, Answer | Answer[]>) {}

  private next(id: string): { has: boolean; answer: Answer } {
    if (!(id in this.script)) return { has: false, answer: undefined };
    const a = this.script[id];
    if (Array.isArray(a) && (a as { sequence?: boolean }).sequence === true) {
      const n = this.used.get(id) ?? 0;
      this.used.set(id, n + 1);
      assert.ok(n < a.length, `question "${id}" asked more often (${n + 1}) than scripted (${a.length})`);
      return { has: true, answer: a[n] as Answer };
    }
    return { has: true, answer: a as Answer };
  }

  private findItem<T>(items: PickItem<T>[], label: string, id: string): PickItem<T> {
    const hit = items.find((i) => i.label === label) ?? items.find((i) => i.label.includes(label));
    assert.ok(hit, `question "${id}": no item "${label}" in ${JSON.stringify(items.map((i) => i.label))}`);
    return hit;
  }

  private record<T>(kind: Asked['kind'], o: PickOptions<T>, answer: unknown): void {
    this.asked.push({
      kind,
      id: o.id,
      title: o.title,
      step: o.step,
      totalSteps: o.totalSteps,
      back: o.back,
      placeholder: o.placeholder,
      items: o.items.map((i) => ({ label: i.label, description: i.description, detail: i.detail, picked: i.picked })),
      answer,
    });
  }

  async pick<T>(o: PickOptions<T>): Promise<T | typeof BACK | undefined> {
    const { has, answer } = this.next(o.id);
    let out: T | typeof BACK | undefined;
    if (answer === BACK) out = BACK;
    else if (!has) out = (o.items.find((i) => i.picked) ?? o.items[0])?.value;
    else if (typeof answer === 'string') out = this.findItem(o.items, answer, o.id).value;
    else out = undefined;
    this.record('pick', o, answer === BACK ? 'BACK' : has ? answer : '(default)');
    return out;
  }

  async pickMany<T>(o: PickOptions<T>): Promise<T[] | typeof BACK | undefined> {
    const { has, answer } = this.next(o.id);
    let out: T[] | typeof BACK | undefined;
    if (answer === BACK) out = BACK;
    else if (!has) out = o.items.filter((i) => i.picked).map((i) => i.value);
    else if (Array.isArray(answer)) out = answer.map((l) => this.findItem(o.items, l, o.id).value);
    else out = undefined;
    this.record('pickMany', o, answer === BACK ? 'BACK' : has ? answer : '(default)');
    return out;
  }

  async input(o: InputOptions): Promise<string | typeof BACK | undefined> {
    const { has, answer } = this.next(o.id);
    this.asked.push({ kind: 'input', id: o.id, title: o.title, step: o.step, totalSteps: o.totalSteps, back: o.back, value: o.value, answer: answer === BACK ? 'BACK' : answer });
    if (answer === BACK) return BACK;
    const text = has ? (answer as string | undefined) : (o.value ?? '');
    if (text === undefined) return undefined;
    const error = o.validate?.(text);
    assert.equal(error, undefined, `question "${o.id}": the wizard rejects "${text}"`);
    return text;
  }

  async confirm(o: ConfirmOptions): Promise<string | undefined> {
    const { answer } = this.next(o.id);
    this.asked.push({ kind: 'confirm', id: o.id, message: o.message, detail: o.detail, actions: o.actions, answer });
    if (answer !== undefined) assert.ok(o.actions.includes(answer as string), `confirm "${o.id}": no button "${String(answer)}" in ${JSON.stringify(o.actions)}`);
    return answer as string | undefined;
  }

  async notify(o: { id: string; message: string; actions: string[] }): Promise<string | undefined> {
    const { answer } = this.next(o.id);
    this.asked.push({ kind: 'notify', id: o.id, message: o.message, actions: o.actions, answer });
    return answer as string | undefined;
  }

  async chooseFolder(o: { id: string; title: string }): Promise<vscode.Uri | undefined> {
    const { answer } = this.next(o.id);
    this.asked.push({ kind: 'chooseFolder', id: o.id, title: o.title, answer: String(answer) });
    return answer as vscode.Uri | undefined;
  }

  /** The questions with this id, in order. */
  questions(id: string): Asked[] {
    return this.asked.filter((a) => a.id === id);
  }
}

/** Answers used one per call, e.g. seq(BACK, '60'): the first ask goes back, the second answers 60. */
export function seq(...answers: Answer[]): Answer[] {
  return Object.assign(answers, { sequence: true });
}
