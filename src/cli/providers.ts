import { DeferredFixRegistry, type DeferredFixProvider } from '../core/fix/deferred';
import type { Output } from './io';
import { pinActionFactory } from './online';

// Providers for deferred fixes in the CLI (pinning an action to a SHA needs the tag's commit from
// GitHub). Online code registers a factory here; `steward fix` asks for the registry once per run. The
// core never sees the network: a factory decides from the options whether it can work at all.

export interface ProviderOptions {
  /** False with --offline or STEWARD_OFFLINE=1: factories that need the network return nothing. */
  online?: boolean;
  /** The same, said the other way round (callers use either; `online` wins when both are given). */
  offline?: boolean;
  githubUrl?: string;
}

/** Whether these options allow the network. */
export function isOnline(opts: ProviderOptions): boolean {
  return opts.online ?? !opts.offline;
}

/** What a factory is given: the options with `online` always decided. */
export interface FactoryOptions {
  online: boolean;
  githubUrl?: string;
}

export type ProviderFactory = (o: Output, opts: FactoryOptions) => DeferredFixProvider | undefined;

const factories: ProviderFactory[] = [pinActionFactory];

/** Called at module load by the online layer (e.g. the pin-action resolver). */
export function registerFixProvider(factory: ProviderFactory): void {
  if (!factories.includes(factory)) factories.push(factory);
}

/** The registry for one run: every registered factory that can work with these options. */
export function fixProviders(o: Output, opts: ProviderOptions): DeferredFixRegistry {
  const registry = new DeferredFixRegistry();
  const normal: FactoryOptions = { online: isOnline(opts), githubUrl: opts.githubUrl };
  for (const f of factories) {
    const p = f(o, normal);
    if (p) registry.register(p);
  }
  return registry;
}

/** What to tell the user about a deferred fix nobody could resolve. */
export function noProviderHint(opts: ProviderOptions): string {
  return isOnline(opts) ? 'pinning needs the resolver (not available in this build)' : 'run without --offline';
}
