/**
 * The checkpoint thread of a disk SqliteEngine (sqlite-checkpoint-worker.ts), as the engine and the commit
 * worker see it.
 *
 * SQLite's autocheckpoint copies WAL frames back into the database file on the write connection, between
 * commits, so every commit waits behind it. A bulk write spread over a large table dirties a page or two per
 * item (a leaf, and its neighbours when it splits), and copying those pages took a third of the commit
 * thread; done beside the commits, loading a million items with BatchWriteItem ran 30,000–32,000 items/s
 * instead of 27,000. A thread costs about 8 MB of memory, so the engine starts it only for a burst of writes,
 * and it ends itself once writes stop.
 *
 * They talk through `signal` (SIGNAL_SLOTS Int32 slots over a SharedArrayBuffer): the commit worker bumps
 * COMMITS after each commit; the checkpoint thread sets ALIVE while it runs and RESTART when the WAL should
 * start over, which the commit worker does between two commits and then clears; the engine sets STOP to end
 * the thread. Durability never depends on this thread: a commit is durable in the WAL, and whatever is not
 * copied back yet is read from there.
 */

import * as path from 'node:path';
import { Worker } from 'node:worker_threads';

export const COMMITS = 0;
export const STOP = 1;
export const ALIVE = 2;
export const RESTART = 3;
export const SIGNAL_SLOTS = 4;

export interface CheckpointSettings {
  /** WAL size, in frames (pages), at which the WAL starts over. */
  restartFrames: number;
  /** Keys written, with no pause longer than `idleMs`, before the thread is started: a bulk write. */
  burstKeys: number;
  /** The thread ends after this long without a commit (or at the end of its pause, if that is longer). */
  idleMs: number;
  /**
   * Between two checkpoints: a page changed by several commits meanwhile is copied back once. A bulk load
   * sweeping a table rewrites the same pages every few hundred milliseconds. Loading a million items with
   * BatchWriteItem: 26–31k items/s pausing 50 ms, 29–42k at 1 s (ahead by 13–35% in each of four pairs run
   * back to back), 32–35k at 500 ms and 34–38k at 3 s. The price is the WAL's size: it can hold a pause's
   * commits on top of `restartFrames`. That load grew it to 435 MB, and SQLite reuses the file at that size
   * until writes stop (shrinking it at each restart with journal_size_limit cost 10% of the load's speed).
   */
  pauseMs: number;
  /**
   * After this long without a commit, once the thread has ended, the commit worker empties the WAL file
   * (a TRUNCATE checkpoint): SQLite never shrinks it otherwise, and after a burst it can be far larger
   * than the store. Longer than `idleMs`, so the thread has usually ended by then.
   */
  truncateMs: number;
}

/**
 * Restarting at ~80 MB of WAL: a page changed by many commits in between is copied back once. In a
 * synthetic load of a million items: 44k rows/s restarting at 10,000 frames, 50k at 30,000, 30k
 * checkpointing inline every 10,000.
 */
export const DEFAULT_CHECKPOINT_SETTINGS: CheckpointSettings = {
  restartFrames: 20_000,
  burstKeys: 10_000,
  idleMs: 2000,
  pauseMs: 1000,
  truncateMs: 3000,
};

export interface CheckpointWorkerData extends Pick<CheckpointSettings, 'restartFrames' | 'idleMs' | 'pauseMs'> {
  location: string;
  signal: Int32Array;
}

const WORKER_FILE = path.join(__dirname, 'sqlite-checkpoint-worker.js');

/** The engine's side: counts written keys, starts the thread for a burst, stops it at close. */
export class Checkpointer {
  readonly signal = new Int32Array(new SharedArrayBuffer(SIGNAL_SLOTS * 4));
  private worker: Worker | undefined;
  private exited: Promise<void> = Promise.resolve();
  /** After the thread failed: the write connection's own checkpoints carry on alone. */
  private disabled = false;
  private burstKeys = 0;
  private lastWrite = 0;

  constructor(
    private readonly location: string,
    private readonly settings: CheckpointSettings,
  ) {}

  /** Called for each batch handed to the commit worker. */
  wrote(keys: number): void {
    const now = Date.now();
    if (now - this.lastWrite > this.settings.idleMs) this.burstKeys = 0;
    this.lastWrite = now;
    this.burstKeys += keys;
    if (this.burstKeys >= this.settings.burstKeys && this.worker === undefined && !this.disabled) this.start();
  }

  /** Ends the thread, if any, and waits until its connection is closed. */
  async stop(): Promise<void> {
    this.disabled = true;
    this.worker?.ref();
    Atomics.store(this.signal, STOP, 1);
    // Wake it wherever it waits (for commits, in its pause, for a restart no commit will come to run), and
    // change what it would wait on, so a wait it is about to begin returns at once.
    Atomics.add(this.signal, COMMITS, 1);
    Atomics.store(this.signal, RESTART, 0);
    for (const slot of [COMMITS, STOP, RESTART]) Atomics.notify(this.signal, slot);
    await this.exited;
  }

  private start(): void {
    const { restartFrames, idleMs, pauseMs } = this.settings;
    const data: CheckpointWorkerData = { location: this.location, signal: this.signal, restartFrames, idleMs, pauseMs };
    const worker = new Worker(WORKER_FILE, { workerData: data });
    worker.unref();
    this.worker = worker;
    worker.on('error', () => (this.disabled = true));
    this.exited = new Promise((resolve) =>
      worker.on('exit', (code) => {
        if (code !== 0) this.disabled = true;
        this.worker = undefined;
        resolve();
      }),
    );
  }
}
