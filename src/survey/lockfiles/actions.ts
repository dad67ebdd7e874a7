import { DepGraph, ROOT } from '../graph';
import { loadSourceFile } from '../../core/repo/load';
import { parseUses } from '../../core/yaml/uses';
import type { LockfileReading } from './types';

// GitHub Actions the project's workflows and its own actions use: `uses: owner/repo(/path)@ref` in
// steps and reusable-workflow jobs. Each is a direct dependency on the action's repository; local
// (`./x`) and docker references name no repository.

export function readActionUses(files: { path: string; bytes: Uint8Array }[]): LockfileReading {
  const graph = new DepGraph();
  const problems: LockfileReading['problems'] = [];
  for (const f of files) {
    const sf = loadSourceFile(f.path, f.bytes);
    if (sf.yaml?.errors.length) {
      problems.push({ file: f.path, message: 'could not be parsed: its actions are not counted' });
      continue;
    }
    const uses: string[] = [];
    if (sf.workflow) for (const j of sf.workflow.jobs) {
      if (j.uses) uses.push(j.uses.value);
      for (const s of j.steps) if (s.uses) uses.push(s.uses.value);
    }
    if (sf.action) for (const s of sf.action.steps) if (s.uses) uses.push(s.uses.value);
    for (const u of uses) {
      const ref = parseUses(u);
      if (ref.kind !== 'repo') continue;
      const name = `${ref.owner}/${ref.repo}`;
      const id = `${name.toLowerCase()}@${ref.ref}`;
      graph.addNode(id, { name, version: ref.ref });
      graph.addEdge(ROOT, id);
    }
  }
  return { file: '.github/workflows', ecosystem: 'actions', graph, problems };
}
