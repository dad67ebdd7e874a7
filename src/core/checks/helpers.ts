import type { Scalar, Pair } from 'yaml';
import type { Confidence, Finding, Fix, Location, RelatedLocation, Severity } from '../model';
import type { SourceFile } from './types';
import type { JobModel, StepModel } from '../yaml/workflow';
import { isScalar, locationOf, rangeLocation, type YamlFile } from '../yaml/parse';
import { fileMemo } from '../repo/load';

// Small helpers every check uses to build findings the same way.

export interface FindingInit {
  message: string;
  severity?: Severity;
  confidence?: Confidence;
  location?: Location;
  related?: RelatedLocation[];
  fixes?: Fix[];
  details?: string[];
}

export function finding(meta: { id: string; severity: Severity; confidence: Confidence }, init: FindingInit): Finding {
  return {
    ruleId: meta.id,
    message: init.message,
    severity: init.severity ?? meta.severity,
    confidence: init.confidence ?? meta.confidence,
    location: init.location,
    related: init.related,
    fixes: init.fixes ?? [],
    details: init.details,
  };
}

export interface UsesSite {
  value: string;
  node: Scalar;
  pair: Pair;
  job?: JobModel;
  step?: StepModel;
  /** 'step' for `steps[].uses`, 'job' for a reusable workflow call. */
  level: 'step' | 'job';
}

/**
 * Every `uses:` in a workflow (steps and reusable-workflow calls) or a composite action. Worked out
 * once per file and shared by every check that asks (eight do): do not change the list.
 */
export function usesSites(file: SourceFile): readonly UsesSite[] {
  return fileMemo(file, 'helpers:uses-sites', findUsesSites);
}

function findUsesSites(file: SourceFile): UsesSite[] {
  const out: UsesSite[] = [];
  if (file.workflow) {
    for (const job of file.workflow.jobs) {
      // Written out rather than spread ({ ...u, job }): the same keys in the same order, without the
      // generic copy (this memo's first call was 1.6 % of a warm scan's profile, issue 19).
      const ju = job.uses;
      if (ju) out.push({ value: ju.value, node: ju.node, pair: ju.pair, job, level: 'job' });
      for (const step of job.steps) {
        const u = step.uses;
        if (u) out.push({ value: u.value, node: u.node, pair: u.pair, job, step, level: 'step' });
      }
    }
  } else if (file.action) {
    for (const step of file.action.steps) {
      const u = step.uses;
      if (u) out.push({ value: u.value, node: u.node, pair: u.pair, step, level: 'step' });
    }
  }
  return out;
}

/**
 * The sites with a node not seen before, in order. A YAML alias (`- *checkout`) repeats its anchor's
 * node, and that one piece of text is one finding with one fix, not one per place it is used.
 */
export function oncePerNode<T extends { node: unknown }>(sites: readonly T[]): T[] {
  const seen = new Set<unknown>();
  return sites.filter((s) => !seen.has(s.node) && (seen.add(s.node), true));
}

/** usesSites without the repeats an alias makes (see oncePerNode). */
export function distinctUsesSites(file: SourceFile): readonly UsesSite[] {
  return fileMemo(file, 'helpers:distinct-uses-sites', (f) => oncePerNode(usesSites(f)));
}

/** Every step of a workflow's jobs or a composite action, with its job when there is one. */
export function allSteps(file: SourceFile): { step: StepModel; job?: JobModel }[] {
  const out: { step: StepModel; job?: JobModel }[] = [];
  if (file.workflow) {
    for (const job of file.workflow.jobs) for (const step of job.steps) out.push({ step, job });
  } else if (file.action) {
    for (const step of file.action.steps) out.push({ step });
  }
  return out;
}

/**
 * Location of a scalar's *value* text (without quotes' surroundings for plain scalars). For quoted
 * scalars the quotes are included, which is what an editor selection of "the value" looks like.
 */
export function valueLocation(yaml: YamlFile, node: unknown): Location {
  return locationOf(yaml, node) ?? rangeLocation(yaml, 0, 0);
}

export function plural(n: number, word: string, many = `${word}s`): string {
  return `${n} ${n === 1 ? word : many}`;
}

/** A readable name for a job in messages: its `name:` when static, else its id. */
export function jobLabel(job: JobModel): string {
  return job.name && !job.name.includes('${{') ? `${job.id} (${job.name})` : job.id;
}

export interface IfSite {
  /** The `if:` value (only plain or quoted scalars; a map or list there is not a condition). */
  node: Scalar;
  /** Where it is, for messages: `job build`, `step Deploy of job build`. */
  what: string;
}

/** Every scalar `if:` of a workflow's jobs and steps, or of a composite action's steps. */
export function ifSites(file: SourceFile): IfSite[] {
  const out: IfSite[] = [];
  const step = (s: StepModel, job?: JobModel) => {
    if (s.if && isScalar(s.if.node)) out.push({ node: s.if.node, what: `step ${s.name ?? s.id ?? s.index + 1}${job ? ` of job ${jobLabel(job)}` : ''}` });
  };
  for (const job of file.workflow?.jobs ?? []) {
    if (job.if && isScalar(job.if.node)) out.push({ node: job.if.node, what: `job ${jobLabel(job)}` });
    for (const s of job.steps) step(s, job);
  }
  for (const s of file.action?.steps ?? []) step(s);
  return out;
}

// pathKinds lives with classifyPath (the engine shares it: one classification of every path per scan).
export { pathKinds } from '../repo/classify';
