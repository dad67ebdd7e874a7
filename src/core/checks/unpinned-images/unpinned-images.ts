import type { CheckMeta, Finding, Severity } from '../../model';
import type { Check, SourceFile } from '../types';
import { finding, jobLabel } from '../helpers';
import { deref, get, isMap, isScalar, keyString, locationOf, pairs, scalarString, type Scalar } from '../../yaml/parse';
import type { JobModel, StepModel } from '../../yaml/workflow';
import { PIN_IMAGE_PROVIDER } from '../../fix/deferred';
import { matrixPath, matrixValues } from './matrix';

export const meta: CheckMeta = {
  id: 'unpinned-images',
  title: 'Container images pinned by digest',
  category: 'workflows',
  severity: 'medium',
  confidence: 'high',
  fixable: true,
  docs: {
    summary:
      'A job `container:`, a `services:` container, a `docker://` step or a Docker action\'s `runs.image` names an image by a tag (`node:20`), by `latest` or with no tag at all, instead of by its digest (`node:20@sha256:…`).',
    whyItMatters:
      'A tag is a label the image\'s publisher (or anyone who takes over their registry account) can point at a different image at any time; `latest` and untagged images change on every push. Your job runs inside that image with your checkout, token and secrets, so a replaced image runs whatever its new owner wants. A digest names exactly one image and cannot be moved.',
    howToFix:
      'Look up the digest of the tag you use today (`docker buildx imagetools inspect node:20`, or the registry\'s web page) and append it: `image: node:20@sha256:<digest>`. Keep the tag in front so people can read it; Dependabot (`package-ecosystem: docker`) and Renovate update both.',
    effort: 'minutes',
    fixSafety:
      'Safe when the digest is the one the tag points to today: the job keeps running the same image. Steward resolves it from the registry when online and shows which digest it found.',
  },
  references: {
    zizmor: 'unpinned-images',
    scorecard: 'Pinned-Dependencies',
    other: [{ title: 'GitHub Docs: Running jobs in a container', url: 'https://docs.github.com/en/actions/how-tos/write-workflows/choose-where-workflows-run/run-jobs-in-a-container' }],
  },
};

/** What the pin-image provider needs: where the image reference text is, and what it says. */
export interface PinImageData {
  [key: string]: unknown;
  file: string;
  /** The reference as written, without `docker://` (e.g. `ghcr.io/org/img:1.2`). */
  image: string;
  name: string;
  tag?: string;
  /** Offsets of the reference text itself (after any quote and `docker://`), where `@sha256:…` goes at `end`. */
  start: number;
  end: number;
}

export interface ImageRef {
  name: string;
  tag?: string;
  digest?: string;
}

export function parseImage(ref: string): ImageRef {
  const at = ref.indexOf('@');
  const digest = at >= 0 ? ref.slice(at + 1) : undefined;
  const rest = at >= 0 ? ref.slice(0, at) : ref;
  const slash = rest.lastIndexOf('/');
  const colon = rest.indexOf(':', slash + 1);
  return colon >= 0 ? { name: rest.slice(0, colon), tag: rest.slice(colon + 1), digest } : { name: rest, digest };
}

interface ImageSite {
  node: Scalar;
  /** The reference without `docker://`. */
  ref: string;
  where: string;
  /** Set when the value came from the job's matrix. */
  viaMatrix?: boolean;
}

function imageFindings(file: SourceFile, site: ImageSite): Finding[] {
  const ref = site.ref.trim();
  if (!ref || ref.includes('${{')) return [];
  const img = parseImage(ref);
  if (img.digest) return [];
  let severity: Severity;
  let problem: string;
  if (!img.tag) {
    severity = 'medium';
    problem = 'has no tag, so it runs whatever `latest` is at the time';
  } else if (img.tag === 'latest') {
    severity = 'medium';
    problem = 'uses `latest`, which changes with every push';
  } else {
    severity = 'low';
    problem = `is pinned to tag '${img.tag}', which can be moved to a different image`;
  }
  const yaml = file.yaml!;
  const range = site.node.range!;
  const src = yaml.text.slice(range[0], range[1]);
  const inSrc = src.indexOf(ref);
  const start = range[0] + Math.max(0, inSrc);
  const data: PinImageData = { file: file.path, image: ref, name: img.name, tag: img.tag, start, end: start + ref.length };
  return [
    finding(meta, {
      message: `${site.where} image ${ref} ${problem}; pin it by digest${site.viaMatrix ? ' (value from the job matrix)' : ''}`,
      severity,
      location: locationOf(yaml, site.node),
      fixes: inSrc >= 0 ? [{ title: `Pin ${ref} to its current digest`, safe: true, edits: [], deferred: { provider: PIN_IMAGE_PROVIDER, data } }] : [],
    }),
  ];
}

/** Image scalars of a job setting: the value itself, or each static value of a matrix reference. */
function imageNodes(file: SourceFile, job: JobModel | undefined, node: unknown): { node: Scalar; viaMatrix?: boolean }[] {
  if (!isScalar(node)) return [];
  const value = scalarString(node) ?? '';
  const path = job ? matrixPath(value) : undefined;
  if (job && path) return (matrixValues(job, path, file.yaml!) ?? []).map((n) => ({ node: n, viaMatrix: true }));
  return [{ node }];
}

function stepLabel(step: StepModel): string {
  return step.name && !step.name.includes('${{') ? `Step '${step.name}'` : `Step ${step.index + 1}`;
}

/** `container: img` or `container: {image: img}` (same shape for each service). */
function containerImage(file: SourceFile, value: unknown): unknown {
  const v = deref(value, file.yaml!);
  return isMap(v) ? deref(get(v, 'image', file.yaml!), file.yaml!) : v;
}

export const check: Check = {
  meta,
  fileKinds: ['workflow', 'action'],
  notApplicableReason: 'No workflows or actions',
  checkFile(file) {
    const out: Finding[] = [];
    const yaml = file.yaml!;
    const seen = new Set<Scalar>();
    const report = (job: JobModel | undefined, node: unknown, where: string, docker = false) => {
      for (const n of imageNodes(file, job, node)) {
        // One matrix value can feed several jobs' containers: report it once.
        if (seen.has(n.node)) continue;
        seen.add(n.node);
        let ref = scalarString(n.node) ?? '';
        if (docker) {
          if (!ref.startsWith('docker://')) continue;
          ref = ref.slice('docker://'.length);
        }
        out.push(...imageFindings(file, { node: n.node, ref, where, viaMatrix: n.viaMatrix }));
      }
    };
    if (file.workflow) {
      for (const job of file.workflow.jobs) {
        if (job.container) report(job, containerImage(file, job.container.value), `Job ${jobLabel(job)} container`);
        const services = deref(job.services?.value, yaml);
        for (const p of isMap(services) ? pairs(services) : []) {
          report(job, containerImage(file, p.value), `Service ${keyString(p) ?? ''} of job ${jobLabel(job)}`);
        }
        for (const step of job.steps) if (step.uses) report(undefined, step.uses.node, `${stepLabel(step)} of job ${jobLabel(job)}`, true);
      }
    } else if (file.action) {
      if (file.action.image) report(undefined, file.action.image.node, 'Action', true);
      for (const step of file.action.steps) if (step.uses) report(undefined, step.uses.node, stepLabel(step), true);
    }
    return out;
  },
};
