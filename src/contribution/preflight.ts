import type { RepoSnapshot } from '../core/repo/snapshot';
import { decodeText } from '../core/yaml/text';
import { parseYaml, rootMap, get, getMap, scalarString } from '../core/yaml/parse';

// What a contributor should know before opening a PR to this project, read from its files (and,
// when signed in, from the API — see flow.ts). Each item says what was found and what it means.

export interface PreflightItem {
  id: string;
  label: string;
  found: string;
  /** What it means for this contribution, in plain words. */
  meaning: string;
  level: 'info' | 'warning' | 'blocker';
}

export interface PreflightFiles {
  contributing?: { path: string; text: string };
  prTemplate?: { path: string; text: string };
  requiresSignoff: boolean;
  signoffEvidence?: string;
  cla?: string;
  acceptsChangeRequest?: boolean;
  acceptsAutomatedChangeRequest?: boolean;
  /** Tick-box lines from the PR template, to be carried into the PR body. */
  templateChecklist: string[];
  /** SECURITY.md, where the private route looks for a contact. */
  securityPolicy?: { path: string; text: string };
}

const CONTRIBUTING = /^(?:|\.github\/|docs\/)contributing(?:\.(?:md|markdown|rst|txt|adoc))?$/i;
const PR_TEMPLATE = /^(?:|\.github\/|docs\/)pull_request_template\.md$|^(?:|\.github\/|docs\/)pull_request_template\/[^/]+\.md$/i;
const DCO_FILES = /^(?:|\.github\/)(?:dco(?:\.md|\.txt)?|dco\.yml)$/i;
const CLA_FILES = /^(?:|\.github\/|docs\/)(?:cla(?:\.md|\.txt)?|\.clabot|cla\.json)$/i;
const SECURITY_POLICY = /^(?:|\.github\/|docs\/)security\.(?:md|markdown|rst|txt|adoc)$/i;
const INSIGHTS = /^(?:|\.github\/)security-insights\.ya?ml$/i;

async function readText(snap: RepoSnapshot, path: string): Promise<string | undefined> {
  const b = await snap.readFile(path);
  return b ? decodeText(b).text : undefined;
}

function firstMatch(paths: readonly string[], re: RegExp): string | undefined {
  // Prefer .github/, then the root, then docs/, as GitHub does for community files.
  const order = (p: string) => (p.startsWith('.github/') ? 0 : p.includes('/') ? 2 : 1);
  return paths.filter((p) => re.test(p)).sort((a, b) => order(a) - order(b) || a.localeCompare(b))[0];
}

export async function readPreflightFiles(snap: RepoSnapshot, paths?: readonly string[]): Promise<PreflightFiles> {
  const all = paths ?? (await snap.listFiles());
  const out: PreflightFiles = { requiresSignoff: false, templateChecklist: [] };
  const cPath = firstMatch(all, CONTRIBUTING);
  if (cPath) {
    const text = await readText(snap, cPath);
    if (text !== undefined) out.contributing = { path: cPath, text };
  }
  const tPath = firstMatch(all, PR_TEMPLATE);
  if (tPath) {
    const text = await readText(snap, tPath);
    if (text !== undefined) {
      out.prTemplate = { path: tPath, text };
      out.templateChecklist = text
        .split(/\r?\n/)
        .filter((l) => /^\s*[-*]\s+\[[ xX]\]\s+\S/.test(l))
        .map((l) => l.trim().replace(/^[-*]\s+\[[xX]\]/, '- [ ]'));
    }
  }
  const sPath = firstMatch(all, SECURITY_POLICY);
  if (sPath) {
    const text = await readText(snap, sPath);
    if (text !== undefined) out.securityPolicy = { path: sPath, text };
  }
  const contributing = out.contributing?.text ?? '';
  const signoffRe = /signed-off-by|developer certificate of origin|\bDCO\b|git commit -s\b|--signoff/i;
  const dcoFile = all.find((p) => DCO_FILES.test(p));
  if (dcoFile) {
    out.requiresSignoff = true;
    out.signoffEvidence = `${dcoFile} exists`;
  } else if (signoffRe.test(contributing)) {
    out.requiresSignoff = true;
    const line = contributing.split(/\r?\n/).find((l) => signoffRe.test(l))?.trim();
    out.signoffEvidence = `${out.contributing!.path} says: "${(line ?? '').slice(0, 120)}"`;
  }
  const claFile = all.find((p) => CLA_FILES.test(p));
  const claRe = /contributor license agreement|\bCLA\b|cla-assistant|cla\.developers/i;
  if (claFile) out.cla = `${claFile} exists`;
  else if (claRe.test(contributing)) out.cla = `${out.contributing!.path} mentions a contributor licence agreement`;
  const iPath = all.find((p) => INSIGHTS.test(p));
  if (iPath) {
    const text = await readText(snap, iPath);
    if (text !== undefined) {
      const y = parseYaml(iPath, text);
      const repo = getMap(rootMap(y), 'repository', y);
      const b = (k: string) => {
        const s = scalarString(get(repo, k, y));
        return s === 'true' ? true : s === 'false' ? false : undefined;
      };
      out.acceptsChangeRequest = b('accepts-change-request');
      out.acceptsAutomatedChangeRequest = b('accepts-automated-change-request');
    }
  }
  return out;
}

export function preflightItems(f: PreflightFiles): PreflightItem[] {
  const items: PreflightItem[] = [];
  items.push(
    f.contributing
      ? { id: 'contributing', label: 'Contributing guide', found: f.contributing.path, meaning: 'Read it before opening the PR; Steward follows what it can detect (sign-off, templates).', level: 'info' }
      : { id: 'contributing', label: 'Contributing guide', found: 'none', meaning: 'No stated rules: keep the PR small and explain it well.', level: 'info' },
  );
  items.push(
    f.prTemplate
      ? { id: 'pr-template', label: 'Pull request template', found: f.prTemplate.path, meaning: f.templateChecklist.length ? `Its ${f.templateChecklist.length} checklist item(s) are added to the PR text for you to tick.` : 'The PR text follows it.', level: 'info' }
      : { id: 'pr-template', label: 'Pull request template', found: 'none', meaning: 'Steward writes the whole PR text.', level: 'info' },
  );
  if (f.requiresSignoff) items.push({ id: 'dco', label: 'Sign-off (DCO)', found: f.signoffEvidence ?? 'required', meaning: 'This project requires sign-off: your commits will carry a Signed-off-by line with your name and e-mail.', level: 'info' });
  if (f.cla) items.push({ id: 'cla', label: 'Contributor licence agreement', found: f.cla, meaning: 'You may have to sign the CLA before the PR can be merged; commits are authored as you (never a bot), so a CLA check will recognise you.', level: 'warning' });
  if (f.acceptsChangeRequest === false) items.push({ id: 'accepts-change-request', label: 'Accepts change requests', found: 'security-insights.yml says no', meaning: 'The maintainers state they do not accept outside change requests: open an issue instead of a PR.', level: 'blocker' });
  if (f.acceptsAutomatedChangeRequest === false) items.push({ id: 'accepts-automated', label: 'Accepts automated change requests', found: 'security-insights.yml says no', meaning: 'Automated PRs are not welcome: review every line yourself and present it as your own careful change.', level: 'warning' });
  return items;
}
