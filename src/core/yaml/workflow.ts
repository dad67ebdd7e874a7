import type { Pair, Scalar, YAMLMap, YAMLSeq } from 'yaml';
import { deref, get, getMap, getPair, isMap, isScalar, isSeq, keyString, pairs, rootMap, scalarString, type YamlFile } from './parse';

// A typed view over a parsed workflow or action file that keeps the YAML nodes, so checks can point at
// the exact construct and fixes can splice next to it. Built once per file and shared by all checks.

export interface StepModel {
  index: number;
  node: YAMLMap;
  /** Raw `uses:` value and its node. */
  uses?: { value: string; node: Scalar; pair: Pair };
  run?: { value: string; node: Scalar; pair: Pair };
  with?: YAMLMap;
  withPair?: Pair;
  env?: YAMLMap;
  envPair?: Pair;
  if?: { node: unknown; pair: Pair };
  name?: string;
  id?: string;
  shell?: string;
  /** `background: true`: the step starts and the job moves on (it still runs, with the job's token). */
  background?: boolean;
  /** The `parallel:` group node the step sits in, when it does. */
  group?: YAMLMap;
}

export interface JobModel {
  id: string;
  pair: Pair;
  node: YAMLMap;
  name?: string;
  permissions?: Pair;
  /** Reusable workflow call at job level. */
  uses?: { value: string; node: Scalar; pair: Pair };
  with?: YAMLMap;
  secrets?: Pair;
  runsOn?: Pair;
  container?: Pair;
  services?: Pair;
  env?: YAMLMap;
  if?: { node: unknown; pair: Pair };
  environment?: Pair;
  steps: StepModel[];
  /** Default shell from job or workflow `defaults.run.shell`. */
  defaultShell?: string;
}

export interface TriggerModel {
  name: string;
  /** The node naming the trigger (scalar in string/list forms, key in mapping form). */
  node: unknown;
  /** The trigger's configuration mapping, when written as a mapping. */
  config?: unknown;
}

export interface WorkflowModel {
  kind: 'workflow';
  file: YamlFile;
  root: YAMLMap;
  name?: string;
  onPair?: Pair;
  triggers: TriggerModel[];
  permissions?: Pair;
  env?: YAMLMap;
  jobs: JobModel[];
}

export interface ActionModel {
  kind: 'action';
  file: YamlFile;
  root: YAMLMap;
  name?: string;
  using?: string;
  runsPair?: Pair;
  /** Composite action steps. */
  steps: StepModel[];
  inputs?: YAMLMap;
  /** Docker action image. */
  image?: { value: string; node: Scalar; pair: Pair };
}

function scalarField(map: unknown, key: string, file: YamlFile): { value: string; node: Scalar; pair: Pair } | undefined {
  const pair = getPair(map, key, file);
  if (!pair) return undefined;
  const node = deref(pair.value, file);
  if (!isScalar(node)) return undefined;
  return { value: scalarString(node) ?? '', node, pair };
}

function ifField(map: unknown, file: YamlFile): { node: unknown; pair: Pair } | undefined {
  const pair = getPair(map, 'if', file);
  return pair ? { node: deref(pair.value, file), pair } : undefined;
}

/**
 * Every step of a `steps:` list in the order the job starts them, with the steps of `parallel:`
 * groups (`- parallel: [ … ]`, nested groups included) in place of the group. This is the one step
 * walker: checks, fixes and the permission analysis all read steps through it, so a step inside a
 * group is seen wherever a plain step is. `index` is the position in that order.
 */
export function walkSteps(seq: unknown, file: YamlFile, visit: (node: YAMLMap, group: YAMLMap | undefined) => void, group?: YAMLMap, depth = 0): void {
  if (!isSeq(seq) || depth > 8) return;
  for (const item of (seq as YAMLSeq).items) {
    const node = deref(item, file);
    if (!isMap(node)) continue;
    const inner = getPair(node, 'parallel', file);
    const innerSeq = inner ? deref(inner.value, file) : undefined;
    if (inner && isSeq(innerSeq) && !getPair(node, 'run', file) && !getPair(node, 'uses', file)) {
      walkSteps(innerSeq, file, visit, node, depth + 1);
      continue;
    }
    visit(node, group);
  }
}

export function readSteps(seq: unknown, file: YamlFile): StepModel[] {
  const steps: StepModel[] = [];
  walkSteps(seq, file, (node, group) => {
    const withPair = getPair(node, 'with', file);
    const envPair = getPair(node, 'env', file);
    const withNode = withPair ? deref(withPair.value, file) : undefined;
    const envNode = envPair ? deref(envPair.value, file) : undefined;
    const bg = scalarString(get(node, 'background', file));
    steps.push({
      index: steps.length,
      node,
      uses: scalarField(node, 'uses', file),
      run: scalarField(node, 'run', file),
      with: isMap(withNode) ? withNode : undefined,
      withPair,
      env: isMap(envNode) ? envNode : undefined,
      envPair,
      if: ifField(node, file),
      name: scalarString(get(node, 'name', file)),
      id: scalarString(get(node, 'id', file)),
      shell: scalarString(get(node, 'shell', file)),
      ...(bg !== undefined && /^true$/i.test(bg.trim()) ? { background: true } : {}),
      ...(group ? { group } : {}),
    });
  });
  return steps;
}

function readTriggers(onValue: unknown, file: YamlFile): TriggerModel[] {
  const v = deref(onValue, file);
  if (isScalar(v)) return [{ name: scalarString(v) ?? '', node: v }];
  if (isSeq(v)) {
    return v.items
      .map((i) => deref(i, file))
      .filter(isScalar)
      .map((s) => ({ name: scalarString(s) ?? '', node: s }));
  }
  if (isMap(v)) {
    return pairs(v).map((p) => ({ name: keyString(p) ?? '', node: p.key, config: deref(p.value, file) }));
  }
  return [];
}

function defaultShell(map: unknown, file: YamlFile): string | undefined {
  return scalarString(get(getMap(getMap(map, 'defaults', file), 'run', file), 'shell', file));
}

export function readWorkflow(file: YamlFile): WorkflowModel | undefined {
  const root = rootMap(file);
  if (!root) return undefined;
  const onPair = getPair(root, 'on', file) ?? getPair(root, 'true', file);
  const jobsMap = getMap(root, 'jobs', file);
  const wfShell = defaultShell(root, file);
  const jobs: JobModel[] = [];
  for (const pair of pairs(jobsMap)) {
    const id = keyString(pair);
    const node = deref(pair.value, file);
    if (id === undefined || !isMap(node)) continue;
    const withNode = get(node, 'with', file);
    jobs.push({
      id,
      pair,
      node,
      name: scalarString(get(node, 'name', file)),
      permissions: getPair(node, 'permissions', file),
      uses: scalarField(node, 'uses', file),
      with: isMap(withNode) ? withNode : undefined,
      secrets: getPair(node, 'secrets', file),
      runsOn: getPair(node, 'runs-on', file),
      container: getPair(node, 'container', file),
      services: getPair(node, 'services', file),
      env: getMap(node, 'env', file),
      if: ifField(node, file),
      environment: getPair(node, 'environment', file),
      steps: readSteps(get(node, 'steps', file), file),
      defaultShell: defaultShell(node, file) ?? wfShell,
    });
  }
  return {
    kind: 'workflow',
    file,
    root,
    name: scalarString(get(root, 'name', file)),
    onPair,
    triggers: onPair ? readTriggers(onPair.value, file) : [],
    permissions: getPair(root, 'permissions', file),
    env: getMap(root, 'env', file),
    jobs,
  };
}

export function readAction(file: YamlFile): ActionModel | undefined {
  const root = rootMap(file);
  if (!root) return undefined;
  const runsPair = getPair(root, 'runs', file);
  const runs = runsPair ? deref(runsPair.value, file) : undefined;
  const inputs = getMap(root, 'inputs', file);
  return {
    kind: 'action',
    file,
    root,
    name: scalarString(get(root, 'name', file)),
    using: scalarString(get(runs, 'using', file)),
    runsPair,
    steps: readSteps(get(runs, 'steps', file), file),
    inputs,
    image: scalarField(runs, 'image', file),
  };
}

/** Triggers through which people outside the project can start the workflow with data they control. */
export const OUTSIDER_TRIGGERS = new Set([
  'pull_request_target',
  'issues',
  'issue_comment',
  'pull_request_review',
  'pull_request_review_comment',
  'discussion',
  'discussion_comment',
  'fork',
  'watch',
  'workflow_run',
]);

export function triggerNames(wf: WorkflowModel): Set<string> {
  return new Set(wf.triggers.map((t) => t.name));
}
