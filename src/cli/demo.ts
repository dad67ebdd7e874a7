import * as path from 'node:path';
import { existsSync } from 'node:fs';
import type { Output } from './io';
import { scanCommand } from './scan';

/** `npm start [-- PATH]`: the posture of PATH, or of the demo repository shipped in test/fixtures. */
export async function demoCommand(argv: string[], o: Output): Promise<number> {
  const positional = argv.filter((a) => !a.startsWith('-'));
  const flags = argv.filter((a) => a.startsWith('-'));
  let target = positional;
  if (!target.length) {
    const demo = [path.join(__dirname, '..', 'test', 'fixtures', 'demo-repo'), path.join(o.cwd, 'test', 'fixtures', 'demo-repo')].find((p) => existsSync(p));
    target = demo ? [demo] : ['.'];
  }
  await scanCommand([...target, '--fail-on', 'never', ...flags], o);
  return 0;
}
