import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { setUpScenario } from '../unit/survey/scenario';
import { SurveyWorld } from '../unit/survey/world';

// The survey's local world (registries and GitHub on 127.0.0.1) as a process of its own, for the
// Dependencies UI test: `tsx test/ui/survey-world.ts DIR` copies the scenario's lockfiles into DIR,
// prints one JSON line with the servers' URLs and serves until its stdin closes.

async function main(): Promise<void> {
  const target = process.argv[2];
  if (!target) throw new Error('usage: survey-world.ts DIR');
  const w = await SurveyWorld.start();
  await setUpScenario(w);
  for (const f of ['package-lock.json', 'requirements.txt', 'Cargo.lock', 'go.mod']) await fs.copyFile(path.join(w.project, f), path.join(target, f));
  process.stdout.write(
    JSON.stringify({ github: w.github.url, npm: w.registry.npmUrl, pypi: w.registry.pypiUrl, crates: w.registry.cratesUrl, goImport: `${w.registry.url}/go/{module}?go-get=1` }) + '\n',
  );
  const stop = async () => {
    await w.close();
    process.exit(0);
  };
  process.stdin.on('end', () => void stop());
  process.stdin.on('close', () => void stop());
  process.stdin.resume();
  process.on('SIGTERM', () => void stop());
}

main().catch((e) => {
  process.stderr.write(`survey world: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
