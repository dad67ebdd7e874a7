import { actionName } from '../../yaml/uses';
import type { CheckMeta, Finding, Location } from '../../model';
import type { Check, SourceFile } from '../types';
import { allSteps, finding, plural } from '../helpers';
import { keyLocation, locationOf } from '../../yaml/parse';
import type { JobModel, StepModel } from '../../yaml/workflow';
import { locateInScalar } from '../download-and-run/script';
import { fileMemo } from '../../repo/load';
import { envFor, publishSteps, REGISTRY_NAMES, secretName, withPair, withString, type PublishStep, type Registry } from './publishing';

export const meta: CheckMeta = {
  id: 'long-lived-publish-token',
  title: 'Packages published with trusted publishing',
  category: 'releases',
  severity: 'medium',
  confidence: 'high',
  fixable: false,
  essential: true,
  docs: {
    summary:
      'A workflow publishes to PyPI, npm, crates.io, RubyGems or NuGet with a long-lived API token stored as a repository secret (`password:`, `TWINE_PASSWORD`, `NODE_AUTH_TOKEN`, `CARGO_REGISTRY_TOKEN`, `GEM_HOST_API_KEY`, `--api-key`), although the registry supports trusted publishing.',
    whyItMatters:
      'A registry token is a password that works from anywhere until someone revokes it. Anything that can read it — a compromised action or build tool running in the same job, a log that leaks it, a former maintainer — can publish a malicious release of your package under your name, often months later. With trusted publishing (OpenID Connect) the registry instead trusts this exact workflow in this exact repository and hands it a credential that expires within minutes; there is no secret left to steal.',
    howToFix:
      'Two halves, in this order. (1) A maintainer with owner rights on the registry adds a "trusted publisher": the GitHub owner, repository, workflow file name and, ideally, the deployment environment (PyPI: project settings → Publishing; npm: package settings → Trusted publishing; crates.io: crate settings → Trusted Publishing; RubyGems: gem → Trusted publishers; NuGet: account → Trusted publishing). A contributor cannot do this. (2) In the workflow, give the publishing job `permissions: id-token: write` and remove the token: drop `password:` from pypa/gh-action-pypi-publish; use `rubygems/release-gem`, `rust-lang/crates-io-auth-action` or `NuGet/login` to get a short-lived token; for npm, use npm 11.5.1 or later without `NODE_AUTH_TOKEN`. Then delete the old secret and revoke the token on the registry.',
    effort: 'needs a maintainer',
    fixSafety:
      'No automatic fix: the workflow change only works after a maintainer has registered the trusted publisher on the registry, and the next release is the first real test. Prepare the workflow change as a pull request and ask the maintainer to do the registry half before merging.',
  },
  references: {
    zizmor: 'use-trusted-publishing',
    other: [
      { title: 'PyPI: Trusted publishers', url: 'https://docs.pypi.org/trusted-publishers/' },
      { title: 'npm: Trusted publishing', url: 'https://docs.npmjs.com/trusted-publishers' },
      { title: 'crates.io: Trusted publishing', url: 'https://crates.io/docs/trusted-publishing' },
      { title: 'RubyGems: Trusted publishing', url: 'https://guides.rubygems.org/trusted-publishing/' },
      { title: 'NuGet: Trusted publishing', url: 'https://learn.microsoft.com/en-us/nuget/nuget-org/trusted-publishing' },
    ],
  },
};

/** Environment variables each registry's tools read a token or password from. */
const TOKEN_ENV: Record<Registry, string[]> = {
  pypi: ['TWINE_PASSWORD', 'POETRY_PYPI_TOKEN_PYPI', 'POETRY_HTTP_BASIC_PYPI_PASSWORD', 'UV_PUBLISH_TOKEN', 'UV_PUBLISH_PASSWORD', 'FLIT_PASSWORD', 'HATCH_INDEX_AUTH', 'PDM_PUBLISH_PASSWORD', 'MATURIN_PYPI_TOKEN', 'MATURIN_PASSWORD'],
  // YARN_NPM_AUTH_TOKEN: Yarn Berry's npmAuthToken setting from the environment (yarn npm publish).
  npm: ['NODE_AUTH_TOKEN', 'NPM_TOKEN', 'NPM_AUTH_TOKEN', 'NPM_CONFIG_TOKEN', 'YARN_NPM_AUTH_TOKEN'],
  'crates.io': ['CARGO_REGISTRY_TOKEN', 'CARGO_REGISTRIES_CRATES_IO_TOKEN'],
  rubygems: ['GEM_HOST_API_KEY', 'RUBYGEMS_API_KEY'],
  nuget: ['NUGET_API_KEY', 'NUGET_AUTH_TOKEN', 'NUGET_TOKEN'],
};

/** Action inputs that take a registry token. */
const TOKEN_INPUTS: Record<string, string[]> = {
  'pypa/gh-action-pypi-publish': ['password'],
  'js-devtools/npm-publish': ['token'],
  'katyo/publish-crates': ['registry-token'],
};

/** Command-line options that take a token, password or key. */
const TOKEN_FLAGS = /(?:^|\s)(?:--token|--password|-p|--api-key|-k|--key|-u\s+__token__\s+-p)(?:=|\s+)(["']?)([^\s"']+)\1/g;

/**
 * Whether the command or action publishes somewhere other than the public registry (a private index,
 * GitHub Packages): trusted publishing does not apply there.
 */
function otherRegistry(file: SourceFile, p: PublishStep): boolean {
  const text = p.command ? p.command.line.text : '';
  switch (p.kind) {
    case 'pypi':
      return /--repository-url\s+\S*(?<!pypi\.org\S*)\s|(?:-r|--repository)\s+(?!pypi\b|testpypi\b)\w/.test(text + ' ');
    case 'npm': {
      const reg = /--registry[= ]\s*(\S+)/.exec(text)?.[1];
      if (reg) return !reg.includes('registry.npmjs.org');
      // The .npmrc the publish reads is the one written by the last setup-node before it that names a
      // registry (a job may set up Node twice: once for tests, once for the registry).
      const setups = (p.job?.steps ?? file.action?.steps ?? []).filter((s) => s.index < p.step.index && s.uses && actionName(s.uses.value) === 'actions/setup-node' && withString(s, 'registry-url')?.trim());
      const setup = setups[setups.length - 1];
      const url = setup ? withString(setup, 'registry-url') : undefined;
      return !!url && !url.includes('registry.npmjs.org');
    }
    case 'crates.io':
      return /\s--(?:registry|index)\b/.test(text);
    case 'rubygems': {
      const host = /--host[= ]\s*(\S+)/.exec(text)?.[1];
      return !!host && !host.includes('rubygems.org');
    }
    case 'nuget': {
      const src = /(?:--source|-s)[= ]\s*["']?(\S+?)["']?(?:\s|$)/.exec(text)?.[1];
      return !!src && !src.includes('nuget.org') && src.toLowerCase() !== 'nuget.org';
    }
    default:
      return false;
  }
}

interface Evidence {
  location: Location;
  how: string;
  /** De-duplication key: one finding per credential site. */
  key: string;
}

function envEvidence(file: SourceFile, step: StepModel, job: JobModel | undefined, name: string): Evidence | undefined {
  const e = envFor(file, step, job, name);
  if (!e) return undefined;
  const secret = secretName(e.value);
  if (!secret) return undefined;
  const loc = keyLocation(file.yaml!, e.pair)!;
  return { location: loc, how: `secret ${secret} in ${e.scope}-level env ${name}`, key: `${loc.start.line}:${loc.start.column}` };
}

function evidenceFor(file: SourceFile, p: PublishStep): Evidence | undefined {
  const registry = p.kind as Registry;
  if (p.step.uses) {
    const inputs = TOKEN_INPUTS[p.what.toLowerCase()] ?? [];
    for (const input of inputs) {
      const pair = withPair(p.step, input, file);
      const value = withString(p.step, input);
      if (!pair || !value?.trim()) continue;
      const secret = secretName(value);
      if (value.includes('${{') && !secret) continue;
      const loc = keyLocation(file.yaml!, pair)!;
      return { location: loc, how: secret ? `secret ${secret} passed as ${input}:` : `a fixed ${input}:`, key: `${loc.start.line}:${loc.start.column}` };
    }
  }
  if (p.command && p.step.run) {
    const { line } = p.command;
    const node = p.step.run.node;
    const at = (index: number, length: number) => locateInScalar(file.yaml!, node, line.offset + index, length);
    // A secret written straight into the command or into an .npmrc line.
    for (const m of line.text.matchAll(/\$\{\{[^}]*\}\}/g)) {
      const secret = secretName(m[0]);
      if (secret) {
        const loc = at(m.index!, m[0].length);
        return { location: loc, how: `secret ${secret} on the command line`, key: `${loc.start.line}:${loc.start.column}` };
      }
    }
    // `--token "$VAR"`: follow the variable to the env that sets it.
    for (const m of line.text.matchAll(TOKEN_FLAGS)) {
      const v = /^\$\{?(?:env:)?([A-Za-z_]\w*)\}?$/.exec(m[2]);
      if (!v) continue;
      const ev = envEvidence(file, p.step, p.job, v[1]);
      if (ev) return ev;
    }
  }
  for (const name of TOKEN_ENV[registry]) {
    const ev = envEvidence(file, p.step, p.job, name);
    if (ev) return ev;
  }
  if (registry === 'rubygems') {
    // rubygems/release-gem sets up trusted publishing unless told not to (`setup-trusted-publisher: false`).
    const off = p.step.uses && p.what.toLowerCase() === 'rubygems/release-gem' ? withPair(p.step, 'setup-trusted-publisher', file) : undefined;
    if (off && /^false$/i.test(withString(p.step, 'setup-trusted-publisher')?.trim() ?? '')) {
      const loc = keyLocation(file.yaml!, off)!;
      return { location: loc, how: 'trusted publishing turned off with setup-trusted-publisher: false', key: `${loc.start.line}:${loc.start.column}` };
    }
    // rubygems/configure-rubygems-credentials with `api-token:` stores that key instead of exchanging an OIDC token.
    for (const step of p.job?.steps ?? file.action?.steps ?? []) {
      if (step.index > p.step.index || !step.uses || actionName(step.uses.value) !== 'rubygems/configure-rubygems-credentials') continue;
      const pair = withPair(step, 'api-token', file);
      const secret = secretName(withString(step, 'api-token') ?? '');
      if (!pair || !secret) continue;
      const loc = keyLocation(file.yaml!, pair)!;
      return { location: loc, how: `secret ${secret} passed as api-token: to rubygems/configure-rubygems-credentials`, key: `${loc.start.line}:${loc.start.column}` };
    }
  }
  // A token used by a run step that writes credentials before publishing (`.npmrc`, `~/.gem/credentials`).
  for (const step of p.job?.steps ?? file.action?.steps ?? []) {
    if (step.index > p.step.index || !step.run) continue;
    if (!/_authToken|\.gem\/credentials|\.pypirc|credentials\.toml/.test(step.run.value)) continue;
    for (const m of step.run.value.matchAll(/\$\{\{[^}]*\}\}/g)) {
      const secret = secretName(m[0]);
      if (!secret) continue;
      const loc = locateInScalar(file.yaml!, step.run.node, m.index!, m[0].length);
      return { location: loc, how: `secret ${secret} written to a credentials file`, key: `${loc.start.line}:${loc.start.column}` };
    }
  }
  return undefined;
}

const REGISTRIES = new Set(Object.keys(REGISTRY_NAMES));

/**
 * Variables that only a registry upload reads: a step that gets one of these from a secret publishes
 * with a token even when the upload happens inside a project script (`run: scripts/publish`).
 */
const UPLOAD_ONLY_ENV: Record<string, Registry> = {
  TWINE_PASSWORD: 'pypi',
  POETRY_PYPI_TOKEN_PYPI: 'pypi',
  UV_PUBLISH_TOKEN: 'pypi',
  FLIT_PASSWORD: 'pypi',
  MATURIN_PYPI_TOKEN: 'pypi',
  CARGO_REGISTRY_TOKEN: 'crates.io',
  GEM_HOST_API_KEY: 'rubygems',
};

function scriptEnvFindings(file: SourceFile, seen: Set<string>): Finding[] {
  const out: Finding[] = [];
  // Steps with a publishing command, from the per-file list (the same publishCommands answer).
  let commanded: Set<StepModel> | undefined;
  for (const { step, job } of allSteps(file)) {
    // No env at any level: envEvidence finds nothing (most steps; the test below was per step).
    if (!step.run || (!step.env && !job?.env && !file.workflow?.env)) continue;
    commanded ??= new Set(publishSteps(file).filter((p) => p.command).map((p) => p.step));
    // Steps with a recognised publishing command were judged above (other registry, dry run, ...).
    if (commanded.has(step) || /\s--dry-run\b/.test(step.run.value)) continue;
    for (const [name, registry] of Object.entries(UPLOAD_ONLY_ENV)) {
      const ev = envEvidence(file, step, job, name);
      if (!ev || seen.has(ev.key)) continue;
      seen.add(ev.key);
      const reg = REGISTRY_NAMES[registry];
      const script = step.run.value.trim().split('\n')[0];
      out.push(
        finding(meta, {
          message: `Hands a long-lived ${reg} upload token (${ev.how}) to \`${script.length > 60 ? script.slice(0, 57) + '...' : script}\`; ${reg} supports trusted publishing, which needs no stored token`,
          confidence: 'medium',
          location: ev.location,
        }),
      );
    }
  }
  return out;
}

/** Names of the public registries a file publishes to, in the order its steps do. */
function publicRegistries(file: SourceFile): string[] {
  const out: string[] = [];
  for (const p of publishSteps(file)) if (REGISTRIES.has(p.kind) && !otherRegistry(file, p)) out.push(REGISTRY_NAMES[p.kind as Registry]);
  return out;
}

export const check: Check = {
  meta,
  fileKinds: ['workflow', 'action'],
  notApplicableReason: 'Nothing in the workflows publishes to a package registry',
  checkFile(file) {
    const out: Finding[] = [];
    const seen = new Set<string>();
    for (const p of publishSteps(file)) {
      if (!REGISTRIES.has(p.kind) || otherRegistry(file, p)) continue;
      const ev = evidenceFor(file, p);
      if (!ev || seen.has(ev.key)) continue;
      seen.add(ev.key);
      const reg = REGISTRY_NAMES[p.kind as Registry];
      const where = p.command ? `\`${p.what}\`` : p.what;
      out.push(
        finding(meta, {
          message: `Publishes to ${reg} (${where}) with a long-lived token (${ev.how}); ${reg} supports trusted publishing, which needs no stored token`,
          location: ev.location,
          related: p.command && p.step.run
            ? [{ ...locateInScalar(file.yaml!, p.step.run.node, p.command.line.offset + p.command.start, p.command.end - p.command.start), message: 'the publishing command' }]
            : p.step.uses
              ? [{ ...locationOf(file.yaml!, p.step.uses.node)!, message: 'the publishing step' }]
              : undefined,
        }),
      );
    }
    out.push(...scriptEnvFindings(file, seen));
    return out;
  },
  checkRepo(ctx, fileFindings) {
    const files = [...ctx.byKind('workflow'), ...ctx.byKind('action')];
    const registries = new Set<string>();
    for (const f of files) {
      if (!f.workflow && !f.action) continue;
      // Per file and kept while the file is unchanged: a re-check after a save redoes one file.
      for (const r of fileMemo(f, 'long-lived-publish-token:registries', publicRegistries)) registries.add(r);
    }
    const names = [...registries].sort().join(', ');
    if (fileFindings.length) {
      return { status: 'fail', reason: `${plural(fileFindings.length, 'publishing step')} ${fileFindings.length === 1 ? 'uses' : 'use'} a long-lived token`, findings: [...fileFindings] };
    }
    if (!registries.size) return { status: 'not-applicable', reason: 'Nothing in the workflows publishes to PyPI, npm, crates.io, RubyGems or NuGet', findings: [] };
    return { status: 'pass', reason: `Publishes to ${names} without a stored token (trusted publishing)`, findings: [] };
  },
};
