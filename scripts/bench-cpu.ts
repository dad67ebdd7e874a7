// Preloaded into the benchmark's child processes (`node --require dist/bench-cpu.js ...`): when the
// process exits, one line on stderr says how much CPU it used since it started, Node's own start-up
// included (process.cpuUsage covers the whole process, every thread).
import { writeSync } from 'node:fs';

process.on('exit', () => {
  const u = process.cpuUsage();
  try {
    writeSync(2, `\nBENCH-CPU ${(u.user + u.system) / 1000}\n`);
  } catch {
    /* stderr closed */
  }
});
