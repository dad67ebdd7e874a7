import type { ActionAdvisory, ActionLookup, ActionRefs, Containment } from '../../src/core/model/actions';
import type { Fact } from '../../src/core/model/facts';

// An in-memory ActionLookup for check tests: answers from the tables given, unknown (with a reason)
// for any repository not in them, and records each distinct question once (the real lookup answers a
// repeated question from memory, so only distinct questions cost anything).

export interface FakeActionData {
  refs?: Record<string, ActionRefs>;
  advisories?: Record<string, ActionAdvisory[]>;
  repos?: Record<string, { archived: boolean; defaultBranch?: string }>;
  /** `owner/repo` → ref → commits in that ref's history. */
  history?: Record<string, Record<string, string[]>>;
  releases?: Record<string, Record<string, { immutable: boolean } | null>>;
  /** Every answer unknown with this reason (a rate limit, say). */
  down?: string;
}

export class FakeActionLookup implements ActionLookup {
  readonly calls: string[] = [];
  private readonly asked = new Set<string>();
  constructor(private readonly d: FakeActionData) {}

  private answer<T>(kind: string, key: string, v: T | undefined): Fact<T> {
    const q = `${kind} ${key}`;
    if (!this.asked.has(q)) {
      this.asked.add(q);
      this.calls.push(q);
    }
    if (this.d.down) return { known: false, reason: this.d.down };
    return v === undefined ? { known: false, reason: `${key} is not visible` } : { known: true, value: v };
  }

  async refs(owner: string, repo: string): Promise<Fact<ActionRefs>> {
    return this.answer('refs', `${owner}/${repo}`, this.d.refs?.[`${owner}/${repo}`]);
  }
  async advisories(owner: string, repo: string): Promise<Fact<ActionAdvisory[]>> {
    return this.answer('advisories', `${owner}/${repo}`, this.d.advisories ? (this.d.advisories[`${owner}/${repo}`] ?? []) : undefined);
  }
  async repository(owner: string, repo: string): Promise<Fact<{ archived: boolean; defaultBranch: string }>> {
    const r = this.d.repos?.[`${owner}/${repo}`];
    return this.answer('repository', `${owner}/${repo}`, r ? { archived: r.archived, defaultBranch: r.defaultBranch ?? 'main' } : undefined);
  }
  async contains(owner: string, repo: string, sha: string, refs: readonly string[]): Promise<Fact<Containment>> {
    const h = this.d.history?.[`${owner}/${repo}`];
    if (!h) return this.answer<Containment>('contains', `${owner}/${repo}`, undefined);
    const checked: string[] = [];
    for (const r of refs.slice(0, 8)) {
      checked.push(r);
      if (h[r]?.includes(sha)) return this.answer('contains', `${owner}/${repo}@${sha}`, { containedIn: r, checked });
    }
    return this.answer('contains', `${owner}/${repo}@${sha}`, { checked });
  }
  async release(owner: string, repo: string, tag: string): Promise<Fact<{ immutable: boolean } | null>> {
    const rel = this.d.releases?.[`${owner}/${repo}`];
    return this.answer('release', `${owner}/${repo}@${tag}`, rel ? (rel[tag] === undefined ? null : rel[tag]) : undefined);
  }
}
