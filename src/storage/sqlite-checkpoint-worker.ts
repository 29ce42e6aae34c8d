/**
 * The checkpoint thread (see sqlite-checkpointer.ts): its own connection runs PASSIVE checkpoints after
 * commits, at most one per `pauseMs`, beside the commit worker, until no commit has come for `idleMs` or the
 * engine sets STOP.
 *
 * The WAL starts over only when a commit begins with every frame copied back, which never happens while
 * commits keep arriving, and a RESTART checkpoint from here would wait for a gap between commits that may
 * never come. So once the WAL holds `restartFrames` frames, this thread catches up and asks the commit
 * worker to restart it between two commits, where only the frames of the last moments are left to copy.
 */

import { workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { ALIVE, COMMITS, RESTART, STOP, type CheckpointWorkerData } from './sqlite-checkpointer';

/** How long to wait for the commit worker to restart the WAL; it does so after its next commit. */
const RESTART_WAIT_MS = 5000;

/** A PASSIVE checkpoint; returns the WAL's size in frames when it began. */
function checkpoint(db: Database.Database): number {
  const [result] = db.pragma('wal_checkpoint(PASSIVE)') as { log: number }[];
  return result?.log ?? 0;
}

function main(): void {
  const { location, signal, restartFrames, idleMs, pauseMs } = workerData as CheckpointWorkerData;
  Atomics.store(signal, ALIVE, 1);
  let db: Database.Database | undefined;
  try {
    db = new Database(location, { timeout: 5000 });
    db.pragma('synchronous = FULL');
    // It reads WAL frames and writes them to the file; it needs no cache of its own.
    db.pragma('cache_size = -1024');
    let seen = Atomics.load(signal, COMMITS);
    // A pause with no commit in it counts towards idleMs.
    let paused = 0;
    while (Atomics.load(signal, STOP) === 0) {
      if (Atomics.wait(signal, COMMITS, seen, Math.max(0, idleMs - paused)) === 'timed-out') break;
      seen = Atomics.load(signal, COMMITS);
      if (Atomics.load(signal, STOP) !== 0) break;
      try {
        if (checkpoint(db) >= restartFrames) {
          // Copy what was committed during that checkpoint too, then hand the rest to the commit worker.
          checkpoint(db);
          Atomics.store(signal, RESTART, 1);
          Atomics.wait(signal, RESTART, 1, RESTART_WAIT_MS);
        }
      } catch {
        // Busy past the timeout, or an I/O error: the frames stay in the WAL, readable, and the next round
        // (or the write connection's own checkpoint) copies them.
      }
      Atomics.wait(signal, STOP, 0, pauseMs);
      paused = pauseMs;
    }
  } finally {
    db?.close();
    Atomics.store(signal, RESTART, 0);
    Atomics.store(signal, ALIVE, 0);
  }
}

main();
