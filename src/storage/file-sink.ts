/**
 * Streams a Readable into a file through the slots of a SlotRing (slot-ring.ts): the body is copied into
 * one slot until it is full, then the slot is written to the file (a direct write where the filesystem
 * takes them) and handed to the sink's consumers (the digest threads) at the same time; it is filled again
 * once all of them are done with it. The source is paused while every slot is busy or more than HIGH_WATER
 * bytes wait to be copied, so memory stays flat however large the body is.
 *
 * Direct writes need their length to be a multiple of the disk's block: the last slot is written padded
 * with zeros, and the file is then cut back to the body's size.
 *
 * The sink listens from construction, before the file is open, so no chunk is missed while the open runs;
 * chunks the caller read before handing the source over are passed in as its head.
 */
import * as fs from 'node:fs';
import { join } from 'node:path';
import { finished, type Readable } from 'node:stream';
import { buffersSpent } from '../util/spent-buffers';
import { returnRing, SLOT_BYTES, takeRing, type SlotRing } from './slot-ring';

/** Bytes waiting to be copied above which the source is paused (before the file is open, or every slot is busy). */
const HIGH_WATER = 1024 * 1024;
/** Offsets and lengths of direct writes are multiples of this: the largest logical block size in common use. */
const DIRECT_ALIGN = 4096;

/** Whoever reads each slot of the body besides the file write (the digest threads). */
export interface SlotConsumer {
  /** `ring.bytes[start, start + length)` holds the next bytes of the body; resolves once done with them. */
  take(start: number, length: number): Promise<void>;
}

/** Whether files in `dir` take direct writes (O_DIRECT): tried once on a scratch file. */
export function takesDirectWrites(dir: string): boolean {
  if (fs.constants.O_DIRECT === undefined) return false;
  const probe = join(dir, `.direct-probe-${process.pid}`);
  const ring = takeRing();
  try {
    const fd = fs.openSync(probe, fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_TRUNC | fs.constants.O_DIRECT, 0o600);
    try {
      fs.writeSync(fd, ring.bytes, 0, DIRECT_ALIGN, 0);
    } finally {
      fs.closeSync(fd);
    }
    return true;
  } catch {
    return false;
  } finally {
    returnRing(ring);
    fs.rmSync(probe, { force: true });
  }
}

export class FileSink {
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  /** The slot being filled, and how many bytes it holds. */
  private fill = 0;
  private filled = 0;
  /** Per slot: the file write and the consumers not yet done with it (so a write in flight keeps its slot busy). */
  private readonly users: number[];
  /** Bytes handed to writes so far: the file offset of the next slot. */
  private dispatched = 0;
  private fd: number | undefined;
  private consumers: readonly SlotConsumer[] = [];
  private idle: (() => void)[] = [];
  private ended = false;
  private failed = false;
  private settled = false;
  private settle!: { resolve(size: number): void; reject(err: Error): void };
  /** Resolves with the body's size once the source has ended and every byte is written and consumed. */
  readonly done: Promise<number>;

  /** `head`: chunks of `source` already read by the caller, written first. `direct`: the file was opened O_DIRECT. */
  constructor(
    private readonly source: Readable,
    head: readonly Buffer[],
    private readonly ring: SlotRing,
    private readonly direct: boolean,
  ) {
    this.users = new Array<number>(ring.slots).fill(0);
    this.done = new Promise((resolve, reject) => (this.settle = { resolve, reject }));
    // A failure before anyone awaits `done` (the source failing while the file opens) is not unhandled.
    this.done.catch(() => undefined);
    for (const chunk of head) this.queue(chunk);
    source.on('data', (chunk: Buffer) => {
      this.queue(chunk);
      this.pump();
    });
    source.once('end', () => {
      this.ended = true;
      this.pump();
    });
    // Also catches a source closed before its end (a client that went away mid-body).
    finished(source, (err) => {
      if (err) this.fail(err);
    });
  }

  /** Starts writing into `fd` (opened for writing, empty), handing every slot to `consumers` too. */
  start(fd: number, consumers: readonly SlotConsumer[]): void {
    this.fd = fd;
    this.consumers = consumers;
    this.pump();
  }

  /**
   * Resolves when no write is in flight and no consumer holds a slot: the file descriptor may then be closed
   * and the ring reused (after a failure too, once the consumers have let go).
   */
  whenIdle(): Promise<void> {
    return this.busy() ? new Promise((resolve) => this.idle.push(resolve)) : Promise.resolve();
  }

  private busy(): boolean {
    return this.users.some((n) => n > 0);
  }

  /** Fails the sink (e.g. the file could not be opened); the source is destroyed. */
  fail(err: Error): void {
    if (this.failed) return;
    this.failed = true;
    this.pending = [];
    if (!this.source.destroyed) this.source.destroy(err);
    this.settle.reject(err);
  }

  private queue(chunk: Buffer): void {
    this.pending.push(chunk);
    this.pendingBytes += chunk.length;
    if (this.pendingBytes >= HIGH_WATER) this.source.pause();
  }

  /** Copies what waits into free slots, sending each full one on; ends the body once all is done. */
  private pump(): void {
    if (this.fd === undefined || this.failed) return;
    const { bytes } = this.ring;
    while (this.pending.length > 0) {
      if (this.users[this.fill]! > 0) {
        this.source.pause();
        return;
      }
      const chunk = this.pending[0]!;
      const n = chunk.copy(bytes, this.ring.start(this.fill) + this.filled, 0, Math.min(chunk.length, SLOT_BYTES - this.filled));
      this.filled += n;
      this.pendingBytes -= n;
      if (n === chunk.length) {
        this.pending.shift();
        buffersSpent(chunk.length);
      } else this.pending[0] = chunk.subarray(n);
      if (this.filled === SLOT_BYTES) this.sendSlot();
    }
    if (!this.ended) {
      if (this.source.isPaused()) this.source.resume();
      return;
    }
    if (this.filled > 0) this.sendSlot();
    if (!this.busy()) this.finish();
  }

  /** Writes the slot being filled and hands it to the consumers; the next slot is filled meanwhile. */
  private sendSlot(): void {
    const slot = this.fill;
    const start = this.ring.start(slot);
    const length = this.filled;
    const position = this.dispatched;
    let writeLength = length;
    if (this.direct && length % DIRECT_ALIGN !== 0) {
      writeLength = length + DIRECT_ALIGN - (length % DIRECT_ALIGN);
      this.ring.bytes.fill(0, start + length, start + writeLength);
    }
    this.dispatched += length;
    this.fill = (slot + 1) % this.ring.slots;
    this.filled = 0;
    this.users[slot] = 1 + this.consumers.length;
    const release = (err?: Error): void => {
      this.users[slot]!--;
      if (err) this.fail(err);
      if (!this.busy()) for (const resolve of this.idle.splice(0)) resolve();
      this.pump();
    };
    writeFully(this.fd!, this.ring.bytes.subarray(start, start + writeLength), position, (err) => release(err ?? undefined));
    for (const consumer of this.consumers) consumer.take(start, length).then(() => release(), release);
  }

  private finish(): void {
    if (this.settled) return;
    this.settled = true;
    if (this.dispatched % DIRECT_ALIGN === 0 || !this.direct) return this.settle.resolve(this.dispatched);
    // The last slot went out padded to a whole block.
    fs.ftruncate(this.fd!, this.dispatched, (err) => (err ? this.fail(err) : this.settle.resolve(this.dispatched)));
  }
}

/** Writes all of `bytes` at `position` (a regular file may write short). */
function writeFully(fd: number, bytes: Buffer, position: number, done: (err: Error | null) => void): void {
  fs.write(fd, bytes, 0, bytes.length, position, (err, n) => {
    if (err) return done(err);
    if (n === bytes.length) return done(null);
    writeFully(fd, bytes.subarray(n), position + n, done);
  });
}
