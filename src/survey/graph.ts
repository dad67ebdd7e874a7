import { PATHS_CAP } from './model';

// A dependency graph of one lockfile: nodes are package instances, the project itself is ROOT. Path
// counts come from dynamic programming over the graph with cycles broken (a back edge found by a
// depth-first walk from the root is ignored), so the work is linear in nodes + edges however many
// paths there are; counts saturate at PATHS_CAP.

export const ROOT = '';

export interface GraphNode {
  id: string;
  /** What the node stands for; undefined for ROOT and for workspace-local packages that are not dependencies. */
  pkg?: { name: string; version: string };
}

export class DepGraph {
  private readonly nodes = new Map<string, GraphNode>([[ROOT, { id: ROOT }]]);
  private readonly edges = new Map<string, Set<string>>();

  addNode(id: string, pkg?: { name: string; version: string }): void {
    const have = this.nodes.get(id);
    if (!have) this.nodes.set(id, { id, pkg });
    else if (!have.pkg && pkg) have.pkg = pkg;
  }

  /** An edge `from` → `to`; both are created when missing. Self edges are ignored. */
  addEdge(from: string, to: string): void {
    if (from === to) return;
    if (!this.nodes.has(from)) this.addNode(from);
    if (!this.nodes.has(to)) this.addNode(to);
    let s = this.edges.get(from);
    if (!s) {
      s = new Set();
      this.edges.set(from, s);
    }
    s.add(to);
  }

  has(id: string): boolean {
    return this.nodes.has(id);
  }

  get size(): number {
    return this.nodes.size - 1;
  }

  packages(): GraphNode[] {
    return [...this.nodes.values()].filter((n) => n.pkg);
  }

  successors(id: string): string[] {
    return [...(this.edges.get(id) ?? [])];
  }

  /**
   * For every node reachable from ROOT: paths from ROOT (capped), depth (fewest edges) and whether it
   * is a direct dependency. Unreachable package nodes are given as reachable through ROOT directly (a
   * lockfile entry nothing points to is still installed), with one path.
   */
  reach(): Map<string, { paths: number; depth: number; direct: boolean }> {
    // Nodes nothing reaches from ROOT (a lockfile without a root entry, stale entries) hang off ROOT.
    // Those nothing points to at all are the roots of what is left; what they do not reach (a cycle
    // of stale entries) hangs off ROOT too.
    let reached = this.reachable();
    if (reached.size < this.nodes.size) {
      const pointed = new Set<string>();
      for (const s of this.edges.values()) for (const v of s) pointed.add(v);
      for (const n of this.nodes.values()) if (n.pkg && !reached.has(n.id) && !pointed.has(n.id)) this.addEdge(ROOT, n.id);
      reached = this.reachable();
      for (const n of this.nodes.values()) if (n.pkg && !reached.has(n.id)) {
        this.addEdge(ROOT, n.id);
        this.reachable(n.id, reached);
      }
    }
    const order: string[] = [];
    const back = new Set<string>();
    // Iterative DFS (lockfiles of thousands of packages would overflow a recursive one).
    const state = new Map<string, 1 | 2>();
    const stack: { id: string; next: string[]; i: number }[] = [{ id: ROOT, next: this.successors(ROOT), i: 0 }];
    state.set(ROOT, 1);
    while (stack.length) {
      const top = stack[stack.length - 1];
      if (top.i < top.next.length) {
        const v = top.next[top.i++];
        const s = state.get(v);
        if (s === 1) back.add(`${top.id}\u0000${v}`);
        else if (s === undefined) {
          state.set(v, 1);
          stack.push({ id: v, next: this.successors(v), i: 0 });
        }
      } else {
        state.set(top.id, 2);
        order.push(top.id);
        stack.pop();
      }
    }
    order.reverse(); // a topological order of the graph without its back edges
    const paths = new Map<string, number>([[ROOT, 1]]);
    for (const u of order) {
      const pu = paths.get(u) ?? 0;
      if (!pu) continue;
      for (const v of this.edges.get(u) ?? []) {
        if (back.has(`${u}\u0000${v}`)) continue;
        paths.set(v, Math.min(PATHS_CAP, (paths.get(v) ?? 0) + pu));
      }
    }
    const depth = new Map<string, number>([[ROOT, 0]]);
    const queue = [ROOT];
    for (let qi = 0; qi < queue.length; qi++) {
      const u = queue[qi];
      for (const v of this.edges.get(u) ?? []) {
        if (!depth.has(v)) {
          depth.set(v, depth.get(u)! + 1);
          queue.push(v);
        }
      }
    }
    const out = new Map<string, { paths: number; depth: number; direct: boolean }>();
    for (const [id, d] of depth) {
      if (id === ROOT || !this.nodes.get(id)?.pkg) continue;
      out.set(id, { paths: Math.max(1, paths.get(id) ?? 1), depth: d, direct: d === 1 });
    }
    return out;
  }

  /** Everything reachable from `from`, added to `seen` (each node is visited once over all calls). */
  private reachable(from: string = ROOT, seen = new Set<string>()): Set<string> {
    seen.add(from);
    const queue = [from];
    for (let qi = 0; qi < queue.length; qi++) for (const v of this.edges.get(queue[qi]) ?? []) if (!seen.has(v)) (seen.add(v), queue.push(v));
    return seen;
  }
}
