/**
 * The storage-engine contract. The service layers see only this: ordered binary keys, atomic multi-key
 * transactions and range scans. Every engine (embedded SQLite now, PostgreSQL later) must pass the shared
 * suite in `src/storage/engine-suite.ts`.
 *
 * Keys compare as unsigned bytes (memcmp order, shorter prefix first). Values are opaque bytes.
 */

export interface KeyValue {
  key: Buffer;
  value: Buffer;
}

export interface ScanOptions {
  /** Inclusive lower bound; omitted means from the first key. */
  start?: Buffer;
  /** Exclusive upper bound; omitted means to the last key. */
  end?: Buffer;
  /** Descending key order when true. Bounds keep their meaning (start inclusive, end exclusive). */
  reverse?: boolean;
  /** Maximum number of entries returned. */
  limit?: number;
}

/** Reads that see one consistent state. */
export interface ReadView {
  get(key: Buffer): Promise<Buffer | undefined>;
  /** Several keys read from one snapshot, answers in the order asked. */
  getMany(keys: readonly Buffer[]): Promise<(Buffer | undefined)[]>;
  scan(options: ScanOptions): Promise<KeyValue[]>;
  /**
   * Optional: `get` then `decode`, where an engine may hand the same decoded value to many readers until
   * the key changes, so callers must never mutate it. Use `readDecoded`, which falls back to `get`.
   */
  getDecoded?<T>(key: Buffer, decode: (value: Buffer) => T): Promise<T | undefined>;
}

/** `view.getDecoded` where the engine has it; otherwise a plain `get` and `decode`. Never mutate the result. */
export async function readDecoded<T>(view: ReadView, key: Buffer, decode: (value: Buffer) => T): Promise<T | undefined> {
  if (view.getDecoded) return view.getDecoded(key, decode);
  const value = await view.get(key);
  return value === undefined ? undefined : decode(value);
}

const ZERO = Buffer.from([0]);

/** The smallest key after `key` (the key with a zero byte appended): where a scan resumes past it. */
export const keyAfter = (key: Buffer): Buffer => Buffer.concat([key, ZERO]);

/**
 * Every entry of [start, end) in key order, `size` at a time, for long background passes (the orphan sweep):
 * at most one batch is in memory, and the event loop runs between batches so requests go on. Not one
 * snapshot: each batch sees the committed state of its own moment.
 */
export async function* scanBatches(view: ReadView, range: { start: Buffer; end: Buffer }, size: number): AsyncGenerator<KeyValue[]> {
  for (let start = range.start; ; ) {
    const batch = await view.scan({ start, end: range.end, limit: size });
    yield batch;
    if (batch.length < size) return;
    start = keyAfter(batch[batch.length - 1]!.key);
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/**
 * A read-modify-write transaction. Reads see the committed state plus this transaction's own writes.
 * Writes are buffered and applied atomically when the callback resolves; nothing is applied if it throws.
 */
export interface Transaction extends ReadView {
  put(key: Buffer, value: Buffer): void;
  delete(key: Buffer): void;
  /** Deletes every key in [start, end). */
  deleteRange(start: Buffer, end: Buffer): void;
}

export interface EngineInfo {
  /** `sqlite`, `postgres`, ... */
  name: string;
  /** Where the data lives, or `memory`. */
  location: string;
}

export interface StorageEngine extends ReadView {
  readonly info: EngineInfo;
  /**
   * Runs `fn` serialisably with respect to every other transaction and commits its writes atomically.
   * The returned promise resolves only after the commit is durable (on disk, for a disk engine).
   * Engines may commit several transactions together (group commit); each still sees the ones before it.
   */
  transact<T>(fn: (tx: Transaction) => Promise<T> | T): Promise<T>;
  /** Waits for queued transactions, then releases the store. Later calls reject. */
  close(): Promise<void>;
}

/** Thrown when a store on disk cannot be opened: wrong format version, unreadable file, locked. */
export class StorageOpenError extends Error {
  override name = 'StorageOpenError';
}
