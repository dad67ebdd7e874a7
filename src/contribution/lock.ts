import { readFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createExclusiveFileSync, removeOwnFileSync } from '../core/fs/safe-write';

// One contribution flow per clone at a time. The lock is a file created with O_EXCL in the clone's
// common git directory (shared by all its linked worktrees), holding the pid and host of the run, so
// a second run refuses with one line and a lock left by a run that died is taken over.
//
// It is made and removed through safe-write.ts's primitives for Steward's own files: createExclusiveFileSync
// (O_EXCL, the one property a lock needs, which an atomic rename lacks) and removeOwnFileSync.

export class FlowLockBusy extends Error {}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: the process exists but belongs to someone else.
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readOwner(file: string): { pid: number; host: string } | undefined {
  try {
    const [pid, host] = readFileSync(file, 'utf8').split('\n');
    return /^\d+$/.test(pid) ? { pid: Number(pid), host: host ?? '' } : undefined;
  } catch {
    return undefined;
  }
}

export class FlowLock {
  private held = true;
  private constructor(readonly file: string) {}

  /** Takes `<commonDir>/steward.lock`, or throws FlowLockBusy when a live run holds it. */
  static acquire(commonDir: string): FlowLock {
    const file = path.join(commonDir, 'steward.lock');
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        createExclusiveFileSync(file, `${process.pid}\n${os.hostname()}\n`);
        return new FlowLock(file);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw new FlowLockBusy(`cannot create ${file}: ${(e as Error).message.split('\n')[0]}`);
      }
      const owner = readOwner(file);
      // A lock from another machine (a clone on a shared disk) or a live process is respected; an
      // unreadable one too, unless it stays unreadable (a crash between create and write).
      if (owner && (owner.host !== os.hostname() || alive(owner.pid))) {
        throw new FlowLockBusy(`another Steward run (pid ${owner.pid}${owner.host !== os.hostname() ? ` on ${owner.host}` : ''}) is preparing a contribution in this clone: wait for it to finish (or remove ${file} if it is not running)`);
      }
      if (!owner && attempt === 0) continue;
      // Stale: the run that took it has died. Re-read right before removing so a lock another run
      // has just taken over is not removed by mistake.
      const again = readOwner(file);
      if (again && owner && again.pid !== owner.pid) continue;
      try {
        removeOwnFileSync(file);
      } catch {
        // A folder at that name: the next attempt reports it.
      }
    }
    throw new FlowLockBusy(`another Steward run is preparing a contribution in this clone (${file})`);
  }

  /** Synchronous, so signal handlers can call it right before the process exits. */
  release(): void {
    if (!this.held) return;
    this.held = false;
    const owner = readOwner(this.file);
    if (owner?.pid === process.pid) {
      try {
        removeOwnFileSync(this.file);
      } catch {
        // Not a file any more: leave it.
      }
    }
  }
}
