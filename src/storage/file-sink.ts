/**
 * Streams a Readable into a file descriptor with as few system calls as the arrival of the bytes allows:
 * chunks that arrive while a write is in flight go out together in the next `writev`, and the source is
 * paused while more than HIGH_WATER bytes wait, so memory stays flat however large the body is.
 *
 * Every EARLY_SYNC_BYTES written, the data so far is flushed to disk in the background (fdatasync), so the
 * disk writes a large body while the rest is still arriving and the caller's final fdatasync has little left.
 *
 * The sink listens from construction, before the file is open, so no chunk is missed while the open runs;
 * chunks the caller read before handing the source over are passed in as its head.
 */
import * as fs from 'node:fs';
import { finished, type Readable } from 'node:stream';
import { buffersSpent } from '../util/spent-buffers';

/** Queued bytes above which the source is paused until the writes catch up. */
const HIGH_WATER = 1024 * 1024;
const EARLY_SYNC_BYTES = 8 * 1024 * 1024;

export class FileSink {
  private queued: Buffer[] = [];
  private queuedBytes = 0;
  private written = 0;
  private fd: number | undefined;
  private writing = false;
  /** A background fdatasync is running, and how far the last one started reached. */
  private syncing = false;
  private syncedTo = 0;
  private idle: (() => void)[] = [];
  private ended = false;
  private failed = false;
  private settle!: { resolve(size: number): void; reject(err: Error): void };
  /** Resolves with the number of bytes written once the source has ended and every byte is written. */
  readonly done: Promise<number>;
  /** Called with the bytes written so far after each write. */
  onWritten: ((total: number) => void) | undefined;

  /** `head`: chunks of `source` already read by the caller, written first. */
  constructor(private readonly source: Readable, head: readonly Buffer[] = []) {
    this.done = new Promise((resolve, reject) => (this.settle = { resolve, reject }));
    for (const chunk of head) {
      this.queued.push(chunk);
      this.queuedBytes += chunk.length;
    }
    // A failure before anyone awaits `done` (the source failing while the file opens) is not unhandled.
    this.done.catch(() => undefined);
    source.on('data', (chunk: Buffer) => {
      this.queued.push(chunk);
      this.queuedBytes += chunk.length;
      if (this.queuedBytes >= HIGH_WATER) source.pause();
      this.flush();
    });
    source.once('end', () => {
      this.ended = true;
      this.flush();
    });
    // Also catches a source closed before its end (a client that went away mid-body).
    finished(source, (err) => {
      if (err) this.fail(err);
    });
  }

  /** Starts writing into `fd` (opened for writing, positioned at 0). */
  start(fd: number): void {
    this.fd = fd;
    this.flush();
  }

  /** Resolves when no write or sync is in flight: the file descriptor may then be closed. */
  whenIdle(): Promise<void> {
    return this.writing || this.syncing ? new Promise((resolve) => this.idle.push(resolve)) : Promise.resolve();
  }

  /** Fails the sink (e.g. the file could not be opened); the source is destroyed. */
  fail(err: Error): void {
    if (this.failed) return;
    this.failed = true;
    this.queued = [];
    if (!this.source.destroyed) this.source.destroy(err);
    this.settle.reject(err);
  }

  private flush(): void {
    if (this.fd === undefined || this.writing || this.failed) return;
    if (this.queuedBytes === 0) {
      // `done` waits for a background sync too: the caller's final one follows it, then the close.
      if (this.ended && !this.syncing) this.settle.resolve(this.written);
      else if (this.source.isPaused()) this.source.resume();
      return;
    }
    const chunks = this.queued;
    this.queued = [];
    this.queuedBytes = 0;
    this.writing = true;
    if (this.source.isPaused() && !this.ended) this.source.resume();
    writeFully(this.fd, chunks, this.written, (err, n) => {
      this.writing = false;
      this.wakeIdle();
      if (err) return this.fail(err);
      this.written += n;
      buffersSpent(n);
      this.onWritten?.(this.written);
      this.syncEarly();
      this.flush();
    });
  }

  private syncEarly(): void {
    if (this.syncing || this.written - this.syncedTo < EARLY_SYNC_BYTES) return;
    this.syncing = true;
    const to = this.written;
    fs.fdatasync(this.fd!, (err) => {
      this.syncing = false;
      this.wakeIdle();
      // A write-back error is reported once per open file: this sync may be the only one to see it.
      if (err) return this.fail(err);
      this.syncedTo = to;
      this.flush();
    });
  }

  private wakeIdle(): void {
    if (this.writing || this.syncing) return;
    for (const resolve of this.idle.splice(0)) resolve();
  }
}

/** `writev` until every byte of `chunks` is written at `position` (a regular file may write short). */
function writeFully(fd: number, chunks: Buffer[], position: number, done: (err: Error | null, n: number) => void): void {
  let total = 0;
  for (const c of chunks) total += c.length;
  let offset = 0;
  const step = (pending: Buffer[]): void => {
    fs.writev(fd, pending, position + offset, (err, n) => {
      if (err) return done(err, offset);
      offset += n;
      if (offset >= total) return done(null, total);
      // Drop what was written and go on with the rest.
      let skip = n;
      const rest: Buffer[] = [];
      for (const c of pending) {
        if (skip >= c.length) skip -= c.length;
        else {
          rest.push(skip > 0 ? c.subarray(skip) : c);
          skip = 0;
        }
      }
      step(rest);
    });
  };
  step(chunks);
}
