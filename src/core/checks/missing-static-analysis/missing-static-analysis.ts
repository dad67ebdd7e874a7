import type { CheckMeta } from '../../model';
import type { Check, RepoOutcome, SourceFile } from '../types';
import { fileMemo } from '../../repo/load';
import { allSteps, finding, usesSites } from '../helpers';
import { actionName } from '../../yaml/uses';

export const meta: CheckMeta = {
  id: 'missing-static-analysis',
  title: 'Static analysis (code scanning) runs on changes',
  category: 'workflows',
  severity: 'info',
  confidence: 'medium',
  fixable: false,
  docs: {
    summary:
      'No workflow runs a static analysis / code-scanning tool (CodeQL, zizmor, Semgrep, SonarCloud, Snyk Code, Coverity, gosec, Bandit, ...), and no pre-commit hook runs one. This is informational: GitHub\'s CodeQL "default setup" is turned on in the repository settings, where Steward cannot see it, so the project may already be covered.',
    whyItMatters:
      'Static analysis reads every change for known-dangerous patterns (injection bugs, unsafe handling of untrusted input, risky workflow settings) before it merges. It catches mistakes that reviewers routinely miss, and it costs nothing per review once set up.',
    howToFix:
      'For public repositories, turn on CodeQL "default setup" under Settings → Code security, or add a CodeQL workflow. zizmor checks the GitHub Actions workflows themselves. Language-specific tools (Bandit, gosec, Semgrep) can run as a workflow step.',
    effort: 'an hour',
    fixSafety: 'No automatic fix: which tool fits depends on the languages and on how the maintainers want to triage results.',
  },
  references: { scorecard: 'SAST' },
};

interface Detector {
  tool: string;
  uses?: RegExp;
  run?: RegExp;
}

// Matched against `owner/repo[/path]` of `uses:` (lower case) and against `run:` scripts.
const DETECTORS: Detector[] = [
  { tool: 'CodeQL', uses: /^github\/codeql-action\/(init|analyze)$/, run: /\bcodeql\s+database\s+(create|analyze)\b/ },
  { tool: 'zizmor', uses: /^(zizmorcore|woodruffw)\/zizmor-action$/, run: /\bzizmor\b/ },
  { tool: 'Semgrep', uses: /^(semgrep|returntocorp)\/semgrep-action$/, run: /\bsemgrep\s+(ci|scan)\b/ },
  { tool: 'SonarCloud/SonarQube', uses: /^sonarsource\/(sonarcloud-github-action|sonarqube-scan-action)$/ },
  { tool: 'Snyk', uses: /^snyk\/actions(\/|$)/, run: /\bsnyk\s+code\s+test\b/ },
  { tool: 'Coverity', uses: /coverity/, run: /\bcov-build\b/ },
  { tool: 'gosec', uses: /^securego\/gosec$/, run: /\bgosec\s/ },
  { tool: 'Bandit', uses: /bandit/, run: /\bbandit\s+(-|\S+\.py|\.)/ },
  { tool: 'DevSkim', uses: /^microsoft\/devskim-action$/ },
  { tool: 'Qodana', uses: /^jetbrains\/qodana-action$/ },
  { tool: 'Clang static analyzer', run: /\bscan-build\b/ },
  { tool: 'cppcheck', run: /\bcppcheck\b/ },
  { tool: 'Brakeman', run: /\bbrakeman\b/ },
  { tool: 'Psalm/Phan', run: /\b(psalm|phan)\b.*--taint/ },
];

const PRE_COMMIT_TOOLS: [string, RegExp][] = [
  ['zizmor', /zizmor/i],
  ['Bandit', /\/bandit(\.git)?\s*$/im],
  ['Semgrep', /semgrep/i],
];

/**
 * A word every `uses` pattern of DETECTORS needs in the action's name, and one every `run` pattern
 * needs at a word boundary of the script: one expression, so the usual action or script (none of
 * these) is not tried against each pattern in turn.
 */
const ANY_USES = /codeql|zizmor|semgrep|sonar|snyk|coverity|gosec|bandit|devskim|qodana/;
const ANY_RUN = /\b(?:codeql|zizmor|semgrep|snyk|cov-build|gosec|bandit|scan-build|cppcheck|brakeman|psalm|phan)/;

/** The analysis tools a workflow or action runs, each once, in the order the file first shows them. */
function toolsIn(wf: SourceFile): string[] {
  const tools = new Set<string>();
  for (const site of usesSites(wf)) {
    const name = actionName(site.value);
    if (name === undefined || !ANY_USES.test(name)) continue;
    for (const d of DETECTORS) if (d.uses?.test(name)) tools.add(d.tool);
  }
  for (const { step } of allSteps(wf)) {
    const script = step.run?.value;
    if (!script || !ANY_RUN.test(script)) continue;
    for (const d of DETECTORS) if (d.run?.test(script)) tools.add(d.tool);
  }
  return [...tools];
}

/** For tests: the patterns and the tests in front of them. */
export const detectorTests = { DETECTORS, ANY_USES, ANY_RUN };

const PRE_COMMIT_CONFIG = /(^|\/)\.pre-commit-config\.ya?ml$/;

export const check: Check = {
  meta,
  async checkRepo(ctx): Promise<RepoOutcome> {
    const found = new Map<string, string>();
    for (const wf of [...ctx.byKind('workflow'), ...ctx.byKind('action')]) {
      // Per file and kept while the file is unchanged: a re-check after a save redoes one file.
      for (const tool of fileMemo(wf, 'missing-static-analysis:tools', toolsIn)) if (!found.has(tool)) found.set(tool, wf.path);
    }
    // The ending first: most paths are not YAML, and the test then needs no regular expression.
    for (const p of ctx.paths.filter((x) => (x.endsWith('.yml') || x.endsWith('.yaml')) && PRE_COMMIT_CONFIG.test(x))) {
      const f = await ctx.read(p);
      if (!f) continue;
      for (const [tool, re] of PRE_COMMIT_TOOLS) if (re.test(f.text) && !found.has(tool)) found.set(tool, p);
    }
    if (found.size) {
      return { status: 'pass', reason: [...found].map(([tool, where]) => `${tool} (${where})`).join(', '), findings: [] };
    }
    return {
      status: 'fail',
      reason: 'No code-scanning workflow found (CodeQL default setup, if on, is not visible in the files)',
      findings: [
        finding(meta, {
          message: 'No workflow runs static analysis (CodeQL, zizmor, Semgrep, ...); if CodeQL default setup is on in the repository settings, this is already covered',
        }),
      ],
    };
  },
};
