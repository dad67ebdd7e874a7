import type { CacheStore } from '../github/cache';
import type { Ecosystem } from './model';
import { CratesRegistry, DEFAULT_CRATES_URL } from './registry/crates';
import { ActionsRepos, GoModules } from './registry/go';
import { DEFAULT_NPM_REGISTRY, NpmRegistry } from './registry/npm';
import { CachedRegistry, type RegistryPort } from './registry/port';
import { DEFAULT_PYPI_URL, PypiRegistry } from './registry/pypi';

// The registries a survey asks, for both front-ends (the CLI and the editor's Dependencies view): the
// public ones, or mirrors named by STEWARD_NPM_REGISTRY, STEWARD_PYPI_URL, STEWARD_CRATES_URL and
// STEWARD_GO_IMPORT_URL (a URL with {module}), each behind the shared cache.

export interface RegistryEndpoints {
  npm?: string;
  pypi?: string;
  crates?: string;
  /** A URL with `{module}` answering the go-import meta tag (vanity module paths). */
  goImport?: string;
}

export function registryEndpointsFromEnv(env: NodeJS.ProcessEnv): RegistryEndpoints {
  const v = (k: string) => env[k]?.trim() || undefined;
  return { npm: v('STEWARD_NPM_REGISTRY'), pypi: v('STEWARD_PYPI_URL'), crates: v('STEWARD_CRATES_URL'), goImport: v('STEWARD_GO_IMPORT_URL') };
}

export interface SurveyRegistriesOptions {
  cache: CacheStore;
  /** A GitHub Enterprise host whose repository URLs count as repositories too. */
  extraHost?: string;
  /** Delay unit of registry retries (tests against local servers make it tiny). */
  retryDelayMs?: number;
}

export function surveyRegistries(ep: RegistryEndpoints, o: SurveyRegistriesOptions): Partial<Record<Ecosystem, RegistryPort>> {
  const http = { retryDelayMs: o.retryDelayMs ?? 500 };
  const goTemplate = ep.goImport;
  const list: RegistryPort[] = [
    new NpmRegistry(ep.npm || DEFAULT_NPM_REGISTRY, http, o.extraHost),
    new PypiRegistry(ep.pypi || DEFAULT_PYPI_URL, http, o.extraHost),
    new CratesRegistry(ep.crates || DEFAULT_CRATES_URL, http, o.extraHost),
    new GoModules({ http, extraHost: o.extraHost, ...(goTemplate ? { goGetUrl: (m: string) => goTemplate.replace('{module}', m) } : {}) }),
    new ActionsRepos(),
  ];
  return Object.fromEntries(list.map((r) => [r.ecosystem, new CachedRegistry(r, o.cache)]));
}
