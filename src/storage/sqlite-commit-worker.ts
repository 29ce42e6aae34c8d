/**
 * The commit worker of a disk SqliteEngine (see sqlite-engine.ts): a worker thread that owns the store's
 * only write connection, so the fsync of every COMMIT blocks this thread instead of the event loop.
 *
 * Batches arrive in order on `port`. Whatever has queued up while the previous COMMIT was syncing is
 * applied in one SQL transaction (one fsync for all of them); the engine hears back once per group,
 * only after COMMIT returned. If a group fails it is retried batch by batch, so only the batch that
 * cannot be written fails; once one has failed, every later batch is dropped unapplied ("aborted": it
 * may have read the failed one's writes) until the engine, having failed them too, sends `resume`.
 *
 * Synchronous calls (`ready` at start, `pragma`) answer on `syncPort` and then wake the main thread,
 * which is blocked in Atomics.wait on `signal`.
 */

import { receiveMessageOnPort, workerData } from 'node:worker_threads';
import type { MessagePort } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { ALIVE, COMMITS, RESTART } from './sqlite-checkpointer';
import { replayWriteSet } from './write-set';
import type { EncodedWriteSet, WriteSetVisitor } from './write-set';
import { SqliteWriter } from './sqlite-writer';

export interface CommitWorkerData {
  location: string;
  port: MessagePort;
  syncPort: MessagePort;
  signal: Int32Array;
  /** Shared with the checkpoint thread (sqlite-checkpointer.ts). */
  checkpointSignal: Int32Array;
  /** CheckpointSettings.truncateMs. */
  truncateMs: number;
}

export type ToWorker =
  | { type: 'commit'; id: number; writeSet: EncodedWriteSet }
  | { type: 'resume' }
  | { type: 'pragma'; source: string }
  | { type: 'close' };

export interface SerializedError {
  message: string;
  code?: string;
}

export type FromWorker =
  | { type: 'result'; committed: number[]; failed?: { id: number; error: SerializedError }; aborted: number[] }
  | { type: 'closed'; error?: SerializedError };

export type SyncReply = { ok: true; value: unknown } | { ok: false; error: SerializedError };

export function serializeError(err: unknown): SerializedError {
  const message = err instanceof Error ? err.message : String(err);
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? { message, code } : { message };
}

type CommitMessage = Extract<ToWorker, { type: 'commit' }>;

/**
 * The write connection's own checkpoint when no checkpoint thread runs: every ~40 MB of WAL rather than
 * SQLite's 4 MB, since a page changed by many commits between checkpoints is copied back only once
 * (measured: +40% items/s loading 100k items with BatchWriteItem).
 */
const INLINE_CHECKPOINT_FRAMES = 10_000;
/** While the thread runs: far past its restart size, only so the WAL stays bounded if it ever stalls. */
const INLINE_CHECKPOINT_FRAMES_BESIDE_THREAD = 100_000;

/** The write connection's busy timeout; see the connection's opening in main. */
const BUSY_TIMEOUT_MS = 5000;
/** How soon an idle truncation of the WAL that could not run yet tries again. */
const TRUNCATE_RETRY_MS = 250;

/** The commit worker's side of the checkpoint thread (sqlite-checkpointer.ts), and the WAL's truncation. */
function checkpointHandoff(db: Database.Database, signal: Int32Array, truncateMs: number) {
  let threadSeen = false;
  /** Empties the WAL file once commits have paused and the thread has ended; tries again later if it cannot. */
  const truncate = (): void => {
    // The thread may be waiting for a restart, which otherwise only happens after a commit.
    restartIfAsked();
    if (Atomics.load(signal, ALIVE) === 1) return tryAgain();
    // Without waiting: a reader still on an older snapshot (a batch's callbacks) keeps the WAL in use, and a
    // commit that comes meanwhile must not wait behind this.
    db.pragma('busy_timeout = 0');
    try {
      const [result] = db.pragma('wal_checkpoint(TRUNCATE)') as { busy: number }[];
      if (result?.busy !== 0) tryAgain();
    } catch {
      tryAgain();
    } finally {
      db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    }
  };
  const idle = setTimeout(truncate, truncateMs);
  let retry: NodeJS.Timeout | undefined;
  const tryAgain = (): void => void (retry = setTimeout(truncate, TRUNCATE_RETRY_MS));
  /** Between commits: makes the WAL start over if the thread asked for it. */
  const restartIfAsked = (): void => {
    if (Atomics.load(signal, RESTART) === 0) return;
    try {
      db.pragma('wal_checkpoint(RESTART)');
    } catch {
      // Readers held on past the busy timeout: the thread asks again after the next commits.
    }
    Atomics.store(signal, RESTART, 0);
    Atomics.notify(signal, RESTART);
  };
  return {
    /** After each commit: wakes the thread, and fits the write connection's own checkpoint to whether it runs. */
    committed(): void {
      idle.refresh();
      clearTimeout(retry);
      Atomics.add(signal, COMMITS, 1);
      Atomics.notify(signal, COMMITS);
      const alive = Atomics.load(signal, ALIVE) === 1;
      if (alive === threadSeen) return;
      threadSeen = alive;
      db.pragma(`wal_autocheckpoint = ${alive ? INLINE_CHECKPOINT_FRAMES_BESIDE_THREAD : INLINE_CHECKPOINT_FRAMES}`);
    },
    restartIfAsked,
    /** Before the connection closes. */
    stop(): void {
      clearTimeout(idle);
      clearTimeout(retry);
    },
  };
}

function main(): void {
  const { location, port, syncPort, signal, checkpointSignal, truncateMs } = workerData as CommitWorkerData;

  const answer = (reply: SyncReply): void => {
    syncPort.postMessage(reply);
    Atomics.store(signal, 0, 1);
    Atomics.notify(signal, 0);
  };

  let db: Database.Database;
  let writer: SqliteWriter;
  try {
    // Only another writer can make BEGIN IMMEDIATE wait (WAL readers never do); the store lock keeps
    // other Basalt processes out, so this only covers outside tools writing to the file.
    db = new Database(location, { timeout: BUSY_TIMEOUT_MS });
    for (const [name, value, expected] of [
      ['journal_mode', 'WAL', 'wal'],
      ['synchronous', 'FULL', 2],
    ] as const) {
      db.pragma(`${name} = ${value}`);
      const actual = db.pragma(name, { simple: true });
      if (actual !== expected) throw new Error(`could not set ${name} to ${value} on the write connection (it is ${String(actual)})`);
    }
    db.pragma('temp_store = MEMORY');
    // 16 MiB holds a million-item table's interior pages; loading one with BatchWriteItem ran as fast as with
    // 32 MiB (and slower with 4 MiB). The OS caches the rest of the file.
    db.pragma('cache_size = -16384');
    db.pragma(`wal_autocheckpoint = ${INLINE_CHECKPOINT_FRAMES}`);
    writer = new SqliteWriter(db);
  } catch (err) {
    answer({ ok: false, error: serializeError(err) });
    port.close();
    syncPort.close();
    return;
  }
  answer({ ok: true, value: undefined });
  const checkpoints = checkpointHandoff(db, checkpointSignal, truncateMs);

  /** All or nothing, durable once it returns. */
  const apply = (group: CommitMessage[]): void =>
    writer.commit(group.map((message) => (visitor: WriteSetVisitor) => replayWriteSet(message.writeSet, visitor)));

  /** Set when a batch failed; later batches are aborted until the engine sends `resume`. */
  let poisoned = false;

  const flush = (group: CommitMessage[]): void => {
    if (group.length === 0) return;
    const reply: Extract<FromWorker, { type: 'result' }> = { type: 'result', committed: [], aborted: [] };
    try {
      apply(group);
      checkpoints.committed();
      for (const message of group) reply.committed.push(message.id);
    } catch (groupError) {
      // Find the batch that cannot be written; the ones before it still commit.
      for (const message of group) {
        if (poisoned) {
          reply.aborted.push(message.id);
          continue;
        }
        try {
          if (group.length === 1) throw groupError;
          apply([message]);
          reply.committed.push(message.id);
          checkpoints.committed();
        } catch (err) {
          poisoned = true;
          reply.failed = { id: message.id, error: serializeError(err) };
        }
      }
    }
    group.length = 0;
    port.postMessage(reply);
    checkpoints.restartIfAsked();
  };

  const handle = (messages: ToWorker[]): void => {
    const group: CommitMessage[] = [];
    for (const message of messages) {
      switch (message.type) {
        case 'commit':
          if (poisoned) port.postMessage({ type: 'result', committed: [], aborted: [message.id] } satisfies FromWorker);
          else group.push(message);
          break;
        case 'resume':
          flush(group);
          poisoned = false;
          break;
        case 'pragma':
          flush(group);
          try {
            answer({ ok: true, value: db.pragma(message.source, { simple: true }) });
          } catch (err) {
            answer({ ok: false, error: serializeError(err) });
          }
          break;
        case 'close': {
          flush(group);
          checkpoints.stop();
          let error: SerializedError | undefined;
          try {
            // Fold the WAL back into the main file so the directory is tidy.
            db.pragma('wal_checkpoint(TRUNCATE)');
          } catch (err) {
            error = serializeError(err);
          }
          try {
            db.close();
          } catch (err) {
            error ??= serializeError(err);
          }
          // The ports stay open: the engine terminates this thread once it has read this, so the
          // thread's exit cannot overtake the message.
          port.postMessage(error === undefined ? { type: 'closed' } : ({ type: 'closed', error } satisfies FromWorker));
          return;
        }
      }
    }
    flush(group);
  };

  port.on('message', (first: ToWorker) => {
    // Take everything already queued: batches that arrived during the last fsync share the next one.
    const messages = [first];
    for (let next = receiveMessageOnPort(port); next !== undefined; next = receiveMessageOnPort(port)) {
      messages.push(next.message as ToWorker);
    }
    handle(messages);
  });
}

main();
