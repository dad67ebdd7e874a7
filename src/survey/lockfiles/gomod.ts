import { DepGraph, ROOT } from '../graph';
import { LockfileError, type LockfileReading } from './types';

// go.mod: `require` lines, single or in a block. Since Go 1.17 go.mod lists every module the build
// needs; the ones only others need are marked `// indirect`. go.mod has no edges between modules, so
// an indirect module is counted as reached by one path at depth 2 (the graph is not written down).

const INDIRECT = '\u0000indirect';

export function readGoMod(file: string, text: string): LockfileReading {
  const graph = new DepGraph();
  let inRequire = false;
  let sawModule = false;
  const add = (line: string) => {
    const indirect = /\/\/\s*indirect\b/.test(line);
    const code = line.replace(/\/\/.*$/, '').trim();
    const m = /^("?)([^\s"]+)\1\s+(v\S+)$/.exec(code);
    if (!m) return;
    const [, , mod, version] = m;
    graph.addNode(mod, { name: mod, version });
    if (indirect) graph.addEdge(ROOT, INDIRECT), graph.addEdge(INDIRECT, mod);
    else graph.addEdge(ROOT, mod);
  };
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (/^module\s/.test(line)) sawModule = true;
    if (inRequire) {
      if (line.startsWith(')')) inRequire = false;
      else add(line);
      continue;
    }
    if (/^require\s*\($/.test(line)) inRequire = true;
    else if (/^require\s+/.test(line)) add(line.replace(/^require\s+/, ''));
  }
  if (!sawModule) throw new LockfileError(file, 'has no `module` line');
  return { file, ecosystem: 'go', graph, problems: [] };
}
