import type { Pair } from 'yaml';
import type { CheckMeta, Finding } from '../../model';
import type { Check } from '../types';
import { finding, jobLabel } from '../helpers';
import { deref, get, getPair, isMap, isScalar, keyString, locationOf, pairs, scalarString, type YamlFile } from '../../yaml/parse';

export const meta: CheckMeta = {
  id: 'hardcoded-container-credentials',
  title: 'No passwords written into workflows',
  category: 'workflows',
  severity: 'high',
  confidence: 'high',
  fixable: false,
  docs: {
    summary:
      'A job `container:` or `services:` entry logs in to a container registry with a password written directly in the workflow (`credentials: password: hunter2`) instead of a secret.',
    whyItMatters:
      'Everything in a workflow file is public in a public repository and stays in the git history forever. A registry password written there can be used by anyone to pull private images or, often, to push malicious ones under your name.',
    howToFix:
      'Revoke the password at the registry first (it is already exposed), create a new one, store it as a repository secret and write `password: ${{ secrets.REGISTRY_PASSWORD }}`.',
    effort: 'minutes',
    fixSafety: 'No automatic fix: the password must be revoked and a secret created by a maintainer; editing the file alone does not make the old password safe.',
  },
  references: { zizmor: 'hardcoded-container-credentials', osps: ['OSPS-BR-07.01'] },
};

function credentialFindings(y: YamlFile, containerPair: Pair | undefined, what: string): Finding[] {
  const container = containerPair ? deref(containerPair.value, y) : undefined;
  if (!isMap(container)) return [];
  const creds = get(container, 'credentials', y);
  const pw = getPair(creds, 'password', y);
  const v = pw ? deref(pw.value, y) : undefined;
  if (!isScalar(v)) return [];
  const s = scalarString(v) ?? '';
  if (!s.trim() || s.includes('${{')) return [];
  return [finding(meta, { message: `${what} logs in to its registry with a password written in the workflow; revoke it and use a secret instead`, location: locationOf(y, v) })];
}

export const check: Check = {
  meta,
  fileKinds: ['workflow'],
  notApplicableReason: 'No workflows',
  checkFile(file) {
    const y = file.yaml;
    if (!y || !file.workflow) return [];
    const out: Finding[] = [];
    for (const job of file.workflow.jobs) {
      out.push(...credentialFindings(y, job.container, `The container of job ${jobLabel(job)}`));
      const services = job.services ? deref(job.services.value, y) : undefined;
      for (const p of pairs(isMap(services) ? services : undefined)) out.push(...credentialFindings(y, p, `Service ${keyString(p)} of job ${jobLabel(job)}`));
    }
    return out;
  },
};
