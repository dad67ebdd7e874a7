import type { Evidence, Fix, TextEdit } from '../model';

// Fixes whose edits need outside knowledge (a tag's commit SHA, an image digest). The check reports a
// Fix with `deferred` set and no edits; a front-end that has the knowledge registers a provider, and
// resolveFix() turns the deferred fix into concrete edits plus evidence for reviewers.

export interface ResolvedFix {
  edits: TextEdit[];
  evidence?: Evidence[];
  /** Set when the provider could not produce edits (offline, unknown ref, ...): shown to the user. */
  failure?: string;
}

export interface DeferredFixProvider {
  /** Matches DeferredFix.provider. */
  readonly id: string;
  resolve(fix: Fix, text: string): Promise<ResolvedFix>;
}

/** Provider ids used by checks. */
export const PIN_ACTION_PROVIDER = 'pin-action';
export const PIN_IMAGE_PROVIDER = 'pin-image';

/** Data the unpinned-actions check attaches for the pin provider. */
export interface PinActionData {
  [key: string]: unknown;
  file: string;
  owner: string;
  repo: string;
  path?: string;
  ref: string;
  /** Offsets of the scalar value (the whole `owner/repo@ref`, quotes included if quoted). */
  start: number;
  end: number;
}

export class DeferredFixRegistry {
  private readonly providers = new Map<string, DeferredFixProvider>();
  register(p: DeferredFixProvider): void {
    this.providers.set(p.id, p);
  }
  has(id: string): boolean {
    return this.providers.has(id);
  }
  async resolve(fix: Fix, text: string): Promise<Fix & { failure?: string }> {
    if (!fix.deferred) return fix;
    const p = this.providers.get(fix.deferred.provider);
    if (!p) return { ...fix, failure: `needs online features (${fix.deferred.provider})` };
    const r = await p.resolve(fix, text);
    return { ...fix, edits: r.edits, evidence: r.evidence, ...(r.failure ? { failure: r.failure } : {}) };
  }
}
