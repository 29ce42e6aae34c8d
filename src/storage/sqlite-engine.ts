/**
 * The embedded storage engine: one SQLite file (better-sqlite3, WAL mode) holding an ordered key/value
 * table.
 *
 * Transactions never hold an SQL transaction across an `await`: their callbacks run one after another
 * on the main thread, their writes go into in-memory overlays (overlay.ts), and a group commit makes the
 * write sets of many transactions durable in one short SQL transaction.
 *
 * On disk, the commit runs in a worker thread (sqlite-commit-worker.ts) that owns the write connection,
 * so the fsync of each COMMIT (synchronous=FULL) does not block the event loop. The main thread keeps
 * its own read connections (one for reads outside transactions, one that a batch's callbacks read through
 * in one read transaction); WAL readers see the last committed state and never wait for the writer.
 * A burst of writes also gets a checkpoint thread (sqlite-checkpointer.ts) that copies the WAL back into
 * the file beside the commits. Commits are pipelined: while the worker commits batch N, the main thread
 * runs batch N+1's callbacks.
 * A batch handed to the worker stays as an overlay layer (oldest at the bottom) under the batch being
 * assembled until the worker confirms its COMMIT, so every transaction sees the writes of all earlier
 * ones, committed or not; a caller's promise settles only once its own batch is durable. If a commit
 * fails, that batch and every later one (which may have read its writes) are rejected, unapplied.
 *
 * Reads outside transactions (`get`, `getMany`, `scan`) read the database only: they see committed,
 * durable state, never in-flight writes; they may see a commit a moment before its callers are told.
 *
 * In memory (`{memory: true}`) there is no fsync to hide and an in-memory database cannot be shared
 * between threads, so batches are applied synchronously on the one connection, through the same code.
 */

import * as fs from 'node:fs';
import * as path from 'node:path';
import { MessageChannel, receiveMessageOnPort, Worker } from 'node:worker_threads';
import type { MessagePort } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { StorageOpenError } from './engine';
import type { EngineInfo, KeyValue, ScanOptions, StorageEngine, Transaction } from './engine';
import { EMPTY_KEY, keyId, readThrough, scanThrough, WriteLayer } from './overlay';
import type { CommittedSource } from './overlay';
import type { CommitWorkerData, FromWorker, SerializedError, SyncReply, ToWorker } from './sqlite-commit-worker';
import { Checkpointer, DEFAULT_CHECKPOINT_SETTINGS, type CheckpointSettings } from './sqlite-checkpointer';
import { SqliteWriter } from './sqlite-writer';
import { encodeWriteSet, visitLayer } from './write-set';

/** Layout version of the file; bump it when the schema or key layout changes incompatibly. */
export const FORMAT_VERSION = 1;

/** Most transactions run and committed together in one group commit. */
const MAX_BATCH = 512;

/**
 * Most batches handed to the commit worker and not yet confirmed. Each is a layer every read in a
 * transaction may look through; the worker commits whatever has queued up in one SQL transaction anyway.
 */
const MAX_IN_FLIGHT = 8;

const META_TABLE = 'basalt_meta';

/** `checkpoints` tunes the checkpoint thread (sqlite-checkpointer.ts); the defaults are what was measured best. */
export type SqliteEngineOptions = { path: string; checkpoints?: Partial<CheckpointSettings> } | { memory: true };

type Statement = Database.Statement<unknown[], unknown>;

interface Job {
  fn: (tx: Transaction) => unknown;
  resolve: (value: unknown) => void;
  reject: (reason: unknown) => void;
}

function closedError(): Error {
  return new Error('storage engine is closed');
}

function checkLimit(limit: number | undefined): number {
  if (limit === undefined) return -1;
  if (!Number.isInteger(limit) || limit < 0) throw new RangeError(`scan limit must be a non-negative integer, got ${limit}`);
  return limit;
}

/** Most rows a scan reads packed into one blob (CommittedReader.scan). */
const PACKED_SCAN_MAX = 1024;
/** Most packed scan statements kept with a literal limit (CommittedReader.literalPacked). */
const PACKED_LITERAL_MAX = 64;

/**
 * The scans' ranges, each ending with its LIMIT keyword, indexed by (reverse ? 2 : 0) + (bounded end ? 1 : 0).
 * An omitted start is the empty key, which every blob is >=, so there is no unbounded-start variant.
 */
const SCAN_RANGES = [
  'key >= ? ORDER BY key LIMIT',
  'key >= ? AND key < ? ORDER BY key LIMIT',
  'key >= ? ORDER BY key DESC LIMIT',
  'key >= ? AND key < ? ORDER BY key DESC LIMIT',
];

/** A scan answering one row: the rows' key and value lengths, and all their bytes in one blob. */
const packedScanSql = (range: string, limit: string): string =>
  "SELECT group_concat(octet_length(key) || ',' || octet_length(value), ','), CAST(group_concat(key || value, '') AS BLOB) " +
  `FROM (SELECT key, value FROM kv WHERE ${range} ${limit})`;

/** Synchronous reads of committed state through cached prepared statements. */
class CommittedReader implements CommittedSource {
  private readonly getStmt: Statement;
  // By SCAN_RANGES index: plain rows, and packed (packedScanSql) with the limit as a parameter.
  private readonly scanStmts: Statement[];
  private readonly packedStmts: Statement[];
  // Packed scans with their limit written into the statement, by range variant and limit: SQLite runs such
  // a statement in about two thirds of the time of one whose LIMIT is a bound parameter (a 11-row scan of a
  // million-row table: 18 µs against 29). Kept for the first PACKED_LITERAL_MAX distinct pairs; the few
  // limits a workload uses (Query Limit + 1, the page reader's batch sizes) are among them.
  private readonly literalPacked = new Map<number, Statement>();
  private readonly db: Database.Database;

  private readonly beginStmt: Statement;
  private readonly endStmt: Statement;

  constructor(db: Database.Database) {
    this.db = db;
    this.beginStmt = db.prepare('BEGIN');
    this.endStmt = db.prepare('COMMIT');
    this.getStmt = db.prepare('SELECT value FROM kv WHERE key = ?').pluck();
    this.scanStmts = SCAN_RANGES.map((range) => db.prepare(`SELECT key, value FROM kv WHERE ${range} ?`));
    this.packedStmts = SCAN_RANGES.map((range) => db.prepare(packedScanSql(range, '?')).raw());
  }

  get(key: Buffer): Buffer | undefined {
    return this.getStmt.get(key) as Buffer | undefined;
  }

  /**
   * Runs `read` in one read transaction: the worker cannot commit between its statements (a snapshot), and
   * they share one lock and WAL lookup instead of taking their own (half the cost of a point read).
   */
  snapshot<T>(read: () => T): T {
    if (this.db.inTransaction) return read(); // already one snapshot (hold)
    this.beginStmt.run();
    try {
      return read();
    } finally {
      this.endStmt.run();
    }
  }

  /**
   * Opens a read transaction that every read joins until `release`: see SqliteEngine.batchReader. SQLite starts
   * it (takes its snapshot) at the first read.
   */
  hold(): void {
    this.beginStmt.run();
  }

  release(): void {
    if (this.db.inTransaction) this.endStmt.run();
  }

  close(): void {
    this.db.close();
  }

  scan(start: Buffer, end: Buffer | undefined, reverse: boolean, limit: number): KeyValue[] {
    const index = (reverse ? 2 : 0) + (end === undefined ? 0 : 1);
    const args = end === undefined ? [start, limit] : [start, end, limit];
    // Bounded scans of several rows are packed into one blob, which costs one Buffer instead of two per row
    // (better-sqlite3 copies every blob column into its own Buffer, the bulk of a scan's cost). Unbounded
    // ones stay plain rows: their blob could pass SQLite's length limit.
    if (limit <= 2 || limit > PACKED_SCAN_MAX) return this.scanStmts[index]!.all(...args) as KeyValue[];
    let packed: KeyValue[] | undefined;
    const literal = this.literalPackedStmt(index, limit);
    try {
      const row = !literal ? this.packedStmts[index]!.get(...args) : end === undefined ? literal.get(start) : literal.get(start, end);
      packed = this.unpack(row as [string | null, Buffer | null], reverse);
    } catch (err) {
      if (sqliteCode(err) !== 'SQLITE_TOOBIG') throw err;
    }
    // Rows in order is what SQLite does with an ordered subquery under an aggregate, but it does not
    // promise it: anything else falls back to the plain statement.
    return packed ?? (this.scanStmts[index]!.all(...args) as KeyValue[]);
  }

  /** The packed scan with `limit` written in: kept, or prepared while fewer than PACKED_LITERAL_MAX are. */
  private literalPackedStmt(index: number, limit: number): Statement | undefined {
    const id = index * (PACKED_SCAN_MAX + 1) + limit;
    let stmt = this.literalPacked.get(id);
    if (stmt === undefined && this.literalPacked.size < PACKED_LITERAL_MAX) {
      stmt = this.db.prepare(packedScanSql(SCAN_RANGES[index]!, String(limit))).raw();
      this.literalPacked.set(id, stmt);
    }
    return stmt;
  }

  private unpack([lengths, bytes]: [string | null, Buffer | null], reverse: boolean): KeyValue[] | undefined {
    if (lengths === null || bytes === null) return [];
    const sizes = lengths.split(',');
    const rows: KeyValue[] = new Array(sizes.length / 2);
    let offset = 0;
    let previous: Buffer | undefined;
    for (let i = 0; i < sizes.length; i += 2) {
      const keyEnd = offset + Number(sizes[i]);
      const valueEnd = keyEnd + Number(sizes[i + 1]);
      const key = bytes.subarray(offset, keyEnd);
      if (previous !== undefined && Buffer.compare(previous, key) !== (reverse ? 1 : -1)) return undefined;
      rows[i / 2] = { key, value: bytes.subarray(keyEnd, valueEnd) };
      previous = key;
      offset = valueEnd;
    }
    return offset === bytes.length ? rows : undefined;
  }
}

/** Decodes a stored value; the result is shared by every reader, so it must be treated as immutable. */
export type Decoder<T> = (value: Buffer) => T;

/** Most decoded values kept (absent keys included); the whole cache is dropped when it is full. */
const DECODED_MAX = 4096;
/** Most stored bytes behind the cached values; larger values are decoded but not kept. */
const DECODED_MAX_BYTES = 8 * 1024 * 1024;
const DECODED_VALUE_MAX_BYTES = 64 * 1024;

/**
 * Decoded values of committed keys, for `getDecoded`: a value is decoded once and served from here until a
 * commit that writes its key lands (`invalidate`, called before that commit's callers are told). Only
 * committed state is ever cached: a transaction whose layers know the key decodes what they hold.
 */
class DecodedCache {
  private readonly entries = new Map<string, { decode: Decoder<unknown>; value: unknown; bytes: number }>();
  private bytes = 0;

  get<T>(reader: CommittedReader, id: string, key: Buffer, decode: Decoder<T>): T | undefined {
    const entry = this.entries.get(id);
    if (entry !== undefined && entry.decode === decode) return entry.value as T | undefined;
    const raw = reader.get(key);
    const value = raw === undefined ? undefined : decode(raw);
    const bytes = raw === undefined ? 0 : raw.length;
    if (bytes > DECODED_VALUE_MAX_BYTES) return value;
    if (entry !== undefined) this.forget(id, entry.bytes);
    if (this.entries.size >= DECODED_MAX || this.bytes + bytes > DECODED_MAX_BYTES) this.clear();
    this.entries.set(id, { decode, value, bytes });
    this.bytes += bytes;
    return value;
  }

  /** Forgets every key a committed layer wrote (all of them if it deleted a range). */
  invalidate(layer: WriteLayer): void {
    if (this.entries.size === 0) return;
    if (layer.ranges.length > 0) {
      this.clear();
      return;
    }
    for (const id of layer.entries.keys()) {
      const entry = this.entries.get(id);
      if (entry !== undefined) this.forget(id, entry.bytes);
    }
  }

  private forget(id: string, bytes: number): void {
    this.entries.delete(id);
    this.bytes -= bytes;
  }

  clear(): void {
    this.entries.clear();
    this.bytes = 0;
  }
}

/** A transaction's view: its own layer over the batch layer over in-flight batches over committed state. */
class SqliteTransaction implements Transaction {
  readonly layer = new WriteLayer();
  private readonly layers: readonly WriteLayer[];
  private finished = false;

  constructor(
    private readonly reader: CommittedReader,
    below: readonly WriteLayer[],
    private readonly decoded: DecodedCache,
  ) {
    this.layers = [this.layer, ...below];
  }

  /** Called when the callback settles; later use is a bug in the caller (e.g. a forgotten await). */
  finish(): void {
    this.finished = true;
  }

  private check(): void {
    if (this.finished) throw new Error('transaction already finished: its callback has returned');
  }

  // On disk these reads join the batch's read transaction (SqliteEngine.batchReader). Without one (in memory)
  // the view stays the same too: the database can only change by the commit of an in-flight batch, and that
  // batch's layer (below this one for the whole batch) answers for every key it wrote.
  async get(key: Buffer): Promise<Buffer | undefined> {
    this.check();
    return readThrough(this.layers, this.reader, key);
  }

  async getMany(keys: readonly Buffer[]): Promise<(Buffer | undefined)[]> {
    this.check();
    const read = () => keys.map((key) => readThrough(this.layers, this.reader, key));
    return keys.length <= 1 ? read() : this.reader.snapshot(read);
  }

  /** `get` then `decode`, the decoded value shared with other readers while the key is unchanged. */
  async getDecoded<T>(key: Buffer, decode: Decoder<T>): Promise<T | undefined> {
    this.check();
    const id = keyId(key);
    for (const layer of this.layers) {
      const found = layer.lookup(id, key);
      if (found !== undefined) return found === null ? undefined : decode(found);
    }
    return this.decoded.get(this.reader, id, key, decode);
  }

  async scan(options: ScanOptions): Promise<KeyValue[]> {
    this.check();
    const limit = checkLimit(options.limit);
    return scanThrough(this.layers, this.reader, options.start ?? EMPTY_KEY, options.end, options.reverse === true, limit);
  }

  // Buffers are kept by reference until commit: callers must not mutate them after handing them over.
  put(key: Buffer, value: Buffer): void {
    this.check();
    this.layer.set(key, value);
  }

  delete(key: Buffer): void {
    this.check();
    this.layer.set(key, null);
  }

  deleteRange(start: Buffer, end: Buffer): void {
    this.check();
    this.layer.deleteRange(start, end);
  }
}

/** How the engine hears back from its committer; calls may come synchronously from `submit`. */
interface CommitListener {
  /** These batches are durable; ids come in submission order. */
  committed(ids: readonly number[]): void;
  /** This batch could not be committed and nothing of it was applied. Later ones will not be applied. */
  failed(id: number, error: unknown): void;
  /** The committer is gone: nothing more will be committed. */
  broken(error: Error): void;
}

/** Makes batches durable, strictly in submission order. */
interface Committer {
  /** `layer` is not empty and is not changed afterwards. */
  submit(id: number, layer: WriteLayer): void;
  /** The engine has failed every batch after a failed one: batches submitted from now on are independent. */
  resume(): void;
  /** Holds the event loop open while commits are outstanding (or not). */
  setBusy(busy: boolean): void;
  pragma(source: string): unknown;
  /** Called once nothing is in flight: checkpoints and releases the write connection. */
  close(): Promise<void>;
}

/** Memory stores: applies each batch synchronously on the main connection. */
class SynchronousCommitter implements Committer {
  private readonly writer: SqliteWriter;

  constructor(
    private readonly db: Database.Database,
    private readonly listener: CommitListener,
  ) {
    this.writer = new SqliteWriter(db);
  }

  submit(id: number, layer: WriteLayer): void {
    try {
      this.writer.commit([(visitor) => visitLayer(layer, visitor)]);
    } catch (err) {
      this.listener.failed(id, err);
      return;
    }
    this.listener.committed([id]);
  }

  resume(): void {}

  setBusy(): void {}

  pragma(source: string): unknown {
    return this.db.pragma(source, { simple: true });
  }

  async close(): Promise<void> {}
}

/** How long `openSqliteEngine` and `pragma` wait for the commit worker to answer. */
const WORKER_SYNC_TIMEOUT_MS = 30_000;
const WORKER_FILE = path.join(__dirname, 'sqlite-commit-worker.js');

function deserializeError(error: SerializedError): Error {
  return error.code === undefined ? new Error(error.message) : new Database.SqliteError(error.message, error.code);
}

/** Disk stores: hands batches to the commit worker thread, which owns the write connection. */
class WorkerCommitter implements Committer {
  private readonly worker: Worker;
  private readonly port: MessagePort;
  private readonly syncPort: MessagePort;
  /** Set to 1 by the worker after it posted a synchronous answer on syncPort. */
  private readonly signal = new Int32Array(new SharedArrayBuffer(4));
  private readonly checkpointer: Checkpointer;
  private closing: { resolve: () => void; reject: (err: Error) => void } | undefined;
  private dead = false;

  /** Starts the worker and waits (blocking) until it has opened and checked the write connection. */
  constructor(
    location: string,
    private readonly listener: CommitListener,
    checkpoints: CheckpointSettings,
  ) {
    if (!fs.existsSync(WORKER_FILE)) throw new Error(`the commit worker ${WORKER_FILE} is missing (is the build complete?)`);
    const control = new MessageChannel();
    const sync = new MessageChannel();
    this.port = control.port1;
    this.syncPort = sync.port1;
    this.checkpointer = new Checkpointer(location, checkpoints);
    const data: CommitWorkerData = {
      location,
      port: control.port2,
      syncPort: sync.port2,
      signal: this.signal,
      checkpointSignal: this.checkpointer.signal,
      truncateMs: checkpoints.truncateMs,
    };
    this.worker = new Worker(WORKER_FILE, { workerData: data, transferList: [control.port2, sync.port2] });
    // An idle engine must not keep the process alive (the old synchronous engine did not); see setBusy.
    this.worker.unref();
    this.syncPort.unref();
    let reply: SyncReply;
    try {
      reply = this.waitForAnswer('start');
    } catch (err) {
      void this.worker.terminate();
      throw err;
    }
    if (!reply.ok) {
      void this.worker.terminate();
      throw deserializeError(reply.error);
    }
    this.port.on('message', (message: FromWorker) => this.onMessage(message));
    this.port.unref();
    this.worker.on('error', (err) => this.onDeath(err));
    this.worker.on('exit', (code) => this.onDeath(new Error(`the commit worker exited (code ${code})`)));
  }

  submit(id: number, layer: WriteLayer): void {
    const { writeSet, transfer } = encodeWriteSet(layer);
    this.post({ type: 'commit', id, writeSet }, transfer);
    this.checkpointer.wrote(writeSet.entries);
  }

  resume(): void {
    this.post({ type: 'resume' });
  }

  setBusy(busy: boolean): void {
    if (busy) this.port.ref();
    else this.port.unref();
  }

  /** Runs synchronously on the write connection, after every batch submitted before it. */
  pragma(source: string): unknown {
    if (this.dead) throw new Error('the commit worker is gone');
    Atomics.store(this.signal, 0, 0);
    this.post({ type: 'pragma', source });
    const reply = this.waitForAnswer(`PRAGMA ${source}`);
    if (!reply.ok) throw deserializeError(reply.error);
    return reply.value;
  }

  async close(): Promise<void> {
    await this.checkpointer.stop();
    if (this.dead) return this.worker.terminate().then(() => undefined);
    this.worker.ref();
    this.port.ref();
    const closed = new Promise<void>((resolve, reject) => (this.closing = { resolve, reject }));
    this.post({ type: 'close' });
    return closed.finally(() => this.worker.terminate());
  }

  private post(message: ToWorker, transfer?: ArrayBuffer[]): void {
    this.port.postMessage(message, transfer);
  }

  /** Blocks the main thread until the worker answers on syncPort (see sqlite-commit-worker.ts). */
  private waitForAnswer(what: string): SyncReply {
    const outcome = Atomics.wait(this.signal, 0, 0, WORKER_SYNC_TIMEOUT_MS);
    const received = receiveMessageOnPort(this.syncPort);
    if (received === undefined) throw new Error(`the commit worker did not answer (${what}): ${outcome}`);
    return received.message as SyncReply;
  }

  private onMessage(message: FromWorker): void {
    if (message.type === 'closed') {
      this.dead = true;
      const closing = this.closing;
      this.closing = undefined;
      if (message.error === undefined) closing?.resolve();
      else closing?.reject(deserializeError(message.error));
      return;
    }
    if (message.committed.length > 0) this.listener.committed(message.committed);
    // The engine failed the aborted ones already, when it heard of the failure before them.
    if (message.failed !== undefined) this.listener.failed(message.failed.id, deserializeError(message.failed.error));
  }

  private onDeath(err: Error): void {
    if (this.dead) return;
    this.dead = true;
    this.closing?.reject(err);
    this.closing = undefined;
    this.listener.broken(err);
  }
}

/** A batch whose callbacks have run, waiting for its commit (and for every batch before it). */
interface InFlightBatch {
  id: number;
  /** Empty for a read-only batch: it is not sent, it settles when the batches before it do. */
  layer: WriteLayer;
  jobs: Job[];
  results: unknown[];
}

export class SqliteEngine implements StorageEngine {
  readonly info: EngineInfo;
  private readonly reader: CommittedReader;
  /**
   * On disk, transaction callbacks read through a connection of their own, inside one read transaction per
   * batch: an SQLite read outside a transaction locks and unlocks the file (two fcntl calls) and checks the
   * WAL, which was most of a PutItem's read of its old item. It cannot be the main reader: reads outside
   * transactions must see every commit already reported, and a batch's snapshot may predate some (those
   * batches are still among its layers, so its own view is complete). A callback that awaits something slow
   * keeps the snapshot open, which holds off the WAL's restart (the commit worker waits for it, then tries
   * again later). In memory there is one connection.
   */
  private readonly batchReader: CommittedReader | undefined;
  private readonly decoded = new DecodedCache();
  private readonly committer: Committer;

  private queue: Job[] = [];
  /** Batches handed to the committer, oldest first; their layers sit under the batch being assembled. */
  private inFlight: InFlightBatch[] = [];
  private nextBatchId = 1;
  /** Bumped when a commit fails: a batch assembled over the failed one's layer must fail too. */
  private epoch = 0;
  private lastFailure: unknown;
  /** True while a batch is scheduled or running its callbacks. */
  private running = false;
  private brokenError: Error | undefined;
  private closed = false;
  private closing: Promise<void> | undefined;
  private onIdle: (() => void) | undefined;

  /** Use `openSqliteEngine`; this expects an opened, checked and initialised database. */
  constructor(
    private readonly db: Database.Database,
    location: string,
    private readonly lock: StoreLock | undefined,
    checkpoints: CheckpointSettings,
    batchDb: Database.Database | undefined,
  ) {
    this.info = { name: 'sqlite', location };
    this.reader = new CommittedReader(db);
    this.batchReader = batchDb && new CommittedReader(batchDb);
    const listener: CommitListener = {
      committed: (ids) => this.onCommitted(ids),
      failed: (id, error) => this.onFailed(id, error),
      broken: (error) => this.onBroken(error),
    };
    this.committer = db.memory ? new SynchronousCommitter(db, listener) : new WorkerCommitter(location, listener, checkpoints);
  }

  async get(key: Buffer): Promise<Buffer | undefined> {
    if (this.closing) throw closedError();
    return this.reader.get(key);
  }

  /**
   * `get` then `decode`, the decoded value cached and shared with other readers until a commit changes
   * the key: callers must not mutate it. Like `get`, it reads committed state.
   */
  async getDecoded<T>(key: Buffer, decode: Decoder<T>): Promise<T | undefined> {
    if (this.closing) throw closedError();
    return this.decoded.get(this.reader, keyId(key), key, decode);
  }

  async getMany(keys: readonly Buffer[]): Promise<(Buffer | undefined)[]> {
    if (this.closing) throw closedError();
    if (keys.length <= 1) return keys.map((key) => this.reader.get(key));
    return this.reader.snapshot(() => keys.map((key) => this.reader.get(key)));
  }

  async scan(options: ScanOptions): Promise<KeyValue[]> {
    if (this.closing) throw closedError();
    const limit = checkLimit(options.limit);
    if (limit === 0) return [];
    return this.reader.scan(options.start ?? EMPTY_KEY, options.end, options.reverse === true, limit);
  }

  transact<T>(fn: (tx: Transaction) => Promise<T> | T): Promise<T> {
    if (this.closing) return Promise.reject(closedError());
    if (this.brokenError) return Promise.reject(this.brokenError);
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ fn, resolve: resolve as (value: unknown) => void, reject });
      this.schedule();
    });
  }

  close(): Promise<void> {
    // Idempotent: a second close (e.g. from two shutdown paths) waits for the same one.
    this.closing ??= (async () => {
      if (!this.isIdle()) await new Promise<void>((resolve) => (this.onIdle = resolve));
      this.closed = true;
      try {
        await this.committer.close();
      } finally {
        try {
          this.batchReader?.close();
          this.db.close();
        } finally {
          this.lock?.release();
        }
      }
    })();
    return this.closing;
  }

  /**
   * Runs a PRAGMA (read or set) on the engine's write connection, after every batch already handed to
   * it: for diagnostics and tests. On disk this blocks until the commit worker answers.
   */
  pragma(source: string): unknown {
    if (this.closed) throw closedError();
    return this.committer.pragma(source);
  }

  // --- Called by the committer -------------------------------------------------------------------------

  private onCommitted(ids: readonly number[]): void {
    for (const id of ids) {
      const head = this.inFlight[0];
      if (head?.id !== id) {
        this.onBroken(new Error(`storage engine bug: batch ${id} committed out of order (expected ${head?.id})`));
        return;
      }
      this.settleHead();
      // Read-only batches right behind it only waited for it.
      while (this.inFlight.length > 0 && this.inFlight[0]!.layer.isEmpty) this.settleHead();
    }
    this.afterProgress();
  }

  private onFailed(id: number, error: unknown): void {
    const index = this.inFlight.findIndex((batch) => batch.id === id);
    if (index < 0) return; // already failed with an earlier one
    const failedBatches = this.inFlight.splice(index);
    this.epoch++;
    this.lastFailure = error;
    this.decoded.clear();
    // The committer drops what it was sent after the failed batch until it hears this.
    this.committer.resume();
    for (const job of failedBatches[0]!.jobs) job.reject(error);
    for (const batch of failedBatches.slice(1)) for (const job of batch.jobs) job.reject(dependentFailure(error));
    this.afterProgress();
  }

  private onBroken(error: Error): void {
    this.brokenError ??= error;
    // The worker may have committed something it could not report: cached values may be stale.
    this.decoded.clear();
    for (const batch of this.inFlight.splice(0)) for (const job of batch.jobs) job.reject(error);
    for (const job of this.queue.splice(0)) job.reject(error);
    this.epoch++;
    this.lastFailure = error;
    this.afterProgress();
  }

  // --- Batches -----------------------------------------------------------------------------------------

  private settleHead(): void {
    const batch = this.inFlight.shift()!;
    this.decoded.invalidate(batch.layer);
    for (let i = 0; i < batch.jobs.length; i++) batch.jobs[i]!.resolve(batch.results[i]);
  }

  private isIdle(): boolean {
    return !this.running && this.queue.length === 0 && this.inFlight.length === 0;
  }

  /** Starts a batch if there is work and room in the pipeline. */
  private schedule(): void {
    if (this.running || this.queue.length === 0 || this.inFlight.length >= MAX_IN_FLIGHT) return;
    this.running = true;
    // setImmediate, not a microtask: it runs after the event loop's I/O callbacks, so every request
    // that arrived meanwhile joins this batch.
    setImmediate(this.runBatch);
  }

  private afterProgress(): void {
    this.committer.setBusy(this.inFlight.length > 0);
    this.schedule();
    if (this.onIdle && this.isIdle()) {
      const onIdle = this.onIdle;
      this.onIdle = undefined;
      onIdle();
    }
  }

  private readonly runBatch = (): void => {
    this.executeBatch().then(
      () => {
        this.running = false;
        this.afterProgress();
      },
      (err: unknown) => {
        // Only an engine bug gets here; fail what is queued rather than hang it.
        for (const job of this.queue.splice(0)) job.reject(err);
        this.running = false;
        this.afterProgress();
      },
    );
  };

  /**
   * One group commit: run queued callbacks one after another, each over the layers of the ones before
   * it (in this batch and in flight), then hand the batch's write set to the committer; its callers
   * settle once it is durable.
   */
  private async executeBatch(): Promise<void> {
    if (this.brokenError) {
      for (const job of this.queue.splice(0)) job.reject(this.brokenError);
      return;
    }
    const epoch = this.epoch;
    const batch = new WriteLayer();
    const below = [batch];
    for (let i = this.inFlight.length - 1; i >= 0; i--) if (!this.inFlight[i]!.layer.isEmpty) below.push(this.inFlight[i]!.layer);
    const done: Job[] = [];
    const results: unknown[] = [];
    const reader = this.batchReader ?? this.reader;
    this.batchReader?.hold();
    try {
      // Jobs arriving while callbacks await are taken into this batch too, up to the cap; none once a
      // commit below has failed (they would read through its layer).
      while (done.length < MAX_BATCH && this.queue.length > 0 && this.epoch === epoch) {
        const job = this.queue.shift()!;
        const tx = new SqliteTransaction(reader, below, this.decoded);
        let result: unknown;
        try {
          result = await job.fn(tx);
        } catch (err) {
          tx.finish();
          job.reject(err);
          continue;
        }
        tx.finish();
        batch.absorb(tx.layer);
        done.push(job);
        results.push(result);
      }
    } finally {
      this.batchReader?.release();
    }
    if (done.length === 0) return;
    if (this.epoch !== epoch) {
      // A batch under this one failed to commit while its callbacks ran: they may have read its writes.
      for (const job of done) job.reject(dependentFailure(this.lastFailure));
      return;
    }
    const inFlight: InFlightBatch = { id: this.nextBatchId++, layer: batch, jobs: done, results };
    if (batch.isEmpty && this.inFlight.length === 0) {
      // Read-only and nothing under it: there is nothing to make durable.
      for (let i = 0; i < done.length; i++) done[i]!.resolve(results[i]);
      return;
    }
    this.inFlight.push(inFlight);
    this.committer.setBusy(true);
    if (!batch.isEmpty) this.committer.submit(inFlight.id, batch);
  }
}

function dependentFailure(cause: unknown): Error {
  const reason = cause instanceof Error ? cause.message : String(cause);
  return new Error(`transaction not committed: an earlier transaction it may have read from failed to commit (${reason})`, { cause });
}

// ---------------------------------------------------------------------------------------------------
// Opening

function sqliteCode(err: unknown): string | undefined {
  return typeof err === 'object' && err !== null && typeof (err as { code?: unknown }).code === 'string'
    ? (err as { code: string }).code
    : undefined;
}

/** Turns an SQLite failure during open into a one-line StorageOpenError. */
function openError(location: string, err: unknown): StorageOpenError {
  if (err instanceof StorageOpenError) return err;
  const code = sqliteCode(err) ?? '';
  const message = err instanceof Error ? err.message : String(err);
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) {
    return new StorageOpenError(
      `data directory ${path.dirname(location)} is in use by another Basalt process (store ${location} is locked)`,
    );
  }
  if (code === 'SQLITE_NOTADB') return new StorageOpenError(`${location} is not a Basalt store (not an SQLite database); refusing to open it`);
  if (code.startsWith('SQLITE_CORRUPT')) return new StorageOpenError(`store ${location} is corrupt: ${message}`);
  return new StorageOpenError(`cannot open store ${location}: ${message}`);
}

/**
 * Checks what the file holds before anything is written to it: empty (initialise it), a Basalt store
 * of this format version (use it), or anything else (refuse, leaving it untouched).
 */
function inspect(db: Database.Database, location: string): 'fresh' | 'existing' {
  const tables = db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table'").pluck().all() as string[];
  if (tables.length === 0) return 'fresh';
  if (!tables.includes(META_TABLE)) {
    throw new StorageOpenError(`${location} is an SQLite database but not a Basalt store (no ${META_TABLE} table); refusing to open it`);
  }
  const version = db.prepare(`SELECT value FROM ${META_TABLE} WHERE name = 'format_version'`).pluck().get();
  if (version === undefined) throw new StorageOpenError(`store ${location} has no format version; refusing to open it`);
  if (version !== FORMAT_VERSION) {
    throw new StorageOpenError(
      `store ${location} has format version ${String(version)} but this Basalt reads version ${FORMAT_VERSION}; refusing to open it`,
    );
  }
  if (!tables.includes('kv')) throw new StorageOpenError(`store ${location} is corrupt: the kv table is missing`);
  return 'existing';
}

/** Sets a pragma and reads it back: SQLite ignores some settings silently (e.g. WAL on some filesystems). */
function requirePragma(db: Database.Database, location: string, name: string, value: string, expected: unknown): void {
  db.pragma(`${name} = ${value}`);
  const actual = db.pragma(name, { simple: true });
  if (actual !== expected) {
    throw new StorageOpenError(`store ${location}: could not set ${name} to ${value} (it is ${String(actual)})`);
  }
}

function initialise(db: Database.Database): void {
  db.transaction(() => {
    // WITHOUT ROWID: the table is the primary-key b-tree itself, one lookup per key and no rowid index.
    db.exec('CREATE TABLE kv (key BLOB NOT NULL PRIMARY KEY, value BLOB NOT NULL) WITHOUT ROWID');
    db.exec(`CREATE TABLE ${META_TABLE} (name TEXT NOT NULL PRIMARY KEY, value) WITHOUT ROWID`);
    db.prepare(`INSERT INTO ${META_TABLE} (name, value) VALUES ('format_version', ?)`).run(FORMAT_VERSION);
  }).immediate();
}

/**
 * Keeps other Basalt processes out of a store: an exclusive lock on a sidecar SQLite file next to it
 * (`<store>-lock`), held by a connection of the main thread for as long as the engine is open. The
 * store's own connections cannot use `locking_mode=EXCLUSIVE`, which would shut out each other.
 *
 * It is an OS advisory lock tied to the open file, so the kernel drops it when the process dies, even
 * by kill -9: a leftover file is just taken over. On close the file is removed while still locked; an
 * opener that had already opened the removed file notices (the path no longer names what it locked) and
 * tries again with the new one.
 */
class StoreLock {
  private constructor(
    private readonly db: Database.Database,
    private readonly file: string,
  ) {}

  /** Throws SQLITE_BUSY when another connection (of this process or another) holds the lock. */
  static acquire(location: string): StoreLock {
    const file = `${location}-lock`;
    for (let attempt = 0; attempt < 10; attempt++) {
      const before = statOrUndefined(file);
      // timeout 0: a held lock fails at once with SQLITE_BUSY instead of waiting for a lock we never get.
      const db = new Database(file, { timeout: 0 });
      try {
        db.pragma('locking_mode = EXCLUSIVE'); // keep the lock after the transaction that takes it
        db.pragma('journal_mode = MEMORY'); // no -journal file next to it
        db.exec('BEGIN EXCLUSIVE');
        db.exec('COMMIT');
      } catch (err) {
        db.close();
        throw err;
      }
      const after = statOrUndefined(file);
      // The path named the same file before we opened it and after we locked it, so we locked that file.
      if (before !== undefined && after !== undefined && before.ino === after.ino && before.dev === after.dev) {
        return new StoreLock(db, file);
      }
      db.close(); // created just now, or replaced meanwhile: look again
    }
    throw Object.assign(new Error(`could not lock ${file}: it keeps being replaced`), { code: 'SQLITE_BUSY' });
  }

  release(): void {
    try {
      fs.rmSync(this.file, { force: true }); // while still locked, see above
    } finally {
      this.db.close();
    }
  }
}

function statOrUndefined(file: string): fs.Stats | undefined {
  try {
    return fs.statSync(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

/** The main thread's read connections. */
function configureReader(db: Database.Database): void {
  db.pragma('temp_store = MEMORY');
  // The page cache is small on purpose: its pages go stale with every commit, and the OS caches the file
  // anyway. Measured on a million-item table, 8 MiB reads as fast as 32 MiB (Query of 10 and 100 items,
  // 1 MB Scan pages) and keeps 24 MiB less resident.
  db.pragma('cache_size = -8192');
}

/**
 * Opens (creating if needed) a store. `path` is the SQLite file, normally inside the data directory;
 * missing parent directories are created. The store is locked against other Basalt processes (see
 * StoreLock); the main thread's connection checks and initialises it and then serves reads, and the
 * commit worker is started and has opened the write connection before this returns.
 */
export function openSqliteEngine(options: SqliteEngineOptions): SqliteEngine {
  const memory = 'memory' in options;
  const location = memory ? 'memory' : path.resolve(options.path);
  let lock: StoreLock | undefined;
  let db: Database.Database | undefined;
  let batchDb: Database.Database | undefined;
  try {
    if (!memory) {
      if (fs.existsSync(location) && fs.statSync(location).isDirectory()) {
        throw new StorageOpenError(`${location} is a directory; the store path must name the database file inside the data directory`);
      }
      fs.mkdirSync(path.dirname(location), { recursive: true });
      lock = StoreLock.acquire(location);
    }
    // A short wait covers WAL recovery by the worker's connection; the store lock keeps other Basalt
    // processes away, so nothing holds the file for long.
    db = new Database(memory ? ':memory:' : location, { timeout: 5000 });
    const state = inspect(db, location);
    if (!memory) requirePragma(db, location, 'journal_mode', 'WAL', 'wal');
    configureReader(db);
    if (state === 'fresh') {
      if (!memory) requirePragma(db, location, 'synchronous', 'FULL', 2);
      initialise(db);
    }
    if (!memory) {
      batchDb = new Database(location, { timeout: 5000 });
      configureReader(batchDb);
    }
    return new SqliteEngine(db, location, lock, { ...DEFAULT_CHECKPOINT_SETTINGS, ...(memory ? undefined : options.checkpoints) }, batchDb);
  } catch (err) {
    for (const release of [() => batchDb?.close(), () => db?.close(), () => lock?.release()]) {
      try {
        release();
      } catch {
        // Report the original failure.
      }
    }
    throw openError(location, err);
  }
}
