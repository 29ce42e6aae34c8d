/**
 * The embedded storage engine: one SQLite file (better-sqlite3) holding an ordered key/value table.
 *
 * better-sqlite3 is synchronous and this process is the only one with the file open (exclusive lock),
 * so every single statement, and every run of statements without an `await` between them, sees one
 * consistent committed state. Transactions never hold an SQL transaction across an `await`: their
 * writes go into an in-memory overlay, and a group commit applies the write sets of many transactions
 * in one short synchronous SQL transaction.
 */

import * as fs from 'node:fs';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import { StorageOpenError } from './engine';
import type { EngineInfo, KeyValue, ScanOptions, StorageEngine, Transaction } from './engine';
import { EMPTY_KEY, readThrough, scanThrough, WriteLayer } from './overlay';
import type { CommittedSource } from './overlay';

/** Layout version of the file; bump it when the schema or key layout changes incompatibly. */
export const FORMAT_VERSION = 1;

/** Most transactions run and committed together in one group commit. */
const MAX_BATCH = 512;

const META_TABLE = 'basalt_meta';

export type SqliteEngineOptions = { path: string } | { memory: true };

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

/** Synchronous reads of committed state through cached prepared statements. */
class CommittedReader implements CommittedSource {
  private readonly getStmt: Statement;
  // Indexed by (reverse ? 2 : 0) + (bounded end ? 1 : 0). An omitted start is the empty key, which
  // every blob is >=, so there is no unbounded-start variant.
  private readonly scanStmts: Statement[];

  constructor(db: Database.Database) {
    this.getStmt = db.prepare('SELECT value FROM kv WHERE key = ?').pluck();
    this.scanStmts = [
      db.prepare('SELECT key, value FROM kv WHERE key >= ? ORDER BY key LIMIT ?'),
      db.prepare('SELECT key, value FROM kv WHERE key >= ? AND key < ? ORDER BY key LIMIT ?'),
      db.prepare('SELECT key, value FROM kv WHERE key >= ? ORDER BY key DESC LIMIT ?'),
      db.prepare('SELECT key, value FROM kv WHERE key >= ? AND key < ? ORDER BY key DESC LIMIT ?'),
    ];
  }

  get(key: Buffer): Buffer | undefined {
    return this.getStmt.get(key) as Buffer | undefined;
  }

  scan(start: Buffer, end: Buffer | undefined, reverse: boolean, limit: number): KeyValue[] {
    // Rows come back as { key, value } objects with Buffer columns: already the KeyValue shape.
    if (end === undefined) return this.scanStmts[reverse ? 2 : 0]!.all(start, limit) as KeyValue[];
    return this.scanStmts[reverse ? 3 : 1]!.all(start, end, limit) as KeyValue[];
  }
}

/** A transaction's view: its own layer over the batch layer over committed state. */
class SqliteTransaction implements Transaction {
  readonly layer = new WriteLayer();
  private readonly layers: readonly WriteLayer[];
  private finished = false;

  constructor(
    private readonly reader: CommittedReader,
    batch: WriteLayer,
  ) {
    this.layers = [this.layer, batch];
  }

  /** Called when the callback settles; later use is a bug in the caller (e.g. a forgotten await). */
  finish(): void {
    this.finished = true;
  }

  private check(): void {
    if (this.finished) throw new Error('transaction already finished: its callback has returned');
  }

  async get(key: Buffer): Promise<Buffer | undefined> {
    this.check();
    return readThrough(this.layers, this.reader, key);
  }

  async getMany(keys: readonly Buffer[]): Promise<(Buffer | undefined)[]> {
    this.check();
    return keys.map((key) => readThrough(this.layers, this.reader, key));
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

export class SqliteEngine implements StorageEngine {
  readonly info: EngineInfo;
  private readonly reader: CommittedReader;
  private readonly beginStmt: Statement;
  private readonly commitStmt: Statement;
  private readonly rollbackStmt: Statement;
  private readonly putStmt: Statement;
  private readonly deleteStmt: Statement;
  private readonly deleteRangeStmt: Statement;

  private queue: Job[] = [];
  /** Reused across batches: the write set of the group commit being assembled. */
  private readonly batch = new WriteLayer();
  /** True from scheduling a batch until the queue is empty again. */
  private running = false;
  private closed = false;
  private closing: Promise<void> | undefined;
  private onIdle: (() => void) | undefined;

  /** Use `openSqliteEngine`; this expects an opened, checked and initialised database. */
  constructor(
    private readonly db: Database.Database,
    location: string,
  ) {
    this.info = { name: 'sqlite', location };
    this.reader = new CommittedReader(db);
    this.beginStmt = db.prepare('BEGIN IMMEDIATE');
    this.commitStmt = db.prepare('COMMIT');
    this.rollbackStmt = db.prepare('ROLLBACK');
    this.putStmt = db.prepare('INSERT OR REPLACE INTO kv (key, value) VALUES (?, ?)');
    this.deleteStmt = db.prepare('DELETE FROM kv WHERE key = ?');
    this.deleteRangeStmt = db.prepare('DELETE FROM kv WHERE key >= ? AND key < ?');
  }

  async get(key: Buffer): Promise<Buffer | undefined> {
    if (this.closing) throw closedError();
    return this.reader.get(key);
  }

  async getMany(keys: readonly Buffer[]): Promise<(Buffer | undefined)[]> {
    if (this.closing) throw closedError();
    // A snapshot: no commit can run between these synchronous statements (see the file comment).
    return keys.map((key) => this.reader.get(key));
  }

  async scan(options: ScanOptions): Promise<KeyValue[]> {
    if (this.closing) throw closedError();
    const limit = checkLimit(options.limit);
    if (limit === 0) return [];
    return this.reader.scan(options.start ?? EMPTY_KEY, options.end, options.reverse === true, limit);
  }

  transact<T>(fn: (tx: Transaction) => Promise<T> | T): Promise<T> {
    if (this.closing) return Promise.reject(closedError());
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ fn, resolve: resolve as (value: unknown) => void, reject });
      if (!this.running) {
        this.running = true;
        // setImmediate, not a microtask: it runs after the event loop's I/O callbacks, so every
        // request that arrived meanwhile (e.g. during the previous fsync) joins this batch.
        setImmediate(this.runBatch);
      }
    });
  }

  close(): Promise<void> {
    // Idempotent: a second close (e.g. from two shutdown paths) waits for the same one.
    this.closing ??= (async () => {
      if (this.running) await new Promise<void>((resolve) => (this.onIdle = resolve));
      this.closed = true;
      if (this.db.memory) {
        this.db.close();
        return;
      }
      try {
        // Fold the WAL back into the main file so the directory is tidy; close() would too.
        this.db.pragma('wal_checkpoint(TRUNCATE)');
      } finally {
        this.db.close();
      }
    })();
    return this.closing;
  }

  /** Runs a PRAGMA (read or set) on the engine's connection: for diagnostics and tests. */
  pragma(source: string): unknown {
    if (this.closed) throw closedError();
    return this.db.pragma(source, { simple: true });
  }

  private readonly runBatch = (): void => {
    this.executeBatch().then(
      () => this.afterBatch(),
      (err: unknown) => {
        // Only an engine bug gets here; fail what is queued rather than hang it.
        for (const job of this.queue.splice(0)) job.reject(err);
        this.afterBatch();
      },
    );
  };

  private afterBatch(): void {
    if (this.queue.length > 0) {
      setImmediate(this.runBatch);
      return;
    }
    this.running = false;
    const onIdle = this.onIdle;
    this.onIdle = undefined;
    onIdle?.();
  }

  /**
   * One group commit: run queued callbacks one after another, each over the layers of the ones before
   * it, then write every successful write set in one SQL transaction and only then settle the callers.
   */
  private async executeBatch(): Promise<void> {
    const batch = this.batch;
    batch.clear();
    const done: Job[] = [];
    const results: unknown[] = [];
    // Jobs arriving while callbacks await are taken into this batch too, up to the cap.
    while (done.length < MAX_BATCH && this.queue.length > 0) {
      const job = this.queue.shift()!;
      const tx = new SqliteTransaction(this.reader, batch);
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
    if (done.length === 0) return;
    try {
      // Read-only batches still wait for nothing else: there is nothing to make durable.
      if (!batch.isEmpty) this.apply(batch);
    } catch (err) {
      batch.clear();
      for (const job of done) job.reject(err);
      return;
    }
    batch.clear();
    for (let i = 0; i < done.length; i++) done[i]!.resolve(results[i]);
  }

  /** Writes one batch atomically; all or nothing, synchronously, durable once it returns. */
  private apply(batch: WriteLayer): void {
    this.beginStmt.run();
    try {
      // Ranges before points: a point entry is already the final state of its key (see overlay.ts).
      for (const range of batch.ranges) this.deleteRangeStmt.run(range.start, range.end);
      for (const entry of batch.entries.values()) {
        if (entry.value === null) this.deleteStmt.run(entry.key);
        else this.putStmt.run(entry.key, entry.value);
      }
      this.commitStmt.run();
    } catch (err) {
      // A failed COMMIT may already have rolled back (e.g. on I/O errors); only roll back if still open.
      if (this.db.inTransaction) {
        try {
          this.rollbackStmt.run();
        } catch {
          // The original error is the one worth reporting.
        }
      }
      throw err;
    }
  }
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
 * Opens (creating if needed) a store. `path` is the SQLite file, normally inside the data directory;
 * missing parent directories are created.
 *
 * Exclusivity: the connection uses `locking_mode=EXCLUSIVE`, so SQLite keeps an exclusive lock on the
 * file for as long as it is open. It is an OS advisory lock tied to the open file, so the kernel drops
 * it when the process dies, even by kill -9: no stale lock file can block a restart.
 */
export function openSqliteEngine(options: SqliteEngineOptions): SqliteEngine {
  const memory = 'memory' in options;
  const location = memory ? 'memory' : path.resolve(options.path);
  let db: Database.Database | undefined;
  try {
    if (!memory) {
      if (fs.existsSync(location) && fs.statSync(location).isDirectory()) {
        throw new StorageOpenError(`${location} is a directory; the store path must name the database file inside the data directory`);
      }
      fs.mkdirSync(path.dirname(location), { recursive: true });
    }
    // timeout 0: a locked file fails at once with SQLITE_BUSY instead of waiting for a lock we never get.
    db = new Database(memory ? ':memory:' : location, { timeout: 0 });
    if (!memory) {
      // Must precede the first read: in WAL mode it also makes SQLite keep the WAL index in heap memory
      // (no -shm file), which only a single exclusive connection can do.
      db.pragma('locking_mode = EXCLUSIVE');
    }
    const state = inspect(db, location);
    if (!memory) {
      requirePragma(db, location, 'journal_mode', 'WAL', 'wal');
      requirePragma(db, location, 'synchronous', 'FULL', 2);
      requirePragma(db, location, 'locking_mode', 'EXCLUSIVE', 'exclusive');
    }
    db.pragma('temp_store = MEMORY');
    db.pragma('cache_size = -65536'); // 64 MiB of page cache
    if (state === 'fresh') initialise(db);
    if (!memory) {
      // A write transaction takes the exclusive file lock now rather than at the first commit, so a
      // second process is refused at open instead of failing later.
      db.prepare('BEGIN IMMEDIATE').run();
      db.prepare('COMMIT').run();
    }
    return new SqliteEngine(db, location);
  } catch (err) {
    try {
      db?.close();
    } catch {
      // Report the original failure.
    }
    throw openError(location, err);
  }
}
