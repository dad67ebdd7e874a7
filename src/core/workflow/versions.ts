import type { YamlFile } from '../yaml/parse';
import { parseUses, VERSION_COMMENT } from '../yaml/uses';
import type { StepModel } from '../yaml/workflow';

/**
 * The version of the action a step uses, from its ref (`@v6`, `@v4.2.1`) or, for a SHA pin, from the
 * version comment after it (`@<sha> # v6.0.1`). `floating` is set for a major-only or major.minor tag,
 * which follows the newest release of that line.
 */
export interface ActionVersion {
  major: number;
  minor?: number;
  patch?: number;
  floating: boolean;
}

export function actionVersion(file: YamlFile, step: StepModel): ActionVersion | undefined {
  if (!step.uses) return undefined;
  const u = parseUses(step.uses.value);
  if (u.kind !== 'repo') return undefined;
  let text: string | undefined;
  if (!u.pinned) text = u.ref;
  else if (step.uses.node.range) {
    const end = step.uses.node.range[1];
    const line = file.lines.position(end).line;
    const m = VERSION_COMMENT.exec(file.text.slice(end, file.lines.lineEnd(line)));
    text = m?.[1];
  }
  const m = text ? /^v?(\d+)(?:\.(\d+))?(?:\.(\d+))?$/.exec(text.trim()) : undefined;
  if (!m) return undefined;
  return { major: Number(m[1]), minor: m[2] === undefined ? undefined : Number(m[2]), patch: m[3] === undefined ? undefined : Number(m[3]), floating: m[3] === undefined && !u.pinned };
}

/** Whether the version is at least major.minor (a floating `v6` counts as the newest v6 release). */
export function atLeast(v: ActionVersion | undefined, major: number, minor = 0): boolean | undefined {
  if (!v) return undefined;
  if (v.major !== major) return v.major > major;
  if (v.minor === undefined) return v.floating ? true : minor === 0;
  return v.minor >= minor;
}
